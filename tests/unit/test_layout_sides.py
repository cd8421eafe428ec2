"""Sides and times per message on real renders (samples/render.py), read with their pixels:
the OCR lines are the render's own labels, so what is tested is the layout, not the engine."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageOps

from evidence_kit.extract import extract
from evidence_kit.layout import read_layout
from evidence_kit.layout.reading import LayoutReading, extraction_text
from evidence_kit.models import Box, OcrLine
from samples import render

REF = datetime(2025, 3, 20, 22, 30)


def _lines(labels: list[dict[str, Any]], dx: int = 0) -> list[OcrLine]:
    return [
        OcrLine(lb["text"], Box(lb["box"][0] + dx, lb["box"][1], lb["box"][2] + dx, lb["box"][3]),
                0.99)
        for lb in labels
    ]


def _read(lines: list[OcrLine], image: Image.Image) -> LayoutReading:
    lines = sorted(lines, key=lambda ln: (ln.box.y0, ln.box.x0))
    ex = extract(extraction_text(lines), reference=REF)
    return read_layout(
        lines, image.width, image.height, extraction=ex, reference=REF, pixels=lambda: image
    )


def _got(reading: LayoutReading) -> list[tuple[str, str, str | None]]:
    return [(m.side.value, m.text[:4], m.time) for m in reading.messages]


ONE_SIDED = [
    {"type": "time", "text": "3月14日 下午8:29"},
    {"side": "me", "text": "请不要再给我的家人和同事打电话。我已经在想办法了"},
    {"side": "me", "text": "我在2025年3月12日已经还了939元，为什么还显示逾期？"},
    {"side": "me", "text": "收到，谢谢"},
]


def test_bubbles_that_all_end_at_the_right_column_are_ones_own_in_dark_mode_too() -> None:
    """The widest bubble's start is no left column: every bubble ends at the right one."""
    at = "2025-03-14T20:29:00"
    want = [("system", "3月14", at), ("me", "请不要再", at), ("me", "我在20", at),
            ("me", "收到，谢", at)]
    img, labels = render.render_chat(ONE_SIDED, width=1080)
    assert _got(_read(_lines(labels), img)) == want
    dark = Image.eval(ImageOps.invert(img.convert("RGB")), lambda v: int(v * 0.85))
    assert _got(_read(_lines(labels), dark)) == want


def test_a_desktop_panes_bubbles_beside_avatars_read_as_glyphs_are_the_other_side() -> None:
    """A window with a contact list: the bubbles all start at one column, beside avatars OCR
    read as ``日``; the window's width says nothing of their side."""
    plan = [
        {"type": "time", "text": "2025年3月14日 16:39"},
        {"side": "them", "text": "您当前应还总额为¥16597，其中罚息2,227.28元。"},
        {"side": "them", "text": "您好，这里是乐享分期客服，您的账单已逾期3天，逾期金额7442.18元。"},
        {"side": "them", "text": "您好，这里是乐享分期客服，您的账单已逾期9天，逾期金额2,047.48元。"},
    ]
    img, labels = render.render_chat(plan, style="app", width=1000)
    bottom = max(lb["bubble"][3] for lb in labels if lb["role"] == "message") + 120
    img = img.crop((0, 0, img.width, bottom))
    canvas = Image.new("RGB", (img.width + 560, img.height), (246, 246, 246))
    canvas.paste(img, (560, 0))
    d = ImageDraw.Draw(canvas)
    font = render.load_font(None, 26)
    lines = _lines([lb for lb in labels if lb["box"][3] < bottom], dx=560)
    for i, name in enumerate(("乐享分期客服", "文件传输助手", "张三", "示例银行")):
        y = 60 + i * 110
        d.text((120, y), name, fill=(30, 30, 30), font=font)
        d.text((430, y), f"{8 + i}:1{i}", fill=(150, 150, 150), font=font)
        lines += [OcrLine(name, Box(120, y, 120 + 26 * len(name), y + 30), 0.99),
                  OcrLine(f"{8 + i}:1{i}", Box(430, y, 490, y + 30), 0.99)]
    s = 1000 / 1080  # the render's avatar: 118 px square, 32 px from the edge, at 1080
    for top in sorted({lb["bubble"][1] for lb in labels if lb["role"] == "message"}):
        a0 = 560 + round(32 * s)
        lines.append(OcrLine("日", Box(a0, top, a0 + round(118 * s), top + round(118 * s)), 0.8))
    reading = _read(lines, canvas)
    assert reading.screen == "chat_desktop"
    assert [m[:2] for m in _got(reading)] == [
        ("system", "2025"), ("them", "您当前应"), ("them", "您好，这"), ("them", "您好，这")
    ]


def test_a_bubble_washed_to_the_backgrounds_colour_stays_a_message() -> None:
    """Glare on a photo can wash a white bubble to the grey around it: its lines, flush at one
    edge off the middle, are still one message of its side, not centred notices."""
    plan = [
        {"type": "time", "text": "昨天 16:07"},
        {"side": "me", "text": "我在2025年3月9日已经还了1579.15元，为什么还显示逾期？"},
        {"side": "them", "text": "您当前应还总额为¥38,582.92，其中罚息1,356.16元，请尽快还款。"},
        {"side": "me", "text": "请不要再给我的家人和同事打电话。"},
        {"side": "them", "text": "请于本月底前还款，否则将影响您的个人征信。"},
    ]
    img, labels = render.render_chat(plan, width=1080)
    arr = np.asarray(img.convert("RGB")).copy()
    washed = next(lb["bubble"] for lb in labels if lb.get("message_index") == 2)
    x0, y0, x1, y1 = washed
    patch = arr[y0:y1, x0:x1]
    background = arr[y0 - 20, 540].copy()
    patch[(patch > 245).all(axis=2)] = background
    reading = _read(_lines(labels), Image.fromarray(arr))
    at = "2025-03-19T16:07:00"
    assert _got(reading) == [
        ("system", "昨天 1", at), ("me", "我在20", at), ("them", "您当前应", at),
        ("me", "请不要再", at), ("them", "请于本月", at)
    ]
