"""A scan's tilt, from the direction of its text lines.
"""

from __future__ import annotations

from typing import Any

# Tilt smaller than this is left alone (OCR copes); larger than MAX_TILT is not a tilted scan.
MIN_TILT = 0.4


MAX_TILT = 8.0


def tilt(rgb: Any) -> float:
    """A scan's tilt in degrees (positive: counter-clockwise to fix), from its text lines."""
    import cv2
    import numpy as np

    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    binary = cv2.adaptiveThreshold(
        grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 15
    )
    w = grey.shape[1]
    # Characters merged into line blobs.
    blobs = cv2.dilate(binary, cv2.getStructuringElement(cv2.MORPH_RECT, (max(9, w // 60), 2)))
    contours, _ = cv2.findContours(blobs, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    angles = []
    weights = []
    for c in contours:
        (_cx, _cy), (rw, rh), a = cv2.minAreaRect(c)
        if rw < rh:
            rw, rh = rh, rw
            a -= 90
        if rw > 0.15 * w and rw > 6 * rh:
            a = (a + 90) % 180 - 90
            angles.append(a)
            weights.append(rw)
    if len(angles) < 3:
        return 0.0
    order = np.argsort(angles)
    cum = np.cumsum(np.array(weights)[order])
    median = float(np.array(angles)[order][np.searchsorted(cum, cum[-1] / 2)])
    if not MIN_TILT <= abs(median) <= MAX_TILT:
        return 0.0
    return round(median, 1)
