"""Where the layout reads a straightened photo or scan: on the engine's own input.

A photographed phone screen is warped to its outline before OCR (``ocr.preprocess``); the
lines come back with boxes on the original, where a bubble's column leans with the photo and
each box is the bounding box of a tilted quadrilateral. The layout reads the lines on the
engine's input instead — columns straight, boxes tight, the pixels freed of moiré and glare —
and what it places (a value's box, a message's box) goes back onto the original, which the
exhibit and the review show.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_kit.errors import EvidenceKitError
from evidence_kit.models import Box, Extraction, Message, OcrFrame, OcrLine, OcrResult

if TYPE_CHECKING:
    from PIL import Image


@dataclass(frozen=True)
class LayoutView:
    """The lines, the canvas size and the pixels the layout reads, and the way back."""

    lines: tuple[OcrLine, ...]  # before normalisation, one per result line
    width: int
    height: int
    pixels: Callable[[], Image.Image | None]
    matrix: tuple[tuple[float, ...], ...] | None  # original -> view; None: the original

    def back(self, box: Box | None) -> Box | None:
        """A box on the view, on the original."""
        if box is None or self.matrix is None:
            return box
        from evidence_kit.ocr.preprocess import to_original

        (found,) = to_original([(box.x0, box.y0, box.x1, box.y1)], self.matrix)
        return Box(*found)

    def extraction_back(self, ex: Extraction) -> Extraction:
        if self.matrix is None:
            return ex
        return replace(
            ex,
            amounts=tuple(replace(a, box=self.back(a.box)) for a in ex.amounts),
            dates=tuple(replace(d, box=self.back(d.box)) for d in ex.dates),
        )

    def messages_back(self, messages: Sequence[Message]) -> tuple[Message, ...]:
        if self.matrix is None:
            return tuple(messages)
        return tuple(replace(m, box=self.back(m.box)) for m in messages)


def layout_view(result: OcrResult, path: Path) -> LayoutView:
    """The engine's input when it read a straightened copy (the result says so), else the
    original as stored."""
    frame = result.frame
    if frame is None or len(frame.boxes) != len(result.lines):
        return LayoutView(result.lines, result.width, result.height,
                          lambda: _original(path), None)
    cut = _screen_cut(frame)
    if cut is None:
        lines = tuple(
            replace(ln, box=b) for ln, b in zip(result.lines, frame.boxes, strict=True)
        )
        return LayoutView(lines, frame.width, frame.height, lambda: _engine_input(path),
                          frame.matrix)
    # Cut to the outline: the desk around a photographed screen is no part of the chat (its
    # columns and margins are the screen's).
    x0, y0, x1, y1 = cut
    lines = tuple(
        replace(ln, box=Box(b.x0 - x0, b.y0 - y0, b.x1 - x0, b.y1 - y0))
        for ln, b in zip(result.lines, frame.boxes, strict=True)
    )
    shift = ((1.0, 0.0, -x0), (0.0, 1.0, -y0), (0.0, 0.0, 1.0))
    matrix = tuple(
        tuple(sum(shift[i][k] * frame.matrix[k][j] for k in range(3)) for j in range(3))
        for i in range(3)
    )

    def pixels() -> Image.Image | None:
        image = _engine_input(path)
        if image is None or image.size != (frame.width, frame.height):
            return None
        return image.crop((x0, y0, x1, y1))

    return LayoutView(lines, x1 - x0, y1 - y0, pixels, matrix)


# The outline found may sit a little inside the screen's true edge: the cut keeps this much
# (a share of its side) beyond it.
CUT_MARGIN = 0.01


def _screen_cut(frame: OcrFrame) -> tuple[int, int, int, int] | None:
    """The outline (with a hair of margin) as whole pixels, when every line lies on it."""
    o = frame.outline
    if o is None:
        return None
    mx, my = CUT_MARGIN * o.width, CUT_MARGIN * o.height
    x0, y0 = max(0, int(o.x0 - mx)), max(0, int(o.y0 - my))
    x1, y1 = min(frame.width, int(o.x1 + mx + 1)), min(frame.height, int(o.y1 + my + 1))
    if x1 - x0 < 0.5 * frame.width or y1 - y0 < 0.5 * frame.height:
        return None
    if not all(x0 <= b.cx <= x1 and y0 <= b.cy <= y1 for b in frame.boxes):
        return None
    return x0, y0, x1, y1


def _original(path: Path) -> Image.Image | None:
    """The stored original's pixels (None when they cannot be read)."""
    from evidence_kit.ocr import load_image

    try:
        return load_image(path)
    except EvidenceKitError:
        return None


def _engine_input(path: Path) -> Image.Image | None:
    """The image the engine read: kept from the read in this process, else the original
    straightened again by the same plan (made from the file alone, so the same one)."""
    from evidence_kit.ocr.preprocess import engine_input_for_file

    try:
        return engine_input_for_file(path)
    except (EvidenceKitError, OSError, ValueError):
        return None
