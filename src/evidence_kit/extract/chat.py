"""A chat screenshot's OCR lines → messages (side, time, text).

Works from geometry only, so it holds for WeChat-style and app customer-service screenshots at
any phone width: everything is measured relative to the image width and the text height.

- Chrome (status bar, title bar, input bar) is dropped by position: its height is a fixed
  fraction of the *width* on phones, not of the height (long screenshots are tall).
- Timestamp rows are centred (equal margins) and read as a chat time: 昨天 22:08, 星期三 10:00,
  3月5日 下午3:45, 2025年3月5日 上午10:15, 22:30.
- Bubbles are runs of lines sharing a left text edge with small vertical gaps. A bubble's side
  comes from which margin it hugs: the other side's margin is the wide one. This also holds for
  the short last line of a right-hand bubble, which on its own would look left-aligned.
- OCR reads avatars as a big glyph ("日"); such tall, short, edge-hugging lines are dropped.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import median

from evidence_kit.models import Box, Message, OcrLine, Side

# Phone chrome heights relative to the screen width (status + title ≈ 0.21 w, input ≈ 0.155 w).
TOP_CHROME_W = 0.215
BOTTOM_CHROME_W = 0.16
# A row counts as centred when its left and right margins differ by less than this (of width).
CENTRED_W = 0.08

_CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")

_HM = r"(?P<ampm>凌晨|早上|上午|中午|下午|晚上)?\s*(?P<h>\d{1,2})\s*[:：]\s*(?P<m>\d{2})"
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_STAMP = re.compile(
    r"^(?:"
    r"(?P<rel>今天|昨天|前天)"
    r"|(?:星期|周|礼拜)(?P<wd>[一二三四五六日天])"
    r"|(?:(?P<y>\d{4})\s*[年/.-]\s*)?(?P<mo>\d{1,2})\s*[月/.-]\s*(?P<d>\d{1,2})\s*日?"
    r")?\s*" + _HM + r"$"
)
# Sender names are set smaller than message text; OCR boxes shrink less than the type does
# (a 0.7× name measures about 0.77× the median line).
SMALL_TEXT = 0.8


@dataclass(frozen=True)
class ChatParse:
    messages: tuple[Message, ...]
    is_chat: bool
    style: str  # "wechat" | "app" | "none"


def parse_chat_time(text: str, reference: datetime | None) -> str | None:
    """A chat timestamp row → ISO 8601, or None when it is not one or cannot be dated.

    Relative stamps (22:08, 昨天 22:08, 星期三 10:00, 3月5日 …) need ``reference``, the moment
    the screenshot was taken; a month-day later than the reference is in the previous year.
    """
    m = _STAMP.match(re.sub(r"\s+", " ", text.strip()))
    if not m:
        return None
    hour, minute = int(m["h"]), int(m["m"])
    ampm = m["ampm"]
    if (ampm in ("下午", "晚上") and hour < 12) or (ampm == "中午" and hour < 11):
        hour += 12
    elif ampm == "凌晨" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59:
        return None
    try:
        if m["mo"]:
            year = int(m["y"]) if m["y"] else None
            if year is None:
                if reference is None:
                    return None
                year = reference.year
                if datetime(year, int(m["mo"]), int(m["d"])).date() > reference.date():
                    year -= 1
            day = datetime(year, int(m["mo"]), int(m["d"]))
        elif reference is None:
            return None
        elif m["rel"]:
            day = reference - timedelta(days=("今天", "昨天", "前天").index(m["rel"]))
        elif m["wd"]:
            back = (reference.weekday() - _WEEKDAYS[m["wd"]]) % 7 or 7
            day = reference - timedelta(days=back)
        else:
            day = reference
    except ValueError:  # 2月30日
        return None
    return f"{day:%Y-%m-%d}T{hour:02d}:{minute:02d}:00"


def parse_chat(
    lines: Sequence[OcrLine],
    width: int,
    height: int,
    *,
    reference: datetime | None = None,
) -> ChatParse:
    """Messages of a chat screenshot, top to bottom. ``is_chat`` is False for things that are
    not chats (bills, documents); ``messages`` is then best effort."""
    if not lines or width <= 0 or height <= 0:
        return ChatParse((), False, "none")
    top = min(TOP_CHROME_W * width, 0.12 * height)
    bottom = height - min(BOTTOM_CHROME_W * width, 0.1 * height)
    body = [ln for ln in lines if top <= ln.box.cy <= bottom and ln.text.strip()]
    chrome_text = " ".join(ln.text for ln in lines if ln.box.cy > bottom)
    if not body:
        return ChatParse((), False, "none")

    text_h = median(ln.box.height for ln in body)
    body = [ln for ln in body if not _is_avatar(ln, width, text_h)]
    if not body:
        return ChatParse((), False, "none")
    text_h = median(ln.box.height for ln in body)

    # Group first: a wrapped line of a wide bubble can look centred on its own.
    groups = _group_bubbles(body, text_h)
    them_edge = _mode([ln.box.x0 for ln in body if ln.box.x0 < 0.4 * width], text_h)
    me_edge = _mode([ln.box.x1 for ln in body if ln.box.x1 > 0.6 * width], text_h)

    stamps: list[tuple[float, str | None]] = []  # (y, iso time)
    bubbles: list[list[OcrLine]] = []
    small_meta = 0
    for group in groups:
        first = group[0]
        if len(group) > 1 and _is_sender_name(first, group[1], text_h):
            small_meta += 1  # a sender name set close above its bubble: not message text
            group = group[1:]
            first = group[0]
        left, right = first.box.x0, width - first.box.x1
        at_column = (them_edge is not None and abs(first.box.x0 - them_edge) < 0.6 * text_h) or (
            me_edge is not None and abs(first.box.x1 - me_edge) < 0.6 * text_h
        )
        centred = len(group) == 1 and abs(left - right) < CENTRED_W * width and left > 0.15 * width
        if centred and _STAMP.match(re.sub(r"\s+", " ", first.text.strip())):
            stamps.append((first.box.cy, parse_chat_time(first.text, reference)))
        elif centred and not at_column:
            continue  # a system notice ("以下为新消息"), not a bubble
        elif len(group) == 1 and first.box.height < SMALL_TEXT * text_h and len(first.text) <= 16:
            small_meta += 1  # a sender name above a bubble (app style)
        else:
            bubbles.append(group)
    content = [ln for bubble in bubbles for ln in bubble]

    messages = []
    for bubble in bubbles:
        box = Box(
            min(ln.box.x0 for ln in bubble),
            min(ln.box.y0 for ln in bubble),
            max(ln.box.x1 for ln in bubble),
            max(ln.box.y1 for ln in bubble),
        )
        side = Side.THEM if box.x0 < width - box.x1 else Side.ME
        time = None
        for y, iso in stamps:
            if y < box.y0:
                time = iso
        messages.append(Message(side, _join(ln.text for ln in bubble), time, box))

    table_rows = _paired_rows(content, text_h)
    is_chat = len(messages) >= 2 and table_rows <= max(1, len(messages) // 4)
    if not is_chat:
        style = "none"
    elif small_meta or "发送" in chrome_text or "请输入" in chrome_text:
        style = "app"
    else:
        style = "wechat"
    return ChatParse(tuple(messages), is_chat, style)


def _is_sender_name(line: OcrLine, below: OcrLine, text_h: float) -> bool:
    """App-style chats print the sender's name in small type just above the bubble."""
    return (
        line.box.height < SMALL_TEXT * text_h
        and below.box.height >= 0.85 * text_h
        and len(line.text.strip()) <= 16
    )


def _is_avatar(ln: OcrLine, width: int, text_h: float) -> bool:
    b = ln.box
    at_edge = b.x0 < 0.06 * width or b.x1 > 0.94 * width
    squarish = 0.6 < b.width / max(b.height, 1.0) < 1.6
    return at_edge and squarish and b.height > 1.8 * text_h and len(ln.text.strip()) <= 3


def _mode(values: list[float], bin_size: float) -> float | None:
    """The most common value, binned to ``bin_size`` (a text column's edge)."""
    if not values:
        return None
    bins: dict[int, list[float]] = {}
    for v in values:
        bins.setdefault(round(v / max(bin_size / 2, 1.0)), []).append(v)
    biggest: list[float] = max(bins.values(), key=len)
    return median(biggest)


def _group_bubbles(content: list[OcrLine], text_h: float) -> list[list[OcrLine]]:
    """Consecutive lines with the same left text edge and line-spacing gaps form one bubble."""
    bubbles: list[list[OcrLine]] = []
    for ln in sorted(content, key=lambda ln: (ln.box.y0, ln.box.x0)):
        if bubbles:
            prev = bubbles[-1][-1]
            gap = ln.box.y0 - prev.box.y1
            same_edge = abs(ln.box.x0 - bubbles[-1][0].box.x0) < 0.6 * text_h
            if same_edge and -0.3 * text_h < gap < 0.75 * text_h:
                bubbles[-1].append(ln)
                continue
        bubbles.append([ln])
    return bubbles


def _paired_rows(content: list[OcrLine], text_h: float) -> int:
    """Rows holding a left and a right line side by side: table rows of a bill, not a chat."""
    n = 0
    ordered = sorted(content, key=lambda ln: ln.box.cy)
    for a, b in itertools.pairwise(ordered):
        if abs(a.box.cy - b.box.cy) < 0.4 * text_h and (a.box.x1 < b.box.x0 or b.box.x1 < a.box.x0):
            n += 1
    return n


def _join(parts: Iterable[str]) -> str:
    """Wrapped bubble lines back into one text: no space inside Chinese, one between words."""
    out = ""
    for raw in parts:
        part = raw.strip()
        if out and not (_CJK.search(out[-1]) or _CJK.search(part[:1])):
            out += " "
        out += part
    return out
