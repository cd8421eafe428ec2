"""Pure parts of the bundle: redaction, whitespace cuts, contact figures, exhibit numbering."""

from __future__ import annotations

from pathlib import Path

from evidence_kit.bundle.exhibits import exhibit_labels
from evidence_kit.bundle.images import cut_rows
from evidence_kit.bundle.redact import Redactor
from evidence_kit.bundle.summary import contacts_by_day
from evidence_kit.bundle.template import load_template
from evidence_kit.models import Box, Entry, Kind, Message, OcrLine, Side


def _entry(i: int, kind: Kind, when: str | None, **kw) -> Entry:
    return Entry(
        id=f"e{i}",
        sha256=f"{i:064x}",
        kind=kind,
        original_name=f"f{i}",
        original_path=f"f{i}",
        size=1,
        mime="image/png",
        occurred_at=when,
        occurred_at_source="filename",
        ingested_at="2025-03-22T10:00:00+08:00",
        **kw,
    )


def test_redactor_masks_ids_cards_and_third_party_phones_only() -> None:
    r = Redactor.for_case(True, ["13800000000", "400-000-0000"])
    text = (
        "身份证11010119900307002X，卡号 6222 0212 3456 7890 123，来电13912345678，本人13800000000"
    )
    masked = r.mask(text)
    assert "11010119900307002X" not in masked and masked.count("002X") == 1
    assert "6222 0212" not in masked and "**** **** **** 0123" in masked
    assert "139****5678" in masked and "13800000000" in masked
    assert Redactor(False).mask(text) == text


def test_redactor_boxes_come_from_sensitive_ocr_lines() -> None:
    lines = (
        OcrLine("您好", Box(0, 0, 10, 10), 0.9),
        OcrLine("身份证 11010119900307002X", Box(0, 20, 10, 30), 0.9),
        OcrLine("第二页 13912345678", Box(0, 0, 5, 5), 0.9, page=1),
    )
    e = _entry(1, Kind.CHAT, None, lines=lines)
    assert Redactor(True).boxes(e) == [Box(0, 20, 10, 30)]
    assert Redactor(True).boxes(e, page=1) == [Box(0, 0, 5, 5)]
    assert Redactor(False).boxes(e) == []


def test_cut_rows_prefers_whitespace_before_the_limit() -> None:
    ranges = [100] * 1000
    for y in range(880, 900):  # a whitespace band a little above the limit of 950
        ranges[y] = 0
    cuts = cut_rows(ranges, 950, 950)
    assert cuts[0][1] == 890 and cuts[-1][1] == 1000
    assert all(b - a <= 950 for a, b in cuts)


def test_cut_rows_cuts_hard_when_there_is_no_whitespace() -> None:
    cuts = cut_rows([100] * 2500, 1000, 1000)
    assert cuts == [(0, 1000), (1000, 2000), (2000, 2500)]


def test_contacts_by_day_counts_once_and_flags_the_window() -> None:
    msgs = (
        Message(Side.THEM, "还钱", "2025-03-05T22:10:00+08:00"),
        Message(Side.ME, "好", "2025-03-05T22:11:00+08:00"),
        Message(Side.THEM, "明早再打", "2025-03-06T07:30:00+08:00"),
    )
    entries = [
        _entry(1, Kind.CHAT, "2025-03-05T22:12:00+08:00", messages=msgs),
        _entry(2, Kind.CHAT, "2025-03-05T22:13:00+08:00", messages=msgs[:1]),  # overlap
        _entry(3, Kind.NOTE, "2025-03-05T10:00:00+08:00", meta={"channel": "phone"}),
        _entry(4, Kind.RECORDING, "2025-03-06T21:30:00+08:00"),
    ]
    days = contacts_by_day(entries, ["证据1", "证据2", "证据3", "证据4"])
    assert [(d.day, d.calls, d.messages, d.outside) for d in days] == [
        ("2025-03-05", 1, 1, 1),
        ("2025-03-06", 1, 1, 1),  # 21:30 is not night (22:00–08:00, as in the conduct rule)
    ]


def test_court_groups_number_exhibits_by_fact() -> None:
    tpl = load_template("court")
    entries = [
        _entry(1, Kind.CHAT, "2025-03-01"),
        _entry(2, Kind.BILL, "2025-03-02"),
        _entry(3, Kind.NOTE, "2025-03-03"),
    ]
    ordered, labels, titles = exhibit_labels(entries, tpl)
    assert [e.id for e in ordered] == ["e2", "e1", "e3"]
    assert labels == ["证据1-1", "证据2-1", "证据2-2"]
    assert titles[0].startswith("第1组") and titles[1].startswith("第2组") and titles[2] is None
    flat = exhibit_labels(entries, load_template("regulator"))[1]
    assert flat == ["证据1", "证据2", "证据3"]


def test_shipped_templates_dir_exists() -> None:
    from evidence_kit.bundle.resources import shipped_template_dir

    assert (shipped_template_dir() / "negotiation.toml").is_file()
    assert isinstance(shipped_template_dir(), Path)
