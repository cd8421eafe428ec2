"""Small helpers for character spans: overlap tests and picking non-overlapping candidates."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable


class SpanSet:
    """A set of non-overlapping half-open spans, asked whether a span overlaps any of them."""

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        self._ends = [e for _, e in ordered]

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_right(self._starts, end - 1)  # spans starting before `end`
        # Spans are disjoint and sorted, so their ends are sorted too: check the last one only.
        return i > 0 and self._ends[i - 1] > start

    def __bool__(self) -> bool:
        return bool(self._starts)
