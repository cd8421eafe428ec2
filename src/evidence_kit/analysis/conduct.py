"""Collection conduct: contacts per day and flags, each with the rule it touches.

Counts are of contacts *from* the collector (direction "in"); calls the user made are listed
but not counted. Night is 22:00 (inclusive) to 08:00 (exclusive). A flag says which rule a
pattern touches and how sure the source is ([L] statute text, [G] official/mainstream
report, [S] secondary, [U] unverified); it is not a finding that the rule was broken.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from evidence_kit.analysis.contacts import Contact
from evidence_kit.analysis.wording import WordingCategory, find_wording
from evidence_kit.models import Side

NIGHT_START = time(22, 0)
NIGHT_END = time(8, 0)
MAX_UNANSWERED_PER_NUMBER = 6
MAX_VOICE_CONVERSATIONS = 3
# A recording and a call-log row within this many seconds are the same call.
_SAME_CALL_SECONDS = 120

_GUIDELINE = "《金融机构个人消费类贷款催收工作指引（试行）》（中国银行业协会，2026-01-30）"
_GBT = "GB/T 45251—2025《互联网金融 个人网络消费信贷 贷后催收风控指引》"
_CBIRC9 = "《银行保险机构消费者权益保护管理办法》（2022年第9号令）第四十一条"


@dataclass(frozen=True)
class Rule:
    text: str
    status: str

    def cite(self) -> str:
        return f"{self.text} {self.status}"


RULES: dict[str, tuple[str, tuple[Rule, ...]]] = {
    "night_contact": (
        "夜间催收（22:00至次日08:00）",
        (
            Rule(f"{_GUIDELINE}：未经债务人同意，不得在22:00至次日8:00进行催收", "[G]"),
            Rule(f"{_GBT}：除另有约定外，不得在22:00至次日8:00催收", "[S]"),
        ),
    ),
    "unanswered_calls": (
        "同一号码单日未接通呼叫超过6次",
        (Rule(f"{_GUIDELINE}：同一号码单日未接通呼叫不超过6次（另有约定的除外）", "[G]"),),
    ),
    "voice_conversations": (
        "单日有效通话超过3次",
        (Rule(f"{_GBT}：语音催收（含智能语音）每日与债务人有效通话不超过3次", "[S]"),),
    ),
    "third_party_contact": (
        "联系第三人催收",
        (
            Rule(f"{_GUIDELINE}：原则上禁止向无关第三人催收，不得透露债务信息", "[G]"),
            Rule(f"{_GBT}：只向债务人催收，不向联系人催收", "[S]"),
            Rule(
                "《商业银行信用卡业务监督管理办法》第六十八条：不得对与债务无关的第三人催收",
                "[S]",
            ),
            Rule("《个人信息保护法》第十条、第十三条：处理个人信息须有合法依据", "[L]"),
        ),
    ),
    "threat": (
        "威胁、恐吓用语",
        (
            Rule(f"{_CBIRC9}：不得采用暴力、恐吓、欺诈等方式催收（条号据二手来源）", "[G]/[S]"),
            Rule("《刑法》第二百九十三条之一（催收非法债务罪）：恐吓、跟踪、骚扰等", "[L]"),
            Rule(
                "《治安管理处罚法》（2012）第四十二条：威胁、多次发送恐吓信息"
                "（2025年修订后条号未核实）",
                "[L]",
            ),
        ),
    ),
    "impersonation": (
        "冒充公检法、政府或“法务部”",
        (
            Rule(f"{_CBIRC9}：不得冒用行政机关、司法机关名义催收", "[G]/[S]"),
            Rule(f"{_GUIDELINE}：禁止冒充国家机关、司法机关", "[G]"),
        ),
    ),
    "fake_legal": (
        "虚假法律文书或夸大法律后果（律师函、传票、立案、拘留、黑名单）",
        (
            Rule(
                f"{_GUIDELINE}：禁止误导性陈述（虚构黑名单、夸大债务或法律后果）；"
                "禁止在公共场所张贴律师函",
                "[G]",
            ),
            Rule(f"{_CBIRC9}：不得采用欺诈方式催收", "[G]/[S]"),
        ),
    ),
    "insult": (
        "辱骂用语",
        (
            Rule("《商业银行信用卡业务监督管理办法》第六十八条：不得辱骂", "[S]"),
            Rule("《治安管理处罚法》（2012）第四十二条：公然侮辱他人", "[L]"),
        ),
    ),
    "third_party_threat": (
        "声称要联系您的亲友、单位",
        (
            Rule(f"{_GUIDELINE}：原则上禁止向无关第三人催收", "[G]"),
            Rule("《个人信息保护法》第十条：不得非法使用、提供、公开个人信息", "[L]"),
        ),
    ),
    "disclosure": (
        "向他人披露债务、曝光、“爆通讯录”",
        (
            Rule("《个人信息保护法》第十条：不得非法使用、提供、公开个人信息", "[L]"),
            Rule("《民法典》第一千零三十三条：不得以电话、短信等方式侵扰私人生活安宁", "[L]"),
            Rule(f"{_GUIDELINE}：禁止散布隐私、非法获取个人信息", "[G]"),
        ),
    ),
}

_WORDING_FLAG = {
    WordingCategory.THREAT: "threat",
    WordingCategory.IMPERSONATION: "impersonation",
    WordingCategory.FAKE_LEGAL: "fake_legal",
    WordingCategory.INSULT: "insult",
    WordingCategory.THIRD_PARTY: "third_party_threat",
    WordingCategory.DISCLOSURE: "disclosure",
}


def is_night(at: datetime) -> bool:
    return at.time() >= NIGHT_START or at.time() < NIGHT_END


@dataclass(frozen=True)
class DayRow:
    date: date
    calls: int
    messages: int
    unanswered_calls: int
    voice_conversations: int
    night_contacts: int
    third_party_contacts: int
    other_contacts: int  # visits and unclassified

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "calls": self.calls,
            "messages": self.messages,
            "unanswered_calls": self.unanswered_calls,
            "voice_conversations": self.voice_conversations,
            "night_contacts": self.night_contacts,
            "third_party_contacts": self.third_party_contacts,
            "other_contacts": self.other_contacts,
        }


@dataclass(frozen=True)
class Flag:
    code: str
    title_zh: str
    rules: tuple[Rule, ...]
    entry_ids: tuple[str, ...]
    count: int
    dates: tuple[date, ...]
    examples: tuple[str, ...] = ()  # matched wording or the number concerned

    @property
    def rule(self) -> str:
        return "；".join(r.cite() for r in self.rules)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title_zh": self.title_zh,
            "rule": self.rule,
            "rules": [{"text": r.text, "status": r.status} for r in self.rules],
            "entry_ids": list(self.entry_ids),
            "count": self.count,
            "dates": [d.isoformat() for d in self.dates],
            "examples": list(self.examples),
        }


@dataclass(frozen=True)
class ConductReport:
    days: tuple[DayRow, ...]
    flags: tuple[Flag, ...]
    contacts: int
    notes: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "contacts": self.contacts,
            "days": [d.to_json() for d in self.days],
            "flags": [f.to_json() for f in self.flags],
            "notes": list(self.notes),
        }


def _same_number(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def merge_duplicates(contacts: Sequence[Contact]) -> list[Contact]:
    """A recording and the call-log row or note of the same call count once (so do two
    copies of one recording, e.g. .wav and .m4a), and so does a chat bubble that shows on two
    overlapping screenshots (same time, same side, same words)."""
    out: list[Contact] = []
    bubbles: dict[tuple[datetime, str, str], int] = {}
    # Indices in ``out`` of the calls a later call may still be a twin of. Contacts come in
    # time order, so one more than _SAME_CALL_SECONDS older than the current contact never
    # matches again: looking only at these keeps the merge linear (it was quadratic: 1.4 s
    # for the 10,000-entry benchmark case).
    window: list[int] = []
    reach = timedelta(seconds=_SAME_CALL_SECONDS)
    for c in sorted(contacts, key=lambda c: c.at):
        if c.is_message and c.channel == "chat" and c.time_known and c.text.strip():
            key = (c.at, c.direction, " ".join(c.text.split()))
            seen = bubbles.get(key)
            if seen is not None:
                first = out[seen]
                if c.entry_id not in first.entry_ids:
                    out[seen] = replace(first, merged_ids=(*first.merged_ids, c.entry_id))
                continue
            bubbles[key] = len(out)
        if not c.is_voice:
            out.append(c)
            continue
        window = [i for i in window if out[i].at >= c.at - reach]
        twin_at = next(
            (
                i
                for i in window
                if "recording" in (out[i].channel, c.channel)
                and out[i].direction == c.direction
                and out[i].answered is not False
                and c.answered is not False
                and abs((out[i].at - c.at).total_seconds()) <= _SAME_CALL_SECONDS
                and _same_number(out[i].counterpart, c.counterpart)
            ),
            None,
        )
        if twin_at is None:
            window.append(len(out))
            out.append(c)
            continue
        twin = out[twin_at]
        # Keep it a recording (so a third copy still matches), the more precise time (a
        # call log or note rather than a file's time), every exhibit and all the words.
        log = c if c.channel != "recording" else twin
        out[twin_at] = Contact(
            at=log.at if log.time_known else twin.at,
            channel="recording",
            direction=twin.direction,
            answered=True,
            third_party=twin.third_party or c.third_party,
            counterpart=twin.counterpart or c.counterpart,
            text="\n".join(t for t in (twin.text, c.text) if t),
            entry_id=twin.entry_id,
            time_known=twin.time_known or c.time_known,
            side_text=twin.side_text + c.side_text,
            merged_ids=(*twin.merged_ids, c.entry_id, *c.merged_ids),
        )
    return out


def analyze_conduct(contacts: Iterable[Contact]) -> ConductReport:
    merged = merge_duplicates(list(contacts))
    incoming = [c for c in merged if c.direction == "in"]
    by_day: dict[date, list[Contact]] = defaultdict(list)
    for c in incoming:
        by_day[c.at.date()].append(c)

    rows = []
    hits: dict[str, list[tuple[Contact, str]]] = defaultdict(list)
    for day in sorted(by_day):
        cs = by_day[day]
        voice = [c for c in cs if c.is_voice]
        unanswered = [c for c in voice if c.answered is False]
        conversations = [c for c in voice if c.answered is True]
        night = [c for c in cs if c.time_known and is_night(c.at)]
        third = [c for c in cs if c.third_party]
        rows.append(
            DayRow(
                date=day,
                calls=len(voice),
                messages=sum(c.is_message for c in cs),
                unanswered_calls=len(unanswered),
                voice_conversations=len(conversations),
                night_contacts=len(night),
                third_party_contacts=len(third),
                other_contacts=sum(not (c.is_voice or c.is_message) for c in cs),
            )
        )
        hits["night_contact"] += [(c, c.at.strftime("%H:%M")) for c in night]
        hits["third_party_contact"] += [(c, c.counterpart or "") for c in third]
        per_number: dict[str | None, list[Contact]] = defaultdict(list)
        for c in unanswered:
            per_number[c.counterpart].append(c)
        for number, calls in per_number.items():
            if len(calls) > MAX_UNANSWERED_PER_NUMBER:
                label = f"{number or '号码未记录'}：{len(calls)}次"
                hits["unanswered_calls"] += [(c, label) for c in calls]
        if len(conversations) > MAX_VOICE_CONVERSATIONS:
            hits["voice_conversations"] += [(c, f"{len(conversations)}次") for c in conversations]

    for c in incoming:
        # Text of an incoming contact without a speaker split is the collector's.
        pairs = c.side_text or (((Side.THEM, c.text),) if c.text else ())
        for side, text in pairs:
            for hit in find_wording(text, side):
                hits[_WORDING_FLAG[hit.category]].append((c, hit.text))

    flags = []
    for code, (title, rules) in RULES.items():
        found = hits.get(code)
        if not found:
            continue
        flags.append(
            Flag(
                code=code,
                title_zh=title,
                rules=rules,
                entry_ids=tuple(dict.fromkeys(i for c, _ in found for i in c.entry_ids)),
                count=len(found),
                dates=tuple(sorted({c.at.date() for c, _ in found})),
                examples=tuple(dict.fromkeys(e for _, e in found if e))[:10],
            )
        )
    notes = [
        "计数只包括对方发起的联系；夜间及次数标准均有“另有约定的除外”，如您曾同意夜间联系请注明",
        "以上为依据记录整理的线索，不构成对违法违规的认定，也不构成法律意见",
    ]
    untimed = sum(not c.time_known for c in incoming)
    if untimed:
        notes.append(f"{untimed} 次联系只知道日期、不知道具体时间，未参与夜间判断")
    return ConductReport(tuple(rows), tuple(flags), len(incoming), tuple(notes))
