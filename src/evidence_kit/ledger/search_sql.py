"""The SQL behind search and the timeline (mixed into ``Ledger``; all SQL stays in ledger*)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from contextlib import suppress
from pathlib import Path
from typing import Any

from evidence_kit.errors import LedgerError
from evidence_kit.ledger.codec import ENTRY_COLUMNS, row_to_entry
from evidence_kit.models import Entry


class SearchQueries:
    """Query methods of ``Ledger`` for search: date, amount and word filters in one SELECT."""

    db: sqlite3.Connection
    path: Path

    def search_entries(
        self,
        *,
        fts_terms: Sequence[str] = (),
        like_terms: Sequence[str] = (),
        sort_from: str | None = None,
        sort_to: str | None = None,
        min_value: float | None = None,
        max_value: float | None = None,
        labels: Sequence[str] = (),
        kinds: Sequence[str] = (),
        limit: int | None = None,
        offset: int = 0,
        with_lines: bool = True,
        total: int | None = None,
    ) -> list[Entry]:
        """Entries matching every filter, oldest first (undated last).

        ``fts_terms`` (3+ characters each) go through the trigram index as quoted FTS5 string
        literals, so the user's ``"``, ``*``, ``()`` are plain characters. ``like_terms``
        (1-2 characters, below what trigrams can index) are substring tests on the same
        columns. Dates compare on ``occurred_sort`` (``sort_from`` inclusive, ``sort_to``
        exclusive). The amount range and labels must hold for one and the same amount.
        ``with_lines=False`` leaves out the OCR lines (the largest column) for speed.
        ``limit``/``offset`` page the ordered result; ``total`` (from ``count_entries``) lets a
        page of a common word be read in date order with substring tests, without the index.

        The plan is chosen here from two cheap index counts, not left to SQLite (which has no
        statistics on a user's ledger): the narrower of the date range and the amount range
        drives, and words are tested by substring on those candidates when they are few,
        through the trigram index otherwise.
        """
        words_by_scan = False
        if limit is not None and total is not None and (fts_terms or like_terms):
            # A page of a common word: walking the date index and testing each row reads about
            # (offset + limit) * entries / total rows, far fewer than the index's whole list.
            n = self.entry_count_fast()
            words_by_scan = total > 0 and (offset + limit) * n / total <= self.SCAN_LIMIT / 4
        where, params = self._where(
            fts_terms,
            like_terms,
            sort_from,
            sort_to,
            min_value,
            max_value,
            labels,
            kinds,
            words_by_scan=words_by_scan,
        )
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
        *,
        fts_terms: Sequence[str] = (),
        like_terms: Sequence[str] = (),
        sort_from: str | None = None,
        sort_to: str | None = None,
        min_value: float | None = None,
        max_value: float | None = None,
        labels: Sequence[str] = (),
        kinds: Sequence[str] = (),
        limit: int | None = None,
        offset: int = 0,
        with_lines: bool = True,
    ) -> tuple[int, list[Entry]]:
        """``(total, page)`` in one statement: the filters run once, over narrow rows (rowid
        and sort keys, materialised), and only the page's full rows are read. For filters that
        narrow the ledger (dates, amounts); a common word alone is faster through
        ``count_entries`` + ``search_entries(total=...)``."""
        where, params = self._where(
            fts_terms, like_terms, sort_from, sort_to, min_value, max_value, labels, kinds
        )
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

    def count_entries(
        self,
        *,
        fts_terms: Sequence[str] = (),
        like_terms: Sequence[str] = (),
        sort_from: str | None = None,
        sort_to: str | None = None,
        min_value: float | None = None,
        max_value: float | None = None,
        labels: Sequence[str] = (),
        kinds: Sequence[str] = (),
    ) -> int:
        """How many entries ``search_entries`` would return with the same filters (no limit)."""
        only_fts = fts_terms and not (
            like_terms
            or sort_from
            or sort_to
            or labels
            or kinds
            or min_value is not None
            or max_value is not None
        )
        try:
            if only_fts:  # straight from the index, no entry row read
                return int(
                    self.db.execute(
                        "SELECT count(*) FROM entries_fts WHERE entries_fts MATCH ?",
                        (" AND ".join(self.fts_literal(t) for t in fts_terms),),
                    ).fetchone()[0]
                )
            where, params = self._where(
                fts_terms, like_terms, sort_from, sort_to, min_value, max_value, labels, kinds
            )
            sql = "SELECT count(*) FROM entries e"
            if where:
                sql += " WHERE " + " AND ".join(where)
            return int(self.db.execute(sql, params).fetchone()[0])
        except sqlite3.OperationalError as e:
            raise LedgerError(f"the search could not run ({e})") from e

    def entry_count_fast(self) -> int:
        """The number of entries (``count(*)`` walks SQLite's smallest index: a few ms)."""
        return int(self.db.execute("SELECT count(*) FROM entries").fetchone()[0])

    def _where(
        self,
        fts_terms: Sequence[str],
        like_terms: Sequence[str],
        sort_from: str | None,
        sort_to: str | None,
        min_value: float | None,
        max_value: float | None,
        labels: Sequence[str],
        kinds: Sequence[str],
        *,
        words_by_scan: bool = False,
    ) -> tuple[list[str], list[Any]]:
        has_dates = sort_from is not None or sort_to is not None
        has_amounts = min_value is not None or max_value is not None or bool(labels)
        lo = min_value if min_value is not None else float("-inf")
        hi = max_value if max_value is not None else float("inf")
        n_dates = self._count_dates(sort_from, sort_to) if has_dates else None
        # Only whether amounts are the narrower filter matters: stop counting past the dates.
        cap = min(n_dates, self.SCAN_LIMIT) if n_dates is not None else self.SCAN_LIMIT
        n_amounts = self._count_amounts(lo, hi, cap) if has_amounts else None
        candidates = min(x for x in (n_dates, n_amounts, self.SCAN_LIMIT + 1) if x is not None)
        if fts_terms and (words_by_scan or candidates <= self.SCAN_LIMIT):
            like_terms = [*fts_terms, *like_terms]
            fts_terms = ()
        amounts_drive = n_amounts is not None and (n_dates is None or n_amounts < n_dates)

        where: list[str] = []
        params: list[Any] = []
        if has_dates:
            col = "e.occurred_sort" if not amounts_drive else "+e.occurred_sort"  # + : no index
            if sort_from is not None:
                where.append(f"{col} >= ?")
                params.append(sort_from)
            if sort_to is not None:
                where.append(f"{col} < ?")
                params.append(sort_to)
        if has_amounts:
            cond = ["a.value >= ?", "a.value <= ?"]
            params_a: list[Any] = [lo, hi]
            if labels:
                cond.append("(" + " OR ".join("a.label LIKE ? ESCAPE '\\'" for _ in labels) + ")")
                params_a.extend("%" + self.like_escape(x) + "%" for x in labels)
            if amounts_drive:  # a list from the value index
                where.append(
                    f"e.id IN (SELECT a.entry_id FROM amounts a WHERE {' AND '.join(cond)})"
                )
            else:  # checked per candidate through the entry index
                joined = " AND ".join(cond)
                where.append(
                    f"EXISTS (SELECT 1 FROM amounts a WHERE a.entry_id = e.id AND {joined})"
                )
            params.extend(params_a)
        if fts_terms:
            # rowids come straight from the index; ``id`` would be read from FTS5's content
            where.append("e.rowid IN (SELECT rowid FROM entries_fts WHERE entries_fts MATCH ?)")
            params.append(" AND ".join(self.fts_literal(t) for t in fts_terms))
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

    def _count_amounts(self, lo: float, hi: float, cap: int | None = None) -> int:
        return int(
            self.db.execute(
                "SELECT count(*) FROM (SELECT 1 FROM amounts WHERE value >= ? AND value <= ? "
                "LIMIT ?)",
                (lo, hi, (self.SCAN_LIMIT if cap is None else cap) + 1),
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
    def like_escape(term: str) -> str:
        return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
