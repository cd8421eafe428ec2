"""A person's corrections and checks survive a new machine reading of the entry."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from evidence_kit.intake.corrections import carried_decisions
from evidence_kit.ledger.codec import extraction_from_json
from evidence_kit.models import Entry, Kind

TEXT = "本期应还 1,234.56 元，逾期罚息 56.00 元。"


def amount(value: str, text: str, start: int, label: str | None = None) -> dict[str, Any]:
    return {"value": value, "currency": "CNY", "label": label, "text": text,
            "start": start, "end": start + len(text)}


def date(value: str, text: str, start: int) -> dict[str, Any]:
    return {"value": value, "text": text, "start": start, "end": start + len(text)}


def entry(extraction: dict[str, Any], reviewed: dict[str, str]) -> Entry:
    return Entry(
        id="abcdefabcdef", sha256="ab" * 32, kind=Kind.NOTE, original_name="n.txt",
        original_path="n.txt", size=1, mime="text/plain", occurred_at=None,
        occurred_at_source="unknown", ingested_at="2025-06-01T00:00:00+00:00",
        extraction=extraction_from_json(extraction), meta={"reviewed": reviewed},
    )


def test_a_corrected_amount_follows_its_words_to_a_new_place() -> None:
    # The person corrected amount 0 (read 1234.56, really 1284.56) and accepted amount 1.
    before = entry(
        {"amounts": [amount("1284.56", "1,234.56 元", 5, "本期应还"),
                     amount("56.00", "56.00 元", 20, "逾期罚息")]},
        {"amount:0": "corrected", "amount:1": "accepted"},
    )
    # The new reading finds one more amount first, and reads the misread one the same way.
    new = {"amounts": [amount("10.00", "10 元", 0), amount("1234.56", "1,234.56 元", 9),
                       amount("56.00", "56.00 元", 24)]}
    carried = carried_decisions(before, new)
    assert carried.payload == {
        "amounts": [{"index": 1, "value": "1284.56", "was": "1234.56"}],
        "reviewed": {"amount:1": "corrected", "amount:2": "accepted"},
    }
    assert carried.lost == ()


def test_the_persons_value_wins_over_a_different_new_reading() -> None:
    before = entry({"amounts": [amount("1284.56", "1,234.56 元", 5)]}, {"amount:0": "corrected"})
    new = {"amounts": [amount("1234.00", "1,234.56 元", 5)]}
    fixes = carried_decisions(before, new).payload
    assert fixes is not None
    assert fixes["amounts"] == [{"index": 0, "value": "1284.56", "was": "1234.00"}]


def test_an_acceptance_holds_only_for_the_same_reading() -> None:
    before = entry(
        {"amounts": [amount("56.00", "56.00 元", 20)], "dates": [date("2025-03-05", "3月5日", 0)]},
        {"amount:0": "accepted", "date:0": "accepted"},
    )
    new = {"amounts": [amount("58.00", "56.00 元", 20)], "dates": [date("2025-03-05", "3月5日", 0)]}
    carried = carried_decisions(before, new)
    # The amount is read differently now: back to the review queue. The date is the same.
    assert carried.payload == {"reviewed": {"date:0": "accepted"}}


def test_a_value_no_longer_read_is_reported() -> None:
    before = entry({"amounts": [amount("1284.56", "1,234.56 元", 5)]}, {"amount:0": "corrected"})
    carried = carried_decisions(before, {"amounts": [amount("9.00", "9 元", 0)]})
    assert carried.payload is None
    assert carried.lost == ("amount:0",)


def test_nothing_to_carry_without_decisions() -> None:
    before = entry({"amounts": [amount("56.00", "56.00 元", 20)]}, {})
    assert carried_decisions(before, {"amounts": []}).payload is None


def test_cli_reanalyze_keeps_an_amount_correction(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("init", str(tmp_path)).code == 0
    (tmp_path / "账单说明.txt").write_text("2025年3月5日 催收记录\n" + TEXT + "\n", "utf-8")
    ingested = json.loads(run_cli("--json", "ingest").out.splitlines()[0])
    eid = ingested["id"]
    assert ingested["amounts"] == ["1234.56", "56.00"]
    fixed = run_cli("--json", "annotate", eid, "--amount", "1=1284.56")
    assert fixed.code == 0, fixed.err
    assert json.loads(fixed.out)["amounts"] == ["1284.56", "56.00"]

    again = run_cli("--json", "reanalyze")
    assert again.code == 0, again.err
    assert json.loads(again.out) == {"reanalyzed": [eid], "unplaced": {}}

    def found(lo: str, hi: str) -> list[str]:
        out = run_cli("--json", "search", "--min", lo, "--max", hi).out
        return [r["id"] for r in json.loads(out)["results"]]

    assert found("1284", "1285") == [eid]
    assert found("1234", "1235") == []  # the misreading is not what search finds
    shown = json.loads(run_cli("--json", "show", eid).out)
    assert [a["value"] for a in shown["amounts"]] == ["1284.56", "56.00"]
    assert shown["meta"]["reviewed"] == {"amount:0": "corrected"}
    # Append-only: the machine's reading and the person's are both events; the chain holds.
    assert run_cli("verify").code == 0
    from evidence_kit.ledger.events import Ledger

    with Ledger(tmp_path / ".evidence-kit" / "ledger.sqlite") as led:
        kinds = [(e.type, e.payload.get("carried", False)) for e in led.events() if e.entry_id == eid]
    assert kinds[-2:] == [("analyzed", False), ("annotated", True)]


def test_cli_annotate_amount_needs_a_number_and_a_value(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    run_cli("init", str(tmp_path))
    (tmp_path / "a.txt").write_text(TEXT, "utf-8")
    eid = json.loads(run_cli("--json", "ingest").out.splitlines()[0])["id"]
    for bad in ("1284.56", "0=5", "x=5"):
        r = run_cli("annotate", eid, "--amount", bad)
        assert r.code == 2 and "--amount" in r.err and "Traceback" not in r.err
    r = run_cli("annotate", eid, "--amount", "9=5")
    assert r.code == 2 and "no amount number 9" in r.err


class _Reader:
    """An analyzer giving a fixed outcome: a new reading, or a failure."""

    def __init__(self, outcome):  # type: ignore[no-untyped-def]
        self.outcome = outcome

    def analyze(self, jobs, progress=None):  # type: ignore[no-untyped-def]
        for job in jobs:
            yield job, self.outcome


def _ingester(tmp_path: Path, outcome):  # type: ignore[no-untyped-def]
    from evidence_kit.case import Case
    from evidence_kit.intake.ingest import Ingester

    from .search_fixtures import sample_ledger

    ledger, ids = sample_ledger(tmp_path)
    return Ingester(Case(tmp_path), ledger, analyzer=_Reader(outcome)), ledger, ids


def test_a_new_reading_in_another_order_keeps_the_correction(tmp_path: Path) -> None:
    from datetime import datetime, timezone

    from evidence_kit.intake.annotate import annotate_entry
    from evidence_kit.models import Amount, Analysis, Extraction

    ing, ledger, ids = _ingester(tmp_path, None)
    before = ledger.get_entry(ids["chat"])
    first = before.extraction.amounts[0]
    annotate_entry(ledger, ids["chat"], clock=lambda: datetime.now(timezone.utc),
                   amounts={0: "4321.00"}, reviewed={"amount:0": "corrected"})
    # The new reading finds another amount before the corrected one.
    extra = Amount(first.value + 1, "CNY", None, "¥1", 0, 2)
    ing.analyzer = _Reader(Analysis(text=before.text, extraction=Extraction(
        amounts=(extra, first, *before.extraction.amounts[1:]))))
    events = ledger.event_count()
    ing.analyze_entries([ledger.get_entry(ids["chat"])])
    assert ledger.event_count() == events + 2  # the reading, then the correction again
    after = ledger.get_entry(ids["chat"])
    assert str(after.extraction.amounts[1].value) == "4321.00"
    assert after.extraction.amounts[0].value == extra.value
    assert after.meta["reviewed"] == {"amount:1": "corrected"}
    ledger.rebuild()  # derived from the events alone, the same
    assert ledger.get_entry(ids["chat"]) == after
    ledger.close()


def test_a_failed_new_reading_does_not_replace_a_checked_one(tmp_path: Path) -> None:
    from datetime import datetime, timezone

    from evidence_kit.errors import OcrError
    from evidence_kit.intake.annotate import annotate_entry

    ing, ledger, ids = _ingester(tmp_path, OcrError("the OCR engine failed"))
    checked = annotate_entry(ledger, ids["chat"], clock=lambda: datetime.now(timezone.utc),
                             reviewed={"amount:0": "accepted"})
    events = ledger.event_count()
    assert ing.analyze_entries([checked]) == {}
    assert ledger.event_count() == events
    assert ledger.get_entry(ids["chat"]) == checked
    ledger.close()
