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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import median

from evidence_kit.models import Box, Message, OcrLine, Side

# Phone chrome heights relative to the screen width (status + title ≈ 0.21 w, input ≈ 0.155 w).
TOP_CHROME_W = 0.215
BOTTOM_CHROME_W = 0.16
# A row counts as centred when its left and right margins differ by less than this (of width).
CENTRED_W = 0.08

_CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")

_HM = (
    r"(?P<ampm>凌晨|早上|上午|中午|下午|晚上)?\s*(?P<h>\d{1,2})\s*[:：]\s*(?P<m>\d{2})"
    r"(?:\s*[:：]\s*\d{2})?"
)
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_STAMP = re.compile(
    r"^(?:"
    r"(?P<rel>今天|昨天|前天)"
    r"|(?:星期|周|礼拜)(?P<wd>[一二三四五六日天])"
    r"|(?:(?P<y>\d{4})\s*[年/.-]\s*)?(?P<mo>\d{1,2})\s*[月/.-]\s*(?P<d>\d{1,2})\s*日?"
    r")?\s*" + _HM + r"$"
)
_TIME_ONLY = re.compile(
    r"^(?:凌晨|早上|上午|中午|下午|晚上)?\s*\d{1,2}\s*[:：]\s*\d{2}(?:[:：]\d{2})?$"
)
# A date-only divider row (a chat record's day): 2018-3-31, 2025年3月5日, 3月5日 星期三.
_DAY = re.compile(
    r"^(?:(?P<y>\d{4})\s*[年/.-]\s*)?(?P<mo>\d{1,2})\s*[月/.-]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*(?:星期|周)[一二三四五六日天])?$"
)
# A voice message's bubble holds its length only: 7.44", 12" (OCR reads the " as * or ”).
_VOICE = re.compile(r"^(\d{1,2}(?:\.\d{1,2})?)\s*[\"”″'*]$")
# A sender's number or short code on the first line of a notification (10010, +8613…).
_SENDER_NO = re.compile(r"^\+?\d{5,20}$")
# Centred rows that are notices of the app, whatever column they line up with.
_SYSTEM_WORDS = re.compile(
    r"撤回|以下为新消息|会话已结束|未回复|加入了群聊|邀请.*加入|拍了拍|领取了|已成为|开始聊天|"
    r"系统消息|已接入|转接|结束了?会话|为您服务"
)
# The app's own notices, worded by the app: a row saying one of these is a notice wherever it
# lies when it keeps off the bubbles' columns (a desktop window's chat pane is centred beside a
# contact list, so its notices are not centred on the screenshot).
_NOTICE = re.compile(
    r"撤回了一条消息|拍了拍|以下[为是]新消息|加入了群聊|移出了群聊|修改群名为|与群里其他人都不是"
)
# Customer-service menus drawn as cards: not messages of either side.
_CARD = re.compile(r"猜你想问|猜你想了解|常见问题|热门问题|你可能想问|您可能想问|相关问题|快捷服务")
# An input bar's send button.
_SEND = re.compile(r"^(?:发\s*送(?:\s*[(（]\s*S\s*[)）])?|Send)$", re.I)
# Sender names are set smaller than message text; OCR boxes shrink less than the type does
# (a 0.7× name measures about 0.77× the median line).
SMALL_TEXT = 0.8


@dataclass(frozen=True)
class ChatParse:
    messages: tuple[Message, ...]
    is_chat: bool
    style: str  # "wechat" | "app" | "none"
    roles: Mapping[int, str] = field(default_factory=dict)  # id(line) -> layout role


def parse_chat_time(
    text: str, reference: datetime | None, day_hint: str | None = None
) -> str | None:
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
        elif day_hint and not m["rel"] and not m["wd"]:
            day = datetime.fromisoformat(day_hint)  # a bare time under a divider row's day
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
    tint: Mapping[int, bool] | None = None,
) -> ChatParse:
    """Messages of a chat screenshot, top to bottom. ``is_chat`` is False for things that are
    not chats (bills, documents); ``messages`` is then best effort.

    Timestamp rows and centred notices become ``system`` messages. ``tint`` (``id(line)`` →
    whether the line sits on a coloured bubble, from the pixels) breaks ties between the two
    columns: one's own bubbles are tinted in every common app, the other side's are not."""
    if not lines or width <= 0 or height <= 0:
        return ChatParse((), False, "none")
    top = min(TOP_CHROME_W * width, 0.12 * height)
    bottom = height - min(BOTTOM_CHROME_W * width, 0.1 * height)
    roles: dict[int, str] = {}
    # A centred date or time row just under a short title bar is the chat's, not chrome.
    keep = {id(ln) for ln in lines if _divider_in_chrome(ln, width, top)}
    for ln in lines:
        if id(ln) in keep:
            continue
        if ln.box.cy < top:
            roles[id(ln)] = "title_bar"
        elif ln.box.cy > bottom:
            roles[id(ln)] = "input_bar"
    body = [
        ln
        for ln in lines
        if (top <= ln.box.cy <= bottom or id(ln) in keep) and ln.text.strip()
    ]
    # A short window ends in its input box above the chrome's usual height: the row of its send
    # button is the input bar all the same (its placeholder is no message either).
    for ln in _send_row(body):
        roles[id(ln)] = "input_bar"
        body.remove(ln)
    chrome_text = " ".join(
        ln.text for ln in lines if ln.box.cy > bottom or roles.get(id(ln)) == "input_bar"
    )
    if not body:
        return ChatParse((), False, "none", roles)

    text_h = median(ln.box.height for ln in body)
    body = [ln for ln in body if not _is_avatar(ln, width, text_h)]
    if not body:
        return ChatParse((), False, "none", roles)
    text_h = median(ln.box.height for ln in body)

    # A sender row (name at the left, time at the right, as in a forwarded chat record): the
    # time dates the message below it; neither line is message text.
    stamps: list[tuple[float, str | None]] = []  # (y, iso time)
    day: list[tuple[float, str]] = []  # (y, ISO day) of date-only divider rows
    header_lines = _sender_rows(body, width, text_h)
    for ln, is_time in header_lines.items():
        roles[id(ln)] = "timestamp" if is_time else "label"
    body = [ln for ln in body if ln not in header_lines]

    # Group first: a wrapped line of a wide bubble can look centred on its own.
    groups = _group_bubbles(body, text_h)
    # A short line set just above a bubble, left of its text (the bubble's padding): the
    # sender's name, as in customer-service widgets.
    named: list[list[OcrLine]] = []
    for k, g in enumerate(groups):
        nxt = groups[k + 1] if k + 1 < len(groups) else None
        if (
            nxt is not None
            and len(g) == 1
            and len(g[0].text.strip()) <= 8
            and g[0].box.x0 < 0.3 * width
            and not _STAMP.match(re.sub(r"\s+", " ", g[0].text.strip()))
            and 0 <= nxt[0].box.y0 - g[0].box.y1 < 1.0 * text_h
            and 0.5 * text_h < nxt[0].box.x0 - g[0].box.x0 < 3 * text_h
        ):
            roles[id(g[0])] = "label"
            continue
        named.append(g)
    groups = named
    # The columns are the outermost edges bubbles share: them at the left, me at the right (a
    # bubble's longest line reaches its column; centred rows are in neither).
    them_edge = _edge([min(ln.box.x0 for ln in g) for g in groups], text_h, width, left=True)
    me_edge = _edge([max(ln.box.x1 for ln in g) for g in groups], text_h, width, left=False)

    items: list[tuple[float, Side | None, list[OcrLine]]] = []  # (y, side or None=bubble, lines)
    small_meta = 0
    in_card: tuple[float, float] | None = None  # (left edge, bottom) of an FAQ card
    for group in groups:
        first = group[0]
        if len(group) > 1 and (
            _is_sender_name(first, group[1], text_h) or _SENDER_NO.match(first.text.strip())
        ):
            small_meta += 1  # a sender name set close above its bubble: not message text
            roles[id(first)] = "label"
            group = group[1:]
            first = group[0]
        joined = _join(ln.text for ln in group)
        squashed = re.sub(r"\s+", " ", first.text.strip())
        left, right = first.box.x0, width - first.box.x1
        at_column = (them_edge is not None and abs(first.box.x0 - them_edge) < 0.6 * text_h) or (
            me_edge is not None and abs(first.box.x1 - me_edge) < 0.6 * text_h
        )
        centred = len(group) == 1 and abs(left - right) < CENTRED_W * width and left > 0.15 * width
        stamp = _STAMP.match(squashed) if len(group) == 1 else None
        # An FAQ card's items follow its heading closely, in the same column.
        if (
            in_card is not None
            and abs(first.box.x0 - in_card[0]) < text_h
            and first.box.y0 - in_card[1] < 1.2 * text_h
        ):
            _mark(roles, group, "card")
            in_card = (in_card[0], group[-1].box.y1)
            continue
        in_card = None
        if _CARD.search(joined):
            _mark(roles, group, "card")  # 猜你想问 / 常见问题: the app's menu, not a message
            in_card = (first.box.x0, group[-1].box.y1)
            continue
        if stamp and (centred or stamp["mo"]):
            iso = parse_chat_time(first.text, reference, _day_at(day, first))
            stamps.append((first.box.cy, iso))
            roles[id(first)] = "timestamp"
            items.append((first.box.y0, Side.SYSTEM, group))
        elif centred and _DAY.match(squashed):
            iso_day = _parse_day(squashed, reference)
            if iso_day:
                day.append((first.box.cy, iso_day))
            roles[id(first)] = "timestamp"
            items.append((first.box.y0, Side.SYSTEM, group))
        elif centred and (not at_column or _SYSTEM_WORDS.search(joined)):
            roles[id(first)] = "system"  # a notice ("以下为新消息", a recall): no side
            items.append((first.box.y0, Side.SYSTEM, group))
        elif len(group) == 1 and not at_column and len(joined) <= 40 and _NOTICE.search(joined):
            roles[id(first)] = "system"  # the same, in a pane off the screenshot's centre
            items.append((first.box.y0, Side.SYSTEM, group))
        elif len(group) == 1 and first.box.height < SMALL_TEXT * text_h and len(first.text) <= 16:
            small_meta += 1  # a sender name above a bubble (app style)
            roles[id(first)] = "label"
        elif _is_chip_row(group, body, text_h):
            _mark(roles, group, "card")  # quick-reply chips side by side
        else:
            items.append((first.box.y0, None, group))

    # Each stamp also dates the header rows' times on the last divider day above them.
    for ln, is_time in header_lines.items():
        if is_time:
            stamps.append((ln.box.cy, parse_chat_time(ln.text, reference, _day_at(day, ln))))
    stamps.sort(key=lambda s: s[0])

    # Tint tells the sides apart only where one side's bubbles are tinted and the other's not.
    if tint is not None:
        seen = {tint[id(ln)] for _y, f, g in items if f is None for ln in g if id(ln) in tint}
        if len(seen) < 2:
            tint = None
    messages = []
    bubbles = 0
    for _y, fixed, group in sorted(items, key=lambda it: it[0]):
        box = Box(
            min(ln.box.x0 for ln in group),
            min(ln.box.y0 for ln in group),
            max(ln.box.x1 for ln in group),
            max(ln.box.y1 for ln in group),
        )
        text = _join(ln.text for ln in group)
        if fixed is Side.SYSTEM:
            time = next((iso for y, iso in stamps if abs(y - group[0].box.cy) < 1), None)
            messages.append(Message(Side.SYSTEM, text, time, box))
            continue
        bubbles += 1
        voice = _VOICE.match(text)
        if voice:  # a voice message shows only its length (7.44"); say what it is
            text = f'[语音 {voice[1]}"]'
        side = _side(box, width, them_edge, me_edge, text_h, tint, group)
        _mark(roles, group, "bubble_me" if side is Side.ME else "bubble_them")
        time = None
        for y, iso in stamps:
            if y < box.y0:
                time = iso
        messages.append(Message(side, text, time, box))

    # Label/value rows side by side make a bill or a form, whatever was taken for bubbles.
    stamp_ys = {y for y, _iso in stamps}
    table_rows = _paired_rows(
        [ln for _y, _f, g in items for ln in g if ln.box.cy not in stamp_ys], text_h
    )
    is_chat = bubbles >= 2 and table_rows <= max(1, bubbles // 4)
    if not is_chat:
        style = "none"
    elif small_meta or "发送" in chrome_text or "请输入" in chrome_text:
        style = "app"
    else:
        style = "wechat"
    return ChatParse(tuple(messages), is_chat, style, roles)


def _send_row(body: Sequence[OcrLine]) -> list[OcrLine]:
    """The lowest row when it holds a send button (``发送``, ``Send``) at its right."""
    if not body:
        return []
    last = max(body, key=lambda ln: ln.box.cy)
    row = [ln for ln in body if abs(ln.box.cy - last.box.cy) < 0.5 * last.box.height]
    button = max(row, key=lambda ln: ln.box.x1)
    return row if _SEND.match(button.text.strip()) else []


def _divider_in_chrome(ln: OcrLine, width: int, top: float) -> bool:
    squashed = re.sub(r"\s+", " ", ln.text.strip())
    left, right = ln.box.x0, width - ln.box.x1
    return (
        0.12 * width < ln.box.cy < top
        and abs(left - right) < CENTRED_W * width
        and bool(_DAY.match(squashed) or _STAMP.match(squashed))
    )


def _mark(roles: dict[int, str], group: Iterable[OcrLine], role: str) -> None:
    for ln in group:
        roles[id(ln)] = role


def _side(
    box: Box,
    width: int,
    them_edge: float | None,
    me_edge: float | None,
    text_h: float,
    tint: Mapping[int, bool] | None,
    group: Sequence[OcrLine],
) -> Side:
    """Which column a bubble hugs: its own edge first, the pixels' tint on a tie, the margins
    last."""
    at_them = them_edge is not None and abs(box.x0 - them_edge) < 0.6 * text_h
    at_me = me_edge is not None and abs(box.x1 - me_edge) < 0.6 * text_h
    if tint is not None and (at_them == at_me):
        votes = [tint[id(ln)] for ln in group if id(ln) in tint]
        if votes:
            return Side.ME if sum(votes) * 2 > len(votes) else Side.THEM
    if at_them:
        return Side.THEM  # a wide bubble touching both columns: the left one's start
    if at_me:
        return Side.ME
    return Side.THEM if box.x0 < width - box.x1 else Side.ME


def _sender_rows(body: Sequence[OcrLine], width: int, text_h: float) -> dict[OcrLine, bool]:
    """Rows holding a name at the left and a bare time at the right edge: line -> is the time."""
    out: dict[OcrLine, bool] = {}
    for ln in body:
        if ln.box.x0 < 0.6 * width or not _TIME_ONLY.match(ln.text.strip()):
            continue
        mates = [
            o
            for o in body
            if o is not ln
            and abs(o.box.cy - ln.box.cy) < 0.5 * max(text_h, ln.box.height)
            and o.box.x1 < ln.box.x0
        ]
        if len(mates) == 1 and len(mates[0].text.strip()) <= 20:
            out[ln] = True
            out[mates[0]] = False
    return out


def _is_chip_row(group: Sequence[OcrLine], body: Sequence[OcrLine], text_h: float) -> bool:
    """Three or more short lines side by side on one row: quick-reply chips."""
    if len(group) != 1 or len(group[0].text.strip()) > 8:
        return False
    ln = group[0]
    row = [o for o in body if abs(o.box.cy - ln.box.cy) < 0.5 * text_h and len(o.text.strip()) <= 8]
    return len(row) >= 3


def _day_at(days: Sequence[tuple[float, str]], line: OcrLine) -> str | None:
    found = None
    for y, iso in days:
        if y < line.box.cy:
            found = iso
    return found


def _parse_day(text: str, reference: datetime | None) -> str | None:
    m = _DAY.match(text)
    if not m:
        return None
    try:
        if m["y"]:
            return f"{datetime(int(m['y']), int(m['mo']), int(m['d'])):%Y-%m-%d}"
        if reference is None:
            return None
        d = datetime(reference.year, int(m["mo"]), int(m["d"]))
        if d.date() > reference.date():
            d = d.replace(year=d.year - 1)
        return f"{d:%Y-%m-%d}"
    except ValueError:
        return None


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


def _edge(values: list[float], bin_size: float, width: int, *, left: bool) -> float | None:
    """The outermost edge at least two bubbles share, on one side of the screen."""
    side = [v for v in values if (v < 0.4 * width if left else v > 0.6 * width)]
    bins: dict[int, list[float]] = {}
    for v in side:
        bins.setdefault(round(v / max(bin_size / 2, 1.0)), []).append(v)
    shared = [b for b in bins.values() if len(b) >= 2]
    if not shared:
        return (min(side) if left else max(side)) if side else None
    pick = min(shared, key=min) if left else max(shared, key=max)
    return median(pick)


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
