import math
import random

import pytest

from evidence_kit.models import Box, OcrLine
from evidence_kit.ocr.order import estimate_skew, group_rows, reading_order


def line(text: str, x0: float, y0: float, x1: float, y1: float, page: int = 0) -> OcrLine:
    return OcrLine(text, Box(x0, y0, x1, y1), 0.99, page)


def rotated_table(rows: int, cols: int, degrees: float, pitch: int = 48) -> list[OcrLine]:
    """Cells of a table rotated about the origin: their axis-aligned boxes, shuffled."""
    a = math.radians(degrees)
    cells = []
    for r in range(rows):
        for c in range(cols):
            x0, y0, w, h = 60 + c * 330, 200 + r * pitch, 240, 32
            corners = [(x0, y0), (x0 + w, y0), (x0, y0 + h), (x0 + w, y0 + h)]
            xs = [x * math.cos(a) - y * math.sin(a) for x, y in corners]
            ys = [x * math.sin(a) + y * math.cos(a) for x, y in corners]
            cells.append(line(f"r{r}c{c}", min(xs) + 100, min(ys), max(xs) + 100, max(ys)))
    random.Random(7).shuffle(cells)
    return cells


@pytest.mark.parametrize("degrees", [0.0, 1.0, -1.5, 2.0, -2.0])
def test_rotated_table_reads_row_by_row(degrees: float) -> None:
    ordered = reading_order(rotated_table(8, 5, degrees))
    assert [ln.text for ln in ordered] == [f"r{r}c{c}" for r in range(8) for c in range(5)]


def test_unrotated_sort_by_top_would_interleave_but_skew_fixes_it() -> None:
    cells = rotated_table(8, 5, 2.0, pitch=40)
    naive = [ln.text for ln in sorted(cells, key=lambda ln: (ln.box.cy, ln.box.x0))]
    expected = [f"r{r}c{c}" for r in range(8) for c in range(5)]
    assert naive != expected  # the case the skew estimate exists for
    assert [ln.text for ln in reading_order(cells)] == expected
    assert math.degrees(math.atan(estimate_skew(cells))) == pytest.approx(2.0, abs=0.3)


def test_rows_left_to_right_and_pages_in_order() -> None:
    lines = [
        line("b", 500, 100, 600, 130, page=1),
        line("second", 300, 102, 400, 128),
        line("first", 10, 100, 120, 130),
        line("below", 10, 160, 200, 190),
        line("a", 10, 100, 100, 130, page=1),
    ]
    rows = group_rows(lines)
    assert [[ln.text for ln in row] for row in rows] == [["first", "second"], ["below"], ["a", "b"]]


def test_stacked_chat_lines_stay_separate_rows() -> None:
    lines = [line("left", 200, 300, 700, 350), line("right", 340, 360, 880, 410)]
    assert [len(r) for r in group_rows(lines)] == [1, 1]


def test_empty() -> None:
    assert reading_order([]) == []
    assert estimate_skew([]) == 0.0
