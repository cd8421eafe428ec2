"""Build hook: ship the top-level templates/ and samples/ inside the wheel, and compile the
message catalogues.

They stay top-level in the repository (users edit templates there), and are copied into
evidence_kit/data/ when a wheel or sdist is built, so an installed package finds them too.
"""

from __future__ import annotations

import shutil
import sys
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
        # The message catalogues, compiled, so an installed kit needs no compile step.
        sys.path.insert(0, str(ROOT / "src"))
        from evidence_kit.i18n import compile_po

        for po in (ROOT / "src" / "evidence_kit" / "locale").glob("*/LC_MESSAGES/*.po"):
            rel = po.relative_to(ROOT / "src")
            mo = (Path(self.build_lib) / rel).with_suffix(".mo")
            mo.parent.mkdir(parents=True, exist_ok=True)
            mo.write_bytes(compile_po(po))


setup(cmdclass={"build_py": BuildPyWithData})
