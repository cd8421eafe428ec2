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


def seal_boxes(rgb: Any) -> list[tuple[int, int, int, int]]:
    """The seals of ``rgb`` as boxes ``(x, y, w, h)``: large, roughly round or square red
    blobs holding a large hole (a ring of red ink, the paper inside it)."""
    import cv2

    mask = red_mask(rgb)
    h, w = mask.shape
    if cv2.countNonZero(mask) < 0.002 * h * w:
        return []
    ring = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (9, 9))
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, ring)
    contours, hierarchy = cv2.findContours(mask, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return []
    side = min(h, w)
    found = []
    for i, c in enumerate(contours):
        if hierarchy[0][i][3] != -1:
            continue  # a hole, not an outer outline
        x, y, cw, ch = cv2.boundingRect(c)
        if not (cw > 0.08 * side and ch > 0.08 * side and 0.6 < cw / ch < 1.7):
            continue
        child = hierarchy[0][i][2]
        outer = cv2.contourArea(c)
        while child != -1:
            if cv2.contourArea(contours[child]) > 0.3 * outer:
                found.append((x, y, cw, ch))
                break
            child = hierarchy[0][child][0]
    return found


def has_seal(rgb: Any) -> bool:
    return bool(seal_boxes(rgb))


# Around a seal's box, this share of its side is faded too: the pale rim JPEG smears round it.
SEAL_PAD = 0.08


def fade_red(arr: Any, plan_side: int) -> Any:
    """Red ink becomes paper where a seal is: there the page is grey from its red channel.

    Red ink is bright in red, as bright as the paper, however faint or JPEG-smeared its edges
    are (a mask of saturated red misses the pale pink rim, which the engine then reads as
    strokes); black text stays dark in red, also where red ink was printed over it. Only the
    seals' boxes are faded: red print elsewhere (a 红头 letterhead, an overdue sum in red) is
    text to read.
    """
    import cv2

    h, w = arr.shape[:2]
    # Found on a copy of the plan's size (``plan_side``), as ``has_seal`` found them.
    scale = min(1.0, plan_side / max(h, w))
    small = arr if scale == 1.0 else cv2.resize(
        arr, (max(1, int(w * scale)), max(1, int(h * scale))), interpolation=cv2.INTER_AREA
    )
    boxes = seal_boxes(small)
    if not boxes:  # the plan saw a seal that this copy's scale lost: the whole page, then
        boxes = [(0, 0, small.shape[1], small.shape[0])]
    for x, y, bw, bh in boxes:
        pad = SEAL_PAD * max(bw, bh)
        x0, y0 = max(0, int((x - pad) / scale)), max(0, int((y - pad) / scale))
        x1, y1 = min(w, int((x + bw + pad) / scale) + 1), min(h, int((y + bh + pad) / scale) + 1)
        region = arr[y0:y1, x0:x1]
        region[...] = region[..., :1]
    return arr
