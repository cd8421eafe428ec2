"""An installed (non-editable) wheel finds templates/ and samples/ and runs the demo."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True, capture_output=True, timeout=600,
    )
    wheels = list(out.glob("evidence_kit-*.whl"))
    assert len(wheels) == 1
    target = out / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
         str(wheels[0])],
        check=True, capture_output=True, timeout=600,
    )
    return target


def run_installed(site: Path, code: str, cwd: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(site)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_wheel_ships_templates_and_samples(installed: Path, tmp_path: Path) -> None:
    out = run_installed(installed, (
        "import json, evidence_kit\n"
        "from evidence_kit.resources import shipped_dir\n"
        "from evidence_kit.demo import sample_files\n"
        "print(json.dumps({'pkg': evidence_kit.__file__,"
        " 'templates': str(shipped_dir('templates')), 'samples': str(shipped_dir('samples')),"
        " 'files': [p.name for p in sample_files()]}))\n"
    ), tmp_path)
    got = json.loads(out)
    assert got["pkg"].startswith(str(installed))  # not the source checkout
    assert got["templates"].startswith(str(installed)) and got["samples"].startswith(str(installed))
    assert any(name.endswith(".pdf") for name in got["files"])
    assert len(got["files"]) >= 5
    assert (Path(got["samples"]) / "case.toml").is_file()


def test_installed_cli_creates_a_case(installed: Path, tmp_path: Path) -> None:
    run_installed(installed, (
        "import sys\nfrom evidence_kit.cli import main\n"
        f"sys.argv = ['evidence-kit', 'init', {str(tmp_path / 'c')!r}]\nmain()\n"
    ), tmp_path)
    assert "投诉人" in (tmp_path / "c" / "case.toml").read_text("utf-8")
