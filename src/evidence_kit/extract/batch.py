"""``extract --batch``: JSONL in, JSONL out, one output line per input line, in order.

Input lines are ``{"id": ..., "text": "...", "reference": "2025-03-21T22:08:00" | null}``
(``reference`` may be absent; a date alone means midnight; a trailing ``Z`` is UTC). Output is
``{"id": ..., "amounts": [...], "dates": [...], ...}``; a line that cannot be used gives
``{"id": <id or null>, "error": "<plain message>"}`` and the batch goes on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from .pipeline import extract


class _BadLine(Exception):
    pass


def parse_reference(value: Any) -> datetime | None:
    """An ISO 8601 date or date-time (``Z`` allowed), or None for null/absent."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise _BadLine("reference must be an ISO 8601 string or null")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise _BadLine(f"reference is not an ISO 8601 date or date-time: {value!r}") from None


def process_line(line: str) -> dict[str, Any]:
    """The output object for one input line (never raises)."""
    item_id: Any = None
    try:
        if not line.strip():
            raise _BadLine("empty line")
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            raise _BadLine(f"not valid JSON: {e.msg} at column {e.colno}") from None
        if not isinstance(obj, dict):
            raise _BadLine("each line must be a JSON object with id and text")
        item_id = obj.get("id")
        text = obj.get("text")
        if not isinstance(text, str):
            raise _BadLine("text is missing or not a string")
        reference = parse_reference(obj.get("reference"))
        return {"id": item_id, **extract(text, reference=reference).to_json()}
    except _BadLine as e:
        return {"id": item_id, "error": str(e)}
    except Exception as e:  # a bug must not stop the other lines; report it on this one
        return {"id": item_id, "error": f"internal error: {type(e).__name__}: {e}"}


def run_batch(lines: Iterable[str]) -> Iterator[str]:
    """One JSON line (without newline) per input line, in order."""
    for line in lines:
        yield json.dumps(process_line(line), ensure_ascii=False)
