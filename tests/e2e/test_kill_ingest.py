"""SIGKILL at a random moment during ingest, then again: the ledger verifies, each file once."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from evidence_kit.case import init_case
from evidence_kit.ledger.events import Ledger
from tests.conftest import png_bytes

pytestmark = pytest.mark.slow


def run(case: Path, *args: str, **kw) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def]
    return subprocess.run(
        [sys.executable, "-m", "evidence_kit", "--case", str(case), *args],
        capture_output=True,
        text=True,
        timeout=300,
        **kw,
    )


def entries_now(ledger: Path) -> int:
    """Entries recorded so far, read without taking the ledger's write lock."""
    try:
        db = sqlite3.connect(f"file:{ledger}?mode=ro", uri=True, timeout=5)
        try:
            return int(db.execute("SELECT count(*) FROM entries").fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error:  # not created yet, or busy
        return 0


def make_files(root: Path, n: int) -> int:
    for i in range(n):
        if i % 3 == 0:
            (root / f"Screenshot_202503{1 + i % 28:02d}-1015{i % 60:02d}.png").write_bytes(
                png_bytes(200 + i, 400, (i * 7 % 255, 80, 120))  # type: ignore[arg-type]
            )
        else:
            (root / f"通话记录_{i:03d}.txt").write_text(
                f"第{i}次来电，逾期金额 {i}00.00 元", "utf-8"
            )
    (root / "dup.txt").write_text("第1次来电，逾期金额 100.00 元", "utf-8")  # same bytes as #1
    return n  # distinct contents


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sigkill_then_rerun(tmp_path: Path, seed: int) -> None:
    case, _ = init_case(tmp_path / "case")
    distinct = make_files(case.root, 90)
    rng = random.Random(seed)
    after_kills = []
    for round_ in range(4):
        before = entries_now(case.ledger_path)
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "evidence_kit",
                "--case",
                str(case.root),
                "ingest",
                "--no-ocr",
                "--json",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        # Kill only once this run has recorded something, so the kill lands mid-ingest on a
        # machine of any speed; the last round kills at once then.
        deadline = time.monotonic() + 120
        while (
            proc.poll() is None
            and entries_now(case.ledger_path) <= before
            and time.monotonic() < deadline
        ):
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.05) if round_ < 3 else 0)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        after_kills.append(entries_now(case.ledger_path))
    # At least one kill interrupted a run: the re-run below has files left to take in.
    assert 0 < after_kills[-1] < distinct, after_kills
    assert after_kills == sorted(after_kills), after_kills
    final = run(case.root, "ingest", "--no-ocr", "--json")
    assert final.returncode == 0, final.stderr
    v = run(case.root, "verify", "--json")
    assert v.returncode == 0, v.stdout + v.stderr
    assert json.loads(v.stdout)["ok"] is True
    with Ledger(case.ledger_path, case.head_path) as led:
        assert led.entry_count() == distinct
        ingested = [e for e in led.events() if e.type == "ingested"]
        assert len({e.entry_id for e in ingested}) == len(ingested) == distinct
        paths = {r[0] for r in led.db.execute("SELECT path FROM sightings")}
    on_disk = {p.name for p in case.root.iterdir() if p.is_file() and p.name != "case.toml"}
    assert paths == on_disk
    again = run(case.root, "ingest", "--no-ocr", "--json")
    assert {json.loads(x)["status"] for x in again.stdout.splitlines()} == {"unchanged"}


def test_unreadable_file_as_another_user() -> None:
    """As root every file is readable, so drop to `nobody` for the real permission error."""
    import shutil
    import tempfile

    if os.geteuid() != 0 or not Path("/usr/bin/setpriv").exists():
        pytest.skip("needs root and setpriv to run the ingest as an unprivileged user")
    # pytest's tmp_path lives under a root-only folder; nobody needs a traversable one.
    base = Path(tempfile.mkdtemp(prefix="ek-nobody-", dir="/tmp"))
    try:
        os.chmod(base, 0o755)
        case, _ = init_case(base / "case")
        (case.root / "secret.png").write_bytes(png_bytes())
        (case.root / "ok.txt").write_text("可以读取", "utf-8")
        for p in [case.root, *case.root.rglob("*")]:
            if p.name != "secret.png":
                os.chown(p, 65534, 65534)
        os.chmod(case.root / "secret.png", 0o000)
        proc = subprocess.run(
            [
                "/usr/bin/setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                sys.executable,
                "-m",
                "evidence_kit",
                "--case",
                str(case.root),
                "ingest",
                "--no-ocr",
                "--json",
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "HOME": str(base)},
            timeout=120,
        )
        lines = {json.loads(x)["path"]: json.loads(x) for x in proc.stdout.splitlines()}
        assert proc.returncode == 1, proc.stderr
        assert lines["secret.png"]["status"] == "failed"
        assert "permission denied" in lines["secret.png"]["error"]
        assert lines["ok.txt"]["status"] == "ingested"
    finally:
        shutil.rmtree(base, ignore_errors=True)
