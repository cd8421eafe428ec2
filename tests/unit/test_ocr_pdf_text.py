import pytest

from evidence_kit.ocr.pdf import normalize_text_layer


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2025\n年3月21 日", "2025年3月21日"),
        ("账单日期：2025 年 3 月 21 日", "账单日期：2025年3月21日"),
        ("逾 期 金 额 3,256.00 元", "逾期金额 3,256.00 元"),
        ("本期应还\n1,200.00\n\n\n借款合同", "本期应还\n1,200.00\n借款合同"),
        ("Hello  world\r\n第二行", "Hello world\n第二行"),
        ("3月\n5日 下午3点", "3月5日下午3点"),
        ("", ""),
    ],
)
def test_normalize_text_layer(raw: str, expected: str) -> None:
    assert normalize_text_layer(raw) == expected
