"""Payments the evidence shows, proposed for case.toml ``[[loan.payments]]``.

Bills and repayment screenshots say what was paid and when (``已还 2024-07-15`` in a bill's
status column, ``还款成功 ¥958.33``). Nothing is added on the kit's own word: the user confirms
each proposal, and each confirmed payment keeps the entry it came from as its exhibit.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from evidence_kit.analysis.loan import Payment, PaymentKind
from evidence_kit.models import Entry, Kind

_PAID = re.compile(r"已还款?|还款成功|扣款成功|实还|已结清|已支付|支付成功")
_LOOK_UP = 3  # a bill's row: the amount sits a few cells above its status cell


@dataclass(frozen=True)
class ProposedPayment:
    date: date
    amount: Decimal
    kind: PaymentKind
    exhibit: str  # the entry id it was read from
    evidence: str  # the text it was read from, for the user to judge

    def to_payment(self) -> Payment:
        return Payment(self.date, self.amount, self.kind, self.exhibit)

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "amount": str(self.amount),
            "kind": self.kind.value,
            "exhibit": self.exhibit,
            "evidence": self.evidence,
        }


def _day(value: str) -> date | None:
    try:
        return datetime.fromisoformat(value[:10]).date()
    except ValueError:
        return None


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    return starts


def proposals_from_entry(entry: Entry) -> list[ProposedPayment]:
    """``已还``-style lines with a date, each paired with the amount on that line or, in a
    bill's table, the nearest amount in the lines just above."""
    text = entry.text
    if not text or entry.kind is Kind.RECORDING:
        return []
    starts = _line_starts(text)

    def line_of(offset: int) -> int:
        lo, hi = 0, len(starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo

    amounts_by_line: dict[int, list[Decimal]] = defaultdict(list)
    for a in entry.extraction.amounts:
        if a.value > 0:
            amounts_by_line[line_of(a.start)].append(a.value)
    out = []
    lines = text.split("\n")
    for d in entry.extraction.dates:
        n = line_of(d.start)
        line = lines[n]
        day = _day(d.value)
        if day is None or d.is_deadline or not _PAID.search(line):
            continue
        amount = None
        for k in range(n, max(-1, n - _LOOK_UP - 1), -1):
            if amounts_by_line.get(k):
                amount = amounts_by_line[k][-1]
                break
        if amount is None:
            continue
        shown = " / ".join(x.strip() for x in lines[max(0, n - _LOOK_UP) : n + 1] if x.strip())
        out.append(ProposedPayment(day, amount, PaymentKind.INSTALLMENT, entry.id, shown))
    return out


def propose_payments(
    entries: Iterable[Entry], recorded: Sequence[Payment] = ()
) -> list[ProposedPayment]:
    """Every payment the evidence shows that case.toml does not record yet, oldest first.

    A proposal is already recorded when the payments recorded on its day add up to its amount
    (a bill's 应还合计 is instalment + guarantee + membership fee paid together)."""
    per_day: dict[date, Decimal] = defaultdict(Decimal)
    for paid in recorded:
        per_day[paid.date] += paid.amount
    seen: set[tuple[date, Decimal]] = set()
    out: list[ProposedPayment] = []
    for entry in entries:
        if entry.excluded:
            continue
        for p in proposals_from_entry(entry):
            key = (p.date, p.amount)
            if key in seen or per_day.get(p.date) == p.amount:
                continue
            seen.add(key)
            out.append(p)
    return sorted(out, key=lambda p: (p.date, p.amount))
