"""Call and visit notes: what was said on the phone, recorded as evidence like any file.

The note is rendered to a short UTF-8 text (the structured fields as a header, then what was
said), stored content-addressed and hashed into the ledger with an ``ingested`` event of kind
``note``. The fields also go into the entry's ``meta`` under fixed names that the conduct and
negotiation analysis read: ``channel``, ``counterpart``, ``staff_id``, ``phone``, ``direction``,
``answered``, ``third_party``, ``agreed``, ``my_proposal``, ``their_proposal``,
``written_confirmation``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from evidence_kit.case import Case
from evidence_kit.errors import UsageError
from evidence_kit.intake.annotate import parse_user_datetime
from evidence_kit.intake.dating import parse_offset
from evidence_kit.intake.ingest import Analyzer
from evidence_kit.ledger.events import EventType, Ledger, NewEvent, entry_id_for
from evidence_kit.ledger.store import Store
from evidence_kit.models import Entry, Kind


class Channel(str, Enum):
    PHONE = "phone"
    APP = "app"
    SMS = "sms"
    WECHAT = "wechat"
    VISIT = "visit"
    OTHER = "other"


CHANNEL_ZH = {
    Channel.PHONE: "电话",
    Channel.APP: "App内客服",
    Channel.SMS: "短信",
    Channel.WECHAT: "微信",
    Channel.VISIT: "上门",
    Channel.OTHER: "其他",
}


@dataclass(frozen=True)
class NoteFields:
    """What the user tells about one call or visit. Only ``text`` is required."""

    text: str
    at: str | None = None  # user text like "2025-03-10 14:20"; None: now
    channel: Channel = Channel.PHONE
    counterpart: str | None = None  # a name, a company, "自称分期乐催收"
    staff_id: str | None = None
    phone: str | None = None
    direction: str | None = None  # "in": they contacted me; "out": I contacted them
    answered: bool | None = None
    third_party: bool = False  # they contacted someone else (family, employer) about the debt
    agreed: str | None = None
    my_proposal: str | None = None
    their_proposal: str | None = None
    confirmation: str | None = None  # id (prefix) of the entry confirming the agreement in writing


@dataclass(frozen=True)
class NoteResult:
    entry: Entry
    created: bool  # False: the very same note (same bytes) was already recorded


def render_note(fields: NoteFields, occurred_at: str) -> str:
    """The stored text: a header of the structured fields, then what was said (zh-CN)."""
    when = occurred_at[:16].replace("T", " ")
    rows = [("时间", when), ("渠道", CHANNEL_ZH[fields.channel])]
    if fields.direction:
        rows.append(("方向", "对方联系我" if fields.direction == "in" else "我联系对方"))
    if fields.answered is not None:
        rows.append(("接通", "已接通" if fields.answered else "未接通"))
    if fields.counterpart:
        rows.append(("对方", fields.counterpart))
    if fields.staff_id:
        rows.append(("工号", fields.staff_id))
    if fields.phone:
        rows.append(("电话", fields.phone))
    if fields.third_party:
        rows.append(("联系第三人", "是"))
    if fields.their_proposal:
        rows.append(("对方方案", fields.their_proposal))
    if fields.my_proposal:
        rows.append(("我方方案", fields.my_proposal))
    if fields.agreed:
        rows.append(("约定", fields.agreed))
    if fields.confirmation:
        rows.append(("书面确认", f"见证据 {fields.confirmation}"))
    head = "\n".join(f"{k}：{v}" for k, v in rows)
    title = "上门记录" if fields.channel is Channel.VISIT else "通话记录"
    return f"{title}\n{head}\n内容：\n{fields.text.strip()}\n"


def note_meta(fields: NoteFields, confirmation_id: str | None) -> dict[str, Any]:
    return {
        "encoding": "utf-8",
        "channel": fields.channel.value,
        "counterpart": fields.counterpart,
        "staff_id": fields.staff_id,
        "phone": fields.phone,
        "direction": fields.direction,
        "answered": fields.answered,
        "third_party": fields.third_party,
        "agreed": fields.agreed,
        "my_proposal": fields.my_proposal,
        "their_proposal": fields.their_proposal,
        "written_confirmation": confirmation_id,
    }


def note_name(occurred_at: str) -> str:
    """``note-2025-03-10-1420.txt``"""
    day, _, clock = occurred_at.partition("T")
    return f"note-{day}-{clock[:5].replace(':', '')}.txt" if clock else f"note-{day}.txt"


def record_note(
    case: Case,
    ledger: Ledger,
    fields: NoteFields,
    *,
    now: datetime,
    analyzer: Analyzer | None = None,
) -> NoteResult:
    """Store the note and record it in the ledger; analyse it when an analyzer is given.

    ``now`` (aware) is the note's time when ``fields.at`` is empty, and the ingest time.
    """
    text = fields.text.strip()
    if not text:
        raise UsageError("the note is empty", "write what was said, e.g. evidence-kit note '…'")
    if fields.direction not in (None, "in", "out"):
        raise UsageError(f"unknown direction '{fields.direction}'", "use in or out")
    offset = case.utc_offset()
    if fields.at and fields.at.strip():
        occurred_at = parse_user_datetime(fields.at, offset)
    else:
        occurred_at = now.astimezone(parse_offset(offset)).isoformat(timespec="seconds")
    # The time written down with the note; like a user's correction, content dates never
    # override it (see ledger._fold_analysis).
    source = "note"
    confirmation_id = ledger.resolve_id(fields.confirmation) if fields.confirmation else None
    shown = NoteFields(**{**fields.__dict__, "confirmation": confirmation_id})
    body = render_note(shown, occurred_at).encode("utf-8")
    stored = Store(case.objects_dir).put_bytes(body)
    entry_id = entry_id_for(stored.sha256)
    name = note_name(occurred_at)
    payload = {
        "sha256": stored.sha256,
        "path": name,
        "size": stored.size,
        "kind": Kind.NOTE.value,
        "mime": "text/plain",
        "original_name": name,
        "occurred_at": occurred_at,
        "occurred_at_source": source,
        "meta": note_meta(fields, confirmation_id),
    }
    at = now.isoformat(timespec="seconds")
    with ledger.transaction():
        created = not ledger.has_entry(entry_id)
        if created:
            ledger.append_locked([NewEvent(EventType.INGESTED, entry_id, payload)], at)
    ledger.write_head()
    if created and analyzer is not None:
        from evidence_kit.intake.ingest import Ingester

        Ingester(case, ledger, clock=lambda: now, analyzer=analyzer).analyze_pending()
    elif created:
        # No OCR/extraction installed: still make the note's words searchable.
        ledger.append(
            [NewEvent(EventType.ANALYZED, entry_id, text_only_analysis(body.decode("utf-8")))],
            at,
        )
    return NoteResult(ledger.get_entry(entry_id), created)


def text_only_analysis(text: str) -> dict[str, Any]:
    """An ``analyzed`` payload with the text and, if the extractor is there, its amounts."""
    amounts: list[dict[str, Any]] = []
    try:
        from evidence_kit.extract import extract_amounts

        amounts = [a.to_json() for a in extract_amounts(text)]
    except ImportError:
        pass
    return {"text": text, "extraction": {"amounts": amounts}, "engine": "note-text"}
