"""The second look at a photographed screen: faint centred rows no found line covers (real
renders from samples/render.py, the stamp washed out as glare and a photo leave it)."""

from __future__ import annotations

from typing import Any

import numpy as np
from PIL import Image

from evidence_kit.models import Box
from evidence_kit.ocr.faint import faint_rows
from samples import render

CHAT = [
    {"type": "time", "text": "昨天 14:31"},
    {"side": "them", "text": "请于2025-03-25前还款38946.35元，否则将影响您的个人征信。"},
    {"side": "me", "text": "我在2025-02-01已经还了2,626.09元，为什么还显示逾期？"},
    {"type": "time", "text": "3月10日 下午4:06"},
    {"side": "them", "text": "如果今天还不处理，我们将联系您的紧急联系人。"},
    {"side": "me", "text": "收到，谢谢"},
]


def washed(strength: float) -> tuple[Any, list[Box], list[Box]]:
    """The render's grey levels with its stamp rows faded to ``strength`` of their contrast
    and sensor noise over all; the boxes the detector found (all but the stamps), and the
    stamps'."""
    img, labels = render.render_chat(CHAT, width=720)
    grey = np.asarray(img.convert("L")).astype(np.float32)
    stamps = [Box(*lb["box"]) for lb in labels if lb["role"] == "time"]
    for b in stamps:
        y0, y1, x0, x1 = int(b.y0) - 4, int(b.y1) + 4, int(b.x0) - 4, int(b.x1) + 4
        patch = grey[y0:y1, x0:x1]
        bg = float(np.median(patch))
        grey[y0:y1, x0:x1] = bg + (patch - bg) * strength
    grey += np.random.default_rng(5).normal(0, 2.5, grey.shape)
    found = [Box(*lb["box"]) for lb in labels if lb["role"] != "time"]
    return np.clip(grey, 0, 255).astype(np.uint8), found, stamps


def _hits(rows: list[Box], stamps: list[Box]) -> list[bool]:
    return [any(r.x0 < s.cx < r.x1 and r.y0 < s.cy < r.y1 for r in rows) for s in stamps]


def test_faint_stamp_rows_between_the_lines_found_are_found() -> None:
    grey, found, stamps = washed(0.25)
    h, w = grey.shape
    rows = faint_rows(grey, found, Box(0, 0, w, h))
    assert _hits(rows, stamps) == [True, True]
    assert len(rows) == 2  # no bubble, no text found, is taken for a row


def test_rows_already_read_are_not_looked_at_again() -> None:
    grey, found, stamps = washed(1.0)
    h, w = grey.shape
    assert faint_rows(grey, [*found, *stamps], Box(0, 0, w, h)) == []


def test_text_off_the_middle_is_no_stamp_row() -> None:
    """A bubble's washed-out end (``，谢谢`` after ``收到``) lies at one side: not re-read."""
    img, labels = render.render_chat(CHAT, width=720)
    grey = np.asarray(img.convert("L"))
    h, w = grey.shape
    found = [Box(*lb["box"]) for lb in labels if lb["role"] != "time" and "谢谢" not in lb["text"]]
    rows = faint_rows(grey, found + [Box(*lb["box"]) for lb in labels if lb["role"] == "time"],
                      Box(0, 0, w, h))
    assert rows == []
    assert Image.fromarray(grey).size == (w, h)


def test_the_ink_measured_near_the_rows_looked_at_is_the_whole_images() -> None:
    """The ink is computed only around the pixels looked at: there it must be the value the
    filters give over the whole image (a halo too small would cut the median's window)."""
    import cv2

    from evidence_kit.ocr.faint import _ink

    grey, _found, _stamps = washed(0.25)
    h, w = grey.shape
    text_h = 30.0
    k = int(1.5 * text_h) | 1
    whole = np.abs(grey.astype(np.float32) - cv2.medianBlur(grey, k).astype(np.float32))
    whole = cv2.blur(whole, (int(text_h), int(0.3 * text_h)))
    rng = np.random.default_rng(11)
    for _ in range(12):  # edges through text and bubbles; some at the image's own borders
        y0, x0 = int(rng.integers(0, h - 40)), int(rng.integers(0, w - 40))
        wanted = np.zeros((h, w), bool)
        wanted[y0 : y0 + int(rng.integers(20, 200)), x0 : x0 + int(rng.integers(20, 300))] = True
        got = _ink(grey, wanted, text_h)
        assert np.array_equal(got[wanted], whole[wanted])
