"""A person's decisions on an entry's values, carried over to a new machine reading of it.

A correction (``annotate`` with ``amounts=``) and a review mark (``reviewed=``) name a value by
its place in the reading they were made on (``amount:2``). Reading the entry again may find the
values in another order, or read one differently, so ``reanalyze`` would otherwise undo them.
``carried_decisions`` finds each decided value in the new reading by what was written on the
original (its text and where it stands) and returns the ``annotated`` payload that re-applies
the decisions to it: the ledger only grows, and a person's word wins over any later reading.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from evidence_kit.models import Entry


@dataclass(frozen=True)
class Carried:
    """The payload of the ``annotated`` event to record after the new reading (None: no
    decision to carry), and the decisions whose value the new reading no longer finds."""

    payload: dict[str, Any] | None
    lost: tuple[str, ...]


@dataclass(frozen=True)
class _Spot:
    text: str
    start: int
    label: str | None


def _spot(v: dict[str, Any] | Any) -> _Spot:
    if isinstance(v, dict):
        return _Spot(str(v.get("text", "")), int(v.get("start", 0)), v.get("label"))
    return _Spot(v.text, v.start, getattr(v, "label", None))


def _match(old: _Spot, new: Sequence[_Spot], taken: set[int]) -> int | None:
    """The new value read from the same words: the same text at the same place, else the same
    text nearest to it (OCR of other lines may have moved it). A value is matched once."""
    same_text = [j for j, s in enumerate(new) if j not in taken and s.text == old.text]
    if not same_text or not old.text:
        return None
    exact = [j for j in same_text if new[j].start == old.start]
    if exact:
        return exact[0]
    return min(same_text, key=lambda j: (abs(new[j].start - old.start), new[j].label != old.label))


def _same_number(a: Any, b: Any) -> bool:
    try:
        return Decimal(str(a)) == Decimal(str(b))
    except (InvalidOperation, ValueError):
        return str(a) == str(b)


def carried_decisions(before: Entry, extraction: dict[str, Any]) -> Carried:
    """Re-apply what the person decided on ``before`` (the entry as it stands, corrections
    folded in) to ``extraction`` (the new reading, as recorded in its ``analyzed`` event).

    - a corrected amount keeps the person's value, whatever the new reading says;
    - an accepted amount or date stays accepted only if it is read the same again: the person
      accepted that reading, not another one;
    - a date the person read differently (``corrected: ...``) keeps their reading.
    """
    marks: dict[str, str] = dict(before.meta.get("reviewed") or {})
    if not marks:
        return Carried(None, ())
    fixes: list[dict[str, Any]] = []
    reviewed: dict[str, str] = {}
    lost: list[str] = []
    kinds = (
        ("amount", before.extraction.amounts, extraction.get("amounts") or []),
        ("date", before.extraction.dates, extraction.get("dates") or []),
    )
    for what, old_values, new_values in kinds:
        new_spots = [_spot(v) for v in new_values]
        taken: set[int] = set()
        for key, mark in sorted(marks.items()):
            kind, _sep, index = key.partition(":")
            if kind != what or not index.isdigit() or int(index) >= len(old_values):
                continue
            old = old_values[int(index)]
            j = _match(_spot(old), new_spots, taken)
            if j is None:
                lost.append(key)
                continue
            taken.add(j)
            new_value = new_values[j].get("value")
            same = (
                _same_number(new_value, old.value) if what == "amount" else new_value == old.value
            )
            if mark == "corrected" and what == "amount" and not same:
                fixes.append({"index": j, "value": str(old.value), "was": str(new_value)})
            if mark.startswith("corrected") or same:
                reviewed[f"{what}:{j}"] = mark
    payload: dict[str, Any] = {}
    if fixes:
        payload["amounts"] = fixes
    if reviewed:
        payload["reviewed"] = reviewed
    return Carried(payload or None, tuple(lost))
