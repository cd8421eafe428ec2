"""OCR/PDF text normalisation and the offset map back to the input."""

from __future__ import annotations

import pytest

from evidence_kit.extract import normalize_ocr_text
from evidence_kit.extract.normalize import map_span, normalize_with_offsets

CASES = [
    ("fullwidth-digits", "３，２５６．００元", "3,256.00元"),
    ("fullwidth-yen", "￥1234.56", "¥1234.56"),
    ("fullwidth-letters", "ＲＭＢ５００", "RMB500"),
    ("fullwidth-colon-slash-dash", "２０２５／０３／２１　２２：０８", "2025/03/21 22:08"),
    ("percent", "２４％", "24%"),
    ("minus-sign", "−200.00", "-200.00"),
    ("clause-comma-kept", "逾期3天，100元", "逾期3天，100元"),
    ("digit-comma-not-thousands", "第1，2期", "第1，2期"),
    ("spaced-cjk", "逾 期 金 额", "逾期金额"),
    ("space-between-words-kept", "分期乐还款　金额", "分期乐还款 金额"),
    ("cjk-space-latin-kept", "使用 iPhone 拍摄", "使用 iPhone 拍摄"),
    ("pdf-date", "2025\n年3月21 日", "2025年3月21日"),
    ("number-space-yuan", "500 元", "500元"),
    ("ocr-y-amount", "应还Y1,234.56", "应还¥1,234.56"),
    ("ocr-hash-amount", "#50.00", "¥50.00"),
    ("y-without-money-shape", "Y500", "Y500"),
    ("hash-item-number", "#3 栋", "#3 栋"),
    ("word-ending-in-y", "Sony1,234.56", "Sony1,234.56"),
    ("look-alike-left-alone", "羊1,234.56", "羊1,234.56"),
    ("line-breaks-kept", "本金\n利息", "本金\n利息"),
]


@pytest.mark.parametrize(("raw", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_normalize(raw: str, expected: str) -> None:
    assert normalize_ocr_text(raw) == expected


def test_identity_needs_no_map() -> None:
    assert normalize_with_offsets("本期应还:¥1,234.56，罚息") == ("本期应还:¥1,234.56，罚息", None)


def test_offset_map_points_at_source_characters() -> None:
    raw = "逾 期 金 额 ３０００ 元"
    norm, pos = normalize_with_offsets(raw)
    assert norm == "逾期金额 3000元"
    assert pos is not None and len(pos) == len(norm) + 1
    start = norm.index("3000元")
    s, e = map_span(pos, start, start + len("3000元"))
    assert raw[s:e] == "３０００ 元"
    for i, ch in enumerate(norm):
        assert normalize_ocr_text(raw[pos[i]]) == ch


def test_idempotent() -> None:
    raw = "逾 期 金 额 ：Ｙ３，２５６．００\n2025\n年3月21 日"
    once = normalize_ocr_text(raw)
    assert normalize_ocr_text(once) == once
