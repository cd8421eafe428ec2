"""The outline of a photographed screen or page: found, checked against the edges, and
whether text lies outside it (then it is an inner frame and the whole photo is kept).
"""

from __future__ import annotations

from typing import Any

from evidence_kit.ocr.prep.blur import wide_blur

# A warp to the outline keeps this much (a fraction of the outline's side) around it: the
# outline found may sit a little inside the screen's or page's true edge. 0.08 read the dev
# photos of the hard corpus at least as well as the whole photo did (0.04 lost characters).
CROP_MARGIN = 0.08


# Text outside the outline: marks of a character's size beyond the margin, more than this
# many and more than this share of those inside, mean the outline is an inner frame (a table
# border, a window in a screenshot of a desktop) and the whole photo is kept.
OUTSIDE_MARKS = 6


OUTSIDE_SHARE = 0.05


# Canny thresholds tried in turn for the outline: the usual pair first, then fainter edges
# (a page in a dim photo or under a shadow). The first outline found is taken.
EDGE_THRESHOLDS = ((40, 120), (20, 60), (10, 30))


# A corner this close (a fraction of the side) to a corner of the photo is the photo's frame.
FRAME_CORNER = 0.01


# An outline is kept when its sides lie on edges this much beyond chance (see edge_lift):
# screens and pages in the hard corpus's dev photos scored 0.79–1.0, outlines that a scan's
# noise closed 0.56 and less.
OUTLINE_LIFT = 0.7
# The straight sides are found on a copy this many times smaller (see quad_from_sides).
HOUGH_SCALE = 2


def find_quad(rgb: Any) -> tuple[tuple[float, float], ...] | None:
    """The outline of a photographed screen or page: the largest convex four-corner contour
    covering a good part of the photo, not axis-aligned (a screenshot's card is). Called on
    photos only: ``plan_for`` has already sent screenshots (``is_flat``) another way."""
    import cv2
    import numpy as np

    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    h, w = grey.shape
    best = None
    # A photo in dim light has a faint page edge (a paper 60 grey levels above a dark desk
    # gives an edge of 20–30 in a shadow): look with ever lower edge thresholds, then with
    # local contrast equalised, then with the light divided out.
    for lo, hi in EDGE_THRESHOLDS:
        best = quad_in(grey, lo, hi)
        if best is not None:
            break
    if best is None:
        best = quad_in(cv2.createCLAHE(3.0, (8, 8)).apply(grey))
    if best is None:
        bg = wide_blur(grey.astype(np.float32), max(h, w) / 40)
        best = quad_in(np.clip(grey / np.maximum(bg, 1) * 128, 0, 255).astype(np.uint8))
    # A glare spot on the screen's edge breaks the outline and the contour runs round the
    # glare; the four straight sides still stand. Of the contour's outline and the one the
    # straight sides give, the one whose sides lie on edges is kept, and neither when no
    # side does (a scan's noise closes contours that are no page).
    faint = cv2.Canny(cv2.GaussianBlur(grey, (5, 5), 0), *EDGE_THRESHOLDS[1])
    edges = cv2.dilate(faint, np.ones((5, 5), np.uint8))  # grown by 2 px: sides held to it
    density = float((edges > 0).mean())
    candidates = [q for q in (best, quad_from_sides(faint)) if q is not None]
    scored = [(edge_lift(edges, density, q), i, q) for i, q in enumerate(candidates)]
    scored = [c for c in scored if c[0] >= OUTLINE_LIFT]
    if not scored:
        return None
    best = max(scored, key=lambda c: (c[0], -c[1]))[2]
    # Order: top-left, top-right, bottom-right, bottom-left.
    s = best.sum(axis=1)
    d = np.diff(best, axis=1).ravel()
    ordered = [best[np.argmin(s)], best[np.argmin(d)], best[np.argmax(s)], best[np.argmax(d)]]
    tl, tr, br, bl = ordered
    skew = max(abs(tl[1] - tr[1]) / h, abs(bl[1] - br[1]) / h, abs(tl[0] - bl[0]) / w,
               abs(tr[0] - br[0]) / w)
    if skew < 0.015:
        return None  # axis-aligned: a card on a screenshot, or a page already flat
    return tuple((float(x / w), float(y / h)) for x, y in ordered)


def quad_in(grey: Any, lo: int = 40, hi: int = 120) -> Any:
    """The largest convex four-corner outline (not axis-aligned) covering a good part of
    ``grey``, as a 4×2 array, or None. ``lo``, ``hi``: Canny's edge thresholds. An outline
    with a corner in a corner of the photo is not a page: it is the photo's own frame closed
    by an edge that stopped short (a page edge lost in a shadow)."""
    import cv2
    import numpy as np

    h, w = grey.shape
    edges = cv2.Canny(cv2.GaussianBlur(grey, (5, 5), 0), lo, hi)
    edges = cv2.dilate(edges, np.ones((3, 3), np.uint8), iterations=2)
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    for c in sorted(contours, key=cv2.contourArea, reverse=True)[:5]:
        area = cv2.contourArea(c)
        if area < 0.25 * h * w or area > 0.97 * h * w:
            continue
        approx = cv2.approxPolyDP(cv2.convexHull(c), 0.02 * cv2.arcLength(c, True), True)
        _x, _y, bw, bh = cv2.boundingRect(approx)
        if len(approx) == 4 and cv2.contourArea(approx) < 0.95 * bw * bh:
            quad = approx.reshape(4, 2).astype(float)
            near_x = np.minimum(quad[:, 0], w - 1 - quad[:, 0]) < FRAME_CORNER * w
            near_y = np.minimum(quad[:, 1], h - 1 - quad[:, 1]) < FRAME_CORNER * h
            if not (near_x & near_y).any():
                return quad
    return None


def edge_lift(edges: Any, density: float, quad: Any) -> float:
    """How much more of the outline's sides lies on edges than a line drawn anywhere would:
    0 for chance (``density``, the share of edge pixels), 1 for sides wholly on edges."""
    import numpy as np

    h, w = edges.shape
    t = np.linspace(0, 1, 200)[:, None]
    on = []
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        pts = np.rint(a + (b - a) * t).astype(int)
        inside = (pts[:, 0] >= 0) & (pts[:, 0] < w) & (pts[:, 1] >= 0) & (pts[:, 1] < h)
        hit = np.zeros(len(pts), bool)
        hit[inside] = edges[pts[inside, 1], pts[inside, 0]] > 0
        on.append(hit.mean())
    return (float(np.mean(on)) - density) / max(1.0 - density, 1e-6)


def quad_from_sides(edges: Any) -> Any:
    """The outline as four straight sides in the edge map ``edges`` (Hough segments, the
    outermost of each direction, their collinear pieces fitted as one line) and the corners
    where they meet, as a 4×2 array, or None. A side broken by glare still gives segments."""
    import cv2
    import numpy as np

    h, w = edges.shape
    # The segments are looked for at half size (any edge pixel of a 2×2 block marks it) in
    # 1° steps: the Hough transform's cost grows with edge pixels times angles, and a side's
    # direction to 1° and its place to 2 px of the plan's copy are well within the crop margin.
    half = (cv2.resize(edges, (w // HOUGH_SCALE, h // HOUGH_SCALE),
                       interpolation=cv2.INTER_AREA) > 0).astype(np.uint8)
    short = min(half.shape)
    found = cv2.HoughLinesP(
        half, 1, np.pi / 180, 60 // HOUGH_SCALE, minLineLength=int(0.12 * short),
        maxLineGap=int(0.02 * short),
    )
    if found is None:
        return None
    segs = found.reshape(-1, 4).astype(float) * HOUGH_SCALE
    dx, dy = segs[:, 2] - segs[:, 0], segs[:, 3] - segs[:, 1]
    angle = np.degrees(np.arctan2(dy, dx)) % 180
    across = (angle < 35) | (angle > 145)
    down = (angle > 55) & (angle < 125)
    with np.errstate(divide="ignore", invalid="ignore"):
        # where each segment's line crosses the photo's middle column (across) or row (down)
        at_mid_x = segs[:, 1] + (w / 2 - segs[:, 0]) / dx * dy
        at_mid_y = segs[:, 0] + (h / 2 - segs[:, 1]) / dy * dx
    sides = []
    for mask, at, extent, outer in (
        (across, at_mid_x, h, np.argmin),
        (down, at_mid_y, w, np.argmax),
        (across, at_mid_x, h, np.argmax),
        (down, at_mid_y, w, np.argmin),
    ):
        idx = np.flatnonzero(mask & np.isfinite(at))
        if not len(idx):
            return None
        edge = idx[outer(at[idx])]
        turn = np.abs((angle[idx] - angle[edge] + 90) % 180 - 90)
        same = idx[(np.abs(at[idx] - at[edge]) < 0.02 * extent) & (turn < 4)]
        pts = np.vstack([segs[same, :2], segs[same, 2:]]).astype(np.float32)
        sides.append(cv2.fitLine(pts, cv2.DIST_L2, 0, 0.01, 0.01).ravel())
    corners = []
    for first, second in ((3, 0), (0, 1), (1, 2), (2, 3)):  # TL, TR, BR, BL
        vx1, vy1, x1, y1 = sides[first]
        vx2, vy2, x2, y2 = sides[second]
        den = vx1 * vy2 - vy1 * vx2
        if abs(den) < 1e-6:
            return None
        k = ((x2 - x1) * vy2 - (y2 - y1) * vx2) / den
        corners.append((x1 + k * vx1, y1 + k * vy1))
    quad = np.array(corners, float)
    margin = FRAME_CORNER * np.array([w, h])
    if (quad < -margin).any() or (quad > np.array([w, h]) + margin).any():
        return None
    area = cv2.contourArea(quad.astype(np.float32))
    if area < 0.25 * h * w or not cv2.isContourConvex(quad.astype(np.float32)):
        return None
    return quad


def text_outside(rgb: Any, quad: tuple[tuple[float, float], ...]) -> bool:
    """Marks of a character's size (dark or light, on any background) outside ``quad`` and
    its margin: then the outline is an inner frame and what lies outside it must be read."""
    within, outside = marks(rgb, quad)
    return outside > OUTSIDE_MARKS and outside > OUTSIDE_SHARE * within


def marks(rgb: Any, quad: tuple[tuple[float, float], ...]) -> tuple[int, int]:
    """How many character-sized marks lie well inside ``quad``, and how many outside it."""
    import cv2
    import numpy as np

    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    h, w = grey.shape
    corners = np.array([[x * w, y * h] for x, y in quad], np.float32)
    centre = corners.mean(axis=0)
    # The outline grown by the crop margin on each side: what lies beyond it would be cut.
    grown = centre + (corners - centre) * (1 + 2 * CROP_MARGIN)
    inside = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(inside, np.round(grown).astype(np.int32), 1)
    shrunk = np.zeros((h, w), np.uint8)
    cv2.fillConvexPoly(shrunk, np.round(centre + (corners - centre) * 0.96).astype(np.int32), 1)
    inks = [cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, mode, 25, 15)
            for mode in (cv2.THRESH_BINARY_INV, cv2.THRESH_BINARY)]  # dark ink, light ink
    counts = []
    for region in (shrunk > 0, inside == 0):
        n = 0
        for ink in inks:
            binary = ink.copy()
            binary[~region] = 0
            k, _labels, stats, _ = cv2.connectedComponentsWithStats(binary)
            bw, bh = stats[1:k, cv2.CC_STAT_WIDTH], stats[1:k, cv2.CC_STAT_HEIGHT]
            area = stats[1:k, cv2.CC_STAT_AREA]
            marks = (bh >= 4) & (bh <= 0.05 * h) & (bw <= 0.08 * w) & (area >= 8)
            n = max(n, int(marks.sum()))
        counts.append(n)
    return counts[0], counts[1]
