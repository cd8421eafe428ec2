"""A chat's stamp rows: centred dates and times that date the messages below them.

The text reader (``extract.chat``) finds most; these are the ones it set aside or could not
date: a stamp taken for a sender's name over a bubble, a stamp OCR misread.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from evidence_kit.models import Message, OcrLine, Side

# A chat stamp or day divider: the first thing below a title bar, the last above an input bar.
_STAMP_ROW = re.compile(
    r"^(?:\d{4}\s*[年/.-]\s*)?\d{1,2}\s*[月/.-]\s*\d{1,2}\s*日?(?:\s*(?:星期|周)[一二三四五六日天])?"
    r"(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?$"
    r"|^(?:\d{1,2}\s*[月/.-]\s*\d{1,2}\s*)?\d{1,2}[:：]\d{2}(?:[:：]\d{2})?$"
)
CENTRED_W = 0.08


def recover_stamps(
    messages: Sequence[Message],
    lines: Sequence[OcrLine],
    roles: list[str],
    width: int,
    reference: datetime | None,
) -> tuple[Message, ...]:
    """A centred date-time row the text reader set aside (taken for a sender's name over the
    bubble below it, as on a photo where the stamp reads smaller) is a stamp again: a system
    message, and it times the messages below it up to the next stamp. ``roles`` is updated."""
    from evidence_kit.extract.chat import parse_chat_time

    out = list(messages)
    for i, ln in enumerate(lines):
        if roles[i] not in ("label", "other") or not is_stamp_row(ln, width):
            continue
        if not re.search(r"\d[:：]\d\d", ln.text):
            continue  # a day alone dates no message
        if any(m.box is not None and m.box.overlaps(ln.box) for m in out):
            continue
        iso = parse_chat_time(ln.text, reference)
        if iso is None:
            continue
        roles[i] = "timestamp"
        at = sum(1 for m in out if m.box is not None and m.box.y0 < ln.box.y0)
        out.insert(at, Message(Side.SYSTEM, ln.text.strip(), iso, ln.box))
        _time_below(out, at, iso)
    return tuple(out)


def _time_below(out: list[Message], k: int, iso: str) -> None:
    """The stamp at ``k`` times the messages below it, up to the next stamp."""
    for j in range(k + 1, len(out)):
        if out[j].side is Side.SYSTEM and out[j].time:
            break
        if out[j].side is not Side.SYSTEM:
            out[j] = replace(out[j], time=iso)


# A stamp OCR misread so that the text reader could not date it: its colon lost (``昨天1333``,
# ``3月10日下午406``), or the faint first character of ``昨天`` taken for another (``鄂天12:27``;
# chats print today's stamps as a bare time and older days as a weekday or a date, so a
# character before ``天`` on a stamp row is 昨).
_GLUED_STAMP = re.compile(
    r"^(?P<day>(?:\d{4}年)?\d{1,2}月\d{1,2}日|昨天|前天|今天|(?:星期|周)[一二三四五六日天]"
    r"|(?P<yday>[\u4e00-\u9fff])天)\s*"
    r"(?P<ampm>凌晨|早上|上午|中午|下午|晚上)?\s*(?P<h>\d{1,2})[:：.。·]?(?P<m>\d{2})$"
)


def retime_glued(messages: Sequence[Message], reference: datetime | None) -> tuple[Message, ...]:
    """A centred row the text reader could not date for a misread (``_GLUED_STAMP``) is a
    stamp all the same: it times the messages below it, up to the next stamp."""
    from evidence_kit.extract.chat import parse_chat_time

    out = list(messages)
    for k, m in enumerate(out):
        if m.side is not Side.SYSTEM or m.time:
            continue
        g = _GLUED_STAMP.match(re.sub(r"\s+", "", m.text))
        if not g:
            continue
        day = "昨天" if g["yday"] and g["yday"] not in "今前星周" else g["day"]
        iso = parse_chat_time(f"{day} {g['ampm'] or ''}{g['h']}:{g['m']}", reference)
        if iso is None:
            continue
        text = m.text
        if day != g["day"]:  # the day word as the screen shows it
            text = re.sub(r"^\s*\S天", "昨天", text, count=1)
        out[k] = replace(m, text=text, time=iso)
        _time_below(out, k, iso)
    return tuple(out)


def is_stamp_row(ln: OcrLine, width: int) -> bool:
    """A centred date or time row (a chat's divider or timestamp)."""
    left, right = ln.box.x0, width - ln.box.x1
    return abs(left - right) < CENTRED_W * width and bool(_STAMP_ROW.match(ln.text.strip()))
