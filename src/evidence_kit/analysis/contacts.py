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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Any

from evidence_kit.analysis.calllog import (
    PHONE,
    CallRow,
    blocks_of,
    looks_like_call_log,
    parse_call_log,
)
from evidence_kit.models import Entry, Kind, Side

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")
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
    at: datetime  # Beijing wall-clock time, naive
    channel: str  # call | sms | chat | visit | recording | other
    direction: str  # "in" (they contacted) | "out" (the user called/wrote)
    answered: bool | None
    third_party: bool  # the collector contacted someone else about the debt (user-tagged)
    counterpart: str | None
    text: str
    entry_id: str
    time_known: bool = True  # False when only the date is known: no night check
    side_text: tuple[tuple[Side, str], ...] = ()  # text split by speaker, for wording checks
    merged_ids: tuple[str, ...] = ()  # other entries showing the same call (a recording …)

    @property
    def entry_ids(self) -> tuple[str, ...]:
        return (self.entry_id, *self.merged_ids)

    @property
    def is_voice(self) -> bool:
        return self.channel in VOICE

    @property
    def is_message(self) -> bool:
        return self.channel in MESSAGE


def _local(moment: datetime, tz: tzinfo) -> datetime:
    # Night is judged on the case's wall clock: a time stored with another offset (UTC "Z")
    # is moved to it; a naive one is taken as already local.
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(tz).replace(tzinfo=None)


def parse_when(
    value: Any, reference: date | None = None, *, tz: tzinfo = CHINA
) -> tuple[datetime, bool] | None:
    """An ISO date/date-time (or bare "HH:MM" on ``reference``) → (naive Beijing time,
    time_known)."""
    if isinstance(value, datetime):
        return _local(value, tz), True
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
        return _local(datetime.fromisoformat(text.replace("Z", "+00:00")), tz), True
    except ValueError:
        return None


_NUMBERING = re.compile(r"^\s*(?:\d{1,2}[.、．)）]|[（(]\d{1,2}[)）]|[-•·*])\s*")


def split_sides(text: str) -> tuple[tuple[Side, str], ...]:
    """A note in the user's words: sentences starting with 我 are the user's, others theirs.
    List numbering ("2. 我说明…") is ignored when deciding."""
    out = []
    for sentence in re.split(r"[。！？!?\n]+", text):
        s = _NUMBERING.sub("", sentence).strip()
        if not s:
            continue
        mine = re.match(r"(?:我(?:说|问|表示|回答|答|告诉|：|:)|我[^们])", s) is not None
        out.append((Side.ME if mine else Side.THEM, s))
    return tuple(out)


_RANGE = re.compile(r"\d{1,2}[:：]\d{2}\s*(?:至|到|-|—|~|～)\s*\d{1,2}[:：]\d{2}")


def note_facts(text: str) -> dict[str, Any]:
    """What a free-text call note says about the call, for notes ingested as plain files:
    the number (来电号码/电话：…), whether it was answered (未接 / a 19:42 至 19:51 span),
    the direction (对方来电 / 我致电), the channel (渠道：上门/短信/微信)."""
    facts: dict[str, Any] = {}
    m = re.search(r"(?:来电号码|对方号码|电话|号码)[：:]\s*(.+)", text)
    phone = PHONE.search(m[1]) if m else None
    if phone:
        facts["phone"] = phone.group(0)
    if re.search(r"未接|未接通|没接|拒接", text):
        facts["answered"] = False
    elif _RANGE.search(text) or re.search(r"通话\s*\d|接通", text):
        facts["answered"] = True
    if re.search(r"我(?:方)?(?:致电|打给|拨打|回拨)|呼出|去电|我联系对方", text):
        facts["direction"] = "out"
    m = re.search(r"渠道[：:]\s*(\S+)", text)
    if m:
        for word, channel in (
            ("上门", "visit"),
            ("短信", "sms"),
            ("微信", "chat"),
            ("App", "chat"),
        ):
            if word in m[1]:
                facts["channel"] = channel
                break
    if re.search(r"联系第三人[：:]\s*是", text):
        facts["third_party"] = True
    return facts


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


def _entry_date(entry: Entry, tz: tzinfo) -> tuple[datetime, bool] | None:
    return parse_when(entry.occurred_at, tz=tz)


def _from_note(entry: Entry, tz: tzinfo) -> list[Contact]:
    # Structured fields (`evidence-kit note`) win over what the note's text says.
    meta = {**note_facts(entry.text), **{k: v for k, v in entry.meta.items() if v is not None}}
    base_channel = _channel(meta.get("channel"), "call")
    sides = split_sides(entry.text)
    calls = meta.get("calls")
    items: Sequence[Mapping[str, Any]] = (
        [c for c in calls if isinstance(c, Mapping)] if isinstance(calls, list) else [{}]
    )
    out = []
    for n, item in enumerate(items):
        when = parse_when(item.get("at"), tz=tz) if item.get("at") else _entry_date(entry, tz)
        if when is None:
            continue
        out.append(
            Contact(
                at=when[0],
                channel=_channel(item.get("channel"), base_channel),
                direction=_direction(item.get("direction") or meta.get("direction")),
                answered=_bool(item.get("answered", meta.get("answered")), None),
                third_party=bool(_bool(item.get("third_party", meta.get("third_party")), False)),
                counterpart=_counterpart(
                    item.get("counterpart") or meta.get("phone") or meta.get("counterpart")
                ),
                text=entry.text if n == 0 else "",
                entry_id=entry.id,
                time_known=when[1],
                side_text=sides if n == 0 else (),
            )
        )
    return out


def _from_chat(entry: Entry, tz: tzinfo) -> list[Contact]:
    base = _entry_date(entry, tz)
    reference = base[0].date() if base else None
    channel = _channel(entry.meta.get("channel"), "chat")
    third = bool(_bool(entry.meta.get("third_party"), False))
    out = []
    last: tuple[datetime, bool] | None = None
    for message in entry.messages:
        if message.time:
            last = parse_when(message.time, reference, tz=tz) or last
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


def _from_recording(entry: Entry, tz: tzinfo) -> list[Contact]:
    when = _entry_date(entry, tz)
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


# Each of the call markers parse_call_log needs on an untagged screenshot holds one of these.
_MARKER_WORDS = ("未接", "拒接", "响铃", "无人接听", "呼出", "已拨", "拨出", "去电", "呼入",
                 "已接", "通话", "秒")


def _may_hold_call_rows(entry: Entry) -> bool:
    """False when no line can be a call row: the common chat is passed over without grouping
    its lines into rows (most of the analysis time on a large case)."""
    texts = [entry.text, *(line.text for line in entry.lines)]
    return any(word in t for t in texts for word in _MARKER_WORDS)


def calls_in(entry: Entry, tz: tzinfo = CHINA) -> list[CallRow] | None:
    """The calls a screenshot shows, or None when it does not read like a call log."""
    tagged = bool(_bool(entry.meta.get("call_log"), False))
    if not tagged and not _may_hold_call_rows(entry):
        return None
    base = parse_when(entry.occurred_at, tz=tz)
    calls = parse_call_log(
        blocks_of(entry.lines, entry.text),
        base[0].date() if base else None,
        markers_required=not tagged,
    )
    return calls if tagged or looks_like_call_log(entry.text, calls) else None


def _from_call_log(entry: Entry, calls: Sequence[CallRow]) -> list[Contact]:
    third = bool(_bool(entry.meta.get("third_party"), False))
    out = []
    for call in calls:
        # "(3)": the row shows the last of three calls that day; the others' times are unknown.
        for n in range(call.count):
            out.append(
                Contact(
                    at=call.at if n == 0 else datetime.combine(call.at.date(), time()),
                    channel="call",
                    direction=call.direction,
                    answered=call.answered,
                    third_party=third,
                    counterpart=call.counterpart,
                    text="",
                    entry_id=entry.id,
                    time_known=n == 0,
                )
            )
    return out


def contacts_of(entry: Entry, tz: tzinfo = CHINA) -> list[Contact]:
    """The collector contacts one entry shows (none for an excluded entry)."""
    if entry.excluded:
        return []
    if entry.kind is Kind.NOTE:
        return _from_note(entry, tz)
    if entry.kind is Kind.RECORDING:
        return _from_recording(entry, tz)
    if entry.kind in (Kind.CHAT, Kind.DOCUMENT):
        calls = calls_in(entry, tz)
        return _from_call_log(entry, calls) if calls is not None else _from_chat(entry, tz)
    return []


def contacts_from_entries(
    entries: Iterable[Entry],
    tz: tzinfo = CHINA,
    *,
    of: Callable[[Entry], list[Contact]] | None = None,
) -> list[Contact]:
    """Every collector contact the entries show, oldest first (excluded entries skipped).
    ``of`` stands in for ``contacts_of(entry, tz)``, e.g. one that remembers each entry's."""
    out: list[Contact] = []
    for entry in entries:
        out.extend(of(entry) if of is not None else contacts_of(entry, tz))
    return sorted(out, key=lambda c: (c.at, c.entry_id))
