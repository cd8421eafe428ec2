"""Build a complaint package: check the originals, prepare exhibit images once, lay the
document out in passes until every page number printed in it is right, merge the original
PDF pages, attach the originals and the manifest, and move the file into place atomically."""

from __future__ import annotations

import functools
import hashlib
import io
import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence_kit.bundle.manifest import FORMAT, MANIFEST_NAME, attachment_name, manifest_json
from evidence_kit.bundle.redact import Redactor, amount_boxes
from evidence_kit.bundle.summary import contacts_by_day
from evidence_kit.bundle.template import (
    Filler,
    MissingField,
    Template,
    is_blank,
    load_template,
    lookup,
    to_text,
)
from evidence_kit.errors import BundleError, EvidenceKitError
from evidence_kit.i18n import _
from evidence_kit.models import Entry

if TYPE_CHECKING:
    from evidence_kit.bundle import BundleRequest
    from evidence_kit.bundle.exhibits import Asset
    from evidence_kit.bundle.layout import Styles, Tracker

MAX_PASSES = 4


def _CHANGED() -> str:
    return _("{entry}: the stored original changed during the build")


@dataclass(frozen=True)
class BundleResult:
    path: Path
    pages: int
    exhibits: int
    size_bytes: int
    manifest: dict[str, Any]


def missing_error(gaps: list[MissingField], recipient: str) -> BundleError:
    from evidence_kit.i18n import current_language

    if current_language() == "en":
        lines = "; ".join(f"{g.key} ({g.label_zh})" for g in gaps)
    else:  # the Chinese label is what case.toml's comments say
        lines = "；".join(g.label_zh for g in gaps)
    return BundleError(
        _("the {recipient} package needs {count} more field(s) in case.toml: {fields}").format(
            recipient=recipient, count=len(gaps), fields=lines
        ),
        hint=_("fill them in case.toml or pass --draft"),
    )


def _entry_name(e: Entry) -> str:
    return _("entry {id} ({name})").format(id=e.id, name=e.original_name)


def checked_original(object_path: Callable[[str], Path], e: Entry) -> Path:
    """The stored original, re-hashed: a missing or altered object stops the build here."""
    try:
        path = Path(object_path(e.sha256))
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except (OSError, EvidenceKitError) as e_:
        raise BundleError(
            _("{entry}: the stored original {sha}… cannot be read ({error})").format(
                entry=_entry_name(e), sha=e.sha256[:12], error=e_
            ),
            hint=_(
                "run `evidence-kit verify`, restore .evidence-kit/objects from a backup, "
                "or leave the entry out with `evidence-kit annotate ID --exclude`"
            ),
        ) from e_
    if digest.hexdigest() != e.sha256:
        raise BundleError(
            _(
                "{entry}: the stored original is corrupt (SHA-256 {actual}… instead of {sha}…)"
            ).format(entry=_entry_name(e), actual=digest.hexdigest()[:12], sha=e.sha256[:12]),
            hint=_("run `evidence-kit verify` and restore the object from a backup"),
        )
    return path


def _mode_of(e: Entry, path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(8)
    if e.mime == "application/pdf" or head.startswith(b"%PDF"):
        return "pdf"
    if e.mime.startswith("image/"):
        return "image"
    return "text"


def prepare_asset(
    e: Entry,
    label: str,
    key: str,
    path: Path,
    tmp: Path,
    st: Styles,
    template: Template,
    redactor: Redactor,
) -> Asset:
    from evidence_kit.bundle import images, pdfpages
    from evidence_kit.bundle.exhibits import NEXT_PAGE_H, Asset, header_height
    from evidence_kit.bundle.layout import FRAME_W

    asset = Asset(e, label, key, path, _mode_of(e, path))
    asset.first_h = NEXT_PAGE_H - header_height(asset, st, redactor.mask, template) - 8
    stem = tmp / key
    try:
        if asset.mode == "image":
            asset.slices = images.prepare_image(
                path,
                stem,
                frame_width_pt=FRAME_W,
                first_height_pt=asset.first_h,
                next_height_pt=NEXT_PAGE_H - 4,
                highlight=amount_boxes(e),
                black=redactor.boxes(e),
            )
        elif asset.mode == "pdf":
            asset.pdf_sizes = pdfpages.page_sizes(path)
            if redactor.enabled:
                asset.mode = "raster"
                boxes = pdfpages.sensitive_boxes(path, redactor)
                rasters = pdfpages.rasterize(path, tmp / f"{key}-r", key)
                for i, png in enumerate(rasters):
                    max_h = asset.first_h if i == 0 else NEXT_PAGE_H - 4
                    asset.slices.append(
                        images.prepare_page_raster(
                            png,
                            stem.with_name(f"{key}-p{i}.jpg"),
                            boxes.get(i, []) + redactor.boxes(e, i),
                            FRAME_W,
                            max_h,
                        )
                    )
    except BundleError as err:
        raise BundleError(f"{_entry_name(e)}: {err.message}", err.hint) from err
    return asset


def _prepare_all(
    entries: list[Entry],
    labels: list[str],
    paths: list[Path],
    tmp: Path,
    st: Styles,
    template: Template,
    redactor: Redactor,
    progress: Callable[[int, int], None] | None,
) -> list[Asset]:
    """Decode/mark/encode the exhibit images on a few threads (Pillow's codecs release the
    GIL), reporting progress in completion order."""
    from concurrent.futures import ThreadPoolExecutor

    workers = max(1, min(4, os.cpu_count() or 1))
    done = 0
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [
            pool.submit(prepare_asset, e, label, f"ex{i + 1}", path, tmp, st, template, redactor)
            for i, (e, label, path) in enumerate(zip(entries, labels, paths))
        ]
        assets = []
        for f in futures:
            assets.append(f.result())
            done += 1
            if progress:
                progress(done, len(entries))
    return assets


def _decimal(v: Any) -> Decimal | None:
    try:
        return Decimal(str(v).replace(",", "")) if not is_blank(v) else None
    except InvalidOperation:
        return None


def computed_values(req: BundleRequest, entries: list[Entry], labels: list[str]) -> dict[str, Any]:
    from evidence_kit.bundle.summary import fmt_amount

    g = req.generated_at
    cfg = req.config
    income, spend, other = (
        _decimal(lookup(cfg, f"budget.{k}"))
        for k in ("monthly_income", "essential_expenses", "other_debts")
    )
    available = ""
    if income is not None:
        available = fmt_amount(income - (spend or Decimal(0)) - (other or Decimal(0)))
    debt_parts = [
        _decimal(lookup(cfg, f"debt.{k}"))
        for k in ("principal", "interest", "penalty", "late_fee", "other_fees")
    ]
    debt_total = (
        fmt_amount(sum((d for d in debt_parts if d is not None), Decimal(0)))
        if any(debt_parts)
        else ""
    )
    days = contacts_by_day(entries, labels)
    dates = sorted(e.occurred_at[:10] for e in entries if e.occurred_at)
    facts = to_text(lookup(cfg, "dispute.facts"))
    return {
        "today": f"{g.year}年{g.month}月{g.day}日",
        "generated_at": g.isoformat(timespec="seconds"),
        "exhibit_count": len(entries),
        "ledger_head": req.ledger_head,
        "tool_version": req.tool_version,
        "tool": f"evidence-kit {req.tool_version}",
        "budget.available": available,
        "debt.total": debt_total,
        "demands_text": "；".join(to_text(d) for d in lookup(cfg, "dispute.demands") or []),
        "facts_excerpt": facts if len(facts) <= 480 else facts[:479] + "…",
        "evidence_from": dates[0] if dates else "",
        "evidence_to": dates[-1] if dates else "",
        "contacts.calls": sum(d.calls for d in days),
        "contacts.messages": sum(d.messages for d in days),
        "contacts.outside": sum(d.outside for d in days),
        "contacts.days": len(days),
        "redacted_text": "（脱敏版本）" if req.redact else "",
    }


def _render(
    font_name: str,
    story_factory: Callable[[Tracker], list[Any]],
    tracker: Tracker,
    meta: Mapping[str, str],
    decorate: Callable[[Any, Any], None],
) -> bytes:
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    from evidence_kit.bundle.layout import FRAME_H, FRAME_W, MARGIN_BOTTOM, MARGIN_X, PAGE_H, PAGE_W

    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=(PAGE_W, PAGE_H),
        title=meta["title"],
        author=meta["author"],
        subject=meta["subject"],
        creator=meta["creator"],
        invariant=1,
        initialFontName=font_name,  # else Helvetica sits unembedded in every page's resources
    )
    frame = Frame(
        MARGIN_X,
        MARGIN_BOTTOM,
        FRAME_W,
        FRAME_H,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="main",
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate)])
    # Binary image streams: ASCII85 (the default) costs 25 % in size and, without the C
    # accelerator, most of the build time.
    from reportlab import rl_config

    saved, rl_config.useA85 = rl_config.useA85, 0
    try:
        doc.build(story_factory(tracker))
    finally:
        rl_config.useA85 = saved
    return buf.getvalue()


def build(
    req: BundleRequest, out: Path, progress: Callable[[int, int], None] | None
) -> BundleResult:
    from evidence_kit.bundle.exhibits import exhibit_labels, merge_twins
    from evidence_kit.bundle.fonts import register_fonts
    from evidence_kit.bundle.layout import Styles

    template = load_template(req.recipient, req.template_dir)
    gaps = [f for f in template.required if is_blank(lookup(req.config, f.key))]
    if gaps and not req.draft:
        raise missing_error(gaps, req.recipient)
    out = Path(out)
    if not out.parent.is_dir():
        raise BundleError(
            _("{folder}: no such folder").format(folder=out.parent),
            hint=_("create it or choose another -o path"),
        )
    font = register_fonts()
    st = Styles(font)
    redactor = Redactor.for_case(
        req.redact,
        [
            to_text(lookup(req.config, "complainant.phone")),
            to_text(lookup(req.config, "respondent.phone")),
        ],
    )
    kept, twins = merge_twins([e for e in req.entries if not e.excluded])
    entries, labels, titles = exhibit_labels(kept, template)
    with tempfile.TemporaryDirectory(prefix="evidence-kit-bundle-") as tmp_name:
        tmp = Path(tmp_name)
        paths = [checked_original(req.object_path, e) for e in entries]
        assets = _prepare_all(entries, labels, paths, tmp, st, template, redactor, progress)
        for a in assets:
            a.twins = twins.get(a.entry.id, [])
            a.twin_paths = [checked_original(req.object_path, t) for t in a.twins]
        filler = Filler(
            req.config,
            computed_values(req, entries, labels),
            template,
            frozenset(g.key for g in gaps),
        )
        return _assemble(req, out, template, st, redactor, assets, titles, gaps, filler)


def _assemble(
    req: BundleRequest,
    out: Path,
    template: Template,
    st: Styles,
    redactor: Redactor,
    assets: list[Asset],
    titles: list[str | None],
    gaps: list[MissingField],
    filler: Filler,
) -> BundleResult:
    from evidence_kit.bundle.document import decorator, story

    title = template.text("title")
    author = to_text(lookup(req.config, "complainant.name")) or "投诉人"
    meta = {
        "title": f"{title}{'（脱敏版本）' if req.redact else ''}",
        "author": author,
        "subject": filler.fill(template.text("subject", title)),
        "creator": f"evidence-kit {req.tool_version}",
    }
    from evidence_kit.bundle.layout import Tracker

    tracker = Tracker()
    pdf = b""
    for pass_no in range(MAX_PASSES):
        previous = tracker
        tracker = Tracker(
            previous=previous.pages, previous_ends=previous.ends, total_pages=previous.total_pages
        )
        pages_seen: list[int] = []
        decorate = decorator(tracker, assets, template, st, req, pages_seen)
        # pass 1 only measures: same-sized blanks stand in for the images
        make_story = functools.partial(
            story,
            req=req,
            template=template,
            st=st,
            redactor=redactor,
            assets=assets,
            titles=titles,
            gaps=gaps,
            filler=filler,
            images=pass_no > 0,
        )
        pdf = _render(
            st.body.fontName,
            make_story,
            tracker,
            meta,
            decorate,
        )
        tracker.total_pages = max(pages_seen)
        if (
            tracker.pages == previous.pages
            and tracker.ends == previous.ends
            and tracker.total_pages == previous.total_pages
        ):
            break
    else:  # pragma: no cover - layouts settle in two or three passes
        raise BundleError("the page numbers did not settle; please report this")
    return _finish(req, out, pdf, tracker, assets, meta)


def _pdf_date(req: BundleRequest) -> str:
    g = req.generated_at
    off = g.strftime("%z") or "+0000"
    return g.strftime("D:%Y%m%d%H%M%S") + f"{off[:3]}'{off[3:]}'"


def _finish(
    req: BundleRequest,
    out: Path,
    pdf: bytes,
    tracker: Tracker,
    assets: list[Asset],
    meta: Mapping[str, str],
) -> BundleResult:
    from pypdf import PdfReader, PdfWriter

    from evidence_kit.bundle.pdfpages import merge_slots

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    merge_slots(writer, tracker.slots)
    exhibits = []
    for a in assets:
        e = a.entry
        if not req.redact:
            data = a.path.read_bytes()
            if hashlib.sha256(data).hexdigest() != e.sha256:
                raise BundleError(_CHANGED().format(entry=_entry_name(e)))
            a.attachment = attachment_name(a.label, e.original_name)
            writer.add_attachment(a.attachment, data)
            for twin, twin_path in zip(a.twins, a.twin_paths):
                twin_data = twin_path.read_bytes()
                if hashlib.sha256(twin_data).hexdigest() != twin.sha256:
                    raise BundleError(_CHANGED().format(entry=_entry_name(twin)))
                name = attachment_name(a.label, twin.original_name)
                a.twin_attachments.append(name)
                writer.add_attachment(name, twin_data)
        exhibits.append(
            {
                "exhibit": a.label,
                "id": e.id,
                "sha256": e.sha256,
                "original_name": e.original_name,
                "attachment": a.attachment,
                "size": e.size,
                "mime": e.mime,
                "kind": e.kind.value,
                "occurred_at": e.occurred_at,
                "ingested_at": e.ingested_at,
                "pages": [tracker.pages.get(a.key), tracker.ends.get(a.key)],
                "twins": [
                    {
                        "id": t.id,
                        "sha256": t.sha256,
                        "original_name": t.original_name,
                        "attachment": name,
                        "size": t.size,
                        "mime": t.mime,
                    }
                    for t, name in zip(a.twins, a.twin_attachments or [""] * len(a.twins))
                ],
            }
        )
    manifest = {
        "format": FORMAT,
        "tool": meta["creator"],
        "recipient": req.recipient,
        "generated_at": req.generated_at.isoformat(timespec="seconds"),
        "ledger_head": req.ledger_head,
        "redacted": req.redact,
        "draft": req.draft,
        "pages": tracker.total_pages,
        "exhibits": exhibits,
    }
    writer.add_attachment(MANIFEST_NAME, manifest_json(manifest))
    date = _pdf_date(req)
    writer.add_metadata(
        {
            "/Title": meta["title"],
            "/Author": meta["author"],
            "/Subject": meta["subject"],
            "/Creator": meta["creator"],
            "/Producer": f"{meta['creator']} (ReportLab, pypdf)",
            "/Keywords": f"ledger-head:{req.ledger_head}",
            "/CreationDate": date,
            "/ModDate": date,
        }
    )
    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            writer.write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp_name, 0o644)  # mkstemp makes 0600; a package is meant to be shared
        os.replace(tmp_name, out)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return BundleResult(out, tracker.total_pages, len(assets), out.stat().st_size, manifest)
