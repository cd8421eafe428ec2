"""The ledger's schema: named migrations, applied in order and recorded with their time."""

from __future__ import annotations

# The migration that creates the short-word index; ``Ledger`` fills it for the entries already
# there (in Python, in the same transaction), so an old ledger is searchable at once.
GRAMS_MIGRATION = "0115_search_grams"

# Named migrations, applied in order and recorded with their time. Never edit a shipped one.
MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_events",
        """
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY,
            type TEXT NOT NULL,
            entry_id TEXT NOT NULL,
            at TEXT NOT NULL,
            payload TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE
        );
        CREATE INDEX events_entry ON events(entry_id);
        """,
    ),
    (
        "0002_derived",
        """
        CREATE TABLE entries (
            id TEXT PRIMARY KEY,
            sha256 TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            original_name TEXT NOT NULL,
            original_path TEXT NOT NULL,
            size INTEGER NOT NULL,
            mime TEXT NOT NULL,
            occurred_at TEXT,
            occurred_at_source TEXT NOT NULL,
            occurred_sort TEXT,
            ingested_at TEXT NOT NULL,
            title TEXT,
            excluded INTEGER NOT NULL DEFAULT 0,
            user_note TEXT,
            text TEXT NOT NULL DEFAULT '',
            lines TEXT NOT NULL DEFAULT '[]',
            messages TEXT NOT NULL DEFAULT '[]',
            extraction TEXT NOT NULL DEFAULT '{}',
            meta TEXT NOT NULL DEFAULT '{}',
            analyzed INTEGER NOT NULL DEFAULT 0,
            auto_occurred_at TEXT,
            auto_occurred_at_source TEXT
        );
        CREATE INDEX entries_occurred ON entries(occurred_sort);
        CREATE INDEX entries_kind ON entries(kind);
        CREATE TABLE sightings (
            path TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            sha256 TEXT NOT NULL
        );
        CREATE TABLE amounts (
            entry_id TEXT NOT NULL,
            value REAL NOT NULL,
            value_text TEXT NOT NULL,
            label TEXT,
            text TEXT NOT NULL,
            start INTEGER NOT NULL
        );
        CREATE INDEX amounts_value ON amounts(value, entry_id);
        CREATE INDEX amounts_entry ON amounts(entry_id);
        CREATE VIRTUAL TABLE entries_fts USING fts5(
            id UNINDEXED, title, text, tokenize = 'trigram'
        );
        """,
    ),
    (
        # search engineer: amount filters checked per candidate entry read only this index
        "0101_search_amounts_entry_value",
        """
        CREATE INDEX amounts_entry_value ON amounts(entry_id, value, label);
        """,
    ),
    (
        # search paging: the result order as an index, so a page of a common word stops after
        # reading about a page's worth of rows instead of sorting every match
        "0113_search_result_order",
        """
        CREATE INDEX entries_result_order
            ON entries(occurred_sort IS NULL, occurred_sort, ingested_at, id);
        """,
    ),
    (
        # search: each amount carries its entry's date, so a date range and an amount range are
        # one scan of one covering index (the narrower of the two orders), with no entry row
        # read per candidate. The old value index is a prefix of the new one.
        "0114_search_amount_dates",
        """
        ALTER TABLE amounts ADD COLUMN occurred_sort TEXT;
        UPDATE amounts SET occurred_sort =
            (SELECT e.occurred_sort FROM entries e WHERE e.id = amounts.entry_id);
        CREATE INDEX amounts_value_date ON amounts(value, occurred_sort, label, entry_id);
        CREATE INDEX amounts_date_value ON amounts(occurred_sort, value, label, entry_id);
        DROP INDEX amounts_value;
        """,
    ),
    (
        # search: 1- and 2-character words (see ledger/grams.py). Contentless and without
        # positions: only which entries hold a gram, a few bytes per entry and gram.
        GRAMS_MIGRATION,
        """
        CREATE VIRTUAL TABLE entries_grams USING fts5(
            grams, content = '', detail = none, columnsize = 0, tokenize = 'ascii'
        );
        """,
    ),
]
