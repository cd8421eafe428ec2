"""Box geometry the layout readers share."""

from __future__ import annotations

from evidence_kit.models import Box


def test_boxes_overlap_only_when_they_share_area() -> None:
    a = Box(0, 0, 10, 10)
    assert a.overlaps(Box(9, 9, 20, 20))
    assert not a.overlaps(Box(10, 0, 20, 10))  # touching edges share no area
    assert not a.overlaps(Box(0, 11, 10, 20))


def test_x_overlap_is_the_shared_width_or_the_gap() -> None:
    a = Box(0, 0, 10, 5)
    assert a.x_overlap(Box(4, 50, 30, 60)) == 6
    assert a.x_overlap(Box(13, 0, 20, 5)) == -3
