"""What the kit says to a person is Chinese by default: init, analyze and bundle."""

from __future__ import annotations

import re
from pathlib import Path

ZH = {"EVIDENCE_KIT_LANG": "zh_CN"}
# Names the person types or sees as they are: the tool, its commands, the file, rate names,
# and the lender-type values case.toml takes.
PROPER = {
    "evidence", "kit", "init", "ingest", "watch", "bundle", "for", "case", "toml", "irr", "xirr", "lpr",
    "mb", "debt", "loan", "payments", "draft", "bank", "consumer", "finance", "microloan",
    "guarantor", "platform", "other", "negotiation", "regulator", "court", "credit", "dispute",
    "association", "pdf", "app",
}  # fmt: skip


def _english(text: str, *paths: Path) -> list[str]:
    for p in paths:
        text = text.replace(str(p), "")
    return [w for w in re.findall(r"[A-Za-z][A-Za-z_]*[A-Za-z]", text) if w.lower() not in PROPER]


def test_init_speaks_chinese(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("init", str(tmp_path / "c"), environ=ZH)
    assert r.code == 0, r.err
    assert "已在" in r.out and _english(r.out, tmp_path / "c") == []
    again = run_cli("init", str(tmp_path / "c"), environ=ZH)
    assert "已经是一个案件" in again.out and _english(again.out, tmp_path / "c") == []


def test_analyze_of_an_empty_case_speaks_chinese(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    run_cli("init", str(tmp_path / "c"), environ=ZH)
    r = run_cli("--case", str(tmp_path / "c"), "analyze", environ=ZH)
    assert r.code == 0, r.err
    assert "实际到账金额未填写" in r.out
    for old in ("loan.received_amount is empty", "[argument]", "[not-applicable]"):
        assert old not in r.out
    assert _english(r.out, tmp_path / "c") == []


def test_analyze_comparisons_speak_chinese(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    from tests.unit.test_cli_analyze import pboc_case

    root = pboc_case(tmp_path)
    r = run_cli("--case", str(root), "analyze", "--today", "2021-06-01", environ=ZH)
    assert r.code == 0, r.err
    assert "无直接约束力" in r.out or "不适用，仅作参照" in r.out
    assert "argument" not in r.out and "not-applicable" not in r.out
    assert _english(r.out, root) == []


def test_bundle_speaks_chinese(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    case = tmp_path / "c"
    run_cli("init", str(case), environ=ZH)
    run_cli("--case", str(case), "note", "催收员来电，称要联系我单位", "--at", "2025-03-10 19:42")
    r = run_cli("--case", str(case), "bundle", "--for", "negotiation", environ=ZH)
    assert r.code != 0 and "还需要在 case.toml 中填写" in r.err, r.err
    assert _english(r.err, case) == []
    r = run_cli("--case", str(case), "bundle", "--for", "negotiation", "--draft", environ=ZH)
    assert r.code == 0, r.err
    out = "\n".join(ln for ln in r.out.splitlines() if not ln.strip().endswith(".pdf"))
    assert "证据 1 项" in out and _english(out, case) == []


def test_no_case_error_speaks_chinese(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("analyze", cwd=tmp_path, environ=ZH)
    assert r.code != 0 and "没有找到 evidence-kit 案件" in r.err, r.err
    assert _english(r.err, tmp_path) == []
