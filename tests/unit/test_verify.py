"""Tampering of every kind is reported by `verify`, with exit code 3 and the entry named."""

import json
import os
from pathlib import Path

import pytest

from evidence_kit.case import Case
from evidence_kit.intake.ingest import Ingester
from evidence_kit.ledger.events import Ledger
from evidence_kit.ledger.store import Store
from evidence_kit.ledger.verify import verify_case


@pytest.fixture
def filled(case: Case, clock) -> Case:  # type: ignore[no-untyped-def]
    for i in range(3):
        (case.root / f"note{i}.txt").write_text(f"通话记录 {i} 逾期金额 {i}00 元", "utf-8")
    with Ledger(case.ledger_path, case.head_path) as led:
        results = list(Ingester(case, led, clock=clock).run())
        led.append([], "2025-04-01T12:00:00+00:00")
    assert all(r.status.value == "ingested" for r in results)
    return case


def report_for(case: Case):  # type: ignore[no-untyped-def]
    with Ledger(case.ledger_path, case.head_path) as led:
        return verify_case(case, led)


def test_clean_case_verifies(filled: Case, run_cli) -> None:  # type: ignore[no-untyped-def]
    assert report_for(filled).ok
    r = run_cli("--case", str(filled.root), "verify", "--json")
    assert r.code == 0 and json.loads(r.out)["ok"] is True


def first_sha(case: Case) -> tuple[str, str]:
    with Ledger(case.ledger_path, case.head_path) as led:
        e = led.entries()[0]
        return e.sha256, e.id


def test_one_changed_byte_in_an_object(filled: Case, run_cli) -> None:  # type: ignore[no-untyped-def]
    sha, entry_id = first_sha(filled)
    path = Store(filled.objects_dir).path_for(sha)
    os.chmod(path, 0o644)
    data = bytearray(path.read_bytes())
    data[0] ^= 0x01
    path.write_bytes(bytes(data))
    r = run_cli("--case", str(filled.root), "verify")
    assert r.code == 3
    assert f"entry {entry_id} was changed" in r.err


def test_missing_object(filled: Case, run_cli) -> None:  # type: ignore[no-untyped-def]
    sha, entry_id = first_sha(filled)
    Store(filled.objects_dir).path_for(sha).unlink()
    r = run_cli("--case", str(filled.root), "verify", "--json")
    assert r.code == 3
    problems = json.loads(r.out)["problems"]
    assert [(p["code"], p["entry_id"]) for p in problems] == [("object-missing", entry_id)]


def sql(case: Case, statement: str, *args: object) -> None:
    import sqlite3

    db = sqlite3.connect(case.ledger_path)
    db.execute(statement, args)
    db.commit()
    db.close()


def test_deleted_event_row(filled: Case, run_cli) -> None:  # type: ignore[no-untyped-def]
    sql(filled, "DELETE FROM events WHERE seq = 2")
    r = run_cli("--case", str(filled.root), "verify", "--json")
    assert r.code == 3
    codes = {p["code"] for p in json.loads(r.out)["problems"]}
    assert "event-missing" in codes


def test_deleted_last_event_is_caught_by_head(filled: Case, run_cli) -> None:  # type: ignore[no-untyped-def]
    sql(filled, "DELETE FROM events WHERE seq = (SELECT max(seq) FROM events)")
    r = run_cli("--case", str(filled.root), "verify", "--json")
    assert r.code == 3
    assert "events-truncated" in {p["code"] for p in json.loads(r.out)["problems"]}


def test_edited_payload(filled: Case, run_cli) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    db = sqlite3.connect(filled.ledger_path)
    _seq, entry_id, payload = db.execute(
        "SELECT seq, entry_id, payload FROM events WHERE seq = 1"
    ).fetchone()
    db.close()
    edited = json.loads(payload)
    edited["occurred_at"] = "2024-01-01T00:00:00+08:00"
    sql(filled, "UPDATE events SET payload = ? WHERE seq = 1", json.dumps(edited))
    r = run_cli("--case", str(filled.root), "verify")
    assert r.code == 3
    assert f"event #1 (ingested, entry {entry_id}) was altered" in r.err


def test_forged_index_row(filled: Case, run_cli) -> None:  # type: ignore[no-untyped-def]
    sql(filled, "UPDATE entries SET id = 'ffffffffffff' WHERE rowid = 1")
    r = run_cli("--case", str(filled.root), "verify", "--json")
    assert r.code == 3
    assert "index-forged" in {p["code"] for p in json.loads(r.out)["problems"]}


def test_unreferenced_object_is_only_a_warning(filled: Case) -> None:
    Store(filled.objects_dir).put_bytes(b"left by a killed ingest")
    rep = report_for(filled)
    assert rep.ok and [w.code for w in rep.warnings] == ["object-unreferenced"]


def test_verify_outside_a_case(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("verify", cwd=tmp_path)
    assert r.code == 1 and "evidence-kit init" in r.err and "Traceback" not in r.err
