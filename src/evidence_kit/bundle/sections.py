"""The fixed parts around the letter: cover, timeline and contact figures, evidence list,
integrity appendix."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, PageBreak

from evidence_kit.bundle.exhibits import Asset
from evidence_kit.bundle.layout import (
    FRAME_W,
    Anchor,
    Styles,
    Tracker,
    bar_chart,
    fields_table,
    grid_table,
    para,
    spacer,
)
from evidence_kit.bundle.summary import (
    contacts_by_day,
    describe,
    exhibit_name,
    fmt_time,
    timeline_rows,
)
from evidence_kit.bundle.template import Filler, MissingField, Template

TOC = (
    ("letter", None),
    ("timeline", "timeline.heading"),
    ("contacts", "contacts.heading"),
    ("evidence_list", "evidence_list.heading"),
    ("exhibits", "exhibits.heading"),
    ("appendix", "appendix.heading"),
)


@dataclass(frozen=True)
class Parts:
    template: Template
    filler: Filler
    st: Styles
    mask: Callable[[str], str]
    assets: Sequence[Asset]
    group_titles: Sequence[str | None]
    tracker: Tracker
    redacted: bool
    gaps: Sequence[MissingField]
    ledger_head: str
    generated: str
    tool: str

    def fill(self, text: str) -> str:
        return self.mask(self.filler.fill(text))


def cover(p: Parts) -> list[Flowable]:
    t, st = p.template, p.st
    out: list[Flowable] = [Anchor(p.tracker, "cover", "封面"), spacer(50)]
    out.append(para(t.text("title"), st.title))
    if t.text("subtitle"):
        out.append(para(p.fill(t.text("subtitle")), st.subtitle))
    out.append(spacer(28))
    rows = [(str(r[0]), p.fill(str(r[1]))) for r in t.get("cover.rows", [])]
    rows += [
        ("证据数量", f"{len(p.assets)} 项"),
        ("生成日期", p.generated),
        ("账本校验值（最后一条记录的哈希）", p.ledger_head),
        ("生成工具", p.tool),
    ]
    out.append(fields_table(rows, st))
    if p.redacted:
        out += [
            spacer(8),
            para(
                t.text(
                    "cover.redacted_note",
                    "本材料为脱敏版本：身份证号、银行卡号及第三方电话号码已遮盖，原始文件未随附。",
                ),
                st.body,
            ),
        ]
    if p.gaps:
        gaps = "；".join(f"{g.label_zh}（{g.key}）" for g in p.gaps)
        out += [
            spacer(8),
            para(
                f"【草稿】以下必填信息尚未填写：{gaps}。请在 case.toml 中补全后重新生成。", st.body
            ),
        ]
        out[-1].style = st.body.clone("gap", textColor=colors.HexColor("#b00020"))
    out += [spacer(20), para("目  录", st.h2)]
    toc_rows = []
    for key, heading_key in TOC:
        title = t.text("title") if heading_key is None else t.text(heading_key)
        page = p.tracker.page_of(key)
        if not title or (p.tracker.previous and page is None):
            continue  # the section is not in this package
        toc_rows.append([para(title, st.cell), para(str(page or "00"), st.cell)])
    if toc_rows:
        table = grid_table(toc_rows, [FRAME_W * 0.8, FRAME_W * 0.2], header=False)
        out.append(table)
    out += [spacer(20), para(p.fill(t.text("declaration")), st.small)]
    return out


def timeline(p: Parts) -> list[Flowable]:
    t, st = p.template, p.st
    if not t.get("timeline.enabled", True) or not p.assets:
        return []
    entries = [a.entry for a in p.assets]
    labels = [a.label for a in p.assets]
    out: list[Flowable] = [PageBreak(), Anchor(p.tracker, "timeline", t.text("timeline.heading"))]
    out.append(para(t.text("timeline.heading"), st.h1))
    rows: list[list[Any]] = [[para(h, st.cell_head) for h in ("时间", "类型", "内容摘要", "证据")]]
    for r in timeline_rows(entries, labels, p.mask):
        rows.append(
            [
                para(r.when, st.tiny),
                para(r.kind, st.tiny),
                para(r.summary, st.cell),
                para(r.exhibit, st.tiny),
            ]
        )
    out.append(grid_table(rows, [FRAME_W * w for w in (0.17, 0.1, 0.6, 0.13)]))
    window = tuple(t.get("contacts.window", ["08:00", "22:00"]))
    days = contacts_by_day(entries, labels, (str(window[0]), str(window[1])))
    # The same words as the conduct analysis uses for the same hours, so one document never
    # counts out-of-hours contact two ways.
    outside_label = f"夜间（{window[1]}至次日{window[0]}）"
    if days and t.get("contacts.enabled", True):
        heading = t.text("contacts.heading", "联系频次统计")
        out += [Anchor(p.tracker, "contacts", heading), para(heading, st.h2)]
        if t.text("contacts.intro"):
            out.append(para(p.fill(t.text("contacts.intro")), st.small_lead))
        crow: list[list[Any]] = [
            [
                para(h, st.cell_head)
                for h in (
                    "日期",
                    "来电（次）",
                    "消息（条）",
                    f"其中{outside_label}",
                    "证据",
                )
            ]
        ]
        for d in days:
            crow.append(
                [
                    para(x, st.cell)
                    for x in (
                        d.day,
                        str(d.calls),
                        str(d.messages),
                        str(d.outside),
                        "、".join(d.exhibits[:6]) + ("等" if len(d.exhibits) > 6 else ""),
                    )
                ]
            )
        total = [
            sum(d.calls for d in days),
            sum(d.messages for d in days),
            sum(d.outside for d in days),
        ]
        crow.append([para(x, st.cell) for x in ("合计", *map(str, total), "")])
        out.append(grid_table(crow, [FRAME_W * w for w in (0.16, 0.13, 0.13, 0.2, 0.38)]))
        shown = days[-31:]
        chart = bar_chart(
            [d.day for d in shown],
            [
                ("来电", [d.calls for d in shown], colors.HexColor("#1f3a5f")),
                ("消息", [d.messages for d in shown], colors.HexColor("#6f9bd1")),
                (
                    outside_label,
                    [d.outside for d in shown],
                    colors.HexColor("#c0392b"),
                ),
            ],
            st.body.fontName,
        )
        out += [spacer(6), KeepTogether([chart])]
    return out


COLUMN_WIDTHS = {
    "no": 0.08,
    "name": 0.2,
    "form": 0.08,
    "source": 0.14,
    "formed": 0.13,
    "proves": 0.27,
    "pages": 0.08,
    "remark": 0.08,
}


def evidence_list(p: Parts) -> list[Flowable]:
    t, st = p.template, p.st
    heading = t.text("evidence_list.heading", "证据清单")
    out: list[Flowable] = [
        PageBreak(),
        Anchor(p.tracker, "evidence_list", heading),
        para(heading, st.h1),
    ]
    head_rows = [(str(r[0]), p.fill(str(r[1]))) for r in t.get("evidence_list.header_rows", [])]
    if head_rows:
        out += [fields_table(head_rows, st), spacer(8)]
    columns = t.get("evidence_list.columns") or [
        ["no", "序号"],
        ["name", "证据名称"],
        ["source", "证据来源"],
        ["formed", "形成时间"],
        ["proves", "证明内容"],
        ["pages", "页码"],
    ]
    weights = [float(c[2]) if len(c) > 2 else COLUMN_WIDTHS.get(c[0], 0.1) for c in columns]
    scale = FRAME_W / sum(weights)
    rows: list[list[Any]] = [[para(str(c[1]), st.cell_head) for c in columns]]
    spans = []
    for a, title in zip(p.assets, p.group_titles):
        if title:
            spans.append(len(rows))
            rows.append([para(title, st.cell)] + [""] * (len(columns) - 1))
        rows.append([para(_cell(c[0], a, p), st.cell) for c in columns])
    out.append(grid_table(rows, [w * scale for w in weights], spans=spans))
    for line in t.get("evidence_list.footer", []):
        out.append(para(p.fill(line), st.right))
    return out


def _cell(column: str, a: Asset, p: Parts) -> str:
    e, t = a.entry, p.template
    if column == "no":
        return a.label
    if column == "name":
        return p.mask(exhibit_name(e))
    if column == "form":
        return t.text(f"forms.{e.kind.value}", "电子数据")
    if column == "source":
        return t.text(f"sources.{e.kind.value}", "投诉人提供")
    if column == "formed":
        return fmt_time(e.occurred_at)
    if column == "proves":
        if e.user_note:
            return p.mask(e.user_note)
        general = p.fill(t.text(f"proves.{e.kind.value}", t.text("proves.default", "")))
        # what this exhibit shows, then what that kind of exhibit proves
        shown = describe(e, p.mask)
        shown = shown if len(shown) <= 70 else shown[:69] + "…"
        return f"{shown}。{general}" if general else shown
    if column == "pages":
        return p.tracker.range_text(a.key)
    if column == "remark":
        return t.text("evidence_list.remark", "电子数据打印件，原件随附")
    return ""


def exhibits_heading(p: Parts) -> list[Flowable]:
    heading = p.template.text("exhibits.heading", "证据材料")
    return [Anchor(p.tracker, "exhibits", heading)]


def appendix(p: Parts) -> list[Flowable]:
    t, st = p.template, p.st
    heading = t.text("appendix.heading", "完整性说明")
    out: list[Flowable] = [
        PageBreak(),
        Anchor(p.tracker, "appendix", heading),
        para(heading, st.h1),
    ]
    for line in t.get("appendix.intro", []):
        out.append(para(p.fill(line), st.indent))
    rows: list[list[Any]] = [
        [para(h, st.cell_head) for h in ("证据", "原始文件名", "大小（字节）", "SHA-256")]
    ]
    for a in p.assets:
        for e in (a.entry, *a.twins):  # the same recording in another format: same exhibit
            rows.append(
                [
                    para(a.label, st.tiny),
                    para(p.mask(e.original_name), st.tiny),
                    para(f"{e.size:,}", st.tiny),
                    para(e.sha256, st.hash),
                ]
            )
    out.append(grid_table(rows, [FRAME_W * w for w in (0.1, 0.25, 0.13, 0.52)]))
    out += [
        spacer(8),
        fields_table(
            [
                ("账本校验值", p.ledger_head),
                ("生成时间", p.generated),
                ("生成工具", p.tool),
                ("原件随附", "否（脱敏版本）" if p.redacted else "是（PDF 附件，逐字节一致）"),
            ],
            st,
        ),
    ]
    verify = t.get("appendix.verify", [])
    if verify:
        out.append(para(t.text("appendix.verify_heading", "如何核验"), st.h2))
        out += [para(f"{i}. {p.fill(line)}", st.body) for i, line in enumerate(verify, 1)]
    out += [spacer(12), para(p.fill(t.text("declaration")), st.small)]
    return out
