"""Every event in time order: chat screenshots expanded into their messages, notes and bills
interleaved, and a per-day summary of contacts (calls, messages, visits, at what hours).

Times are the case's local wall-clock time (chat timestamps carry no zone; aware times are
converted to the case's offset). Undated items come last, in ledger order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, tzinfo
from typing import TYPE_CHECKING, Any

from evidence_kit.models import Entry, Kind, Side

if TYPE_CHECKING:
    from evidence_kit.analysis.contacts import Contact

CALL_CHANNELS = {"phone"}
MESSAGE_CHANNELS = {"sms", "wechat", "app"}


@dataclass(frozen=True)
class TimelineItem:
    at: datetime | None  # local wall-clock time, naive
    time_known: bool  # False when only the day is known
    entry_id: str
    kind: Kind
    what: str  # "message" (one chat bubble) | "entry" (a whole note, bill, recording …)
    text: str
    title: str
    side: Side | None = None
    channel: str | None = None
    amounts: tuple[str, ...] = ()
    index: int = 0  # the message's position in its screenshot
    excluded: bool = False
    answered: bool | None = None
    direction: str | None = None

    def to_json(self) -> dict[str, Any]:
        at = None
        if self.at is not None:
            at = self.at.isoformat(timespec="minutes") if self.time_known else str(self.at.date())
        return {
            "at": at,
            "entry_id": self.entry_id,
            "kind": self.kind.value,
            "what": self.what,
            "side": self.side.value if self.side else None,
            "channel": self.channel,
            "title": self.title,
            "text": self.text,
            "amounts": list(self.amounts),
            "index": self.index,
            "excluded": self.excluded,
        }


@dataclass(frozen=True)
class DaySummary:
    day: date
    calls: int  # phone notes and recordings
    missed_calls: int  # of which not answered
    messages_them: int
    messages_me: int
    visits: int
    other: int  # bills, documents, notes on other channels
    hours: tuple[str, ...]  # "HH:MM" of each contact from their side, in order

    def to_json(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "calls": self.calls,
            "missed_calls": self.missed_calls,
            "messages_them": self.messages_them,
            "messages_me": self.messages_me,
            "visits": self.visits,
            "other": self.other,
            "hours": list(self.hours),
        }


@dataclass(frozen=True)
class Timeline:
    items: tuple[TimelineItem, ...]
    days: tuple[DaySummary, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "items": [i.to_json() for i in self.items],
            "days": [d.to_json() for d in self.days],
        }


def local_time(value: str | None, tz: tzinfo) -> tuple[datetime, bool] | None:
    """An ISO date or date-time → (naive local time, time known)."""
    if not value:
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time()), False
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is not None:
        dt = dt.astimezone(tz).replace(tzinfo=None)
    return dt, True


def _amounts_in(entry: Entry, text: str) -> tuple[str, ...]:
    return tuple(str(a.value) for a in entry.extraction.amounts if a.text and a.text in text)


def entry_items(entry: Entry, tz: tzinfo) -> list[TimelineItem]:
    """One item per chat message (a message without a time takes the one above it), or one
    item for the whole entry."""
    base = local_time(entry.occurred_at, tz)
    meta = entry.meta or {}
    channel = meta.get("channel")
    if entry.kind is Kind.RECORDING and not channel:
        channel = "phone"
    if entry.messages:
        out = []
        last = base
        for i, m in enumerate(entry.messages):
            if m.time:
                last = local_time(m.time, tz) or last
            out.append(
                TimelineItem(
                    at=last[0] if last else None,
                    time_known=last[1] if last else False,
                    entry_id=entry.id,
                    kind=entry.kind,
                    what="message",
                    text=m.text,
                    title=entry.display_title,
                    side=m.side,
                    channel=channel or "chat",
                    amounts=_amounts_in(entry, m.text),
                    index=i,
                    excluded=entry.excluded,
                )
            )
        return out
    text = entry.user_note if not entry.text and entry.user_note else entry.text
    return [
        TimelineItem(
            at=base[0] if base else None,
            time_known=base[1] if base else False,
            entry_id=entry.id,
            kind=entry.kind,
            what="entry",
            text=" ".join((text or "").split())[:200],
            title=entry.display_title,
            channel=channel,
            amounts=tuple(str(a.value) for a in entry.extraction.amounts),
            excluded=entry.excluded,
            answered=meta.get("answered") if isinstance(meta.get("answered"), bool) else None,
            direction=meta.get("direction"),
        )
    ]


def build_timeline(entries: Iterable[Entry], tz: tzinfo) -> Timeline:
    entries = list(entries)
    items: list[TimelineItem] = []
    for entry in entries:  # ledger order (time, then ingest): the stable sort keeps it on ties
        items.extend(entry_items(entry, tz))
    dated = [i for i in items if i.at is not None]
    undated = [i for i in items if i.at is None]
    # A stable sort: same-minute messages keep their order inside the screenshot.
    dated.sort(key=lambda i: i.at)  # type: ignore[arg-type, return-value]
    ordered = dated + undated
    return Timeline(tuple(ordered), tuple(summarize_days(dated, contacts_of(entries, tz))))


def contacts_of(entries: Sequence[Entry], tz: tzinfo) -> list[Contact]:
    """The contacts the conduct analysis counts (call logs included, duplicates merged)."""
    from evidence_kit.analysis.conduct import merge_duplicates
    from evidence_kit.analysis.contacts import contacts_from_entries

    return merge_duplicates(contacts_from_entries(entries, tz))


def summarize_days(items: Sequence[TimelineItem], contacts: Sequence[Contact]) -> list[DaySummary]:
    """Per day: their calls, visits and messages (and at what hours) from ``contacts`` — the
    same counting as the conduct analysis and the complaint package — plus the user's own
    messages and the other evidence of the day from the timeline ``items``."""
    by_day: dict[date, list[TimelineItem]] = {}
    for item in items:
        if item.at is not None:
            by_day.setdefault(item.at.date(), []).append(item)
    theirs: dict[date, list[Contact]] = {}
    for c in contacts:
        if c.direction == "in":
            theirs.setdefault(c.at.date(), []).append(c)
    out = []
    for day in sorted(set(by_day) | set(theirs)):
        calls = missed = them = visits = 0
        hours: list[str] = []
        for c in theirs.get(day, []):
            if c.channel == "visit":
                visits += 1
            elif c.is_voice:
                calls += 1
                missed += c.answered is False
            else:
                them += 1
            if c.time_known:
                hours.append(c.at.strftime("%H:%M"))
        day_items = by_day.get(day, [])
        me = sum(
            1
            for i in day_items
            if (i.what == "message" and i.side is Side.ME)
            or (i.kind is Kind.NOTE and i.channel in MESSAGE_CHANNELS and i.direction == "out")
        )
        other = sum(
            1
            for i in day_items
            if i.what != "message"
            and i.kind is not Kind.RECORDING
            and i.channel not in CALL_CHANNELS | MESSAGE_CHANNELS | {"visit"}
        )
        out.append(DaySummary(day, calls, missed, them, me, visits, other, tuple(sorted(hours))))
    return out
