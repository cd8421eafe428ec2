"""The watcher as users run it: a real process, the real watchdog, real OCR.

- 20 chat screenshots copied in bursts (some written slowly in chunks) each appear exactly once
  in search, with their amounts;
- SIGKILL mid-ingest, then ``watch --once``: nothing lost, nothing doubled, verify clean;
- a manual ``ingest`` and ``watch --once`` on the same folder at the same time: each file once,
  no "database is locked".
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
sys.path.insert(0, str(SAMPLES))

pytestmark = pytest.mark.slow

PY = sys.executable


def kit(case: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PY, "-m", "evidence_kit", "--case", str(case), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def start_watch(case: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [PY, "-m", "evidence_kit", "--case", str(case), "watch", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def amounts_for(i: int) -> str:
    return f"{1000 + 37 * i}.{i:02d}"  # distinct, never a sub-range of another


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory) -> list[Path]:  # type: ignore[no-untyped-def]
    import render

    folder = tmp_path_factory.mktemp("shots")
    out = []
    for i in range(20):
        amount = amounts_for(i)
        msgs = [
            {"type": "time", "text": f"3月{i + 1}日 10:{i:02d}"},
            {"side": "them", "text": f"您的逾期金额为¥{amount}，请在今天内处理。"},
            {"side": "me", "text": f"第{i}号截图，我申请协商还款。"},
        ]
        img, _ = render.render_chat(msgs, style="app", width=720, seed=i, min_height=900)
        path = folder / f"Screenshot_202503{i + 1:02d}-10{i:02d}00.png"
        render.save_png(img, path)
        out.append(path)
    return out


def init(case: Path) -> None:
    r = kit(case, "init", str(case))
    assert r.returncode == 0, r.stderr


def copy_slowly(src: Path, dst: Path, chunks: int = 5, pause: float = 0.3) -> None:
    data = src.read_bytes()
    step = len(data) // chunks + 1
    with open(dst, "wb") as f:
        for k in range(0, len(data), step):
            f.write(data[k : k + step])
            f.flush()
            time.sleep(pause)


def search_json(case: Path, *args: str) -> list[dict]:  # type: ignore[type-arg]
    r = kit(case, "search", "--json", *args)
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["results"]  # type: ignore[no-any-return]


def stop(proc: subprocess.Popen[str]) -> tuple[str, str]:
    proc.send_signal(signal.SIGTERM)
    try:
        out, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"watch did not stop on SIGTERM: {err}")
    return out, err


def test_burst_of_screenshots_each_found_once_with_amounts(tmp_path, screenshots) -> None:  # type: ignore[no-untyped-def]
    case = tmp_path / "case"
    init(case)
    (case / "inbox").mkdir()
    proc = start_watch(case, "--settle", "1.0")
    try:
        time.sleep(2.0)  # observer started (catch-up of an empty folder is instant)
        for burst in range(4):
            for j, src in enumerate(screenshots[burst * 5 : burst * 5 + 5]):
                dst = case / "inbox" / src.name
                if j == 0:
                    copy_slowly(src, dst)  # like a phone-sync tool writing in chunks
                else:
                    shutil.copyfile(src, dst)
            (case / "inbox" / f"junk{burst}.png.part").write_bytes(b"partial")
            time.sleep(0.5)
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            found = search_json(case)
            if len(found) >= 20 and all(r["amounts"] for r in found):
                break
            time.sleep(2)
    finally:
        out, err = stop(proc)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    lines = [x for x in out.splitlines() if x.startswith("ingested")]
    assert len(lines) == 20, out + err
    assert all("[chat" in x and "¥" in x for x in lines), out
    results = search_json(case)
    assert len(results) == 20
    for i in range(20):
        amount = amounts_for(i)
        found = search_json(case, "--min", amount, "--max", amount)
        assert len(found) == 1, (amount, found)
        assert f"Screenshot_202503{i + 1:02d}" in found[0]["title"]
        assert any(a["value"].startswith(amount) for a in found[0]["amounts"])
    assert kit(case, "verify").returncode == 0


def test_sigkill_mid_ingest_then_restart(tmp_path, screenshots) -> None:  # type: ignore[no-untyped-def]
    case = tmp_path / "case"
    init(case)
    for src in screenshots[:10]:
        shutil.copyfile(src, case / src.name)
    proc = start_watch(case, "--settle", "0.3")
    # Kill as soon as the first entries are stored but before all are read.
    ledger = case / ".evidence-kit" / "ledger.sqlite"
    deadline = time.monotonic() + 120
    import sqlite3

    stored = 0
    while time.monotonic() < deadline:
        try:
            with sqlite3.connect(ledger, timeout=1) as db:
                stored = db.execute("SELECT count(*) FROM entries").fetchone()[0]
        except sqlite3.Error:
            stored = 0
        if stored >= 2:
            break
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert stored >= 2
    r = kit(case, "watch", "--once", "--settle", "0.3")
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    results = search_json(case)
    assert len(results) == 10
    assert len({x["sha256"] for x in results}) == 10
    for i in range(10):
        amount = amounts_for(i)
        assert len(search_json(case, "--min", amount, "--max", amount)) == 1, amount
    v = kit(case, "verify")
    assert v.returncode == 0, v.stdout + v.stderr
    again = kit(case, "watch", "--once", "--settle", "0.3")
    assert again.stdout == "" and len(search_json(case)) == 10


def test_manual_ingest_and_watcher_at_once(tmp_path) -> None:  # type: ignore[no-untyped-def]
    case = tmp_path / "case"
    init(case)
    for i in range(60):
        (case / f"记录{i:02d}.txt").write_text(
            f"通话记录 第{i}次 对方要求还款 {100 + i}元", "utf-8"
        )
    a = subprocess.Popen(
        [PY, "-m", "evidence_kit", "--case", str(case), "ingest", "--no-ocr", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    b = start_watch(case, "--once", "--no-ocr", "--settle", "0", "--json")
    out_a, err_a = a.communicate(timeout=120)
    out_b, err_b = b.communicate(timeout=120)
    assert a.returncode == 0, err_a
    assert b.returncode == 0, err_b
    for err in (err_a, err_b):
        assert "locked" not in err and "Traceback" not in err
    statuses = [json.loads(x)["status"] for x in (out_a + out_b).splitlines() if x.strip()]
    assert statuses.count("ingested") == 60
    assert len(search_json(case)) == 60
    assert kit(case, "verify").returncode == 0
