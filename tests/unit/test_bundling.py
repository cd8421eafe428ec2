"""Which entries go into a package: the same query model as search, excluded entries left out."""

import json
from pathlib import Path

from evidence_kit.bundle.from_case import Selection, select_entries
from evidence_kit.case import Case
from evidence_kit.ledger.events import Ledger
from tests.conftest import FIXED_NOW


def ingest_notes(case: Case, run_cli) -> dict[str, str]:  # type: ignore[no-untyped-def]
    for name, text in {
        "通话记录_2025-02-27.txt": "催收来电，要求还款",
        "通话记录_2025-03-10.txt": "催收来电，称可减免罚息",
        "通话记录_2025-03-31.txt": "客服确认减免罚息128.50元",
        "通话记录_2025-04-02.txt": "催收来电",
    }.items():
        (case.root / name).write_text(text, "utf-8")
    r = run_cli("--case", str(case.root), "ingest", "--json")
    return {json.loads(x)["path"]: json.loads(x)["id"] for x in r.out.splitlines()}


def names(entries) -> list[str]:  # type: ignore[no-untyped-def]
    return [e.original_name for e in entries]


def test_selection_reads_dates_like_search_and_leaves_out_excluded(case: Case, run_cli) -> None:  # type: ignore[no-untyped-def]
    ids = ingest_notes(case, run_cli)
    run_cli("--case", str(case.root), "annotate", ids["通话记录_2025-03-31.txt"], "--exclude")
    with Ledger(case.ledger_path, case.head_path) as led:
        march = select_entries(led, Selection(date_from="2025-03", date_to="2025-03"),
                               reference=FIXED_NOW)
        assert names(march) == ["通话记录_2025-03-10.txt"]  # 3/31 is excluded
        words = select_entries(led, Selection(words=("罚息",)), reference=FIXED_NOW)
        assert names(words) == ["通话记录_2025-03-10.txt"]
        by_id = select_entries(led, Selection(ids=(ids["通话记录_2025-04-02.txt"][:6],)),
                               reference=FIXED_NOW)
        assert names(by_id) == ["通话记录_2025-04-02.txt"]
        everything = select_entries(led, Selection(), reference=FIXED_NOW)
        assert names(everything) == [
            "通话记录_2025-02-27.txt", "通话记录_2025-03-10.txt", "通话记录_2025-04-02.txt"]
        assert everything[0].lines == ()  # notes have no OCR lines; images would carry theirs


def test_bundle_with_no_evidence_says_so(case: Case, run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("--case", str(case.root), "bundle", "-o", str(tmp_path / "x.pdf"))
    assert r.code == 1 and "no evidence yet" in r.err
    assert not (tmp_path / "x.pdf").exists()
