"""Photographed phone screens and the chrome around a chat: drawn screens (real pixels through
OpenCV), with the OCR lines where the text is drawn."""

from __future__ import annotations

from datetime import datetime

from PIL import Image, ImageDraw

from evidence_kit.extract import extract
from evidence_kit.layout import read_layout
from evidence_kit.layout.pixels import screen_region
from evidence_kit.layout.reading import LayoutReading, extraction_text
from evidence_kit.layout.roles import avatar_glyphs
from evidence_kit.models import Box, OcrLine, Side

REF = datetime(2025, 3, 20, 22, 30)
GREEN = "#95ec69"


def ln(text: str, x0: float, y0: float, x1: float, h: float = 30) -> OcrLine:
    return OcrLine(text, Box(x0, y0, x1, y0 + h), 0.98)


def read(lines: list[OcrLine], image: Image.Image) -> LayoutReading:
    image = image.copy()
    d = ImageDraw.Draw(image)
    for line in lines:
        b, m = line.box, 0.3 * line.box.height
        d.rectangle((b.x0 + m, b.y0 + m, b.x1 - m, b.y1 - m), fill="#333333")
    ex = extract(extraction_text(lines), reference=REF)
    return read_layout(
        lines, image.width, image.height, extraction=ex, reference=REF, pixels=lambda: image
    )


def phone(d: ImageDraw.ImageDraw, x: int, y: int, w: int) -> list[OcrLine]:
    """A light chat screen of width ``w`` at (x, y): status bar, title, a stamp, bubbles
    at the screen's left (the other side, white) and right (one's own, green)."""
    lines = [ln("23:00", x + 20, y + 15, x + 90, 26), ln("乐享分期客服", x + w / 2 - 90, y + 70, x + w / 2 + 90)]
    lines.append(ln("3月7日 11:04", x + w / 2 - 80, y + 150, x + w / 2 + 80, 24))
    rows = [
        ("them", "您的账单已逾期，请尽快还款", 210),
        ("me", "我目前失业，收入不稳定", 300),
        ("them", "请于本月底前还清欠款", 390),
        ("me", "收到，谢谢", 480),
    ]
    for side, text, top in rows:
        tw = 28 * len(text)
        if side == "them":
            x0 = x + 30
            d.rounded_rectangle((x0, y + top, x0 + tw + 30, y + top + 60), 8, fill="#ffffff")
        else:
            x0 = x + w - 30 - tw - 30
            d.rounded_rectangle((x0, y + top, x0 + tw + 30, y + top + 60), 8, fill=GREEN)
        lines.append(ln(text, x0 + 15, y + top + 15, x0 + 15 + tw))
    return lines


def test_a_photographed_screen_is_read_as_a_chat_inside_the_frame() -> None:
    # The lit screen sits in the middle of a dark desk: the other side's bubbles start well
    # right of the frame's left edge, so the frame's columns are not the chat's.
    im = Image.new("RGB", (1400, 1800), "#1e1e22")
    d = ImageDraw.Draw(im)
    d.rectangle((380, 200, 1020, 1600), fill="#ededed")
    lines = phone(d, 380, 200, 640)
    assert screen_region(im) is not None
    r = read(lines, im)
    assert r.screen == "chat_mobile"
    talk = [(m.side, m.text[:4]) for m in r.messages if m.side is not Side.SYSTEM]
    assert talk == [
        (Side.THEM, "您的账单"),
        (Side.ME, "我目前失"),
        (Side.THEM, "请于本月"),
        (Side.ME, "收到，谢"),
    ]
    assert r.roles[0] == "status_bar"  # the screen's clock, not the frame's content
    assert all(m.time == "2025-03-07T11:04:00" for m in r.messages if m.side is not Side.SYSTEM)
    # boxes stay on the original image
    assert min(m.box.x0 for m in r.messages if m.box is not None) > 380


def test_a_screenshot_is_its_own_screen() -> None:
    im = Image.new("RGB", (640, 1400), "#ededed")
    phone(ImageDraw.Draw(im), 0, 0, 640)
    assert screen_region(im) is None


def test_an_avatar_read_as_a_glyph_is_no_message() -> None:
    im = Image.new("RGB", (720, 1500), "#ededed")
    d = ImageDraw.Draw(im)
    lines = phone(d, 0, 0, 720)
    # the avatars beside one's own bubbles, read by OCR as 日 in a square twice the text's
    lines += [ln("日", 650, 295, 712, 64), ln("日", 650, 475, 712, 64)]
    assert avatar_glyphs(lines, set()) == {len(lines) - 2, len(lines) - 1}
    r = read(lines, im)
    assert "日" not in [m.text for m in r.messages]
    assert [m.side for m in r.messages if m.side is not Side.SYSTEM] == [
        Side.THEM, Side.ME, Side.THEM, Side.ME
    ]


def test_a_one_character_message_is_no_avatar() -> None:
    lines = [ln("好", 600, 300, 630), ln("收到，谢谢", 400, 400, 630), ln("我知道了", 40, 500, 300)]
    lines.append(ln("请尽快处理", 40, 600, 300))
    assert avatar_glyphs(lines, set()) == set()


def test_the_input_bars_emoji_button_is_no_sticker() -> None:
    # A dark-mode phone screen whose input bar holds no text: its icons are drawn only.
    im = Image.new("RGB", (720, 1500), "#111111")
    d = ImageDraw.Draw(im)
    lines = [ln("23:00", 20, 15, 90, 26), ln("乐享分期客服", 270, 70, 450)]
    d.rounded_rectangle((30, 210, 400, 270), 8, fill="#2c2c2c")
    lines.append(ln("您的账单已逾期，请尽快还款", 45, 225, 385))
    d.rounded_rectangle((400, 300, 690, 360), 8, fill="#3eb575")
    lines.append(ln("我目前失业，收入不稳定", 415, 315, 675))
    d.rounded_rectangle((30, 390, 330, 450), 8, fill="#2c2c2c")
    lines.append(ln("请于本月底前还清欠款", 45, 405, 315))
    d.rectangle((0, 1400, 720, 1500), fill="#1e1e1e")
    d.ellipse((560, 1420, 620, 1480), outline="#cccccc", width=4)  # the emoji button
    d.ellipse((640, 1420, 700, 1480), outline="#cccccc", width=4)  # the + button
    r = read(lines, im)
    assert [m.text for m in r.messages if m.text.startswith("[")] == []
    assert len([m for m in r.messages if m.side is not Side.SYSTEM]) == 3


def test_a_line_ocr_cut_in_two_is_joined_and_a_name_beside_a_time_is_not() -> None:
    from evidence_kit.layout.roles import join_fragments

    pieces = [ln("收到，", 623, 370, 754, 62), ln("，谢谢", 748, 369, 880, 64)]
    joined, parts = join_fragments(pieces)
    assert [x.text for x in joined] == ["收到，谢谢"]
    assert parts[id(joined[0])] == pieces
    apart = [ln("张三", 100, 100, 160), ln("10:32", 170, 100, 240)]
    assert len(join_fragments(apart)[0]) == 2
    far = [ln("交易时间", 40, 100, 160), ln("已完成", 600, 100, 690)]
    assert len(join_fragments(far)[0]) == 2


def wide_bubble_screen() -> tuple[list[OcrLine], Image.Image]:
    """A phone screen with one's own wide bubble whose two lines look centred to the text
    reader (their margins differ by less than its centring tolerance), and a grey pill."""
    im = Image.new("RGB", (1080, 2000), "#ededed")
    d = ImageDraw.Draw(im)
    lines = [ln("23:00", 40, 20, 140, 40), ln("乐享分期客服", 400, 120, 680, 50)]
    lines.append(ln("3月6日 09:33", 440, 280, 640, 36))
    d.rounded_rectangle((600, 360, 880, 440), 10, fill=GREEN)
    lines.append(ln("收到，谢谢", 625, 375, 860, 50))
    d.rounded_rectangle((180, 500, 720, 600), 10, fill="#ffffff")
    lines.append(ln("请于2月11日前还款，否则将影响征信", 200, 525, 700, 50))
    d.rounded_rectangle((270, 660, 880, 820), 10, fill=GREEN)
    lines += [ln("我目前失业，收入不稳定，能否", 291, 680, 827, 56), ln("协商分期还款？好吗", 291, 750, 725, 56)]
    d.rounded_rectangle((400, 880, 680, 930), 10, fill="#dcdcdc")
    lines.append(ln("以下为新消息", 430, 887, 650, 36))
    d.rounded_rectangle((180, 980, 620, 1060), 10, fill="#ffffff")
    lines.append(ln("请尽快处理您的账单", 200, 995, 600, 50))
    d.rounded_rectangle((560, 1120, 880, 1200), 10, fill=GREEN)
    lines.append(ln("好的我知道了", 585, 1135, 860, 50))
    return lines, im


def test_a_wide_bubble_the_text_reader_took_for_centred_is_a_message() -> None:
    # The text reader's reading of such a screen (as on a customer-service chat): the wide
    # bubble's two lines, each nearly centred, taken for two system rows.
    from evidence_kit.layout.bubbles import Pixels
    from evidence_kit.layout.chat import refine
    from evidence_kit.models import Message

    lines, im = wide_bubble_screen()
    im = im.copy()
    d = ImageDraw.Draw(im)
    for line in lines:
        b, m = line.box, 0.3 * line.box.height
        d.rectangle((b.x0 + m, b.y0 + m, b.x1 - m, b.y1 - m), fill="#333333")
    t = "2025-03-06T09:33:00"
    sides = [None, None, Side.SYSTEM, Side.ME, Side.THEM, Side.SYSTEM, Side.SYSTEM,
             Side.SYSTEM, Side.THEM, Side.ME]
    messages = [
        Message(side, line.text, t if side in (Side.ME, Side.THEM) or k == 2 else None, line.box)
        for k, (side, line) in enumerate(zip(sides, lines))
        if side is not None
    ]
    out = refine(messages, lines, Pixels(im, lines), im.width, top=180, bottom=2000)
    wide = [m for m in out if m.text.startswith("我目前失业")]
    assert len(wide) == 1
    assert wide[0].side is Side.ME and "协商分期还款" in wide[0].text
    assert wide[0].time == t  # the stamp above it times it
    pill = [m for m in out if m.text == "以下为新消息"]
    assert [m.side for m in pill] == [Side.SYSTEM]
