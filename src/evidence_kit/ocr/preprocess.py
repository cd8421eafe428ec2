"""Opening images safely and cutting tall screenshots into tiles.

A hostile or accidental input (a 20000×20000 PNG, a decompression bomb, a truncated file) must
give a clear error before any pixels are decoded, so memory stays bounded.
"""

from __future__ import annotations

import io
import os
import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence_kit.errors import InputFileError

if TYPE_CHECKING:
    from PIL import Image

# A long scrolling screenshot of 1440×40000 is 58 MP; a camera photo 48 MP.
MAX_PIXELS = 60_000_000
TILE_HEIGHT = 2600
# Must exceed the tallest text line: each line then lies whole inside at least one tile.
TILE_OVERLAP = 200

_TOO_LARGE_HINT = "crop or scale the image down, or split a long screenshot into parts"


@dataclass(frozen=True)
class Tile:
    image: Image.Image
    top: int  # y offset of the tile in the full image
    own_from: float  # lines whose centre lies in [own_from, own_to) belong to this tile
    own_to: float


def load_image(source: str | Path | bytes, name: str | None = None) -> Image.Image:
    """Decode an image file (path or bytes) to RGB, upright per its EXIF orientation.

    Raises InputFileError for empty, unreadable or oversized images (checked from the header,
    before decoding).
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    _register_heif()
    label = name or (str(source) if not isinstance(source, bytes) else "<image>")
    if isinstance(source, bytes):
        if not source:
            raise InputFileError(label, "the file is empty")
        fp: io.BytesIO | Path = io.BytesIO(source)
    else:
        fp = Path(source)
        try:
            if fp.stat().st_size == 0:
                raise InputFileError(label, "the file is empty")
        except OSError as e:
            raise InputFileError(label, f"cannot be read ({e.strerror or e})") from e
    try:
        with warnings.catch_warnings():
            # PIL warns (an error under pytest) and then refuses above its own bomb limit;
            # our smaller limit below gives the user-facing message either way.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(fp) as img:
                check_size(label, img.width, img.height)
                img.load()
                upright: Image.Image = ImageOps.exif_transpose(img) or img
                # convert() always copies, so the file can close here.
                return upright.convert("RGB")
    except Image.DecompressionBombError as e:
        # PIL refused in open(), before we saw the size; its message holds the pixel count.
        found = re.search(r"\((\d+) pixels\)", str(e))
        mp = f"{int(found[1]) / 1e6:.0f} MP; " if found else ""
        raise InputFileError(
            label,
            f"image is too large to be a screenshot ({mp}the limit is {MAX_PIXELS // 10**6} MP)",
            _TOO_LARGE_HINT,
        ) from e
    except UnidentifiedImageError as e:
        raise InputFileError(label, "is not an image format the kit can read") from e
    except (OSError, SyntaxError, ValueError) as e:  # truncated or corrupt data
        raise InputFileError(label, f"the image is damaged or truncated ({e})") from e


def check_size(label: str, width: int, height: int) -> None:
    if width * height > MAX_PIXELS:
        mp = width * height / 1e6
        raise InputFileError(
            label,
            f"image is too large to be a screenshot ({width}×{height}, {mp:.0f} MP; "
            f"the limit is {MAX_PIXELS // 1_000_000} MP)",
            _TOO_LARGE_HINT,
        )


def tiles(image: Image.Image) -> list[Tile]:
    """Overlapping horizontal strips at most TILE_HEIGHT tall; the whole image if it is short."""
    h = image.height
    if h <= TILE_HEIGHT:
        return [Tile(image, 0, float("-inf"), float("inf"))]
    step = TILE_HEIGHT - TILE_OVERLAP
    out = []
    top = 0
    while True:
        bottom = min(top + TILE_HEIGHT, h)
        first, last = top == 0, bottom == h
        own_from = float("-inf") if first else top + TILE_OVERLAP / 2
        own_to = float("inf") if last else bottom - TILE_OVERLAP / 2
        out.append(Tile(image.crop((0, top, image.width, bottom)), top, own_from, own_to))
        if last:
            return out
        top += step


def _register_heif() -> None:
    try:
        import pillow_heif

        pillow_heif.register_heif_opener()
    except ImportError:  # HEIC photos then fail with a clear "not an image format" error
        pass


# ---------------------------------------------------------------- straightening before OCR
#
# Photos and scans are straightened before OCR: a photographed screen or page is found and
# warped flat, a tilted scan is deskewed, red seals are faded out by colour, glare spots are
# in-painted, moiré is notched out, and shadow and uneven light are divided out. Each
# step runs only when a cheap test on a small copy says it is needed. The exhibit keeps
# the untouched original; only the engine's input changes, and the cache key says how
# (``Prepared.signature``), so a screenshot that needs none of this keeps its old cache entry.

# Plans are made on a copy at most this large (fast and the same in parent and worker).
PLAN_SIDE = 1000
# Tilt smaller than this is left alone (OCR copes); larger than MAX_TILT is not a tilted scan.
MIN_TILT = 0.4
MAX_TILT = 8.0
# Uneven light: the paper's brightness (background estimate) varies more than this ratio
# between its dim and bright parts, or the paper is darker than DIM_PAPER (a photo in low light).
LIGHT_SPREAD = 1.35
DIM_PAPER = 150
# Flattening light multiplies by a gain; from the first to the second value the engine's input
# goes from colour to grey (see _flatten_light).
GREY_GAIN = (2.0, 3.0)
# Glare: saturated blobs covering at least GLARE_MIN of the photo (at most GLARE_MAX: a white
# page is not glare).
GLARE_MIN = 0.0005
GLARE_MAX = 0.05
# A fifth of the pixels in one colour is a render; above FLAT_SURE it is certainly one.
FLAT_SURE = 0.3
# Moiré: a spectral peak this far (natural log) above its surroundings, away from the low
# frequencies that carry text and line pitch (MOIRE_R0 cycles per pixel), on a photo.
# Raise whenever a step changes the pixels it gives the engine: straightened images are then
# read again instead of coming from the OCR cache (screenshots, given nothing, are not).
PREPARE_VERSION = 9
MOIRE_PEAK = 3.8
MOIRE_R0 = 0.08
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
# An outline is kept when its sides lie on edges this much beyond chance (see _edge_lift):
# screens and pages in the hard corpus's dev photos scored 0.79–1.0, outlines that a scan's
# noise closed 0.56 and less.
OUTLINE_LIFT = 0.7


@dataclass(frozen=True)
class Plan:
    """What to do to one image: fade seals, warp a quad (corners as fractions), rotate."""

    seal: bool = False
    quad: tuple[tuple[float, float], ...] | None = None
    angle: float = 0.0
    glare: bool = False
    light: bool = False
    moire: bool = False
    # The outline is the page's or screen's edge (no text outside it): the warp keeps only
    # the outline and a margin, so the engine reads no desk. False: the whole photo is kept.
    crop: bool = False

    @property
    def signature(self) -> str:
        """"" when the engine sees the original; else what was done, for the cache key."""
        parts = []
        if self.quad:
            parts.append("warp=" + ",".join(f"{x:.3f}:{y:.3f}" for x, y in self.quad))
        if self.angle:
            parts.append(f"rot={self.angle:.1f}")
        if self.seal:
            parts.append("seal")
        # Steps added later come last: the signature of an image without them is unchanged.
        parts += [name for name, on in (("glare", self.glare), ("light", self.light),
                                        ("moire", self.moire), ("crop", self.crop)) if on]
        if parts:  # a step whose pixels change under the same name must not reuse the cache
            parts.append(f"v{PREPARE_VERSION}")
        return ";".join(parts)


@dataclass(frozen=True)
class Prepared:
    image: Image.Image
    plan: Plan
    matrix: tuple[tuple[float, ...], ...] | None  # original -> engine input (3×3), None: same


def plan_for(image: Image.Image) -> Plan:
    """Decide how to straighten ``image`` (looked at on a small copy)."""
    import numpy as np

    small = image.copy()
    small.thumbnail((PLAN_SIDE, PLAN_SIDE))
    rgb = np.asarray(small)
    if _is_flat(rgb):  # a screenshot or clean render: nothing was photographed or scanned
        return Plan(seal=_has_seal(rgb), angle=_tilt(rgb))
    quad = _find_quad(rgb)
    angle = 0.0 if quad else _tilt(rgb)
    return Plan(seal=_has_seal(rgb), quad=quad, angle=angle, glare=_has_glare(rgb),
                light=_uneven_light(rgb, quad), moire=_has_moire(rgb),
                crop=quad is not None and not _text_outside(rgb, quad))


def prepare(image: Image.Image, plan: Plan | None = None) -> Prepared:
    """The engine's input for ``image``: straightened and seal-faded per ``plan``."""
    import cv2
    import numpy as np
    from PIL import Image as PILImage

    plan = plan if plan is not None else plan_for(image)
    if not plan.signature:
        return Prepared(image, plan, None)
    arr = np.asarray(image).copy()
    h, w = arr.shape[:2]
    total = np.eye(3)
    if plan.moire:  # first: the pattern is regular only in the photo's own pixel grid
        arr = _remove_moire(arr)
    if plan.seal:
        arr = _fade_red(arr)
    if plan.glare:
        arr = _inpaint_glare(arr)
    if plan.light:
        # Warped and rotated in float: under a shadow the paper is some 30 grey levels and
        # the ink 20 below it, and rounding to whole levels before the gain (up to 8x)
        # would cut the ink's edges into a few coarse steps.
        arr = arr.astype(np.float32)
    if plan.quad:
        src = np.array([[x * w, y * h] for x, y in plan.quad], dtype=np.float32)
        tw = int(max(np.linalg.norm(src[1] - src[0]), np.linalg.norm(src[2] - src[3])))
        th = int(max(np.linalg.norm(src[3] - src[0]), np.linalg.norm(src[2] - src[1])))
        dst = np.array([[0, 0], [tw - 1, 0], [tw - 1, th - 1], [0, th - 1]], dtype=np.float32)
        m = cv2.getPerspectiveTransform(src, dst)
        if plan.crop:  # the outline is the page or screen: it and a margin, no desk
            mx, my = int(CROP_MARGIN * tw), int(CROP_MARGIN * th)
            shift = np.array([[1, 0, mx], [0, 1, my], [0, 0, 1]], dtype=float)
            tw, th = tw + 2 * mx, th + 2 * my
        else:
            # Keep the whole photo on the canvas: text was seen outside the outline (an
            # inner frame, such as a table border), and nothing of it may be cut away.
            corners = np.array([[0, 0, 1], [w, 0, 1], [w, h, 1], [0, h, 1]], dtype=float).T
            moved = m @ corners
            xs, ys = moved[0] / moved[2], moved[1] / moved[2]
            shift = np.array([[1, 0, -xs.min()], [0, 1, -ys.min()], [0, 0, 1]])
            tw = int(min(xs.max() - xs.min(), 2 * w))
            th = int(min(ys.max() - ys.min(), 2 * h))
        m = shift @ m
        arr = cv2.warpPerspective(
            arr, m, (tw, th), flags=cv2.INTER_CUBIC, borderValue=(255, 255, 255)
        )
        total = m @ total
        h, w = th, tw
    if plan.angle:
        m2 = cv2.getRotationMatrix2D((w / 2, h / 2), plan.angle, 1.0)
        arr = cv2.warpAffine(
            arr, m2, (w, h), flags=cv2.INTER_CUBIC, borderValue=(255, 255, 255)
        )
        total = np.vstack([m2, [0, 0, 1]]) @ total
    if plan.light:
        arr = _flatten_light(arr)
    if not (plan.quad or plan.angle):
        return Prepared(PILImage.fromarray(arr), plan, None)  # pixels changed, none moved
    out = PILImage.fromarray(arr)
    return Prepared(out, plan, tuple(tuple(float(v) for v in row) for row in total))


def to_original(
    boxes: list[tuple[float, float, float, float]], matrix: tuple[tuple[float, ...], ...] | None
) -> list[tuple[float, float, float, float]]:
    """Boxes on the engine's input back onto the original image (their bounding boxes)."""
    if matrix is None or not boxes:
        return boxes
    import numpy as np

    inv = np.linalg.inv(np.array(matrix))
    out = []
    for x0, y0, x1, y1 in boxes:
        pts = np.array([[x0, y0, 1], [x1, y0, 1], [x1, y1, 1], [x0, y1, 1]], dtype=float).T
        p = inv @ pts
        xs, ys = p[0] / p[2], p[1] / p[2]
        out.append((float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())))
    return out


def _red_mask(rgb: Any) -> Any:
    import cv2

    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    lo = cv2.inRange(hsv, (0, 70, 80), (10, 255, 255))
    hi = cv2.inRange(hsv, (165, 70, 80), (180, 255, 255))
    return cv2.bitwise_or(lo, hi)


def _has_seal(rgb: Any) -> bool:
    """A seal is a large, roughly round or square red blob (a ring of red ink)."""
    import cv2

    mask = _red_mask(rgb)
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


def _fade_red(arr: Any) -> Any:
    """Red ink becomes paper: where the red channel dominates, use the red channel as grey
    (red ink is bright in red, black text under it stays dark in every channel)."""
    import cv2
    import numpy as np

    mask = cv2.dilate(_red_mask(arr), np.ones((3, 3), np.uint8), iterations=1) > 0
    red = arr[..., 0]
    grey = red.copy()
    arr[mask] = grey[mask][:, None].repeat(3, axis=1)
    return arr


def _find_quad(rgb: Any) -> tuple[tuple[float, float], ...] | None:
    """The outline of a photographed screen or page: the largest convex four-corner contour
    covering a good part of the photo, not axis-aligned (a screenshot's card is). Called on
    photos only: ``plan_for`` has already sent screenshots (``_is_flat``) another way."""
    import cv2
    import numpy as np

    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    h, w = grey.shape
    best = None
    # A photo in dim light has a faint page edge (a paper 60 grey levels above a dark desk
    # gives an edge of 20–30 in a shadow): look with ever lower edge thresholds, then with
    # local contrast equalised, then with the light divided out.
    for lo, hi in EDGE_THRESHOLDS:
        best = _quad_in(grey, lo, hi)
        if best is not None:
            break
    if best is None:
        best = _quad_in(cv2.createCLAHE(3.0, (8, 8)).apply(grey))
    if best is None:
        bg = _wide_blur(grey.astype(np.float32), max(h, w) / 40)
        best = _quad_in(np.clip(grey / np.maximum(bg, 1) * 128, 0, 255).astype(np.uint8))
    # A glare spot on the screen's edge breaks the outline and the contour runs round the
    # glare; the four straight sides still stand. Of the contour's outline and the one the
    # straight sides give, the one whose sides lie on edges is kept, and neither when no
    # side does (a scan's noise closes contours that are no page).
    faint = cv2.Canny(cv2.GaussianBlur(grey, (5, 5), 0), *EDGE_THRESHOLDS[1])
    edges = cv2.dilate(faint, np.ones((5, 5), np.uint8))  # grown by 2 px: sides held to it
    density = float((edges > 0).mean())
    candidates = [q for q in (best, _quad_from_sides(faint)) if q is not None]
    scored = [(_edge_lift(edges, density, q), i, q) for i, q in enumerate(candidates)]
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


def _quad_in(grey: Any, lo: int = 40, hi: int = 120) -> Any:
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


def _edge_lift(edges: Any, density: float, quad: Any) -> float:
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


def _quad_from_sides(edges: Any) -> Any:
    """The outline as four straight sides in the edge map ``edges`` (Hough segments, the
    outermost of each direction, their collinear pieces fitted as one line) and the corners
    where they meet, as a 4×2 array, or None. A side broken by glare still gives segments."""
    import cv2
    import numpy as np

    h, w = edges.shape
    short = min(h, w)
    found = cv2.HoughLinesP(
        edges, 1, np.pi / 360, 60, minLineLength=int(0.12 * short), maxLineGap=int(0.02 * short)
    )
    if found is None:
        return None
    segs = found.reshape(-1, 4).astype(float)
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


def _text_outside(rgb: Any, quad: tuple[tuple[float, float], ...]) -> bool:
    """Marks of a character's size (dark or light, on any background) outside ``quad`` and
    its margin: then the outline is an inner frame and what lies outside it must be read."""
    within, outside = _marks(rgb, quad)
    return outside > OUTSIDE_MARKS and outside > OUTSIDE_SHARE * within


def _marks(rgb: Any, quad: tuple[tuple[float, float], ...]) -> tuple[int, int]:
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


def _wide_blur(img: Any, sigma: float) -> Any:
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


def _background(grey: Any) -> Any:
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


def _uneven_light(rgb: Any, quad: tuple[tuple[float, float], ...] | None) -> bool:
    """A shadow or a light fall-off across the paper or screen, or a photo in dim light.
    The paper is inside ``quad`` when one was found (the desk around it does not count),
    else the whole image."""
    import cv2
    import numpy as np

    bg = _background(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY))
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


def _flatten_light(arr: Any) -> Any:
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
    bg = _background(grey).astype(np.float32)
    # Smoothed again: a gain that varies only slowly adds no edges of its own near the ink.
    gain = 235.0 / np.maximum(_wide_blur(bg, max(arr.shape[:2]) / 100), 1.0)
    lo, hi = GREY_GAIN
    to_grey = np.clip((gain - lo) / (hi - lo), 0, 1)[..., None]
    mixed = arr.astype(np.float32) * (1 - to_grey) + grey.astype(np.float32)[..., None] * to_grey
    return np.clip(mixed * gain[..., None], 0, 255).astype(np.uint8)


def _glare_mask(rgb: Any) -> Any:
    import cv2
    import numpy as np

    # Opening drops single saturated specks; no closing, so ink inside a glare (not
    # saturated) is never painted over.
    r, g, b = cv2.split(rgb)
    mask = (cv2.min(cv2.min(r, g), b) >= 250).astype(np.uint8) * 255  # ten times numpy's min
    return cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))


def _has_glare(rgb: Any) -> bool:
    """A lamp's reflection: a saturated blob, small against the photo (paper is not)."""
    import cv2

    mask = _glare_mask(rgb)
    n, _labels, stats, _ = cv2.connectedComponentsWithStats(mask)
    total = mask.shape[0] * mask.shape[1]
    areas = stats[1:n, cv2.CC_STAT_AREA] / total
    return bool(((areas >= GLARE_MIN) & (areas <= GLARE_MAX)).any())


def _inpaint_glare(arr: Any) -> Any:
    """Saturated glare blobs filled from their surroundings (cv2.inpaint), so the recogniser
    sees paper instead of a white hole with hard edges."""
    import cv2
    import numpy as np

    mask = _glare_mask(arr)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask)
    total = mask.shape[0] * mask.shape[1]
    keep = np.zeros(n, bool)
    keep[1:] = stats[1:, cv2.CC_STAT_AREA] <= GLARE_MAX * total
    blobs = keep[labels].astype(np.uint8) * 255
    return cv2.inpaint(arr, blobs, 3, cv2.INPAINT_TELEA)


def _dft_padded(arr: Any) -> Any:
    """``arr`` mirrored out to a size the DFT is fast at (an awkward size can be 10× slower)."""
    import cv2

    h, w = arr.shape[:2]
    return cv2.copyMakeBorder(arr, 0, cv2.getOptimalDFTSize(h) - h, 0,
                              cv2.getOptimalDFTSize(w) - w, cv2.BORDER_REFLECT)


def _dft_cropped(arr: Any) -> Any:
    """``arr`` cut down to the nearest size below that the DFT is fast at: a prime side (719
    px) makes it ten times slower. At the plan's sizes a few per cent goes (719 -> 675), which moved
    no moiré decision on the hard and real-dev photos."""
    import cv2

    h, w = arr.shape[:2]
    th, tw = h, w
    while cv2.getOptimalDFTSize(th) != th:
        th -= 1
    while cv2.getOptimalDFTSize(tw) != tw:
        tw -= 1
    return arr[(h - th) // 2 : (h - th) // 2 + th, (w - tw) // 2 : (w - tw) // 2 + tw]


def _has_moire(rgb: Any) -> bool:
    return bool(_spectral_peaks(_dft_cropped(rgb)).max() > MOIRE_PEAK)


def _spectral_peaks(rgb: Any) -> Any:
    """How far each frequency of the grey image stands above its neighbourhood (log
    magnitude), zero at the low frequencies; centred spectrum."""
    import cv2
    import numpy as np

    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    return _peaks_of(cv2.dft(grey - grey.mean(), flags=cv2.DFT_COMPLEX_OUTPUT))


def _peaks_of(spectrum: Any) -> Any:
    import cv2
    import numpy as np

    h, w = spectrum.shape[:2]
    mag = np.log1p(np.fft.fftshift(cv2.magnitude(spectrum[..., 0], spectrum[..., 1])))
    fy = (np.arange(h, dtype=np.float32) - h / 2) / h
    fx = (np.arange(w, dtype=np.float32) - w / 2) / w
    radius = np.sqrt(fy[:, None] ** 2 + fx[None, :] ** 2)
    peaks = mag - _wide_blur(mag, 8)
    peaks[radius <= MOIRE_R0] = 0
    return peaks


def _remove_moire(arr: Any) -> Any:
    """Notch filter: the isolated spectral peaks of a screen's pixel grid beating against the
    camera's are zeroed in every channel; text, whose spectrum is broad, keeps its strokes.
    (Notching the luminance alone, in one transform, was measured: 0.3–0.6 points more CER
    on the photographed screens of three corpora, so each colour is filtered.)"""
    import cv2
    import numpy as np

    h, w = arr.shape[:2]
    padded = _dft_padded(arr)
    notch = cv2.dilate((_spectral_peaks(padded) > 3.0).astype(np.uint8), np.ones((7, 7), np.uint8))
    keep = np.fft.ifftshift(notch == 0).astype(np.float32)[..., None]
    out = np.empty_like(arr)
    for c in range(arr.shape[2]):
        spectrum = cv2.dft(padded[..., c].astype(np.float32), flags=cv2.DFT_COMPLEX_OUTPUT)
        spectrum *= keep
        back = cv2.idft(spectrum, flags=cv2.DFT_SCALE | cv2.DFT_REAL_OUTPUT)
        out[..., c] = np.clip(back[:h, :w], 0, 255)
    return out


def _is_flat(rgb: Any) -> bool:
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


def _tilt(rgb: Any) -> float:
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


# A file as this process last saw it: the cache key, the read and the layout each ask for its
# plan and its engine input, and each is the same for the same path, mtime and size.
_FileKey = tuple[str, int, int]
_last_input: tuple[_FileKey, str, Image.Image] | None = None  # key, plan signature, image


def _file_key(path: str | Path) -> _FileKey | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (os.path.abspath(path), st.st_mtime_ns, st.st_size)


def plan_for_file(path: str | Path) -> Plan:
    """The plan for an image file, from a reduced decode (JPEG draft mode): cheap enough to
    run in the parent for the cache key, and the same wherever it runs (made once per file
    and version of it in a process)."""
    key = _file_key(path)
    return _plan_for_key(key) if key is not None else _plan_for_file(path)


@lru_cache(maxsize=16)
def _plan_for_key(key: _FileKey) -> Plan:
    return _plan_for_file(key[0])


def remember_engine_input(path: str | Path, plan: Plan, image: Image.Image) -> None:
    """Keep the image the engine read for ``path`` (one file at a time): the layout reads
    its pixels next."""
    global _last_input
    key = _file_key(path)
    _last_input = (key, plan.signature, image) if key is not None and plan.signature else None


def kept_engine_input(path: str | Path) -> Image.Image | None:
    """The engine input kept for ``path`` as it is now (None: none kept): a worker sends it
    to the parent with the result, whose layout reads it next."""
    kept = _last_input
    return kept[2] if kept is not None and kept[0] == _file_key(path) else None


def engine_input_for_file(path: str | Path) -> Image.Image:
    """The image the engine read for an image file: kept from the read when it was this
    process's last, else the original straightened again by the same plan."""
    key = _file_key(path)
    plan = _plan_for_key(key) if key is not None else _plan_for_file(path)
    kept = _last_input
    if kept is not None and kept[0] == key and kept[1] == plan.signature:
        return kept[2]
    return prepare(load_image(path), plan).image


def _plan_for_file(path: str | Path) -> Plan:
    from PIL import Image, ImageOps

    _register_heif()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(path) as img:
            check_size(str(path), img.width, img.height)
            img.draft("RGB", (2 * PLAN_SIDE, 2 * PLAN_SIDE))
            upright: Image.Image = ImageOps.exif_transpose(img) or img
            return plan_for(upright.convert("RGB"))
