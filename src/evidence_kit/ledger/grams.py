"""Tokens of the short-word index: every 1- and 2-character substring of an entry's text.

FTS5's trigram index cannot hold a word shorter than three characters (罚息, 逾期), so those
were substring scans over every row. This index holds each entry's distinct single characters
and character pairs, so a short word is one index lookup. A search word never contains
whitespace (the query splits on it), so text is split on whitespace first: pairs across a
space or line break are never needed, and joining columns with a space changes nothing.

The match is that of SQLite's ``LIKE``: ASCII letters fold to lower case, nothing else does.
Each gram is written as the hex of its UTF-8 bytes, so any character (punctuation, ``"``,
``*``) is a plain ASCII token for FTS5's ``ascii`` tokenizer.
"""

from __future__ import annotations

from collections.abc import Iterable

GRAM_MAX = 2  # words of up to this many characters are looked up here
_ASCII_LOWER = str.maketrans(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"
)  # what LIKE folds


def gram_doc(texts: Iterable[str | None]) -> str:
    """The index document of one entry: its distinct grams as tokens, space-separated (in no
    set order: the index keeps no positions)."""
    tokens: set[str] = set()
    for text in texts:
        if not text:
            continue
        for piece in text.translate(_ASCII_LOWER).split():
            # a pair's token is its two characters' tokens joined: UTF-8 is per character
            hexes = [_HEX.get(c) or _hex(c) for c in piece]
            tokens.update(hexes)
            tokens.update(map(str.__add__, hexes, hexes[1:]))
    return " ".join(tokens)


_HEX: dict[str, str] = {}


def _hex(char: str) -> str:
    _HEX[char] = char.encode("utf-8").hex()
    return _HEX[char]


def gram_token(word: str) -> str:
    """The token a word of 1 or 2 characters (no whitespace) is found under."""
    if not 0 < len(word) <= GRAM_MAX:
        raise ValueError(f"not a short word: {word!r}")
    return word.translate(_ASCII_LOWER).encode("utf-8").hex()
