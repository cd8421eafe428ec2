"""Data classes that flow between the stages (ingest → OCR → extract → ledger → search → bundle).

They are frozen and JSON-friendly: ``to_json()`` gives the shape of the CLI contract
(``../shared/design.md``), with Decimals and datetimes as strings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any


class Kind(str, Enum):
    CHAT = "chat"
    BILL = "bill"
    NOTE = "note"
    RECORDING = "recording"
    DOCUMENT = "document"


class Side(str, Enum):
    THEM = "them"
    ME = "me"
    SYSTEM = "system"  # a centred row: time divider, recall notice, "以下为新消息"


# ---------------------------------------------------------------- OCR


@dataclass(frozen=True)
class Box:
    """Axis-aligned box in image pixels (x0, y0) top-left, (x1, y1) bottom-right."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    def overlaps(self, other: Box) -> bool:
        """Whether the two boxes share any area."""
        x = self.x0 < other.x1 and other.x0 < self.x1
        return x and self.y0 < other.y1 and other.y0 < self.y1

    def x_overlap(self, other: Box) -> float:
        """How much of their widths the two share (negative: the gap between them)."""
        return min(self.x1, other.x1) - max(self.x0, other.x0)

    def to_json(self) -> list[float]:
        return [round(self.x0, 1), round(self.y0, 1), round(self.x1, 1), round(self.y1, 1)]


@dataclass(frozen=True)
class OcrLine:
    text: str
    box: Box
    confidence: float
    page: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "box": self.box.to_json(),
            "confidence": round(self.confidence, 3),
            "page": self.page,
        }


@dataclass(frozen=True)
class OcrFrame:
    """The engine's own view of a straightened photo or scan: the image it read (the photo
    warped to the screen's or page's outline) and where each line lies on it. The layout
    reads a photographed chat there, where its columns are straight."""

    matrix: tuple[tuple[float, ...], ...]  # original -> engine input (3×3)
    width: int
    height: int
    boxes: tuple[Box, ...]  # one per line of the result, on the engine's input
    # The screen's or page's outline on the engine's input, when the photo was cut to it
    # (a margin of desk is left around it); None: the whole canvas is the content.
    outline: Box | None = None


@dataclass(frozen=True)
class OcrResult:
    """What an engine read from one image (or all pages of one PDF), in reading order."""

    lines: tuple[OcrLine, ...]
    width: int
    height: int
    engine: str
    source: str = "ocr"  # "ocr" or "text-layer" (PDF text read directly)
    frame: OcrFrame | None = None  # set when the engine read a straightened copy

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


# ---------------------------------------------------------------- extraction


@dataclass(frozen=True)
class Amount:
    value: Decimal
    currency: str
    label: str | None
    text: str
    start: int
    end: int
    # Where it was read (layout stage): OCR confidence, box on the original image, line role.
    confidence: float | None = None
    box: Box | None = None
    role: str | None = None

    def to_json(self) -> dict[str, Any]:
        out = {
            "value": str(self.value),
            "currency": self.currency,
            "label": self.label,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }
        return _with_source(out, self.confidence, self.box, self.role)


@dataclass(frozen=True)
class DateMention:
    """A date or date-time found in text. ``value`` is ISO 8601 at the precision the text gives:
    ``2025-03-21``, ``2025-03-21T22:08:00``; ``is_deadline`` for ``3月5日前``."""

    value: str
    text: str
    start: int
    end: int
    is_deadline: bool = False
    confidence: float | None = None
    box: Box | None = None
    role: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "value": self.value,
            "text": self.text,
            "start": self.start,
            "end": self.end,
        }
        if self.is_deadline:
            out["deadline"] = True
        return _with_source(out, self.confidence, self.box, self.role)


def _with_source(
    out: dict[str, Any], confidence: float | None, box: Box | None, role: str | None
) -> dict[str, Any]:
    """The optional where-it-was-read keys, present only when known (older outputs unchanged)."""
    if confidence is not None:
        out["confidence"] = round(confidence, 3)
    if box is not None:
        out["box"] = box.to_json()
    if role is not None:
        out["role"] = role
    return out


@dataclass(frozen=True)
class Entity:
    """A phone, ID-card, bank-card or contract number, or a platform/company name."""

    kind: str  # phone | id_card | bank_card | contract_no | platform | company
    value: str
    text: str
    start: int
    end: int
    masked: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "value": self.value,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "masked": self.masked,
        }


@dataclass(frozen=True)
class RangeMention:
    """Two dates written as one span of time (``3月1日至3月5日``), never counted as two dates;
    or, with ``currency``, two amounts (``1000-2000元``), counted as no single amount.
    ``first``/``last`` are ISO 8601 like ``DateMention.value``."""

    first: str
    last: str
    text: str
    start: int
    end: int
    currency: str | None = None  # set for a money range (1000-2000元); values are then amounts

    def to_json(self) -> dict[str, Any]:
        # The contract's shape: start/end are the range's values; span gives the offsets.
        out: dict[str, Any] = {
            "kind": "range",
            "start": self.first,
            "end": self.last,
            "text": self.text,
            "span": [self.start, self.end],
        }
        if self.currency is not None:
            out["currency"] = self.currency
        return out


@dataclass(frozen=True)
class DurationMention:
    """A length of time (``逾期15天``, ``3天内``): not a date. ``value`` is ISO 8601 (P15D)."""

    value: str
    text: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": "duration",
            "value": self.value,
            "text": self.text,
            "span": [self.start, self.end],
        }


@dataclass(frozen=True)
class Extraction:
    amounts: tuple[Amount, ...] = ()
    dates: tuple[DateMention, ...] = ()
    entities: tuple[Entity, ...] = ()
    ranges: tuple[RangeMention, ...] = ()
    durations: tuple[DurationMention, ...] = ()

    def to_json(self) -> dict[str, Any]:
        def of(kind: str) -> list[dict[str, Any]]:
            return [e.to_json() for e in self.entities if e.kind == kind]

        return {
            "amounts": [a.to_json() for a in self.amounts],
            "dates": [d.to_json() for d in self.dates],
            "phones": of("phone"),
            "id_cards": of("id_card"),
            "bank_cards": of("bank_card"),
            "contract_numbers": of("contract_no"),
            "platforms": of("platform"),
            "companies": of("company"),
            "ranges": [r.to_json() for r in self.ranges],
            "durations": [d.to_json() for d in self.durations],
        }


@dataclass(frozen=True)
class Message:
    """One chat bubble."""

    side: Side
    text: str
    time: str | None = None  # ISO 8601 at the precision known
    box: Box | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "side": self.side.value,
            "time": self.time,
            "text": self.text,
            "box": self.box.to_json() if self.box else None,
        }


@dataclass(frozen=True)
class Analysis:
    """Everything the kit derives from one stored original's content."""

    text: str
    lines: tuple[OcrLine, ...] = ()
    messages: tuple[Message, ...] = ()
    extraction: Extraction = field(default_factory=Extraction)
    content_date: str | None = None  # ISO; when the content itself dates the item
    kind_hint: Kind | None = None  # e.g. an image that reads like a bill
    engine: str | None = None
    warnings: tuple[str, ...] = ()
    screen: str | None = None  # layout's screen type, recorded as entry.meta["screen"]


@dataclass(frozen=True)
class Entry:
    """One piece of evidence as the ledger knows it now (events folded, corrections applied).

    ``occurred_at`` is when the thing happened (ISO 8601 with offset, or a bare date), and
    ``occurred_at_source`` what said so: content | exif | filename | pdf-metadata | mtime | user.
    ``meta`` holds kind-specific facts: ``duration_s`` for recordings, ``pages`` for PDFs,
    ``width``/``height`` for images, ``channel``/``counterpart``/``agreed`` for notes.
    """

    id: str
    sha256: str
    kind: Kind
    original_name: str
    original_path: str  # where it was first seen, relative to the case folder
    size: int
    mime: str
    occurred_at: str | None
    occurred_at_source: str
    ingested_at: str
    title: str | None = None
    excluded: bool = False
    user_note: str | None = None
    text: str = ""
    lines: tuple[OcrLine, ...] = ()
    messages: tuple[Message, ...] = ()
    extraction: Extraction = field(default_factory=Extraction)
    meta: dict[str, Any] = field(default_factory=dict)
    analyzed: bool = False

    @property
    def display_title(self) -> str:
        return self.title or self.original_name
