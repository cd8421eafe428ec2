"""Dates and amounts as a user types them in a query: ``--from 2025-03``, ``--min 3千``.

Pure functions. A date becomes a half-open range of instants (``2025-03`` is the whole month,
``3月1日`` the whole day); ``--from`` takes its start, ``--to`` its end, so ``--from 2025-03
--to 2025-03`` means "in March". Amounts become Decimals.

A date without a year (``3月10日``) takes its year from the case's evidence when it is given
(``evidence``: the dates of the case's entries): the year in which that day falls inside the
span the evidence covers, else the year that puts it nearest that span; only without evidence
does it take the reference's (today's) year. ``DateRange.year_from`` says which happened, so
the output can say which year was used.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal, InvalidOperation

from evidence_kit.errors import UsageError
from evidence_kit.i18n import _

DATE_HINT = "write it like 2025-03-01, 2025-03, 2025/3/1, 2025年3月1日 or 3月1日"
AMOUNT_HINT = "write it like 3000, 3,000, 3千, 0.3万 or ¥1234.56"


def _date_hint() -> str:
    return _("write it like 2025-03-01, 2025-03, 2025/3/1, 2025年3月1日 or 3月1日")


def _amount_hint() -> str:
    return _("write it like 3000, 3,000, 3千, 0.3万 or ¥1234.56")


@dataclass(frozen=True)
class DateRange:
    start: datetime  # aware, inclusive
    end: datetime  # aware, exclusive
    year_from: str | None = None  # for a date written without a year: "evidence" | "clock"


@dataclass(frozen=True)
class EvidenceSpan:
    """The first and last day the case's evidence is dated."""

    first: date
    last: date

    @classmethod
    def of(cls, values: Iterable[str | None]) -> EvidenceSpan | None:
        """From ISO dates or date-times (``occurred_at`` values); None when none is readable."""
        days: list[date] = []
        for v in values:
            if not v:
                continue
            try:
                days.append(date.fromisoformat(v[:10]))
            except ValueError:
                continue
        return cls(min(days), max(days)) if days else None


def year_for(month: int, day: int, span: EvidenceSpan) -> int | None:
    """The year a month-day written alone most likely means in a case spanning ``span``."""
    best: tuple[int, int] | None = None  # (distance in days, -year)
    for year in range(span.first.year - 1, span.last.year + 2):
        try:
            d = date(year, month, day)
        except ValueError:
            continue
        if d < span.first:
            dist = (span.first - d).days
        elif d > span.last:
            dist = (d - span.last).days
        else:
            dist = 0
        key = (dist, -year)  # inside the span first; of equals, the later year
        if best is None or key < best:
            best = key
    return None if best is None else -best[1]


_SEP = r"\s*[-/.年]\s*"
_FULL = re.compile(
    rf"(?P<y>\d{{4}})(?:{_SEP}(?P<m>\d{{1,2}})(?:\s*[-/.月]\s*(?P<d>\d{{1,2}})\s*[日号]?"
    r"(?:[ T]+(?P<hh>\d{1,2})[:：点](?P<mi>\d{2})?分?)?|\s*月)?)?\s*年?"
)
_MONTH_DAY = re.compile(r"(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*[日号]?)?")
_COMPACT = re.compile(r"(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})")


def parse_query_date(
    text: str, *, reference: datetime, tz: tzinfo, evidence: EvidenceSpan | None = None
) -> DateRange:
    """A query date as the range it names. ``3月1日`` takes its year from ``evidence`` when
    given (see the module docstring), else from ``reference``.

    Raises ``UsageError`` for text that is not a date or names a day that does not exist.
    """
    raw = unicodedata.normalize("NFKC", text or "").strip()
    if not raw:
        raise UsageError(_("an empty date was given"), _date_hint())
    m = _COMPACT.fullmatch(raw) or _FULL.fullmatch(raw)
    year_from: str | None = None
    if m:
        parts = m.groupdict()
        year = int(parts["y"])
    else:
        m = _MONTH_DAY.fullmatch(raw)
        if not m:
            raise UsageError(_("cannot read the date '{text}'").format(text=text), _date_hint())
        parts = m.groupdict()
        year = reference.astimezone(tz).year if reference.tzinfo else reference.year
        year_from = "clock"
        if evidence is not None:
            inferred = year_for(int(parts["m"]), int(parts.get("d") or 1), evidence)
            if inferred is not None:
                year, year_from = inferred, "evidence"
    month = int(parts["m"]) if parts.get("m") else None
    day = int(parts["d"]) if parts.get("d") else None
    hour = int(parts["hh"]) if parts.get("hh") else None
    minute = int(parts["mi"]) if parts.get("mi") else 0
    try:
        if month is None:
            start = datetime(year, 1, 1, tzinfo=tz)
            end = datetime(year + 1, 1, 1, tzinfo=tz)
        elif day is None:
            start = datetime(year, month, 1, tzinfo=tz)
            end = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
        elif hour is None:
            start = datetime(year, month, day, tzinfo=tz)
            end = start + timedelta(days=1)
        else:
            start = datetime(year, month, day, hour, minute, tzinfo=tz)
            end = start + timedelta(minutes=1)
    except ValueError as e:
        raise UsageError(
            _("'{text}' is not a real date ({error})").format(text=text, error=e), _date_hint()
        ) from e
    return DateRange(start, end, year_from)


def date_range_keys(
    date_from: str | None,
    date_to: str | None,
    *,
    reference: datetime,
    tz: tzinfo,
    evidence: EvidenceSpan | None = None,
) -> tuple[datetime | None, datetime | None]:
    """``--from``/``--to`` as an inclusive start and an exclusive end (aware datetimes)."""
    start = (
        parse_query_date(date_from, reference=reference, tz=tz, evidence=evidence).start
        if date_from
        else None
    )
    end = (
        parse_query_date(date_to, reference=reference, tz=tz, evidence=evidence).end
        if date_to
        else None
    )
    if start is not None and end is not None and end <= start:
        raise UsageError(
            _("--from {start} is after --to {end}").format(start=date_from, end=date_to),
            _("swap them, or widen the range"),
        )
    return start, end


def year_notes(
    dates: Iterable[str | None],
    *,
    reference: datetime,
    tz: tzinfo,
    evidence: EvidenceSpan | None = None,
) -> list[tuple[str, str, str]]:
    """For each query date written without a year: (as written, the day read, where the year
    came from: "evidence" or "clock"). Dates that do not parse are left to the caller."""
    out: list[tuple[str, str, str]] = []
    for text in dates:
        if not text:
            continue
        try:
            r = parse_query_date(text, reference=reference, tz=tz, evidence=evidence)
        except UsageError:
            continue
        if r.year_from is not None:
            out.append((text, r.start.date().isoformat(), r.year_from))
    return out


def needs_year(text: str | None) -> bool:
    """Whether a query date is written without a year (so the case's evidence is asked)."""
    raw = unicodedata.normalize("NFKC", text or "").strip()
    return bool(raw) and _MONTH_DAY.fullmatch(raw) is not None


def to_sort_key(dt: datetime) -> str:
    """The ledger's ``occurred_sort`` form: UTC wall-clock, ISO, no offset."""
    return dt.astimezone(timezone.utc).replace(tzinfo=None).isoformat()


# ---------------------------------------------------------------- amounts

_UNITS = {
    "": Decimal(1),
    "元": Decimal(1),
    "块": Decimal(1),
    "百": Decimal(100),
    "千": Decimal(1000),
    "k": Decimal(1000),
    "万": Decimal(10000),
    "w": Decimal(10000),
    "亿": Decimal(100000000),
}
_PLAIN_AMOUNT = re.compile(
    r"(?:¥|rmb|cny)?\s*(?P<n>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*"
    r"(?P<u>百|千|k|万|w|亿)?\s*(?:元|块|rmb|cny)?"
)


def parse_query_amount(text: str) -> Decimal:
    """``3000``, ``3,000``, ``3千``, ``0.3万``, ``¥1234.56``, ``1.2k``; 三千元 via the extractor.

    Raises ``UsageError`` when the text is not one amount.
    """
    raw = unicodedata.normalize("NFKC", text or "").strip().lower().replace("￥", "¥")
    if not raw:
        raise UsageError(_("an empty amount was given"), _amount_hint())
    m = _PLAIN_AMOUNT.fullmatch(raw)
    if m:
        try:
            value = Decimal(m.group("n").replace(",", "")) * _UNITS[m.group("u") or ""]
        except InvalidOperation as e:  # pragma: no cover - the regex admits only numbers
            raise UsageError(
                _("cannot read the amount '{text}'").format(text=text), _amount_hint()
            ) from e
        return _tidy(value)
    value2 = _extracted_amount(raw)
    if value2 is None:
        raise UsageError(_("cannot read the amount '{text}'").format(text=text), _amount_hint())
    return value2


def _extracted_amount(raw: str) -> Decimal | None:
    """Chinese numerals (三千元, 壹万元整) through the extractor, when it is installed."""
    try:
        from evidence_kit.extract import extract_amounts
    except ImportError:
        return None
    try:
        found = extract_amounts(raw)
    except Exception:  # the extractor must not turn a bad query into a traceback
        return None
    if len(found) != 1:
        return None
    a = found[0]
    # The amount must be the whole text (壹万元整 may end in 整), not a number in a sentence.
    if a.start != 0 or raw[a.end :].strip() not in ("", "整"):
        return None
    return _tidy(Decimal(a.value))


def _tidy(value: Decimal) -> Decimal:
    """3E+3 → 3000, 1234.50 → 1234.5: shown to the user as written numbers."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral() else value
