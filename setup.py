"""Build hook: ship the top-level templates/ and samples/ inside the wheel.

They stay top-level in the repository (users edit templates there), and are copied into
evidence_kit/data/ when a wheel or sdist is built, so an installed package finds them too.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).parent
SHIPPED = ("templates", "samples")


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        for name in SHIPPED:
            src = ROOT / name
            if not src.is_dir():
                continue
            dest = Path(self.build_lib) / "evidence_kit" / "data" / name
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildPyWithData})
