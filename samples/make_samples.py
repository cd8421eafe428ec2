"""Regenerate every file of the fictional demo case in ``samples/`` (deterministic).

    python samples/make_samples.py            # overwrite the files beside this script
    python samples/make_samples.py --out DIR  # write them somewhere else

Everything here is invented: the person, the phone numbers, the ID and contract numbers, the
platform "乐享分期" and the companies "示例…有限公司". Amounts are consistent across files: they
all come from the constants and the schedule below.

Needs Pillow and reportlab; the recording needs ``espeak-ng`` (Debian package espeak-ng) and
the ``.m4a`` copy ``ffmpeg``. Without them those files are skipped (``--no-audio`` skips them
on purpose).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import wave
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import render  # noqa: E402  (a sibling script, not a package)

# The libraries whose versions decide the exact bytes of the generated files. The committed
# files were made with these; elsewhere the files are equivalent but not byte-identical.
MADE_WITH = {
    "pillow": "13.0.0",
    "freetype2": "2.14.3",
    "libjpeg_turbo": "3.2.0",
    "zlib": "1.2.13",
    "reportlab": "5.1.0",
    "espeak-ng": "1.51",
    "ffmpeg": "5.1.9-0+deb12u1",
}


def toolchain() -> dict[str, str | None]:
    """The versions of MADE_WITH's tools on this machine (None where missing)."""
    import PIL
    import reportlab
    from PIL import features

    def tool_version(cmd: list[str], word: int) -> str | None:
        if shutil.which(cmd[0]) is None:
            return None
        out = subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.split()
        return out[word] if len(out) > word else None

    return {
        "pillow": PIL.__version__,
        "freetype2": features.version("freetype2"),
        "libjpeg_turbo": features.version("libjpeg_turbo"),
        "zlib": features.version("zlib"),
        "reportlab": reportlab.Version,
        "espeak-ng": tool_version(["espeak-ng", "--version"], 3),
        "ffmpeg": tool_version(["ffmpeg", "-version"], 2),
    }


# ---------------------------------------------------------------- the story


def _id_check(first17: str) -> str:
    """GB 11643 check character of a resident ID number."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights)) % 11]


def _credit_code_check(first17: str) -> str:
    """GB 32100 check character of a unified social credit code."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    total = sum(alphabet.index(c) * w for c, w in zip(first17, weights))
    return alphabet[(31 - total % 31) % 31]


NAME = "林晓雨"
ID_NUMBER = "11010119900307002" + _id_check("11010119900307002")  # female (even 17th digit)
PHONE = "13800000000"
PLATFORM = "乐享分期"
COMPANY = "示例消费金融有限公司"
CREDIT_CODE = "91110101MA0000000" + _credit_code_check("91110101MA0000000")
GUARANTOR = "示例融资担保有限公司"
COLLECTOR = "示例信息咨询服务有限公司"
SERVICE_PHONE = "400-000-0000"
CONTRACT_NO = "FQL2024061500123"
COLLECTOR_WECHAT = "王经理（乐享分期法务）"
COLLECTOR_PHONE = "021-60000000"
COLLECTOR_ID = "C1024"

CONTRACT = Decimal("10000.00")
RECEIVED = Decimal("9700.00")  # a 300.00 "service fee" was kept back at disbursement
RECEIVED_DATE = date(2024, 6, 15)
TERM = 12
PRINCIPAL = Decimal("833.33")  # last period takes the rounding: 833.37
INTEREST = Decimal("125.00")
GUARANTEE = Decimal("45.00")
MEMBERSHIP = Decimal("199.00")  # a "会员" charged with period 1
PAID_PERIODS = 5  # Jul–Nov 2024; laid off end of November, Dec/Jan/Feb missed
PENALTY = Decimal("128.50")  # 罚息
LATE_FEE = Decimal("117.51")  # 违约金
PLAN_FIRST = date(2025, 4, 15)
PLAN_EACH = Decimal("560.00")


@dataclass(frozen=True)
class Period:
    n: int
    due: date
    principal: Decimal
    interest: Decimal
    guarantee: Decimal
    membership: Decimal

    @property
    def installment(self) -> Decimal:
        return self.principal + self.interest

    @property
    def total(self) -> Decimal:
        return self.installment + self.guarantee + self.membership


def schedule() -> list[Period]:
    periods = []
    for n in range(1, TERM + 1):
        month = RECEIVED_DATE.month + n
        due = date(RECEIVED_DATE.year + (month - 1) // 12, (month - 1) % 12 + 1, 15)
        principal = PRINCIPAL if n < TERM else CONTRACT - PRINCIPAL * (TERM - 1)
        member = MEMBERSHIP if n == 1 else Decimal("0.00")
        periods.append(Period(n, due, principal, INTEREST, GUARANTEE, member))
    return periods


def overdue() -> dict[str, Decimal]:
    missed = [p for p in schedule() if p.n > PAID_PERIODS and p.due < date(2025, 3, 1)]
    parts = {
        "installments": sum((p.installment for p in missed), Decimal(0)),
        "guarantee": sum((p.guarantee for p in missed), Decimal(0)),
        "penalty": PENALTY,
        "late_fee": LATE_FEE,
    }
    parts["total"] = sum(parts.values(), Decimal(0))
    return parts


def overdue_days(on: date) -> int:
    first_missed = schedule()[PAID_PERIODS].due
    return (on - first_missed).days


def yuan(v: Decimal) -> str:
    return f"¥{v:,.2f}"


def plan() -> list[tuple[date, Decimal]]:
    """The agreed plan: overdue minus the waived 罚息, in 6 parts of 560.00, the last smaller."""
    rest = overdue()["total"] - PENALTY
    out = []
    for k in range(6):
        due = date(PLAN_FIRST.year, PLAN_FIRST.month + k, 15)
        amount = PLAN_EACH if k < 5 else rest - PLAN_EACH * 5
        out.append((due, amount))
    return out


# ---------------------------------------------------------------- screenshots


def chat_negotiation() -> list[dict]:
    od = overdue()
    return [
        {"type": "time", "text": "2025年3月5日 上午10:12"},
        {
            "side": "them",
            "name": "乐享分期客服",
            "text": "您好，乐享分期客服小乐为您服务，请问有什么可以帮您？",
        },
        {"side": "me", "text": "你好，我去年11月底被公司裁员了，现在实在还不上，想协商一下还款。"},
        {
            "side": "them",
            "name": "乐享分期客服",
            "text": f"经查询，您的借款合同 {CONTRACT_NO} 已逾期{overdue_days(date(2025, 3, 5))}天，"
            f"当前逾期金额 {yuan(od['total'])}，其中罚息 {yuan(PENALTY)}，"
            f"违约金 {yuan(LATE_FEE)}。",
        },
        {"side": "me", "text": "罚息能不能减免？我可以尽量先还一部分。"},
        {
            "side": "them",
            "name": "乐享分期客服",
            "text": f"如您在3月15日前还清逾期金额，可为您申请减免罚息 {yuan(PENALTY)}。",
        },
        {"side": "me", "text": "一次性还清我做不到，能不能分期还逾期的部分？"},
        {"type": "time", "text": "上午10:15"},
        {
            "side": "them",
            "name": "乐享分期客服",
            "text": "已为您提交协商还款申请，审核结果将在5个工作日内通知您，请留意App消息。",
        },
    ]


def chat_collector() -> list[dict]:
    total = overdue()["total"]
    return [
        {"type": "time", "text": "昨天 22:08"},
        {
            "side": "them",
            "text": f"{NAME}，你在{PLATFORM}的借款已经逾期{overdue_days(date(2025, 3, 11))}天了，"
            "今天必须处理。",
        },
        {"side": "them", "text": "我们是法务部的，已经上报征信并准备起诉。"},
        {"side": "me", "text": "我已经在App里申请协商分期了，还在审核。"},
        {"side": "them", "text": "协商没用，我们只看钱。"},
        {"type": "time", "text": "22:30"},
        {"side": "them", "text": "再不还就联系你的家人和单位，让你同事都知道你欠钱不还。"},
        {"side": "them", "text": f"今晚12点前还{total:,.2f}，不然明天上门。"},
        {"side": "me", "text": "请不要联系我的家人和单位，我会按协商结果还款。"},
    ]


def call_log() -> list[dict]:
    return [
        {"type": "date", "text": "3月13日 星期四"},
        {
            "number": "17000000001",
            "time": "07:45",
            "status": "missed",
            "location": "上海",
            "tag": "疑似催收",
        },
        {
            "number": COLLECTOR_PHONE,
            "time": "07:12",
            "status": "missed",
            "location": "上海",
            "count": 2,
            "tag": "疑似催收",
        },
        {"type": "date", "text": "3月12日 星期三"},
        {
            "number": "16500000002",
            "time": "23:38",
            "status": "missed",
            "location": "江苏 南京",
            "tag": "骚扰电话",
        },
        {
            "number": COLLECTOR_PHONE,
            "time": "23:05",
            "status": "rejected",
            "location": "上海",
            "count": 3,
            "tag": "疑似催收",
        },
        {
            "number": "17000000001",
            "time": "22:41",
            "status": "missed",
            "location": "上海",
            "tag": "疑似催收",
        },
        {"number": "13800000001", "time": "18:20", "status": "incoming", "location": "北京"},
        {
            "number": COLLECTOR_PHONE,
            "time": "12:31",
            "status": "missed",
            "location": "上海",
            "tag": "疑似催收",
        },
    ]


def chat_plan() -> list[dict]:
    od = overdue()
    p = plan()
    terms = (
        f"借款合同编号：{CONTRACT_NO}\n"
        f"逾期金额：{yuan(od['total'])}\n"
        f"减免罚息：{yuan(PENALTY)}\n"
        f"减免后应还：{yuan(od['total'] - PENALTY)}\n"
        f"分6期还款，前5期每期 {yuan(PLAN_EACH)}，第6期 {yuan(p[-1][1])}\n"
        f"首期还款日：{PLAN_FIRST.isoformat()}"
    )
    return [
        {"type": "time", "text": "2025年3月20日 上午9:05"},
        {
            "side": "them",
            "name": "乐享分期客服",
            "text": "您好，您的协商还款申请已审核通过，方案如下：",
        },
        {"side": "them", "name": "乐享分期客服", "text": terms},
        {
            "side": "them",
            "name": "乐享分期客服",
            "text": "请确认是否接受该方案。确认后按期还款，期间不再产生罚息。",
        },
        {"type": "time", "text": "上午9:11"},
        {"side": "me", "text": "确认接受。另外请通知催收人员不要再联系我的家人和单位。"},
        {
            "side": "them",
            "name": "乐享分期客服",
            "text": "好的，已为您备注。方案已生效，请按时还款。",
        },
    ]


def write_images(out: Path) -> None:
    img, _ = render.render_chat(
        chat_negotiation(), style="app", title="乐享分期客服", status_time="10:15"
    )
    render.save_png(img, out / "Screenshot_20250305-101530.png")
    img, _ = render.render_chat(
        chat_collector(), style="wechat", title=COLLECTOR_WECHAT, status_time="22:30", seed=7
    )
    render.save_jpeg(img, out / "微信图片_20250312223015.jpg", 82)
    img, _ = render.render_call_log(call_log(), status_time="16:00", width=1080)
    render.save_jpeg(img, out / "mmexport1741852800000.jpg", 80)
    img, _ = render.render_chat(chat_plan(), style="app", title="乐享分期客服", status_time="09:12")
    render.save_jpeg(img, out / "IMG_20250320_091200.jpg", 85, exif_datetime="2025:03:20 09:12:00")


# ---------------------------------------------------------------- notes

NOTE_0310 = f"""通话记录
时间：2025年3月10日 19:42 至 19:51
渠道：电话（对方来电）
来电号码：{COLLECTOR_PHONE}
对方：自称{PLATFORM}委外催收，工号 {COLLECTOR_ID}，姓王
内容：
1. 对方称我的借款（合同编号 {CONTRACT_NO}）已逾期，逾期金额 {yuan(overdue()["total"])}。
2. 我说明2024年11月底被裁员，已于2025年3月5日在App内申请协商还款。
3. 对方要求我3月15日前一次性还清，否则“走法律程序”，还说“会联系你的紧急联系人”。
约定：对方同意等App协商结果出来，期间不再每天打电话。
记录人：{NAME}    记录时间：2025年3月10日 20:05
"""

NOTE_0314 = f"""通话记录
时间：2025年3月14日 22:15 至 22:21（夜间）
渠道：电话（对方来电），已录音：录音_20250314_2215.wav
来电号码：{COLLECTOR_PHONE}
对方：自称{PLATFORM}法务部，工号 {COLLECTOR_ID}
内容：
1. 对方说我已经逾期九十天，要求当晚还清全部逾期款 {overdue()["total"]:,.2f} 元。
2. 对方说“再不还款，我们就联系你的家人和单位”，还说明天“上门”。
3. 我告诉对方3月10日已约定等协商结果，并请对方不要在夜间打电话、不要联系家人和单位。
约定：无。对方挂断电话。
记录人：{NAME}    记录时间：2025年3月14日 22:40
"""


def write_notes(out: Path) -> None:
    (out / "通话记录_2025-03-10.txt").write_bytes(NOTE_0310.encode("utf-8"))
    # A note saved by an old Windows editor: GBK, CRLF line ends. Strict, so no "?" sneaks in.
    (out / "通话记录_2025-03-14_gbk.txt").write_bytes(
        NOTE_0314.replace("\n", "\r\n").encode("gbk", errors="strict")
    )


# ---------------------------------------------------------------- bill PDF

FONT_NAME = "WQYZenHei"


def write_bill_pdf(path: Path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font_path = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, font_path, subfontIndex=0))

    def style(size: float, **kw) -> ParagraphStyle:
        return ParagraphStyle("s", fontName=FONT_NAME, fontSize=size, leading=size * 1.5, **kw)

    h1, body, small = style(16, alignment=1), style(10), style(8, textColor=colors.grey)
    od = overdue()
    info = [
        ["借款人", f"{NAME[0]}*{NAME[-1]}", "借款合同编号", CONTRACT_NO],
        [
            "证件号码",
            f"{ID_NUMBER[:6]}********{ID_NUMBER[-4:]}",
            "手机号",
            PHONE[:3] + "****" + PHONE[-4:],
        ],
        [
            "借款金额",
            yuan(CONTRACT),
            "实际到账",
            f"{yuan(RECEIVED)}（已扣服务费 {yuan(CONTRACT - RECEIVED)}）",
        ],
        ["放款日期", RECEIVED_DATE.isoformat(), "借款期数", f"{TERM} 期"],
        ["放款机构", COMPANY, "担保机构", GUARANTOR],
    ]
    rows = [["期数", "应还日期", "本金", "利息", "担保费", "会员费", "应还合计", "状态"]]
    for p in schedule():
        if p.n <= PAID_PERIODS:
            state = f"已还 {p.due.isoformat()}"
        elif p.due < date(2025, 3, 1):
            state = "逾期"
        else:
            state = "待还"
        rows.append(
            [
                f"{p.n}/{TERM}",
                p.due.isoformat(),
                f"{p.principal:,.2f}",
                f"{p.interest:,.2f}",
                f"{p.guarantee:,.2f}",
                f"{p.membership:,.2f}",
                f"{p.total:,.2f}",
                state,
            ]
        )
    overdue_rows = [
        ["逾期本息", yuan(od["installments"])],
        ["逾期担保费", yuan(od["guarantee"])],
        ["罚息", yuan(PENALTY)],
        ["违约金", yuan(LATE_FEE)],
        ["逾期金额合计", yuan(od["total"])],
        ["逾期天数", f"{overdue_days(date(2025, 3, 1))}天（截至2025-03-01）"],
    ]
    grid = [
        ("FONT", (0, 0), (-1, -1), FONT_NAME, 9),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    info_t = Table(info, colWidths=[22 * mm, 55 * mm, 24 * mm, 75 * mm])
    info_t.setStyle(
        TableStyle(
            [
                *grid,
                ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke),
                ("BACKGROUND", (2, 0), (2, -1), colors.whitesmoke),
            ]
        )
    )
    sched_t = Table(
        rows,
        colWidths=[14 * mm, 24 * mm, 20 * mm, 18 * mm, 18 * mm, 18 * mm, 22 * mm, 42 * mm],
        repeatRows=1,
    )
    red = [("TEXTCOLOR", (7, i), (7, i), colors.red) for i, r in enumerate(rows) if r[7] == "逾期"]
    sched_t.setStyle(
        TableStyle(
            [
                *grid,
                ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke),
                ("ALIGN", (2, 1), (6, -1), "RIGHT"),
                *red,
            ]
        )
    )
    od_t = Table(overdue_rows, colWidths=[40 * mm, 70 * mm], hAlign="LEFT")
    od_t.setStyle(TableStyle([*grid, ("TEXTCOLOR", (1, 0), (1, -1), colors.red)]))

    story = [
        Paragraph(f"{PLATFORM} 借款账单（2025年3月）", h1),
        Paragraph(
            f"账单日：2025-03-01　　本期还款日：2025-03-15　　客服电话：{SERVICE_PHONE}", small
        ),
        Spacer(1, 4 * mm),
        Paragraph("一、借款信息", body),
        info_t,
        Spacer(1, 4 * mm),
        Paragraph("二、还款计划", body),
        sched_t,
        Spacer(1, 4 * mm),
        Paragraph("三、逾期情况", body),
        od_t,
        Spacer(1, 4 * mm),
        Paragraph(
            "逾期将按合同约定收取罚息及违约金，并可能影响您的个人信用记录。"
            "本账单由系统生成（虚构示例，仅供演示）。",
            small,
        ),
    ]

    def first_page(canvas, _doc) -> None:
        canvas.setDateFormatter(lambda *_: "D:20250301083000+08'00'")

    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        invariant=1,
        initialFontName=FONT_NAME,
        title=f"{PLATFORM}借款账单 2025年3月",
        author=COMPANY,
        subject=f"借款合同 {CONTRACT_NO}",
        creator=PLATFORM,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
    )
    doc.build(story, onFirstPage=first_page)


# ---------------------------------------------------------------- recording

RECORDING_TEXT = (
    f"{NAME}，我是{PLATFORM}法务部的。你已经逾期九十天了，再不还钱，就联系你的家人和单位。"
)
RECORDING_RATE = 8000  # a phone line


def write_recording(out: Path) -> list[Path]:
    """espeak-ng speaks the collector's words; resampled to 8 kHz mono 16-bit (phone quality)."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        return []
    raw = out / "_raw.wav"
    try:
        subprocess.run(
            [espeak, "-v", "cmn", "-s", "195", "-w", str(raw), RECORDING_TEXT],
            check=True,
            capture_output=True,
        )
        with wave.open(str(raw), "rb") as src:
            rate, frames = src.getframerate(), src.readframes(src.getnframes())
    finally:
        raw.unlink(missing_ok=True)
    import numpy as np

    x = np.frombuffer(frames, dtype="<i2").astype(np.float64)
    n = int(len(x) * RECORDING_RATE / rate)
    # Linear interpolation after a box low-pass: plenty for a demo, and exactly reproducible.
    k = max(1, round(rate / RECORDING_RATE))
    smooth = np.convolve(x, np.ones(k) / k, mode="same")
    y = np.interp(np.arange(n) * rate / RECORDING_RATE, np.arange(len(x)), smooth)
    pcm = np.clip(np.round(y), -32768, 32767).astype("<i2").tobytes()
    wav = out / "录音_20250314_2215.wav"
    with wave.open(str(wav), "wb") as dst:
        dst.setnchannels(1)
        dst.setsampwidth(2)
        dst.setframerate(RECORDING_RATE)
        dst.writeframes(pcm)
    made = [wav]
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg:
        m4a = out / "录音_20250314_2215.m4a"
        subprocess.run(
            [
                ffmpeg,
                "-nostdin",
                "-loglevel",
                "error",
                "-y",
                "-i",
                str(wav),
                "-c:a",
                "aac",
                "-b:a",
                "24k",
                "-map_metadata",
                "-1",
                "-fflags",
                "+bitexact",
                "-flags:a",
                "+bitexact",
                str(m4a),
            ],
            check=True,
        )
        made.append(m4a)
    return made


# ---------------------------------------------------------------- case.toml


def payments_toml() -> str:
    blocks = []
    for p in schedule()[:PAID_PERIODS]:
        items = [(p.installment, "installment"), (p.guarantee, "guarantee")]
        if p.membership:
            items.append((p.membership, "membership"))
        for amount, kind in items:
            blocks.append(
                f'[[loan.payments]]\ndate = "{p.due.isoformat()}"\n'
                f'amount = "{amount:.2f}"\nkind = "{kind}"\nexhibit = ""\n'
            )
    return "\n".join(blocks)


def case_toml() -> str:
    od = overdue()
    remaining_principal = CONTRACT - PRINCIPAL * PAID_PERIODS
    due_by_march = [p for p in schedule() if p.n > PAID_PERIODS and p.due < date(2025, 3, 1)]
    facts = (
        f"2024年6月15日，我在“{PLATFORM}”App借款，合同金额10,000.00元，实际到账9,700.00元"
        f"（放款时扣除服务费300.00元），分12期，每期本息{PRINCIPAL + INTEREST}元，另收担保费每期"
        f"{GUARANTEE}元、会员费{MEMBERSHIP}元。我按时还了前5期。2024年11月底我被公司裁员，"
        "从2024年12月起无力按期还款。\n"
        "2025年3月5日我在App内联系客服申请协商还款，客服称逾期金额3,256.00元，其中罚息128.50元，"
        "违约金117.51元。此后催收人员多次在夜间（22点以后）打电话、发微信，自称“法务部”，称"
        "“已经上报征信并准备起诉”“再不还就联系你的家人和单位”。2025年3月12日夜间至13日早上"
        "我接到多个催收电话。2025年3月20日平台同意减免罚息128.50元，逾期部分分6期还款。"
    )
    return f'''# evidence-kit 案件信息（case.toml）— 虚构示例，仅供演示
# 人物、电话、证件号、合同编号和公司名称均为虚构。

[case]
utc_offset = "+08:00"

[complainant]
name = "{NAME}"
id_type = "居民身份证"
id_number = "{ID_NUMBER}"
phone = "{PHONE}"
address = "北京市东城区示例路1号院2号楼301室"
postcode = "100010"
email = "linxiaoyu@example.com"
agree_publish = false
agree_mediation = true

[respondent]
platform = "{PLATFORM}"
company = "{COMPANY}"
credit_code = "{CREDIT_CODE}"
address = "北京市东城区示例大街100号示例大厦8层"
contact = "客户服务部"
phone = "{SERVICE_PHONE}"
guarantor = "{GUARANTOR}"
collector = "{COLLECTOR}"

[loan]
lender = "{COMPANY}"
lender_type = "consumer-finance"
product = "{PLATFORM} 乐享借钱"
contract_no = "{CONTRACT_NO}"
contract_amount = "{CONTRACT:.2f}"
received_amount = "{RECEIVED:.2f}"
received_date = "{RECEIVED_DATE.isoformat()}"
contract_date = "{RECEIVED_DATE.isoformat()}"
lpr_override = ""
private_lending = false
term_months = {TERM}
stated_rate = "15.00"

{payments_toml()}
[agreement]
agreed_on = "2025-03-20"
first_due = "2025-04-15"
instalments = 6
amount = "560.00"
last_amount = "327.50"
day_of_month = 15

[debt]
as_of = "2025-03-05"
overdue_amount = "{od["total"]:.2f}"
overdue_days = {overdue_days(date(2025, 3, 5))}
principal = "{remaining_principal:.2f}"
interest = "{INTEREST * len(due_by_march):.2f}"
penalty = "{PENALTY:.2f}"
late_fee = "{LATE_FEE:.2f}"
other_fees = "{od["guarantee"]:.2f}"

[budget]
monthly_income = "3200.00"
essential_expenses = "2600.00"
other_debts = "0.00"
hardship = "2024年11月底被公司裁员，目前靠临时工作维持，每月收入约3,200元"

[dispute]
facts = """
{facts}
"""
demands = [
  "停止在夜间（22:00至次日8:00）拨打电话或发送信息催收",
  "停止联系我的家人、同事和工作单位，不得向第三人透露我的债务信息",
  "催收人员不得冒充“法务部”或以起诉、上门相威胁",
  "按2025年3月20日确认的方案执行：减免罚息128.50元，逾期部分分6期归还",
  "说明并退还放款时扣除的服务费300.00元及会员费199.00元",
]
waivers = ["罚息", "违约金"]

[court]
name = "北京市东城区人民法院"
case_no = ""
cause = "金融借款合同纠纷"
role = "被告"

[credit_report]
report_no = "2025031800000000000001"
report_date = "2025-03-18"
disputed_item = "2025年3月 {COMPANY} 贷款账户 逾期记录"
correct_value = "协商还款期间按协商结果记录，不报送新的逾期"
reason = "平台已于2025年3月20日同意分期还款方案，本人正在按方案还款"
'''


def build(out: Path, *, audio: bool = True) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    write_images(out)
    write_notes(out)
    write_bill_pdf(out / "账单_2025年3月.pdf")
    (out / "case.toml").write_text(case_toml(), encoding="utf-8")
    if audio:
        write_recording(out)
    return sorted(p for p in out.iterdir() if p.is_file())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="output folder (default: samples/)")
    parser.add_argument("--no-audio", action="store_true", help="skip the recording files")
    args = parser.parse_args(argv)
    for path in build(args.out, audio=not args.no_audio):
        if path.suffix not in (".py",):
            print(f"{path.stat().st_size:>9,d}  {path.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
