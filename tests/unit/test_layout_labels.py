"""Label/value rows and tables on bills, receipts and scans: a bare number takes its label
from the layout (a caption over it, its column's header), as OCR gives the lines."""

from __future__ import annotations

from decimal import Decimal

from evidence_kit.extract import extract
from evidence_kit.layout import read_layout
from evidence_kit.layout.reading import LayoutReading, extraction_text
from evidence_kit.models import Box, OcrLine


def ln(text: str, x0: float, y0: float, x1: float, y1: float) -> OcrLine:
    return OcrLine(text, Box(x0, y0, x1, y1), 0.95)


def read(lines: list[OcrLine], width: int, height: int) -> LayoutReading:
    ex = extract(extraction_text(lines))
    return read_layout(lines, width, height, extraction=ex)


def amounts(r: LayoutReading) -> list[tuple[Decimal, str | None]]:
    return [(a.value, a.label) for a in r.extraction.amounts]


def home_card(caption: str, figure: str) -> list[OcrLine]:
    # A bookkeeping app's home screen: a caption over its figure, a button beside it, then
    # the month's totals and a list under a date header.
    return [
        ln("16:00", 145, 44, 301, 107),
        ln("首页", 578, 171, 699, 242),
        ln("备份至邮箱", 107, 306, 343, 366),
        ln("历史记录", 1064, 307, 1253, 366),
        ln(caption, 546, 378, 739, 436),
        ln("设置提醒", 1062, 410, 1252, 465),
        ln(figure, 528, 457, 751, 523),
        ln("设置预算", 549, 599, 729, 651),
        ln("6月支出", 145, 889, 317, 945),
        ln("6月预算", 548, 888, 722, 944),
        ln("6月收入", 953, 887, 1127, 946),
        ln("1元", 191, 970, 272, 1031),
        ln("1000元", 556, 970, 716, 1029),
        ln("100元", 975, 971, 1106, 1029),
        ln("2022-06-09", 62, 1128, 337, 1176),
        ln("支出:1", 726, 1122, 893, 1182),
        ln("收入:100", 1002, 1124, 1220, 1180),
        ln("兼职", 225, 1220, 335, 1283),
        ln("100", 1083, 1280, 1191, 1344),
        ln("吃喝", 225, 1425, 332, 1489),
        ln("-1", 1118, 1488, 1191, 1551),
        ln("记一笔", 1038, 2332, 1178, 2388),
    ]


def test_a_figure_under_its_caption_is_money() -> None:
    r = read(home_card("预算剩余", "999.00"), 1290, 2796)
    assert (Decimal("999.00"), "预算剩余") in amounts(r)
    assert sorted(abs(v) for v, _ in amounts(r)) == [1, 1, 1, 100, 100, 100, 999, 1000]


def test_a_count_under_its_caption_is_no_money() -> None:
    r = read(home_card("剩余天数", "21"), 1290, 2796)
    assert Decimal(21) not in [v for v, _ in amounts(r)]


def test_an_invoice_table_row_takes_its_column_headers() -> None:
    # A VAT invoice scan: the header row set tight on the row below, 金额 and 税额 printed
    # with wide letter spacing (OCR reads 金, 额 apart), the numbers right-aligned.
    header = [
        ("货物或应税劳务名称", 113, 245),
        ("规格型号", 294, 354),
        ("单位", 380, 411),
        ("数量", 437, 477),
        ("单价", 512, 555),
        ("金", 601, 619),
        ("额", 636, 654),
        ("税率", 688, 720),
        ("税", 751, 772),
        ("额", 787, 806),
    ]
    row = [
        ("计算机", 78, 122),
        ("A6100", 277, 312),
        ("台", 375, 391),
        ("1", 483, 491),
        ("5999.00", 520, 569),
        ("5999.00", 631, 679),
        ("17%", 690, 718),
        ("1019.83", 783, 831),
    ]
    lines = [ln("增值税专用发票", 351, 25, 558, 52)]
    lines += [ln(t, a, 199, b, 216) for t, a, b in header]
    lines += [ln(t, a, 213, b, 229) for t, a, b in row]
    r = read(lines, 880, 520)
    assert amounts(r) == [
        (Decimal("5999.00"), "单价"),
        (Decimal("5999.00"), "金额"),
        (Decimal("1019.83"), "税额"),
    ]


def test_a_right_aligned_number_takes_the_header_it_overlaps_most() -> None:
    # 96.72 sits between 金额 and 税率, under more of 金额.
    header = [("单价", 807, 875), ("金额", 944, 1035), ("税率", 1080, 1137), ("税额", 1181, 1270)]
    row = [("96.72", 1022, 1083), ("16%", 1097, 1139), ("15.48", 1253, 1311)]
    lines = [ln("深圳增值税普通发票", 541, 115, 903, 236)]
    lines += [ln(t, a, 420, b, 456) for t, a, b in header]
    lines += [ln(t, a, 462, b, 493) for t, a, b in row]
    r = read(lines, 1400, 1000)
    assert amounts(r) == [(Decimal("96.72"), "金额"), (Decimal("15.48"), "税额")]


def test_a_header_another_cell_sits_under_is_not_this_cells() -> None:
    # An e-invoice's row printed off its headers: 46.62 touches 税率 more than 额, but 13%
    # sits right under 税率; 6.08 is right-aligned past 税额's end.
    header = [("单价", 502, 539), ("金", 609, 627), ("额", 632, 651), ("税率", 688, 719),
              ("税", 759, 785), ("额", 777, 803)]
    row = [("(详见销货清单)", 82, 166), ("46.62", 656, 689), ("13%", 691, 721), ("6.08", 810, 838)]
    lines = [ln("天津增值税电子普通发票", 294, 66, 591, 98)]
    lines += [ln(t, a, 230, b, 248) for t, a, b in header]
    lines += [ln(t, a, 248, b, 266) for t, a, b in row]
    r = read(lines, 900, 560)
    assert [v for v, _ in amounts(r)] == [Decimal("46.62"), Decimal("6.08")]


def test_an_avatar_read_as_a_glyph_does_not_split_an_amount_from_its_unit() -> None:
    # An iOS chat: the sender's avatar beside the bubble is read as 日, between the line with
    # the number and the line with its 元 (2,816.73日 would be a day, not money).
    lines = [
        ln("23:01", 46, 24, 157, 66),
        ln("乐享分期客服", 419, 134, 749, 201),
        ln("3月1日下午7:10", 441, 298, 728, 341),
        ln("我可以每月还2,816.73", 388, 402, 932, 465),
        ln("日", 993, 357, 1146, 519),
        ln("元，从2025年2月1日开", 389, 476, 951, 540),
        ln("始，可以吗？", 384, 548, 704, 617),
        ln("我在2025年1月7日已经", 373, 723, 937, 786),
        ln("日", 992, 678, 1145, 839),
        ln("还了2290.92元，为什么", 370, 793, 952, 863),
        ln("还显示逾期？", 372, 872, 687, 936),
    ]
    r = read(lines, 1170, 2532)
    assert [v for v, _ in amounts(r)] == [Decimal("2816.73"), Decimal("2290.92")]
