"""Layout classes first met on real images nobody tuned on (benchmarks/data/real_extra):
a call list without times, a bill detail shown over a list, code in a chat bubble, a
bookkeeping app's month summary and the icons beside its rows. All data fictional."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from evidence_kit.extract import extract
from evidence_kit.layout import read_layout
from evidence_kit.layout.reading import LayoutReading, extraction_text
from evidence_kit.models import Box, OcrLine, Side

REF = datetime(2025, 12, 9, 9, 30)
W, H = 1080, 1920


def ln(text: str, x0: float, y0: float, x1: float, h: float = 44, conf: float = 0.97) -> OcrLine:
    return OcrLine(text, Box(x0, y0, x1, y0 + h), conf)


def read(lines: list[OcrLine], width: int = W, height: int = H) -> LayoutReading:
    ex = extract(extraction_text(lines), reference=REF)
    return read_layout(lines, width, height, extraction=ex, reference=REF)


def test_a_call_list_without_times_is_a_call_log() -> None:
    lines = [
        ln("16:19", 900, 20, 1040),
        ln("来电信息", 30, 120, 260, h=60),
        ln("10001", 460, 300, 620),
        ln("某某服务热线", 400, 360, 680),
        ln("0755123456", 420, 520, 660),
        ln("广东 深圳，已被12个用户标记为广告", 200, 580, 880),
        ln("4001234567", 420, 740, 660),
        ln("未知，已被345个用户标记为诈骗", 220, 800, 860),
    ]
    r = read(lines)
    assert r.screen == "call_log"
    assert r.extraction.amounts == ()


def test_a_bill_detail_by_its_one_large_amount_is_no_chat() -> None:
    lines = [
        ln("14:14", 100, 30, 230, h=32),
        ln("账单列表", 24, 118, 228, h=52),
        ln("-107.07", 292, 355, 691, h=100),
        ln("支出", 447, 519, 514),
        ln("无折扣", 569, 516, 689),
        ln("由多个账单合并生成", 90, 615, 426),
        ln("支出报销", 121, 710, 254),
        ln("某某白条", 146, 806, 280),
        ln("购物 - 日用品", 147, 892, 332),
        ln("2025-12-07 11:40:30", 148, 980, 437),
        ln("备注", 126, 1056, 193),
        ln("取消", 194, 1516, 270),
        ln("保存", 504, 1516, 580),
    ]
    r = read(lines, 778, 1730)
    assert r.screen == "bill_detail"
    assert [abs(a.value) for a in r.extraction.amounts] == [Decimal("107.07")]


def test_code_in_a_chat_is_no_signed_bill_row() -> None:
    lines = [
        ln("助手机器人", 44, 39, 276, h=36),
        ln("请写一段冒泡排序的代码。", 900, 172, 1690, h=32),
        ln("function sort(arr) {", 142, 300, 483, h=32),
        ln("if (arr[j] > arr[j + 1]) {", 233, 380, 509, h=32),
        ln("let t = arr[j + 1];", 263, 440, 525, h=32),
        ln("arr[j + 1] = arr[j];", 262, 500, 481, h=32),
        ln("x = j + 1", 262, 560, 481, h=32),
        ln("return arr;", 170, 620, 310, h=32),
    ]
    r = read(lines, 1750, 1114)
    assert r.screen != "bill_list"
    assert r.extraction.amounts == ()


def test_a_month_summary_under_a_month_picker_and_icons_beside_rows() -> None:
    lines = [
        ln("12:07", 40, 20, 140),
        ln("某某记账", 420, 120, 660, h=60),
        ln("2025年", 20, 240, 110, h=38),
        ln("收入", 220, 240, 270),
        ln("支出", 470, 240, 520),
        ln("结余", 725, 240, 775),
        ln("12月", 20, 280, 100, h=60),
        ln("4474.9", 220, 280, 370, h=58),
        ln("1451", 470, 280, 585, h=58),
        ln("3023.9", 725, 280, 885, h=58),
        ln("2025-12-07 星期日", 30, 380, 420),
        ln("彩票", 140, 460, 210),
        ln("-60.93", 840, 460, 970),
        ln("55", 900, 540, 960, conf=0.57),  # a sync arrow OCR read as digits
        ln("公积金", 140, 620, 240),
        ln("+32.09", 840, 620, 970),
        ln("2025-12-06 星期六", 30, 720, 420),
        ln("购物", 140, 800, 210),
        ln("-13.19", 840, 800, 970),
    ]
    r = read(lines)
    assert r.screen == "bill_list"
    assert [abs(a.value) for a in r.extraction.amounts] == [
        Decimal("4474.9"),
        Decimal("1451"),
        Decimal("3023.9"),
        Decimal("60.93"),
        Decimal("32.09"),
        Decimal("13.19"),
    ]


def test_an_sms_inbox_row_is_one_message_without_its_time() -> None:
    lines = [
        ln("10:11", 20, 20, 120),
        ln("短信", 40, 120, 200, h=60),
        ln("1069012345678", 150, 280, 440),
        ln("4小时前", 780, 280, 920),
        ln("【某某银行】尊敬的", 150, 350, 540),  # a blurred name splits the line
        ln("先生/女士，备用金", 600, 350, 1020),
        ln("为您定制限时费率优惠！申请1", 150, 400, 990),
        ln("万元每天手续费最低仅需1.6元！回TD退订。", 150, 450, 1020),
        ln("1069087654321", 150, 600, 440),
        ln("8小时前", 780, 600, 920),
        ln("【某某出行】司机已到达指定地点，可通过", 150, 670, 1020),
        ln("编号确认司机身份，避免接错。", 150, 720, 800),
    ]
    r = read(lines)
    assert r.screen == "sms"
    texts = [m.text for m in r.messages if not m.text.startswith("1069")]
    assert len(texts) == 2
    assert texts[0].startswith("【某某银行】尊敬的") and texts[0].endswith("回TD退订。")
    assert texts[1].startswith("【某某出行】") and "编号确认" in texts[1]
    assert all(m.side is Side.THEM for m in r.messages)
