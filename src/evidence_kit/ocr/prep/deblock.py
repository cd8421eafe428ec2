"""JPEG blocks of a strongly compressed photo, smoothed out before the light is raised.

A photo taken in poor light and saved at a low JPEG quality keeps the paper and the ink of a
shadowed part in a few grey levels, and the compression turns them into 8×8 blocks with steps
at their edges. Raising that light (``flatten_light``, up to eight times) raises the steps too,
and the recogniser reads them as strokes. The blocks are taken out by re-applying JPEG on grids
shifted against the photo's own and averaging the results (Nosratinia's re-application): each
grid keeps what the photo really holds and puts its own blocks elsewhere, so the average keeps
the text and spreads the steps out.
"""

from __future__ import annotations

from typing import Any

# Blocky: the mean step between neighbouring pixels across the 8-px grid's lines is this many
# times the step inside the blocks (a q50–65 photo: about 2.8; a q92 photo or a PNG: about 1).
BLOCKY = 1.6
# The quality the blocks are re-made at: strong enough to take out the blocks of q50–70.
QUALITY = 50
# Grids shifted by these (rows, columns) from the photo's own: eight cost half of all sixteen
# even shifts and keep nearly all of their effect.
SHIFTS = ((0, 0), (0, 4), (4, 0), (4, 4), (2, 2), (2, 6), (6, 2), (6, 6))


def _grid_steps(grey: Any, axis: int) -> Any:
    """Mean absolute step between neighbouring pixels, by the step's position modulo 8."""
    import numpy as np

    steps = np.abs(np.diff(grey.astype(np.int16), axis=axis)).mean(axis=1 - axis)
    return np.array([steps[p::8].mean() if steps[p::8].size else 0.0 for p in range(8)])


def block_grid(grey: Any) -> tuple[int, int] | None:
    """Where the 8×8 blocks start (row, column offsets), None when the photo is not blocky:
    the steps at one position modulo 8 stand out from the seven others along both axes (a
    rotated or cropped photo has its grid off zero)."""
    import numpy as np

    if min(grey.shape[:2]) < 64:
        return None
    start = []
    for axis in (0, 1):
        steps = _grid_steps(grey, axis)
        p = int(np.argmax(steps))
        if steps[p] < BLOCKY * float(np.median(np.delete(steps, p))):
            return None
        start.append((p + 1) % 8)  # the step after pixel p is a block's edge
    return start[0], start[1]


def deblock(arr: Any, grid: tuple[int, int],
            region: tuple[int, int, int, int] | None = None) -> Any:
    """``arr`` (RGB) with its luminance re-applied on shifted grids and averaged, inside
    ``region`` (x0, y0, x1, y1; the page: the desk around it is not read) or all of it. The
    change is added to each channel alike, so the colours keep their balance. Float out."""
    import cv2
    import numpy as np

    out = arr.astype(np.float32)
    h, w = out.shape[:2]
    x0, y0, x1, y1 = region if region is not None else (0, 0, w, h)
    # The region's edges on the blocks' grid, so that its pixels keep their place in it.
    x0, y0 = max(0, x0 - (x0 - grid[1]) % 8), max(0, y0 - (y0 - grid[0]) % 8)
    x1, y1 = min(w, max(x1, x0 + 16)), min(h, max(y1, y0 + 16))
    part = out[y0:y1, x0:x1]
    grey = cv2.cvtColor(part, cv2.COLOR_RGB2GRAY)
    g8 = np.clip(np.rint(grey), 0, 255).astype(np.uint8)
    ph, pw = g8.shape
    start = ((grid[0] - y0) % 8, (grid[1] - x0) % 8)
    acc = np.zeros((ph, pw), np.float32)
    for dy, dx in SHIFTS:
        # Padding by (8 - start) puts the photo's own grid on the encoder's; the shift moves it.
        top, left = (8 - start[0]) % 8 + dy, (8 - start[1]) % 8 + dx
        padded = cv2.copyMakeBorder(g8, top, 8, left, 8, cv2.BORDER_REFLECT)
        _ok, buf = cv2.imencode(".jpg", padded, [cv2.IMWRITE_JPEG_QUALITY, QUALITY])
        back: Any = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)
        acc += back[top : top + ph, left : left + pw]
    part += (acc / len(SHIFTS) - grey)[..., None]
    return out
