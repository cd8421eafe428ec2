"""Where to file: which complaint packages to build for this lender and these problems, the
channels to use, and the reply deadlines counted from a filing date.

The table follows the facts file's routing cheat-sheet (§8, itself an [inference] from
§1–§3 and §5). Working days follow the State Council's published holiday schedule through the
``chinese-calendar`` package: 法定节假日 are skipped and make-up working days (调休) count. For a
year the package does not know yet (schedules are published each November or December), the
days of that year are counted Monday–Friday and the deadline says so. Calendar-day deadlines
assume the complaint is received the day it is filed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from typing import Any

from evidence_kit.analysis.loan import LenderType


class Problem(str, Enum):
    PRICING = "pricing"  # rate above 24 % / 4×LPR, hidden cost
    FEES = "fees"  # guarantee / membership / service fees
    COLLECTION = "collection"  # abusive collection
    THREAT = "threat"  # threats of violence: police
    PERSONAL_INFO = "personal-info"  # address book, disclosure
    CREDIT_REPORT = "credit-report"
    SELLER = "seller"  # the platform as seller: goods, memberships, ads
    PAYMENT = "payment"  # a payment institution
    NEGOTIATION = "negotiation"  # wants a repayment plan


@dataclass(frozen=True)
class Deadline:
    label: str
    due: date
    days: int
    unit: str  # "calendar" | "working"
    basis: str
    status: str
    calendar: str = ""  # working days: which years' holiday schedules were used, in Chinese

    def to_json(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "due": self.due.isoformat(),
            "days": self.days,
            "unit": self.unit,
            "basis": self.basis,
            "status": self.status,
            "calendar": self.calendar,
        }


@dataclass(frozen=True)
class Channel:
    name: str
    body: str
    deadlines: tuple[Deadline, ...] = ()
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "body": self.body,
            "deadlines": [d.to_json() for d in self.deadlines],
            "note": self.note,
        }


@dataclass(frozen=True)
class PackageRoute:
    package: str  # the `bundle --for` value
    title_zh: str
    why: str
    channels: tuple[Channel, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "package": self.package,
            "title_zh": self.title_zh,
            "why": self.why,
            "channels": [c.to_json() for c in self.channels],
        }


@dataclass(frozen=True)
class RoutingReport:
    lender_type: LenderType
    problems: tuple[Problem, ...]
    filing_date: date
    packages: tuple[PackageRoute, ...]
    notes: tuple[str, ...]

    @property
    def deadlines(self) -> list[Deadline]:
        return sorted(
            (d for p in self.packages for c in p.channels for d in c.deadlines),
            key=lambda d: d.due,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "lender_type": self.lender_type.value,
            "problems": [p.value for p in self.problems],
            "filing_date": self.filing_date.isoformat(),
            "packages": [p.to_json() for p in self.packages],
            "deadlines": [d.to_json() for d in self.deadlines],
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class WorkingDays:
    due: date
    known_years: tuple[int, ...]  # years counted with the published holiday schedule
    unknown_years: tuple[int, ...]  # years counted Monday–Friday (schedule not known)

    def note(self) -> str:
        parts = []
        if self.known_years:
            years = "、".join(f"{y}年" for y in self.known_years)
            parts.append(f"按国务院办公厅公布的{years}节假日安排计算，已扣除法定节假日，调休上班日计入")
        if self.unknown_years:
            years = "、".join(f"{y}年" for y in self.unknown_years)
            parts.append(f"{years}的节假日安排工具尚未收录，该年按周一至周五计算，实际期限可能更晚")
        return "；".join(parts)


def _is_workday(day: date) -> bool | None:
    """True/False from the published schedule; None when the year is not covered."""
    try:
        import chinese_calendar
    except ModuleNotFoundError:  # pragma: no cover - a runtime dependency
        return None
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return None


def count_working_days(start: date, days: int) -> WorkingDays:
    """The ``days``-th working day after ``start``, with which years' schedules were used."""
    current = start
    left = days
    known: set[int] = set()
    unknown: set[int] = set()
    while left > 0:
        current += timedelta(days=1)
        workday = _is_workday(current)
        if workday is None:
            unknown.add(current.year)
            workday = current.weekday() < 5
        else:
            known.add(current.year)
        if workday:
            left -= 1
    return WorkingDays(current, tuple(sorted(known)), tuple(sorted(unknown)))


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (holidays and 调休 counted; see module doc)."""
    return count_working_days(start, days).due


def _calendar(label: str, start: date, days: int, basis: str, status: str) -> Deadline:
    return Deadline(label, start + timedelta(days=days), days, "calendar", basis, status)


def _working(label: str, start: date, days: int, basis: str, status: str) -> Deadline:
    counted = count_working_days(start, days)
    return Deadline(label, counted.due, days, "working", basis, status, counted.note())


_BANKING_RULE = "《银行业保险业消费投诉处理管理办法》（2020年第3号令）"


def _institution(lender_type: LenderType, filed: date) -> Channel:
    if lender_type in (LenderType.BANK, LenderType.CONSUMER_FINANCE):
        rule = f"{_BANKING_RULE}（条号未核实）"
        return Channel(
            "贷款机构自身的投诉渠道（客服热线、App 内投诉）",
            "放款机构（资金方）",
            (
                _calendar("机构答复（简单事项）", filed, 15, rule + "：15日内", "[G]"),
                _calendar("机构答复（复杂事项，可延长）", filed, 30, rule + "：延长至30日", "[G]"),
                _calendar("机构答复（特别复杂，经批准再延长）", filed, 60, rule, "[G]"),
            ),
            "对处理结果不满意的，可在收到决定之日起30日内书面申请上级机构核查 [S]",
        )
    return Channel(
        "贷款机构 / 平台自身的投诉渠道",
        "放款机构、担保公司或平台",
        (),
        "资料中没有适用于该类机构的法定答复期限；请记录投诉编号和对方承诺的答复日期",
    )


def route(
    lender_type: LenderType | str, problems: Iterable[Problem | str], filing_date: date
) -> RoutingReport:
    kind = LenderType(lender_type)
    found = tuple(dict.fromkeys(Problem(p) for p in problems))
    wants = set(found)
    packages: list[PackageRoute] = []

    packages.append(
        PackageRoute(
            "negotiation",
            "协商材料",
            "先向放款机构提出：投诉与协商记录是后续向监管部门投诉的基础",
            (_institution(kind, filing_date),),
        )
    )

    regulator: list[Channel] = []
    if kind in (LenderType.BANK, LenderType.CONSUMER_FINANCE):
        regulator.append(
            Channel(
                "12378（国家金融监督管理总局）/ 当地金融监管局",
                "国家金融监督管理总局",
                (),
                "银行、消费金融公司的定价、收费、催收问题由金融监管总局受理并转办 [G]；"
                "监管部门转办时限未核实 [U]",
            )
        )
    if kind in (LenderType.MICROLOAN, LenderType.GUARANTOR):
        regulator.append(
            Channel(
                "省级地方金融管理局",
                "地方金融管理局",
                (),
                "小额贷款公司、融资担保公司由省级地方金融管理部门监管 [inference]；"
                "如资金来自银行，可同时拨打12378",
            )
        )
    if kind is LenderType.PLATFORM and wants & {Problem.PRICING, Problem.COLLECTION}:
        regulator.append(
            Channel(
                "放款机构对应的监管部门",
                "12378 或地方金融管理局",
                (),
                "平台不是放款机构：请在借款合同中找到实际放款机构（资金方），按其类型投诉",
            )
        )
    if Problem.PAYMENT in wants:
        regulator.append(
            Channel(
                "12363（中国人民银行）",
                "中国人民银行",
                note="非银行支付机构问题由人民银行处理 [G]",
            )
        )
    if wants & {Problem.COLLECTION, Problem.THREAT}:
        regulator.append(
            Channel(
                "12321（网络不良与垃圾信息举报受理中心）",
                "中国互联网协会",
                note="骚扰电话、短信 [S]",
            )
        )
    if Problem.THREAT in wants:
        regulator.append(
            Channel(
                "110 报警",
                "公安机关",
                (),
                "威胁人身安全的：《治安管理处罚法》（2012）第四十二条、"
                "《刑法》第二百九十三条之一 [L]",
            )
        )
    if Problem.PERSONAL_INFO in wants:
        regulator.append(
            Channel(
                "履行个人信息保护职责的部门",
                "网信、工信等部门",
                (),
                "《个人信息保护法》第六十五条：投诉、举报违法处理个人信息的行为 [L]",
            )
        )
    if regulator:
        packages.append(
            PackageRoute(
                "regulator",
                "金融监管投诉材料",
                "贷款定价、收费或催收问题",
                tuple(regulator),
            )
        )

    if kind is LenderType.PLATFORM or Problem.SELLER in wants:
        samr = "《市场监督管理投诉举报处理暂行办法》"
        packages.append(
            PackageRoute(
                "consumer-association",
                "消费者协会 / 12315 投诉材料",
                "平台作为商品或服务（会员、权益卡）的销售者",
                (
                    Channel(
                        "全国12315平台 / 消费者协会",
                        "市场监督管理部门",
                        (
                            _working("决定是否受理", filing_date, 7, samr + "第十四条", "[L]"),
                            _working(
                                "调解期限（暂行办法）",
                                filing_date,
                                45,
                                samr + "第二十一条",
                                "[L]",
                            ),
                            _calendar(
                                "调解期限（新办法，是否施行未核实）",
                                filing_date,
                                60,
                                "《市场监督管理投诉举报处理办法》第二十三条",
                                "[U]",
                            ),
                        ),
                        "贷款定价和持牌机构的催收问题可能不属于市场监管部门职责而不予受理 [L]",
                    ),
                ),
            )
        )

    if Problem.CREDIT_REPORT in wants:
        rule = "《征信业管理条例》"
        packages.append(
            PackageRoute(
                "credit-dispute",
                "征信异议申请",
                "信用报告中的记录有误或遗漏",
                (
                    Channel(
                        "信息提供者（放款机构）或人民银行分支机构 / 征信中心",
                        "征信机构或信息提供者",
                        (
                            _calendar(
                                "异议核查并书面答复", filing_date, 20, rule + "第二十五条", "[L]"
                            ),
                        ),
                    ),
                    Channel(
                        "人民银行派出机构投诉",
                        "中国人民银行",
                        (_calendar("受理后书面答复", filing_date, 30, rule + "第二十六条", "[L]"),),
                        "30日自受理之日起算；此处按提交当日受理估算",
                    ),
                ),
            )
        )

    packages.append(
        PackageRoute(
            "court",
            "法院证据材料",
            "协商、投诉都未解决，或您已被起诉",
            (Channel("人民法院", "法院", (), "诉讼时效、管辖等请咨询律师或法律援助"),),
        )
    )
    notes = (
        "工作日按国务院办公厅公布的节假日安排计算（chinese-calendar），扣除法定节假日、计入调休上班日；"
        "工具尚未收录的年份按周一至周五计算，各期限注明所用年份",
        "期限从提交当日起算，假定对方当日收到；邮寄等方式请以对方收到之日为准",
        "本路由依据资料整理，不构成法律意见；标注 [S]/[U] 的内容未经核实，不是定论",
    )
    return RoutingReport(kind, found, filing_date, tuple(packages), notes)
