"""A wide Gaussian blur, cheap: the light and moiré steps and the outline all use it.
"""

from __future__ import annotations

from typing import Any


def wide_blur(img: Any, sigma: float) -> Any:
    """A Gaussian blur of a large ``sigma`` (a float image), computed on a copy reduced so
    that the kernel is about 4 px wide there, then enlarged: what such a blur leaves varies
    only slowly, so the result is the same to the eye and ten times cheaper."""
    import cv2

    k = max(1, int(sigma // 4))
    if k == 1:
        return cv2.GaussianBlur(img, (0, 0), sigma)
    h, w = img.shape[:2]
    small = cv2.resize(img, (max(1, w // k), max(1, h // k)), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (0, 0), sigma / k)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_LINEAR)
