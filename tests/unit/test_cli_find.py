"""search, show, timeline, export, note, watch through the real CLI entry point."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from evidence_kit.cli import cli
from evidence_kit.cli.context import Env, run_main

from .search_fixtures import sample_ledger

NOW = datetime(2025, 6, 1, 4, 0, tzinfo=timezone.utc)


def run(case: Path, *argv: str, stdin: str | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    env = Env(stdout=out, stderr=err, clock=lambda: NOW, environ={"EVIDENCE_KIT_LANG": "en"}, cwd=case)
    if stdin is not None:
        import sys

        old = sys.stdin
        sys.stdin = io.StringIO(stdin)
        try:
            rc = run_main(cli, ["--case", str(case), *argv], env=env)
        finally:
            sys.stdin = old
    else:
        rc = run_main(cli, ["--case", str(case), *argv], env=env)
    return rc, out.getvalue(), err.getvalue()


@pytest.fixture
def case(tmp_path):  # type: ignore[no-untyped-def]
    ledger, ids = sample_ledger(tmp_path)
    ledger.close()
    return tmp_path, ids


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["search", "--min", "abc"], "cannot read the amount 'abc'"),
        (["search", "--max", "3千元x"], "cannot read the amount"),
        (["search", "--from", "2025-13-45"], "'2025-13-45' is not a real date"),
        (["search", "--to", "next week"], "cannot read the date"),
        (["search", "--from", "2025-05", "--to", "2025-04"], "is after"),
        (["search", "--min", "5000", "--max", "100"], "is more than"),
        (["search", "--kind", "photo"], "Invalid value for '--kind'"),
        (["timeline", "--from", "2025-02-30"], "not a real date"),
        (["show", "zz"], "too short"),
        (["show", "ffffffff"], "no entry with id"),
        (["note", "x", "--at", "yesterday-ish"], "cannot read the date"),
        (["note", "   "], "the note is empty"),
        (["export", "--csv", "--json"], "not both"),
    ],
)
def test_bad_input_is_a_plain_message(case, argv, message) -> None:  # type: ignore[no-untyped-def]
    rc, out, err = run(case[0], *argv)
    assert rc in (1, 2), (rc, err)
    assert message in err
    assert "Traceback" not in err + out


@pytest.mark.parametrize(
    "words", ['"', '"逾期', "*", "a*b", "()", "(括号)", "NEAR(逾期 罚息)", "AND", "^", "-", "'"]
)
def test_fts_syntax_in_words_never_breaks(case, words) -> None:  # type: ignore[no-untyped-def]
    rc, out, err = run(case[0], "search", "--json", words)
    assert rc == 0, err
    assert isinstance(json.loads(out)["results"], list)


def test_empty_case_and_no_case(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from evidence_kit.case import init_case

    init_case(tmp_path / "empty")
    rc, out, err = run(tmp_path / "empty", "search", "逾期")
    assert rc == 0 and "no entries yet" in err
    rc, out, err = run(tmp_path / "empty", "search", "--json")
    data = json.loads(out)
    assert data["results"] == [] and data["total"] == 0  # paging keys are additions
    rc, out, err = run(tmp_path / "nowhere", "search")
    assert rc == 1 and "Traceback" not in err and err.startswith("error:")


def test_search_text_and_json(case) -> None:  # type: ignore[no-untyped-def]
    root, ids = case
    rc, out, err = run(root, "search", "罚息", "--from", "2025-03", "--min", "3千")
    assert rc == 0, err
    assert out.splitlines()[0].startswith(f"{ids['chat']}  2025-03-05 10:15  chat")
    assert "them 10:12: 您的逾期金额为¥3,000.00，其中«罚息»¥128.50" in out
    assert out.rstrip().endswith("1 entry")
    rc, out, _ = run(root, "search", "--json", "--min", "0.3万", "--max", "3000")
    results = json.loads(out)["results"]
    assert [r["id"] for r in results] == [ids["chat"], ids["april"]]
    assert results[1]["matched_amounts"] == ["3000"]
    rc, out, _ = run(root, "--json", "search")  # no filters: everything
    assert len(json.loads(out)["results"]) == 5
    rc, out, _ = run(root, "search", "--side", "me", "--json")
    assert [r["id"] for r in json.loads(out)["results"]] == [ids["chat"]]


def test_show(case) -> None:  # type: ignore[no-untyped-def]
    root, ids = case
    rc, out, err = run(root, "show", ids["chat"][:6], "--json")
    assert rc == 0, err
    data = json.loads(out)
    for key in (
        "id",
        "kind",
        "sha256",
        "original_name",
        "occurred_at",
        "occurred_at_source",
        "ingested_at",
        "text",
        "amounts",
        "dates",
        "messages",
    ):
        assert key in data
    assert data["messages"][0] == {
        "side": "them",
        "time": "2025-03-05T10:12:00",
        "text": "您的逾期金额为¥3,000.00，其中罚息¥128.50",
    }
    rc, out, _ = run(root, "show", ids["note"])
    assert "channel    phone" in out and "¥3256.00" in out and "sha256" in out


def test_export_csv_has_bom_and_reads_back(case, tmp_path) -> None:  # type: ignore[no-untyped-def]
    root, ids = case
    target = tmp_path / "ledger.csv"
    rc, _, err = run(root, "export", "--csv", "-o", str(target))
    assert rc == 0 and "wrote 5 entries" in err
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["id"] for r in rows][:2] == [ids["bill"], ids["chat"]]
    chat = rows[1]
    assert chat["amounts"] == "逾期金额:3000.00; 罚息:128.50; 500"
    assert "申请分期还款" in chat["text"]
    rc, out, _ = run(root, "export", "--json")
    doc = json.loads(out)
    assert len(doc["entries"]) == 5 and doc["ledger_head"]["seq"] == 10


def test_timeline_json_and_text(case) -> None:  # type: ignore[no-untyped-def]
    root, _ids = case
    rc, out, err = run(root, "timeline", "--json")
    assert rc == 0, err
    data = json.loads(out)
    assert data["items"][1]["what"] == "message" and data["items"][1]["side"] == "them"
    assert any(d["day"] == "2025-03-05" and d["messages_them"] == 2 for d in data["days"])
    rc, out, _ = run(root, "timeline", "--from", "2025-03-05", "--to", "2025-03-05")
    assert "== 2025-03-05" in out and "== 2025-03-01" not in out
    assert "2025-03-05  2 messages from them, 1 from me  at 10:12, 10:12" in out


def test_note_from_args_and_stdin(case) -> None:  # type: ignore[no-untyped-def]
    root, _ = case
    rc, out, err = run(
        root,
        "note",
        "对方称再不还款就上门",
        "--at",
        "2025-03-12 21:40",
        "--counterpart",
        "王某",
        "--staff-id",
        "C0042",
        "--third-party",
        "--json",
    )
    assert rc == 0, err
    data = json.loads(out)
    assert data["created"] and data["original_name"] == "note-2025-03-12-2140.txt"
    rc, out, _ = run(root, "show", data["id"], "--json")
    shown = json.loads(out)
    assert shown["meta"]["staff_id"] == "C0042" and shown["meta"]["third_party"] is True
    assert "对方称再不还款就上门" in shown["text"]
    rc, out, err = run(root, "note", "-", "--channel", "visit", stdin="两人上门催收\n")
    assert rc == 0 and out.startswith("recorded note"), err
    rc, out, _ = run(root, "search", "上门催收", "--json")
    assert len(json.loads(out)["results"]) == 1


def test_watch_once_without_ocr(case) -> None:  # type: ignore[no-untyped-def]
    root, _ = case
    (root / "记录.txt").write_text("通话记录：对方要求还款", "utf-8")
    rc, out, err = run(root, "watch", "--once", "--no-ocr", "--settle", "0.1")
    assert rc == 0, err
    assert "ingested" in out and "记录.txt" in out
    assert "1 ingested" in err
    rc, out, err = run(root, "watch", "--once", "--no-ocr", "--settle", "0.1")
    assert out == "" and "0 ingested" in err


def test_every_command_has_help(capsys) -> None:  # type: ignore[no-untyped-def]
    for name in ("search", "show", "timeline", "export", "note", "watch"):
        rc = run_main(cli, [name, "--help"], env=Env(stdout=io.StringIO(), stderr=io.StringIO()))
        assert rc == 0 and "Usage:" in capsys.readouterr().out, name


def test_search_limit_and_offset_page_the_results(case) -> None:  # type: ignore[no-untyped-def]
    rc, out, _err = run(case[0], "search", "--json")
    everything = json.loads(out)
    all_ids = [r["id"] for r in everything["results"]]
    assert everything["total"] == len(all_ids) >= 3
    assert (everything["limit"], everything["offset"]) == (None, 0)
    rc, out, _err = run(case[0], "search", "--json", "--limit", "2", "--offset", "1")
    page = json.loads(out)
    assert rc == 0 and [r["id"] for r in page["results"]] == all_ids[1:3]
    assert (page["total"], page["limit"], page["offset"]) == (len(all_ids), 2, 1)
    rc, out, _err = run(case[0], "search", "--limit", "2")
    assert rc == 0 and out.strip().endswith(f"1-2 of {len(all_ids)} entries")
    rc, _out, _err = run(case[0], "search", "--limit", "-1")
    assert rc == 2


def test_search_bare_month_day_takes_the_case_year(case) -> None:  # type: ignore[no-untyped-def]
    root, ids = case
    out, err = io.StringIO(), io.StringIO()
    later = datetime(2027, 1, 10, 4, 0, tzinfo=timezone.utc)  # today is not the case's year
    en = {"EVIDENCE_KIT_LANG": "en"}
    env = Env(stdout=out, stderr=err, clock=lambda: later, environ=en, cwd=root)
    argv = ["--case", str(root), "search", "--from", "3月5日", "--to", "3月5日"]
    assert run_main(cli, argv, env=env) == 0, err.getvalue()
    assert ids["chat"] in out.getvalue()  # dated 2025-03-05
    assert "3月5日 read as 2025-03-05 (the year of the case's evidence)" in err.getvalue()
    out2, err2 = io.StringIO(), io.StringIO()
    env2 = Env(stdout=out2, stderr=err2, clock=lambda: later, environ=en, cwd=root)
    assert run_main(cli, [*argv, "--json"], env=env2) == 0
    data = json.loads(out2.getvalue())
    assert data["dates_read"][0] == {
        "text": "3月5日",
        "date": "2025-03-05",
        "year_from": "evidence",
    }
    assert [r["id"] for r in data["results"]] == [ids["chat"]]


def test_show_keeps_the_ranges_and_durations_of_a_reading(case) -> None:  # type: ignore[no-untyped-def]
    """A span of time and a length, read from the text, come back from the ledger as such
    (neither is a date)."""
    root, _ids = case
    rc, out, err = run(
        root, "note", "对方同意2025年3月10日至3月15日之间还款，已逾期15天", "--at",
        "2025-03-09 10:00", "--json",
    )
    assert rc == 0, err
    entry_id = json.loads(out)["id"]
    rc, out, err = run(root, "show", entry_id, "--json")
    assert rc == 0, err
    data = json.loads(out)
    assert [(r["start"], r["end"]) for r in data["ranges"]] == [("2025-03-10", "2025-03-15")]
    assert [d["value"] for d in data["durations"]] == ["P15D"]
    assert not {"2025-03-10", "2025-03-15"} & {d["value"][:10] for d in data["dates"]}
