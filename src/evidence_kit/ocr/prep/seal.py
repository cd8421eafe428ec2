"""Red seals: found as rings of red ink, faded to paper so the text under them is read.
"""

from __future__ import annotations

from typing import Any


def red_mask(rgb: Any) -> Any:
    import cv2

    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    lo = cv2.inRange(hsv, (0, 50, 80), (10, 255, 255))
    hi = cv2.inRange(hsv, (165, 50, 80), (180, 255, 255))
    return cv2.bitwise_or(lo, hi)


def has_seal(rgb: Any) -> bool:
    """A seal is a large, roughly round or square red blob (a ring of red ink)."""
    import cv2

    mask = red_mask(rgb)
    h, w = mask.shape
    if cv2.countNonZero(mask) < 0.002 * h * w:
        return False
    ring = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (9, 9))
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, ring)
    contours, hierarchy = cv2.findContours(mask, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return False
    side = min(h, w)
    for i, c in enumerate(contours):
        if hierarchy[0][i][3] != -1:
            continue  # a hole, not an outer outline
        _x, _y, cw, ch = cv2.boundingRect(c)
        if not (cw > 0.08 * side and ch > 0.08 * side and 0.6 < cw / ch < 1.7):
            continue
        # A seal is a ring: its outline holds a large hole (the paper inside the ring).
        child = hierarchy[0][i][2]
        outer = cv2.contourArea(c)
        while child != -1:
            if cv2.contourArea(contours[child]) > 0.3 * outer:
                return True
            child = hierarchy[0][child][0]
    return False


def fade_red(arr: Any) -> Any:
    """Red ink becomes paper: the whole page is grey from its red channel.

    Red ink is bright in red, as bright as the paper, however faint or JPEG-smeared its edges
    are (a mask of saturated red misses the pale pink rim, which the engine then reads as
    strokes); black text stays dark in red, also where red ink was printed over it.
    """
    red = arr[..., 0]
    arr[...] = red[..., None]
    return arr
