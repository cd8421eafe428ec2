"""An attacker's test suite for `verify`: every forgery someone who knows the hash scheme would try.

The attacker can write to the case folder (SQLite, HEAD, objects) and knows how event hashes are
made, so besides plain edits they recompute the hash of what they edit, re-chain what follows,
and rewrite HEAD. Each test asserts the exact problems verify reports: code, event and entry.
The last tests state what verify alone cannot catch (a rewrite of the chain *and* of HEAD), and
what catches it then (a head recorded elsewhere, as every package's manifest does).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from evidence_kit.case import Case
from evidence_kit.intake.ingest import Ingester
from evidence_kit.ledger.events import GENESIS, Ledger, NewEvent, canonical, event_hash
from evidence_kit.ledger.grams import gram_token
from evidence_kit.ledger.store import Store
from evidence_kit.ledger.verify import VerifyReport, verify_case

Row = tuple[int, str, str, str, str, str, str]  # seq, type, entry_id, at, payload, prev, hash


@pytest.fixture
def forged(case: Case, clock) -> Case:  # type: ignore[no-untyped-def]
    """Six events: three notes ingested (#1–#3), then #4 analyzed A (an amount), #5 annotated B
    (a title), #6 annotated C (excluded), each at its own time."""
    for i in range(3):
        (case.root / f"note{i}.txt").write_text(f"通话记录 {i} 逾期金额 {i}00 元", "utf-8")
    with Ledger(case.ledger_path, case.head_path) as led:
        assert all(r.status.value == "ingested" for r in Ingester(case, led, clock=clock).run())
        a, b, c = (ev.entry_id for ev in led.events())
        amount = {"value": "300.00", "text": "300元", "start": 0, "end": 4, "label": "overdue"}
        led.append(
            [NewEvent("analyzed", a, {"text": "逾期 300元", "extraction": {"amounts": [amount]}})],
            "2025-04-02T09:00:00+00:00",
        )
        led.append([NewEvent("annotated", b, {"title": "催收电话"})], "2025-04-03T09:00:00+00:00")
        led.append([NewEvent("annotated", c, {"excluded": True})], "2025-04-04T09:00:00+00:00")
    assert report(case).ok
    return case


def report(case: Case) -> VerifyReport:
    with Ledger(case.ledger_path, case.head_path) as led:
        return verify_case(case, led)


def found(case: Case) -> list[tuple[str, int | None, str | None]]:
    return [(p.code, p.seq, p.entry_id) for p in report(case).problems]


def entry(case: Case, seq: int) -> str:
    return rows(case)[seq - 1][2]


def rows(case: Case) -> list[Row]:
    db = sqlite3.connect(case.ledger_path)
    try:
        return list(db.execute("SELECT * FROM events ORDER BY seq"))
    finally:
        db.close()


def sql(case: Case, *statements: tuple[str, tuple[object, ...]]) -> None:
    db = sqlite3.connect(case.ledger_path)
    try:
        for statement, args in statements:
            db.execute(statement, args)
        db.commit()
    finally:
        db.close()


def put(case: Case, row: Row, *, rehash: bool) -> None:
    """Write one event row in place of the one with its seq; `rehash` recomputes its own hash."""
    seq, type_, entry_id, at, payload, prev, h = row
    if rehash:
        h = event_hash(seq, type_, entry_id, at, canonical(json.loads(payload)), prev)
    sql(
        case,
        ("DELETE FROM events WHERE seq=?", (seq,)),
        ("INSERT INTO events VALUES (?,?,?,?,?,?,?)", (seq, type_, entry_id, at, payload, prev, h)),
    )


def rechain(case: Case, renumber: bool = False) -> None:
    """What a careful attacker does after an edit: re-link and rehash every event (and with
    `renumber` close the gap a deletion left), leaving HEAD alone."""
    old = rows(case)
    sql(case, ("DELETE FROM events", ()))
    prev = GENESIS
    for n, (seq, type_, entry_id, at, payload, _p, _h) in enumerate(old, 1):
        seq = n if renumber else seq
        h = event_hash(seq, type_, entry_id, at, canonical(json.loads(payload)), prev)
        sql(
            case,
            (
                "INSERT INTO events VALUES (?,?,?,?,?,?,?)",
                (seq, type_, entry_id, at, payload, prev, h),
            ),
        )
        prev = h


def rewrite_head(case: Case) -> None:
    last = rows(case)[-1]
    case.head_path.write_text(canonical({"seq": last[0], "hash": last[6]}), "utf-8")


def rebuild(case: Case) -> None:
    with Ledger(case.ledger_path, case.head_path) as led:
        led.rebuild()


# ------------------------------------------------------------------ editing one event

EDITS: dict[str, Callable[[Row], Row]] = {
    "payload": lambda r: (*r[:4], r[4].replace("}", ',"note":"已还清"}', 1), *r[5:]),  # type: ignore[dict-item]
    "at": lambda r: (*r[:3], "2025-03-01T09:00:00+00:00", *r[4:]),  # type: ignore[dict-item]
    "type": lambda r: (r[0], "sighted", *r[2:]),  # type: ignore[dict-item]
    "entry id": lambda r: (*r[:2], "ffffffffffff", *r[3:]),  # type: ignore[dict-item]
}


@pytest.mark.parametrize("field", EDITS)
@pytest.mark.parametrize("seq", [4, 6], ids=["middle", "last"])
def test_an_edited_event_is_altered(forged: Case, field: str, seq: int) -> None:
    edited = EDITS[field](rows(forged)[seq - 1])
    put(forged, edited, rehash=False)
    assert found(forged) == [("event-altered", seq, edited[2])]


@pytest.mark.parametrize("field", EDITS)
def test_an_edit_with_its_hash_recomputed_breaks_the_link_to_the_next_event(
    forged: Case, field: str
) -> None:
    put(forged, EDITS[field](rows(forged)[4 - 1]), rehash=True)
    assert found(forged) == [("chain-broken", 5, entry(forged, 5))]
    problem = report(forged).problems[0]
    assert "does not follow event #4" in problem.message


@pytest.mark.parametrize("field", EDITS)
def test_an_edit_of_the_last_event_with_its_hash_recomputed_is_caught_by_head(
    forged: Case, field: str
) -> None:
    edited = EDITS[field](rows(forged)[6 - 1])
    put(forged, edited, rehash=True)
    assert found(forged) == [("head-mismatch", 6, edited[2])]


def test_an_edited_event_id_of_an_ingest_is_also_missing_from_the_events(forged: Case) -> None:
    put(forged, EDITS["entry id"](rows(forged)[0]), rehash=False)
    a = entry_of_sha(forged, 0)
    assert found(forged) == [("event-altered", 1, "ffffffffffff"), ("index-forged", None, a)]


def entry_of_sha(case: Case, index: int) -> str:
    with Ledger(case.ledger_path, case.head_path) as led:
        return sorted(led.entries(), key=lambda e: e.original_name)[index].id


def test_a_self_consistent_forgery_in_place_of_an_event(forged: Case) -> None:
    """A whole new event (another type, entry, time, payload) linked to #4, its hash right."""
    seq, *_, prev, _h = rows(forged)[5 - 1]
    fake = (seq, "annotated", entry(forged, 1), "2025-04-03T10:00:00+00:00",
            canonical({"excluded": True}), prev, "")  # fmt: skip
    put(forged, fake, rehash=True)
    assert found(forged) == [("chain-broken", 6, entry(forged, 6))]


def test_a_self_consistent_forgery_in_place_of_the_last_event(forged: Case) -> None:
    seq, *_, prev, _h = rows(forged)[6 - 1]
    a = entry(forged, 1)
    put(forged, (seq, "annotated", a, "2025-04-04T09:00:00+00:00", canonical({"note": "x"}), prev,
                 ""), rehash=True)  # fmt: skip
    assert found(forged) == [("head-mismatch", 6, a)]


# ------------------------------------------------------------------ order, deletion, truncation


def swap_4_and_5(case: Case) -> None:
    r4, r5 = rows(case)[3], rows(case)[4]
    insert = "INSERT INTO events VALUES (?,?,?,?,?,?,?)"
    sql(case, ("DELETE FROM events WHERE seq IN (4, 5)", ()), (insert, (4, *r5[1:])),
        (insert, (5, *r4[1:])))  # fmt: skip


def test_two_events_swapped(forged: Case) -> None:
    swap_4_and_5(forged)
    b, a, c = entry(forged, 4), entry(forged, 5), entry(forged, 6)
    assert found(forged) == [
        ("chain-broken", 4, b),
        ("event-altered", 4, b),
        ("chain-broken", 5, a),
        ("event-altered", 5, a),
        ("chain-broken", 6, c),
    ]


def test_two_events_swapped_and_the_chain_rebuilt_is_caught_by_head(forged: Case) -> None:
    swap_4_and_5(forged)
    rechain(forged)
    assert found(forged) == [("head-mismatch", 6, entry(forged, 6))]


def test_an_event_deleted_in_the_middle(forged: Case) -> None:
    sql(forged, ("DELETE FROM events WHERE seq=5", ()))
    assert found(forged) == [("event-missing", 6, entry(forged, 5))]
    rewrite_head(forged)  # HEAD agrees with the last event anyway: the gap still shows
    assert found(forged) == [("event-missing", 6, entry(forged, 5))]
    assert "event #5 is missing" in report(forged).problems[0].message


def test_events_deleted_in_the_middle_name_the_whole_gap(forged: Case) -> None:
    sql(forged, ("DELETE FROM events WHERE seq IN (4, 5)", ()))
    assert found(forged) == [("event-missing", 6, entry(forged, 4))]
    assert "#4–#5 is missing" in report(forged).problems[0].message


def test_an_event_deleted_in_the_middle_and_the_rest_renumbered(forged: Case) -> None:
    sql(forged, ("DELETE FROM events WHERE seq=5", ()))
    rechain(forged, renumber=True)
    assert found(forged) == [("events-truncated", 6, None)]


def test_the_last_event_deleted(forged: Case) -> None:
    sql(forged, ("DELETE FROM events WHERE seq=6", ()))
    assert found(forged) == [("events-truncated", 6, None)]
    assert "ends at event #5 but event #6 was written" in report(forged).problems[0].message


def test_the_last_event_deleted_and_head_rewritten_leaves_the_tables_behind(forged: Case) -> None:
    """C's exclusion (#6) is gone from the events but not from the tables folded from them."""
    c = entry(forged, 6)
    sql(forged, ("DELETE FROM events WHERE seq=6", ()))
    rewrite_head(forged)
    assert found(forged) == [("index-altered", None, c)]
    assert "(entries)" in report(forged).problems[0].message


def test_truncated_and_re_extended_with_forged_events_is_caught_by_head(forged: Case) -> None:
    a = entry(forged, 1)
    five = rows(forged)[4]
    sql(forged, ("DELETE FROM events WHERE seq >= 5", ()))
    at = "2025-04-05T09:00:00+00:00"
    put(forged, (5, "annotated", a, at, canonical({"title": "x"}), rows(forged)[3][6], ""),
        rehash=True)  # fmt: skip
    put(forged, (6, "annotated", a, at, canonical({"title": "y"}), rows(forged)[4][6], ""),
        rehash=True)  # fmt: skip
    assert found(forged) == [("head-mismatch", 6, a)]
    sql(forged, ("DELETE FROM events WHERE seq = 6", ()))
    assert found(forged) == [("events-truncated", 6, None)]
    assert rows(forged)[4] != five


def test_truncated_and_re_extended_through_the_kit_leaves_the_tables_behind(forged: Case) -> None:
    """Ledger.append rewrites HEAD itself, so only the folded tables still show #5 and #6."""
    a, b, c = entry(forged, 1), entry(forged, 5), entry(forged, 6)
    sql(forged, ("DELETE FROM events WHERE seq >= 5", ()))
    with Ledger(forged.ledger_path, forged.head_path) as led:
        led.append([NewEvent("annotated", a, {"note": "x"}), NewEvent("annotated", a, {})], "t")
    assert found(forged) == [("index-altered", None, x) for x in sorted([b, c])]


# ------------------------------------------------------------------ HEAD itself


def test_a_forged_head_hash(forged: Case) -> None:
    forged.head_path.write_text(canonical({"seq": 6, "hash": "e" * 64}), "utf-8")
    assert found(forged) == [("head-mismatch", 6, entry(forged, 6))]


def test_a_head_that_lags_behind_is_accepted(forged: Case) -> None:
    """A kill between the commit and the HEAD write leaves HEAD behind: not tampering."""
    forged.head_path.write_text(canonical({"seq": 5, "hash": rows(forged)[4][6]}), "utf-8")
    assert found(forged) == []
    forged.head_path.write_text(canonical({"seq": 5, "hash": rows(forged)[3][6]}), "utf-8")
    assert found(forged) == [("head-mismatch", 5, entry(forged, 5))]


@pytest.mark.parametrize("content", [None, "", "not json", '{"seq": 6}', '{"seq": "x"}'])
def test_a_missing_or_unreadable_head_is_a_warning(forged: Case, content: str | None) -> None:
    if content is None:
        forged.head_path.unlink()
    else:
        forged.head_path.write_text(content, "utf-8")
    r = report(forged)
    assert r.ok and [w.code for w in r.warnings] == ["head-file-missing"]


def test_an_empty_ledger_needs_no_head(case: Case) -> None:
    r = report(case)
    assert r.ok and r.warnings == [] and (r.events, r.head_seq, r.head_hash) == (0, 0, GENESIS)


# ------------------------------------------------------------------ stored originals


def object_path(case: Case, index: int) -> tuple[Path, str]:
    with Ledger(case.ledger_path, case.head_path) as led:
        e = sorted(led.entries(), key=lambda e: e.original_name)[index]
    return Store(case.objects_dir).path_for(e.sha256), e.id


def test_an_object_swapped_for_other_bytes_of_the_same_size(forged: Case) -> None:
    path, entry_id = object_path(forged, 0)
    size = path.stat().st_size
    path.chmod(0o644)
    path.write_bytes(b"x" * size)
    assert found(forged) == [("object-altered", None, entry_id)]
    assert report(forged).problems[0].message.startswith(f"the stored original of entry {entry_id}")


def test_an_object_swapped_for_another_entrys_bytes(forged: Case) -> None:
    path0, entry0 = object_path(forged, 0)
    path1, _ = object_path(forged, 1)
    path0.chmod(0o644)
    path0.write_bytes(path1.read_bytes())
    problem = report(forged).problems
    assert [(p.code, p.entry_id) for p in problem] == [("object-altered", entry0)]
    assert path1.name[:14] in problem[0].message  # its SHA-256 now is the other entry's


def test_every_object_is_rehashed_and_counted(forged: Case) -> None:
    seen: list[tuple[int, int, str]] = []
    with Ledger(forged.ledger_path, forged.head_path) as led:
        r = verify_case(forged, led, progress=lambda i, n, e: seen.append((i, n, e)))
    assert (r.events, r.objects, r.head_seq) == (6, 3, 6)
    assert r.head_hash == rows(forged)[5][6]
    assert [(i, n) for i, n, _ in seen] == [(1, 3), (2, 3), (3, 3)]
    assert sorted(e for *_, e in seen) == sorted(entry(forged, s) for s in (1, 2, 3))


# ------------------------------------------------------------------ derived tables only


@pytest.mark.parametrize(
    ("table", "statement"),
    [
        ("search", "UPDATE entries_fts SET text = '已全部还清' WHERE id = ?"),
        ("amounts", "UPDATE amounts SET value = 3.0, value_text = '3.00' WHERE entry_id = ?"),
        ("entries", "UPDATE entries SET text = '已全部还清' WHERE id = ?"),
        ("sightings", "UPDATE sightings SET size = 1 WHERE sha256 = "
                      "(SELECT sha256 FROM entries WHERE id = ?)"),
        ("amounts", "UPDATE amounts SET occurred_sort = '2000-01-01' WHERE entry_id = ?"),
        # the short-word index: one gram taken out of an entry, or one added to it
        ("short-word search", "INSERT INTO entries_grams (entries_grams, rowid, grams) "
                              f"SELECT 'delete', rowid, '{gram_token('逾期')}' FROM entries "
                              "WHERE id = ?"),
        ("short-word search", "INSERT INTO entries_grams (rowid, grams) "
                              f"SELECT rowid, '{gram_token('还清')}' FROM entries WHERE id = ?"),
    ],
)  # fmt: skip
def test_a_derived_table_edited_alone(forged: Case, table: str, statement: str) -> None:
    a = entry(forged, 1)
    sql(forged, (statement, (a,)))
    assert found(forged) == [("index-altered", None, a)]
    assert f"({table})" in report(forged).problems[0].message
    rebuild(forged)
    assert found(forged) == []


def test_an_entry_added_to_the_index_alone(forged: Case) -> None:
    sql(forged, ("UPDATE entries SET id = 'ffffffffffff' WHERE id = ?", (entry(forged, 2),)))
    r = report(forged)
    assert [(p.code, p.entry_id) for p in r.problems] == [("index-forged", "ffffffffffff")]
    assert [(w.code, w.entry_id) for w in r.warnings] == [("index-stale", entry(forged, 2))]


def test_derived_tables_are_not_compared_when_the_events_fail(forged: Case) -> None:
    put(forged, EDITS["payload"](rows(forged)[3]), rehash=False)
    sql(forged, ("UPDATE amounts SET value = 3.0", ()))
    assert [p.code for p in report(forged).problems] == ["event-altered"]


# ------------------------------------------------------------------ case.toml; the limits


def test_case_toml_is_not_evidence_and_not_checked(forged: Case, run_cli) -> None:  # type: ignore[no-untyped-def]
    """case.toml is the user's own description of the case, edited freely: verify ignores it,
    says so in its help, and still verifies when case.toml is unreadable."""
    forged.config_path.write_text('[complainant]\nname = "改过的名字"\n', "utf-8")
    assert found(forged) == []
    forged.config_path.write_text("this is [not toml", "utf-8")
    r = run_cli("--case", str(forged.root), "verify", "--json")
    assert r.code == 0 and json.loads(r.out)["ok"] is True
    from evidence_kit.cli import cli

    help_text = " ".join((cli.commands["verify"].help or "").split())
    assert "case.toml, your own description of the case, is not evidence" in help_text


def test_a_full_rewrite_with_head_is_beyond_verify_but_not_beyond_a_kept_head(
    forged: Case,
) -> None:
    """The limit: rewrite #5 on, re-chain, rebuild the tables, rewrite HEAD, and verify passes.
    A head kept elsewhere (each package's manifest records `ledger_head`) shows it."""
    kept = report(forged).head_hash
    swap_4_and_5(forged)
    rechain(forged)
    rewrite_head(forged)
    rebuild(forged)
    r = report(forged)
    assert r.ok and r.head_seq == 6
    assert r.head_hash != kept


# ------------------------------------------------------------------ what verify says, exactly


def messages(case: Case) -> list[str]:
    r = report(case)
    return [p.message for p in r.problems] + [w.message for w in r.warnings]


def test_the_words_of_every_event_problem(forged: Case) -> None:
    a, b, c = entry(forged, 1), entry(forged, 5), entry(forged, 6)
    put(forged, EDITS["at"](rows(forged)[4 - 1]), rehash=True)
    assert messages(forged) == [
        f"event #5 (annotated, entry {b}) does not follow event #4 (analyzed, entry {a}): "
        "one of the two was rewritten after it was written"
    ]
    put(forged, EDITS["at"](rows(forged)[6 - 1]), rehash=True)
    assert messages(forged)[1:] == [
        f"event #6 (annotated, entry {c}) differs from the one recorded in HEAD: "
        "it was rewritten after it was written"
    ]
    put(forged, EDITS["at"](rows(forged)[5 - 1]), rehash=False)
    assert messages(forged)[1] == (
        f"event #5 (annotated, entry {b}) was altered after it was written"
    )


def test_the_first_event_must_follow_the_start(forged: Case) -> None:
    put(forged, (*rows(forged)[0][:5], "1" * 64, ""), rehash=True)
    a = entry(forged, 1)
    assert found(forged) == [("chain-broken", 1, a), ("chain-broken", 2, entry(forged, 2))]
    assert messages(forged)[0] == (
        f"event #1 (ingested, entry {a}) does not follow the start of the ledger: "
        "one of the two was rewritten after it was written"
    )


def test_a_payload_that_is_not_json_is_altered_even_with_an_empty_hash(forged: Case) -> None:
    seq, type_, entry_id, at, _payload, prev, _h = rows(forged)[5]
    put(forged, (seq, type_, entry_id, at, "{not json", prev, ""), rehash=False)
    assert found(forged) == [("event-altered", 6, entry_id), ("head-mismatch", 6, entry_id)]


def test_the_words_of_head_and_object_problems(forged: Case) -> None:
    sql(forged, ("DELETE FROM events WHERE seq=6", ()))
    assert messages(forged) == [
        "the ledger ends at event #5 but event #6 was written; the newest events were removed"
    ]
    forged.head_path.unlink()
    path, entry_id = object_path(forged, 0)
    sha = path.parent.name + path.name
    path.chmod(0o644)
    path.write_bytes(b"x")
    now = hashlib.sha256(b"x").hexdigest()
    other, other_id = object_path(forged, 1)
    other.unlink()
    Store(forged.objects_dir).put_bytes(b"left over")
    left = hashlib.sha256(b"left over").hexdigest()
    want = [
        f"the stored original of entry {entry_id} was changed (its SHA-256 is now "
        f"{now[:16]}…, recorded {sha[:16]}…)",
        f"the stored original of entry {other_id} is missing",
        "the HEAD file is missing, so removal of the newest events cannot be ruled out",
        f"stored object {left[:16]}… belongs to no entry (left by an interrupted ingest; harmless)",
    ]
    got = messages(forged)
    assert sorted(got[:2]) == sorted(want[:2]) and got[2:] == want[2:]


def test_the_words_of_index_problems(forged: Case) -> None:
    a, b = entry(forged, 1), entry(forged, 2)
    sql(forged, ("UPDATE amounts SET value = 3.0 WHERE entry_id = ?", (a,)),
        ("UPDATE entries_fts SET text = 'x' WHERE id = ?", (a,)))  # fmt: skip
    assert messages(forged) == [
        f"entry {a}: the derived tables (amounts, search) do not match the ledger events "
        "(edited, or written by another version of evidence-kit); run `evidence-kit rebuild`"
    ]
    rebuild(forged)
    sql(forged, ("UPDATE entries SET id = 'ffffffffffff' WHERE id = ?", (b,)))
    assert messages(forged) == [
        "entry ffffffffffff is in the search index but not in the ledger events",
        f"entry {b} is missing from the search index (run `evidence-kit rebuild`)",
    ]


def test_an_entry_missing_from_the_index_is_only_stale(forged: Case) -> None:
    """Derived rows are compared only for entries on both sides: a missing one is a warning."""
    a = entry(forged, 1)
    sql(forged, ("DELETE FROM entries WHERE id = ?", (a,)))
    r = report(forged)
    assert r.ok and [(w.code, w.entry_id) for w in r.warnings] == [("index-stale", a)]


def test_originals_are_rehashed_in_the_order_of_their_entry_ids(forged: Case) -> None:
    """By entry id, not by SHA-256: they differ once an event's entry id was edited."""
    first = min(rows(forged)[:3], key=lambda r: r[2])
    put(forged, (*first[:2], "zzzzzzzzzzzz", *first[3:]), rehash=False)
    seen: list[str] = []
    with Ledger(forged.ledger_path, forged.head_path) as led:
        verify_case(forged, led, progress=lambda i, n, e: seen.append(e))
    assert seen == sorted(seen) and seen[-1] == "zzzzzzzzzzzz"


def test_the_json_of_a_report(forged: Case) -> None:
    sql(forged, ("DELETE FROM events WHERE seq=6", ()))
    Store(forged.objects_dir).put_bytes(b"left over")
    data = report(forged).to_json()
    last = rows(forged)[4]
    assert data == {
        "ok": False,
        "events": 5,
        "objects": 3,
        "head": {"seq": 5, "hash": last[6]},
        "problems": [
            {
                "code": "events-truncated",
                "message": "the ledger ends at event #5 but event #6 was written; "
                "the newest events were removed",
                "entry_id": None,
                "seq": 6,
            }
        ],
        "warnings": [
            {
                "code": "object-unreferenced",
                "message": messages(forged)[-1],
                "entry_id": None,
                "seq": None,
            }
        ],
    }
