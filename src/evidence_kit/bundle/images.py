"""Exhibit images: scaled to the page (never blown up), tall screenshots cut at whitespace,
amounts highlighted and sensitive lines blacked out where the OCR boxes allow.

The page image is a re-encoded copy (JPEG) for size; the original rides byte-for-byte as an
attachment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evidence_kit.errors import BundleError
from evidence_kit.models import Box

MAX_DPI_PT = 72 / 150  # points per pixel at 150 dpi: the largest we ever show a pixel
PAGE_DPI = 200  # page images are stored at no more than this resolution (print-sharp text)
JPEG_QUALITY = 85
_WHITESPACE_RANGE = 12  # grey levels: a row whose darkest and lightest pixels differ less
_SEARCH_FRACTION = 0.35  # look this far back from the ideal cut for a whitespace row


@dataclass(frozen=True)
class ImageSlice:
    path: Path
    width_pt: float
    height_pt: float


def _open_rgb(path: Path, max_width: int | None = None):
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        import pillow_heif

        pillow_heif.register_heif_opener()
    except ImportError:  # HEIC just won't open; other formats still do
        pass
    try:
        img: Any = Image.open(path)
        if max_width and img.format == "JPEG" and img.width > 2 * max_width:
            # decode a camera photo at 1/2, 1/4 or 1/8 size straight from the DCT: fast
            img.draft("RGB", (max_width, round(img.height * max_width / img.width)))
        img.load()
    except (UnidentifiedImageError, OSError, ValueError) as e:
        raise BundleError(f"{path.name}: cannot be read as an image ({e})") from e
    img = ImageOps.exif_transpose(img)
    if img.mode != "RGB":
        if img.mode in ("RGBA", "LA", "P"):
            background = Image.new("RGB", img.size, (255, 255, 255))
            rgba = img.convert("RGBA")
            background.paste(rgba, mask=rgba.split()[-1])
            img = background
        else:
            img = img.convert("RGB")
    return img


def mark_boxes(img, highlight: Sequence[Box], black: Sequence[Box]):
    """Translucent yellow over amounts; opaque black (burned into the pixels) over redactions."""
    from PIL import Image, ImageDraw

    if highlight:
        overlay = Image.new("RGBA", img.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(overlay)
        for b in highlight:
            draw.rectangle((b.x0 - 4, b.y0 - 3, b.x1 + 4, b.y1 + 3), fill=(255, 221, 0, 90))
            draw.rectangle((b.x0 - 4, b.y0 - 3, b.x1 + 4, b.y1 + 3), outline=(230, 160, 0, 255))
        img = Image.alpha_composite(img.convert("RGBA"), overlay).convert("RGB")
    if black:
        draw = ImageDraw.Draw(img)
        for b in black:
            draw.rectangle((b.x0 - 3, b.y0 - 3, b.x1 + 3, b.y1 + 3), fill=(0, 0, 0))
    return img


def cut_rows(gray_rows_range: Sequence[int], first_px: int, next_px: int) -> list[tuple[int, int]]:
    """Split [0, height) into slices no taller than first_px then next_px, cutting where a row
    is near-uniform (whitespace between bubbles) when one lies close before the limit."""
    height = len(gray_rows_range)
    cuts: list[tuple[int, int]] = []
    top, limit = 0, max(1, first_px)
    while height - top > limit:
        ideal = top + limit
        floor = top + int(limit * (1 - _SEARCH_FRACTION))
        cut = ideal
        for y in range(ideal - 1, floor, -1):
            if gray_rows_range[y] < _WHITESPACE_RANGE:
                # centre of the whitespace run, so no half-line of text is left at an edge
                run_top = y
                while run_top - 1 > floor and gray_rows_range[run_top - 1] < _WHITESPACE_RANGE:
                    run_top -= 1
                cut = (run_top + y + 1) // 2 if y - run_top > 2 else y
                break
        cut = max(cut, top + 1)
        cuts.append((top, cut))
        top, limit = cut, max(1, next_px)
    cuts.append((top, height))
    return cuts


def _row_ranges(img) -> list[int]:
    import numpy as np

    gray = np.asarray(img.convert("L"), dtype=np.int16)
    return (gray.max(axis=1) - gray.min(axis=1)).tolist()


def scale_for(width_px: int, frame_width_pt: float) -> float:
    """Points per pixel: fit the frame width, but never larger than 1 px at 150 dpi."""
    return min(frame_width_pt / width_px, MAX_DPI_PT)


MIN_WIDTH_FRACTION = 0.5  # shrink a screenshot onto one page only while it stays this wide
SPLIT_WIDTH_FRACTION = 0.62  # width of a very tall capture that is cut across pages


def prepare_image(
    src: Path,
    out_stem: Path,
    *,
    frame_width_pt: float,
    first_height_pt: float,
    next_height_pt: float,
    highlight: Sequence[Box] = (),
    black: Sequence[Box] = (),
) -> list[ImageSlice]:
    """Write the page-image slices (JPEG) next to ``out_stem`` and return them in order.

    An image that fits under the exhibit header (shrunk to no less than half the frame width)
    is one slice; a longer capture is shown at a readable width and cut at whitespace rows."""
    from PIL import Image

    # OCR boxes are in the original's pixels, so marked images are decoded at full size
    hint = None if highlight or black else round(frame_width_pt / 72 * PAGE_DPI)
    img = mark_boxes(_open_rgb(src, hint), highlight, black)
    w, h = img.size
    whole = min(scale_for(w, frame_width_pt), first_height_pt / h)
    if w * whole >= MIN_WIDTH_FRACTION * frame_width_pt or h <= w:
        scale = whole
        spans = [(0, h)]
    else:
        scale = scale_for(w, frame_width_pt * SPLIT_WIDTH_FRACTION)
        spans = cut_rows(
            _row_ranges(img), int(first_height_pt / scale), int(next_height_pt / scale)
        )
    slices = []
    keep = min(1.0, PAGE_DPI / 72 * scale)  # pixels beyond 200 dpi only cost bytes
    for i, (y0, y1) in enumerate(spans):
        path = out_stem.with_name(f"{out_stem.name}-{i}.jpg")
        part = img.crop((0, y0, w, y1))
        if keep < 0.5:  # big photos; screenshots keep their pixels (resampling costs time)
            size = (max(1, round(w * keep)), max(1, round((y1 - y0) * keep)))
            part = part.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)
        part.save(path, "JPEG", quality=JPEG_QUALITY)
        slices.append(ImageSlice(path, w * scale, (y1 - y0) * scale))
    return slices


def prepare_page_raster(
    src: Path, out: Path, black: Sequence[Box], max_w_pt: float, max_h_pt: float
) -> ImageSlice:
    """A rasterised PDF page (for redaction) fitted inside the box, with black boxes burned in."""
    img = mark_boxes(_open_rgb(src), (), black)
    w, h = img.size
    scale = min(max_w_pt / w, max_h_pt / h)
    img.save(out, "JPEG", quality=JPEG_QUALITY)
    return ImageSlice(out, w * scale, h * scale)
