"""The SQL behind search and the timeline (mixed into ``Ledger``; all SQL stays in ledger*)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evidence_kit.errors import LedgerError
from evidence_kit.ledger.codec import ENTRY_COLUMNS, row_to_entry
from evidence_kit.ledger.grams import gram_token
from evidence_kit.models import Entry


@dataclass(frozen=True)
class SearchFilter:
    """What a search asks of the ledger's indexes; every field left empty matches all.

    ``fts_terms`` are words of 3+ characters (the trigram index), ``like_terms`` shorter ones
    (the short-word index); dates compare on ``occurred_sort`` (``sort_from`` inclusive,
    ``sort_to`` exclusive); the amount range and ``labels`` must hold for one and the same
    amount."""

    fts_terms: Sequence[str] = ()
    like_terms: Sequence[str] = ()
    sort_from: str | None = None
    sort_to: str | None = None
    min_value: float | None = None
    max_value: float | None = None
    labels: Sequence[str] = ()
    kinds: Sequence[str] = ()

    @property
    def has_words(self) -> bool:
        return bool(self.fts_terms or self.like_terms)

    @property
    def has_amounts(self) -> bool:
        return self.min_value is not None or self.max_value is not None or bool(self.labels)


NO_FILTER = SearchFilter()


class SearchQueries:
    """Query methods of ``Ledger`` for search: date, amount and word filters in one SELECT."""

    db: sqlite3.Connection
    path: Path

    def search_entries(
        self,
        flt: SearchFilter = NO_FILTER,
        *,
        limit: int | None = None,
        offset: int = 0,
        with_lines: bool = True,
        total: int | None = None,
    ) -> list[Entry]:
        """Entries matching every filter of ``flt``, oldest first (undated last).

        ``fts_terms`` (3+ characters each) go through the trigram index as quoted FTS5 string
        literals, so the user's ``"``, ``*``, ``()`` are plain characters. ``like_terms``
        (1-2 characters, below what trigrams can index) go through the short-word index
        (``entries_grams``), which finds exactly what a substring test (``LIKE``) on the same
        columns finds; on a few candidates they are that substring test. Dates compare on
        ``occurred_sort`` (``sort_from`` inclusive, ``sort_to`` exclusive). The amount range and
        labels must hold for one and the same amount.
        ``with_lines=False`` leaves out the OCR lines (the largest column) for speed.
        ``limit``/``offset`` page the ordered result; ``total`` (from ``count_entries``) lets a
        page of a common word be read in date order with substring tests, without the index.

        The plan is chosen here from cheap, capped index counts, not left to SQLite (which has
        no statistics on a user's ledger). A date range with an amount range is one scan of the
        amounts index in the order of the narrower of the two (each amount row carries its
        entry's date); words are tested by substring on the candidates when they are few, and
        through the word indexes otherwise.
        """
        words_by_scan = False
        if limit is not None and total is not None and flt.has_words:
            # A page of a common word: walking the date index and testing each row reads about
            # (offset + limit) * entries / total rows, far fewer than the index's whole list.
            n = self.entry_count_fast()
            words_by_scan = total > 0 and (offset + limit) * n / total <= self.SCAN_LIMIT / 4
        where, params = self._where(flt, words_by_scan=words_by_scan)
        columns = ENTRY_COLUMNS if with_lines else ENTRY_COLUMNS.replace(" lines,", " '[]',")
        sql = f"SELECT {columns} FROM entries e"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY e.occurred_sort IS NULL, e.occurred_sort, e.ingested_at, e.id"
        if limit is not None or offset:
            sql += " LIMIT ? OFFSET ?"
            params.extend([-1 if limit is None else limit, offset])
        try:
            rows = self.db.execute(sql, params).fetchall()
        except sqlite3.OperationalError as e:
            raise LedgerError(f"the search could not run ({e})") from e
        return [row_to_entry(r) for r in rows]

    def search_entries_counted(
        self,
        flt: SearchFilter = NO_FILTER,
        *,
        limit: int | None = None,
        offset: int = 0,
        with_lines: bool = True,
    ) -> tuple[int, list[Entry]]:
        """``(total, page)`` in one statement: the filters run once, over narrow rows (rowid
        and sort keys, materialised), and only the page's full rows are read. For filters that
        narrow the ledger (dates, amounts); a common word alone is faster through
        ``count_entries`` + ``search_entries(total=...)``."""
        where, params = self._where(flt)
        columns = ENTRY_COLUMNS if with_lines else ENTRY_COLUMNS.replace(" lines,", " '[]',")
        order = "e.occurred_sort IS NULL, e.occurred_sort, e.ingested_at, e.id"
        sql = (
            "WITH m AS MATERIALIZED (SELECT e.rowid AS r, e.occurred_sort IS NULL AS n, "
            "e.occurred_sort AS s, e.ingested_at AS i, e.id AS d FROM entries e"
            + (" WHERE " + " AND ".join(where) if where else "")
            + f") SELECT (SELECT count(*) FROM m), {columns} FROM entries e "
            "WHERE e.rowid IN (SELECT r FROM m ORDER BY n, s, i, d LIMIT ? OFFSET ?) "
            f"ORDER BY {order}"
        )
        params.extend([-1 if limit is None else limit, offset])
        try:
            rows = self.db.execute(sql, params).fetchall()
            if not rows:  # an empty page still has a total
                total_sql = "SELECT count(*) FROM entries e" + (
                    " WHERE " + " AND ".join(where) if where else ""
                )
                total = int(self.db.execute(total_sql, params[:-2]).fetchone()[0])
                return total, []
        except sqlite3.OperationalError as e:
            raise LedgerError(f"the search could not run ({e})") from e
        return int(rows[0][0]), [row_to_entry(r[1:]) for r in rows]

    def count_entries(self, flt: SearchFilter = NO_FILTER) -> int:
        """How many entries ``search_entries`` would return with the same filters (no limit)."""
        only_words = flt.has_words and not (
            flt.sort_from or flt.sort_to or flt.labels or flt.kinds or flt.has_amounts
        )
        try:
            if only_words:  # straight from the indexes, no entry row read
                return self._count_words(flt.fts_terms, flt.like_terms)
            where, params = self._where(flt)
            sql = "SELECT count(*) FROM entries e"
            if where:
                sql += " WHERE " + " AND ".join(where)
            return int(self.db.execute(sql, params).fetchone()[0])
        except sqlite3.OperationalError as e:
            raise LedgerError(f"the search could not run ({e})") from e

    def _count_words(self, fts_terms: Sequence[str], like_terms: Sequence[str]) -> int:
        """Entries holding every word, counted in the two word indexes alone."""
        fts = " AND ".join(self.fts_literal(t) for t in fts_terms)
        grams = self.gram_query(like_terms)
        if fts and grams:
            sql = (
                "SELECT count(*) FROM entries_fts WHERE entries_fts MATCH ? AND rowid IN "
                "(SELECT rowid FROM entries_grams WHERE entries_grams MATCH ?)"
            )
            params: tuple[str, ...] = (fts, grams)
        elif fts:
            sql, params = "SELECT count(*) FROM entries_fts WHERE entries_fts MATCH ?", (fts,)
        else:
            sql = "SELECT count(*) FROM entries_grams WHERE entries_grams MATCH ?"
            params = (grams,)
        return int(self.db.execute(sql, params).fetchone()[0])

    def entry_count_fast(self) -> int:
        """The number of entries (``count(*)`` walks SQLite's smallest index: a few ms)."""
        return int(self.db.execute("SELECT count(*) FROM entries").fetchone()[0])

    def _where(
        self, flt: SearchFilter, *, words_by_scan: bool = False
    ) -> tuple[list[str], list[Any]]:
        fts_terms: Sequence[str] = flt.fts_terms
        like_terms: Sequence[str] = flt.like_terms
        sort_from, sort_to = flt.sort_from, flt.sort_to
        min_value, max_value = flt.min_value, flt.max_value
        labels, kinds = flt.labels, flt.kinds
        has_dates = sort_from is not None or sort_to is not None
        has_amounts = flt.has_amounts
        lo = min_value if min_value is not None else float("-inf")
        hi = max_value if max_value is not None else float("inf")
        d_from, d_to = sort_from or "", sort_to or "\uffff"
        # Cheap index counts, each stopped past what matters: how many candidates the
        # narrowest filter leaves (amount rows are at least as many as their entries).
        by_date = False  # the amounts index is read in date order
        if has_amounts:
            candidates = self._count_amounts(lo, hi)
            if has_dates:
                n_dated = self._count_amount_dates(d_from, d_to, candidates)
                by_date = n_dated < candidates
                candidates = min(candidates, n_dated)
        elif has_dates:
            candidates = self._count_dates(sort_from, sort_to)
        else:
            candidates = self.SCAN_LIMIT + 1
        by_substring = words_by_scan or candidates <= self.SCAN_LIMIT
        if by_substring:  # a substring test on each candidate row beats any index list
            like_terms = [*fts_terms, *like_terms]
            fts_terms = ()

        where: list[str] = []
        params: list[Any] = []
        if has_amounts:
            cond = ["a.value >= ?", "a.value <= ?"]
            params_a: list[Any] = [lo, hi]
            index = "amounts_date_value" if by_date else "amounts_value_date"
            if has_dates:
                # A date range and an amount range: one scan of the amounts index ordered by
                # the narrower of the two, each amount carrying its entry's date. No entry row
                # is read before both hold.
                cond += ["a.occurred_sort >= ?", "a.occurred_sort < ?"]
                params_a += [d_from, d_to]
            if labels:
                cond.append("(" + " OR ".join("a.label LIKE ? ESCAPE '\\'" for _ in labels) + ")")
                params_a.extend("%" + self.like_escape(x) + "%" for x in labels)
            where.append(
                f"e.id IN (SELECT a.entry_id FROM amounts a INDEXED BY {index} "
                f"WHERE {' AND '.join(cond)})"
            )
            params.extend(params_a)
        if has_dates:
            # Without amounts the date index drives; with them, this only re-checks the few
            # entries found (``+``: not through the index).
            col = "+e.occurred_sort" if has_amounts else "e.occurred_sort"
            if sort_from is not None:
                where.append(f"{col} >= ?")
                params.append(sort_from)
            if sort_to is not None:
                where.append(f"{col} < ?")
                params.append(sort_to)
        if fts_terms:
            # rowids come straight from the index; ``id`` would be read from FTS5's content
            where.append("e.rowid IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)")
            params.append(" AND ".join(self.fts_literal(t) for t in fts_terms))
        if like_terms and not by_substring:
            where.append("e.rowid IN (SELECT rowid FROM entries_grams WHERE entries_grams MATCH ?)")
            params.append(self.gram_query(like_terms))
            like_terms = ()
        for term in like_terms:
            pattern = "%" + self.like_escape(term) + "%"
            where.append(
                "(e.text LIKE ? ESCAPE '\\' OR e.title LIKE ? ESCAPE '\\' "
                "OR e.original_name LIKE ? ESCAPE '\\' OR e.user_note LIKE ? ESCAPE '\\')"
            )
            params.extend([pattern] * 4)
        if kinds:
            where.append(f"e.kind IN ({','.join('?' * len(kinds))})")
            params.extend(kinds)
        return where, params

    SCAN_LIMIT = 20000  # candidates up to which words are tested by substring, not the index

    def _count_dates(self, sort_from: str | None, sort_to: str | None) -> int:
        return int(
            self.db.execute(
                "SELECT count(*) FROM (SELECT 1 FROM entries WHERE occurred_sort >= ? "
                "AND occurred_sort < ? LIMIT ?)",
                (sort_from or "", sort_to or "\uffff", self.SCAN_LIMIT + 1),
            ).fetchone()[0]
        )

    def _count_amounts(self, lo: float, hi: float) -> int:
        return int(
            self.db.execute(
                "SELECT count(*) FROM (SELECT 1 FROM amounts INDEXED BY amounts_value_date "
                "WHERE value >= ? AND value <= ? LIMIT ?)",
                (lo, hi, self.SCAN_LIMIT + 1),
            ).fetchone()[0]
        )

    def _count_amount_dates(self, d_from: str, d_to: str, cap: int) -> int:
        """Amounts dated in the range, counted up to ``cap`` + 1 (only "fewer?" matters)."""
        return int(
            self.db.execute(
                "SELECT count(*) FROM (SELECT 1 FROM amounts INDEXED BY amounts_date_value "
                "WHERE occurred_sort >= ? AND occurred_sort < ? LIMIT ?)",
                (d_from, d_to, cap + 1),
            ).fetchone()[0]
        )

    def kind_counts(self) -> dict[str, int]:
        """Entries per kind (excluded ones too)."""
        rows = self.db.execute("SELECT kind, count(*) FROM entries GROUP BY kind ORDER BY kind")
        return {k: int(n) for k, n in rows}

    def date_span(self) -> tuple[str | None, str | None]:
        """The first and last ``occurred_at`` of the dated entries (by their sort key)."""
        first = self.db.execute(
            "SELECT occurred_at FROM entries WHERE occurred_sort IS NOT NULL "
            "ORDER BY occurred_sort LIMIT 1"
        ).fetchone()
        last = self.db.execute(
            "SELECT occurred_at FROM entries WHERE occurred_sort IS NOT NULL "
            "ORDER BY occurred_sort DESC LIMIT 1"
        ).fetchone()
        return (first[0] if first else None, last[0] if last else None)

    def review_rows(self) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
        """``(id, extraction, meta)`` of every entry not excluded, in ledger order: what the
        review queue ranks, without building whole entries."""
        import json

        rows = self.db.execute(
            "SELECT id, extraction, meta FROM entries WHERE excluded = 0 "
            "ORDER BY occurred_sort IS NULL, occurred_sort, ingested_at, id"
        )
        return [(i, json.loads(x), json.loads(m)) for i, x, m in rows]

    def values_to_review(self) -> int:
        """How many extracted amounts and dates of the entries not excluded are not yet marked
        reviewed (``meta.reviewed``), counted in SQL for the case home."""
        row = self.db.execute(
            "SELECT sum(coalesce(json_array_length(extraction, '$.amounts'), 0) "
            "+ coalesce(json_array_length(extraction, '$.dates'), 0) "
            "- (SELECT count(*) FROM json_each(meta, '$.reviewed'))) "
            "FROM entries WHERE excluded = 0"
        ).fetchone()
        return int(row[0] or 0)

    def size_on_disk(self) -> int:
        """Bytes of the database file plus its write-ahead log."""
        total = 0
        for suffix in ("", "-wal", "-shm"):
            with suppress(OSError):
                total += os.path.getsize(str(self.path) + suffix)
        return total

    @staticmethod
    def fts_literal(term: str) -> str:
        """One FTS5 string literal: the user's text, with ``"`` doubled, matched as it is."""
        return '"' + term.replace('"', '""') + '"'

    @staticmethod
    def gram_query(terms: Sequence[str]) -> str:
        """An FTS5 query of the short-word index: every word's gram (tokens are hex digits)."""
        return " AND ".join(gram_token(t) for t in terms)

    @staticmethod
    def like_escape(term: str) -> str:
        return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
