"""A full disk: the file that does not fit fails with a plain message, nothing is half-written,
the ledger still verifies, and once there is room again the next run takes the rest."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from evidence_kit.case import init_case

pytestmark = pytest.mark.slow


@pytest.fixture
def small_disk():  # type: ignore[no-untyped-def]
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    mnt = Path(tempfile.mkdtemp(prefix="ek-full-"))
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1600k", "tmpfs", str(mnt)],
                       capture_output=True, text=True)
    if r.returncode != 0:
        os.rmdir(mnt)
        pytest.skip(f"cannot mount a tmpfs here: {r.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", str(mnt)], check=False)
        shutil.rmtree(mnt, ignore_errors=True)


def ek(case: Path, *args: str) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    return subprocess.run([sys.executable, "-m", "evidence_kit", "--case", str(case), *args],
                          capture_output=True, text=True, timeout=300)


def test_ingest_on_a_full_disk(small_disk: Path, tmp_path: Path) -> None:
    case, _ = init_case(small_disk / "case")
    outside = tmp_path / "phone"
    outside.mkdir()
    names = []
    for i in range(8):  # 8 × 300 KB into 1.6 MB: some fit, the rest do not
        p = outside / f"document_{i}.bin"
        p.write_bytes(os.urandom(300_000))
        names.append(str(p))
    r = ek(case.root, "ingest", "--no-ocr", "--json", *names)
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    results = [json.loads(x) for x in r.stdout.splitlines()]
    assert len(results) == 8
    ok = [x for x in results if x["status"] == "ingested"]
    failed = [x for x in results if x["status"] == "failed"]
    assert ok and failed
    assert all("disk is full" in x["error"] for x in failed)
    assert not list((case.meta_dir / "tmp").iterdir())  # no half-written object left
    v = ek(case.root, "verify", "--json")
    assert v.returncode == 0, v.stdout + v.stderr
    assert json.loads(v.stdout)["objects"] == len(ok)
    # Make room (a bigger disk) and run again: the rest goes in, each file once.
    subprocess.run(["mount", "-o", "remount,size=8m", str(small_disk)], check=True)
    again = ek(case.root, "ingest", "--no-ocr", "--json", *names)
    statuses = [json.loads(x)["status"] for x in again.stdout.splitlines()]
    assert statuses.count("ingested") == len(failed) and "failed" not in statuses
    v = ek(case.root, "verify", "--json")
    assert v.returncode == 0 and json.loads(v.stdout)["objects"] == 8
