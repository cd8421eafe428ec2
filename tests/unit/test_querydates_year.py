"""A query date without a year takes its year from the case's evidence (issue 10)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from evidence_kit.query.querydates import (
    EvidenceSpan,
    date_range_keys,
    needs_year,
    parse_query_date,
    year_for,
    year_notes,
)

TZ = timezone(timedelta(hours=8))
TODAY = datetime(2027, 6, 1, 12, 0, tzinfo=TZ)
CASE_2025 = EvidenceSpan(date(2025, 1, 3), date(2025, 4, 2))


def test_bare_month_day_takes_the_case_year_not_today() -> None:
    r = parse_query_date("3月10日", reference=TODAY, tz=TZ, evidence=CASE_2025)
    assert r.start == datetime(2025, 3, 10, tzinfo=TZ)
    assert r.year_from == "evidence"


def test_without_evidence_the_clock_year_is_used_and_said() -> None:
    r = parse_query_date("3月10日", reference=TODAY, tz=TZ)
    assert (r.start.year, r.year_from) == (2027, "clock")


def test_written_year_wins_and_is_not_noted() -> None:
    r = parse_query_date("2024-03-10", reference=TODAY, tz=TZ, evidence=CASE_2025)
    assert (r.start.year, r.year_from) == (2024, None)


def test_year_nearest_the_span_when_outside_it() -> None:
    # A case from 2024-11 to 2025-02: 12月 is 2024, 1月 is 2025, 6月 is nearest in 2025.
    span = EvidenceSpan(date(2024, 11, 5), date(2025, 2, 20))
    assert year_for(12, 1, span) == 2024
    assert year_for(1, 15, span) == 2025
    assert year_for(6, 1, span) == 2025


def test_span_from_entry_dates_skips_unreadable() -> None:
    span = EvidenceSpan.of(["2025-03-01T10:00:00+08:00", None, "junk", "2025-01-02"])
    assert span == EvidenceSpan(date(2025, 1, 2), date(2025, 3, 1))
    assert EvidenceSpan.of([None]) is None


def test_range_keys_and_notes() -> None:
    start, end = date_range_keys("3月10日", "3月12日", reference=TODAY, tz=TZ, evidence=CASE_2025)
    assert start == datetime(2025, 3, 10, tzinfo=TZ)
    assert end == datetime(2025, 3, 13, tzinfo=TZ)
    notes = year_notes(["3月10日", "2025-03-12"], reference=TODAY, tz=TZ, evidence=CASE_2025)
    assert notes == [("3月10日", "2025-03-10", "evidence")]
    assert needs_year("3月10日") and not needs_year("2025-03-10")
