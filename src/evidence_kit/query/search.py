"""The query model shared by ``search``, the timeline and the bundle.

``make_query`` turns what the user typed (words, ``--from 2025-03``, ``--min 3千``) into a
``Query``; ``search`` runs it against the ledger (SQL lives in ``ledger.py``) and says, for each
entry, which chat message or text line matched, so the user sees *why* it is a hit.

Words are substrings (Chinese has no spaces): three or more characters go through the FTS5
trigram index; one or two characters (罚息, 逾期) are below what trigrams index and go through
the ledger's short-word index of single characters and pairs (``ledger/grams.py``), which finds
what a substring test finds. On a few candidates left by the other filters, words are that
substring test.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from evidence_kit.errors import UsageError
from evidence_kit.i18n import _
from evidence_kit.intake.dating import parse_offset
from evidence_kit.ledger.events import Ledger
from evidence_kit.ledger.search_sql import SearchFilter
from evidence_kit.models import Entry, Kind, Side
from evidence_kit.query.querydates import (
    EvidenceSpan,
    date_range_keys,
    parse_query_amount,
    to_sort_key,
)

TRIGRAM = 3  # FTS5's trigram tokenizer indexes substrings of at least this many characters
SNIPPET_CHARS = 24  # context on each side of the first hit
HL_OPEN, HL_CLOSE = "«", "»"


@dataclass(frozen=True)
class Query:
    words: tuple[str, ...] = ()
    start: datetime | None = None  # inclusive, aware
    end: datetime | None = None  # exclusive, aware
    min_amount: Decimal | None = None
    max_amount: Decimal | None = None
    kinds: tuple[Kind, ...] = ()
    labels: tuple[str, ...] = ()
    side: Side | None = None

    @property
    def has_amount_filter(self) -> bool:
        return self.min_amount is not None or self.max_amount is not None or bool(self.labels)

    @property
    def is_empty(self) -> bool:
        return self == Query()


@dataclass(frozen=True)
class Match:
    """One place in an entry that matched: a chat message, a line of text, or the title."""

    where: str  # message | line | title | note
    text: str
    spans: tuple[tuple[int, int], ...]  # character offsets of the words in ``text``
    side: Side | None = None
    time: str | None = None
    index: int = 0  # position of the message / line in the entry

    def highlighted(self, open_: str = HL_OPEN, close: str = HL_CLOSE) -> str:
        return highlight(self.text, self.spans, open_, close)

    def to_json(self) -> dict[str, Any]:
        return {
            "where": self.where,
            "text": self.text,
            "side": self.side.value if self.side else None,
            "time": self.time,
            "index": self.index,
            "spans": [list(s) for s in self.spans],
        }


@dataclass(frozen=True)
class Hit:
    entry: Entry
    matches: tuple[Match, ...] = ()
    amounts: tuple[str, ...] = ()  # the amounts that satisfied --min/--max/--label, or all

    @property
    def snippet(self) -> str:
        if self.matches:
            m = self.matches[0]
            return excerpt(m.text, m.spans)
        text = " ".join(self.entry.text.split())
        return text[: 2 * SNIPPET_CHARS] + ("…" if len(text) > 2 * SNIPPET_CHARS else "")

    def to_json(self) -> dict[str, Any]:
        e = self.entry
        return {
            "id": e.id,
            "kind": e.kind.value,
            "occurred_at": e.occurred_at,
            "title": e.display_title,
            "sha256": e.sha256,
            "amounts": [a.to_json() for a in e.extraction.amounts],
            "snippet": self.snippet,
            "matches": [m.to_json() for m in self.matches],
            "matched_amounts": list(self.amounts),
            "excluded": e.excluded,
        }


@dataclass(frozen=True)
class SearchPage:
    """One page of hits, with how many entries match in all."""

    hits: tuple[Hit, ...]
    total: int
    limit: int | None
    offset: int

    def to_json(self) -> dict[str, Any]:
        return {
            "results": [h.to_json() for h in self.hits],
            "total": self.total,
            "limit": self.limit,
            "offset": self.offset,
        }


# ---------------------------------------------------------------- building a query


def split_words(words: str | Iterable[str] | None) -> tuple[str, ...]:
    if words is None:
        return ()
    if isinstance(words, str):
        words = [words]
    out: list[str] = []
    for w in words:
        out.extend(part for part in w.split() if part)
    return tuple(dict.fromkeys(out))  # drop repeats, keep order


def make_query(
    words: str | Iterable[str] | None = None,
    *,
    date_from: str | None = None,
    date_to: str | None = None,
    min_amount: str | None = None,
    max_amount: str | None = None,
    kinds: Iterable[str] = (),
    labels: Iterable[str] = (),
    side: str | None = None,
    reference: datetime,
    utc_offset: str = "+08:00",
    evidence: EvidenceSpan | None = None,
) -> Query:
    """A ``Query`` from user text. ``reference`` gives the year of ``3月1日``.

    Raises ``UsageError`` (exit code 2) with a how-to for anything it cannot read.
    """
    tz = parse_offset(utc_offset)
    start, end = date_range_keys(date_from, date_to, reference=reference, tz=tz, evidence=evidence)
    lo = parse_query_amount(min_amount) if min_amount is not None else None
    hi = parse_query_amount(max_amount) if max_amount is not None else None
    if lo is not None and hi is not None and hi < lo:
        raise UsageError(
            _("--min {low} is more than --max {high}").format(low=min_amount, high=max_amount),
            _("swap them"),
        )
    kind_set: list[Kind] = []
    for k in kinds:
        try:
            kind_set.append(Kind(k.strip().lower()))
        except ValueError:
            names = ", ".join(x.value for x in Kind)
            raise UsageError(
                _("unknown kind '{kind}'").format(kind=k),
                _("use one of: {choices}").format(choices=names),
            ) from None
    side_value: Side | None = None
    if side is not None:
        try:
            side_value = Side(side.strip().lower())
        except ValueError:
            raise UsageError(
                _("unknown side '{side}'").format(side=side), _("use them or me")
            ) from None
    return Query(
        words=split_words(words),
        start=start,
        end=end,
        min_amount=lo,
        max_amount=hi,
        kinds=tuple(dict.fromkeys(kind_set)),
        labels=tuple(x.strip() for x in labels if x.strip()),
        side=side_value,
    )


# ---------------------------------------------------------------- running it


def search(
    ledger: Ledger, query: Query, *, include_excluded: bool = True, with_lines: bool = False
) -> list[Hit]:
    """Entries matching every filter of ``query``, oldest first (undated last).

    The entries come without their OCR ``lines`` unless ``with_lines`` (the bundle needs them
    for redaction boxes; listing and matching do not).
    """
    entries = ledger.search_entries(_sql_filter(query), with_lines=with_lines)
    hits = []
    for entry in entries:
        if not include_excluded and entry.excluded:
            continue
        hit = explain(entry, query)
        if hit is not None:
            hits.append(hit)
    return hits


def search_page(
    ledger: Ledger,
    query: Query,
    *,
    limit: int | None = 50,
    offset: int = 0,
    include_excluded: bool = True,
    with_lines: bool = False,
) -> SearchPage:
    """``limit`` hits from ``offset`` on (oldest first), and the total that match.

    The total and the page are two SQL statements; only the page's entries are read and
    explained. The ``side`` filter and ``include_excluded=False`` are checked in Python, so with
    them every candidate is read (a chat-side search stays small: chats only).
    """
    if limit is not None and limit < 0:
        raise UsageError(f"--limit {limit} is negative", "give 0 or more")
    if offset < 0:
        raise UsageError(f"--offset {offset} is negative", "give 0 or more")
    if query.side is not None or not include_excluded:
        hits = search(ledger, query, include_excluded=include_excluded, with_lines=with_lines)
        end = None if limit is None else offset + limit
        return SearchPage(tuple(hits[offset:end]), len(hits), limit, offset)
    flt = _sql_filter(query)
    if query.words and not (query.start or query.end or query.has_amount_filter):
        # Words alone can match most of the ledger: count first (the FTS index counts without
        # reading a row), so the page can be read in date order and stop early.
        total = ledger.count_entries(flt)
        if limit == 0 or offset >= total:
            return SearchPage((), total, limit, offset)
        entries = ledger.search_entries(
            flt, limit=limit, offset=offset, with_lines=with_lines, total=total
        )
    else:
        # Date and amount ranges are narrow: count and page in one pass over the candidates.
        total, entries = ledger.search_entries_counted(
            flt, limit=limit, offset=offset, with_lines=with_lines
        )
    hits = [h for h in (explain(e, query) for e in entries) if h is not None]
    return SearchPage(tuple(hits), total, limit, offset)


def _sql_filter(query: Query) -> SearchFilter:
    return SearchFilter(
        fts_terms=tuple(w for w in query.words if len(w) >= TRIGRAM),
        like_terms=tuple(w for w in query.words if len(w) < TRIGRAM),
        sort_from=to_sort_key(query.start) if query.start else None,
        sort_to=to_sort_key(query.end) if query.end else None,
        min_value=float(query.min_amount) if query.min_amount is not None else None,
        max_value=float(query.max_amount) if query.max_amount is not None else None,
        labels=query.labels,
        kinds=tuple(k.value for k in query.kinds),
    )


def amount_ok(entry_amount: Any, query: Query) -> bool:
    if query.min_amount is not None and entry_amount.value < query.min_amount:
        return False
    if query.max_amount is not None and entry_amount.value > query.max_amount:
        return False
    if query.labels:
        label = entry_amount.label or ""
        return any(x in label for x in query.labels)
    return True


def explain(entry: Entry, query: Query) -> Hit | None:
    """Why ``entry`` matches ``query``: the messages/lines holding the words, the amounts.

    Returns None when a filter that SQL cannot check (``side``) rules the entry out.
    """
    amounts = entry.extraction.amounts
    matched_amounts = [a for a in amounts if amount_ok(a, query)] if query.has_amount_filter else []
    matches = find_matches(entry, query.words, side=query.side)
    if query.side is not None:
        side_msgs = [m for m in entry.messages if m.side is query.side]
        if not side_msgs:
            return None
        if query.words:
            covered = {w.casefold() for m in matches for w in query.words if _has(m.text, w)}
            if len(covered) < len(query.words):
                return None
        if query.has_amount_filter:
            # The amount must be written in one of that side's messages.
            matched_amounts = [
                a for a in matched_amounts if any(_has(m.text, a.text) for m in side_msgs)
            ]
            if not matched_amounts:
                return None
            if not query.words:
                matches = [
                    Match(
                        "message",
                        m.text,
                        tuple(_spans(m.text, [a.text for a in matched_amounts])),
                        m.side,
                        m.time,
                        i,
                    )
                    for i, m in enumerate(entry.messages)
                    if m.side is query.side and any(_has(m.text, a.text) for a in matched_amounts)
                ]
    return Hit(entry, tuple(matches), tuple(str(a.value) for a in matched_amounts))


def find_matches(entry: Entry, words: Sequence[str], *, side: Side | None = None) -> list[Match]:
    """The chat messages (or, for other entries, text lines) that contain any of ``words``."""
    if not words:
        return []
    out: list[Match] = []
    if entry.messages:
        for i, m in enumerate(entry.messages):
            if side is not None and m.side is not side:
                continue
            spans = _spans(m.text, words)
            if spans:
                out.append(Match("message", m.text, tuple(spans), m.side, m.time, i))
    if not out and side is None:
        for i, line in enumerate(entry.text.splitlines()):
            spans = _spans(line, words)
            if spans:
                out.append(Match("line", line, tuple(spans), index=i))
        title = entry.display_title
        spans = _spans(title, words)
        if spans and not out:
            out.append(Match("title", title, tuple(spans)))
        if entry.user_note and (spans := _spans(entry.user_note, words)):
            out.append(Match("note", entry.user_note, tuple(spans)))
    return out


def _has(text: str, word: str) -> bool:
    return bool(word) and word.casefold() in text.casefold()


def _spans(text: str, words: Sequence[str]) -> list[tuple[int, int]]:
    """Where the words occur (case-insensitive), overlapping hits merged."""
    folded = text.casefold()
    found: list[tuple[int, int]] = []
    for w in words:
        fw = w.casefold()
        if not fw or len(fw) != len(w):  # casefold changed the length: fall back to exact
            fw, hay = w, text
        else:
            hay = folded
        pos = hay.find(fw)
        while pos >= 0 and fw:
            found.append((pos, pos + len(fw)))
            pos = hay.find(fw, pos + len(fw))
    found.sort()
    merged: list[tuple[int, int]] = []
    for s, e in found:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


def highlight(
    text: str, spans: Sequence[tuple[int, int]], open_: str = HL_OPEN, close: str = HL_CLOSE
) -> str:
    out, last = [], 0
    for s, e in spans:
        out.append(text[last:s])
        out.append(open_ + text[s:e] + close)
        last = e
    out.append(text[last:])
    return "".join(out)


def excerpt(text: str, spans: Sequence[tuple[int, int]], context: int = SNIPPET_CHARS) -> str:
    """A one-line excerpt around the first hit, the hits marked «like this»."""
    if not spans:
        flat = " ".join(text.split())
        return flat[: 2 * context] + ("…" if len(flat) > 2 * context else "")
    start = max(0, spans[0][0] - context)
    end = min(len(text), spans[0][1] + context)
    inner = [(s - start, e - start) for s, e in spans if s >= start and e <= end]
    body = highlight(text[start:end], inner).replace("\n", " ")
    return ("…" if start > 0 else "") + body + ("…" if end < len(text) else "")
