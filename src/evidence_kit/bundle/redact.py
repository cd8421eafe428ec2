"""Masking ID-card numbers, bank-card numbers and third-party phone numbers (--redact).

Text is masked with regexes of our own (plus whatever the extractor found), so a redacted
package never depends on an earlier OCR pass having noticed the number. Image boxes come from
the OCR lines whose text holds such a number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from evidence_kit.models import Box, Entry, OcrLine

# 18-digit resident ID (last char may be X), not inside a longer digit run.
_ID_CARD = re.compile(r"(?<![0-9])[1-9]\d{5}(?:19|20)\d{2}[01]\d[0-3]\d\d{3}[0-9Xx](?![0-9])")
# 15-digit legacy ID and 16–19 digit bank cards, optionally grouped by spaces or dashes.
_BANK_CARD = re.compile(r"(?<![0-9])(?:\d[ \-]?){15,18}\d(?![0-9])")
_PHONE = re.compile(r"(?<![0-9])(?:\+?86[ \-]?)?1[3-9]\d[ \-]?\d{4}[ \-]?\d{4}(?![0-9])")


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


@dataclass(frozen=True)
class Redactor:
    """``keep_phones``: numbers that are not third parties' (the complainant's own line and the
    respondent's published service number)."""

    enabled: bool
    keep_phones: frozenset[str] = frozenset()

    @classmethod
    def for_case(cls, enabled: bool, phones: Iterable[str]) -> Redactor:
        return cls(enabled, frozenset(_digits(p)[-11:] for p in phones if _digits(p)))

    def mask(self, text: str) -> str:
        if not self.enabled or not text:
            return text
        text = _ID_CARD.sub(lambda m: "*" * (len(m.group()) - 4) + m.group()[-4:], text)
        text = _PHONE.sub(self._mask_phone, text)
        return _BANK_CARD.sub(self._mask_card, text)

    def _mask_phone(self, m: re.Match[str]) -> str:
        digits = _digits(m.group())[-11:]
        if digits in self.keep_phones:
            return m.group()
        return digits[:3] + "****" + digits[-4:]

    @staticmethod
    def _mask_card(m: re.Match[str]) -> str:
        digits = _digits(m.group())
        if len(digits) < 15:
            return m.group()
        return "**** **** **** " + digits[-4:]

    def sensitive(self, text: str) -> bool:
        """True when the text holds something this redactor would mask."""
        return self.enabled and self.mask(text) != text

    def boxes(self, entry: Entry, page: int = 0) -> list[Box]:
        """OCR line boxes (on one page) that hold an ID, bank-card or third-party phone."""
        if not self.enabled:
            return []
        found = {e.text for e in entry.extraction.entities if e.kind in ("id_card", "bank_card")}
        found |= {
            e.text
            for e in entry.extraction.entities
            if e.kind == "phone" and _digits(e.value)[-11:] not in self.keep_phones
        }
        out = []
        for line in _page_lines(entry.lines, page):
            if self.sensitive(line.text) or any(f and f in line.text for f in found):
                out.append(line.box)
        return out


def _page_lines(lines: Iterable[OcrLine], page: int) -> list[OcrLine]:
    return [line for line in lines if line.page == page]


def amount_boxes(entry: Entry, page: int = 0) -> list[Box]:
    """OCR line boxes whose text holds an extracted amount's text (for highlighting)."""
    texts = {a.text.strip() for a in entry.extraction.amounts if a.text.strip()}
    if not texts:
        return []
    return [
        line.box for line in _page_lines(entry.lines, page) if any(t in line.text for t in texts)
    ]
