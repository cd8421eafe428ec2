"""A role for every OCR line, from its position, its row and its neighbours.

Phone chrome is measured against the screen *width* (a long screenshot is tall, its status bar
is not). A list groups its rows under a date header; a label/value row holds a label on the left
and a number on the right, or a row of labels above a row of numbers (statistics tables).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from statistics import median

from evidence_kit.models import Box, OcrLine

ROLES = (
    "status_bar",
    "title_bar",
    "input_bar",
    "bubble_me",
    "bubble_them",
    "system",
    "timestamp",
    "list_header",
    "list_row",
    "label",
    "value",
    "table_cell",
    "card",
    "watermark",
    "other",
)

# What a status bar holds: the clock, the carrier, the network, the battery.
_STATUS = re.compile(
    r"^(?:(?:上午|下午)?\s*\d{1,2}\s*[:：]\s*\d{2}|.*(?:中国移动|中国联通|中国电信|移动|联通|电信)"
    r"|.*(?:VPN|[45]G|LTE|HD|Wi-?Fi|%).*|[\W\d]{1,6})$",
    re.I,
)
_CLOCK = re.compile(r"^(?:上午|下午)?\s*\d{1,2}\s*[:：]\s*\d{2}$")
# A status bar sits in the top ~9% of the width (iOS 54pt of 393, Android 24dp of 360).
STATUS_BAND_W = 0.095

_DATE_ONLY = re.compile(
    r"^(?:(?:\d{4}\s*[年/.-]\s*)?\d{1,2}\s*[月/.-]\s*\d{1,2}\s*日?|今天|昨天|前天)"
    r"\s*(?:(?:星期|周|礼拜)[一二三四五六日天])?"
)
_NUMBER = re.compile(r"^[-+−]?\s*[¥￥]?\s*\d[\d,]*(?:\.\d+)?\s*元?$")
_PERIOD = re.compile(r"^\d{4}\s*年$|^\d{1,2}\s*月$")
_HAS_CJK_LABEL = re.compile(r"^[\u4e00-\u9fff（）()、A-Za-z\s]{1,16}[:：]?$")


def rows_of(lines: Sequence[OcrLine]) -> list[list[int]]:
    """Indexes of lines grouped into visual rows (vertical overlap), each row left to right."""
    order = sorted(range(len(lines)), key=lambda i: lines[i].box.cy)
    rows: list[list[int]] = []
    for i in order:
        b = lines[i].box
        if rows:
            last = lines[rows[-1][0]].box
            overlap = min(b.y1, last.y1) - max(b.y0, last.y0)
            if overlap > 0.5 * min(b.height, last.height):
                rows[-1].append(i)
                continue
        rows.append([i])
    return [sorted(r, key=lambda i: lines[i].box.x0) for r in rows]


def status_bar(lines: Sequence[OcrLine], width: int, height: int) -> set[int]:
    """Lines of the phone's status bar: a row at the very top holding the clock or carrier."""
    if height < 1.2 * width:
        return set()  # not a phone screen
    band = STATUS_BAND_W * width
    top = [i for i, ln in enumerate(lines) if ln.box.cy < band]
    if not any(_STATUS.match(lines[i].text.strip()) for i in top):
        return set()
    out: set[int] = set()
    for row in rows_of([lines[i] for i in top]):
        texts = [lines[top[j]].text.strip() for j in row]
        if any(_CLOCK.match(t) for t in texts) or all(_STATUS.match(t) for t in texts):
            out.update(top[j] for j in row)
        else:
            break  # the status bar is the topmost row: a clock below content is a row's time
    return out


_CJK_TEXT = re.compile(r"[\u4e00-\u9fff]")
_HAS_TIME = re.compile(r"\d[:：]\d")


def join_fragments(lines: Sequence[OcrLine]) -> tuple[list[OcrLine], dict[int, list[OcrLine]]]:
    """One line of text that OCR cut in two at a lost comma or a wide gap (``收到`` ``，谢谢``;
    ``我目前失业`` ``收入不稳定``), joined again: pieces of Chinese text on one row, of one
    height, closer than half their height. A name beside a time, or a label beside its
    value, is left apart. Also gives ``id(joined)`` → the pieces."""
    from dataclasses import replace

    out: list[OcrLine] = []
    parts: dict[int, list[OcrLine]] = {}
    pending: list[OcrLine] = []

    def flush() -> None:
        if len(pending) == 1:
            out.append(pending[0])
        elif pending:
            box = Box(
                min(p.box.x0 for p in pending),
                min(p.box.y0 for p in pending),
                max(p.box.x1 for p in pending),
                max(p.box.y1 for p in pending),
            )
            text = ""
            for p in pending:  # a comma OCR read at the end of one piece and the start of the next
                t = p.text.strip()
                text += t[1:] if text and t[:1] == text[-1:] and not t[:1].isalnum() else t
            joined = replace(pending[0], text=text, box=box,
                             confidence=min(p.confidence for p in pending))
            out.append(joined)
            parts[id(joined)] = list(pending)
        pending.clear()

    for row in rows_of(lines):
        for i in row:
            ln = lines[i]
            if pending and _fragments(pending[-1], ln):
                pending.append(ln)
                continue
            flush()
            pending.append(ln)
        flush()
    return out, parts


def _fragments(a: OcrLine, b: OcrLine) -> bool:
    ha, hb = a.box.height, b.box.height
    gap = b.box.x0 - a.box.x1
    same_h = 0.8 <= ha / max(hb, 1.0) <= 1.25
    level = abs(a.box.cy - b.box.cy) < 0.25 * min(ha, hb)
    texts = (a.text.strip(), b.text.strip())
    chinese = all(_CJK_TEXT.search(t) for t in texts)
    return same_h and level and -0.3 * ha <= gap < 0.5 * ha and chinese and not any(
        _HAS_TIME.search(t) for t in texts
    )


def avatar_glyphs(lines: Sequence[OcrLine], skip: set[int]) -> set[int]:
    """Avatars and icons OCR read as a glyph or two (a drawn head read as ``日``): a short
    "line" in a square box far taller than the screen's text. A message of one character is
    set at the text's own height."""
    heights = [ln.box.height for i, ln in enumerate(lines) if i not in skip]
    if len(heights) < 4:
        return set()
    text_h = median(heights)
    out = set()
    for i, ln in enumerate(lines):
        b = ln.box
        glyphs = re.sub(r"\s", "", ln.text)
        short = len(glyphs) <= 2 and not re.search(r"[¥￥$]", glyphs)
        square = 0.7 <= b.width / max(b.height, 1.0) <= 1.4
        if i not in skip and short and square and b.height >= 1.6 * text_h:
            out.add(i)
    return out


def is_date_header(text: str) -> bool:
    """``2025-12-07 星期日``, ``12月12日周四``, ``2022-06-09`` (maybe with a day's total after)."""
    m = _DATE_ONLY.match(text.strip())
    if not m:
        return False
    rest = text.strip()[m.end() :]
    return not re.match(r"\s*\d{1,2}\s*[:：]\d{2}", rest)


def list_roles(lines: Sequence[OcrLine], width: int, skip: set[int]) -> dict[int, str]:
    """list_header for a date header at the left, list_row for the rows under it; label/value for
    label-number rows and label rows above number rows."""
    roles: dict[int, str] = {}
    rows = [[i for i in r if i not in skip] for r in rows_of(lines)]
    rows = [r for r in rows if r]
    in_list = False
    for k, row in enumerate(rows):
        first = lines[row[0]]
        if first.box.x0 < 0.35 * width and is_date_header(first.text):
            roles.update({i: "list_header" for i in row})
            in_list = True
            continue
        if in_list:
            roles.update({i: "list_row" for i in row})
            continue
        texts = [lines[i].text.strip() for i in row]
        if len(row) == 1 and _NUMBER.match(texts[0]):
            label = _label_above(lines, row[0], rows[:k], roles)
            if label is not None:  # 预算剩余 over 999.00: a card's figure under its caption
                roles[label] = "label"
                roles[row[0]] = "value"
                continue
        if (
            len(row) >= 2
            and _HAS_CJK_LABEL.match(texts[0])
            and any(re.search(r"\d", t) for t in texts[1:])
        ):
            roles[row[0]] = "label"
            roles.update({i: "value" for i in row[1:]})
            continue
        # A row of labels above rows of numbers, column by column (收入 / 支出 / 差额): a
        # table; its cells run down until a row without two numbers.
        if k + 1 < len(rows) and len(row) >= 2:
            below = rows[k + 1]
            nums = [i for i in below if _NUMBER.match(lines[i].text.strip())]
            # A month picker can head the row (``2025年`` over ``12月``): no label, no value.
            heads = [t for t in texts if not _PERIOD.match(t)]
            if len(nums) >= 2 and len(heads) >= 2 and all(_HAS_CJK_LABEL.match(t) for t in heads):
                roles.update({i: "label" for i, t in zip(row, texts) if not _PERIOD.match(t)})
                for i in nums:
                    roles.setdefault(i, "value")
                for later in rows[k + 2 :]:
                    cells = [i for i in later if _NUMBER.match(lines[i].text.strip())]
                    if len(cells) < 2:
                        break
                    for i in cells:
                        roles.setdefault(i, "table_cell")
    return roles


def _label_above(
    lines: Sequence[OcrLine], i: int, rows: Sequence[Sequence[int]], roles: dict[int, str]
) -> int | None:
    """The caption right above a lone number: the nearest line over it, a short label, closer
    than the number's height."""
    b = lines[i].box
    over = [
        j
        for row in rows[-3:]
        for j in row
        if lines[j].box.cy < b.y0
        and lines[j].box.x_overlap(b) > 0.5 * min(lines[j].box.width, b.width)
    ]
    if not over:
        return None
    j = max(over, key=lambda j: lines[j].box.y1)
    near = b.y0 - lines[j].box.y1 < b.height
    caption = j not in roles and _HAS_CJK_LABEL.match(lines[j].text.strip())
    return j if near and caption else None


def text_height(lines: Sequence[OcrLine]) -> float:
    return median(ln.box.height for ln in lines) if lines else 1.0
