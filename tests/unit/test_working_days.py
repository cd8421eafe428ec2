"""Working-day deadlines through the published holiday schedule (chinese-calendar)."""

from __future__ import annotations

from datetime import date

from evidence_kit.analysis.routing import add_working_days, count_working_days


def test_national_day_week_is_skipped_and_the_make_up_saturday_counts() -> None:
    # 2025: 10-01..10-08 off; Sunday 09-28 and Saturday 10-11 are make-up working days.
    assert add_working_days(date(2025, 9, 26), 1) == date(2025, 9, 28)
    assert add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert add_working_days(date(2025, 10, 10), 1) == date(2025, 10, 11)


def test_the_years_used_are_named() -> None:
    counted = count_working_days(date(2025, 3, 21), 7)
    assert counted.known_years == (2025,) and counted.unknown_years == ()
    assert "2025年节假日安排" in counted.note()


def test_beyond_the_calendar_counts_monday_to_friday_and_says_so() -> None:
    counted = count_working_days(date(2026, 12, 28), 10)
    assert 2027 in counted.unknown_years
    assert "2027年的节假日安排工具尚未收录" in counted.note()
    # 12-29..12-31 from the 2026 schedule; 2027 unknown, so Friday 1-1 counts: 1-1, 1-4..1-8, 1-11
    assert counted.due == date(2027, 1, 11)
