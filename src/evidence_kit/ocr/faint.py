"""A second look at a photographed screen: faint centred rows the detector passed over.

On a phone screen photographed off square, a chat's timestamp rows (light grey on a light
background, washed further by glare) often stand out from the screen by a few grey levels
only, and the text detector does not find them. They are where a chat's rows are centred,
between the lines it did find. Each such row with ink is cut out, its contrast stretched, and
given to the recogniser alone; what reads as a date or a time is added as a line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from evidence_kit.models import Box, OcrLine

if TYPE_CHECKING:
    from PIL import Image

# What a re-read row must say to be kept: a time or a day (a chat's stamp, a divider).
_STAMPISH = re.compile(
    r"\d{1,2}\s*[:：]\s*\d{2}|\d{1,2}\s*月\s*\d{1,2}|昨天|前天|星期|周[一二三四五六日天]"
)
# A row is centred when its margins to the screen differ by less than this share of it.
CENTRED = 0.1
# Ink: this many times the screen's own texture (the median departure from the light).
INK_K = 2.5
MAX_ROWS = 6  # a screen holds a few stamps; more candidates mean the page is no chat
# Part of the OCR cache key of every image the second look runs on (a photo cut to its
# outline): raise it whenever what this module finds or reads changes, or a cached reading
# (and ``reanalyze``, which goes through the cache) keeps the old rows.
REREAD_VERSION = 1


def faint_rows(grey: Any, boxes: Sequence[Box], area: Box) -> list[Box]:
    """Boxes of centred rows with ink that no found line covers, inside ``area``: where the
    grey levels depart from the light around them (a median as wide as a line is tall) more
    than the screen's own texture does, averaged over a few characters' width."""
    import cv2
    import numpy as np

    h, w = grey.shape[:2]
    heights = sorted(b.height for b in boxes)
    if len(heights) < 4:
        return []
    text_h = heights[len(heights) // 2]
    x0, y0 = max(0, int(area.x0)), max(0, int(area.y0))
    x1, y1 = min(w, int(area.x1)), min(h, int(area.y1))
    if x1 - x0 < 8 * text_h or y1 - y0 < 8 * text_h:
        return []
    covered = np.ones((h, w), bool)
    covered[y0:y1, x0:x1] = False
    m = int(0.4 * text_h)
    for b in boxes:
        covered[max(0, int(b.y0) - m) : int(b.y1) + m, max(0, int(b.x0) - m) : int(b.x1) + m] = True
    # Between the title (the first line a status bar's height below the top) and the input
    # bar (the last line's top): no chrome.
    below_top = [b.y1 for b in boxes if b.cy > y0 + 2 * text_h]
    covered[: max(y0, int(min(below_top, default=y0)))] = True
    covered[int(max(b.y0 for b in boxes)) :] = True
    if not (~covered).any():
        return []
    ink = _ink(grey, ~covered, text_h)
    floor = float(np.median(ink[~covered]))
    mask = ((ink > max(3.0, INK_K * floor)) & ~covered).astype(np.uint8)
    # The characters of one row joined (the gap after a day word, a glare-dimmed digit).
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((1, max(3, int(text_h))), np.uint8))
    n, _labels, stats, _c = cv2.connectedComponentsWithStats(mask, connectivity=8)
    sw = x1 - x0
    out: list[Box] = []
    for i in range(1, n):
        x, y, bw, bh = (int(v) for v in stats[i, :4])
        if not (0.35 * text_h <= bh <= 2.0 * text_h and bw >= 1.5 * text_h):
            continue
        if bw > 0.7 * sw or abs((x - x0) - (x1 - x - bw)) > CENTRED * sw:
            continue
        # As tall as a line at least, about its middle: the recogniser reads a whole row.
        cy, half = y + bh / 2, max(bh, 0.8 * text_h) / 2
        out.append(Box(x, cy - half, x + bw, cy + half))
    out.sort(key=lambda b: b.y0)
    return out if len(out) <= MAX_ROWS else []


def _ink(grey: Any, wanted: Any, text_h: float) -> Any:
    """How far each pixel departs from the light around it (a median as wide as a line is
    tall), averaged over a few characters' width; computed only where a ``wanted`` pixel
    can see it (both filters are local, so the values there are those of the whole image at
    a fraction of the cost: the median is most of the second look's time), zero elsewhere."""
    import cv2
    import numpy as np

    h, w = grey.shape[:2]
    k = int(1.5 * text_h) | 1
    bx, by = max(3, int(text_h)), max(3, int(0.3 * text_h))
    rows, cols = np.flatnonzero(wanted.any(axis=1)), np.flatnonzero(wanted.any(axis=0))
    y0, y1 = max(0, int(rows[0]) - k // 2 - by), min(h, int(rows[-1]) + 1 + k // 2 + by)
    x0, x1 = max(0, int(cols[0]) - k // 2 - bx), min(w, int(cols[-1]) + 1 + k // 2 + bx)
    part = grey[y0:y1, x0:x1].astype(np.uint8)
    near = np.abs(part.astype(np.float32) - cv2.medianBlur(part, k).astype(np.float32))
    ink = np.zeros((h, w), np.float32)
    ink[y0:y1, x0:x1] = cv2.blur(near, (bx, by))
    return ink


def reread(
    engine: Any, image: Image.Image, lines: Sequence[OcrLine], area: Box
) -> list[OcrLine]:
    """Lines for the faint centred rows of ``image`` (the engine's input) that read as a date
    or a time. Engines without a line recogniser (``read_line``) add none."""
    import numpy as np
    from PIL import Image as PILImage

    read_line = getattr(engine, "read_line", None)
    if read_line is None:
        return []
    grey = np.asarray(image.convert("L"))
    found = []
    for box in faint_rows(grey, [ln.box for ln in lines], area):
        pad = int(0.4 * box.height)
        crop = grey[
            max(0, int(box.y0) - pad) : int(box.y1) + pad,
            max(0, int(box.x0) - pad) : int(box.x1) + pad,
        ]
        # As it is (the recogniser normalises a crop itself) and with its contrast stretched
        # (a glare-washed row): the likelier stamp of the two.
        lo, hi = np.percentile(crop, 1), np.percentile(crop, 99)
        stretched = np.clip((crop.astype(np.float32) - lo) / max(hi - lo, 1.0) * 255, 0, 255)
        reads = [
            read_line(PILImage.fromarray(c.astype(np.uint8)).convert("RGB"))
            for c in (crop, stretched)
        ]
        stamps = [r for r in reads if r is not None and _STAMPISH.search(r[0])]
        if stamps:
            text, confidence = max(stamps, key=lambda r: r[1])
            found.append(OcrLine(text, box, confidence, lines[0].page if lines else 0))
    return found
