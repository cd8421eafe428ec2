"""The negotiation record (协商记录, facts file §7) read from notes, and the check that
every agreement has a written confirmation.

A note is a negotiation record when its meta holds any of: ``staff_id``, ``my_proposal``,
``their_proposal``, ``agreed``, ``agreed_terms``, ``written_confirmation`` or
``negotiation = true``. ``agreed`` is the agreed terms as text (or true with the text in
``agreed_terms``); ``written_confirmation`` is the entry id of the in-app message, SMS,
e-mail or signed PDF that confirms them ("" or "none" when there is none). Structured terms for
plan tracking: ``agreed_first_due``, ``agreed_instalments``, ``agreed_amount``,
``agreed_day_of_month``.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from evidence_kit.analysis.contacts import parse_when
from evidence_kit.analysis.loan import parse_amount, parse_date, parse_int
from evidence_kit.analysis.plan import Agreement
from evidence_kit.errors import ConfigError
from evidence_kit.models import Entry, Kind

_KEYS = (
    "staff_id",
    "my_proposal",
    "their_proposal",
    "agreed",
    "agreed_terms",
    "written_confirmation",
    "negotiation",
    "agreed_first_due",
)
_NONE = {"", "none", "无", "没有", "否", "no"}
_NOTHING = re.compile(r"(?:无|没有|未达成|none|no)(?:[。.，,；;\s(（]|$)", re.IGNORECASE)


@dataclass(frozen=True)
class NegotiationRecord:
    entry_id: str
    at: datetime | None
    channel: str
    direction: str
    counterpart: str | None  # number or account
    counterpart_org: str | None  # platform, lender of record, guarantor, collector
    staff_id: str | None  # "拒绝提供" is itself a fact
    my_proposal: str
    their_proposal: str
    agreed_terms: str  # "" when nothing was agreed
    written_confirmation: str | None  # entry id
    recording: str | None  # entry id
    follow_up: str
    text: str
    agreement: Agreement | None = None
    agreement_error: str | None = None  # structured terms that could not be read

    @property
    def agreed(self) -> bool:
        return bool(self.agreed_terms)

    def to_json(self) -> dict[str, Any]:
        return {
            "entry_id": self.entry_id,
            "at": self.at.isoformat() if self.at else None,
            "channel": self.channel,
            "direction": self.direction,
            "counterpart": self.counterpart,
            "counterpart_org": self.counterpart_org,
            "staff_id": self.staff_id,
            "my_proposal": self.my_proposal,
            "their_proposal": self.their_proposal,
            "agreed_terms": self.agreed_terms,
            "written_confirmation": self.written_confirmation,
            "recording": self.recording,
            "follow_up": self.follow_up,
            "agreement_error": self.agreement_error,
            "agreement": None
            if self.agreement is None
            else {
                "first_due": self.agreement.first_due.isoformat(),
                "instalments": self.agreement.instalments,
                "amount": str(self.agreement.amount),
            },
        }


def _text(meta: Mapping[str, Any], key: str) -> str:
    value = meta.get(key)
    return "" if value is None or isinstance(value, bool) else str(value).strip()


def _ref(meta: Mapping[str, Any], key: str) -> str | None:
    value = _text(meta, key)
    return None if value.lower() in _NONE else value


def agreement_from(fields: Mapping[str, Any], prefix: str, agreed_on: date | None) -> Agreement:
    """An Agreement from ``first_due``/``instalments``/``amount``/``day_of_month`` keys
    (named ``{prefix}first_due`` …), errors naming the key."""

    def key(name: str) -> str:
        return f"{prefix}{name}"

    where = "agreement." if not prefix else f"note meta {prefix}"
    for name in ("first_due", "instalments", "amount"):
        if fields.get(key(name)) in (None, ""):
            raise ConfigError(
                f"{where}{name} is empty", "an agreement needs first_due, instalments and amount"
            )
    day = fields.get(key("day_of_month"))
    last = fields.get(key("last_amount"))
    own_date = fields.get(key("agreed_on"))
    return Agreement(
        first_due=parse_date(fields[key("first_due")], f"{where}first_due"),
        instalments=parse_int(fields[key("instalments")], f"{where}instalments"),
        amount=parse_amount(fields[key("amount")], f"{where}amount", allow_zero=False),
        day_of_month=None if day in (None, "", 0) else parse_int(day, f"{where}day_of_month"),
        agreed_on=parse_date(own_date, f"{where}agreed_on") if own_date else agreed_on,
        last_amount=None if last in (None, "") else parse_amount(last, f"{where}last_amount"),
    )


_TEXT_FIELDS = (
    ("agreed", r"约定"),
    ("my_proposal", r"我方方案"),
    ("their_proposal", r"对方方案"),
    ("staff_id", r"工号"),
)


# Each pattern of text_fields starts with one of these words: a note holding none of them
# (most call notes) has no such facts, found without running the patterns.
_FIELD_WORDS = (*(label for _key, label in _TEXT_FIELDS), "渠道", "书面确认")


def text_fields(text: str) -> dict[str, str]:
    """Negotiation facts written as lines of a plain-text note: "约定：…", "工号 C1024"."""
    out: dict[str, str] = {}
    if not any(word in text for word in _FIELD_WORDS):
        return out
    for key, label in _TEXT_FIELDS:
        m = re.search(label + r"[：:\s]\s*([^\n，,。]*)", text)
        if m and m[1].strip():
            out[key] = m[1].strip() if key != "agreed" else _first_line(text, m.start(1))
    m = re.search(r"渠道[：:]\s*([^\s（(，,]+)", text)
    if m:
        out["channel"] = m[1]
    m = re.search(r"书面确认[：:]\s*(?:见证据\s*)?([0-9a-fA-F]{6,64})", text)
    if m:
        out["written_confirmation"] = m[1]
    return out


def _first_line(text: str, start: int) -> str:
    end = text.find("\n", start)
    return text[start : end if end >= 0 else len(text)].strip()


def records_from_entries(entries: Iterable[Entry]) -> list[NegotiationRecord]:
    out = []
    for entry in entries:
        meta = entry.meta
        if entry.excluded or entry.kind is not Kind.NOTE:
            continue
        # `evidence-kit note` stores every key (None when not given); a note typed as a plain
        # file has the same facts as "约定：…" / "工号 C1024" lines in its text.
        meta = {**text_fields(entry.text), **{k: v for k, v in meta.items() if v not in (None, "")}}
        if not any(meta.get(k) not in (None, "", False) for k in _KEYS):
            continue
        when = parse_when(entry.occurred_at)
        agreed = meta.get("agreed")
        terms = _text(meta, "agreed_terms") if agreed is True else _text(meta, "agreed")
        if agreed is True and not terms:
            terms = "（已达成一致，条款未记录）"
        if terms.lower() in _NONE or _NOTHING.match(terms):
            terms = ""
        agreement = None
        problem = None
        if meta.get("agreed_first_due"):
            try:
                agreement = agreement_from(meta, "agreed_", when[0].date() if when else None)
            except ConfigError as e:
                # One bad note must not stop the whole analysis; the record says what is wrong.
                problem = f"{entry.id}: {e.message}"
        out.append(
            NegotiationRecord(
                entry_id=entry.id,
                at=when[0] if when else None,
                channel=_text(meta, "channel") or "other",
                direction=_text(meta, "direction") or "in",
                counterpart=_text(meta, "counterpart") or None,
                counterpart_org=_text(meta, "counterpart_org") or None,
                staff_id=_text(meta, "staff_id") or None,
                my_proposal=_text(meta, "my_proposal"),
                their_proposal=_text(meta, "their_proposal"),
                agreed_terms=terms,
                written_confirmation=_ref(meta, "written_confirmation"),
                recording=_ref(meta, "recording"),
                follow_up=_text(meta, "follow_up"),
                text=entry.text,
                agreement=agreement,
                agreement_error=problem,
            )
        )
    return sorted(out, key=lambda r: (r.at or datetime.min, r.entry_id))


def unconfirmed_agreements(
    records: Iterable[NegotiationRecord], known_ids: Collection[str] | None = None
) -> list[NegotiationRecord]:
    """Agreements with no written confirmation — or one that names an entry the ledger does
    not hold (when ``known_ids`` is given)."""
    return [
        r
        for r in records
        if r.agreed
        and (
            r.written_confirmation is None
            or (known_ids is not None and r.written_confirmation not in known_ids)
        )
    ]


@dataclass(frozen=True)
class NegotiationReport:
    records: tuple[NegotiationRecord, ...]
    unconfirmed: tuple[NegotiationRecord, ...]

    @property
    def latest_agreement(self) -> Agreement | None:
        with_terms = [r.agreement for r in self.records if r.agreement is not None]
        return with_terms[-1] if with_terms else None

    def to_json(self) -> dict[str, Any]:
        return {
            "records": [r.to_json() for r in self.records],
            "unconfirmed_agreements": [
                {
                    "entry_id": r.entry_id,
                    "at": r.at.isoformat() if r.at else None,
                    "agreed_terms": r.agreed_terms,
                    "written_confirmation": r.written_confirmation,
                }
                for r in self.unconfirmed
            ],
            "notes": [
                "协商中为达成和解所作的陈述，依《民事诉讼法》解释第一百零七条，一般不得在后续"
                "诉讼中作为对其不利的根据 [L]；记录中请标注“为达成和解所作陈述”",
                "口头达成的协议请要求对方通过 App 消息、短信或邮件书面确认 [S]",
            ],
        }


def negotiation_report(
    entries: Iterable[Entry], known_ids: Collection[str] | None = None
) -> NegotiationReport:
    records = records_from_entries(entries)
    return NegotiationReport(tuple(records), tuple(unconfirmed_agreements(records, known_ids)))
