"""Shadow, light fall-off and dim photos (divided out), and glare spots (in-painted).
"""

from __future__ import annotations

from typing import Any

from evidence_kit.ocr.prep.blur import wide_blur

# Uneven light: the paper's brightness (background estimate) varies more than this ratio
# between its dim and bright parts, or the paper is darker than DIM_PAPER (a photo in low light).
LIGHT_SPREAD = 1.35


DIM_PAPER = 150


# Flattening light multiplies by a gain; from the first to the second value the engine's input
# goes from colour to grey (see flatten_light).
GREY_GAIN = (2.0, 3.0)


# Glare: saturated blobs covering at least GLARE_MIN of the photo (at most GLARE_MAX: a white
# page is not glare).
GLARE_MIN = 0.0005


GLARE_MAX = 0.05


def background(grey: Any) -> Any:
    """The paper's brightness without the ink: a closing wider than a stroke removes dark
    text, a median smooths what is left. Computed at a quarter size (cheap), returned full."""
    import cv2

    h, w = grey.shape
    small = cv2.resize(grey, (max(1, w // 4), max(1, h // 4)), interpolation=cv2.INTER_AREA)
    k = max(15, min(small.shape) // 25 | 1)
    bg = cv2.morphologyEx(small, cv2.MORPH_CLOSE,
                          cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    bg = cv2.medianBlur(bg, 5)
    return cv2.resize(bg, (w, h), interpolation=cv2.INTER_LINEAR)


def uneven_light(rgb: Any, quad: tuple[tuple[float, float], ...] | None) -> bool:
    """A shadow or a light fall-off across the paper or screen, or a photo in dim light.
    The paper is inside ``quad`` when one was found (the desk around it does not count),
    else the whole image."""
    import cv2
    import numpy as np

    bg = background(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY))
    h, w = bg.shape
    if quad:
        inside = np.zeros((h, w), np.uint8)
        corners = np.array([[x * w, y * h] for x, y in quad], np.int32)
        cv2.fillConvexPoly(inside, corners, 1)
        inside = cv2.erode(inside, np.ones((9, 9), np.uint8))  # off the page's edge
        paper = bg[inside > 0]
    else:
        paper = bg.ravel()
    if paper.size < 0.1 * bg.size:
        return False
    lo, mid, hi = np.percentile(paper, (5, 50, 95))
    return bool(hi > LIGHT_SPREAD * max(lo, 1) or mid < DIM_PAPER)


def flatten_light(arr: Any) -> Any:
    """Divide each pixel by the background estimate: shadows, fall-off and low light leave
    even paper behind, and the ink keeps its contrast to the paper around it.

    Where the gain is large (GREY_GAIN: a dim photo, eight times under a hand's shadow) the
    result is grey: the gain would raise the sensor's colour noise and JPEG's colour blocks
    into speckles of every hue, which the recogniser reads as strokes, while luminance alone
    carries the text. Where the gain is small the colours stay (a seal's red, a coloured
    form). The layout reads colours from the original, not from the engine's input."""
    import cv2
    import numpy as np

    grey = cv2.cvtColor(arr, cv2.COLOR_RGB2GRAY)
    bg = background(grey).astype(np.float32)
    # Smoothed again: a gain that varies only slowly adds no edges of its own near the ink.
    gain = 235.0 / np.maximum(wide_blur(bg, max(arr.shape[:2]) / 100), 1.0)
    lo, hi = GREY_GAIN
    to_grey = np.clip((gain - lo) / (hi - lo), 0, 1)[..., None]
    mixed = arr.astype(np.float32) * (1 - to_grey) + grey.astype(np.float32)[..., None] * to_grey
    return np.clip(mixed * gain[..., None], 0, 255).astype(np.uint8)


def glare_mask(rgb: Any) -> Any:
    import cv2
    import numpy as np

    # Opening drops single saturated specks; no closing, so ink inside a glare (not
    # saturated) is never painted over.
    r, g, b = cv2.split(rgb)
    mask = (cv2.min(cv2.min(r, g), b) >= 250).astype(np.uint8) * 255  # ten times numpy's min
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))


def has_glare(rgb: Any) -> bool:
    """A lamp's reflection: a saturated blob, small against the photo (paper is not)."""
    import cv2

    mask = glare_mask(rgb)
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(mask)
    total = mask.shape[0] * mask.shape[1]
    areas = stats[1:n, cv2.CC_STAT_AREA] / total
    return bool(((areas >= GLARE_MIN) & (areas <= GLARE_MAX)).any())


def inpaint_glare(arr: Any) -> Any:
    """Saturated glare blobs filled from their surroundings (cv2.inpaint), so the recogniser
    sees paper instead of a white hole with hard edges."""
    import cv2
    import numpy as np

    mask = glare_mask(arr)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask)
    total = mask.shape[0] * mask.shape[1]
    keep = np.zeros(n, bool)
    keep[1:] = stats[1:, cv2.CC_STAT_AREA] <= GLARE_MAX * total
    blobs = keep[labels].astype(np.uint8) * 255
    return cv2.inpaint(arr, blobs, 3, cv2.INPAINT_TELEA)
