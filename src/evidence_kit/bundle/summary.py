"""Pure summaries of the selected evidence: chronological sentences, timeline rows and the
per-day contact figures a harassment complaint needs."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta, timezone, tzinfo
from decimal import Decimal

from evidence_kit.models import Entry, Kind, Side

_CHINA = timezone(timedelta(hours=8))

KIND_ZH = {
    Kind.CHAT: "聊天记录",
    Kind.BILL: "账单",
    Kind.NOTE: "联系记录",
    Kind.RECORDING: "通话录音",
    Kind.DOCUMENT: "文件",
}
CHANNEL_ZH = {
    "phone": "电话",
    "app": "App在线客服",
    "sms": "短信",
    "wechat": "微信",
    "visit": "上门",
    "other": "其他方式",
}


# What a screenshot shows, from the layout stage's ``meta["screen"]``.
SCREEN_ZH = {
    "chat_mobile": "聊天记录截图",
    "chat_desktop": "聊天记录截图",
    "bill_detail": "账单截图",
    "bill_list": "账单截图",
    "sms": "短信截图",
    "call_log": "通话记录截图",
    "receipt": "票据",
    "document_scan": "文书扫描件",
    "other": "截图",
}


def screen_label(entry: Entry) -> str | None:
    """The exhibit's screen type in Chinese: ``meta["screen"]`` when the layout stage set it,
    else today's call-log detection (the ``call_log`` flag or the call-log reader)."""
    screen = entry.meta.get("screen")
    if isinstance(screen, str) and screen in SCREEN_ZH:
        return SCREEN_ZH[screen]
    if entry.meta.get("call_log") in (True, "true", "1", 1):
        return SCREEN_ZH["call_log"]
    if entry.kind in (Kind.CHAT, Kind.DOCUMENT, Kind.BILL) and entry.lines:
        from evidence_kit.analysis.contacts import calls_in

        try:
            if calls_in(entry):
                return SCREEN_ZH["call_log"]
        except Exception:  # a label must never stop a package
            return None
    return None


def fmt_time(iso: str | None) -> str:
    """'2025-03-21T22:08:00+08:00' → '2025-03-21 22:08'; bare dates stay as they are."""
    if not iso:
        return "时间不详"
    date, _, rest = iso.partition("T")
    return f"{date} {rest[:5]}" if rest else date


def fmt_amount(value: Decimal) -> str:
    return f"{value:,.2f}"


def amounts_text(entry: Entry, limit: int = 4) -> str:
    parts = []
    for a in entry.extraction.amounts[:limit]:
        label = f"{a.label} " if a.label else ""
        parts.append(f"{label}{fmt_amount(a.value)} 元")
    return "、".join(parts)


def _clip(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def describe(entry: Entry, mask: Callable[[str], str] = lambda s: s) -> str:
    """One sentence saying what this piece of evidence shows."""
    screen = screen_label(entry)
    if screen and screen != SCREEN_ZH["chat_mobile"] and entry.kind is not Kind.NOTE:
        what = screen
        if entry.kind is Kind.CHAT and entry.messages:
            theirs = [m for m in entry.messages if m.side is Side.THEM and m.text.strip()]
            if theirs:
                what += f"，对方称：“{_clip(theirs[0].text, 60)}”"
    elif entry.kind is Kind.CHAT:
        theirs = [m for m in entry.messages if m.side is Side.THEM and m.text.strip()]
        what = f"对方在聊天中称：“{_clip(theirs[0].text, 60)}”" if theirs else "聊天记录截图"
        if len(theirs) > 1:
            what += f"等 {len(theirs)} 条消息"
    elif entry.kind is Kind.NOTE:
        channel = CHANNEL_ZH.get(str(entry.meta.get("channel", "")), "")
        who = entry.meta.get("counterpart")
        head = f"{channel}联系" if channel else "联系记录"
        if who:
            head += f"（对方：{who}）"
        what = f"{head}：{_clip(entry.text, 80)}" if entry.text.strip() else head
    elif entry.kind is Kind.RECORDING:
        secs = entry.meta.get("duration_s")
        dur = f"，时长 {int(secs) // 60} 分 {int(secs) % 60} 秒" if secs else ""
        what = f"通话录音{dur}"
    elif entry.kind is Kind.BILL:
        what = f"账单《{entry.title}》" if entry.title else "账单"
    else:
        what = f"文件《{entry.title}》" if entry.title else "文件"
    amounts = amounts_text(entry)
    if amounts:
        what += f"，载明金额：{amounts}"
    if entry.user_note:
        what += f"。备注：{_clip(entry.user_note, 80)}"
    return mask(what)


def kind_label(entry: Entry) -> str:
    """The 类型 of an exhibit: the screen type when known, else the entry kind."""
    return screen_label(entry) or KIND_ZH.get(entry.kind, "文件")


def exhibit_name(entry: Entry) -> str:
    """The 证据名称: the user's title, else what it is and when (a file name such as
    ``mmexport1741852800000.jpg`` tells a clerk nothing; it stays in the exhibit's header)."""
    if entry.title:
        return entry.title
    day = fmt_time(entry.occurred_at)[:10] if entry.occurred_at else ""
    return f"{kind_label(entry)}\n{day}" if day else kind_label(entry)


@dataclass(frozen=True)
class TimelineRow:
    when: str
    kind: str
    title: str
    summary: str
    exhibit: str


def timeline_rows(
    entries: Sequence[Entry], labels: Sequence[str], mask: Callable[[str], str] = lambda s: s
) -> list[TimelineRow]:
    return [
        TimelineRow(
            when=fmt_time(e.occurred_at),
            kind=kind_label(e),
            title=mask(e.display_title),
            summary=describe(e, mask),
            exhibit=label,
        )
        for e, label in zip(entries, labels)
    ]


def chronological_summary(
    entries: Sequence[Entry], labels: Sequence[str], mask: Callable[[str], str] = lambda s: s
) -> list[str]:
    return [
        f"{fmt_time(e.occurred_at)}，{describe(e, mask)}（见{label}）。"
        for e, label in zip(entries, labels)
    ]


@dataclass
class DayContacts:
    day: str
    calls: int = 0
    messages: int = 0
    outside: int = 0  # contacts outside the allowed window
    exhibits: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.calls + self.messages


def contacts_by_day(
    entries: Sequence[Entry],
    labels: Sequence[str],
    window: tuple[str, str] = ("08:00", "22:00"),
    tz: tzinfo = _CHINA,
) -> list[DayContacts]:
    """Calls (and visits) and messages from their side per day, counted from the same contacts
    as the conduct analysis (notes, recordings, call-log screenshots, chat bubbles; the same call
    seen in a recording and a note, or a bubble on two screenshots, counts once), so the
    package's figures agree with its conduct table."""
    from evidence_kit.analysis.conduct import merge_duplicates
    from evidence_kit.analysis.contacts import contacts_from_entries

    label_of = dict(zip((e.id for e in entries), labels))
    days: dict[str, DayContacts] = {}
    for c in merge_duplicates(contacts_from_entries(entries, tz)):
        if c.direction != "in":
            continue
        day = c.at.date().isoformat()
        row = days.setdefault(day, DayContacts(day))
        if c.is_voice or c.channel == "visit":
            row.calls += 1
        else:
            row.messages += 1
        if c.time_known and not (window[0] <= c.at.strftime("%H:%M") < window[1]):
            row.outside += 1
        for entry_id in c.entry_ids:
            label = label_of.get(entry_id)
            if label and label not in row.exhibits:
                row.exhibits.append(label)
    return [days[d] for d in sorted(days)]
