"""One image through one engine: tiles, offsets, overlap dedupe, reading order."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from evidence_kit.models import Box, OcrLine, OcrResult
from evidence_kit.ocr.loading import tiles
from evidence_kit.ocr.order import reading_order

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


# A fax scan has a few pages; a file claiming thousands is read up to this many.
MAX_PAGES = 200


def read_pages(engine: OcrEngine, path: Path | str) -> OcrResult | None:
    """Every page of a multi-page TIFF, like PDF pages (``page`` = index); None when the file
    is not a multi-page TIFF."""
    from PIL import Image

    from evidence_kit.ocr.loading import check_size

    with Image.open(path) as img:
        if img.format != "TIFF" or int(getattr(img, "n_frames", 1) or 1) < 2:
            return None
        lines: list[OcrLine] = []
        size: tuple[int, int] | None = None
        for index in range(min(int(img.n_frames), MAX_PAGES)):
            img.seek(index)
            check_size(f"{path} page {index + 1}", img.width, img.height)
            result = read_image(engine, img.convert("RGB"), page=index)
            lines.extend(result.lines)
            size = size or (result.width, result.height)
    width, height = size or (0, 0)
    return OcrResult(lines=tuple(lines), width=width, height=height, engine=engine.name)
