"""Amounts as bills, chats, SMS and collectors write them: value, label, span."""

from __future__ import annotations

from decimal import Decimal

import pytest

from evidence_kit.extract import extract_amounts

# (id, text, [(value, label), ...]) — value as the JSON string, label None when there is none.
CASES = [
    ("yen-thousands", "本期应还：¥1,234.56", [("1234.56", "本期应还")]),
    ("fullwidth-yen", "￥1234.56", [("1234.56", None)]),
    ("yuan-suffix", "1234.56元", [("1234.56", None)]),
    ("rmb-prefix", "RMB 500", [("500", None)]),
    ("cny-prefix", "交易金额 CNY1,000.00", [("1000.00", "交易金额")]),
    ("renminbi-arabic", "人民币500元", [("500", None)]),
    ("renminbi-daxie", "借款金额：人民币叁仟元整", [("3000", "借款金额")]),
    ("daxie-jiao-fen", "壹万贰仟叁佰肆拾伍元陆角柒分", [("12345.67", None)]),
    ("chinese-numerals", "你先还三千元我们就不上门", [("3000", None)]),
    ("colloquial-wan", "他说一万五块钱就能结清", [("15000", None)]),
    ("wan-decimal", "逾期总额1.2万", [("12000", "逾期总额")]),
    ("wan-alone", "大概欠1.2万，", [("12000", None)]),
    ("wan-yuan", "借了1.2万元", [("12000", None)]),
    ("qian-alone", "大概3千，", [("3000", None)]),
    ("negative-bare", "-200.00", [("-200.00", None)]),
    ("negative-yen", "退款 -¥50.00", [("-50.00", "退款")]),
    ("refund-keeps-label", "退款 ¥50", [("50", "退款")]),
    (
        "overdue-and-penalty",
        "您已逾期15天，逾期金额3,256.00元，罚息128.50元",
        [
            ("3256.00", "逾期金额"),
            ("128.50", "罚息"),
        ],
    ),
    ("waiver-overrides-item", "经协商可减免罚息及违约金共计1.2万元", [("12000", "减免")]),
    ("bare-after-label-colon", "逾期金额：3000", [("3000", "逾期金额")]),
    ("bare-after-label-space", "本金 10,000.00", [("10000.00", "本金")]),
    (
        "bill-row",
        "本金 10,000.00 利息 230.50 服务费 120.00 担保费 88.00",
        [
            ("10000.00", "本金"),
            ("230.50", "利息"),
            ("120.00", "服务费"),
            ("88.00", "担保费"),
        ],
    ),
    ("label-with-unit-header", "应还金额(元)：5230.00", [("5230.00", "应还金额")]),
    ("label-with-wei", "剩余应还金额为8,800.00", [("8800.00", "剩余应还金额")]),
    ("remark-in-parentheses", "逾期金额（含罚息）共计3,256.00元", [("3256.00", "逾期金额")]),
    (
        "sms",
        "【分期乐】您本期账单金额1,060.33元，最低还款106.03元，请于3月21日前还款",
        [
            ("1060.33", "本期账单金额"),
            ("106.03", "最低还款"),
        ],
    ),
    ("member-fee", "会员费299元是自动扣的，担保费每期88元", [("299", "会员费"), ("88", "担保费")]),
    (
        "received",
        "实际到账9,000.00元，借款金额10,000.00元",
        [
            ("9000.00", "实际到账"),
            ("10000.00", "借款金额"),
        ],
    ),
    ("paid", "已还 ¥3,300.00 剩余应还 ¥6,700.00", [("3300.00", "已还"), ("6700.00", "剩余应还")]),
    ("kuai", "催收说今天不还3000块就起诉", [("3000", None)]),
    ("fullwidth-digits", "逾期金额：３，２５６．００元", [("3256.00", "逾期金额")]),
    ("spaced-ocr-label", "逾 期 金 额 ： 3000", [("3000", "逾期金额")]),
    ("ocr-y-for-yen", "应还Y1,234.56", [("1234.56", "应还")]),
    ("ocr-hash-for-yen", "罚息#50.00", [("50.00", "罚息")]),
    ("label-chinese-wan", "减免两万", [("20000", "减免")]),
    ("range-is-not-an-amount", "手续费100-200元", []),  # a range: see test_extract_grammar.py
    ("money-verb-bare", "我：我现在只能先还500，剩下的下个月还", [("500", None)]),
    ("money-verb-le", "我上周五已经还了2000了", [("2000", None)]),
    ("money-shaped-bare", "你这个月的3,120.55到底什么时候还", [("3120.55", None)]),
    ("signed-plus", "+1,000.00 2025-03-20 还款入账", [("1000.00", None)]),
    ("total-yields-to-label", "欠款金额共计13,562.80元", [("13562.80", "欠款金额")]),
    (
        "total-after-amounts",
        "应还本金833.33　应还利息199.92　合计1,033.25",
        [
            ("833.33", "应还本金"),
            ("199.92", "应还利息"),
            ("1033.25", "合计"),
        ],
    ),
    ("total-after-phrase", "利息及费用合计：¥3,588.21", [("3588.21", "合计")]),
    ("jin-e-compound", "调解金额8,000.00元", [("8000.00", "调解金额")]),
    (
        "modifier-compound",
        "逾期本金 5,000.00　逾期罚息 37.59　已还本金 1,200.00",
        [
            ("5000.00", "逾期本金"),
            ("37.59", "逾期罚息"),
            ("1200.00", "已还本金"),
        ],
    ),
    ("ending-compound", "本期应还款额：￥4,532.10", [("4532.10", "本期应还款额")]),
    ("column-space-kept", "摘要 分期乐还款　金额 -2,106.00", [("-2106.00", "金额")]),
    ("waiver-mianchu", "一次性结清可免除剩余5,562.80元", [("5562.80", "免除")]),
    ("wan-qian-compound", "应还总额5万2千多", [("52000", "应还总额")]),
    ("wan-colloquial-digit", "借了1万5，", [("15000", None)]),
    ("letter-spaced-pdf", "本 期 应 还 ： 1 , 2 3 4 . 5 6", [("1234.56", "本期应还")]),
    (
        "daxie-with-renminbi",
        "每期还款金额为人民币壹仟零叁拾叁元贰角伍分",
        [("1033.25", "每期还款金额")],
    ),
    # OCR of scans and photographed paper reads the thousands comma as a dot.
    (
        "ocr-dot-for-comma",
        "其中本金23255元，罚息2.451.44元，违约金90.79元",
        [("23255", "本金"), ("2451.44", "罚息"), ("90.79", "违约金")],
    ),
    # Prices and everyday fees on tickets, receipts and bills name a bare number.
    ("fee-on-ticket", "燃油费:2.0", [("2.0", "燃油费")]),
    ("average-price", "@军子中冶有活动现房均价6700", [("6700", "均价")]),
    ("tax-amount-cell", "税额 1019.83", [("1019.83", "税额")]),
    ("ocr-dot-for-comma-prefix", "应还总额为人民币19.606.55元", [("19606.55", "应还总额")]),
]

NOT_AMOUNTS = [
    ("percentage", "年化利率23.99%"),
    ("percentage-after-label", "利息：24%"),
    ("count-periods", "分12期还款"),
    ("count-days", "已逾期3天"),
    ("label-then-count", "逾期金额有3笔"),
    ("date", "2025年3月21日"),
    ("iso-date", "还款日2025-03-21"),
    ("date-after-label", "应还：2025-03-21"),
    ("time", "22:08"),
    ("phone", "联系电话13800138000"),
    ("phone-after-label", "应还款联系13800138000"),
    ("masked-phone", "138****1234"),
    ("id-card", "身份证110105199003071239"),
    ("bank-card", "卡号6222 0202 0011 2233 446"),
    ("order-number", "订单号：2025032112345678"),
    ("contract-number", "合同编号 HT-2025-000123"),
    ("bare-number", "一共来了3000人"),
    ("unsigned-decimal", "12.50"),
    ("yi-kuai-together", "我们一块去"),
    ("y-model-number", "Y500型号"),
    ("wan-followed-by-noun", "3万人"),
    ("verb-then-count", "还差3天就到期了，借了3次"),
    ("unsigned-no-thousands", "第3期 1033.25 已结清"),
    ("discount-is-no-money", "价格3折"),
    ("dotted-version", "版本 1.234.56 已发布"),
    ("dotted-date", "到期日2025.03.04"),
]


def _pairs(text: str) -> list[tuple[str, str | None]]:
    return [(str(a.value), a.label) for a in extract_amounts(text)]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_amounts(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert _pairs(text) == expected


@pytest.mark.parametrize("text", [c[1] for c in NOT_AMOUNTS], ids=[c[0] for c in NOT_AMOUNTS])
def test_not_amounts(text: str) -> None:
    assert _pairs(text) == []


def test_offsets_and_text() -> None:
    text = "您已逾期15天，逾期金额3,256.00元"
    (a,) = extract_amounts(text)
    assert (a.start, a.end, a.text) == (12, 21, "3,256.00元")
    assert text[a.start : a.end] == a.text
    assert a.currency == "CNY"
    assert a.value == Decimal("3256.00")


def test_offsets_point_into_raw_text_when_normalised() -> None:
    text = "逾 期 金 额 ： ３，２５６．００元"
    (a,) = extract_amounts(text)
    assert a.text == "３，２５６．００元"
    assert text[a.start : a.end] == a.text


def test_json_shape() -> None:
    (a,) = extract_amounts("本期应还：¥1,234.56")
    assert a.to_json() == {
        "value": "1234.56",
        "currency": "CNY",
        "label": "本期应还",
        "text": "¥1,234.56",
        "start": 5,
        "end": 14,
    }
