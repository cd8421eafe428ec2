"""The chat reading checked against the pixels: bubbles, their sides, pictures and stickers.

The text reader (``extract.chat``) sees only line positions. Here each message is matched to
the coloured region its lines sit on (``bubbles.Pixels``):

- the lines of one bubble region are one message (a card of a header and a body, a bubble
  whose lines OCR split);
- the columns are the edges the bubble *regions* share, so text outside the chat (a web page
  behind a widget, a contact list) moves no column;
- where every bubble hugs one column (Feishu, DingTalk windows set all bubbles at the left),
  one's own are the tinted ones when tinted and untinted fills both occur; with one fill they
  are all on the side of that column;
- an element with no text in a column is a picture (``[图片]``) or a sticker (``[表情]``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from statistics import median

from evidence_kit.layout.bubbles import Blob, Pixels, Region
from evidence_kit.layout.stamps import CENTRED_W
from evidence_kit.models import Box, Message, OcrLine, Side

_CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")


# A message's delivery status, set beside or under it by SMS and bulk-sending apps.
_DELIVERY = re.compile(
    r"^(?:已发送|发送成功|发送失败|即将发送|发送中|正在发送|已送达|送达|已提交|待发送)$"
)
_SENT = re.compile(r"^(?:已发送|发送成功|发送失败|即将发送|发送中|已送达|送达|待发送)$")
_VOICE_LENGTH = re.compile(r"^[(（)）]?\s*(\d{1,3}(?:\.\d{1,2})?)\s*[\"”″]\s*[()（）]?$")
# The time an SMS inbox sets at the right of a row's sender: relative, a clock, a day.
_ROW_STAMP = re.compile(
    r"^(?:\d{1,3}\s*(?:秒|分钟|小时|天|周|个月|年)前|刚刚|今天|昨天|前天|"
    r"(?:星期|周)[一二三四五六日天]|(?:上午|下午|晚上|凌晨|中午)?\d{1,2}[:：]\d{2}|"
    r"\d{1,2}月\d{1,2}日|(?:\d{2,4}[/.-])?\d{1,2}[/.-]\d{1,2})$"
)
# What a label over a message holds: a number (sender, recipient) or an app's Latin name
# (Chinese sender names are the text reader's: ``extract.chat``).
_LABEL = re.compile(r"^(?:\+?[\d\s-]{3,20}|[A-Za-z][\w .-]{2,15})$")


def strip_labels(
    messages: Sequence[Message], lines: Sequence[OcrLine], *, sms: bool
) -> tuple[tuple[Message, ...], bool]:
    """Messages without their delivery statuses (``已发送``) and, on an SMS screen or a list of
    sent texts, without the small number or name set over their text (a sender's ``10010``, an
    app's name on a notification; in a chat a short number is a message: ``7200``). Also says
    whether the screen lists one's own sent messages (two statuses or more)."""
    sent = sum(
        1
        for m in messages
        if m.side is not Side.SYSTEM and m.box is not None
        for ln in _inside(lines, m.box)
        if _SENT.match(ln.text.strip())
    )
    labelled = sms or sent >= 2
    out: list[Message] = []
    for m in messages:
        if m.side is Side.SYSTEM or m.box is None:
            out.append(m)
            continue
        if sms and (_ROW_STAMP.match(m.text.strip()) or _noise(m.text)):
            continue  # an inbox row's time at its right (``2秒前``), a SIM badge: no text
        inside = _reading_order(_inside(lines, m.box))
        kept = [ln for ln in inside if not _DELIVERY.match(ln.text.strip())]
        if not inside or (len(kept) == len(inside) and len(inside) < 2):
            out.append(m)
            continue
        if not kept:
            continue  # a status on its own: no message
        while labelled and len(kept) > 1:
            first, rest = kept[0], kept[1:]
            heights = [ln.box.height for ln in rest if not _noise(ln.text)]
            tall = max(heights, default=0.0)
            small = first.box.height < 0.82 * tall and bool(_LABEL.match(first.text.strip()))
            if _noise(first.text) or small:
                kept = rest
                continue
            break
        text, box = _joined(kept)
        if text.startswith("[语音") or m.text.startswith("["):
            text = m.text  # a text the reader wrote for the bubble ([语音 7.44"])
        out.append(replace(m, text=text, box=box))
    # A label read as a message of its own: just over the next text, at its left edge, smaller.
    kept_out: list[Message] = []
    for k, m in enumerate(out):
        nxt = out[k + 1] if k + 1 < len(out) else None
        if (
            labelled
            and nxt is not None
            and m.box is not None
            and nxt.box is not None
            and m.side is not Side.SYSTEM
            and nxt.side is not Side.SYSTEM
            and _LABEL.match(m.text.strip())
            and m.box.height < 0.82 * _line_height(nxt, lines)
            and abs(m.box.x0 - nxt.box.x0) < 0.6 * m.box.height
            and 0 <= nxt.box.y0 - m.box.y1 < m.box.height
        ):
            continue
        kept_out.append(m)
    if sms:
        kept_out = _inbox_rows(kept_out)
    return tuple(kept_out), sent >= 2


def _inbox_rows(messages: Sequence[Message]) -> list[Message]:
    """An SMS list's text is one message per row: pieces of one line (split where the source
    blurred a name or a number) and the lines under them, set close, are joined. A sender's
    number or name over the text stays apart."""
    out: list[Message] = []
    group: list[Message] = []

    def flush() -> None:
        if not group:
            return
        if len(group) == 1:
            out.append(group[0])
        else:
            pieces = [OcrLine(m.text, m.box, 1.0) for m in group if m.box is not None]
            text, box = _joined(_reading_order(pieces))
            out.append(replace(group[0], text=text, box=box))
        group.clear()

    for m in messages:
        if m.side is Side.SYSTEM or m.box is None or _LABEL.match(m.text.strip()):
            flush()
            out.append(m)
            continue
        if group and not _continues(group, m.box):
            flush()
        group.append(m)
    flush()
    return out


def _continues(group: Sequence[Message], box: Box) -> bool:
    boxes = [m.box for m in group if m.box is not None]
    h = median(b.height for b in boxes)
    last = max(boxes, key=lambda b: b.y1)
    same_row = min(last.y1, box.y1) - max(last.y0, box.y0) > 0.5 * min(last.height, box.height)
    below = -0.5 * h <= box.y0 - last.y1 < 0.5 * h
    left = min(b.x0 for b in boxes)
    right = max(b.x1 for b in boxes)
    return same_row or (below and box.x0 > left - 1.5 * h and box.x1 < right + 1.5 * h)


def _voiced(m: Message, lines: Sequence[OcrLine]) -> Message:
    """A voice message shown with its transcript under its length: ``[语音 2"] 干嘛呢?``."""
    if m.side is Side.SYSTEM or m.box is None or m.text.startswith("["):
        return m
    inside = _reading_order(_inside(lines, m.box))
    if len(inside) < 2:
        return m
    length = _voice_length(inside[0].text)
    if length is None:
        return m
    return replace(m, text=f'[语音 {length}"] {_joined(inside[1:])[0]}')


# A file card: the file's name (wrapped over lines), its size under it, the sending app's name
# as a footer (微信网页版, 微信电脑版).
_FILE_NAME = re.compile(
    r"\.(?:mp3|m4a|wav|amr|aac|mp4|mov|avi|mkv|pdf|docx?|xlsx?|pptx?|txt|csv|zip|rar|7z|"
    r"apk|ipa|exe|dmg|jpe?g|png|gif|heic)$",
    re.I,
)
_FILE_SIZE = re.compile(r"^\d{1,4}(?:\.\d{1,2})?\s*(?:[KMGT]B?|B|字节)$", re.I)


def _filed(m: Message, lines: Sequence[OcrLine]) -> Message:
    """A file card written as the labels write it: ``[文件] Diss Track_019113.mp3 1.1M`` (the
    footer under the size names the app it was sent from: no text of the message)."""
    if m.side is Side.SYSTEM or m.box is None or m.text.startswith("["):
        return m
    inside = _reading_order(_inside(lines, m.box))
    for k, ln in enumerate(inside[1:], start=1):
        if _FILE_SIZE.match(ln.text.strip()) and _FILE_NAME.search(inside[k - 1].text.strip()):
            name = _joined(inside[:k])[0]
            return replace(m, text=f"[文件] {name} {ln.text.strip()}")
    return m


def _voice_length(text: str) -> str | None:
    """A voice bubble's length (``2"``), with its sound-wave glyph OCR read beside it as a
    bracket or a ``1`` (``115"`` is 15 s: a voice message lasts 60 s at most)."""
    m = _VOICE_LENGTH.match(text.strip())
    if not m:
        return None
    n = m[1]
    if float(n) > 60 and n.startswith("1"):
        n = n[1:]
    return n if n and float(n) <= 60 else None


def _line_height(m: Message, lines: Sequence[OcrLine]) -> float:
    assert m.box is not None
    inside = _inside(lines, m.box)
    return max((ln.box.height for ln in inside), default=m.box.height)


def refine(
    messages: Sequence[Message],
    lines: Sequence[OcrLine],
    pix: Pixels,
    width: int,
    *,
    top: float,
    bottom: float,
) -> tuple[Message, ...]:
    """``messages`` read again with the pixels: merged per bubble, sides from the bubble
    regions, pictures and stickers added. ``top``/``bottom`` bound the chat's body."""
    if not messages:
        return tuple(messages)
    body = [ln for ln in lines if top <= ln.box.cy <= bottom]
    text_h = median(ln.box.height for ln in body) if body else 20.0
    pix.settle(body)
    messages = _split_by_bubble(messages, lines, pix)
    # The regions of each message's lines.
    regs = [fills_of(m, lines, pix) for m in messages]
    messages = _adopt_orphans(list(messages), regs, body, pix)
    merged = _drop_avatar_text(_merge(list(messages), regs))
    msgs = [m for m, _r in merged]
    regions = [r for _m, r in merged]
    tol = max(0.6 * text_h, 6.0)

    talk = [
        k
        for k, m in enumerate(msgs)
        if m.side is not Side.SYSTEM and m.box is not None and not _noise(m.text)
    ]
    on_bubble = [k for k in talk if regions[k]]
    if on_bubble:
        # What counts against the bubbles: text inside their band, set as large as theirs
        # (not a web page beside a widget, a contact list, the small names above bubbles).
        band = (
            min(_span(msgs[k], regions[k]).x0 for k in on_bubble),
            max(_span(msgs[k], regions[k]).x1 for k in on_bubble),
        )
        size = median(
            ln.box.height for k in on_bubble for ln in _inside(lines, _span(msgs[k], []))
        )
        talk = [k for k in talk if regions[k] or _in_band(msgs[k], band, size, lines)]
    # Most messages found on bubbles: the bubbles are the chat, and a line on the background is
    # a stamp, a name or a notice (when few are found the pixels are not trusted for this).
    bubbly = len(on_bubble) >= 3 and len(on_bubble) >= 0.6 * len(talk)
    if bubbly:
        msgs = _unbubbled_to_system(msgs, regions, lines, pix)
        regions = [regions[k] if k < len(regions) else [] for k in range(len(msgs))]
    spans = [
        _span(m, r)
        for m, r in zip(msgs, regions)
        if m.side is not Side.SYSTEM
        and m.box is not None
        and not _noise(m.text)
        and (r or not on_bubble)
    ]
    if not spans:
        return tuple(msgs)
    them_col = min(s.x0 for s in spans)
    me_col = max(s.x1 for s in spans)
    right_only = any(s.x0 - them_col > tol and me_col - s.x1 < tol for s in spans)
    # A bubble at the left column alone: the other side speaks. Without one, every bubble
    # ends at the right column (the leftmost start is only the widest one's): one's own.
    left_only = any(me_col - s.x1 > tol and s.x0 - them_col < tol for s in spans)
    # each bubble's first region
    fills = {rs[0].tinted for m, rs in zip(msgs, regions) if rs and m.side is not Side.SYSTEM}
    bubble_regions = [rs for m, rs in zip(msgs, regions) if rs and m.side is not Side.SYSTEM]
    blobs = pix.blobs(lines, text_h, top, bottom)
    # An avatar OCR read as a glyph or two (``日``) is blanked from the blobs as text: it is
    # an avatar beside its bubble all the same.
    faces = blobs + [Blob(ln.box, picture=False) for ln in body if _glyph_avatar(ln, text_h)]
    column_avatars = {
        a
        for m, rs in zip(msgs, regions)
        if rs and m.side is not Side.SYSTEM and m.box is not None
        for a in [_avatar_side(_span(m, rs), faces, text_h)]
        if a is not None
    }
    out: list[Message] = []
    for m, rs in zip(msgs, regions):
        if m.side is Side.SYSTEM and m.box is not None and rs and m.time is None:
            # A wide bubble looks centred to the text reader; its fill reaching one column
            # (and not the other) says it is a message: a centred pill reaches neither.
            s = _span(m, rs)
            at_left = abs(s.x0 - them_col) < tol and me_col - s.x1 > tol
            at_right = abs(me_col - s.x1) < tol and s.x0 - them_col > tol
            if right_only and at_left != at_right:
                stamp = next((x.time for x in reversed(out) if x.time), None)
                m = replace(m, side=Side.THEM if at_left else Side.ME, time=stamp)
        if m.side is Side.SYSTEM or m.box is None or not rs:
            out.append(m)
            continue
        s = _span(m, rs)
        at_left = s.x0 - them_col < tol
        at_right = me_col - s.x1 < tol
        side: Side = m.side
        if right_only:  # two columns
            if at_left and not at_right:
                side = Side.THEM
            elif at_right and not at_left:
                side = Side.ME
            elif at_right and at_left:  # as wide as the chat: its avatar, else the column
                avatar = _avatar_side(s, faces, text_h)
                if avatar is not None:
                    side = avatar
                elif not left_only:
                    side = Side.ME
        elif len(fills) == 2 and len(bubble_regions) >= 2:  # one column, two fills
            side = Side.ME if _main(rs).tinted else Side.THEM
        else:
            # One column, one fill: the avatar beside the bubbles (at the left for the other
            # side, at the right for one's own), else the margin the column keeps to.
            avatar = _avatar_side(s, faces, text_h)
            if avatar is None and len(column_avatars) == 1:
                avatar = next(iter(column_avatars))  # one column, one fill: one side
            if avatar is not None:
                side = avatar
            elif len(bubble_regions) == len([x for x in msgs if x.side is not Side.SYSTEM]):
                side = Side.THEM if them_col < width - me_col else Side.ME
        out.append(replace(m, side=side))

    out = _sides_by_chroma(out, regions, lines, pix)
    out = [m for m, _r in _merge(out, regions)]  # a bubble's lines found again: one message
    out = [_filed(_voiced(m, lines), lines) for m in out]
    if bubbly:
        out = _bare_bubbles(out, regions, lines, blobs, pix, (them_col, me_col), tol, text_h,
                            (top, bottom))
    if not blobs:
        return tuple(out)
    taken = [m.box for m in out if m.box is not None]
    spread = [_span(m, rs) for m, rs in zip(msgs, regions) if rs and m.side is not Side.SYSTEM]
    for b in blobs:
        if any(b.box.overlaps(t) for t in taken):
            continue
        if b.box.height < 1.2 * text_h and any(
            0 <= f.y0 - b.box.y1 < 0.4 * text_h and f.x_overlap(b.box) > 0 for f in spread
        ):
            continue  # a group member's name drawn as an emoji, set on the top of a bubble
        if abs(b.box.x0 - them_col) < tol and b.box.x1 < me_col - tol:
            side = Side.THEM
        elif abs(b.box.x1 - me_col) < tol and b.box.x0 > them_col + tol:
            side = Side.ME
        else:
            continue  # an avatar, an icon or a drawing outside the columns
        before = [m for m in out if m.box is not None and m.box.y0 < b.box.y0]
        time = before[-1].time if before else None
        text = "[图片]" if b.picture else "[表情]"
        out.insert(len(before), Message(side, text, time, b.box))
    return tuple(out)


def _bare_bubbles(
    out: list[Message],
    regions: Sequence[Sequence[Region]],
    lines: Sequence[OcrLine],
    blobs: Sequence[Blob],
    pix: Pixels,
    cols: tuple[float, float],
    tol: float,
    text_h: float,
    body: tuple[float, float],
) -> list[Message]:
    """Bubbles OCR read nothing in (a ``…``, a lone dot or two): a fill of a bubble colour
    at a column, bubble-sized, with marks inside it and no line, message or picture over it
    (a card of the app's holds text). Its text is written ``…``: something was sent that the
    reading cannot give."""
    import cv2
    import numpy as np

    from evidence_kit.layout.bubbles import FILL_DIFF

    colours = {r.colour for rs in regions for r in rs}
    if not colours:
        return out
    top, bottom = body
    y0, y1 = max(0, int(top)), min(pix.h, int(bottom))
    if y1 - y0 < 2:
        return out
    rgb = pix.rgb[y0:y1].astype(np.int16)
    free = pix.label[y0:y1] == 0  # no fill around a line took these pixels
    mask = np.zeros(free.shape, dtype=np.uint8)
    for c in colours:
        mask |= (np.abs(rgb - np.array(c, dtype=np.int16)).max(axis=2) <= FILL_DIFF) & free
    n, _lab, stats, _c = cv2.connectedComponentsWithStats(mask, connectivity=4)
    found = [(Box(x, y0 + y, x + w, y0 + y + h), area) for x, y, w, h, area in
             ((int(v) for v in stats[i]) for i in range(1, n))]
    # ... and the fills found from a seed beside some other line (an avatar's glyph)
    used = {id(r) for rs in regions for r in rs}
    found += [(r.box, r.area) for r in pix.regions if r is not None and id(r) not in used
              and r.colour in colours and top <= r.box.cy <= bottom]
    them_col, me_col = cols
    taken = [m.box for m in out if m.box is not None] + [b.box for b in blobs]
    taken += [ln.box for ln in lines]
    added: list[Message] = []
    for box, area in found:
        x, w, h = int(box.x0), int(box.width), int(box.height)
        if not (1.2 * text_h <= h <= 4 * text_h and 1.2 * text_h <= w <= 0.75 * pix.w):
            continue
        if not 0.75 <= area / (w * h) < 0.98:  # a bubble's fill, with marks in it
            continue
        if x <= 1 or x + w >= pix.w - 1 or any(box.overlaps(t) for t in taken):
            continue
        if abs(box.x0 - them_col) < tol and box.x1 < me_col - tol:
            side = Side.THEM
        elif abs(box.x1 - me_col) < tol and box.x0 > them_col + tol:
            side = Side.ME
        else:
            continue
        added.append(Message(side, "…", None, box))
    if not added:
        return out
    for m in added:
        assert m.box is not None
        box = m.box
        before = [x for x in out if x.box is not None and x.box.y0 < box.y0]
        time = before[-1].time if before else None
        out.insert(len(before), replace(m, time=time))
    return out


# Lab chroma of a bubble's fill: one's own (WeChat green, an app's blue, light or dark) measure
# 20 and more on a photo too; white and grey fills, and the screen's background, below 6.
CHROMA_TINT = 12.0
CHROMA_PLAIN = 6.0


def _sides_by_chroma(
    msgs: list[Message], regions: list[list[Region]], lines: Sequence[OcrLine], pix: Pixels
) -> list[Message]:
    """Sides of the bubbles no fill region was found for (a photo's light, glare and noise
    break a flood fill up) from their fill's colour, when the chat shows both a coloured fill
    and a plain one: one's own are the coloured ones."""
    chroma: dict[int, float] = {}
    for k, m in enumerate(msgs):
        if m.side is Side.SYSTEM or m.box is None or _noise(m.text):
            continue
        found = [c for ln in _inside(lines, m.box) if not _noise(ln.text)
                 for c in [pix.chroma(ln)] if c is not None]
        if found:
            chroma[k] = median(found)
    if not (any(c >= CHROMA_TINT for c in chroma.values())
            and any(c <= CHROMA_PLAIN for c in chroma.values())):
        return msgs
    out = list(msgs)
    for k, c in chroma.items():
        if regions[k]:
            continue  # its region spoke already
        if c >= CHROMA_TINT:
            out[k] = replace(out[k], side=Side.ME)
        elif c <= CHROMA_PLAIN:
            out[k] = replace(out[k], side=Side.THEM)
    return out


def _adopt_orphans(
    messages: list[Message], regs: list[list[Region]], body: Sequence[OcrLine], pix: Pixels
) -> list[Message]:
    """A line in no message that sits on a message's own bubble is part of its text (the
    text reader took it for a name over the bubble; names are set outside bubbles). The
    message is then read again in reading order: rows top to bottom, each left to right."""
    from evidence_kit.layout.roles import rows_of

    boxes = [m.box for m in messages]
    adopted: dict[int, list[OcrLine]] = {}
    for ln in body:
        if _noise(ln.text) or any(b is not None and b.overlaps(ln.box) for b in boxes):
            continue
        r = pix.region_of(ln)
        if r is None:
            continue
        for k, (m, rs) in enumerate(zip(messages, regs)):
            if m.side is not Side.SYSTEM and m.box is not None and r in rs:
                adopted.setdefault(k, []).append(ln)
                break
    for k, extra in adopted.items():
        m = messages[k]
        assert m.box is not None
        own = [ln for ln in _inside(body, m.box) if not _noise(ln.text)]
        group = own + extra
        text, box = _joined([group[i] for row in rows_of(group) for i in row])
        messages[k] = replace(m, text=text, box=box)
    return messages


def _drop_avatar_text(
    merged: list[tuple[Message, list[Region]]],
) -> list[tuple[Message, list[Region]]]:
    """Letters drawn in an avatar picture (``NLP``) are no message: a short Latin word set
    wholly outside the bubbles' columns, in the avatars' margin, when three bubbles or more
    were found on their fills."""
    spans = [
        _span(m, rs) for m, rs in merged if rs and m.side is not Side.SYSTEM and m.box is not None
    ]
    if len(spans) < 3:
        return merged
    left = min(s.x0 for s in spans)
    right = max(s.x1 for s in spans)
    out = []
    for m, rs in merged:
        short = not _CJK.search(m.text) and len(re.sub(r"\W", "", m.text)) <= 4
        outside = m.box is not None and (m.box.x1 < left or m.box.x0 > right)
        if m.side is not Side.SYSTEM and short and outside:
            continue
        out.append((m, rs))
    return out


def _split_by_bubble(
    messages: Sequence[Message], lines: Sequence[OcrLine], pix: Pixels
) -> list[Message]:
    """A message whose lines sit on two bubbles (set close, same edge) is two messages: each
    run of lines on one bubble. Only when every line's bubble was found."""
    out: list[Message] = []
    for m in messages:
        inside = _reading_order(_inside(lines, m.box)) if m.box else []
        regions = [pix.region_of(ln) for ln in inside]
        if m.side is Side.SYSTEM or len(inside) < 2 or any(r is None for r in regions):
            out.append(m)
            continue
        runs: list[list[OcrLine]] = [[inside[0]]]
        for prev, here, ln in zip(regions, regions[1:], inside[1:]):
            assert prev is not None and here is not None
            if here is prev or _one_bubble([prev], [here]):
                runs[-1].append(ln)
            else:
                runs.append([ln])
        if len(runs) == 1:
            out.append(m)
            continue
        for run in runs:
            text, box = _joined(run)
            out.append(replace(m, text=text, box=box))
    return out


def _unbubbled_to_system(
    msgs: list[Message], regions: list[list[Region]], lines: Sequence[OcrLine], pix: Pixels
) -> list[Message]:
    """Messages set on the background become ``system``, one per line (a ``9 条回复`` over a
    ``22:56`` that the text reader took for one left-hand bubble). ``regions`` is kept in
    step."""
    out: list[Message] = []
    regs: list[list[Region]] = []
    for m, rs in zip(msgs, regions):
        inside = _reading_order(_inside(lines, m.box)) if m.box else []
        # A voice message's length is printed beside its bubble, on the background.
        if (
            m.side is Side.SYSTEM
            or rs
            or m.text.startswith("[语音")
            or not inside
            or not all(pix.on_background(ln) for ln in inside)
            or _paragraph(inside, pix.w)
        ):
            out.append(m)
            regs.append(rs)
            continue
        for ln in inside:
            out.append(Message(Side.SYSTEM, ln.text.strip(), m.time, ln.box))
            regs.append([])
    regions[:] = regs
    return out


def _paragraph(inside: Sequence[OcrLine], width: int) -> bool:
    """Three lines or more flush at one left edge, off the middle: a bubble's text whose fill
    a photo's glare has washed to the background's colour (centred rows are stamps and
    notices, one or two lines)."""
    if len(inside) < 3:
        return False
    h = median(ln.box.height for ln in inside)
    flush = max(ln.box.x0 for ln in inside) - min(ln.box.x0 for ln in inside) < 0.5 * h
    off_middle = any(abs(ln.box.x0 - (width - ln.box.x1)) > CENTRED_W * width for ln in inside)
    return flush and off_middle


def _avatar_side(bubble: Box, blobs: Sequence[Blob], text_h: float) -> Side | None:
    """A square picture level with the bubble's top, just outside one of its sides."""
    found: set[Side] = set()
    for b in blobs:
        w, h = b.box.width, b.box.height
        if not (0.75 < w / max(h, 1.0) < 1.33 and 1.2 * text_h <= h <= 5 * text_h):
            continue
        if abs(b.box.y0 - bubble.y0) > 1.5 * text_h:
            continue
        if 0 <= bubble.x0 - b.box.x1 < 2 * text_h:
            found.add(Side.THEM)
        elif 0 <= b.box.x0 - bubble.x1 < 2 * text_h:
            found.add(Side.ME)
    return found.pop() if len(found) == 1 else None


def _glyph_avatar(ln: OcrLine, text_h: float) -> bool:
    """A square picture taken for a character or two: taller than two lines of text."""
    b = ln.box
    return (
        _noise(ln.text) or len(ln.text.strip()) <= 1
    ) and 0.75 < b.width / max(b.height, 1.0) < 1.33 and b.height >= 2 * text_h


def _noise(text: str) -> bool:
    """An icon or an avatar read as a glyph or two (``)``, ``0``): no message."""
    return not _CJK.search(text) and len(re.sub(r"\W", "", text)) <= 2


def _in_band(m: Message, band: tuple[float, float], size: float, lines: Sequence[OcrLine]) -> bool:
    assert m.box is not None
    inside = _inside(lines, m.box)
    big = any(ln.box.height >= 0.8 * size for ln in inside)
    return band[0] <= m.box.cx <= band[1] and big


def _inside(lines: Sequence[OcrLine], box: Box) -> list[OcrLine]:
    return [
        ln
        for ln in lines
        if box.x0 - 1 <= ln.box.cx <= box.x1 + 1 and box.y0 - 1 <= ln.box.cy <= box.y1 + 1
    ]


def _reading_order(lines: Sequence[OcrLine]) -> list[OcrLine]:
    """Rows top to bottom, each left to right (two pieces of one row start a pixel apart in
    height: ``，谢谢`` is no line above ``收到，``)."""
    from evidence_kit.layout.roles import rows_of

    return [lines[i] for row in rows_of(lines) for i in row]


def _main(regions: Sequence[Region]) -> Region:
    return max(regions, key=lambda r: r.area)


def fills_of(m: Message, lines: Sequence[OcrLine], pix: Pixels) -> list[Region]:
    """The fills (bubble regions) a message's lines sit on, each once, in reading order of
    the lines; none for a message without a box."""
    found: list[Region] = []
    if m.box is not None:
        for ln in _inside(lines, m.box):
            r = pix.region_of(ln)
            if r is not None and r not in found:
                found.append(r)
    return found


def _span(m: Message, regions: Sequence[Region]) -> Box:
    """A bubble's extent: its regions' union (its text's box when no region was found)."""
    if not regions:
        assert m.box is not None
        return m.box
    return union_of(regions)


def union_of(regions: Sequence[Region]) -> Box:
    """The box holding all of ``regions`` (at least one)."""
    return Box(
        min(r.box.x0 for r in regions),
        min(r.box.y0 for r in regions),
        max(r.box.x1 for r in regions),
        max(r.box.y1 for r in regions),
    )


def _one_bubble(a: Sequence[Region], b: Sequence[Region]) -> bool:
    """Two messages on one bubble: a region shared, or two regions stacked edge to edge with
    the same left and right (a card's header over its body)."""
    if any(r in b for r in a):
        return True
    for r in a:
        for s in b:
            touching = -3 <= s.box.y0 - r.box.y1 <= 3
            if touching and abs(r.box.x0 - s.box.x0) <= 3 and abs(r.box.x1 - s.box.x1) <= 3:
                return True
    return False


def _merge(
    messages: list[Message], regs: list[list[Region]]
) -> list[tuple[Message, list[Region]]]:
    out: list[tuple[Message, list[Region]]] = []
    for m, rs in zip(messages, regs):
        if out and rs:
            prev, prs = out[-1]
            both = prev.side is not Side.SYSTEM and m.side is not Side.SYSTEM
            # A line of a bubble taken for a centred row shares the bubble's own region.
            # (a stamp, which carries its time, is never one)
            notice = prev if prev.side is Side.SYSTEM else m
            shared = (
                prev.side is not m.side
                and Side.SYSTEM in (prev.side, m.side)
                and notice.time is None
                and any(r in prs for r in rs)
            )
            if prs and ((both and _one_bubble(prs, rs)) or shared):
                assert prev.box is not None and m.box is not None
                box = Box(
                    min(prev.box.x0, m.box.x0),
                    min(prev.box.y0, m.box.y0),
                    max(prev.box.x1, m.box.x1),
                    max(prev.box.y1, m.box.y1),
                )
                side = m.side if prev.side is Side.SYSTEM else prev.side
                time = m.time if prev.side is Side.SYSTEM else prev.time or m.time
                joined = Message(side, _join(prev.text, m.text), time, box)
                out[-1] = (joined, prs + [r for r in rs if r not in prs])
                continue
        out.append((m, rs))
    return out


def _joined(lines: Sequence[OcrLine]) -> tuple[str, Box]:
    """The lines' texts joined in the order given, and the box around them all."""
    text = ""
    for ln in lines:
        part = ln.text.strip()
        text = _join(text, part) if text else part
    box = Box(
        min(ln.box.x0 for ln in lines),
        min(ln.box.y0 for ln in lines),
        max(ln.box.x1 for ln in lines),
        max(ln.box.y1 for ln in lines),
    )
    return text, box


def _join(a: str, b: str) -> str:
    if a[-1:] == b[:1] and not b[:1].isalnum():
        b = b[1:]  # a comma OCR read at the end of one piece and the start of the next
    if _CJK.search(a[-1:]) or _CJK.search(b[:1]):
        return a + b
    return f"{a} {b}"
