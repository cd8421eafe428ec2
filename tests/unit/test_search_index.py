"""The search indexes behind 1-2 character words and date+amount queries, against plain SQL.

The short-word index (``entries_grams``) must find exactly what ``LIKE`` finds on the same
columns, stay in step through analyses, corrections, rebuilds and migrations, and be checked
by verify. The date+amount plan reads the amounts' own copy of the entry's date, which must
follow every date change.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from evidence_kit.case import Case
from evidence_kit.ledger.events import EventType, Ledger, NewEvent
from evidence_kit.ledger.grams import gram_doc, gram_token
from evidence_kit.ledger.search_sql import SearchFilter
from evidence_kit.query.search import make_query, search, search_page

from .search_fixtures import add_entry

TZ = timezone(timedelta(hours=8))
REF = datetime(2025, 6, 1, 12, 0, tzinfo=TZ)
AT = "2025-06-02T00:00:00+00:00"

TEXTS = [
    "您的借款已逾期130天，请尽快处理\n当前逾期金额28,519元，其中罚息866元",
    'Overdue: CNY 3,000.00 (ABC Bank)\n100% off_the fee? "yes" *now*',
    "逾 期 分开写的字\t罚\n息",
    "abc ABC aBc 50%_off",
    "",
    "減免 减免 ｅ全角Ａ",
]


def like_ids(ledger: Ledger, word: str) -> set[str]:
    """What a plain substring test finds on the four searched columns (the old path)."""
    pattern = "%" + ledger.like_escape(word) + "%"
    rows = ledger.db.execute(
        "SELECT id FROM entries WHERE text LIKE ?1 ESCAPE '\\' OR title LIKE ?1 ESCAPE '\\' "
        "OR original_name LIKE ?1 ESCAPE '\\' OR user_note LIKE ?1 ESCAPE '\\'",
        (pattern,),
    )
    return {r[0] for r in rows}


def index_ids(ledger: Ledger, word: str) -> set[str]:
    """What the short-word index finds, read straight from it (no substring test at all)."""
    rows = ledger.db.execute(
        "SELECT e.id FROM entries e WHERE e.rowid IN "
        "(SELECT rowid FROM entries_grams WHERE entries_grams MATCH ?)",
        (gram_token(word),),
    )
    return {r[0] for r in rows}


def in_step(ledger: Ledger) -> bool:
    """verify's check of the derived tables (the fake entries have no stored originals)."""
    expected, actual = ledger.derived_check()
    return expected == actual and "short-word search" in next(iter(actual.values()))


def short_words(texts: list[str]) -> set[str]:
    """Every 1-2 character piece of the texts without whitespace, in both ASCII cases, and a
    few that occur nowhere."""
    out = {"zz", "Q", "还清", "%", "_"}
    for t in texts:
        for i in range(len(t)):
            for w in (t[i : i + 1], t[i : i + 2]):
                if w and not any(c.isspace() for c in w):
                    out.update({w, w.upper(), w.lower()})
    return out


@pytest.fixture
def filled(ledger: Ledger) -> tuple[Ledger, list[str]]:
    ids = [
        add_entry(ledger, f"IMG_{i}_Ab.png", occurred_at=f"2025-03-{i + 1:02d}", text=t)
        for i, t in enumerate(TEXTS)
    ]
    ledger.append(
        [
            NewEvent(EventType.ANNOTATED, ids[0], {"title": "催收 Call", "note": "对方 威胁"}),
            NewEvent(EventType.ANNOTATED, ids[4], {"note": "空白截图 %_"}),
        ],
        AT,
    )
    return ledger, ids


def test_the_short_word_index_finds_exactly_what_like_finds(filled) -> None:  # type: ignore[no-untyped-def]
    ledger, ids = filled
    words = short_words([*TEXTS, "催收 Call", "对方 威胁", "空白截图 %_", "IMG_0_Ab.png"])
    assert len(words) > 150
    for w in sorted(words):
        expected = like_ids(ledger, w)
        assert index_ids(ledger, w) == expected, w
        assert ledger.count_entries(SearchFilter(like_terms=[w])) == len(expected), w
        assert {e.id for e in ledger.search_entries(SearchFilter(like_terms=[w]))} == expected, w
    assert like_ids(ledger, "罚息") == {ids[0]}  # 罚 and 息 on two lines of ids[2] are no pair
    assert index_ids(ledger, "ab") == set(ids)  # every file name: IMG_…_Ab.png
    assert index_ids(ledger, "威胁") == {ids[0]}  # the user's note


def test_two_short_words_and_a_long_one_together(filled) -> None:  # type: ignore[no-untyped-def]
    ledger, _ids = filled
    for words in (["逾期", "罚息"], ["逾期", "元"], ["abc", "%"], ["逾期金额", "罚息"]):
        like = set.intersection(*(like_ids(ledger, w) for w in words))
        short = [w for w in words if len(w) < 3]
        long_ = [w for w in words if len(w) >= 3]
        assert ledger.count_entries(SearchFilter(fts_terms=long_, like_terms=short)) == len(like), words
        got = ledger.search_entries(SearchFilter(fts_terms=long_, like_terms=short))
        assert {e.id for e in got} == like, words


def test_analyses_and_corrections_move_the_short_words(filled) -> None:  # type: ignore[no-untyped-def]
    ledger, ids = filled
    a = ids[3]
    assert a in index_ids(ledger, "bc")
    ledger.append([NewEvent(EventType.ANALYZED, a, {"text": "已还清 全部"})], AT)  # reanalyze
    assert a not in index_ids(ledger, "bc")
    assert a in index_ids(ledger, "还清")
    ledger.append([NewEvent(EventType.ANNOTATED, a, {"title": "减免承诺"})], AT)
    assert a in index_ids(ledger, "承诺")
    ledger.append([NewEvent(EventType.ANNOTATED, a, {"title": "", "note": "再议"})], AT)
    assert a not in index_ids(ledger, "承诺")
    assert a in index_ids(ledger, "再议")
    for w in ("bc", "还清", "承诺", "再议", "ab"):
        assert index_ids(ledger, w) == like_ids(ledger, w), w


def test_rebuild_makes_the_same_index(filled) -> None:  # type: ignore[no-untyped-def]
    ledger, ids = filled
    before = ledger._gram_digests()
    ledger.rebuild()
    assert ledger._gram_digests() == before
    assert index_ids(ledger, "逾期") == like_ids(ledger, "逾期") == {ids[0]}
    assert in_step(ledger)


def test_gram_doc_splits_on_whitespace_and_folds_only_ascii() -> None:
    doc = set(gram_doc(["Ab 逾期", None, "Ｅ"]).split())
    assert doc == {gram_token(w) for w in ("a", "b", "ab", "逾", "期", "逾期", "Ｅ")}
    assert gram_token("AB") == gram_token("ab") != gram_token("Ａ")
    with pytest.raises(ValueError):
        gram_token("三个字")


# ---------------------------------------------------------------- an old ledger


def downgrade(path: Path) -> None:
    """Turn a ledger back into what the kit before migrations 0114/0115 wrote."""
    import sqlite3

    db = sqlite3.connect(path, isolation_level=None)
    db.executescript(
        """
        DROP TABLE entries_grams;
        DROP INDEX amounts_value_date;
        DROP INDEX amounts_date_value;
        ALTER TABLE amounts DROP COLUMN occurred_sort;
        CREATE INDEX amounts_value ON amounts(value, entry_id);
        DELETE FROM migrations WHERE name IN ('0114_search_amount_dates', '0115_search_grams');
        """
    )
    db.close()


def test_an_old_ledger_gets_both_indexes_when_opened(case: Case, filled) -> None:  # type: ignore[no-untyped-def]
    ledger, ids = filled
    add_entry(
        ledger,
        "bill.png",
        occurred_at="2025-04-09",
        text="本期应还 ¥2,874.99",
        amounts=[("2874.99", "¥2,874.99", "应还")],
    )
    ledger.close()
    downgrade(case.ledger_path)
    with Ledger(case.ledger_path, case.head_path) as old:
        names = [m[0] for m in old.migrations()]
        assert names[-2:] == ["0114_search_amount_dates", "0115_search_grams"]
        for w in ("逾期", "ab", "还", "%", "威胁"):
            assert index_ids(old, w) == like_ids(old, w) != set(), w
        dated = old.db.execute("SELECT occurred_sort FROM amounts").fetchall()
        assert dated and all(d[0] and d[0].startswith("2025-04-0") for d in dated)
        q = make_query("应还", date_from="2025-04", min_amount="2000", reference=REF)
        assert [h.entry.id for h in search(old, q)] != []
        assert in_step(old)
        # and it keeps working: a later analysis removes the migrated document cleanly
        old.append([NewEvent(EventType.ANALYZED, ids[0], {"text": "全部结清"})], AT)
        assert ids[0] not in index_ids(old, "逾期")
        assert in_step(old)


# ---------------------------------------------------------------- dates with amounts


def brute(entries: list[tuple[str, str | None, list[Decimal]]], q: dict[str, str]) -> list[str]:
    lo, hi = Decimal(q.get("min_amount", "-1e18")), Decimal(q.get("max_amount", "1e18"))
    f, t = q["from"], q["to"]
    return sorted(
        eid
        for eid, day, values in entries
        if day is not None and f <= day <= t and any(lo <= v <= hi for v in values)
    )


@pytest.mark.parametrize("scan_limit", [20000, 0])
def test_dates_with_amounts_match_a_plain_filter(ledger: Ledger, scan_limit: int) -> None:
    rng = random.Random(5)
    entries: list[tuple[str, str | None, list[Decimal]]] = []
    for i in range(120):
        day = None if i % 17 == 0 else f"2025-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d}"
        values = [Decimal(rng.randint(1, 400)) for _ in range(rng.randint(0, 3))]
        text = " ".join(f"{v}元" for v in values) or "无金额"
        eid = add_entry(
            ledger,
            f"e{i}.png",
            occurred_at=day,
            text=text,
            amounts=[(str(v), f"{v}元", None) for v in values],
        )
        entries.append((eid, day, values))
    # a corrected date moves the entry, amounts and all
    moved = next(e for e in entries if e[1] is not None and e[2])
    ledger.append([NewEvent(EventType.ANNOTATED, moved[0], {"occurred_at": "2025-06-30"})], AT)
    entries[entries.index(moved)] = (moved[0], "2025-06-30", moved[2])
    ledger.SCAN_LIMIT = scan_limit  # type: ignore[misc]
    queries = [
        {"from": "2025-01-01", "to": "2025-06-30", "min_amount": "390"},  # amounts narrower
        {"from": "2025-03-05", "to": "2025-03-06", "min_amount": "1"},  # dates narrower
        {"from": "2025-02-01", "to": "2025-04-30", "min_amount": "100", "max_amount": "200"},
        {"from": "2025-06-30", "to": "2025-06-30", "max_amount": "400"},
    ]
    for q in queries:
        expected = brute(entries, q)
        query = make_query(
            None,
            date_from=q["from"],
            date_to=q["to"],
            min_amount=q.get("min_amount"),
            max_amount=q.get("max_amount"),
            reference=REF,
        )
        got = sorted(h.entry.id for h in search(ledger, query))
        assert got == expected, q
        assert search_page(ledger, query, limit=3).total == len(expected), q
    assert moved[0] in brute(entries, queries[3])


def test_a_failed_append_leaves_no_gram_behind(ledger: Ledger) -> None:
    """The grams are written in the event's own transaction: an append that fails half-way
    leaves neither the entry nor its grams (a crash is the same rollback)."""
    add_entry(ledger, "kept.png", occurred_at="2025-03-01", text="保留")
    before = ledger._gram_digests()
    assert len(before) == 1
    good = NewEvent(
        EventType.INGESTED,
        "aaaaaaaaaaaa",
        {"sha256": "a" * 64, "path": "x.png", "size": 1, "kind": "chat", "mime": "image/png",
         "original_name": "罚息.png"},
    )  # fmt: skip
    with pytest.raises(KeyError):
        ledger.append([good, NewEvent(EventType.INGESTED, "bbbbbbbbbbbb", {})], AT)
    assert ledger._gram_digests() == before
    assert index_ids(ledger, "罚息") == set() == like_ids(ledger, "罚息")
