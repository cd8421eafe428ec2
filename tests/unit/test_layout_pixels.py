"""What the pixels say about a line: watermarks (layout/pixels.py)."""

from __future__ import annotations

from PIL import Image, ImageDraw

from evidence_kit.layout.pixels import watermarks
from evidence_kit.models import Box, OcrLine


def ln(text: str, x0: float, y0: float, x1: float, h: float = 30) -> OcrLine:
    return OcrLine(text, Box(x0, y0, x1, y0 + h), 0.95)


def page(fill: str, texts: list[str]) -> tuple[Image.Image, list[OcrLine]]:
    # Grey paper under a shadow: every line is low in contrast.
    im = Image.new("RGB", (900, 700), "#9a9890")
    d = ImageDraw.Draw(im)
    lines = []
    for k, t in enumerate(texts):
        d.text((105, 108 + 80 * k), t, fill=fill)
        lines.append(ln(t, 100, 100 + 80 * k, 260))
    return im, lines


def test_a_photographed_page_of_faint_lines_that_never_repeat_is_no_watermark() -> None:
    im, lines = page("#85837c", ["Notice 2025", "Total 15765", "Fee 1446.53", "Due 2108.94"])
    assert watermarks(im, lines) == set()


def test_faint_lines_that_repeat_are_a_watermark() -> None:
    im, lines = page("#85837c", ["Zhang 6128", "Zhang 6128", "Zhang 6128", "6128"])
    assert watermarks(im, lines) == {0, 1, 2, 3}
