"""Corrections: a title, a better date, exclude/include, a note — each a new ledger event."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from evidence_kit.errors import UsageError
from evidence_kit.intake.dating import parse_offset
from evidence_kit.ledger.events import EventType, Ledger, NewEvent
from evidence_kit.models import Entry

_DATE_FORMS = re.compile(
    r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?"
    r"(?:[ T](\d{1,2})[:：点](\d{2})?(?::(\d{2}))?)?"
    r"([+-]\d{2}:?\d{2}|Z)?"
)


def parse_user_datetime(text: str, utc_offset: str) -> str:
    """``2025-03-05``, ``2025-03-05 10:15``, ``2025/3/5 22:08``, ``2025年3月5日 10:15``, ISO."""
    raw = text.strip()
    m = _DATE_FORMS.fullmatch(raw)
    if not m:
        raise UsageError(
            f"cannot read the date '{text}'",
            'write it like "2025-03-05" or "2025-03-05 22:08"',
        )
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    try:
        if m.group(4) is None:
            return datetime(y, mo, d).date().isoformat()
        dt = datetime(y, mo, d, int(m.group(4)), int(m.group(5) or 0), int(m.group(6) or 0))
    except ValueError as e:
        raise UsageError(f"'{text}' is not a real date or time ({e})") from e
    zone = m.group(7)
    if zone == "Z":
        zone = "+00:00"
    tz = parse_offset(zone if zone else utc_offset)
    return dt.replace(tzinfo=tz).isoformat(timespec="seconds")


def parse_amount_value(text: str) -> str:
    """``1,234.56``, ``¥300``, ``300元`` -> ``"1234.56"`` / ``"300"`` (a plain decimal string)."""
    raw = text.strip().replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
    raw = raw.removesuffix("元").strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0:
        raise UsageError(f"cannot read the amount '{text}'", "write it like 1234.56")
    return str(value)


def annotate_entry(
    ledger: Ledger,
    entry_id: str,
    *,
    clock: Callable[[], datetime],
    utc_offset: str = "+08:00",
    title: str | None = None,
    occurred_at: str | None = None,
    excluded: bool | None = None,
    note: str | None = None,
    meta: dict[str, Any] | None = None,
    amounts: dict[int, str] | None = None,
    reviewed: dict[str, str] | None = None,
) -> Entry:
    """Record a correction as one ``annotated`` event; nothing earlier is changed.

    ``amounts`` maps an extracted amount's index to the value the person read on the original
    (``1,234.56``, ``¥300``); ``reviewed`` marks values as looked at, e.g.
    ``{"amount:0": "accepted"}``.
    """
    full_id = ledger.resolve_id(entry_id)
    payload: dict[str, Any] = {}
    if amounts:
        current = ledger.get_entry(full_id).extraction.amounts
        fixes = []
        for index, text in sorted(amounts.items()):
            if not 0 <= index < len(current):
                raise UsageError(f"the entry has no amount number {index + 1}")
            fixes.append(
                {
                    "index": index,
                    "value": parse_amount_value(text),
                    "was": str(current[index].value),
                }
            )
        payload["amounts"] = fixes
    if reviewed:
        payload["reviewed"] = dict(reviewed)
    if title is not None:
        payload["title"] = title.strip()
    if occurred_at is not None:
        payload["occurred_at"] = (
            parse_user_datetime(occurred_at, utc_offset) if occurred_at.strip() else ""
        )
    if excluded is not None:
        payload["excluded"] = excluded
    if note is not None:
        payload["note"] = note.strip()
    if meta:
        payload["meta"] = meta
    if not payload:
        raise UsageError("nothing to change")
    ledger.append(
        [NewEvent(EventType.ANNOTATED, full_id, payload)],
        clock().isoformat(timespec="seconds"),
    )
    return ledger.get_entry(full_id)
