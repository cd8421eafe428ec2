"""The review queue: the extracted values a person should confirm against the original.

Values read with low confidence, or in a role that weighs most in a complaint (what is owed,
penalties, fees), come first. A value already accepted or corrected (``meta["reviewed"]``,
written by ``intake.annotate``) leaves the queue. Where each value was read is found from its
own ``box`` when the layout stage gave one, else from the OCR line holding its text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from evidence_kit.models import Amount, Box, DateMention, Entry

LOW_CONFIDENCE = 0.9
# Labels (and issue 9's roles) whose misreading changes what a complaint claims.
RISKY_WORDS = (
    "应还",
    "逾期",
    "罚息",
    "滞纳金",
    "违约金",
    "服务费",
    "担保费",
    "利息",
    "本金",
    "减免",
)
RISKY_ROLES = {"amount_due", "overdue", "penalty", "fee", "interest", "principal", "total"}


@dataclass(frozen=True)
class ReviewItem:
    entry_id: str
    what: str  # "amount" | "date"
    index: int  # position in the entry's extraction list
    value: str
    text: str  # as written in the original
    label: str | None
    confidence: float | None
    risky: bool
    box: Box | None  # where it was read, in image pixels

    @property
    def key(self) -> str:
        return f"{self.what}:{self.index}"

    @property
    def priority(self) -> tuple[int, float]:
        low = self.confidence is not None and self.confidence < LOW_CONFIDENCE
        return (0 if low else 1 if self.risky else 2, self.confidence or 1.0)


def value_box(entry: Entry, value: Any) -> Box | None:
    """The value's own box when it has one, else the first OCR line that contains its text."""
    own = getattr(value, "box", None)
    if isinstance(own, Box):
        return own
    text = getattr(value, "text", "")
    if not text:
        return None
    for line in entry.lines:
        if text in line.text:
            return line.box
    return None


def _confidence(entry: Entry, value: Any, box: Box | None) -> float | None:
    own = getattr(value, "confidence", None)
    if isinstance(own, (int, float)):
        return float(own)
    for line in entry.lines:  # fall back to the confidence of the line it was read from
        if box is not None and line.box == box:
            return float(line.confidence)
    return None


def _risky(label: str | None, role: str | None) -> bool:
    return (role or "") in RISKY_ROLES or any(w in (label or "") for w in RISKY_WORDS)


def entry_review_items(entry: Entry) -> list[ReviewItem]:
    """Every extracted amount and date of ``entry`` not yet reviewed."""
    done = entry.meta.get("reviewed") or {}
    out: list[ReviewItem] = []
    for i, a in enumerate(entry.extraction.amounts):
        if f"amount:{i}" in done:
            continue
        box = value_box(entry, a)
        role = getattr(a, "role", None)
        out.append(
            ReviewItem(
                entry.id,
                "amount",
                i,
                str(a.value),
                a.text,
                a.label,
                _confidence(entry, a, box),
                _risky(a.label, role),
                box,
            )
        )
    for i, d in enumerate(entry.extraction.dates):
        if f"date:{i}" in done:
            continue
        box = value_box(entry, d)
        out.append(
            ReviewItem(
                entry.id,
                "date",
                i,
                d.value,
                d.text,
                None,
                _confidence(entry, d, box),
                False,
                box,
            )
        )
    return out


@dataclass(frozen=True)
class Pending:
    """A value to review, ranked from the stored extraction alone (no entry built)."""

    entry_id: str
    key: str
    priority: tuple[int, float]


def rank_pending(
    rows: Iterable[tuple[str, dict[str, Any], dict[str, Any]]],
) -> list[Pending]:
    """Every value not yet reviewed, most in need of a look first: a low confidence given by
    the reader, then a risky label or role. Rows: ``(id, extraction, meta)`` as stored."""
    out: list[Pending] = []
    for entry_id, extraction, meta in rows:
        done = meta.get("reviewed") or {}
        for what, key in (("amount", "amounts"), ("date", "dates")):
            for i, v in enumerate(extraction.get(key) or []):
                k = f"{what}:{i}"
                if k in done:
                    continue
                conf = v.get("confidence")
                low = isinstance(conf, (int, float)) and conf < LOW_CONFIDENCE
                risky = what == "amount" and _risky(v.get("label"), v.get("role"))
                rank = 0 if low else 1 if risky else 2
                out.append(Pending(entry_id, k, (rank, float(conf) if low else 1.0)))
    return sorted(out, key=lambda p: p.priority)


def pending_of(entry: Entry) -> list[Pending]:
    """``rank_pending`` for one entry, from the entry itself (unsorted; nothing for an
    excluded entry): a caller holding the entries ranks again only those that changed."""
    if entry.excluded:
        return []
    done = entry.meta.get("reviewed") or {}
    out: list[Pending] = []
    values: list[tuple[str, Amount | DateMention]] = [
        *(("amount", a) for a in entry.extraction.amounts),
        *(("date", d) for d in entry.extraction.dates),
    ]
    counters = {"amount": 0, "date": 0}
    for what, v in values:
        k = f"{what}:{counters[what]}"
        counters[what] += 1
        if k in done:
            continue
        conf = v.confidence
        low = conf is not None and conf < LOW_CONFIDENCE
        risky = isinstance(v, Amount) and _risky(v.label, v.role)
        rank = 0 if low else 1 if risky else 2
        weight = float(conf) if low and conf is not None else 1.0
        out.append(Pending(entry.id, k, (rank, weight)))
    return out


def rank_entries(
    entries: Iterable[Entry], of: Callable[[Entry], list[Pending]] = pending_of
) -> list[Pending]:
    """``rank_pending`` over entries in ledger order; ``of`` may remember each entry's."""
    return sorted((p for e in entries for p in of(e)), key=lambda p: p.priority)


def review_queue(entries: Iterable[Entry]) -> list[ReviewItem]:
    """Values still to review across ``entries``, most in need of a look first; excluded
    entries do not go into a package, so they are left out."""
    items = [it for e in entries if not e.excluded for it in entry_review_items(e)]
    return sorted(items, key=lambda it: it.priority)
