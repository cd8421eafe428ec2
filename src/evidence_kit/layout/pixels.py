"""What the pixels say about a line: is it set on a tinted bubble?

One's own bubbles are coloured in every common chat app (WeChat green in light and dark mode,
the blue of most customer-service apps); the other side's are white or grey. The colour is
sampled in the bubble's padding just left and right of the text, where no glyph is.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Any

from evidence_kit.models import OcrLine

if TYPE_CHECKING:
    from PIL import Image

# HSV saturation (0–255) above which a bubble counts as tinted; WeChat's green is ~140,
# white/grey bubbles in light and dark mode are below 25.
TINTED = 70


def line_tints(image: Image.Image, lines: Sequence[OcrLine]) -> dict[int, bool]:
    """``id(line)`` → whether its bubble is tinted (lines too close to the edge are left out)."""
    import cv2
    import numpy as np

    rgb = np.asarray(image.convert("RGB"))
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    h, w = hsv.shape[:2]
    out: dict[int, bool] = {}
    for ln in lines:
        b = ln.box
        pad = max(2, int(0.3 * b.height))
        y0, y1 = int(max(0, b.y0)), int(min(h, b.y1))
        strips: list[Any] = []
        for x0, x1 in ((b.x0 - pad, b.x0 - 1), (b.x1 + 1, b.x1 + pad)):
            a, c = int(max(0, x0)), int(min(w, x1))
            if c - a >= 2 and y1 - y0 >= 2:
                strips.append(hsv[y0:y1, a:c, 1].ravel())
        if strips:
            out[id(ln)] = bool(np.median(np.concatenate(strips)) > TINTED)
    return out


# A line's glyphs stand out from the fill around them by this much (grey levels) at least;
# watermarks printed over a screen (a name, a number, repeated) by far less. Dim timestamps
# in dark mode and in photos measure 45 and more.
FAINT = 25
# ... and dark ink by less than this share of the paper's brightness. A page photographed in
# dim light keeps its contrast as a share (ink at half the paper's level, 20 grey levels on
# paper at 40), while a watermark on a screen is faint by both measures.
FAINT_SHARE = 0.25


def watermarks(
    image: Image.Image, lines: Sequence[OcrLine], keep: Collection[int] = ()
) -> set[int]:
    """Indexes of watermark lines: faint text, three lines or more of it, some of it
    repeated (a watermark prints a name or a number over and over; a photo's glare or a dim
    stamp washes out lines that differ). Faint is measured against the line's own fill too,
    so the dim lines of a page photographed in poor light are text. ``keep``: lines that are
    no watermark however faint (a chat's stamp rows)."""
    import numpy as np

    grey = np.asarray(image.convert("L"))
    h, w = grey.shape[:2]
    faint = set()
    for i, ln in enumerate(lines):
        if i in keep:
            continue
        b = ln.box
        crop = grey[max(0, int(b.y0)) : min(h, int(b.y1)), max(0, int(b.x0)) : min(w, int(b.x1))]
        if crop.size < 4:
            continue
        med = float(np.median(crop))
        darker = med - float(np.percentile(crop, 3))
        lighter = float(np.percentile(crop, 97)) - med
        if max(darker, lighter) < FAINT and darker < FAINT_SHARE * med:
            faint.add(i)
    if len(faint) < 3 or not _repeated([lines[i].text for i in faint]):
        return set()
    return faint


def _repeated(texts: Sequence[str]) -> bool:
    """Whether a text recurs: the same two characters or more twice, or one of five or more
    inside another (OCR reads a repeated watermark a little differently each time; a bill's
    short labels, 金额 inside 应还金额, are no repetition)."""
    parts = [re.sub(r"\s+", "", t) for t in texts]
    return any(
        len(a) >= 2
        and any(a == b or (len(a) >= 5 and a in b) for j, b in enumerate(parts) if j != i)
        for i, a in enumerate(parts)
    )


# A photographed screen leaves at least this share of the frame's width to each side of it.
SCREEN_MARGIN = 0.05


def screen_region(image: Image.Image) -> tuple[int, int, int, int] | None:
    """The lit screen in a photo of a phone: the largest bright region (Otsu's threshold on
    the grey levels), when it keeps clear of the frame's left and right sides. None on a
    screenshot, whose screen is the frame."""
    import cv2
    import numpy as np

    grey = np.asarray(image.convert("L"))
    h, w = grey.shape[:2]
    scale = max(1, int(max(h, w) / 800))  # the outline needs no full resolution
    small = grey[::scale, ::scale]
    _t, bright = cv2.threshold(small, 0, 1, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    k = max(3, small.shape[1] // 60)
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    n, _lab, stats, _c = cv2.connectedComponentsWithStats(bright, connectivity=8)
    if n < 2:
        return None
    i = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, bw, bh, area = (int(v) * 1 for v in stats[i])
    sw = small.shape[1]
    if area < 0.15 * small.size or x < SCREEN_MARGIN * sw or x + bw > (1 - SCREEN_MARGIN) * sw:
        return None
    return (x * scale, y * scale, min(w, (x + bw) * scale), min(h, (y + bh) * scale))
