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


def pick_longest(cands: Iterable[tuple[int, int, object]]) -> list[tuple[int, int, object]]:
    """Keep non-overlapping candidates, preferring the earliest start, then the longest."""
    out: list[tuple[int, int, object]] = []
    last_end = -1
    for start, end, item in sorted(cands, key=lambda c: (c[0], -c[1])):
        if start >= last_end:
            out.append((start, end, item))
            last_end = end
    return out
