"""Sections drawn from the optional analysis dict (cost of the loan, collection conduct,
repayment plan). Each returns the flowables unchanged-empty when the analysis is absent, so a
template can list them unconditionally."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.platypus import Flowable

from evidence_kit.bundle.layout import FRAME_W, bar_chart, fields_table, grid_table, para
from evidence_kit.bundle.template import lookup, to_text

if TYPE_CHECKING:
    from evidence_kit.bundle.context import LetterContext

PAYMENT_KIND_ZH = {
    "installment": "分期还款",
    "principal": "本金",
    "interest": "利息",
    "fee": "服务费/手续费",
    "guarantee": "担保费",
    "membership": "会员费",
    "penalty": "罚息/违约金",
    "other": "其他",
}
KEY_ZH = {
    "monthly_payment": "每期还款额",
    "installments": "期数",
    "months": "期数",
    "total": "合计",
    "total_repay": "还款总额",
    "first_payment_date": "首期还款日",
    "available": "每月可用于还款",
    "monthly_available": "每月可用于还款",
    "balance": "欠款余额",
    "waivers": "申请减免",
    "schedule": "还款计划",
    "date": "日期",
    "amount": "金额",
    "principal": "本金",
    "interest": "利息",
    "fee": "费用",
    "calls": "来电",
    "messages": "消息",
    "outside_hours": "时段外联系",
    "night": "夜间联系",
    "unanswered": "未接来电",
    "third_party": "联系第三人",
}
_SERIES_COLORS = (
    colors.HexColor("#1f3a5f"),
    colors.HexColor("#6f9bd1"),
    colors.HexColor("#c0392b"),
    colors.HexColor("#e6a100"),
)


def _yes(v: Any) -> str:
    return "是" if v is True else "否" if v is False else to_text(v)


def _pct(v: Any) -> str:
    return f"{v}%" if v not in (None, "") else "—"


def cost(block: Mapping[str, Any], ctx: LetterContext, out: list[Flowable]) -> list[Flowable]:
    data = (ctx.analysis or {}).get("cost")
    if not data:
        return []
    st = ctx.styles
    for t in block.get("intro", []):
        out.append(para(ctx.mask(ctx.filler.fill(t)), st.indent))
    out.append(
        fields_table(
            [
                ("合同/页面展示年化利率", _pct(lookup(ctx.config, "loan.stated_rate"))),
                ("名义年化利率（单利）", _pct(data.get("apr_nominal"))),
                ("实际年化利率（内部收益率 IRR）", _pct(data.get("apr_effective"))),
                ("月平息（按到账本金）", _pct(data.get("flat_monthly_rate"))),
            ],
            st,
        )
    )
    flows = _cash_flows(ctx)
    if flows:
        out.append(para("现金流量表（按实际到账与实际支付）", st.body))
        out.append(flows)
    comps = data.get("comparisons") or []
    if comps:
        out.append(para("与有关标准的比较", st.body))
        rows: list[list[Any]] = [
            [para(h, st.cell_head) for h in ("比较基准", "基准值", "是否超过", "约束力", "依据")]
        ]
        for c in comps:
            rows.append(
                [
                    para(to_text(c.get("threshold")), st.cell),
                    para(_pct(c.get("rate")), st.cell),
                    para(_yes(c.get("exceeds")), st.cell),
                    para("有约束力" if c.get("binding") else "参照", st.cell),
                    para(to_text(c.get("basis")), st.cell),
                ]
            )
        out.append(grid_table(rows, [FRAME_W * w for w in (0.2, 0.12, 0.12, 0.12, 0.44)]))
    for t in block.get("notes", []):
        out.append(para(ctx.filler.fill(t), st.small))
    return out


def _cash_flows(ctx: LetterContext) -> Flowable | None:
    st = ctx.styles
    loan = lookup(ctx.config, "loan") or {}
    rows: list[list[Any]] = [
        [para(h, st.cell_head) for h in ("日期", "方向", "类别", "金额（元）", "证据")]
    ]
    if loan.get("received_amount"):
        rows.append(
            [
                para(to_text(loan.get("received_date")), st.cell),
                para("到账", st.cell),
                para("实际到账本金", st.cell),
                para(to_text(loan["received_amount"]), st.cell),
                para("", st.cell),
            ]
        )
    for p in loan.get("payments") or []:
        label = ctx.label_of_id.get(str(p.get("exhibit") or ""), "")
        rows.append(
            [
                para(to_text(p.get("date")), st.cell),
                para("支付", st.cell),
                para(PAYMENT_KIND_ZH.get(str(p.get("kind")), to_text(p.get("kind"))), st.cell),
                para(to_text(p.get("amount")), st.cell),
                para(label, st.cell),
            ]
        )
    if len(rows) == 1:
        return None
    return grid_table(rows, [FRAME_W * w for w in (0.2, 0.12, 0.28, 0.2, 0.2)])


def conduct(block: Mapping[str, Any], ctx: LetterContext, out: list[Flowable]) -> list[Flowable]:
    data = (ctx.analysis or {}).get("conduct")
    if not data:
        return []
    st = ctx.styles
    for t in block.get("intro", []):
        out.append(para(ctx.filler.fill(t), st.indent))
    flags = data.get("flags") or []
    if flags:
        rows: list[list[Any]] = [
            [para(h, st.cell_head) for h in ("行为", "次数", "相关规定", "证据")]
        ]
        for f in flags:
            labels = [ctx.label_of_id.get(str(i), "") for i in f.get("entry_ids") or []]
            rows.append(
                [
                    para(ctx.mask(to_text(f.get("title_zh"))), st.cell),
                    para(to_text(f.get("count")), st.cell),
                    para(to_text(f.get("rule")), st.cell),
                    para("、".join(x for x in labels if x) or "—", st.cell),
                ]
            )
        out.append(grid_table(rows, [FRAME_W * w for w in (0.3, 0.1, 0.38, 0.22)]))
    chart = _days_chart(data.get("days") or [], ctx)
    if chart is not None:
        out.append(chart)
    return out


def _days_chart(days: Sequence[Any], ctx: LetterContext) -> Flowable | None:
    rows = [d for d in days if isinstance(d, Mapping) and isinstance(d.get("date"), str)]
    if not rows:
        return None
    keys = [
        k
        for k, v in rows[0].items()
        if isinstance(v, int) and not isinstance(v, bool) and k != "date"
    ][: len(_SERIES_COLORS)]
    if not keys:
        return None
    series = [
        (KEY_ZH.get(k, k), [int(r.get(k) or 0) for r in rows], _SERIES_COLORS[i])
        for i, k in enumerate(keys)
    ]
    return bar_chart([r["date"] for r in rows], series, ctx.styles.body.fontName)


WAIVER_ZH = {
    "penalty": "罚息",
    "late_fee": "违约金/滞纳金",
    "other_fees": "其他费用",
    "interest": "利息",
}
STATUS_ZH = {
    "paid": "已按时还款",
    "late": "已还（逾期）",
    "missed": "未还",
    "due": "今日到期",
    "upcoming": "未到期",
    "partial": "部分还款",
}


def plan(block: Mapping[str, Any], ctx: LetterContext, out: list[Flowable]) -> list[Flowable]:
    """The repayment proposal computed from [budget] and [debt]; with ``tracking = true`` in
    the block, also the agreed plan against the payments made."""
    data = (ctx.analysis or {}).get("plan")
    if not data or not isinstance(data, Mapping):
        return []
    st = ctx.styles
    proposal = data.get("proposal")
    if isinstance(proposal, Mapping) and "error" in proposal:
        out.append(para(f"（还款方案未能计算：{to_text(proposal.get('error'))}）", st.small))
    elif isinstance(proposal, Mapping):
        for t in block.get("intro", []):
            out.append(para(ctx.filler.fill(t), st.indent))
        waived = proposal.get("waived") or {}
        rows = [("目前待还合计（元）", to_text(proposal.get("outstanding_before_waivers")))]
        for key, value in waived.items():
            rows.append((f"申请减免：{WAIVER_ZH.get(key, key)}（元）", to_text(value)))
        rows += [
            ("减免后待还（元）", to_text(proposal.get("outstanding"))),
            ("每月可负担（元）", to_text(proposal.get("affordable_monthly"))),
            ("分期期数", f"{to_text(proposal.get('instalments'))} 期"),
            ("每期还款（元）", to_text(proposal.get("per_instalment"))),
        ]
        out.append(fields_table(rows, st))
        for note in proposal.get("notes") or []:
            out.append(para(to_text(note), st.small))
        if not proposal.get("fits_60_months", True):
            out.append(para("按目前收入，60 期内无法还清，恳请贵司另行商定方案。", st.body))
        schedule = proposal.get("schedule") or []
        if schedule:
            out.append(para("拟还款计划：", st.body))
            out.append(_schedule_table(schedule, ctx, with_status=False))
    tracking = data.get("tracking")
    if block.get("tracking") and isinstance(tracking, Mapping) and "instalments" in tracking:
        out.append(para("已约定分期的履行情况：", st.body))
        out.append(_schedule_table(tracking["instalments"], ctx, with_status=True))
        if tracking.get("next_due"):
            out.append(
                para(
                    f"下一期：{tracking['next_due']}，{to_text(tracking.get('next_amount'))} 元",
                    st.small,
                )
            )
    return out


def _schedule_table(
    rows: Sequence[Mapping[str, Any]], ctx: LetterContext, *, with_status: bool
) -> Flowable:
    st = ctx.styles
    head = ["期数", "还款日", "金额（元）"] + (["实还（元）", "状态"] if with_status else [])
    table: list[list[Any]] = [[para(h, st.cell_head) for h in head]]
    for r in rows:
        cells = [str(r.get("number", "")), to_text(r.get("due")), to_text(r.get("amount"))]
        if with_status:
            cells += [to_text(r.get("paid")), STATUS_ZH.get(str(r.get("status")), "")]
        table.append([para(c, st.cell) for c in cells])
    return grid_table(table, [FRAME_W / len(head)] * len(head))
