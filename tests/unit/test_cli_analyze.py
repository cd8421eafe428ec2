"""`analyze --json` per the contract, `plan`, and `loan import` through the real CLI."""

import json
from pathlib import Path

from evidence_kit.case import init_case

PBOC = """
[loan]
lender = "示例银行股份有限公司"
lender_type = "bank"
contract_amount = "100000"
received_amount = "99000"
received_date = "2021-01-15"
term_months = 12
"""


def pboc_case(tmp_path: Path) -> Path:
    case, _ = init_case(tmp_path / "c")
    payments = "".join(
        f'\n[[loan.payments]]\ndate = "2021-{m:02d}-15"\namount = "8833.30"\nkind = "installment"\n'
        for m in range(2, 13)
    ) + '\n[[loan.payments]]\ndate = "2022-01-15"\namount = "8833.30"\nkind = "installment"\n'
    case.config_path.write_text(PBOC + payments, encoding="utf-8")
    return case.root


def test_analyze_json_contract_on_the_pboc_example(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    root = pboc_case(tmp_path)
    r = run_cli("--case", str(root), "analyze", "--json", "--today", "2021-06-01")
    assert r.code == 0, r.err
    got = json.loads(r.out)
    cost = got["cost"]
    assert (cost["apr_nominal"], cost["apr_effective"], cost["flat_monthly_rate"]) == (
        "12.80", "13.58", "0.58")
    assert {c["threshold"] for c in cost["comparisons"]} >= {"24%", "36%", "4×LPR"}
    assert set(got) >= {"cost", "conduct", "routing", "disclaimer"}
    assert "不构成法律意见" in got["disclaimer"]


def test_analyze_with_an_empty_case_explains_what_to_fill(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    case, _ = init_case(tmp_path / "empty")
    r = run_cli("--case", str(case.root), "analyze", "--json")
    assert r.code == 0, r.err
    assert "error" in json.loads(r.out)["cost"]
    human = run_cli("--case", str(case.root), "analyze")
    assert "not computed" in human.out and "Traceback" not in human.err


def test_loan_import_appends_payments_that_parse_back(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    root = pboc_case(tmp_path)
    csv = tmp_path / "pay.csv"
    csv.write_text("日期,金额,类型\n2022-02-15,45.00,担保费\n2022-03-15,199,会员费\n", "utf-8")
    r = run_cli("--case", str(root), "loan", "import", str(csv), "--json")
    assert r.code == 0, r.err
    assert json.loads(r.out)["added"] == 2
    import tomllib

    cfg = tomllib.loads((root / "case.toml").read_text("utf-8"))
    kinds = [p["kind"] for p in cfg["loan"]["payments"]][-2:]
    assert kinds == ["guarantee", "membership"]
    bad = tmp_path / "bad.csv"
    bad.write_text("date,amount,kind\n2022-13-01,1,fee\n", "utf-8")
    r = run_cli("--case", str(root), "loan", "import", str(bad))
    assert r.code == 1 and "line" in r.err.lower() and "Traceback" not in r.err
