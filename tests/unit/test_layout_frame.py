"""A photographed chat read where the engine read it: the straightened frame, its boxes brought
back onto the original, and sides from the bubbles' fill colour where a photo's noise breaks
the fill regions up (real pixels through OpenCV)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from evidence_kit.extract import extract
from evidence_kit.intake.frame import layout_view
from evidence_kit.layout import read_layout
from evidence_kit.layout.reading import LayoutReading, extraction_text
from evidence_kit.models import Box, OcrFrame, OcrLine, OcrResult, Side
from evidence_kit.ocr.cache import result_from_json, result_to_json

REF = datetime(2025, 3, 20, 22, 30)
WASHED_GREEN = (186, 222, 176)  # WeChat's green under a lamp: pale, yet green


def ln(text: str, x0: float, y0: float, x1: float, h: float = 30) -> OcrLine:
    return OcrLine(text, Box(x0, y0, x1, y0 + h), 0.98)


def photographed_chat() -> tuple[list[OcrLine], Image.Image]:
    """A straightened photo of a chat: uneven light and sensor noise over white bubbles at the
    left and pale green ones at the right, whose right edges glare has made uneven."""
    w, h = 700, 900
    img = Image.new("RGB", (w, h), (236, 236, 236))
    d = ImageDraw.Draw(img)
    lines = [ln("23:00", 20, 10, 90, 24), ln("乐享分期客服", 260, 60, 440)]
    rows = [
        ("them", "请于本月底前还清欠款，否则", 60, 450, 150),
        ("me", "我目前失业，收入不稳定，想协商", 110, 520, 260),
        ("them", "可以为您申请减免罚息一次", 60, 455, 370),
        ("me", "收到", 410, 480, 480),
        ("them", "请尽快处理，谢谢配合", 60, 380, 590),
    ]
    for side, text, x0, x1, top in rows:
        fill = WASHED_GREEN if side == "me" else (250, 250, 250)
        d.rounded_rectangle((x0 - 15, top - 15, x1 + 15, top + 45), 8, fill=fill)
        lines.append(ln(text, x0, top, x1))
    for line in lines:  # ink where the lines are
        b, m = line.box, 0.3 * line.box.height
        d.rectangle((b.x0 + m, b.y0 + m, b.x1 - m, b.y1 - m), fill=(60, 60, 60))
    arr = np.asarray(img).astype(np.float32)
    light = np.linspace(1.0, 0.8, w)[None, :, None]
    noise = np.random.default_rng(3).normal(0, 9, arr.shape)
    return lines, Image.fromarray(np.clip(arr * light + noise, 0, 255).astype(np.uint8))


def read(lines: list[OcrLine], image: Image.Image) -> LayoutReading:
    ex = extract(extraction_text(lines), reference=REF)
    return read_layout(
        lines, image.width, image.height, extraction=ex, reference=REF, pixels=lambda: image
    )


def test_a_photos_bubbles_take_their_sides_from_the_fill_colour() -> None:
    lines, image = photographed_chat()
    sides = [(m.text[:4], m.side) for m in read(lines, image).messages if m.side is not Side.SYSTEM]
    assert sides == [
        ("请于本月", Side.THEM),
        ("我目前失", Side.ME),
        ("可以为您", Side.THEM),
        ("收到", Side.ME),
        ("请尽快处", Side.THEM),
    ]


def test_one_fill_colour_alone_moves_no_side() -> None:
    """Without a coloured fill beside a plain one the colour says nothing: the text reader's
    sides stand (a grey-on-grey theme)."""
    lines, image = photographed_chat()
    grey = Image.fromarray(np.asarray(image.convert("L"))).convert("RGB")
    plain = [m.side for m in read(lines, grey).messages if m.side is not Side.SYSTEM]
    assert plain.count(Side.ME) < 2


def _framed_result() -> OcrResult:
    """A photo the engine read straightened: cut to the screen (at 100, 50 on its input, a
    margin of desk around it) and scaled by two from the original."""
    matrix = ((2.0, 0.0, 0.0), (0.0, 2.0, 0.0), (0.0, 0.0, 1.0))
    on_input = [Box(150, 100, 350, 140), Box(400, 300, 600, 340)]
    lines = tuple(
        OcrLine(t, Box(b.x0 / 2, b.y0 / 2, b.x1 / 2, b.y1 / 2), 0.9)
        for t, b in zip(("甲乙丙", "丁戊己"), on_input, strict=True)
    )
    frame = OcrFrame(matrix, 800, 1000, tuple(on_input), outline=Box(100, 50, 700, 950))
    return OcrResult(lines, 400, 500, "rapidocr", frame=frame)


def test_the_layout_reads_a_straightened_photo_on_the_engines_input(tmp_path: Path) -> None:
    view = layout_view(_framed_result(), tmp_path / "photo.jpg")
    # The view is the outline (with a hair of margin), the boxes the engine's own on it.
    assert (view.width, view.height) == (613, 919)
    assert [ln.box.x0 for ln in view.lines] == [56, 306]
    # A box placed on the view goes back onto the original.
    back = view.back(view.lines[1].box)
    assert back is not None
    assert [round(v) for v in (back.x0, back.y0, back.x1, back.y1)] == [200, 150, 300, 170]


def test_a_result_without_a_frame_is_laid_out_on_the_original(tmp_path: Path) -> None:
    plain = OcrResult((ln("甲乙丙", 10, 10, 100),), 400, 500, "rapidocr")
    view = layout_view(plain, tmp_path / "shot.png")
    assert (view.width, view.height, view.matrix) == (400, 500, None)
    assert view.lines == plain.lines


def test_the_frame_survives_the_ocr_cache() -> None:
    result = _framed_result()
    assert result_from_json(result_to_json(result)) == result


def test_faint_lines_that_differ_are_no_watermark() -> None:
    """Glare and a dim stamp wash out lines on a photo; a watermark repeats one text."""
    from evidence_kit.layout.pixels import watermarks

    im = Image.new("RGB", (900, 700), "#f0f0f0")
    d = ImageDraw.Draw(im)
    faint = [("3/14 10:04", 400, 40), ("OK thanks", 600, 300), ("see you", 100, 500)]
    lines = []
    for text, x, y in faint:
        d.text((x + 5, y + 8), text, fill="#dcdcdc")
        lines.append(ln(text, x, y, x + 90, 30))
    assert watermarks(im, lines) == set()
    d.text((305, 608), "3/14 10:04", fill="#dcdcdc")  # one of them again: a watermark
    lines.append(ln("3/14 10:04", 300, 600, 390, 30))
    assert watermarks(im, lines) == {0, 1, 2, 3}


def test_a_stamp_whose_colon_was_lost_times_the_messages_below_it() -> None:
    lines, image = photographed_chat()
    lines.insert(4, ln("昨天1333", 300, 320, 400, 24))  # centred, between two bubbles
    got = [(m.side, m.time) for m in read(lines, image).messages]
    assert (Side.SYSTEM, "2025-03-19T13:33:00") in got
    below = got[got.index((Side.SYSTEM, "2025-03-19T13:33:00")) + 1 :]
    assert below and all(t == "2025-03-19T13:33:00" for _s, t in below)


def test_a_stamp_whose_first_character_was_misread_is_yesterdays() -> None:
    """``昨`` read faintly as another character (``鄂天12:27``): a character before 天 on a
    stamp row is 昨 (today's stamps are a bare time)."""
    lines, image = photographed_chat()
    lines.insert(2, ln("鄂天12:27", 300, 105, 400, 24))  # centred, above the first bubble
    got = read(lines, image).messages
    assert (got[0].side, got[0].text, got[0].time) == (
        Side.SYSTEM, "昨天12:27", "2025-03-19T12:27:00"
    )
    assert all(m.time == "2025-03-19T12:27:00" for m in got[1:3])


def test_a_reading_kept_only_as_a_chat_stops_where_the_text_says_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A straightened photo is laid out on the engine's input only to keep a chat's reading;
    when its text alone makes it a page, the chat reader is not run on it (the caller lays
    the page out on the original), and a chat's reading is the same either way."""
    import evidence_kit.extract.chat as chat_module

    page = [ln(f"第{i}条 借款人应于每月还款日前足额还款，逾期将产生罚息", 60, 60 + 40 * i, 640)
            for i in range(26)]
    blank = Image.new("RGB", (700, 990), "white")
    chat_lines, chat_image = photographed_chat()
    full_chat = read(chat_lines, chat_image)
    full_page = read(page, blank)
    assert full_page.screen == "document_scan" and full_chat.screen == "chat_mobile"

    calls: list[int] = []
    real = chat_module.parse_chat

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(chat_module, "parse_chat", counting)

    def read_chat_only(lines: list[OcrLine], image: Image.Image) -> LayoutReading:
        ex = extract(extraction_text(lines), reference=REF)
        return read_layout(lines, image.width, image.height, extraction=ex, reference=REF,
                           pixels=lambda: image, chat_only=True)

    assert read_chat_only(page, blank).screen == "document_scan" and calls == []
    assert read_chat_only(chat_lines, chat_image) == full_chat and calls
