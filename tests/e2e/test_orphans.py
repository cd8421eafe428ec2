"""Issue 11: a SIGKILL'd ingest leaves no process of the kit behind (OCR workers included)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from evidence_kit.case import init_case

pytestmark = pytest.mark.slow


def text_image(path: Path, lines: int) -> None:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (900, 60 * lines), "white")
    draw = ImageDraw.Draw(img)
    for i in range(lines):
        draw.text(
            (20, 20 + 60 * i),
            f"Payment {i} due 2025-03-{1 + i % 28:02d} amount {i}00.00",
            fill="black",
        )
    img.save(path)


def processes_with(marker: str) -> list[int]:
    """Every live process whose environment carries ``marker`` (all descendants inherit it)."""
    found = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit() or int(d.name) == os.getpid():
            continue
        try:
            env = (d / "environ").read_bytes()
            state = (d / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker.encode() in env and state != "Z":
            found.append(int(d.name))
    return found


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_sigkill_of_ingest_mid_ocr_leaves_no_process(tmp_path: Path) -> None:
    case, _ = init_case(tmp_path / "case")
    for i in range(12):
        text_image(case.root / f"Screenshot_2025031{i % 10}-10{i:02d}00.png", 40)
    marker = f"EK_ORPHAN_TEST={uuid.uuid4().hex}"
    env = {**os.environ, marker.split("=")[0]: marker.split("=")[1]}
    if os.environ.get("EK_ORPHAN_BASELINE_SRC"):  # measure another checkout (the baseline)
        env["PYTHONPATH"] = os.environ["EK_ORPHAN_BASELINE_SRC"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "evidence_kit", "--case", str(case.root), "ingest", "--json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        deadline = time.monotonic() + 120
        # Mid-OCR: the parent plus at least one worker that has been alive a moment.
        while time.monotonic() < deadline and len(processes_with(marker)) < 3:
            time.sleep(0.2)
        time.sleep(2.0)
        helpers = [p for p in processes_with(marker) if p != proc.pid]
        assert helpers, "no OCR worker started"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        time.sleep(5.0)
        left = processes_with(marker)
        assert left == [], f"{len(left)} of {len(helpers)} helper processes still alive: {left}"
    finally:
        for pid in processes_with(marker):  # never leave them running, even on failure
            os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc")
def test_a_helper_program_dies_with_the_process_that_started_it(tmp_path: Path) -> None:
    """pdftoppm/pdftotext/pdfinfo are started through ``dies_with_us``: SIGKILL of their
    parent (an OCR worker) takes them along."""
    from evidence_kit.ocr.pdf import dies_with_us

    if dies_with_us(["x"]) == ["x"]:
        pytest.skip("setpriv (util-linux) is not installed")
    marker = f"EK_HELPER_TEST={uuid.uuid4().hex}"
    code = (
        "import subprocess,sys,time; "
        f"subprocess.Popen({dies_with_us(['sleep', '60'])!r}); time.sleep(60)"
    )
    env = {**os.environ, marker.split("=")[0]: marker.split("=")[1]}
    parent = subprocess.Popen([sys.executable, "-c", code], env=env)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(processes_with(marker)) < 2:
            time.sleep(0.1)
        assert len(processes_with(marker)) == 2
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait()
        time.sleep(1.0)
        assert processes_with(marker) == []
    finally:
        for pid in processes_with(marker):
            os.kill(pid, signal.SIGKILL)
