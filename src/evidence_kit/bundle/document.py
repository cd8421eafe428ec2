"""The whole story in reading order, and what is drawn on every page (running header with the
exhibit stamp, footer 第 x 页 共 y 页)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from reportlab.platypus import Flowable, PageBreak

from evidence_kit.bundle import sections
from evidence_kit.bundle.context import LetterContext
from evidence_kit.bundle.exhibits import Asset, exhibit_flowables
from evidence_kit.bundle.layout import (
    ACCENT,
    GRID,
    MARGIN_BOTTOM,
    MARGIN_TOP,
    MARGIN_X,
    PAGE_H,
    PAGE_W,
    Anchor,
    Styles,
    Tracker,
    para,
)
from evidence_kit.bundle.letter import render_block
from evidence_kit.bundle.redact import Redactor
from evidence_kit.bundle.summary import chronological_summary, exhibit_name
from evidence_kit.bundle.template import Filler, MissingField, Template

if TYPE_CHECKING:
    from evidence_kit.bundle import BundleRequest


def story(
    tracker: Tracker,
    req: BundleRequest,
    template: Template,
    st: Styles,
    redactor: Redactor,
    assets: Sequence[Asset],
    titles: Sequence[str | None],
    gaps: Sequence[MissingField],
    filler: Filler,
    images: bool = True,
) -> list[Flowable]:
    mask = redactor.mask
    parts = sections.Parts(
        template,
        filler,
        st,
        mask,
        assets,
        titles,
        tracker,
        req.redact,
        gaps,
        req.ledger_head,
        filler.value("today"),
        filler.value("tool"),
    )
    entries = [a.entry for a in assets]
    labels = [a.label for a in assets]
    ctx = LetterContext(
        template=template,
        filler=filler,
        styles=st,
        mask=mask,
        summary=chronological_summary(entries, labels, mask),
        exhibit_names=[(a.label, exhibit_name(a.entry)) for a in assets],
        analysis=req.analysis,
        config=req.config,
        label_of_id={a.entry.id: a.label for a in assets},
        exhibits=[(a.label, a.entry) for a in assets],
    )
    out: list[Flowable] = sections.cover(parts)
    title = template.text("title")
    out += [PageBreak(), Anchor(tracker, "letter", title), para(title, st.h1)]
    if template.text("addressee"):
        out.append(para(parts.fill(template.text("addressee")), st.body))
    for block in template.letter:
        out += render_block(block, ctx)
    out += sections.timeline(parts)
    out += sections.evidence_list(parts)
    for i, asset in enumerate(assets):
        flow = exhibit_flowables(asset, st, mask, template, tracker, images)
        if i == 0:
            flow[1:1] = sections.exhibits_heading(parts)
        out += flow
    out += sections.appendix(parts)
    return out


def decorator(
    tracker: Tracker,
    assets: Sequence[Asset],
    template: Template,
    st: Styles,
    req: BundleRequest,
    pages_seen: list[int],
) -> Callable[[Any, Any], None]:
    """onPage callback. Exhibit page ranges and the total come from the previous pass; the
    pass loop only stops once they no longer change, so what is printed is right."""
    stamps: dict[int, str] = {}
    for a in assets:
        start, end = tracker.previous.get(a.key), tracker.previous_ends.get(a.key)
        if start is None or end is None:
            continue
        for page in range(start, end + 1):
            stamps[page] = (
                f"{a.label}  第 {page - start + 1}/{end - start + 1} 页  "
                f"SHA-256 {a.entry.sha256[:16]}…"
            )
    title = template.text("title") + ("（脱敏版本）" if req.redact else "")
    total = tracker.total_pages or 0
    font, mono = st.body.fontName, st.mono

    def decorate(canvas: Any, doc: Any) -> None:
        page = canvas.getPageNumber()
        pages_seen.append(page)
        canvas.saveState()
        canvas.setFillColor(GRID)
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.4)
        y_foot = MARGIN_BOTTOM - 22
        canvas.setFont(font, 9)
        canvas.drawCentredString(PAGE_W / 2, y_foot, f"第 {page} 页 共 {total or '00'} 页")
        canvas.setFont(font, 7)
        canvas.drawString(MARGIN_X, y_foot, f"evidence-kit {req.tool_version}")
        if page > 1:
            y_head = PAGE_H - MARGIN_TOP + 10
            canvas.line(MARGIN_X, y_head - 3, PAGE_W - MARGIN_X, y_head - 3)
            canvas.setFont(font, 8)
            canvas.drawString(MARGIN_X, y_head, title)
            stamp = stamps.get(page)
            if stamp:
                canvas.setFillColor(ACCENT)
                canvas.setFont(mono, 8.5)
                canvas.drawRightString(PAGE_W - MARGIN_X, y_head, stamp)
        canvas.restoreState()

    return decorate
