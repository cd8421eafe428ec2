"""One entry as JSON (``show``), and the whole ledger as CSV or JSON (``export``).

CSV starts with a UTF-8 byte-order mark: without it Excel on Windows reads the file as the
local code page and the Chinese comes out garbled.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from typing import Any, TextIO

from evidence_kit.models import Entry

BOM = "\ufeff"

CSV_COLUMNS = (
    "id",
    "kind",
    "occurred_at",
    "occurred_at_source",
    "ingested_at",
    "title",
    "original_name",
    "original_path",
    "sha256",
    "size",
    "mime",
    "excluded",
    "amounts",
    "dates",
    "note",
    "meta",
    "text",
)


_NOT_ENTITIES = ("amounts", "dates", "ranges", "durations")


def entry_to_json(entry: Entry) -> dict[str, Any]:
    """The ``show --json`` shape (see the CLI contract)."""
    ex = entry.extraction.to_json()
    return {
        "id": entry.id,
        "kind": entry.kind.value,
        "title": entry.display_title,
        "sha256": entry.sha256,
        "original_name": entry.original_name,
        "original_path": entry.original_path,
        "size": entry.size,
        "mime": entry.mime,
        "occurred_at": entry.occurred_at,
        "occurred_at_source": entry.occurred_at_source,
        "ingested_at": entry.ingested_at,
        "excluded": entry.excluded,
        "note": entry.user_note,
        "analyzed": entry.analyzed,
        "text": entry.text,
        "amounts": ex["amounts"],
        "dates": ex["dates"],
        # Spans of time (3月1日至3月5日) and lengths (逾期15天): never counted as dates.
        "ranges": ex["ranges"],
        "durations": ex["durations"],
        "entities": {k: v for k, v in ex.items() if k not in _NOT_ENTITIES and v},
        "messages": [
            {"side": m.side.value, "time": m.time, "text": m.text} for m in entry.messages
        ],
        "meta": entry.meta,
    }


def _amounts_cell(entry: Entry) -> str:
    return "; ".join(
        f"{a.label}:{a.value}" if a.label else str(a.value) for a in entry.extraction.amounts
    )


def csv_row(entry: Entry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "kind": entry.kind.value,
        "occurred_at": entry.occurred_at or "",
        "occurred_at_source": entry.occurred_at_source,
        "ingested_at": entry.ingested_at,
        "title": entry.display_title,
        "original_name": entry.original_name,
        "original_path": entry.original_path,
        "sha256": entry.sha256,
        "size": entry.size,
        "mime": entry.mime,
        "excluded": "yes" if entry.excluded else "",
        "amounts": _amounts_cell(entry),
        "dates": "; ".join(d.value for d in entry.extraction.dates),
        "note": entry.user_note or "",
        "meta": json.dumps(entry.meta, ensure_ascii=False, sort_keys=True) if entry.meta else "",
        "text": entry.text,
    }


def write_csv(entries: Iterable[Entry], out: TextIO, *, bom: bool = True) -> int:
    """Write one row per entry; returns the number of rows. ``out`` should use newline=""."""
    if bom:
        out.write(BOM)
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    n = 0
    for entry in entries:
        writer.writerow(csv_row(entry))
        n += 1
    return n


def export_json(entries: Iterable[Entry], head: tuple[int, str]) -> dict[str, Any]:
    return {
        "ledger_head": {"seq": head[0], "hash": head[1]},
        "entries": [entry_to_json(e) for e in entries],
    }
