"""From a case to a complaint package: select entries, run the analysis, build the PDF.

The glue between the ledger (what is known), ``analysis`` (cost, conduct, routing) and
``bundle`` (the PDF). The CLI's ``bundle`` command and the demo both call ``build_case_bundle``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence_kit.case import OUTPUT_DIR, Case
from evidence_kit.errors import BundleError, UsageError
from evidence_kit.ledger.events import Ledger
from evidence_kit.ledger.store import Store
from evidence_kit.models import Entry

if TYPE_CHECKING:
    from evidence_kit.bundle import BundleResult

# File names of the packages, by recipient (the user reads these in their folder).
PACKAGE_NAMES = {
    "negotiation": "协商还款申请",
    "consumer-association": "消费投诉书_12315",
    "regulator": "金融消费投诉书",
    "credit-dispute": "个人征信异议申请",
    "court": "证据目录",
}


def default_output(case: Case, recipient: str, when: datetime, redact: bool = False) -> Path:
    """In the case's output folder, which ingest and watch never look into; the same
    recipient on the same day replaces the earlier package."""
    suffix = "_脱敏" if redact else ""
    return case.root / OUTPUT_DIR / f"{PACKAGE_NAMES[recipient]}_{when:%Y%m%d}{suffix}.pdf"


@dataclass(frozen=True)
class Selection:
    """Which entries go into a package, as the user wrote it (``2025-03``, ``3月1日`` …) —
    read by the same query model as ``search`` and ``timeline``. Excluded entries never go."""

    date_from: str | None = None
    date_to: str | None = None
    kinds: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    ids: tuple[str, ...] = field(default_factory=tuple)


def select_entries(
    ledger: Ledger, sel: Selection, *, reference: datetime, utc_offset: str = "+08:00"
) -> list[Entry]:
    """Entries in time order that match every part of the selection (OCR lines included:
    the package draws amount highlights and redaction boxes from them)."""
    from evidence_kit.query.search import make_query, search

    query = make_query(
        sel.words or None,
        date_from=sel.date_from,
        date_to=sel.date_to,
        kinds=sel.kinds,
        reference=reference,
        utc_offset=utc_offset,
    )
    hits = search(ledger, query, include_excluded=False, with_lines=True)
    if not sel.ids:
        return [h.entry for h in hits]
    wanted = {ledger.resolve_id(i) for i in sel.ids}
    return [h.entry for h in hits if h.entry.id in wanted]


def run_analysis(
    config: dict[str, Any], entries: Sequence[Entry], today: date
) -> dict[str, Any] | None:
    """The cost/conduct/routing analysis as a JSON-ready dict, or None if not available."""
    try:
        from evidence_kit.analysis.report import analyze
    except ModuleNotFoundError:
        return None
    return analyze(config, list(entries), today=today).to_json()


def build_case_bundle(
    case: Case,
    ledger: Ledger,
    *,
    recipient: str,
    out: Path,
    clock: Callable[[], datetime],
    selection: Selection | None = None,
    redact: bool = False,
    draft: bool = False,
    template_dir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BundleResult:
    from evidence_kit.bundle import RECIPIENTS, BundleRequest, build_bundle

    if recipient not in RECIPIENTS:
        raise UsageError(
            f"unknown recipient '{recipient}'", f"choose one of: {', '.join(RECIPIENTS)}"
        )
    config = case.load_config()
    if ledger.entry_count() == 0:
        raise BundleError(
            "the case has no evidence yet",
            "copy your screenshots, bills and notes into the case folder and run "
            "`evidence-kit ingest`",
        )
    now = clock()
    entries = select_entries(
        ledger, selection or Selection(), reference=now, utc_offset=case.utc_offset()
    )
    if not entries:
        raise UsageError(
            "no evidence matches the selection (or all of it is excluded)",
            "widen --from/--to/--kind, or check `evidence-kit search`",
        )
    if out.parent == case.root / OUTPUT_DIR:
        out.parent.mkdir(exist_ok=True)
    store = Store(case.objects_dir)
    analysis = run_analysis(config, ledger.entries(), now.date())
    req = BundleRequest(
        recipient=recipient,
        config=config,
        entries=tuple(entries),
        object_path=store.path_for,
        ledger_head=ledger.head()[1],
        generated_at=now,
        redact=redact,
        draft=draft,
        analysis=analysis,
        template_dir=template_dir,
    )
    return build_bundle(req, out, progress=progress)
