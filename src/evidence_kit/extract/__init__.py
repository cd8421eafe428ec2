"""Pure extraction of amounts, dates and entities from Chinese text (no clock, no I/O).

    from evidence_kit.extract import extract
    result = extract("本期应还：¥1,234.56，还款日3月21日", reference=datetime(2025, 3, 1))
    result.to_json()  # the CLI contract's shape

Offsets are characters of the string passed in; raw OCR/PDF text may be passed as is
(normalisation happens inside, with an offset map). ``normalize_ocr_text`` is exported for
callers that want to store or index the cleaned text.

May import: ``models`` only. No clock, no I/O, never storage or OCR.
"""

from __future__ import annotations

from .normalize import normalize_ocr_text
from .pipeline import extract, extract_amounts, extract_dates, extract_entities

__all__ = [
    "extract",
    "extract_amounts",
    "extract_dates",
    "extract_entities",
    "normalize_ocr_text",
]
