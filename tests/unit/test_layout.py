"""The layout stage on OCR lines: roles, screen types and extraction per role."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from evidence_kit.extract import extract
from evidence_kit.layout import read_layout
from evidence_kit.layout.reading import LayoutReading, extraction_text
from evidence_kit.layout.screen import kind_of
from evidence_kit.ledger.codec import extraction_from_json
from evidence_kit.models import Amount, Box, DateMention, Extraction, Kind, OcrLine, Side

REF = datetime(2025, 12, 9, 9, 30)
W, H = 1080, 2340


def ln(text: str, x0: float, y0: float, x1: float, h: float = 44, conf: float = 0.97) -> OcrLine:
    return OcrLine(text, Box(x0, y0, x1, y0 + h), conf)


def read(lines: list[OcrLine], width: int = W, height: int = H) -> LayoutReading:
    ex = extract(extraction_text(lines), reference=REF)
    return read_layout(lines, width, height, extraction=ex, reference=REF)


def bill_list() -> list[OcrLine]:
    return [
        ln("01:17", 40, 20, 140),  # the status bar clock
        ln("5G", 900, 20, 950),
        ln("账单", 480, 130, 600),
        ln("2025-12-07 星期日", 40, 300, 420),
        ln("超市购物", 40, 380, 300),
        ln("-15", 940, 380, 1040),
        ln("17:40:00 · 银行卡", 40, 440, 420),
        ln("工资", 40, 560, 300),
        ln("+100", 920, 560, 1040),
        ln("2025-12-06 星期六", 40, 700, 420),
        ln("还款", 40, 780, 300),
        ln("-1,100.00", 840, 780, 1040),
        ln("09:05:11 · 余额", 40, 840, 420),
        ln("尾号1234", 40, 900, 260),
    ]


def test_a_bill_list_reads_signed_amounts_and_rows_take_their_header_day() -> None:
    r = read(bill_list())
    assert r.screen == "bill_list" and kind_of(r.screen) is Kind.BILL
    assert [abs(a.value) for a in r.extraction.amounts] == [
        Decimal("15"),
        Decimal("100"),
        Decimal("1100.00"),
    ]
    dates = [d.value for d in r.extraction.dates]
    # The status bar's 01:17 is no date; the weekday confirms its date, it is not another one;
    # once a row carries the header's day, the header is no date of its own.
    assert dates == ["2025-12-07T17:40:00", "2025-12-06T09:05:11"]
    header_only = read(bill_list()[:6])  # a header whose rows have no times keeps its date
    assert [d.value for d in header_only.extraction.dates] == ["2025-12-07"]
    assert r.roles[0] == "status_bar" and r.roles[3] == "list_header" and r.roles[5] == "list_row"


def test_every_value_records_confidence_box_and_role() -> None:
    r = read(bill_list())
    a = r.extraction.amounts[0]
    assert a.confidence == 0.97 and a.role == "list_row"
    assert a.box is not None and a.box.y0 == 380 and 940 <= a.box.x0 < a.box.x1 <= 1040
    d = r.extraction.dates[0]
    assert d.role == "list_row" and d.box is not None and d.box.y0 == 440


def test_a_currency_sign_after_its_number_is_not_glued_to_the_next_line() -> None:
    lines = [ln("实付金额", 40, 300, 300), ln("0.01¥", 800, 300, 1000), ln("2020", 40, 400, 200)]
    text = extraction_text(lines)
    assert len(text) == len("\n".join(x.text for x in lines))  # offsets still hold
    values = [a.value for a in extract(text, reference=REF).amounts]
    assert Decimal("0.01") in values and Decimal("2020") not in values


def test_a_glued_date_and_time_is_read_on_its_line() -> None:
    r = read([ln("交易时间", 40, 300, 300), ln("2022/10/0922:06:08", 600, 300, 1040)])
    # One date, read once (by the grammar now, to the second; before it, by layout's reader).
    values = [d.value for d in r.extraction.dates]
    assert len(values) == 1 and values[0].startswith("2022-10-09T22:06"), values


def test_a_glued_date_with_a_one_digit_month_is_read_to_the_second() -> None:
    # The grammar reads it (layout once had a fallback of its own that dropped the seconds).
    r = read([ln("交易时间", 40, 300, 300), ln("2020/1/0922:06:08", 600, 300, 1040)])
    assert [d.value for d in r.extraction.dates] == ["2020-01-09T22:06:08"]


def test_a_bare_time_or_weekday_alone_is_no_content_date() -> None:
    r = read([ln("备注", 40, 300, 300), ln("星期三 18:44", 40, 400, 400), ln("昨天", 40, 500, 200)])
    assert r.extraction.dates == ()


def test_chat_system_rows_and_cards_are_not_bubbles() -> None:
    lines = [
        ln("22:08", 42, 19, 145),
        ln("乐享分期客服", 385, 125, 694, 60),
        ln("3月5日 下午3:45", 420, 280, 660),
        ln("您好，请问有什么可以帮您", 200, 380, 740, 56),
        ln("猜你想问", 200, 520, 400, 56),
        ln("如何申请延期还款？", 200, 590, 640, 56),
        ln("我想协商分期还款", 330, 760, 880, 56),
        ln("您已超过5分钟未回复，会话已结束", 230, 900, 850, 40),
        ln("请输入您想咨询的问题", 68, 2210, 424, 43),
    ]
    r = read(lines)
    got = [(m.side, m.text) for m in r.messages]
    assert got == [
        (Side.SYSTEM, "3月5日 下午3:45"),
        (Side.THEM, "您好，请问有什么可以帮您"),
        (Side.ME, "我想协商分期还款"),
        (Side.SYSTEM, "您已超过5分钟未回复，会话已结束"),
    ]
    assert r.roles[4] == "card" and r.roles[5] == "card"
    assert r.messages[1].time == "2025-03-05T15:45:00"


def test_source_fields_survive_the_ledger_json() -> None:
    ex = Extraction(
        amounts=(Amount(Decimal("15"), "CNY", None, "-15", 3, 6, 0.91, Box(1, 2, 3, 4), "list_row"),),
        dates=(DateMention("2025-12-07", "2025-12-07", 0, 10, False, 0.8, Box(5, 6, 7, 8), "value"),),
    )
    back = extraction_from_json(ex.to_json())
    assert back.amounts[0].role == "list_row" and back.amounts[0].box == Box(1, 2, 3, 4)
    assert back.amounts[0].confidence == 0.91
    assert back.dates[0] == ex.dates[0]
    # Older events without them still load.
    old = extraction_from_json({"amounts": [{"value": "1", "text": "1", "start": 0, "end": 1}]})
    assert old.amounts[0].confidence is None and old.amounts[0].box is None
