"""OCR results on disk, keyed by content hash + engine + engine version + settings.

The cache is derived data: a missing, unreadable or corrupt entry is a miss, never an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evidence_kit.models import Box, OcrFrame, OcrLine, OcrResult

_FORMAT = 1


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    writes: int = 0


def cache_key(sha256: str, engine_name: str, engine_version: str, settings_key: str) -> str:
    material = json.dumps([_FORMAT, sha256, engine_name, engine_version, settings_key])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


class OcrCache:
    def __init__(self, directory: Path | str) -> None:
        self.dir = Path(directory)
        self.stats = CacheStats()

    def _path(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.json"

    def get(self, key: str) -> OcrResult | None:
        try:
            data = json.loads(self._path(key).read_text("utf-8"))
            result = result_from_json(data)
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            self.stats.misses += 1
            return None
        self.stats.hits += 1
        return result

    def put(self, key: str, result: OcrResult) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = json.dumps(result_to_json(result), ensure_ascii=False)
        # temp file + rename: a reader (or a crash) never sees half an entry.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(payload)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.stats.writes += 1


def result_to_json(result: OcrResult) -> dict[str, Any]:
    return {
        "format": _FORMAT,
        "width": result.width,
        "height": result.height,
        "engine": result.engine,
        "source": result.source,
        # Full precision (not OcrLine.to_json, which rounds): a hit equals the fresh result.
        "lines": [
            {
                "text": line.text,
                "box": [line.box.x0, line.box.y0, line.box.x1, line.box.y1],
                "confidence": line.confidence,
                "page": line.page,
            }
            for line in result.lines
        ],
        **({"frame": _frame_to_json(result.frame)} if result.frame is not None else {}),
    }


def _frame_to_json(frame: OcrFrame) -> dict[str, Any]:
    return {
        "matrix": [list(row) for row in frame.matrix],
        "width": frame.width,
        "height": frame.height,
        "boxes": [[b.x0, b.y0, b.x1, b.y1] for b in frame.boxes],
        "outline": None if (o := frame.outline) is None else [o.x0, o.y0, o.x1, o.y1],
    }


def _frame_from_json(data: dict[str, Any] | None, lines: int) -> OcrFrame | None:
    if data is None:
        return None
    boxes = tuple(Box(*(float(v) for v in b)) for b in data["boxes"])
    if len(boxes) != lines:
        raise ValueError("frame boxes do not match the lines")
    return OcrFrame(
        matrix=tuple(tuple(float(v) for v in row) for row in data["matrix"]),
        width=int(data["width"]),
        height=int(data["height"]),
        boxes=boxes,
        outline=None if data.get("outline") is None else Box(*map(float, data["outline"])),
    )


def result_from_json(data: dict[str, Any]) -> OcrResult:
    if data.get("format") != _FORMAT:
        raise ValueError("unknown cache format")
    lines = tuple(
        OcrLine(
            text=str(line["text"]),
            box=Box(*(float(v) for v in line["box"])),
            confidence=float(line["confidence"]),
            page=int(line.get("page", 0)),
        )
        for line in data["lines"]
    )
    return OcrResult(
        lines=lines,
        width=int(data["width"]),
        height=int(data["height"]),
        engine=str(data["engine"]),
        source=str(data.get("source", "ocr")),
        frame=_frame_from_json(data.get("frame"), len(lines)),
    )
