"""Straightening photos and scans before OCR.

A photographed screen or page is found and warped flat, a tilted scan is deskewed, red seals
are faded out by colour, glare spots are in-painted, moiré is notched out, and shadow and uneven
light are divided out (the steps are in ``ocr/prep``). Each step runs only when a cheap test on
a small copy says it is needed. The exhibit keeps the untouched original; only the engine's
input changes, and the cache key says how (``Plan.signature``), so a screenshot that needs none
of this keeps its old cache entry.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_kit.ocr.loading import check_size, load_image, register_heif
from evidence_kit.ocr.prep.deblock import block_grid, deblock
from evidence_kit.ocr.prep.flat import is_flat
from evidence_kit.ocr.prep.light import flatten_light, has_glare, inpaint_glare, uneven_light
from evidence_kit.ocr.prep.moire import has_moire, remove_moire
from evidence_kit.ocr.prep.outline import CROP_MARGIN, find_quad, text_outside
from evidence_kit.ocr.prep.seal import fade_red, has_seal
from evidence_kit.ocr.prep.tilt import tilt

if TYPE_CHECKING:
    from PIL import Image

# Plans are made on a copy at most this large (fast and the same in parent and worker).
PLAN_SIDE = 1000
# Raise whenever a step changes the pixels it gives the engine: straightened images are then
# read again instead of coming from the OCR cache (screenshots, given nothing, are not).
PREPARE_VERSION = 13


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
    if is_flat(rgb):  # a screenshot or clean render: nothing was photographed or scanned
        return Plan(seal=has_seal(rgb), angle=tilt(rgb))
    quad = find_quad(rgb)
    angle = 0.0 if quad else tilt(rgb)
    return Plan(seal=has_seal(rgb), quad=quad, angle=angle, glare=has_glare(rgb),
                light=uneven_light(rgb, quad), moire=has_moire(rgb),
                crop=quad is not None and not text_outside(rgb, quad))


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
    if plan.light:
        # First: JPEG's blocks were the last thing done to the photo, and they lie on its own
        # pixel grid. Only before raising the light, which would raise their steps too.
        grid = block_grid(cv2.cvtColor(arr, cv2.COLOR_RGB2GRAY))
        if grid is not None:
            page = None
            if plan.quad:  # the desk around the page is not read: only the page is smoothed
                xs, ys = [x * w for x, _ in plan.quad], [y * h for _, y in plan.quad]
                page = (int(min(xs)), int(min(ys)), int(max(xs)) + 1, int(max(ys)) + 1)
            arr = np.clip(np.rint(deblock(arr, grid, page)), 0, 255).astype(np.uint8)
    if plan.moire:  # first: the pattern is regular only in the photo's own pixel grid
        arr = remove_moire(arr)
    if plan.seal:
        arr = fade_red(arr, PLAN_SIDE)
    if plan.glare:
        arr = inpaint_glare(arr)
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
        arr = flatten_light(arr)
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

    register_heif()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with Image.open(path) as img:
            check_size(str(path), img.width, img.height)
            img.draft("RGB", (2 * PLAN_SIDE, 2 * PLAN_SIDE))
            upright: Image.Image = ImageOps.exif_transpose(img) or img
            return plan_for(upright.convert("RGB"))
