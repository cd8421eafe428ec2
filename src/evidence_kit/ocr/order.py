"""Reading order rebuilt from boxes: rows top to bottom, left to right within a row.

Screenshots and photographed bills are often rotated by a degree or two. Sorting by the top
edge then interleaves the cells of neighbouring table rows, so the skew is estimated first from
pairs of boxes that sit side by side, and rows are formed on the de-skewed centre line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import median

from evidence_kit.models import OcrLine

MAX_SKEW_DEG = 5.0
# Above this many lines the pairwise skew estimate costs more than it is worth.
_MAX_PAIRS_LINES = 1500


def estimate_skew(lines: Sequence[OcrLine]) -> float:
    """Slope (dy/dx) of text rows, from pairs of boxes that overlap vertically and sit apart."""
    if len(lines) < 2 or len(lines) > _MAX_PAIRS_LINES:
        return 0.0
    limit = math.tan(math.radians(MAX_SKEW_DEG))
    slopes: list[float] = []
    for i, a in enumerate(lines):
        for b in lines[i + 1 :]:
            left, right = (a, b) if a.box.cx <= b.box.cx else (b, a)
            dx = right.box.cx - left.box.cx
            if right.box.x0 < left.box.x1 or dx <= 0:
                continue  # overlapping horizontally: a stacked pair, not a row
            h = min(a.box.height, b.box.height)
            if h <= 0 or abs(a.box.height - b.box.height) > 0.5 * max(a.box.height, b.box.height):
                continue
            overlap = min(a.box.y1, b.box.y1) - max(a.box.y0, b.box.y0)
            if overlap < 0.3 * h:
                continue
            slope = (right.box.cy - left.box.cy) / dx
            if abs(slope) <= limit:
                slopes.append(slope)
    return median(slopes) if len(slopes) >= 2 else 0.0


def group_rows(lines: Sequence[OcrLine]) -> list[list[OcrLine]]:
    """Lines clustered into rows (top to bottom), each row sorted left to right."""
    if not lines:
        return []
    by_page: dict[int, list[OcrLine]] = {}
    for line in lines:
        by_page.setdefault(line.page, []).append(line)
    rows: list[list[OcrLine]] = []
    for page in sorted(by_page):
        rows.extend(_rows_of_page(by_page[page]))
    return rows


def _rows_of_page(lines: list[OcrLine]) -> list[list[OcrLine]]:
    slope = estimate_skew(lines)
    x_ref = min(line.box.x0 for line in lines)

    def level(line: OcrLine) -> float:
        return line.box.cy - slope * (line.box.cx - x_ref)

    # A rotated box is taller than its text; the de-skewed text height is what rows share.
    def text_height(line: OcrLine) -> float:
        return max(1.0, line.box.height - abs(slope) * line.box.width)

    rows: list[tuple[float, float, list[OcrLine]]] = []  # (level, height, members)
    for line in sorted(lines, key=level):
        y, h = level(line), text_height(line)
        if rows:
            row_y, row_h, members = rows[-1]
            if abs(y - row_y) <= 0.5 * min(h, row_h):
                members.append(line)
                n = len(members)
                rows[-1] = ((row_y * (n - 1) + y) / n, max(row_h, h), members)
                continue
        rows.append((y, h, [line]))
    return [sorted(members, key=lambda ln: ln.box.x0) for _, _, members in rows]


def reading_order(lines: Sequence[OcrLine]) -> list[OcrLine]:
    """The lines in reading order (page, row, left to right); lines are kept separate."""
    return [line for row in group_rows(lines) for line in row]
