"""Whether an image is a render (a screenshot) or a photo or scan, by its colours.
"""

from __future__ import annotations

from typing import Any

# A fifth of the pixels in one colour is a render; above FLAT_SURE it is certainly one.
FLAT_SURE = 0.3


def is_flat(rgb: Any) -> bool:
    """A rendered screen: a fifth of its pixels share one colour (a photo has noise).

    Between a fifth and FLAT_SURE, the colour must also repeat exactly: a phone photographed on
    a plain dark desk reaches a fifth by its desk, but grain and JPEG scatter the exact values,
    while a screenshot's background is one value (3/4 of its near matches, even in a JPEG)."""
    import numpy as np

    sample = rgb[::2, ::2].astype(np.int32)
    q = sample >> 2
    codes = (q[..., 0] << 12) | (q[..., 1] << 6) | q[..., 2]
    near = np.bincount(codes.ravel()).max() / codes.size
    if near <= 0.2:
        return False
    if near > FLAT_SURE:
        return True
    exact = (sample[..., 0] << 16) | (sample[..., 1] << 8) | sample[..., 2]
    return bool(np.bincount(exact.ravel()).max() / exact.size > 0.75 * near)
