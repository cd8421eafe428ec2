"""Bubbles as coloured regions of the pixels, with or without text (OpenCV).

A chat bubble is a region of one fill colour around its text. Flood-filling from the padding
just left of a line finds that region: its rectangle is the bubble's true extent (the column it
hugs, the lines it holds) and its colour tells one's own bubbles from the other side's. A
region as large as the screen is the background: the line is not set on a bubble.

Elements in the chat column that hold no text at all are pictures and stickers: a picture is an
opaque rectangle, a sticker or an emoji bubble shows the background around its drawing, or is
small.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from evidence_kit.models import Box, OcrLine

if TYPE_CHECKING:
    from PIL import Image

# Flood tolerance per channel: JPEG noise on a flat fill stays inside it; bubble borders and
# glyph edges do not.
FILL_DIFF = 6
MAX_DIFF = 12
# HSV saturation (0–255) above which a fill counts as tinted: light blue (Feishu, DingTalk own
# bubbles) measures ~30, white and grey fills below 10.
TINT_S = 22
# ... and above which a fill's colour is an app's own-bubble colour (WeChat green ~140), not a
# photo's colour cast on a white screen (below 50).
LONG_TINT_S = 70


@dataclass(frozen=True)
class Region:
    box: Box
    colour: tuple[int, int, int]  # the fill's RGB
    saturation: int
    area: int

    @property
    def tinted(self) -> bool:
        return self.saturation >= TINT_S


@dataclass(frozen=True)
class Blob:
    """An element with no text: a picture or a sticker."""

    box: Box
    picture: bool


class Pixels:
    """One image's pixels, with the flood regions found so far (each pixel filled once)."""

    def __init__(self, image: Image.Image, lines: Sequence[OcrLine] = ()) -> None:
        import numpy as np

        self.rgb = np.array(image.convert("RGB"))  # writable: floodFill asks for it
        self.h, self.w = self.rgb.shape[:2]
        self.label = np.zeros((self.h, self.w), dtype=np.int32)
        self.regions: list[Region | None] = [None]  # label -> region (None: background)
        self.background: tuple[int, int, int] | None = None
        self.text = [ln.box for ln in lines]  # a seed on a glyph fills the glyph
        self.mask: Any = None
        self._background_area = 0
        self._grid: tuple[Any, Any] | None = None  # patch medians and spreads

    def noise_of(self, colour: Any) -> float:
        """The noise of the image's fills of a colour: the spread of three in four small
        patches of that colour over the image (a screenshot's flat fills measure 0, even as a
        JPEG; a photo's and a JPEG's saturated fills 1.5 and more). Infinite when too few
        patches have the colour to say."""
        import numpy as np

        if self._grid is None:
            h, w = self.h, self.w
            step = max(5, int((h * w / 1500) ** 0.5))
            ys, xs = np.arange(2, h - 3, step), np.arange(2, w - 3, step)
            off = np.arange(-2, 3)
            rows = ys[:, None, None, None] + off[None, None, :, None]
            cols = xs[None, :, None, None] + off[None, None, None, :]
            patches = self.rgb[rows, cols].reshape(-1, 25, 3).astype(np.float32)
            med = np.median(patches, axis=1)
            spread = 1.5 * np.median(np.abs(patches - med[:, None, :]), axis=1).max(axis=1)
            self._grid = (med, spread)
        med, spread = self._grid
        alike = np.abs(med - np.asarray(colour, dtype=np.float32)).max(axis=1) <= MAX_DIFF
        if int(alike.sum()) < 5:
            return float("inf")
        return float(np.percentile(spread[alike], 75))

    def region_of(self, ln: OcrLine) -> Region | None:
        """The fill around a line (None: the line sits on the screen's background)."""
        b = ln.box
        pad = max(2, int(0.3 * b.height))
        y = int(b.cy)
        if not 0 <= y < self.h:
            return None
        for x in (int(b.x0) - pad, int(b.x1) + pad, int(b.x0) - 2 * pad, int(b.x1) + 2 * pad):
            on_text = any(t.x0 <= x <= t.x1 and t.y0 <= y <= t.y1 for t in self.text)
            if 0 <= x < self.w and not on_text:
                found = self._fill(x, y)
                if found is not None and _encloses(found.box, b):
                    return found
        # A small bubble's padding can lie inside the line's box (OCR boxes take in a few
        # pixels around the glyphs): seed in the box's corners, where its fill shows.
        for x, y in self._inner_seeds(b):
            found = self._fill(x, y)
            if found is not None and _encloses(found.box, b):
                return found
        return None

    def _inner_seeds(self, b: Box) -> list[tuple[int, int]]:
        """The corners of a line's box that have the colour of the box's rim (the fill
        around the glyphs; a corner on a glyph has the ink's and would fill the glyph)."""
        import numpy as np

        x0, y0 = max(0, int(b.x0) + 1), max(0, int(b.y0) + 1)
        x1, y1 = min(self.w - 1, int(b.x1) - 2), min(self.h - 1, int(b.y1) - 2)
        if x1 - x0 < 4 or y1 - y0 < 4:
            return []
        rim = np.concatenate(
            [self.rgb[y0, x0:x1], self.rgb[y1, x0:x1], self.rgb[y0:y1, x0], self.rgb[y0:y1, x1]]
        ).astype(np.int16)
        fill = np.median(rim, axis=0)
        out = []
        for x, y in ((x0, y0), (x0, y1), (x1, y0), (x1, y1)):
            patch = self.rgb[max(0, y - 1) : y + 2, max(0, x - 1) : x + 2].reshape(-1, 3)
            if np.abs(patch.astype(np.int16) - fill).max() <= FILL_DIFF:
                out.append((x, y))
        return out

    def settle(self, lines: Sequence[OcrLine]) -> None:
        """Fill around every line, then drop each region that holds another: a bubble holds
        no bubble, so that is the screen's background (a photographed screen does not fill
        the frame, so its background is not wider than the frame's three quarters)."""
        for ln in lines:
            self.region_of(ln)
        found = [(k, r) for k, r in enumerate(self.regions) if r is not None]
        for k, outer in found:
            if any(
                other is not outer and _encloses(outer.box, other.box, slack=0.0)
                for _j, other in found
            ):
                self.regions[k] = None
                wide = outer.box.width > 0.4 * self.w
                if wide and outer.area > self._background_area:
                    self.background = outer.colour
                    self._background_area = outer.area

    def on_background(self, ln: OcrLine) -> bool:
        """Whether the line's padding has the screen background's colour (a bubble whose fill
        leaked in a photo has its own)."""
        import numpy as np

        if self.background is None:
            return False
        b = ln.box
        pad = max(2, int(0.3 * b.height))
        y0, y1 = max(0, int(b.y0)), min(self.h, int(b.y1))
        x0, x1 = max(0, int(b.x0) - pad), max(0, int(b.x0) - 1)
        if y1 - y0 < 1 or x1 - x0 < 1:
            return False
        here = np.median(self.rgb[y0:y1, x0:x1].reshape(-1, 3), axis=0)
        return bool(np.abs(here - np.array(self.background)).max() <= 2 * FILL_DIFF)

    def chroma(self, ln: OcrLine) -> float | None:
        """How coloured the fill beside a line is (Lab chroma of the padding's median, which
        brightness does not move): a photo's light, glare and noise leave it, where a flood
        fill breaks up. None: no padding inside the image."""
        import cv2
        import numpy as np

        b = ln.box
        pad = max(3, int(0.35 * b.height))
        y0, y1 = int(max(0, b.y0 + 0.15 * b.height)), int(min(self.h, b.y1 - 0.15 * b.height))
        strips = []
        for x0, x1 in ((int(b.x0) - pad, int(b.x0) - 2), (int(b.x1) + 2, int(b.x1) + pad)):
            a, c = max(0, x0), min(self.w, x1)
            if c - a >= 2 and y1 - y0 >= 2:
                strips.append(self.rgb[y0:y1, a:c].reshape(-1, 3))
        if not strips:
            return None
        med = np.median(np.concatenate(strips), axis=0).astype(np.uint8)
        lab = cv2.cvtColor(med.reshape(1, 1, 3), cv2.COLOR_RGB2LAB)[0, 0].astype(float)
        return float(np.hypot(lab[1] - 128, lab[2] - 128))

    def _fill(self, x: int, y: int) -> Region | None:
        import cv2
        import numpy as np

        known = int(self.label[y, x])
        if known:
            return self.regions[known]
        if self.mask is None:  # one mask for all fills, cleared after each within its rect
            self.mask = np.zeros((self.h + 2, self.w + 2), dtype=np.uint8)
        mask = self.mask
        # The tolerance follows the fill's own noise: tight on a clean PNG (a white bubble on
        # a #F6F6F6 window differs by 9), looser on a JPEG or a photo.
        patch = self.rgb[max(0, y - 2) : y + 3, max(0, x - 2) : x + 3].reshape(-1, 3)
        # (a robust spread: a glyph's edge in the patch is no noise) ... but no more than that
        # of the image's fills of the seed's colour: JPEG ringing beside a bubble's edge is no
        # noise of the fill, and a tolerance loosened by it lets the background swallow a
        # white bubble 10 levels above it.
        noise = min(_noise(patch), self.noise_of(self.rgb[y, x]))
        d = (int(min(MAX_DIFF, max(FILL_DIFF, 3 * noise + FILL_DIFF))),) * 3
        flags = 4 | cv2.FLOODFILL_MASK_ONLY | cv2.FLOODFILL_FIXED_RANGE | (1 << 8)
        _n, _img, _mask, rect = cv2.floodFill(self.rgb, mask, (x, y), (0, 0, 0), d, d, flags)
        rx, ry, rw, rh = rect
        sub = mask[ry + 1 : ry + rh + 1, rx + 1 : rx + rw + 1]
        filled = sub.astype(bool)
        sub[:] = 0
        area = int(filled.sum())
        pixels = self.rgb[ry : ry + rh, rx : rx + rw][filled]
        r, g, b = (int(c) for c in np.median(pixels[:: max(1, len(pixels) // 5000)], axis=0))
        colour = (r, g, b)
        hsv = cv2.cvtColor(np.array([[colour]], dtype=np.uint8), cv2.COLOR_RGB2HSV)[0, 0]
        big = rw > 0.9 * self.w or area > 0.3 * self.w * self.h
        # A long message fills much of the screen: a strongly coloured fill (one's own
        # green or blue) that keeps clear of the screen's sides is a bubble however tall; a
        # chat's background is neutral and spans the screen.
        inset = rx > 0.02 * self.w and rx + rw < 0.98 * self.w
        if big and inset and rw <= 0.75 * self.w and int(hsv[1]) >= LONG_TINT_S:
            big = False
        region = None
        # A bubble is narrower than three quarters of the screen; wider fills are bars.
        if not big and area >= 20 and rw <= 0.75 * self.w:
            region = Region(Box(rx, ry, rx + rw, ry + rh), colour, int(hsv[1]), area)
        elif big and area > self._background_area:
            self.background = colour
            self._background_area = area
        self.regions.append(region)
        labels = self.label[ry : ry + rh, rx : rx + rw]
        labels[filled & (labels == 0)] = len(self.regions) - 1
        return region

    def blobs(
        self, lines: Sequence[OcrLine], text_h: float, top: float, bottom: float
    ) -> list[Blob]:
        """Elements that differ from the background and hold no text, between ``top`` and
        ``bottom`` (the chat's body), at least 0.8 text heights each way (an emoji on its own)."""
        import cv2
        import numpy as np

        if self.background is None:  # no line was set on it: the commonest colour
            step = max(1, int((self.w * self.h / 40000) ** 0.5))
            sample = self.rgb[::step, ::step].reshape(-1, 3) // 4 * 4
            colours, counts = np.unique(sample, axis=0, return_counts=True)
            red, green, blue = (int(c) for c in colours[int(np.argmax(counts))])
            self.background = (red, green, blue)
        bg = np.array(self.background, dtype=np.int16)
        diff = np.abs(self.rgb.astype(np.int16) - bg).max(axis=2)
        fg = (diff > 20).astype(np.uint8)
        # Text is no picture: blank its lines (with a margin) and the bubbles found around them.
        boxes = [(ln.box, int(0.25 * ln.box.height)) for ln in lines]
        boxes += [(r.box, 1) for r in self.regions if r is not None]
        for b, m in boxes:
            fg[max(0, int(b.y0) - m) : int(b.y1) + m, max(0, int(b.x0) - m) : int(b.x1) + m] = 0
        fg[: max(0, int(top))] = 0
        fg[int(bottom) :] = 0
        k = max(1, int(text_h / 6))
        fg = cv2.morphologyEx(fg, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
        n, _lab, stats, _c = cv2.connectedComponentsWithStats(fg, connectivity=8)
        out: list[Blob] = []
        for i in range(1, n):
            x, y, w, h, area = (int(v) for v in stats[i])
            if w < 0.8 * text_h or h < 0.8 * text_h or w > 0.8 * self.w:
                continue
            if x <= 1 or y <= 1 or x + w >= self.w - 1 or y + h >= self.h - 1:
                continue  # cut by the screen's edge: chrome or a frame, not a message
            opaque = area / (w * h)
            box = Box(x, y, x + w, y + h)
            out.append(Blob(box, picture=opaque > 0.85 and h > 3 * text_h))
        return out


def _noise(patch: Any) -> float:
    """A patch's spread about its median colour (robust: a glyph's edge in it is no noise)."""
    import numpy as np

    if not len(patch):
        return 0.0
    dev = np.abs(patch.astype(np.float32) - np.median(patch, axis=0))
    return float(1.5 * np.median(dev, axis=0).max())


def region_colour(regions: Sequence[Region]) -> Region | None:
    """The largest of a bubble's regions speaks for its colour."""
    return max(regions, key=lambda r: r.area) if regions else None


def _encloses(outer: Box, inner: Box, slack: float = 2.0) -> bool:
    """A bubble surrounds its text (a region beside the line is some other element)."""
    return (
        outer.x0 <= inner.x0 + slack
        and outer.y0 <= inner.y0 + slack
        and outer.x1 >= inner.x1 - slack
        and outer.y1 >= inner.y1 - slack
    )
