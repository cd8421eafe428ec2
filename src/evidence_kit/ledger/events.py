"""The ledger: an append-only, hash-chained event log in SQLite, and the tables derived from it.

Every event stores the hash of the one before it, so an edit or a deletion anywhere breaks the
chain. The head (last sequence number and hash) is also written to ``.evidence-kit/HEAD`` so that
cutting events off the end is caught too. Derived tables (entries, sightings, amounts, the
trigram and short-word search indexes) are rebuilt from events at any time (``rebuild``); they
are never the source of truth. Each event and all it changes in them share one transaction.

All SQL of the kit lives here and in its two helpers: ``ledger_schema`` (migrations) and
``ledger_search`` (the search queries); ``ledger_codec`` turns events and rows to and from JSON.
"""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from evidence_kit.errors import EntryNotFoundError, LedgerError
from evidence_kit.ledger.codec import (
    ENTRY_COLUMNS,
    canonical,
    entry_id_for,
    event_hash,
    extraction_from_json,
    line_from_json,
    message_from_json,
    row_to_entry,
    sort_key,
)
from evidence_kit.ledger.grams import gram_doc
from evidence_kit.ledger.schema import GRAMS_MIGRATION, MIGRATIONS
from evidence_kit.ledger.search_sql import SearchQueries
from evidence_kit.models import Entry, Kind

# Re-exported: the rest of the kit imports these from here.
__all__ = [
    "ENTRY_COLUMNS",
    "GENESIS",
    "MIGRATIONS",
    "USER_DATED",
    "Event",
    "EventType",
    "Ledger",
    "NewEvent",
    "Sighting",
    "canonical",
    "entry_id_for",
    "event_hash",
    "extraction_from_json",
    "ledger_error",
    "line_from_json",
    "message_from_json",
    "row_to_entry",
    "sort_key",
]

GENESIS = "0" * 64
# occurred_at sources given by the user (a correction, or a note's own time): content dates
# found later never override them.
USER_DATED = frozenset({"user", "note"})
# entry id → derived table name → its rows about that entry (sorted), for verify
DerivedRows = dict[str, dict[str, list[Any]]]


class EventType:
    INGESTED = "ingested"  # a new original entered the store
    SIGHTED = "sighted"  # the same bytes were seen again at another path / time
    ANALYZED = "analyzed"  # OCR/extraction results for an entry
    ANNOTATED = "annotated"  # a user's correction: title, occurred_at, exclude/include, note


@dataclass(frozen=True)
class NewEvent:
    type: str
    entry_id: str
    payload: dict[str, Any]


@dataclass(frozen=True)
class Event:
    seq: int
    type: str
    entry_id: str
    at: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class Sighting:
    path: str
    size: int
    mtime_ns: int
    sha256: str


def ledger_error(e: sqlite3.OperationalError, path: Path) -> LedgerError:
    """SQLite's own words, turned into what happened and what to do; nothing was recorded."""
    msg = str(e).lower()
    if "full" in msg:
        return LedgerError(
            "the disk is full; the ledger was not changed",
            "free some space and run the command again",
        )
    if "locked" in msg or "busy" in msg:
        return LedgerError(
            "another evidence-kit process kept the ledger busy for over a minute",
            "wait for it to finish (a long ingest or watch?) and try again",
        )
    return LedgerError(
        f"the ledger {path} could not be written ({e})",
        "run `evidence-kit verify`; if the file is damaged, restore it from a backup",
    )


class Ledger(SearchQueries):
    """One connection to a case's ledger. Not shared between threads or processes."""

    # False only for verify's fresh fold in memory, which digests the short-word documents
    # from their text instead of writing them (``_derived_rows(grams_from_text=True)``).
    write_grams = True

    def __init__(self, path: Path, head_path: Path | None = None) -> None:
        self.path = path
        self.head_path = head_path or path.with_name("HEAD")
        try:
            self.db = sqlite3.connect(path, timeout=60, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("PRAGMA busy_timeout=60000")
            self._migrate()
        except sqlite3.DatabaseError as e:
            raise LedgerError(
                f"the ledger {path} cannot be opened ({e})",
                "run `evidence-kit verify`; if the file is damaged, restore it from a backup",
            ) from e

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------ schema

    def _migrate(self) -> None:
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS migrations "
            "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
        )
        done = {r[0] for r in self.db.execute("SELECT name FROM migrations")}
        for name, sql in MIGRATIONS:
            if name in done:
                continue
            with self.transaction():
                # Another process may have applied it while we waited for the lock.
                if self.db.execute("SELECT 1 FROM migrations WHERE name=?", (name,)).fetchone():
                    continue
                for statement in sql.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                if name == GRAMS_MIGRATION:
                    self._backfill_grams()
                self.db.execute(
                    "INSERT INTO migrations VALUES (?, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                    (name,),
                )

    def _backfill_grams(self) -> None:
        """The short-word index of the entries already there, from exactly the text the trigram
        index holds (so that ``_index`` can later remove each document token for token)."""
        rows = self.db.execute("SELECT rowid, title, text FROM entries_fts").fetchall()
        self.db.executemany(
            "INSERT INTO entries_grams (rowid, grams) VALUES (?, ?)",
            ((r, gram_doc((title, text))) for r, title, text in rows),
        )

    def migrations(self) -> list[tuple[str, str]]:
        return list(self.db.execute("SELECT name, applied_at FROM migrations ORDER BY name"))

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE: one writer at a time across processes (watcher + manual ingest)."""
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                if self.db.in_transaction:
                    self.db.execute("ROLLBACK")
                raise
            else:
                self.db.execute("COMMIT")
        except sqlite3.OperationalError as e:
            raise ledger_error(e, self.path) from e

    # ------------------------------------------------------------ events

    def head(self) -> tuple[int, str]:
        row = self.db.execute("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        return (row[0], row[1]) if row else (0, GENESIS)

    def append(self, events: Sequence[NewEvent], at: str) -> list[Event]:
        """Append events atomically (one transaction) and fold them into the derived tables."""
        with self.transaction():
            written = self.append_locked(events, at)
        self.write_head()
        return written

    def append_locked(self, events: Sequence[NewEvent], at: str) -> list[Event]:
        seq, prev = self.head()
        written = []
        for ev in events:
            seq += 1
            payload_json = canonical(ev.payload)
            h = event_hash(seq, ev.type, ev.entry_id, at, payload_json, prev)
            self.db.execute(
                "INSERT INTO events (seq, type, entry_id, at, payload, prev_hash, hash) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (seq, ev.type, ev.entry_id, at, payload_json, prev, h),
            )
            event = Event(seq, ev.type, ev.entry_id, at, ev.payload, prev, h)
            self._fold(event)
            written.append(event)
            prev = h
        return written

    def write_head(self) -> None:
        """Record the head outside the database. A head that lags behind (a failed write on a
        full disk, a kill between commit and here) is accepted by verify; one that runs ahead
        of the events is not. So a failure here is not an error for the command."""
        seq, h = self.head()
        data = canonical({"seq": seq, "hash": h})
        tmp = None
        try:
            fd, tmp = tempfile.mkstemp(dir=self.head_path.parent, prefix=".HEAD-")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.head_path)
        except OSError:
            if tmp is not None and os.path.exists(tmp):
                os.unlink(tmp)

    def read_head_file(self) -> tuple[int, str] | None:
        try:
            data = json.loads(self.head_path.read_text("utf-8"))
            return int(data["seq"]), str(data["hash"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def events(self) -> Iterator[Event]:
        for row in self.db.execute(
            "SELECT seq, type, entry_id, at, payload, prev_hash, hash FROM events ORDER BY seq"
        ):
            yield Event(row[0], row[1], row[2], row[3], json.loads(row[4]), row[5], row[6])

    def raw_events(self) -> Iterator[tuple[int, str, str, str, str, str, str]]:
        """Events exactly as stored, for verification (payload not re-serialised)."""
        yield from self.db.execute(
            "SELECT seq, type, entry_id, at, payload, prev_hash, hash FROM events ORDER BY seq"
        )

    def event_heads(self, from_seq: int = 0) -> Iterator[tuple[int, str, str]]:
        """``(seq, entry_id, hash)`` of the events from ``from_seq`` on, in order: what a
        reader that keeps its own copy needs to tell what changed since it last looked."""
        yield from self.db.execute(
            "SELECT seq, entry_id, hash FROM events WHERE seq >= ? ORDER BY seq", (from_seq,)
        )

    def event_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM events").fetchone()[0])

    # ------------------------------------------------------------ folding

    def _fold(self, ev: Event) -> None:
        p = ev.payload
        if ev.type == EventType.INGESTED:
            self.db.execute(
                "INSERT OR IGNORE INTO entries (id, sha256, kind, original_name, original_path, "
                "size, mime, occurred_at, occurred_at_source, occurred_sort, ingested_at, meta, "
                "auto_occurred_at, auto_occurred_at_source) "
                "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    ev.entry_id,
                    p["sha256"],
                    p["kind"],
                    p["original_name"],
                    p["path"],
                    p["size"],
                    p["mime"],
                    p.get("occurred_at"),
                    p.get("occurred_at_source", "unknown"),
                    sort_key(p.get("occurred_at")),
                    ev.at,
                    canonical(p.get("meta", {})),
                    p.get("occurred_at"),
                    p.get("occurred_at_source", "unknown"),
                ),
            )
            self._index(ev.entry_id)
            self._fold_sighting(p)
        elif ev.type == EventType.SIGHTED:
            self._fold_sighting(p)
        elif ev.type == EventType.ANALYZED:
            self._fold_analysis(ev.entry_id, p)
        elif ev.type == EventType.ANNOTATED:
            self._fold_annotation(ev.entry_id, p)

    def _fold_sighting(self, p: dict[str, Any]) -> None:
        if "mtime_ns" in p and "path" in p:
            self.db.execute(
                "INSERT OR REPLACE INTO sightings (path, size, mtime_ns, sha256) VALUES (?,?,?,?)",
                (p["path"], p["size"], p["mtime_ns"], p["sha256"]),
            )

    def _fold_analysis(self, entry_id: str, p: dict[str, Any]) -> None:
        row = self.db.execute(
            "SELECT occurred_at_source, kind FROM entries WHERE id=?", (entry_id,)
        ).fetchone()
        if row is None:
            return
        sets = {
            "text": p.get("text", ""),
            "lines": canonical(p.get("lines", [])),
            "messages": canonical(p.get("messages", [])),
            "extraction": canonical(p.get("extraction", {})),
            "analyzed": 1,
        }
        if p.get("kind") and row[1] != Kind.NOTE.value:
            sets["kind"] = p["kind"]
        content_date = p.get("content_date")
        if content_date:
            sets["auto_occurred_at"] = content_date
            sets["auto_occurred_at_source"] = "content"
            if row[0] not in USER_DATED:  # what the user said always wins
                sets["occurred_at"] = content_date
                sets["occurred_at_source"] = "content"
                sets["occurred_sort"] = sort_key(content_date)
        meta_extra = p.get("meta")
        if meta_extra:
            meta = json.loads(
                self.db.execute("SELECT meta FROM entries WHERE id=?", (entry_id,)).fetchone()[0]
            )
            meta.update(meta_extra)
            sets["meta"] = canonical(meta)
        cols = ", ".join(f"{k}=?" for k in sets)
        self.db.execute(f"UPDATE entries SET {cols} WHERE id=?", (*sets.values(), entry_id))
        self._write_amounts(entry_id, p.get("extraction", {}).get("amounts", []))
        self._index(entry_id)

    def _fold_annotation(self, entry_id: str, p: dict[str, Any]) -> None:
        sets: dict[str, Any] = {}
        if "title" in p:
            sets["title"] = p["title"] or None
        if "excluded" in p:
            sets["excluded"] = 1 if p["excluded"] else 0
        if "note" in p:
            sets["user_note"] = p["note"] or None
        if "occurred_at" in p:
            if p["occurred_at"]:
                sets["occurred_at"] = p["occurred_at"]
                sets["occurred_at_source"] = "user"
                sets["occurred_sort"] = sort_key(p["occurred_at"])
            else:  # cleared: back to what the kit found itself
                row = self.db.execute(
                    "SELECT auto_occurred_at, auto_occurred_at_source FROM entries WHERE id=?",
                    (entry_id,),
                ).fetchone()
                if row:
                    sets["occurred_at"], sets["occurred_at_source"] = row
                    sets["occurred_sort"] = sort_key(row[0])
        if "meta" in p and isinstance(p["meta"], dict):
            row = self.db.execute("SELECT meta FROM entries WHERE id=?", (entry_id,)).fetchone()
            if row:
                meta = json.loads(row[0])
                meta.update(p["meta"])
                sets["meta"] = canonical(meta)
        if "reviewed" in p and isinstance(p["reviewed"], dict):
            meta_now = json.loads(
                sets.get("meta")
                or self.db.execute("SELECT meta FROM entries WHERE id=?", (entry_id,)).fetchone()[0]
            )
            marks = dict(meta_now.get("reviewed") or {})
            marks.update(p["reviewed"])
            meta_now["reviewed"] = marks
            sets["meta"] = canonical(meta_now)
        if isinstance(p.get("amounts"), list):
            self._fold_amount_fixes(entry_id, p["amounts"], sets)
        if sets:
            cols = ", ".join(f"{k}=?" for k in sets)
            self.db.execute(f"UPDATE entries SET {cols} WHERE id=?", (*sets.values(), entry_id))
            if "occurred_sort" in sets:  # the amounts' copy of the date follows
                self.db.execute(
                    "UPDATE amounts SET occurred_sort=? WHERE entry_id=?",
                    (sets["occurred_sort"], entry_id),
                )
            self._index(entry_id)

    def _fold_amount_fixes(
        self, entry_id: str, fixes: list[dict[str, Any]], sets: dict[str, Any]
    ) -> None:
        """A person's reading of an amount replaces the kit's in the derived tables; the
        events keep both (the ``analyzed`` value and the ``annotated`` one)."""
        row = self.db.execute("SELECT extraction FROM entries WHERE id=?", (entry_id,)).fetchone()
        if row is None:
            return
        extraction = json.loads(row[0])
        amounts = extraction.get("amounts", [])
        for fix in fixes:
            i = fix.get("index")
            if isinstance(i, int) and 0 <= i < len(amounts):
                amounts[i]["value"] = str(fix["value"])
                amounts[i]["corrected_from"] = fix.get("was")
        sets["extraction"] = canonical(extraction)
        self._write_amounts(entry_id, amounts)

    def _write_amounts(self, entry_id: str, amounts: list[dict[str, Any]]) -> None:
        """The amounts table of one entry, from its extraction (values that are no number are
        left out of the range index; they stay in the event)."""
        self.db.execute("DELETE FROM amounts WHERE entry_id=?", (entry_id,))
        row = self.db.execute(
            "SELECT occurred_sort FROM entries WHERE id=?", (entry_id,)
        ).fetchone()
        occurred_sort = row[0] if row else None
        for a in amounts:
            try:
                value = float(Decimal(a["value"]))
            except (ArithmeticError, KeyError, TypeError, ValueError):
                continue
            self.db.execute(
                "INSERT INTO amounts (entry_id, value, value_text, label, text, start, "
                "occurred_sort) VALUES (?,?,?,?,?,?,?)",
                (
                    entry_id,
                    value,
                    a["value"],
                    a.get("label"),
                    a.get("text", ""),
                    a.get("start", 0),
                    occurred_sort,
                ),
            )

    def _index(self, entry_id: str) -> None:
        row = self.db.execute(
            "SELECT rowid, title, original_name, text, user_note FROM entries WHERE id=?",
            (entry_id,),
        ).fetchone()
        if row is None:
            return
        title = " ".join(x for x in (row[1], row[2]) if x)
        text = "\n".join(x for x in (row[3], row[4]) if x)
        # Keyed by the entry's rowid: `id` is UNINDEXED in FTS5, so deleting by it would scan
        # the whole index on every ingest (quadratic over a large ledger).
        old = self.db.execute(
            "SELECT title, text FROM entries_fts WHERE rowid=?", (row[0],)
        ).fetchone()
        if old is not None:
            if tuple(old) == (title, text):  # e.g. an exclusion or a date: nothing to re-index
                return
            self.db.execute("DELETE FROM entries_fts WHERE rowid=?", (row[0],))
        if old is not None and self.write_grams:
            # The short-word index keeps no content: a document is removed by giving its tokens
            # again, rebuilt from the text it was made from (the trigram row just deleted).
            self.db.execute(
                "INSERT INTO entries_grams (entries_grams, rowid, grams) VALUES ('delete', ?, ?)",
                (row[0], gram_doc(old)),
            )
        self.db.execute(
            "INSERT INTO entries_fts (rowid, id, title, text) VALUES (?,?,?,?)",
            (row[0], entry_id, title, text),
        )
        if self.write_grams:
            self.db.execute(
                "INSERT INTO entries_grams (rowid, grams) VALUES (?, ?)",
                (row[0], gram_doc((title, text))),
            )

    def derived_check(self) -> tuple[DerivedRows, DerivedRows]:
        """(what the derived tables would hold, folded afresh from the events; what they hold),
        per entry id and table, both read in one snapshot of the ledger. For verify."""
        self.db.execute("BEGIN")  # a read snapshot: a concurrent ingest changes neither side
        try:
            events = list(self.events())
            actual = self._derived_rows()
        finally:
            self.db.execute("COMMIT")
        # Only _fold runs on the fresh ledger, in memory: nothing appends, so no HEAD is written.
        fresh = Ledger(Path(":memory:"))
        fresh.write_grams = False
        try:
            with fresh.transaction():
                for ev in events:
                    fresh._fold(ev)
            return fresh._derived_rows(grams_from_text=True), actual
        finally:
            fresh.close()

    _DERIVED_ENTRY_COLUMNS = (
        "id, sha256, kind, original_name, original_path, size, mime, occurred_at, "
        "occurred_at_source, occurred_sort, ingested_at, title, excluded, user_note, text, lines, "
        "messages, extraction, meta, analyzed, auto_occurred_at, auto_occurred_at_source"
    )

    def _derived_rows(self, *, grams_from_text: bool = False) -> DerivedRows:
        """Per entry id, its rows in every derived table. ``grams_from_text``: the short-word
        index as its documents would be made from the trigram rows (what a fresh fold writes,
        without reading millions of tokens back out of the fresh index)."""
        out: DerivedRows = {}
        for row in self.db.execute(f"SELECT {self._DERIVED_ENTRY_COLUMNS} FROM entries"):
            out[row[0]] = {
                "entries": [tuple(row)],
                "amounts": [],
                "sightings": [],
                "search": [],
                "short-word search": [],
            }
        by_sha = {rows["entries"][0][1]: rows for rows in out.values()}
        for row in self.db.execute(
            "SELECT entry_id, value, value_text, label, text, start, occurred_sort FROM amounts"
        ):
            if row[0] in out:
                out[row[0]]["amounts"].append(tuple(row))
        for row in self.db.execute("SELECT path, size, mtime_ns, sha256 FROM sightings"):
            if row[3] in by_sha:
                by_sha[row[3]]["sightings"].append(tuple(row))
        for row in self.db.execute("SELECT id, title, text FROM entries_fts"):
            if row[0] in out:
                out[row[0]]["search"].append(tuple(row))
        by_rowid = dict(self.db.execute("SELECT rowid, id FROM entries"))
        digests = self._gram_digests_from_text() if grams_from_text else self._gram_digests()
        for rowid, digest in digests.items():
            eid = by_rowid.get(rowid)
            if eid in out:
                out[eid]["short-word search"].append(digest)
        for rows in out.values():
            for table in rows.values():
                table.sort(key=repr)
        return out

    def _gram_digests_from_text(self) -> dict[int, tuple[int, int]]:
        """What ``_gram_digests`` reads when every document was made from its trigram row."""
        out: dict[int, tuple[int, int]] = {}
        for rowid, title, text in self.db.execute("SELECT rowid, title, text FROM entries_fts"):
            tokens = gram_doc((title, text)).split()
            if tokens:  # an empty document leaves nothing in the index
                out[rowid] = (len(tokens), sum(map(hash, tokens)) & 0xFFFFFFFFFFFFFFFF)
        return out

    def _gram_digests(self) -> dict[int, tuple[int, int]]:
        """rowid → (how many grams, a sum of their hashes) in the short-word index: its
        content, compared without holding millions of tokens (both sides hash in this process,
        with its own random seed, so no one can aim a forged index at a collision)."""
        self.db.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.grams_vocab "
            "USING fts5vocab(main, entries_grams, instance)"
        )
        sums: dict[int, list[int]] = {}
        for doc, term in self.db.execute("SELECT doc, term FROM temp.grams_vocab"):
            acc = sums.get(doc)
            if acc is None:
                acc = sums[doc] = [0, 0]
            acc[0] += 1
            acc[1] = (acc[1] + hash(term)) & 0xFFFFFFFFFFFFFFFF
        return {doc: (n, h) for doc, (n, h) in sums.items()}

    def rebuild(self) -> int:
        """Drop and refold every derived table from the events. Returns events folded."""
        with self.transaction():
            for table in ("entries", "sightings", "amounts", "entries_fts"):
                self.db.execute(f"DELETE FROM {table}")
            self.db.execute("INSERT INTO entries_grams (entries_grams) VALUES ('delete-all')")
            n = 0
            for ev in list(self.events()):
                self._fold(ev)
                n += 1
        return n

    # ------------------------------------------------------------ queries

    def sighting(self, path: str) -> Sighting | None:
        row = self.db.execute(
            "SELECT path, size, mtime_ns, sha256 FROM sightings WHERE path=?", (path,)
        ).fetchone()
        return Sighting(*row) if row else None

    def has_entry(self, entry_id: str) -> bool:
        return (
            self.db.execute("SELECT 1 FROM entries WHERE id=?", (entry_id,)).fetchone() is not None
        )

    def resolve_id(self, prefix: str) -> str:
        """Accept any unique prefix of an entry id (at least 4 characters), like git."""
        prefix = prefix.strip().lower()
        if len(prefix) < 4:
            raise EntryNotFoundError(
                f"entry id '{prefix}' is too short", "give at least 4 characters of the id"
            )
        rows = self.db.execute(
            "SELECT id FROM entries WHERE id LIKE ? ESCAPE '\\' LIMIT 2",
            (prefix.replace("%", "\\%").replace("_", "\\_") + "%",),
        ).fetchall()
        if not rows:
            raise EntryNotFoundError(
                f"no entry with id '{prefix}'", "`evidence-kit search` lists the entries and ids"
            )
        if len(rows) > 1:
            raise EntryNotFoundError(
                f"entry id '{prefix}' is ambiguous", "type more characters of the id"
            )
        return str(rows[0][0])

    def get_entry(self, entry_id: str) -> Entry:
        row = self.db.execute(
            f"SELECT {ENTRY_COLUMNS} FROM entries WHERE id=?", (entry_id,)
        ).fetchone()
        if row is None:
            raise EntryNotFoundError(f"no entry with id '{entry_id}'")
        return row_to_entry(row)

    def entries(self, ids: Iterable[str] | None = None) -> list[Entry]:
        """Entries in time order (undated last), optionally only the given ids."""
        sql = f"SELECT {ENTRY_COLUMNS} FROM entries"
        params: list[Any] = []
        if ids is not None:
            wanted = list(ids)
            if not wanted:
                return []
            sql += f" WHERE id IN ({','.join('?' * len(wanted))})"
            params = wanted
        sql += " ORDER BY occurred_sort IS NULL, occurred_sort, ingested_at, id"
        return [row_to_entry(r) for r in self.db.execute(sql, params)]

    def pending_analysis(self) -> list[Entry]:
        rows = self.db.execute(f"SELECT {ENTRY_COLUMNS} FROM entries WHERE analyzed=0 ORDER BY id")
        return [row_to_entry(r) for r in rows]

    def entry_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM entries").fetchone()[0])

    def referenced_shas(self) -> dict[str, str]:
        """sha256 → entry id for every ingested event (from events, not derived tables)."""
        out: dict[str, str] = {}
        for row in self.db.execute(
            "SELECT entry_id, payload FROM events WHERE type=?", ("ingested",)
        ):
            try:
                out[json.loads(row[1])["sha256"]] = row[0]
            except (ValueError, KeyError):
                continue
        return out
