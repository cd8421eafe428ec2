"""``extract()``: normalise, find entities, dates and amounts, and report them against the input.

Offsets always refer to the string the caller passed. The text is normalised internally (see
:mod:`.normalize`) and every span is mapped back, so callers may pass raw OCR or PDF text, or
text they normalised themselves; ``text`` of each result is ``input[start:end]``.

Order matters: number entities (ID/bank cards, phones, contract numbers) are found first and
neither amounts nor dates may overlap them; a date and an amount cannot share characters
either — a written currency marker (``¥``, ``元``) wins over a date, a date over a bare number.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from ..models import Amount, DateMention, DurationMention, Entity, Extraction, RangeMention
from .amounts import find_amounts
from .dates import find_dates
from .entities import find_name_entities, find_number_entities
from .normalize import map_span, normalize_with_offsets, simplify_for_values
from .ranges import FoundRange, amount_ranges, find_durations, split_ranges
from .spans import SpanSet


def extract(text: str, *, reference: datetime | None = None) -> Extraction:
    """Amounts, dates and entities in ``text``, each sorted by start offset.

    ``reference`` is the moment relative expressions resolve against (昨天, 下午3点, 3月21日's
    year); without it only dates that carry their own year are reported (or take the year
    of an earlier full date in the same text).
    """
    if not text:
        return Extraction()
    norm, pos = normalize_with_offsets(text)
    norm = simplify_for_values(norm)

    numbers = find_number_entities(norm)
    blocked = SpanSet((e.start, e.end) for e in numbers)

    found_dates = find_dates(norm, reference)
    date_spans = SpanSet((d.start, d.end) for d in found_dates)
    found_amounts = [
        a
        for a in find_amounts(norm, blocked)
        if a.marked or not date_spans.overlaps(a.start, a.end)
    ]
    marked = SpanSet((a.start, a.end) for a in found_amounts if a.marked)
    found_dates = [
        d
        for d in found_dates
        if not blocked.overlaps(d.start, d.end) and not marked.overlaps(d.start, d.end)
    ]

    # a period named at once (本月第2周) is a range from the start
    found_ranges = [
        FoundRange(d.start, d.end, *d.value.split("/", 1)) for d in found_dates if "/" in d.value
    ]
    if found_ranges:
        found_dates = [d for d in found_dates if "/" not in d.value]
    if found_dates:
        found_dates, joined = split_ranges(norm, found_dates)
        found_ranges = sorted([*found_ranges, *joined])
    money_ranges = (
        amount_ranges(norm, [(a.start, a.end, a.value, a.currency) for a in found_amounts])
        if found_amounts
        else []
    )
    if money_ranges:
        inside = SpanSet((r.start, r.end) for r in money_ranges)
        found_amounts = [a for a in found_amounts if not inside.overlaps(a.start, a.end)]
    taken = [(d.start, d.end) for d in found_dates] + [(r.start, r.end) for r in found_ranges]
    taken += [(a.start, a.end) for a in found_amounts]
    taken += [(e.start, e.end) for e in numbers]
    found_durations = find_durations(norm, taken)

    amounts = []
    for a in found_amounts:
        start, end = map_span(pos, a.start, a.end)
        amounts.append(Amount(a.value, a.currency, a.label, text[start:end], start, end))
    dates = []
    for d in found_dates:
        start, end = map_span(pos, d.start, d.end)
        dates.append(DateMention(d.value, text[start:end], start, end, d.is_deadline))
    ranges = []
    for r in found_ranges:
        start, end = map_span(pos, r.start, r.end)
        ranges.append(RangeMention(r.first, r.last, text[start:end], start, end))
    for mr in money_ranges:
        start, end = map_span(pos, mr.start, mr.end)
        ranges.append(
            RangeMention(str(mr.low), str(mr.high), text[start:end], start, end, mr.currency)
        )
    ranges.sort(key=lambda r: r.start)
    durations = []
    for u in found_durations:
        start, end = map_span(pos, u.start, u.end)
        durations.append(DurationMention(u.value, text[start:end], start, end))
    entities = [_remap(e, text, pos) for e in numbers]
    entities.extend(_remap(e, text, pos) for e in find_name_entities(norm))
    entities.sort(key=lambda e: (e.start, -e.end))
    return Extraction(
        tuple(amounts), tuple(dates), tuple(entities), tuple(ranges), tuple(durations)
    )


def _remap(e: Entity, text: str, pos: list[int] | None) -> Entity:
    if pos is None:
        return e if e.text == text[e.start : e.end] else replace(e, text=text[e.start : e.end])
    start, end = map_span(pos, e.start, e.end)
    return replace(e, text=text[start:end], start=start, end=end)


def extract_amounts(text: str) -> tuple[Amount, ...]:
    """The amounts ``extract`` would report (entities and dates are taken into account)."""
    return extract(text).amounts


def extract_dates(text: str, *, reference: datetime | None = None) -> tuple[DateMention, ...]:
    """The dates ``extract`` would report."""
    return extract(text, reference=reference).dates


def extract_entities(text: str) -> tuple[Entity, ...]:
    """The entities ``extract`` would report."""
    return extract(text).entities
