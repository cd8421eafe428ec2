"""Calls read from a phone's call-log screenshot (its OCR lines) or a pasted call list.

A dialer shows one row per number: the number (with "(3)" when calls are grouped), a detail
line ("上海 未接 疑似催收") and the time on the right, under date headings ("3月12日 星期三").
OCR returns those as separate lines, so lines are grouped into blocks: a block starts at a
line with a phone number, at a date heading, or at a second time. One-line formats
("138****0000 未接 22:15", "呼入 22:30") are blocks of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from evidence_kit.models import OcrLine

PHONE = re.compile(
    r"(?<![\d*])(?:\+?86[- ]?)?(?:1[3-9]\d[\d*＊]{4}\d{4}|0\d{2,3}-?\d{7,8}|400-?\d{3}-?\d{4}|"
    r"95\d{3,4}|10\d{3,4})(?![\d*])"
)
TIME = re.compile(r"(?<!\d)([01]?\d|2[0-3])[:：]([0-5]\d)(?![\d:])")
_COUNT = re.compile(r"[(（]\s*(\d{1,3})\s*[)）]")
_UNANSWERED = re.compile(r"未接|未接听|未接通|拒接|响铃\s*\d+\s*秒|无人接听")
_OUTGOING = re.compile(r"呼出|已拨|拨出|去电")
_CONNECTED = re.compile(r"呼入|已接|通话\s*\d|\d+\s*分\s*\d+\s*秒|(?<!响铃)(?<![\d\s])\s?\d+\s*秒")
_MARKER = re.compile(_UNANSWERED.pattern + "|" + _OUTGOING.pattern + "|" + _CONNECTED.pattern)
_TITLE = re.compile(r"通话记录|最近通话|未接来电|通话历史")
_WEEKDAYS = "一二三四五六日天"


@dataclass(frozen=True)
class CallRow:
    at: datetime
    counterpart: str | None
    answered: bool | None
    direction: str  # "in" | "out"
    count: int  # calls grouped in the row: "(3)"
    text: str


def row_date(text: str, reference: date | None) -> date | None:
    """A date written in a row or heading; month-day and 昨天/星期三 need ``reference``."""
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


_STATUS_BAR = re.compile(r"(?:上午|下午)?\s*\d{1,2}:\d{2}|\d{1,3}%?")


def _ordered_texts(lines: Sequence[OcrLine], text: str) -> list[str]:
    if lines:
        ordered = sorted(lines, key=lambda ln: (ln.page, round(ln.box.cy), ln.box.x0))
        pieces = [ln.text for ln in ordered]
    else:
        pieces = [row for row in text.splitlines() if row.strip()]
    # The status bar (clock, battery) opens a screenshot's text; its clock is no call.
    head = 0
    while head < min(3, len(pieces)) and _STATUS_BAR.fullmatch(pieces[head].strip()):
        head += 1
    return pieces[head:]


def blocks_of(lines: Sequence[OcrLine], text: str) -> list[str]:
    """Lines (in reading order) grouped into call-log rows; see the module docstring."""
    blocks: list[list[str]] = []
    for piece in _ordered_texts(lines, text):
        has_phone = PHONE.search(piece) is not None
        has_time = TIME.search(piece) is not None
        heading = not has_phone and not has_time and row_date(piece, date(2000, 1, 1)) is not None
        current = blocks[-1] if blocks else None
        current_has_time = current is not None and any(TIME.search(p) for p in current)
        if current is None or has_phone or heading or (has_time and current_has_time):
            blocks.append([piece])
        elif row_date(current[0], date(2000, 1, 1)) is not None and not PHONE.search(current[0]):
            blocks.append([piece])  # never glue a row onto a date heading
        else:
            current.append(piece)
    return [" ".join(block) for block in blocks]


def parse_call_log(
    rows: Iterable[str], reference: date | None, *, markers_required: bool = True
) -> list[CallRow]:
    """Rows → calls. A row needs a time and a call marker (未接, 呼入, 通话 2分3秒 …); with
    ``markers_required=False`` (an entry the user tagged as a call log) a phone and a time do.
    Rows without their own date take the heading above them, else ``reference``."""
    out = []
    current = reference
    for row in rows:
        phone = PHONE.search(row)
        stamp = TIME.search(row)
        undated = TIME.sub(" ", row)
        day = row_date(PHONE.sub(" ", undated), reference)
        if stamp is None:
            if day is not None and phone is None:
                current = day  # a date heading above a group of rows
            continue
        marker = _MARKER.search(undated)
        if marker is None and (markers_required or phone is None):
            continue
        day = day or current
        if day is None:
            continue
        if _UNANSWERED.search(row):
            answered: bool | None = False
        elif _CONNECTED.search(undated):
            answered = True
        else:
            answered = None
        count = _COUNT.search(row[phone.end() :]) if phone else None
        out.append(
            CallRow(
                at=datetime.combine(day, time(int(stamp[1]), int(stamp[2]))),
                counterpart=phone.group(0) if phone else None,
                answered=answered,
                direction="out" if _OUTGOING.search(row) else "in",
                count=int(count[1]) if count else 1,
                text=row,
            )
        )
    return out


def looks_like_call_log(text: str, calls: Sequence[CallRow]) -> bool:
    """A dialer screen (its title) or at least two call rows — not a chat that mentions one."""
    return len(calls) >= 2 or (bool(calls) and _TITLE.search(text) is not None)
