"""Sections drawn from the optional analysis dict (cost of the loan, collection conduct,
repayment plan). Each returns the flowables unchanged-empty when the analysis is absent, so a
template can list them unconditionally."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
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
    "unanswered_calls": "未接来电",
    "voice_conversations": "接通的通话",
    "night_contacts": "夜间联系",
    "contacts": "联系次数",
    "third_party_contacts": "联系第三人",
    "other_contacts": "其他联系",
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


# What the analysis says about whether a rule binds this lender, in the words of its 依据.
BINDING_ZH = {
    "binding": "有约束力",
    "argument": "无直接约束力",
    "not-applicable": "不适用，仅作参照",
}
DEFAULT_COST_NOTE = (
    "注：“约束力”一栏按该行“依据”填写：“有约束力”指该标准直接适用于本贷款；“无直接约束力”指"
    "该标准不直接约束本贷款方，可作为请求调减的理由；“不适用，仅作参照”指该标准针对的情形与本贷款"
    "不同，仅用于说明费用高低。"
)
HEADLINE_ZH = {
    "apr_effective": "实际年化利率（内部收益率 IRR）",
    "xirr": "XIRR（按实际天数）",
}


def binding_text(value: Any) -> str:
    """The 约束力 cell: from the comparison's own status, never a default of 'binding'."""
    return BINDING_ZH.get(str(value), "未判断")


def cost(block: Mapping[str, Any], ctx: LetterContext, out: list[Flowable]) -> list[Flowable]:
    data = (ctx.analysis or {}).get("cost")
    if not data:
        return []
    st = ctx.styles
    for t in block.get("intro", []):
        out.append(para(ctx.mask(ctx.filler.fill(t)), st.lead))
    rows = [
        ("合同/页面展示年化利率", _pct(lookup(ctx.config, "loan.stated_rate"))),
        ("名义年化利率（单利）", _pct(data.get("apr_nominal"))),
        ("实际年化利率（内部收益率 IRR）", _pct(data.get("apr_effective"))),
    ]
    if data.get("headline") == "xirr":
        rows.append((HEADLINE_ZH["xirr"], _pct(data.get("xirr"))))
    rows.append(("月平息（按到账本金）", _pct(data.get("flat_monthly_rate"))))
    out.append(fields_table(rows, st))
    flows = _cash_flows(data, ctx)
    if flows:
        out.append(para("现金流量表（按实际到账与实际支付）", st.h3))
        out.append(flows)
        out.append(para(_basis_note(data), st.small))
    comps = data.get("comparisons") or []
    if comps:
        out.append(para("与有关标准的比较", st.h3))
        head = ("比较基准", "基准值", "本贷款（单利）", "是否超过", "约束力", "依据")
        table: list[list[Any]] = [[para(h, st.cell_head) for h in head]]
        for c in comps:
            table.append(
                [
                    para(to_text(c.get("threshold")), st.cell),
                    para(_pct(c.get("threshold_rate")), st.cell),
                    para(_pct(c.get("rate")), st.cell),
                    para(_yes(c.get("exceeds")), st.cell),
                    para(binding_text(c.get("binding")), st.cell),
                    para(_source_words(to_text(c.get("basis")), ctx), st.cell),
                ]
            )
        out.append(grid_table(table, [FRAME_W * w for w in (0.09, 0.09, 0.11, 0.08, 0.17, 0.46)]))
    for t in block.get("notes", [DEFAULT_COST_NOTE]):
        out.append(para(ctx.filler.fill(t), st.small))
    return out


def _basis_note(data: Mapping[str, Any]) -> str:
    """How the headline rate follows from the table above, so a reader can recompute it."""
    text = (
        f"上表为计算所用的全部现金流：到账合计 {to_text(data.get('received'))} 元，"
        f"支付合计 {to_text(data.get('paid'))} 元，差额 {to_text(data.get('charges'))} 元即"
        "借款的全部成本。使“到账 − 各笔支付的现值之和 = 0”的月利率为月内部收益率，"
        "单利年化 = 月内部收益率 × 12，复利年化 = (1 + 月内部收益率)^12 − 1。"
    )
    demand = data.get("demand")
    if isinstance(demand, Mapping):
        text += (
            f"贷款尚未还清：表中最后一行是对方 {to_text(demand.get('as_of'))} 账单所列应还合计 "
            f"{to_text(demand.get('amount'))} 元，按“当日付清”计入，即按对方要求结清时的实际成本；"
            "如以后实际还款不同，结果随之变化。"
        )
    return text


def _evidence_for(amount: str, ctx: LetterContext) -> str:
    """Exhibits whose recognized amounts include this payment, so the 证据 column points at
    where the figure can be checked. Only a matching amount counts: a bill of the same day
    that does not show the figure proves nothing about it."""
    try:
        value = Decimal(amount.lstrip("-")).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return ""
    hits = [
        label
        for label, e in ctx.exhibits
        if any(a.value.quantize(Decimal("0.01")) == value for a in e.extraction.amounts)
    ]
    return "、".join(hits[:3]) + ("等" if len(hits) > 3 else "")


def _cash_flows(data: Mapping[str, Any], ctx: LetterContext) -> Flowable | None:
    st = ctx.styles
    rows: list[list[Any]] = [
        [para(h, st.cell_head) for h in ("日期", "方向", "类别", "金额（元）", "证据")]
    ]
    for f in data.get("flows") or []:
        kind = str(f.get("kind"))
        amount = to_text(f.get("amount"))
        day = to_text(f.get("date"))
        label = ctx.label_of_id.get(str(f.get("exhibit") or ""), "")
        if kind == "received":
            direction, what = "到账", "实际到账本金"
        elif kind == "demanded":
            direction, what = "视为支付", "对方账单所列应还合计（按当日结清计入）"
        else:
            direction, what = "支付", PAYMENT_KIND_ZH.get(kind, "其他")
        label = label or _evidence_for(amount, ctx) or "投诉人陈述"
        rows.append(
            [
                para(day, st.cell),
                para(direction, st.cell),
                para(what, st.cell),
                para(amount.lstrip("-"), st.cell),
                para(label, st.cell),
            ]
        )
    if len(rows) == 1:
        return None
    return grid_table(rows, [FRAME_W * w for w in (0.16, 0.12, 0.34, 0.16, 0.22)])


def conduct(block: Mapping[str, Any], ctx: LetterContext, out: list[Flowable]) -> list[Flowable]:
    data = (ctx.analysis or {}).get("conduct")
    if not data:
        return []
    st = ctx.styles
    for t in block.get("intro", []):
        out.append(para(ctx.filler.fill(t), st.lead))
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
                    para(_rules_cell(f, ctx), st.cell),
                    para("、".join(x for x in labels if x) or "—", st.cell),
                ]
            )
        out.append(grid_table(rows, [FRAME_W * w for w in (0.3, 0.1, 0.38, 0.22)]))
    chart = _days_chart(data.get("days") or [], ctx)
    if chart is not None:
        out.append(chart)
    return out


def _source_words(text: str, ctx: LetterContext) -> str:
    """A source tag inside analysis wording ([S] …) becomes the template's words for it."""
    words = (ctx.template.get("rule_status") or {}).get("source_words") or {}
    for tag, word in words.items():
        text = text.replace(f"（{tag}）", f"（{word}）").replace(tag, f"（{word}）")
    return text


def _rules_cell(flag: Mapping[str, Any], ctx: LetterContext) -> str:
    """The 相关规定 cell: each rule opens with its status word, read from the template's
    [rule_status] table by the analysis's source tag ([L], [G], [S] …); a rule whose own text
    says its article number is unverified drops to the template's unverified status."""
    labels = ctx.template.get("status_labels") or {}
    table = ctx.template.get("rule_status") or {}
    by_source = table.get("by_source") or {}
    parts = []
    for r in flag.get("rules") or []:
        if not isinstance(r, Mapping):
            continue
        text, source = to_text(r.get("text")), to_text(r.get("status"))
        status = by_source.get(source, table.get("unknown", "reference"))
        if any(w in text for w in table.get("unverified_words", [])):
            status = table.get("unknown", "reference")
        parts.append(f"{labels.get(status, '')}{text}")
    return "；".join(parts) or to_text(flag.get("rule"))


def _days_chart(days: Sequence[Any], ctx: LetterContext) -> Flowable | None:
    rows = [d for d in days if isinstance(d, Mapping) and isinstance(d.get("date"), str)]
    if not rows:
        return None
    keys = [
        k
        for k, v in rows[0].items()
        # only keys with a Chinese name: a snake-case key must never reach the legend
        if isinstance(v, int) and not isinstance(v, bool) and k in KEY_ZH
    ][: len(_SERIES_COLORS)]
    if not keys:
        return None
    series = [
        (KEY_ZH[k], [int(r.get(k) or 0) for r in rows], _SERIES_COLORS[i])
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
        # the analysis' reason is an English message for `analyze`; the document says it plainly
        out.append(
            para(
                "（还款方案未能计算：目前的账单（剩余本金或逾期金额）或每月收支信息不全，"
                "补全后重新生成即可。）",
                st.small,
            )
        )
    elif isinstance(proposal, Mapping):
        for t in block.get("intro", []):
            out.append(para(ctx.filler.fill(t), st.lead))
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
            out.append(para("拟还款计划", st.h3))
            out.append(_schedule_table(schedule, ctx, with_status=False))
    tracking = data.get("tracking")
    if block.get("tracking") and isinstance(tracking, Mapping) and "instalments" in tracking:
        out.append(para("已约定分期的履行情况", st.h3))
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
