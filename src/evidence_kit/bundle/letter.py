"""The letter: each ``[[letter]]`` block of a template becomes flowables."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.platypus import Flowable, KeepTogether

from evidence_kit.bundle import analysis_view
from evidence_kit.bundle.context import LetterContext
from evidence_kit.bundle.layout import FRAME_W, fields_table, grid_table, para, spacer
from evidence_kit.bundle.template import is_blank, lookup, to_text


def _heading(block: Mapping[str, Any], ctx: LetterContext) -> list[Flowable]:
    text = block.get("heading")
    return [para(ctx.filler.fill(text), ctx.styles.h2)] if text else []


def _fill(ctx: LetterContext, text: str) -> str:
    return ctx.mask(ctx.filler.fill(text))


def _numbered(items: Sequence[str], ctx: LetterContext) -> list[Flowable]:
    return [para(f"{i}. {item}", ctx.styles.body) for i, item in enumerate(items, 1)]


def render_block(block: Mapping[str, Any], ctx: LetterContext) -> list[Flowable]:
    kind = block["type"]
    st = ctx.styles
    out = _heading(block, ctx)
    if kind == "fields":
        rows = [(str(r[0]), _fill(ctx, str(r[1]))) for r in block.get("rows", [])]
        out.append(fields_table(rows, st))
    elif kind == "paragraphs":
        out += [para(_fill(ctx, t), st.indent) for t in block.get("text", [])]
    elif kind == "facts":
        out += _facts(block, ctx)
    elif kind == "demands":
        key = block.get("key", "dispute.demands")
        items = [ctx.mask(to_text(v)) for v in (lookup(ctx.config, key) or []) if not is_blank(v)]
        items += [_fill(ctx, t) for t in block.get("extra", [])]
        if not items:
            items = [ctx.filler.fill("{" + key + "}") or "（未填写）"]
        out += _numbered(items, ctx)
    elif kind == "list":
        out += _numbered([_fill(ctx, t) for t in block.get("items", [])], ctx)
    elif kind == "legal_basis":
        if block.get("intro"):
            out.append(para(_fill(ctx, block["intro"]), st.small))
        if block.get("legend"):
            out.append(para(_fill(ctx, block["legend"]), st.small))
        labels = ctx.template.get("status_labels", {})  # checked by load_template
        items = [labels[it["status"]] + _fill(ctx, it["text"]) for it in block.get("items", [])]
        out += _numbered(items, ctx)
    elif kind == "attachments":
        items = [_fill(ctx, t) for t in block.get("items", [])]
        names = [f"{label}：{ctx.mask(name)}" for label, name in ctx.exhibit_names]
        out += _numbered(items, ctx)
        if names and block.get("list_exhibits", True):
            out.append(para("其中证据材料：" + "；".join(names) + "。", st.small))
    elif kind == "checkboxes":
        rows = []
        for label, key in block.get("rows", []):
            value = lookup(ctx.config, key)
            yes, no = ("■", "□") if value is True else ("□", "■") if value is False else ("□", "□")
            rows.append((str(label), f"{yes} 是    {no} 否"))
        out.append(fields_table(rows, st))
    elif kind == "tracking":
        # a row that cites a rule names its status third: ["处理期限", "...", "argument"]
        labels = ctx.template.get("status_labels", {})  # checked by load_template
        rows = [
            (
                str(r[0]),
                (labels[r[2]] if len(r) > 2 else "")
                + (_fill(ctx, str(r[1])) if len(r) > 1 else ""),
            )
            for r in block["rows"]
        ]
        if block.get("deadlines"):
            rows += deadline_rows(ctx)
        table = grid_table(
            [[para(a, st.cell), para(b or " ", st.cell)] for a, b in rows],
            [FRAME_W * 0.3, FRAME_W * 0.7],
            header=False,
            shade_first_col=True,
        )
        legend = []
        if block.get("legend"):
            legend = [spacer(4), para(_fill(ctx, block["legend"]), st.small)]
        out = [KeepTogether([*out, table, *legend])]
    elif kind == "signature":
        out.append(spacer(10))
        out += [para(_fill(ctx, t), st.right) for t in block.get("lines", [])]
    elif kind == "excerpt":
        if block.get("intro"):
            out.append(para(_fill(ctx, block["intro"]), st.small))
        out.append(spacer(4))
        out.append(para(_fill(ctx, block.get("text", "")), st.box))
        out.append(spacer(6))
    elif kind == "cost":
        out = analysis_view.cost(block, ctx, out)
    elif kind == "conduct":
        out = analysis_view.conduct(block, ctx, out)
    elif kind == "plan":
        out = analysis_view.plan(block, ctx, out)
    return [*out, spacer(4)] if out else out


def _facts(block: Mapping[str, Any], ctx: LetterContext) -> list[Flowable]:
    st = ctx.styles
    out: list[Flowable] = []
    own = ctx.mask(to_text(lookup(ctx.config, block.get("key", "dispute.facts"))))
    if block.get("own_heading"):
        out.append(para(block["own_heading"], st.h3))
    if own:
        out += [para(p.strip(), st.indent) for p in own.split("\n") if p.strip()]
    else:
        out.append(para(ctx.filler.fill("{dispute.facts}") or "（投诉人未另行陈述。）", st.indent))
    if block.get("intro"):
        out.append(para(_fill(ctx, block["intro"]), st.indent))
    if ctx.summary:
        if block.get("summary_heading"):
            out.append(para(block["summary_heading"], st.h3))
        limit = int(block.get("max_summary", 60))
        out += [para(f"{i}. {s}", st.small) for i, s in enumerate(ctx.summary[:limit], 1)]
        if len(ctx.summary) > limit:
            out.append(para(f"（其余 {len(ctx.summary) - limit} 项见证据时间线。）", st.small))
    for t in block.get("outro", []):
        out.append(para(_fill(ctx, t), st.indent))
    return out


def deadline_rows(ctx: LetterContext) -> list[tuple[str, str]]:
    """The reply deadlines of this package's channels, if filed on the day the package is
    made, each with the calendar it was counted on (working days: which years' schedules)."""
    routing = (ctx.analysis or {}).get("routing")
    if not isinstance(routing, Mapping):
        return []
    filed = to_text(routing.get("filing_date"))
    rows = []
    for package in routing.get("packages") or []:
        if package.get("package") != ctx.template.recipient:
            continue
        for channel in package.get("channels") or []:
            for d in channel.get("deadlines") or []:
                unit = "个工作日" if d.get("unit") == "working" else "日"
                text = f"{to_text(d.get('due'))}（自 {filed} 起 {to_text(d.get('days'))} {unit}"
                if d.get("calendar"):
                    text += f"；{to_text(d.get('calendar'))}"
                text += "）"
                rows.append((f"若于 {filed} 提交：{to_text(d.get('label'))}", text))
    return rows
