"""How events and entries are written down: canonical JSON, event hashes, rows to Entry."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

from evidence_kit.models import (
    Amount,
    Box,
    DateMention,
    DurationMention,
    Entity,
    Entry,
    Extraction,
    Kind,
    Message,
    OcrLine,
    RangeMention,
    Side,
)


def canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def event_hash(seq: int, type_: str, entry_id: str, at: str, payload_json: str, prev: str) -> str:
    body = canonical([seq, type_, entry_id, at, json.loads(payload_json), prev])
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def entry_id_for(sha256: str) -> str:
    """Entry ids are the first 12 hex digits of the original's SHA-256: stable and typeable."""
    return sha256[:12]


ENTRY_COLUMNS = (
    "id, sha256, kind, original_name, original_path, size, mime, occurred_at, "
    "occurred_at_source, ingested_at, title, excluded, user_note, text, lines, messages, "
    "extraction, meta, analyzed"
)


def sort_key(iso: str | None) -> str | None:
    """Sortable UTC-ish key: dates without a time sort at the start of their day."""
    if not iso:
        return None
    try:
        dt = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if dt.tzinfo is None:
        return dt.isoformat()
    return dt.astimezone(timezone.utc).replace(tzinfo=None).isoformat()


def row_to_entry(row: Sequence[Any]) -> Entry:
    return Entry(
        id=row[0],
        sha256=row[1],
        kind=Kind(row[2]),
        original_name=row[3],
        original_path=row[4],
        size=row[5],
        mime=row[6],
        occurred_at=row[7],
        occurred_at_source=row[8],
        ingested_at=row[9],
        title=row[10],
        excluded=bool(row[11]),
        user_note=row[12],
        text=row[13],
        lines=tuple(line_from_json(x) for x in json.loads(row[14])),
        messages=tuple(message_from_json(x) for x in json.loads(row[15])),
        extraction=extraction_from_json(json.loads(row[16])),
        meta=json.loads(row[17]),
        analyzed=bool(row[18]),
    )


def line_from_json(d: dict[str, Any]) -> OcrLine:
    return OcrLine(
        d["text"], Box(*d["box"]), float(d.get("confidence", 1.0)), int(d.get("page", 0))
    )


def message_from_json(d: dict[str, Any]) -> Message:
    box = Box(*d["box"]) if d.get("box") else None
    return Message(Side(d["side"]), d["text"], d.get("time"), box)


def _source_from_json(d: dict[str, Any]) -> tuple[float | None, Box | None, str | None]:
    """The optional confidence, box and role of an extracted value (absent in older events)."""
    conf = d.get("confidence")
    box = d.get("box")
    return (
        float(conf) if conf is not None else None,
        Box(*box) if box else None,
        d.get("role"),
    )


_ENTITY_KEYS = {
    "phones": "phone",
    "id_cards": "id_card",
    "bank_cards": "bank_card",
    "contract_numbers": "contract_no",
    "platforms": "platform",
    "companies": "company",
}


def extraction_from_json(d: dict[str, Any]) -> Extraction:
    amounts = tuple(
        Amount(
            Decimal(a["value"]),
            a.get("currency", "CNY"),
            a.get("label"),
            a["text"],
            a["start"],
            a["end"],
            *_source_from_json(a),
        )
        for a in d.get("amounts", [])
    )
    dates = tuple(
        DateMention(
            x["value"], x["text"], x["start"], x["end"], bool(x.get("deadline")),
            *_source_from_json(x),
        )
        for x in d.get("dates", [])
    )
    entities = []
    for key, kind in _ENTITY_KEYS.items():
        for e in d.get(key, []):
            entities.append(
                Entity(kind, e["value"], e["text"], e["start"], e["end"], bool(e.get("masked")))
            )
    entities.sort(key=lambda e: e.start)
    # Ranges and durations were written with every reading since they were added; an entry
    # read back without them lost its 3月1日至3月5日 (older events simply have none).
    ranges = tuple(
        RangeMention(
            r["start"], r["end"], r["text"], r["span"][0], r["span"][1], r.get("currency")
        )
        for r in d.get("ranges", [])
    )
    durations = tuple(
        DurationMention(x["value"], x["text"], x["span"][0], x["span"][1])
        for x in d.get("durations", [])
    )
    return Extraction(amounts, dates, tuple(entities), ranges, durations)
