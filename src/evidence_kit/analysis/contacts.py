"""Collector contacts (calls, messages, visits) read out of ledger entries.

Sources, by entry kind:
- notes: one contact at ``occurred_at`` (meta ``channel``, ``counterpart``, ``direction``,
  ``answered``, ``third_party``), or one per item of meta ``calls`` — a list of
  ``{"at", "answered", "counterpart", "direction", "third_party", "channel"}`` — when a note
  lists several calls;
- chats: each message from "them" (a message without a time takes the time shown above it);
- recordings: an answered call at ``occurred_at``;
- call-log screenshots (any other entry whose OCR rows read like "138****0000 未接 22:15"
  or "呼入 22:30"): one call per row, dated by the row, a date header above it, or the
  screenshot's date.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from evidence_kit.models import Entry, Kind, OcrLine, Side

CHANNELS = ("call", "sms", "chat", "visit", "recording", "other")
VOICE = ("call", "recording")
MESSAGE = ("sms", "chat")
# `evidence-kit note --channel` values → contact channels.
_NOTE_CHANNELS = {
    "phone": "call",
    "call": "call",
    "app": "chat",
    "wechat": "chat",
    "chat": "chat",
    "sms": "sms",
    "visit": "visit",
    "recording": "recording",
    "other": "other",
}


@dataclass(frozen=True)
class Contact:
    at: datetime  # local wall-clock time (offset dropped)
    channel: str  # call | sms | chat | visit | recording | other
    direction: str  # "in" (they contacted) | "out" (the user called/wrote)
    answered: bool | None
    third_party: bool  # the collector contacted someone else about the debt (user-tagged)
    counterpart: str | None
    text: str
    entry_id: str
    time_known: bool = True  # False when only the date is known: no night check
    side_text: tuple[tuple[Side, str], ...] = ()  # text split by speaker, for wording checks

    @property
    def is_voice(self) -> bool:
        return self.channel in VOICE

    @property
    def is_message(self) -> bool:
        return self.channel in MESSAGE


def parse_when(value: Any, reference: date | None = None) -> tuple[datetime, bool] | None:
    """An ISO date/date-time (or bare "HH:MM" on ``reference``) → (naive local time, time_known)."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None), True
    if isinstance(value, date):
        return datetime.combine(value, time()), False
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    m = re.fullmatch(r"(\d{1,2})[:：](\d{2})(?::\d{2})?", text)
    if m and reference is not None:
        return datetime.combine(reference, time(int(m[1]), int(m[2]))), True
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time()), False
        return datetime.fromisoformat(text.replace("Z", "+00:00")).replace(tzinfo=None), True
    except ValueError:
        return None


def split_sides(text: str) -> tuple[tuple[Side, str], ...]:
    """A note in the user's words: sentences starting with 我 are the user's, others theirs."""
    out = []
    for sentence in re.split(r"[。！？!?\n]+", text):
        s = sentence.strip()
        if not s:
            continue
        mine = re.match(r"(?:我(?:说|问|表示|回答|答|告诉|：|:)|我[^们])", s) is not None
        out.append((Side.ME if mine else Side.THEM, s))
    return tuple(out)


def _bool(value: Any, default: bool | None) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "1", "是"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("false", "no", "0", "否"):
        return False
    return default


_OUT_WORDS = {"out", "outbound", "outgoing", "呼出", "去电", "我方"}


def _direction(value: Any) -> str:
    """ "in" unless the user said the contact was theirs (a call back, a message sent)."""
    return "out" if str(value or "").strip().lower() in _OUT_WORDS else "in"


def _counterpart(value: Any) -> str | None:
    text = "" if value is None or isinstance(value, bool) else str(value).strip()
    return text or None


def _channel(value: Any, default: str) -> str:
    return _NOTE_CHANNELS.get(str(value).strip().lower(), default) if value else default


def _entry_date(entry: Entry) -> tuple[datetime, bool] | None:
    return parse_when(entry.occurred_at)


def _from_note(entry: Entry) -> list[Contact]:
    meta = entry.meta
    base_channel = _channel(meta.get("channel"), "call")
    sides = split_sides(entry.text)
    calls = meta.get("calls")
    items: Sequence[Mapping[str, Any]] = (
        [c for c in calls if isinstance(c, Mapping)] if isinstance(calls, list) else [{}]
    )
    out = []
    for n, item in enumerate(items):
        when = parse_when(item.get("at")) if item.get("at") else _entry_date(entry)
        if when is None:
            continue
        out.append(
            Contact(
                at=when[0],
                channel=_channel(item.get("channel"), base_channel),
                direction=_direction(item.get("direction") or meta.get("direction")),
                answered=_bool(item.get("answered", meta.get("answered")), None),
                third_party=bool(_bool(item.get("third_party", meta.get("third_party")), False)),
                counterpart=_counterpart(item.get("counterpart") or meta.get("counterpart")),
                text=entry.text if n == 0 else "",
                entry_id=entry.id,
                time_known=when[1],
                side_text=sides if n == 0 else (),
            )
        )
    return out


def _from_chat(entry: Entry) -> list[Contact]:
    base = _entry_date(entry)
    reference = base[0].date() if base else None
    channel = _channel(entry.meta.get("channel"), "chat")
    third = bool(_bool(entry.meta.get("third_party"), False))
    out = []
    last: tuple[datetime, bool] | None = None
    for message in entry.messages:
        if message.time:
            last = parse_when(message.time, reference) or last
        if message.side is not Side.THEM:
            continue
        when = last
        if when is None and reference is not None:
            when = (datetime.combine(reference, time()), False)
        if when is None:
            continue
        out.append(
            Contact(
                at=when[0],
                channel=channel,
                direction="in",
                answered=None,
                third_party=third,
                counterpart=_counterpart(entry.meta.get("counterpart")),
                text=message.text,
                entry_id=entry.id,
                time_known=when[1],
                side_text=((Side.THEM, message.text),),
            )
        )
    return out


def _from_recording(entry: Entry) -> list[Contact]:
    when = _entry_date(entry)
    if when is None:
        return []
    meta = entry.meta
    return [
        Contact(
            at=when[0],
            channel="recording",
            direction=_direction(meta.get("direction")),
            answered=True,
            third_party=bool(_bool(meta.get("third_party"), False)),
            counterpart=_counterpart(meta.get("counterpart")),
            text=entry.text,
            entry_id=entry.id,
            time_known=when[1],
            side_text=split_sides(entry.text),
        )
    ]


# ---------------------------------------------------------------- call-log screenshots

_PHONE = re.compile(
    r"(?<![\d*])(?:\+?86[- ]?)?(?:1[3-9]\d[\d*＊]{4}\d{4}|0\d{2,3}-?\d{7,8}|400-?\d{3}-?\d{4}|"
    r"95\d{3,4}|10\d{3,4})(?![\d*])"
)
_TIME = re.compile(r"(?<!\d)([01]?\d|2[0-3])[:：]([0-5]\d)(?![\d:])")
_UNANSWERED = re.compile(r"未接|未接听|未接通|拒接|响铃\s*\d+\s*秒|无人接听")
_OUTGOING = re.compile(r"呼出|已拨|拨出|去电")
_INCOMING = re.compile(r"呼入|来电|已接")
_DURATION = re.compile(r"已接|通话\s*\d|\d+\s*分\s*\d+\s*秒|(?<!响铃)(?<!\d)\d+\s*秒")
_WEEKDAYS = "一二三四五六日天"


def _row_date(text: str, reference: date | None) -> date | None:
    m = re.search(r"(20\d{2})[-/.年](\d{1,2})[-/.月](\d{1,2})", text)
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
        m = re.search(
            r"(?<!\d)(\d{1,2})月(\d{1,2})日|(?<![\d:])(\d{1,2})[/-](\d{1,2})(?![\d:])", text
        )
        if m and reference:
            month, day = (int(m[1]), int(m[2])) if m[1] else (int(m[3]), int(m[4]))
            guess = date(reference.year, month, day)
            return guess if guess <= reference else date(reference.year - 1, month, day)
    except ValueError:
        return None
    if reference:
        for word, back in (("今天", 0), ("昨天", 1), ("前天", 2)):
            if word in text:
                return reference - timedelta(days=back)
        m = re.search(r"(?:星期|周)([一二三四五六日天])", text)
        if m:
            weekday = min(_WEEKDAYS.index(m[1]), 6)
            return reference - timedelta(days=(reference.weekday() - weekday) % 7)
    return None


def rows_of(lines: Sequence[OcrLine], text: str) -> list[str]:
    """OCR lines grouped into visual rows (a call-log row is often split into boxes)."""
    if not lines:
        return [row for row in text.splitlines() if row.strip()]
    rows: list[list[OcrLine]] = []
    for line in sorted(lines, key=lambda ln: (ln.page, ln.box.cy)):
        row = rows[-1] if rows else None
        if (
            row
            and row[0].page == line.page
            and abs(row[0].box.cy - line.box.cy) < max(row[0].box.height, line.box.height) * 0.5
        ):
            row.append(line)
        else:
            rows.append([line])
    return [" ".join(ln.text for ln in sorted(row, key=lambda ln: ln.box.x0)) for row in rows]


def parse_call_log(
    rows: Iterable[str], reference: date | None, *, markers_required: bool = True
) -> list[tuple[datetime, dict[str, Any]]]:
    """Rows like "138****0000 未接 22:15" → (when, {counterpart, answered, direction}).

    A row needs a time and a call marker (未接, 呼入, 通话 2分3秒 …); with
    ``markers_required=False`` (an entry the user tagged as a call log) a phone and a time do.
    """
    out = []
    current = reference
    for row in rows:
        phone = _PHONE.search(row)
        stamp = _TIME.search(row)
        marker = (
            _UNANSWERED.search(row)
            or _OUTGOING.search(row)
            or _INCOMING.search(row)
            or _DURATION.search(_TIME.sub(" ", row))
        )
        day = _row_date(_TIME.sub(" ", row), reference)
        if stamp is None:
            if day is not None and phone is None:
                current = day  # a date header above a group of rows
            continue
        if marker is None and (markers_required or phone is None):
            continue
        day = day or current
        if day is None:
            continue
        if _UNANSWERED.search(row):
            answered: bool | None = False
        elif _DURATION.search(row):
            answered = True
        else:
            answered = None
        out.append(
            (
                datetime.combine(day, time(int(stamp[1]), int(stamp[2]))),
                {
                    "counterpart": phone.group(0) if phone else None,
                    "answered": answered,
                    "direction": "out" if _OUTGOING.search(row) else "in",
                },
            )
        )
    return out


def _from_call_log(entry: Entry) -> list[Contact]:
    base = _entry_date(entry)
    tagged = bool(_bool(entry.meta.get("call_log"), False))
    rows = parse_call_log(
        rows_of(entry.lines, entry.text),
        base[0].date() if base else None,
        markers_required=not tagged,
    )
    third = bool(_bool(entry.meta.get("third_party"), False))
    return [
        Contact(
            at=when,
            channel="call",
            direction=info["direction"],
            answered=info["answered"],
            third_party=third,
            counterpart=info["counterpart"],
            text="",
            entry_id=entry.id,
        )
        for when, info in rows
    ]


def contacts_from_entries(entries: Iterable[Entry]) -> list[Contact]:
    """Every collector contact the entries show, oldest first (excluded entries skipped)."""
    out: list[Contact] = []
    for entry in entries:
        if entry.excluded:
            continue
        if entry.kind is Kind.NOTE:
            out.extend(_from_note(entry))
        elif entry.kind is Kind.RECORDING:
            out.extend(_from_recording(entry))
        elif entry.messages and not entry.meta.get("call_log"):
            out.extend(_from_chat(entry))
        elif entry.kind in (Kind.CHAT, Kind.DOCUMENT):
            out.extend(_from_call_log(entry))
    return sorted(out, key=lambda c: (c.at, c.entry_id))
