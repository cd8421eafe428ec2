"""Collection conduct: per-day counts and flags, checked by hand; contacts read from entries."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from evidence_kit.analysis.conduct import analyze_conduct, is_night
from evidence_kit.analysis.contacts import (
    Contact,
    contacts_from_entries,
    parse_call_log,
    split_sides,
)
from evidence_kit.models import Box, Entry, Kind, Message, OcrLine, Side

COLLECTOR = "138****0000"


def call(hh_mm, day="2025-03-12", answered=False, number=COLLECTOR, **kw):
    at = datetime.fromisoformat(f"{day}T{hh_mm}")
    fields = {
        "at": at,
        "channel": "call",
        "direction": "in",
        "answered": answered,
        "third_party": False,
        "counterpart": number,
        "text": "",
        "entry_id": f"E-{day}-{hh_mm}",
    }
    fields.update(kw)
    return Contact(**fields)


def hand_built():
    return [
        # 2025-03-12: seven unanswered calls from one number, two of them at night.
        *[call(t) for t in ("07:59", "08:00", "09:15", "11:00", "14:00", "18:30", "21:59")],
        # two answered calls from the hotline, one at 22:00 sharp (night)
        call("10:00", answered=True, number="95000"),
        call("22:00", answered=True, number="95000"),
        # an SMS at 23:15 (night, a message not a call)
        call("23:15", channel="sms", answered=None, text="请尽快还款"),
        # they called my mother
        call("13:00", answered=True, number="139****1111", third_party=True),
        # I called them back at 23:00 — not counted
        call("23:00", answered=True, direction="out"),
        # 2025-03-13: four conversations, one chat message with threat wording
        *[call(t, day="2025-03-13", answered=True) for t in ("09:00", "10:00", "11:00", "12:00")],
        call("12:30", day="2025-03-13", channel="chat", answered=None, text="明天派人上门"),
    ]


def test_per_day_counts_match_hand_count():
    report = analyze_conduct(hand_built())
    d12, d13 = report.days
    assert d12.date == date(2025, 3, 12)
    assert (d12.calls, d12.messages, d12.unanswered_calls) == (10, 1, 7)
    assert d12.voice_conversations == 3  # 10:00, 22:00, 13:00 (third party)
    assert d12.night_contacts == 3  # 07:59, 22:00, 23:15 — 08:00 and 21:59 are not night
    assert d12.third_party_contacts == 1
    assert (d13.calls, d13.messages, d13.voice_conversations, d13.night_contacts) == (4, 1, 4, 0)
    assert report.contacts == 16  # the outgoing call is not counted


def flags(report):
    return {f.code: f for f in report.flags}


def test_flags_with_rules_dates_and_exhibits():
    report = analyze_conduct(hand_built())
    f = flags(report)
    assert set(f) == {
        "night_contact",
        "unanswered_calls",
        "voice_conversations",
        "third_party_contact",
        "threat",
    }
    assert f["night_contact"].count == 3 and f["night_contact"].dates == (date(2025, 3, 12),)
    assert "E-2025-03-12-23:15" in f["night_contact"].entry_ids
    assert "E-2025-03-12-23:00" not in f["night_contact"].entry_ids
    assert f["unanswered_calls"].count == 7
    assert f["unanswered_calls"].examples == (f"{COLLECTOR}：7次",)
    assert "[G]" in f["unanswered_calls"].rule and "催收工作指引" in f["unanswered_calls"].rule
    assert f["voice_conversations"].dates == (date(2025, 3, 13),)
    assert "GB/T 45251—2025" in f["voice_conversations"].rule
    assert "[S]" in f["voice_conversations"].rule
    assert f["threat"].examples == ("派人上门",)
    js = f["third_party_contact"].to_json()
    assert js["count"] == 1 and js["rules"][0]["status"] == "[G]"


def test_six_unanswered_calls_are_not_flagged_nor_seven_spread_over_numbers():
    six = [call(f"1{i}:00") for i in range(6)]
    spread = [call(f"1{i}:00", number=f"1380000000{i % 2}") for i in range(7)]
    assert "unanswered_calls" not in flags(analyze_conduct(six))
    assert "unanswered_calls" not in flags(analyze_conduct(spread))


@pytest.mark.parametrize(
    ("hh_mm", "night"),
    [("21:59", False), ("22:00", True), ("23:59", True), ("00:00", True), ("07:59", True),
     ("08:00", False)],
)  # fmt: skip
def test_night_boundaries(hh_mm, night):
    assert is_night(datetime.fromisoformat(f"2025-03-12T{hh_mm}")) is night


def test_date_only_contacts_are_not_night():
    c = call("00:00", time_known=False)
    report = analyze_conduct([c])
    assert report.days[0].night_contacts == 0
    assert any("只知道日期" in n for n in report.notes)


# ---------------------------------------------------------------- from entries


def entry(id_, kind, occurred_at, **kw):
    return Entry(
        id=id_,
        sha256="0" * 64,
        kind=kind,
        original_name=f"{id_}.bin",
        original_path=f"{id_}.bin",
        size=1,
        mime="application/octet-stream",
        occurred_at=occurred_at,
        occurred_at_source="content",
        ingested_at="2025-04-01T10:00:00+08:00",
        **kw,
    )


def line(text, x, y):
    return OcrLine(text, Box(x, y, x + 100, y + 30), 0.99)


def test_contacts_from_notes_chats_recordings_and_call_logs():
    note = entry(
        "N1",
        Kind.NOTE,
        "2025-03-12T22:30:00+08:00",
        text="对方自称法务部，说明天派人上门。我说我会去法院起诉你们。",
        meta={"channel": "phone", "counterpart": COLLECTOR, "answered": True},
    )
    multi = entry(
        "N2",
        Kind.NOTE,
        "2025-03-12",
        text="他们打给了我妈妈",
        meta={
            "channel": "phone",
            "third_party": True,
            "calls": [
                {"at": "2025-03-12T09:00:00", "answered": True, "counterpart": "139****1111"},
                {"at": "2025-03-12T09:30:00", "answered": False},
            ],
        },
    )
    chat = entry(
        "C1",
        Kind.CHAT,
        "2025-03-13T12:00:00+08:00",
        messages=(
            Message(Side.THEM, "你好，账单已逾期", "2025-03-13T07:45:00"),
            Message(Side.THEM, "不还就爆你通讯录"),  # no time shown: takes 07:45
            Message(Side.ME, "我会去法院起诉你们", "2025-03-13T08:10:00"),
        ),
    )
    recording = entry(
        "R1", Kind.RECORDING, "2025-03-14T10:00:40+08:00", meta={"counterpart": COLLECTOR}
    )
    call_log = entry(
        "S1",
        Kind.CHAT,
        "2025-03-14T20:00:00+08:00",
        lines=(
            line("3月13日", 0, 0),
            line(COLLECTOR, 0, 50),
            line("未接 22:15", 300, 52),
            line("呼入 23:30", 0, 100),
            line("今天", 0, 150),
            line("138****0000 通话 2分3秒 10:00", 0, 200),
            line("95000 呼出 11:00", 0, 250),
        ),
    )
    excluded = entry("X1", Kind.NOTE, "2025-03-12T23:00:00", text="x", excluded=True)

    contacts = contacts_from_entries([call_log, recording, chat, multi, note, excluded])
    assert [c.entry_id for c in contacts].count("N2") == 2
    assert all(c.third_party for c in contacts if c.entry_id == "N2")
    chat_contacts = [c for c in contacts if c.entry_id == "C1"]
    assert [c.at.strftime("%H:%M") for c in chat_contacts] == ["07:45", "07:45"]
    logs = [(c.at.isoformat(), c.answered, c.direction) for c in contacts if c.entry_id == "S1"]
    assert logs == [
        ("2025-03-13T22:15:00", False, "in"),
        ("2025-03-13T23:30:00", True, "in"),  # 呼入 is a connected incoming call
        ("2025-03-14T10:00:00", True, "in"),
        ("2025-03-14T11:00:00", None, "out"),
    ]

    report = analyze_conduct(contacts)
    f = flags(report)
    # note N1 (22:30), chat 07:45 ×2, call log 22:15 and 23:30
    assert f["night_contact"].count == 5
    assert set(f["night_contact"].entry_ids) == {"N1", "C1", "S1"}
    assert f["impersonation"].entry_ids == ("N1",) and f["threat"].entry_ids == ("N1",)
    assert f["disclosure"].entry_ids == ("C1",)
    assert "fake_legal" not in f  # "我会去法院起诉你们" was the user's sentence
    d14 = next(d for d in report.days if d.date == date(2025, 3, 14))
    assert d14.calls == 1 and d14.voice_conversations == 1  # recording = call-log row


def test_split_sides_of_a_note():
    assert split_sides("对方说要上门。我说我会起诉。我们约定下周再谈") == (
        (Side.THEM, "对方说要上门"),
        (Side.ME, "我说我会起诉"),
        (Side.THEM, "我们约定下周再谈"),
    )


def test_call_log_rows_need_a_marker_unless_tagged():
    rows = ["138****0000 22:15", "2025-03-01 说明文字 10:00"]
    assert parse_call_log(rows, date(2025, 3, 14)) == []
    tagged = parse_call_log(rows, date(2025, 3, 14), markers_required=False)
    assert [(c.at.isoformat(), c.counterpart) for c in tagged] == [
        ("2025-03-14T22:15:00", COLLECTOR)
    ]


def test_call_log_weekday_and_yesterday_resolve_against_the_screenshot_date():
    reference = date(2025, 3, 14)  # a Friday
    rows = ["13800000000 未接 昨天 21:00", "13800000000 未接 星期一 08:30"]
    assert [c.at.date() for c in parse_call_log(rows, reference)] == [
        date(2025, 3, 13),
        date(2025, 3, 10),
    ]


@pytest.mark.parametrize(
    ("stored", "local"),
    [
        ("2025-03-12T14:30:00Z", "2025-03-12T22:30:00"),  # UTC → Beijing: night
        ("2025-03-12T22:30:00+08:00", "2025-03-12T22:30:00"),
        ("2025-03-12T22:30:00", "2025-03-12T22:30:00"),  # naive: taken as local
    ],
)
def test_stored_times_are_read_as_beijing_time(stored, local):
    [c] = contacts_from_entries([entry("N", Kind.NOTE, stored, text="催款")])
    assert c.at.isoformat() == local and is_night(c.at)


def dialer_lines():
    """OCR lines of a dialer screenshot as RapidOCR returns them for samples/mmexport…jpg:
    number, time (right, row centre) and detail on separate lines, under date headings."""
    rows = [
        ("3月13日星期四", None, None),
        ("17000000001", "07:45", "上海未接疑似催收"),
        ("021-60000000 (2)", "07:12", "上海未接疑似催收"),
        ("3月12日星期三", None, None),
        ("16500000002", "23:38", "江苏南京未接骚扰电话"),
        ("021-60000000 (3)", "23:05", "上海已拒接疑似催收"),
        ("17000000001", "22:41", "上海未接疑似催收"),
        ("13800000001", "18:20", "北京呼入"),
        ("021-60000000", "12:31", "上海未接疑似催收"),
    ]
    out = [line("通话记录", 48, 100), line("全部", 48, 200), line("未接来电", 248, 200)]
    y = 300
    for number, clock, detail in rows:
        if clock is None:
            out.append(line(number, 48, y))
            y += 90
            continue
        out += [line(number, 128, y + 40), line(clock, 900, y + 80), line(detail, 128, y + 115)]
        y += 190
    return tuple(out)


def test_dialer_screenshot_rows_with_headings_and_grouped_calls():
    shot = entry(
        "M1",
        Kind.CHAT,
        "2025-03-13T16:00:00+08:00",
        lines=dialer_lines(),
        text="通话记录",
        # the chat layout also made (meaningless) bubbles of it: the call log must win
        messages=(Message(Side.THEM, "全部"), Message(Side.ME, "07:45")),
    )
    contacts = contacts_from_entries([shot])
    timed = [(c.at.strftime("%m-%d %H:%M"), c.counterpart, c.answered) for c in contacts
             if c.time_known]  # fmt: skip
    assert timed == [
        ("03-12 12:31", "021-60000000", False),
        ("03-12 18:20", "13800000001", True),
        ("03-12 22:41", "17000000001", False),
        ("03-12 23:05", "021-60000000", False),
        ("03-12 23:38", "16500000002", False),
        ("03-13 07:12", "021-60000000", False),
        ("03-13 07:45", "17000000001", False),
    ]
    assert len(contacts) == 10  # (3) and (2): three more calls whose times are not shown
    d12, d13 = analyze_conduct(contacts).days
    assert (d12.calls, d12.unanswered_calls, d12.night_contacts) == (7, 6, 3)
    assert (d13.calls, d13.unanswered_calls, d13.night_contacts) == (3, 3, 2)


def test_plain_text_call_note_facts():
    text = (
        "通话记录\n时间：2025年3月14日 22:15 至 22:21（夜间）\n渠道：电话（对方来电）\n"
        "来电号码：021-60000000\n对方：自称乐享分期法务部，工号 C1024\n内容：\n"
        "1. 对方说“再不还款，我们就联系你的家人和单位”，还说明天“上门”。\n"
        "2. 我告诉对方不要在夜间打电话、不要联系家人和单位。\n"
    )
    note = entry("T1", Kind.NOTE, "2025-03-14T22:15:00+08:00", text=text, meta={"encoding": "gbk"})
    rec_wav = entry("R1", Kind.RECORDING, "2025-03-14T22:15:00+08:00")
    rec_m4a = entry("R2", Kind.RECORDING, "2025-03-14T22:15:00+08:00")
    contacts = contacts_from_entries([note, rec_wav, rec_m4a])
    [c] = [c for c in contacts if c.entry_id == "T1"]
    assert (c.counterpart, c.answered, c.direction, c.channel) == (
        "021-60000000",
        True,
        "in",
        "call",
    )
    report = analyze_conduct(contacts)
    assert report.days[0].calls == 1  # the note and both copies of the recording: one call
    f = flags(report)
    assert {"night_contact", "impersonation", "threat", "third_party_threat"} <= set(f)
    assert f["threat"].examples == ("明天“上门",)
    assert set(f["night_contact"].entry_ids) == {"T1", "R1", "R2"}  # every exhibit of the call


def test_a_bubble_on_two_overlapping_screenshots_counts_once():
    from evidence_kit.analysis.conduct import merge_duplicates
    from evidence_kit.analysis.contacts import Contact

    one = Contact(datetime(2025, 3, 12, 22, 30), "chat", "in", None, False, None,
                  "再不还就联系你的家人", "aaaa00000001")
    two = Contact(datetime(2025, 3, 12, 22, 30), "chat", "in", None, False, None,
                  "再不还就联系你的家人", "bbbb00000002")
    other = Contact(datetime(2025, 3, 12, 22, 30), "chat", "in", None, False, None,
                    "今晚12点前还钱", "bbbb00000002")
    merged = merge_duplicates([one, two, other])
    assert len(merged) == 2
    assert merged[0].entry_ids == ("aaaa00000001", "bbbb00000002")
