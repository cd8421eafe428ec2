"""One image through one engine: tiles, offsets, overlap dedupe, reading order."""

from __future__ import annotations

from typing import TYPE_CHECKING

from evidence_kit.models import Box, OcrLine, OcrResult
from evidence_kit.ocr.order import reading_order
from evidence_kit.ocr.preprocess import tiles

if TYPE_CHECKING:
    from PIL import Image

    from evidence_kit.ocr.engine import OcrEngine


def read_image(engine: OcrEngine, image: Image.Image, *, page: int = 0) -> OcrResult:
    """All text lines of ``image`` in reading order. Blank or tiny images give no lines."""
    found: list[OcrLine] = []
    for tile in tiles(image):
        for line in engine.read(tile.image):
            box = Box(line.box.x0, line.box.y0 + tile.top, line.box.x1, line.box.y1 + tile.top)
            # Each line is kept by exactly one tile: the one owning its centre.
            if tile.own_from <= box.cy < tile.own_to:
                found.append(OcrLine(line.text, box, line.confidence, page))
    return OcrResult(
        lines=tuple(reading_order(found)),
        width=image.width,
        height=image.height,
        engine=engine.name,
    )
