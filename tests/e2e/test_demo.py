"""The demo a new user runs first: samples → case → OCR → ledger → complaint PDF."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def ek(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    return subprocess.run([sys.executable, "-m", "evidence_kit", *args], capture_output=True,
                          text=True, timeout=900, cwd=cwd)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict:  # type: ignore[type-arg]
    target = tmp_path_factory.mktemp("demo") / "案件"
    r = ek("demo", str(target), "--json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def test_every_sample_is_in_the_ledger_and_verifies(demo: dict) -> None:  # type: ignore[type-arg]
    statuses = {f["path"]: f["status"] for f in demo["files"]}
    assert statuses and set(statuses.values()) == {"ingested"}
    v = ek("--case", demo["case"], "verify", "--json")
    assert v.returncode == 0 and json.loads(v.stdout)["ok"]


def test_the_package_reads_back(demo: dict) -> None:  # type: ignore[type-arg]
    pdf = Path(demo["bundle"])
    assert pdf.is_file() and demo["bundle_pages"] >= 5
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    import re

    for heading in ("金融消费投诉书", "证据清单"):
        assert heading in text
    assert re.search(r"证据\s?1", text)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                           check=True).stdout
    assert "WenQuanYi" in fonts or "wqy" in fonts.lower()
    assert all(" yes " in line for line in fonts.splitlines()[2:] if "TrueType" in line)
    v = ek("verify", "--bundle", str(pdf))
    assert v.returncode == 0, v.stdout + v.stderr


def test_ocr_found_the_story(demo: dict) -> None:  # type: ignore[type-arg]
    r = ek("--case", demo["case"], "extract", str(Path(demo["case"]) / "Screenshot_20250305-101530.png"),
           "--json")
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert "3256.00" in {a["value"] for a in got["amounts"]}
    bubbles = [m for m in got["messages"] if m["side"] != "system"]  # timestamp rows aside
    assert got["kind"] == "chat" and {m["side"] for m in bubbles} == {"them", "me"}
    # 7 bubbles drawn (samples/make_samples.py); the agent's name above them is not message text.
    assert len(bubbles) == 7
    assert not any(m["text"].startswith("乐享分期客服") for m in got["messages"])


def test_conduct_figures_of_the_samples_match_a_hand_count(demo: dict) -> None:  # type: ignore[type-arg]
    """Counted by hand from the sample screenshots, notes and recording (see samples/README.md):
    the WeChat chat (3 messages 昨天 22:08 = 3/11, 2 at 22:30 on 3/12), the call log (3/12:
    12:31 未接, 18:20 呼入, 22:41 未接, 23:05 ×3 已拒接, 23:38 未接; 3/13: 07:12 ×2, 07:45 未接),
    the 3/10 19:42 call note, the 3/14 22:15 recording and its note (one call)."""
    r = ek("--case", demo["case"], "analyze", "--json", "--today", "2025-04-20")
    assert r.returncode == 0, r.stderr
    conduct = json.loads(r.stdout)["conduct"]
    days = {d["date"]: d for d in conduct["days"]}
    expected = {
        # date: (calls, unanswered calls, messages from them, night contacts 22:00–08:00)
        "2025-03-10": (1, 0, 0, 0),
        "2025-03-11": (0, 0, 3, 3),
        "2025-03-12": (7, 6, 2, 5),
        "2025-03-13": (3, 3, 0, 2),
        "2025-03-14": (1, 0, 0, 1),
    }
    for day, (calls, unanswered, messages, night) in expected.items():
        d = days[day]
        assert (d["calls"], d["unanswered_calls"], d["messages"], d["night_contacts"]) == (
            calls, unanswered, messages, night), day
    flags = {f["code"]: f for f in conduct["flags"]}
    assert {"night_contact", "threat", "impersonation"} <= set(flags)
    assert flags["night_contact"]["count"] == 11


def test_the_repayment_proposal_shows_the_plan(demo: dict, tmp_path: Path) -> None:  # type: ignore[type-arg]
    pdf = tmp_path / "协商.pdf"
    r = ek("--case", demo["case"], "bundle", "--for", "negotiation", "-o", str(pdf))
    assert r.returncode == 0, r.stderr
    plan = json.loads(ek("--case", demo["case"], "plan", "--json").stdout)["proposal"]
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "协商还款申请书" in text and "拟还款计划" in text
    assert plan["per_instalment"] in text and plan["outstanding"] in text
    assert "罚息" in text and "不构成法律意见" in text
    assert "\u2212" not in text  # no character the font cannot draw


def test_running_the_demo_again_gives_the_same_package(demo: dict) -> None:  # type: ignore[type-arg]
    """Issue 11: the package goes to the output folder, which ingest never reads, so re-runs
    neither ingest it as a "bill" nor grow it."""
    from evidence_kit.case import OUTPUT_DIR

    case = Path(demo["case"])
    for _ in range(2):
        again = json.loads(ek("demo", str(case), "--json").stdout)
        assert {f["status"] for f in again["files"]} == {"unchanged"}
        assert again["bundle_pages"] == demo["bundle_pages"]
    assert Path(demo["bundle"]).parent == case / OUTPUT_DIR
    assert [p.name for p in (case / OUTPUT_DIR).iterdir()] == [Path(demo["bundle"]).name]
    assert not list(case.glob("*.pdf.*")) and not [
        p for p in case.glob("*.pdf") if "投诉" in p.name
    ]


def test_a_package_copied_into_the_case_is_not_evidence(demo: dict, tmp_path: Path) -> None:  # type: ignore[type-arg]
    import shutil

    case = Path(demo["case"])
    copy = case / "sub" / "package-copy.pdf"
    copy.parent.mkdir(exist_ok=True)
    shutil.copyfile(demo["bundle"], copy)
    try:
        r = ek("--case", str(case), "ingest", "--no-ocr", "--json")
        lines = {json.loads(x)["path"]: json.loads(x) for x in r.stdout.splitlines()}
        assert lines["sub/package-copy.pdf"]["status"] == "failed"
        assert "package made by evidence-kit" in lines["sub/package-copy.pdf"]["error"]
    finally:
        copy.unlink()
