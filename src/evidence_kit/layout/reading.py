"""Role-aware reading: roles for the lines, the screen type, then extraction per role.

The text extraction (``evidence_kit.extract``) reads the whole screen's text; this stage then
keeps, moves and adds values by the role of the line they came from:

- the status-bar clock never dates content; time-only and relative mentions (``18:44``,
  ``昨天``, a weekday) are not content dates unless a header above gives their day;
- a list row's bare time takes its group header's date; a weekday beside a date confirms it;
- a month-day takes the year printed as the page's header (``2024年``);
- in bill lists and label/value rows a signed or bare number is money (``-15``, ``+100``,
  ``捐赠金额 666.00``), which a text reader cannot know without the layout;
- every value records the OCR confidence, the box on the original image and the role.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation
from statistics import median
from typing import TYPE_CHECKING

from evidence_kit.layout.roles import (
    avatar_glyphs,
    is_date_header,
    join_fragments,
    list_roles,
    rows_of,
    status_bar,
)
from evidence_kit.layout.screen import screen_type
from evidence_kit.models import Amount, Box, DateMention, Extraction, Message, OcrLine, Side

if TYPE_CHECKING:
    from PIL import Image

    from evidence_kit.extract.chat import ChatParse
    from evidence_kit.layout.bubbles import Pixels, Region

_EXPLICIT_DAY = re.compile(
    r"\d{4}\s*[年/.-]\s*\d{1,2}|\d{1,2}\s*月\s*\d{1,2}|\d{1,2}\s*[/.-]\s*\d{1,2}(?!\s*[:：])"
)
_TIME = re.compile(r"(?:凌晨|早上|上午|中午|下午|晚上)?\s*(\d{1,2})\s*[:：]\s*(\d{2})")
_ROW_TIME = re.compile(
    r"^\s*(?P<ampm>凌晨|早上|上午|中午|下午|晚上)?\s*(?P<h>\d{1,2})\s*[:：]\s*(?P<m>\d{2})"
    r"(?:[:：]\d{2})?(?!\d)"
)
_TIME_ONLY = re.compile(r"^\d{1,2}\s*[:：]\s*\d{2}$")
_PAGE_YEAR = re.compile(r"^(\d{4})\s*年$")
_SIGNED = re.compile(
    r"(?<![\w.,])([-+−])\s?[¥￥]?\s?(\d{1,3}(?:,\d{3})+|\d{1,9})(\.\d{1,2})?(?![\d.:%/\-])"
)
_UNIT_PRICE = re.compile(r"^[¥￥]?\s?(\d{1,9})(\.\d{1,12})?$")
_SIGNED_CELL = re.compile(r"^[-+−]\s?[¥￥]?\s?(?:\d{1,3}(?:,\d{3})+|\d{1,9})(?:\.\d{1,2})?$")
_BARE = re.compile(r"^[¥￥]?\s?(\d{1,3}(?:,\d{3})+|\d{1,9})(\.\d{1,2})?\s?元?$")
_MONEY_LABEL = re.compile(
    r"额|收入|支出|预算|价格|单价|价|费|合计|总计|小计|实付|应付|应还|已还|"
    r"本金|利息|罚息|结余|Amount",
    re.I,
)
_NOT_MONEY_LABEL = re.compile(r"笔数|次数|数量|单号|编号|号码|账号|卡号|电话|手机|验证码|日期|时间")
_CURRENCY_AFTER = re.compile(r"(\d[\d,]*(?:\.\d+)?)(\s*)([¥￥])$")

_CHAT_SCREENS = ("chat_mobile", "chat_desktop")
_CLEAR_READ = 0.8  # OCR confidence of text, not of an icon read as a glyph
_PAGE_SCREENS = ("document_scan", "receipt")
# Roles whose text is no content: the phone's status bar, a watermark over the screen.
_NOT_CONTENT = ("status_bar", "watermark")
_MONEY_SCREENS = ("bill_list", "bill_detail", "receipt")


@dataclass(frozen=True)
class LayoutReading:
    roles: tuple[str, ...]  # one per line
    screen: str
    extraction: Extraction
    messages: tuple[Message, ...]
    is_chat: bool


def extraction_text(lines: Sequence[OcrLine]) -> str:
    """The screen's text for the extractor: lines joined, a currency sign written after its
    number moved in front of it (``0.01¥`` → ``¥0.01``, same length, so offsets hold) — else
    ``¥`` would join the next line's number (``¥\\n2020``). An avatar OCR read as a glyph
    (``日``) is blanked, so it does not stand between a bubble's lines (``还2,816.73`` ``日``
    ``元``, where ``2,816.73日`` would read as a day)."""
    icons = avatar_glyphs(lines, set())
    out = []
    for i, ln in enumerate(lines):
        m = _CURRENCY_AFTER.search(ln.text)
        t = ln.text
        if i in icons:
            t = " " * len(t)
        elif m:
            t = t[: m.start()] + m[3] + m[1] + m[2]
        out.append(t)
    return "\n".join(out)


def read_layout(
    lines: Sequence[OcrLine],
    width: int,
    height: int,
    *,
    extraction: Extraction,
    reference: datetime | None = None,
    is_call_log: bool = False,
    is_pdf: bool = False,
    tint: Mapping[int, bool] | None = None,
    pixels: Callable[[], Image.Image | None] | None = None,
    chat_only: bool = False,
) -> LayoutReading:
    """``extraction`` is the extractor's reading of ``extraction_text(lines)``. ``pixels``
    gives the original image when the layout wants to look at it (bubble colours).
    ``chat_only``: the caller keeps the reading only when it is a chat's, so a screen whose
    text alone says it is no chat (a page, a receipt, a bill list) is given its type and
    nothing more is read.

    A photo of a phone shows the screen inside the frame, with the desk around it: a chat's
    columns, its status bar and its chrome are the screen's, not the frame's. When the frame
    does not read as a phone's chat (a chat under a status bar) and the pixels show a lit
    screen clear of the frame's sides with all the text on it, the screen is read again on
    its own; that reading is kept when it is a chat (and, when the frame reads as a page,
    when the crop shows a phone's status bar)."""
    loaded: list[Image.Image | None] = []

    def image() -> Image.Image | None:  # decoded once, and only when the layout looks
        if not loaded:
            loaded.append(pixels() if pixels is not None else None)
        return loaded[0]

    frame = _read_layout(
        lines, width, height, extraction=extraction, reference=reference,
        is_call_log=is_call_log, is_pdf=is_pdf, tint=tint,
        pixels=image if pixels is not None else None, chat_only=chat_only,
    )
    framed = frame.screen in _CHAT_SCREENS and "status_bar" in frame.roles
    crop = None
    if not (is_pdf or framed or pixels is None) and _might_chat(lines, width):
        shown = image()
        if shown is not None and shown.size == (width, height):
            crop = _screen_of(shown, lines)
    if crop is None:
        return frame
    x0, y0, x1, y1 = crop

    def cropped() -> Image.Image | None:
        shown = image()
        if shown is None or shown.size != (width, height):
            return None
        return shown.crop((x0, y0, x1, y1))

    moved = [replace(ln, box=_shift(ln.box, -x0, -y0)) for ln in lines]
    moved_tint = None
    if tint is not None:
        moved_tint = {id(m): tint[id(ln)] for m, ln in zip(moved, lines) if id(ln) in tint}
    inner = _read_layout(
        moved, x1 - x0, y1 - y0, extraction=_shift_extraction(extraction, -x0, -y0),
        reference=reference, is_call_log=is_call_log, is_pdf=False, tint=moved_tint,
        pixels=cropped if pixels is not None else None, chat_only=chat_only,
    )
    if inner.screen not in _CHAT_SCREENS:
        return frame
    if frame.screen in _PAGE_SCREENS and "status_bar" not in inner.roles:
        # The frame's text reads as a page (a letter, an invoice): its lit part is the page
        # under the lamp, not a phone's screen, unless a phone's status bar is on it.
        return frame
    return replace(
        inner,
        extraction=_shift_extraction(inner.extraction, x0, y0),
        messages=tuple(replace(m, box=m.box and _shift(m.box, x0, y0)) for m in inner.messages),
    )


def _screen_of(image: Image.Image, lines: Sequence[OcrLine]) -> tuple[int, int, int, int] | None:
    """The lit screen of a photographed phone, when every line lies on it."""
    from evidence_kit.layout.pixels import screen_region

    found = screen_region(image)
    if found is None or len(lines) < 4:
        return None
    x0, y0, x1, y1 = found
    if all(x0 <= ln.box.cx <= x1 and y0 <= ln.box.cy <= y1 for ln in lines):
        return found
    return None


def _shift_extraction(ex: Extraction, dx: float, dy: float) -> Extraction:
    return replace(
        ex,
        amounts=tuple(replace(a, box=a.box and _shift(a.box, dx, dy)) for a in ex.amounts),
        dates=tuple(replace(d, box=d.box and _shift(d.box, dx, dy)) for d in ex.dates),
    )


def _read_layout(
    lines: Sequence[OcrLine],
    width: int,
    height: int,
    *,
    extraction: Extraction,
    reference: datetime | None = None,
    is_call_log: bool = False,
    is_pdf: bool = False,
    tint: Mapping[int, bool] | None = None,
    pixels: Callable[[], Image.Image | None] | None = None,
    chat_only: bool = False,
) -> LayoutReading:
    from evidence_kit.extract.chat import ChatParse, parse_chat
    from evidence_kit.layout.chat import strip_labels
    from evidence_kit.layout.pixels import line_tints, watermarks
    from evidence_kit.layout.stamps import is_stamp_row, recover_stamps, retime_glued

    loaded: list[Image.Image | None] = []

    def image() -> Image.Image | None:  # decoded once, and only when the layout looks
        if not loaded:
            loaded.append(pixels() if pixels is not None and not is_pdf else None)
        return loaded[0]

    faint: set[int] = set()
    looked = None
    if pixels is not None and not is_pdf and _might_chat(lines, width):
        looked = image()
        if looked is not None:
            stamps = {i for i, ln in enumerate(lines) if is_stamp_row(ln, width)}
            faint = watermarks(looked, lines, keep=stamps)
    n = len(lines)
    if chat_only:
        shown_lines = [ln for i, ln in enumerate(lines) if i not in faint]
        # The type as though the lines read as a chat: any other was decided by the text,
        # whatever the chat reader would say.
        decided = screen_type(
            shown_lines, "\n".join(ln.text for ln in shown_lines), ChatParse((), True, "none"),
            is_call_log=is_call_log, is_pdf=is_pdf, width=width, height=height,
        )
        if decided not in _CHAT_SCREENS:
            return LayoutReading(("other",) * n, decided, extraction, (), False)
    if looked is not None and tint is None:
        tint = line_tints(looked, lines)

    roles = ["other"] * n
    for i in faint:
        roles[i] = "watermark"
    status = status_bar(lines, width, height) if not is_pdf else set()
    for i in status:
        roles[i] = "status_bar"
    status_only = status
    status = status | faint  # neither is content
    # Avatars read as a glyph are no message (a column's edge moves with them).
    icons = avatar_glyphs(lines, status) if not is_pdf else set()
    chat = None
    if not is_pdf:
        body = [ln for i, ln in enumerate(lines) if i not in status and i not in icons]
        body, parts = join_fragments(body)
        body_tint = tint
        if tint is not None and parts:
            body_tint = dict(tint)
            for k, pieces in parts.items():
                if id(pieces[0]) in tint:
                    body_tint[k] = tint[id(pieces[0])]
        chat = parse_chat(body, width, height, reference=reference, tint=body_tint)
        if not status_only:
            chat = _uncropped(chat, body, width, height, reference, body_tint)
        if parts:  # each piece of a joined line takes the line's role
            own = dict(chat.roles)
            for k, pieces in parts.items():
                if k in own:
                    own.update({id(p): own[k] for p in pieces})
            chat = replace(chat, roles=own)
    split = None
    if chat is not None:  # a window with a contact list: read the pane on its own
        split = _desktop_pane(lines, width, height, status, reference, tint)
        if split is not None:
            chat = split[1]
    shown_lines = [ln for i, ln in enumerate(lines) if i not in faint]
    text = "\n".join(ln.text for ln in shown_lines)
    screen = screen_type(
        shown_lines, text, chat, is_call_log=is_call_log, is_pdf=is_pdf, width=width, height=height
    )
    if split is not None and screen in _CHAT_SCREENS:
        screen = "chat_desktop"
        pane, _chat = split
        for i in range(n):
            roles[i] = "list_row" if i not in pane and i not in status else roles[i]
        for i, j in pane.items():
            roles[i] = _chat.roles.get(j, "other")
    elif screen in _CHAT_SCREENS or (screen in ("sms", "call_log") and chat and chat.is_chat):
        for i, ln in enumerate(lines):
            if chat is not None and id(ln) in chat.roles and i not in status:
                roles[i] = chat.roles[id(ln)]
    else:
        for i, role in list_roles(lines, width, status).items():
            roles[i] = role
    messages: tuple[Message, ...] = ()
    if chat is not None and (chat.is_chat or screen in _CHAT_SCREENS):
        messages = chat.messages
    if screen == "sms" and chat is not None:
        # Received texts and notifications span the screen from the left; one's own sent
        # SMS is a narrow bubble at the right.
        messages = tuple(
            replace(m, side=_sms_side(m.box, width))
            if m.side is not Side.SYSTEM and m.box is not None
            else m
            for m in chat.messages
        )
    sent_list = False
    if messages:
        messages, sent_list = strip_labels(messages, lines, sms=screen == "sms")
        if screen in _CHAT_SCREENS:
            messages = recover_stamps(messages, lines, roles, width, reference)
            messages = retime_glued(messages, reference)
    if messages and screen in _CHAT_SCREENS and pixels is not None:
        shown = image()
        if shown is not None:
            messages = _with_pixels(
                messages, lines, roles, shown, width, height
            )
    if sent_list:  # a list of one's own sent texts (a bulk-SMS app's progress page)
        messages = tuple(m if m.side is Side.SYSTEM else replace(m, side=Side.ME) for m in messages)
    ex = _per_role(lines, roles, extraction, screen, reference)
    return LayoutReading(tuple(roles), screen, ex, messages, bool(chat and chat.is_chat))


def _uncropped(
    chat: ChatParse,
    body: Sequence[OcrLine],
    width: int,
    height: int,
    reference: datetime | None,
    tint: Mapping[int, bool] | None,
) -> ChatParse:
    """A chat cropped below its title bar or above its input bar (an export, a record, a
    screenshot's middle): a centred date or time row where the chrome would be says so, as no
    title or input bar shows one. The lines are then read again with room for the chrome."""
    from evidence_kit.extract.chat import BOTTOM_CHROME_W, TOP_CHROME_W, parse_chat
    from evidence_kit.layout.stamps import is_stamp_row

    top = bottom = False
    for ln in body:
        role = chat.roles.get(id(ln))
        if role == "title_bar" and is_stamp_row(ln, width):
            top = True
        elif role == "input_bar" and is_stamp_row(ln, width):
            bottom = True
    if not (top or bottom):
        return chat
    # The reader's title band is min(TOP_CHROME_W·w, 0.12·h): a taller canvas widens it, so
    # the lines move down with it unless the band is to be cleared.
    old_top = min(TOP_CHROME_W * width, 0.12 * height)
    extra = int(BOTTOM_CHROME_W * width) + 1 if bottom else 0
    dy = 0.0
    for _ in range(4):
        band = min(TOP_CHROME_W * width, 0.12 * (height + dy + extra))
        dy = band + 1 if top else band - old_top
    dh = int(dy + 1) + extra
    moved = [replace(ln, box=_shift(ln.box, 0, dy)) for ln in body]
    moved_tint = None
    if tint is not None:
        moved_tint = {id(m): tint[id(ln)] for m, ln in zip(moved, body) if id(ln) in tint}
    found = parse_chat(moved, width, height + dh, reference=reference, tint=moved_tint)
    back = {id(m): id(ln) for m, ln in zip(moved, body)}
    return replace(
        found,
        messages=tuple(
            replace(m, box=m.box and _shift(m.box, 0, -dy)) for m in found.messages
        ),
        roles={back[k]: r for k, r in found.roles.items() if k in back},
    )


def _shift(box: Box, dx: float, dy: float) -> Box:
    return Box(box.x0 + dx, box.y0 + dy, box.x1 + dx, box.y1 + dy)


def _desktop_pane(
    lines: Sequence[OcrLine],
    width: int,
    height: int,
    status: set[int],
    reference: datetime | None,
    tint: Mapping[int, bool] | None,
) -> tuple[dict[int, int], ChatParse] | None:
    """A desktop chat window: a contact list at the left, the conversation to its right. The
    list ends at an empty vertical strip in the left half: the one whose right part reads as a
    chat with the most bubbles (read at the pane's own width, boxes shifted back afterwards).
    Only for windows (wider than tall), so a phone's bill columns are never taken for one."""
    from evidence_kit.extract.chat import parse_chat

    if width < 1.1 * height:
        return None

    cover = [0] * (width + 1)
    for i, ln in enumerate(lines):
        if i in status:
            continue
        for x in range(max(0, int(ln.box.x0)), min(width, int(ln.box.x1)) + 1):
            cover[x] += 1
    runs: list[int] = []  # middles of empty vertical strips in the left half
    run_start = None
    lo, hi = int(0.12 * width), int(0.55 * width)
    for x in range(lo, hi + 1):
        if cover[x] == 0 and run_start is None:
            run_start = x
        if (cover[x] != 0 or x == hi) and run_start is not None:
            if x - run_start >= 0.02 * width:
                runs.append((run_start + x) // 2)
            run_start = None
    best: tuple[int, list[int], list[OcrLine], ChatParse] | None = None
    for cut in runs:  # the list's own columns leave strips too: the pane is the one that chats
        side = [ln for i, ln in enumerate(lines) if ln.box.x1 < cut and i not in status]
        # A contact list: several short rows down the window, not a bubble or two.
        sizes = sorted(len(ln.text.strip()) for ln in side)
        if len(side) < 4 or sizes[len(sizes) // 2] > 12 or sizes[-1] > 30:
            continue
        if max(ln.box.y1 for ln in side) - min(ln.box.y0 for ln in side) < 0.3 * height:
            continue
        pane_idx = [i for i, ln in enumerate(lines) if ln.box.x0 > cut and i not in status]
        # A contact list prints each row's last time at its right: times level with rows
        # left of the cut are the list's own column, so the pane starts further right.
        row_times = sum(
            1
            for i in pane_idx
            if _TIME_ONLY.match(lines[i].text.strip())
            and any(abs(o.box.cy - lines[i].box.cy) < 0.5 * lines[i].box.height for o in side)
        )
        if row_times >= 2:
            continue
        shifted = [
            replace(lines[i], box=Box(lines[i].box.x0 - cut, lines[i].box.y0,
                                      lines[i].box.x1 - cut, lines[i].box.y1))
            for i in pane_idx
        ]
        pane_tint = None
        if tint is not None:
            pane_tint = {id(s): tint[id(lines[i])]
                         for s, i in zip(shifted, pane_idx, strict=True) if id(lines[i]) in tint}
        found = parse_chat(shifted, width - cut, height, reference=reference, tint=pane_tint)
        bubbles = sum(1 for m in found.messages if m.side is not Side.SYSTEM)
        if found.is_chat and (best is None or bubbles > best[0]):
            best = (bubbles, pane_idx, shifted, found)
            best_cut = cut
    if best is None:
        return None
    _n, pane_idx, shifted, chat = best
    cut = best_cut
    back = []
    for m in chat.messages:
        box = m.box and Box(m.box.x0 + cut, m.box.y0, m.box.x1 + cut, m.box.y1)
        back.append(replace(m, box=box))
    chat = replace(chat, messages=tuple(back))
    return {i: id(s) for i, s in zip(pane_idx, shifted, strict=True)}, chat


def _with_pixels(
    messages: tuple[Message, ...],
    lines: Sequence[OcrLine],
    roles: Sequence[str],
    image: Image.Image,
    width: int,
    height: int,
) -> tuple[Message, ...]:
    """The messages checked against the bubble regions of the pixels (``layout.chat``)."""
    from evidence_kit.extract.chat import BOTTOM_CHROME_W
    from evidence_kit.layout.bubbles import Pixels
    from evidence_kit.layout.chat import refine

    pix = Pixels(image, lines)
    if (pix.w, pix.h) != (width, height):
        return messages  # boxes and pixels disagree: trust the text reading
    found: set[int] = set()
    # A phone chat cropped to its messages, a window scrolled under its title bar: a bubble
    # where the chrome would be (a phone's status bar says its chrome is all there).
    if "status_bar" not in roles:
        messages, found = _chrome_bubbles(messages, lines, roles, pix, width)
    chrome_top = [
        ln.box.y1
        for i, (ln, r) in enumerate(zip(lines, roles))
        if r in ("status_bar", "title_bar") and i not in found
    ]
    chrome_bottom = [
        ln.box.y0
        for i, (ln, r) in enumerate(zip(lines, roles))
        if r == "input_bar" and i not in found
    ]
    top = max(chrome_top, default=0.0)
    # A phone screen (under a status bar) ends in its input bar, drawn with icons only when its
    # text box is empty: nothing there is a message (an emoji button is no sticker).
    phone = "status_bar" in roles and height >= 1.2 * width
    bottom = min(chrome_bottom, default=height - BOTTOM_CHROME_W * width if phone else height)
    return refine(messages, lines, pix, width, top=top, bottom=bottom)


def _chrome_bubbles(
    messages: tuple[Message, ...],
    lines: Sequence[OcrLine],
    roles: Sequence[str],
    pix: Pixels,
    width: int,
) -> tuple[tuple[Message, ...], set[int]]:
    """A chat cropped to its messages (no status bar over it), or a window scrolled so that a
    bubble is cut by its title bar or by the screenshot's edge: the first or the last bubble
    sits where a title or an input bar would be, and the text reader took it for one. A chrome
    line on a filled region of its own that keeps off the screen's sides, and starts or ends
    at a column the other bubbles keep, is a message (a title bar spans the screen); one on
    the fill of a message is that message's (a long bubble running under the input bar).

    The columns are the bubbles' fills where the pixels show them: an avatar's letters
    (``NLP``) or an icon read as text stand outside the bubbles and move no column."""
    from evidence_kit.layout.chat import fills_of, union_of

    talk = [m for m in messages if m.side is not Side.SYSTEM and m.box is not None]
    if not talk:
        return messages, set()
    h = median(ln.box.height for ln in lines)
    fills = [fills_of(m, lines, pix) for m in talk]
    side_of = {id(r): m.side for m, rs in zip(talk, fills) for r in rs}
    spans = [union_of(rs) for rs in fills if rs]
    if len(spans) >= 2:
        them_col, me_col, fill_cols = min(b.x0 for b in spans), max(b.x1 for b in spans), True
        tol = 1.5 * h  # the fills' own edges: bubbles of a column start within a few pixels
    else:
        boxes = [m.box for m in talk if m.box is not None]
        them_col, me_col, fill_cols = min(b.x0 for b in boxes), max(b.x1 for b in boxes), False
        tol = 2.5 * h  # a bubble's padding around its text
    added: list[Message] = []
    found: set[int] = set()
    for i, (ln, role) in enumerate(zip(lines, roles)):
        if role not in ("title_bar", "input_bar") or not ln.text.strip():
            continue
        r = pix.region_of(ln)
        if r is None or r.box.width > 0.85 * width or r.box.x0 < 3 or r.box.x1 > width - 3:
            continue
        side = side_of.get(id(r))
        if side is None and fill_cols and not _bubble_like(r, fills, them_col, me_col, tol):
            continue  # an input box, a search field: a fill of its own colour or reach
        if side is None and len(talk) >= 2:
            edge = r.box if fill_cols else ln.box
            to_left, to_right = abs(edge.x0 - them_col), abs(me_col - edge.x1)
            at_left, at_right = to_left < tol, to_right < tol
            if at_left and at_right and fill_cols:
                # A bubble as wide as the chat: the column its fill meets (the other side's
                # widest bubble stops short of one's own column by a few pixels).
                at_left, at_right = to_left < 0.5 * to_right, to_right < 0.5 * to_left
            if at_left != at_right:
                side = Side.THEM if at_left else Side.ME
        if side is None:
            continue
        added.append(Message(side, ln.text.strip(), None, ln.box))
        found.add(i)
    if not added:
        return messages, found
    out = sorted((*messages, *added), key=lambda m: m.box.y0 if m.box is not None else 0.0)
    return tuple(out), found


def _bubble_like(
    r: Region, fills: Sequence[Sequence[Region]], them_col: float, me_col: float, tol: float
) -> bool:
    """A bubble cut by the chrome looks like the others: one of their fill colours, between
    the chat's columns."""
    from evidence_kit.layout.bubbles import MAX_DIFF

    colours = [f.colour for rs in fills for f in rs]
    alike = any(max(abs(a - b) for a, b in zip(c, r.colour)) <= MAX_DIFF for c in colours)
    return alike and r.box.x0 >= them_col - tol and r.box.x1 <= me_col + tol


def _sms_side(box: Box, width: int) -> Side:
    return Side.ME if box.x0 > 0.3 * width and box.x1 > 0.8 * width else Side.THEM


def _might_chat(lines: Sequence[OcrLine], width: int) -> bool:
    """Worth decoding the pixels for: lines on both halves of the screen."""
    return any(ln.box.x1 < 0.55 * width for ln in lines) and any(
        ln.box.x0 > 0.3 * width for ln in lines
    )


# ---------------------------------------------------------------- per role


class _Index:
    """Offsets of the joined text → line index, and a value's box on the image."""

    def __init__(self, lines: Sequence[OcrLine]) -> None:
        self.lines = lines
        self.starts = []
        pos = 0
        for ln in lines:
            self.starts.append(pos)
            pos += len(ln.text) + 1

    def line(self, offset: int) -> int:
        lo, hi = 0, len(self.starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.starts[mid] <= offset:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def box(self, i: int, start: int, end: int) -> Box:
        """The value's part of its line's box (characters taken as equally wide)."""
        ln = self.lines[i]
        n = max(len(ln.text), 1)
        a = min(max(start - self.starts[i], 0), n)
        b = min(max(end - self.starts[i], a), n)
        w = ln.box.width
        return Box(ln.box.x0 + w * a / n, ln.box.y0, ln.box.x0 + w * b / n, ln.box.y1)


def _per_role(
    lines: Sequence[OcrLine],
    roles: Sequence[str],
    ex: Extraction,
    screen: str,
    reference: datetime | None,
) -> Extraction:
    if not lines:
        return ex
    idx = _Index(lines)
    amounts = _amounts(lines, roles, ex, screen, idx)
    dates = _dates(lines, roles, ex, idx, reference)
    return replace(ex, amounts=tuple(amounts), dates=tuple(dates))


def _amounts(
    lines: Sequence[OcrLine],
    roles: Sequence[str],
    ex: Extraction,
    screen: str,
    idx: _Index,
) -> list[Amount]:
    out = []
    taken: set[int] = set()
    for a in ex.amounts:
        i = idx.line(a.start)
        if roles[i] in _NOT_CONTENT:
            continue
        taken.add(i)
        out.append(
            replace(
                a, confidence=lines[i].confidence, box=idx.box(i, a.start, a.end), role=roles[i]
            )
        )
    money_screen = screen in _MONEY_SCREENS
    label_of = _labels(lines, roles)
    for i, ln in enumerate(lines):
        if i in taken or roles[i] in (*_NOT_CONTENT, "title_bar", "input_bar"):
            continue
        label = label_of.get(i)
        # Signed numbers are money in a bill list's rows, elsewhere only as a whole cell.
        signed_ok = (screen == "bill_list" and roles[i] == "list_row") or (
            money_screen and _SIGNED_CELL.match(ln.text.strip())
        )
        if signed_ok:
            for m in _SIGNED.finditer(ln.text):
                value = _decimal(m[2] + (m[3] or ""))
                if value is not None:
                    out.append(_amount(ln, i, roles[i], value, m.start(), m.end(), idx, label))
                    taken.add(i)
        if i in taken:
            continue
        # A unit price may carry many decimals (96.724137931); other money has two.
        bare = (_UNIT_PRICE if label and "单价" in label else _BARE).match(ln.text.strip())
        if not bare:
            continue
        money_label = bool(
            label and _MONEY_LABEL.search(label) and not _NOT_MONEY_LABEL.search(label)
        )
        # A bare number at a bill row's right, when it reads clearly: an icon OCR took for
        # digits (a sync arrow read as ``55``) reads poorly.
        bill_row = (
            money_screen
            and roles[i] == "list_row"
            and ln.box.x0 > 0.5 * _right(lines)
            and ln.confidence >= _CLEAR_READ
        )
        if money_label or bill_row:
            value = _decimal(bare[1] + (bare[2] or ""))
            lead = len(ln.text) - len(ln.text.lstrip())
            if value is not None:
                out.append(
                    _amount(ln, i, roles[i], value, lead, lead + len(ln.text.strip()), idx, label)
                )
    out.sort(key=lambda a: a.start)
    return out


def _amount(
    ln: OcrLine,
    i: int,
    role: str,
    value: Decimal,
    a: int,
    b: int,
    idx: _Index,
    label: str | None,
) -> Amount:
    start = idx.starts[i] + a
    end = idx.starts[i] + b
    return Amount(
        value,
        "CNY",
        label,
        ln.text[a:b].strip(),
        start,
        end,
        confidence=ln.confidence,
        box=idx.box(i, start, end),
        role=role,
    )


def _right(lines: Sequence[OcrLine]) -> float:
    return max(ln.box.x1 for ln in lines)


def _labels(lines: Sequence[OcrLine], roles: Sequence[str]) -> dict[int, str]:
    """value line -> its label: the label to its left on the row, and its column's header
    above it (a table's ``收入`` column), joined when both exist."""
    left: dict[int, str] = {}
    for row in rows_of(lines):
        for k, i in enumerate(row):
            if roles[i] == "value" and k > 0 and roles[row[k - 1]] == "label":
                left[i] = lines[row[k - 1]].text.strip()
    labels = [i for i, r in enumerate(roles) if r == "label"]
    out: dict[int, str] = {}
    for i, r in enumerate(roles):
        if r not in ("value", "table_cell"):
            continue
        b = lines[i].box
        # Just above for a lone value; any distance for a value in a row of a table.
        in_row = i in left or any(abs(lines[j].box.cy - b.cy) < b.height / 2 for j in labels)
        reach = float("inf") if r == "table_cell" or in_row else 3 * b.height
        # A scan's table sets its header row tight on the rows (centre above the value's top).
        above = [
            j
            for j in labels
            if lines[j].box.cy < b.y0
            and b.y0 - lines[j].box.y1 < reach
            and _over_column(lines[j].box, b)
        ]
        head = _column_head(lines, above, i) if above else None
        parts = [p for p in (left.get(i), head) if p]
        if parts:
            out[i] = " ".join(parts)
    return out


def _over_column(label: Box, value: Box) -> bool:
    """A header over a value: centred near it, or touching its span (a right-aligned number
    under a centred header)."""
    if abs(label.cx - value.cx) < max(value.width, label.width):
        return True
    return label.x_overlap(value) > -0.5 * label.height


def _column_head(lines: Sequence[OcrLine], above: Sequence[int], i: int) -> str:
    """The header of line ``i``'s column: the nearest row of labels over it; a header set
    with wide letter spacing (``金   额``, read as two lines) joined again. A header that
    another cell of the same row sits under better (``13%`` under ``税率``) is that cell's."""
    b = lines[i].box
    top = lines[max(above, key=lambda j: lines[j].box.y1)].box
    row = sorted(
        (j for j in above if abs(lines[j].box.cy - top.cy) < top.height / 2),
        key=lambda j: lines[j].box.x0,
    )
    spaced = all(
        len(lines[j].text.strip()) == 1
        and (k == 0 or lines[j].box.x0 - lines[row[k - 1]].box.x1 < 1.5 * top.height)
        for k, j in enumerate(row)
    )
    if spaced and len(row) > 1:
        return "".join(lines[j].text.strip() for j in row)

    def fit(h: Box, v: Box) -> tuple[float, float]:  # most shared width, then nearest centre
        return (h.x_overlap(v), -abs(h.cx - v.cx))

    mates = [
        k.box
        for n, k in enumerate(lines)
        if n != i and abs(k.box.cy - b.cy) < b.height / 2 and k.box.x0 >= b.x0 - 4 * b.width
        and k.box.x1 <= b.x1 + 4 * b.width
    ]
    free = [
        j for j in row
        if not any(fit(lines[j].box, m) > fit(lines[j].box, b) for m in mates)
    ]
    return lines[max(free or row, key=lambda j: fit(lines[j].box, b))].text.strip()


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def _dates(
    lines: Sequence[OcrLine],
    roles: Sequence[str],
    ex: Extraction,
    idx: _Index,
    reference: datetime | None,
) -> list[DateMention]:
    page_year = _page_year(lines)
    by_line: dict[int, list[DateMention]] = {}
    for d in ex.dates:
        by_line.setdefault(idx.line(d.start), []).append(d)
    header_day: str | None = None
    header_at: int | None = None
    header_used = False
    out: list[DateMention] = []
    for i in range(len(lines)):
        role = roles[i]
        found = by_line.get(i, [])
        # A line that starts with a date heads the rows below it, except inside a chat bubble.
        heading = role in ("list_header", "timestamp", "system") or (
            not role.startswith("bubble") and role != "card" and is_date_header(lines[i].text)
        )
        if heading:
            # Only a date-only header gives its day to the rows below; a chat's date-time
            # stamp does not carry over to a later bare "22:30" (that is today).
            heads = [d for d in found if _EXPLICIT_DAY.search(d.text) and "T" not in d.value]
            day = heads[0].value[:10] if heads else None
            if day:
                header_day = _with_year(day, found[0].text, page_year)
                header_at = len(out)  # where the header's own date will be
                header_used = False
        if not found and header_day and role not in _NOT_CONTENT:
            found = _row_time(lines[i].text, idx.starts[i], header_day)
        for d in found:
            if role in _NOT_CONTENT:
                continue
            value = d.value
            if _EXPLICIT_DAY.search(d.text):
                value = _with_year(value, d.text, page_year)
            elif (
                _TIME.search(d.text)
                and header_day
                and not re.search(r"今天|昨天|前天|星期|周|礼拜", d.text)
            ):
                value = f"{header_day}{value[10:]}" if "T" in value else value
                if not header_used and header_at is not None and header_at < len(out):
                    # The rows carry the header's day from now on: the header is no date of
                    # its own (a chat record's day divider, an SMS list's day).
                    del out[header_at]
                    header_used = True
            else:
                continue  # a bare time, a weekday, 昨天: not a date of the content
            out.append(
                replace(
                    d,
                    value=value,
                    confidence=lines[i].confidence,
                    box=idx.box(i, d.start, d.end),
                    role=role,
                )
            )
    return out


def _row_time(text: str, start: int, day: str) -> list[DateMention]:
    """A row that starts with a bare time (``下午3:59``, ``17:40:00 · 银行卡``), on its
    header's day (read here too, as the extractor needs a reference for a bare time)."""
    m = _ROW_TIME.match(text)
    if not m:
        return []
    hour, minute = int(m["h"]), int(m["m"])
    if m["ampm"] in ("下午", "晚上") and hour < 12:
        hour += 12
    if hour > 23 or minute > 59:
        return []
    iso = f"{day}T{hour:02d}:{minute:02d}:00"
    return [DateMention(iso, m[0], start + m.start(), start + m.end())]


def _page_year(lines: Sequence[OcrLine]) -> int | None:
    for ln in lines[:8]:
        m = _PAGE_YEAR.match(ln.text.strip())
        if m:
            return int(m[1])
    return None


def _with_year(value: str, text: str, year: int | None) -> str:
    """A month-day without a year takes the page header's year."""
    if year is None or re.search(r"\d{4}", text):
        return value
    return f"{year:04d}{value[4:]}"
