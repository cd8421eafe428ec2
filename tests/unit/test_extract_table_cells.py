"""PDF text layers put a table's cells on separate lines: the label cell sits above the amount."""

import pytest

from evidence_kit.extract import extract_amounts


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("借款金额\n¥10,000.00", [("10000.00", "借款金额")], id="label-above"),
        pytest.param("逾期金额合计\n¥3,256.00", [("3256.00", "逾期金额合计")], id="label-with-total"),
        pytest.param("逾期担保费：\n¥135.00", [("135.00", "逾期担保费")], id="colon"),
        pytest.param("这是一句很长的话里有罚息两个字\n¥5.00", [("5.00", None)], id="sentence-not-a-cell"),
        pytest.param("2/12\n2024-08-15\n833.33", [], id="bare-number-without-label"),
        pytest.param("罚息 ¥1.00\n¥2.00", [("1.00", "罚息"), ("2.00", None)], id="cell-after-an-amount"),
    ],
)
def test_label_cell_above(text: str, expected: list[tuple[str, str | None]]) -> None:
    got = [(str(a.value), a.label) for a in extract_amounts(text)]
    assert got == expected
