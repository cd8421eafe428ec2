from datetime import datetime

import pytest

from evidence_kit.extract.chat import parse_chat, parse_chat_time
from evidence_kit.models import Box, OcrLine, Side

REF = datetime(2025, 3, 20, 12, 0)  # a Thursday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22:30", "2025-03-20T22:30:00"),
        ("昨天 22:08", "2025-03-19T22:08:00"),
        ("前天 9:05", "2025-03-18T09:05:00"),
        ("星期三 10:00", "2025-03-19T10:00:00"),
        ("星期四 10:00", "2025-03-13T10:00:00"),  # today's weekday means a week ago
        ("周一 08:00", "2025-03-17T08:00:00"),
        ("3月5日 下午3:45", "2025-03-05T15:45:00"),
        ("12月30日 晚上11:02", "2024-12-30T23:02:00"),  # later than the reference: last year
        ("2025年3月5日 上午10:15", "2025-03-05T10:15:00"),
        ("2024年2月29日 中午12:30", "2024-02-29T12:30:00"),
        ("2025/3/5 10:15", "2025-03-05T10:15:00"),
        ("凌晨12:10", "2025-03-20T00:10:00"),
    ],
)
def test_parse_chat_time(text: str, expected: str) -> None:
    assert parse_chat_time(text, REF) == expected


@pytest.mark.parametrize("text", ["您好", "25:00", "2月30日 10:00", "逾期金额3,256.00", ""])
def test_parse_chat_time_rejects(text: str) -> None:
    assert parse_chat_time(text, REF) is None


def test_relative_times_need_a_reference_absolute_ones_do_not() -> None:
    assert parse_chat_time("昨天 22:08", None) is None
    assert parse_chat_time("2025年3月5日 10:15", None) == "2025-03-05T10:15:00"


def ln(text: str, x0: float, y0: float, x1: float, h: float = 48) -> OcrLine:
    return OcrLine(text, Box(x0, y0, x1, y0 + h), 0.99)


W, H = 1080, 2400


def wechat_lines() -> list[OcrLine]:
    """What RapidOCR reads on a 1080×2400 WeChat screenshot (coordinates from a real run)."""
    return [
        ln("22:08", 42, 19, 145, 42),
        ln("78", 927, 22, 973, 36),
        ln("乐享分期客服", 385, 125, 694, 60),
        ln("昨天 22:08", 448, 273, 633, 44),
        ln("日", 19, 326, 164, 151),  # the avatar, read as a glyph
        ln("您好，这里是乐享分期客", 199, 372, 738, 60),
        ln("服。您的账单已逾期，逾", 200, 440, 740, 59),
        ln("期金额3,256.00元，请", 198, 507, 701, 60),
        ln("理。", 190, 574, 285, 60),
        ln("我目前失业，能否协商分", 338, 802, 879, 62),
        ln("日", 913, 760, 1061, 148),
        ln("期还款？", 336, 870, 536, 64),
        ln("可以申请减免罚息", 202, 1033, 593, 57),
        ln("¥320.50", 200, 1104, 396, 48),
        ln("星期三10:00", 432, 1251, 647, 41),
        ln("好的", 766, 1346, 883, 66),
        ln("请输入您想咨询的问题", 68, 2294, 424, 43),
        ln("发送", 923, 2287, 1012, 55),
    ]


def test_wechat_messages_sides_times_and_multiline_bubbles() -> None:
    parsed = parse_chat(wechat_lines(), W, H, reference=REF)
    assert parsed.is_chat
    assert [(m.side, m.time, m.text) for m in parsed.messages] == [
        (Side.SYSTEM, "2025-03-19T22:08:00", "昨天 22:08"),  # the centred timestamp row
        (
            Side.THEM,
            "2025-03-19T22:08:00",
            "您好，这里是乐享分期客服。您的账单已逾期，逾期金额3,256.00元，请理。",
        ),
        (Side.ME, "2025-03-19T22:08:00", "我目前失业，能否协商分期还款？"),
        (Side.THEM, "2025-03-19T22:08:00", "可以申请减免罚息¥320.50"),
        (Side.SYSTEM, "2025-03-19T10:00:00", "星期三10:00"),
        (Side.ME, "2025-03-19T10:00:00", "好的"),
    ]
    assert parsed.style == "app"  # the input bar says 发送
    first = parsed.messages[1].box
    assert first is not None and (first.y0, first.y1) == (372, 634)


@pytest.mark.parametrize("width", [720, 1242, 1440])
def test_geometry_scales_with_phone_width(width: int) -> None:
    k = width / W
    lines = [
        OcrLine(
            line.text, Box(line.box.x0 * k, line.box.y0 * k, line.box.x1 * k, line.box.y1 * k), 1
        )
        for line in wechat_lines()
    ]
    parsed = parse_chat(lines, width, round(H * k), reference=REF)
    sides = [m.side for m in parsed.messages]
    assert sides == [Side.SYSTEM, Side.THEM, Side.ME, Side.THEM, Side.SYSTEM, Side.ME]


def test_short_last_line_of_a_right_bubble_stays_on_the_right() -> None:
    lines = [ln("这是一条很长很长的我发的消息内容啊", 338, 800, 879), ln("好", 338, 866, 390)]
    parsed = parse_chat([*lines, ln("对方", 200, 1000, 300)], W, H, reference=REF)
    assert [(m.side, m.text) for m in parsed.messages] == [
        (Side.ME, "这是一条很长很长的我发的消息内容啊好"),
        (Side.THEM, "对方"),
    ]


def test_english_wrapped_lines_keep_a_space() -> None:
    lines = [
        ln("please call me", 200, 800, 600),
        ln("tomorrow", 200, 866, 420),
        ln("ok", 900, 1000, 950),
    ]
    assert parse_chat(lines, W, H).messages[0].text == "please call me tomorrow"


def test_messages_without_a_stamp_or_reference_have_no_time() -> None:
    lines = [ln("昨天 22:08", 448, 400, 633), ln("在吗", 200, 500, 320), ln("在", 850, 620, 900)]
    assert [m.time for m in parse_chat(lines, W, H, reference=None).messages] == [None] * 3
    assert [m.time for m in parse_chat(lines[1:], W, H, reference=REF).messages] == [None, None]


def test_a_bill_is_not_a_chat() -> None:
    rows = [
        ("本期应还", "1,200.00"),
        ("逾期金额", "3,256.00"),
        ("罚息", "320.50"),
        ("到期日", "2025-03-21"),
    ]
    lines = []
    for i, (label, value) in enumerate(rows):
        y = 400 + i * 104
        lines += [
            ln(label, 80, y, 80 + 48 * len(label)),
            ln(value, 1000 - 26 * len(value), y, 1000),
        ]
    parsed = parse_chat(lines, W, H, reference=REF)
    assert not parsed.is_chat
    assert parsed.style == "none"


def test_empty_and_degenerate_inputs() -> None:
    assert parse_chat([], W, H).messages == ()
    assert not parse_chat([], 0, 0).is_chat
    only_chrome = [ln("22:08", 42, 19, 145), ln("发送", 923, 2300, 1012)]
    assert parse_chat(only_chrome, W, H).messages == ()
    one = parse_chat([ln("在吗", 200, 500, 320)], W, H)
    assert len(one.messages) == 1 and not one.is_chat


def test_a_short_windows_send_button_row_is_its_input_bar() -> None:
    """A window shorter than a phone ends in its input box above the band kept for chrome:
    the row of its send button (and the box's placeholder) is no message."""
    lines = [
        ln("乐享分期客服", 360, 20, 640, 50),
        ln("我目前失业，能否协商分期还款？", 420, 150, 900, 50),
        ln("如果今天还不处理，我们将联系您的紧急联系人。", 100, 260, 680, 50),
        ln("好的，我知道了", 680, 370, 900, 50),
        ln("请输入您想咨询的问题", 60, 470, 380, 40),
        ln("发送", 860, 465, 940, 50),
    ]
    parsed = parse_chat(lines, 1000, 600, reference=REF)
    assert [(m.side, m.text) for m in parsed.messages] == [
        (Side.ME, "我目前失业，能否协商分期还款？"),
        (Side.THEM, "如果今天还不处理，我们将联系您的紧急联系人。"),
        (Side.ME, "好的，我知道了"),
    ]
    assert parsed.roles[id(lines[-1])] == "input_bar"


def test_a_desktop_panes_notices_are_system_rows_though_not_centred_on_the_screenshot() -> None:
    """A desktop window's chat pane sits beside a contact list: its recall and pat notices are
    centred in the pane, not on the screenshot, and are still the app's notices. A message
    at a bubble column saying the same words is still a message."""
    lines = [
        ln("乐享分期客服", 760, 20, 940, 30),
        ln("您的账单已逾期，请尽快处理。", 380, 120, 800, 30),
        ln("我目前失业，能否协商分期还款？", 900, 200, 1350, 30),
        ln('"乐享分期客服"撤回了一条消息', 720, 280, 980, 26),
        ln("可以申请减免罚息", 380, 340, 620, 30),
        ln('我拍了拍"乐享分期客服"', 740, 420, 960, 26),
        ln("我刚才气得拍了拍桌子", 1060, 480, 1350, 30),
    ]
    parsed = parse_chat(lines, 1400, 900, reference=REF)
    assert [(m.side, m.text[:6]) for m in parsed.messages] == [
        (Side.THEM, "您的账单已逾"),
        (Side.ME, "我目前失业，"),
        (Side.SYSTEM, '"乐享分期客'),
        (Side.THEM, "可以申请减免"),
        (Side.SYSTEM, '我拍了拍"乐'),
        (Side.ME, "我刚才气得拍"),
    ]
