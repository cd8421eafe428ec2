"""A small ledger with hand-made entries (no OCR), shared by the search/timeline/CLI tests."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from evidence_kit.case import init_case
from evidence_kit.ledger.events import EventType, Ledger, NewEvent


def amount(value: str, text: str, full: str, label: str | None = None) -> dict[str, Any]:
    start = full.index(text)
    return {
        "value": value,
        "currency": "CNY",
        "label": label,
        "text": text,
        "start": start,
        "end": start + len(text),
    }


def add_entry(
    ledger: Ledger,
    name: str,
    *,
    kind: str = "chat",
    occurred_at: str | None,
    text: str = "",
    messages: list[dict[str, Any]] | None = None,
    amounts: list[tuple[str, str, str | None]] = (),  # type: ignore[assignment]
    meta: dict[str, Any] | None = None,
) -> str:
    sha = hashlib.sha256(name.encode()).hexdigest()
    eid = sha[:12]
    if messages and not text:
        text = "\n".join(m["text"] for m in messages)
    ledger.append(
        [
            NewEvent(
                EventType.INGESTED,
                eid,
                {
                    "sha256": sha,
                    "path": name,
                    "size": 10,
                    "kind": kind,
                    "mime": "image/png",
                    "original_name": name,
                    "occurred_at": occurred_at,
                    "occurred_at_source": "filename",
                    "meta": meta or {},
                },
            ),
            NewEvent(
                EventType.ANALYZED,
                eid,
                {
                    "text": text,
                    "messages": [{"box": None, "time": None, **m} for m in (messages or [])],
                    "extraction": {"amounts": [amount(v, t, text, lab) for v, t, lab in amounts]},
                },
            ),
        ],
        "2025-06-01T00:00:00+00:00",
    )
    return eid


def sample_ledger(tmp: Path) -> tuple[Ledger, dict[str, str]]:
    case, _ = init_case(tmp)
    ledger = Ledger(case.ledger_path, case.head_path)
    ids = {
        "chat": add_entry(
            ledger,
            "Screenshot_20250305-101530.png",
            occurred_at="2025-03-05T10:15:00+08:00",
            messages=[
                {
                    "side": "them",
                    "text": "您的逾期金额为¥3,000.00，其中罚息¥128.50",
                    "time": "2025-03-05T10:12:00",
                },
                {"side": "me", "text": "我想申请分期还款，每期500元"},
                {"side": "them", "text": "可以为您登记协商还款方案"},
            ],
            amounts=[
                ("3000.00", "¥3,000.00", "逾期金额"),
                ("128.50", "¥128.50", "罚息"),
                ("500", "500元", None),
            ],
        ),
        "bill": add_entry(
            ledger,
            "账单_2025年3月.pdf",
            kind="bill",
            occurred_at="2025-03-01",
            text="本期应还 ¥2,874.99\n服务费 ¥300.00\n最后还款日 2025-03-20",
            amounts=[("2874.99", "¥2,874.99", "应还"), ("300.00", "¥300.00", "服务费")],
        ),
        "note": add_entry(
            ledger,
            "note-2025-03-10-1942.txt",
            kind="note",
            occurred_at="2025-03-10T19:42:00+08:00",
            text="通话记录\n对方称逾期，要求今晚还清 3,256.00 元\n对方说要联系我的紧急联系人",
            amounts=[("3256.00", "3,256.00 元", None)],
            meta={"channel": "phone", "direction": "in", "answered": True},
        ),
        "april": add_entry(
            ledger,
            "IMG_20250402_120000.jpg",
            occurred_at="2025-04-02T12:00:00+08:00",
            messages=[
                {"side": "them", "text": "请在今天内还款 0.3万元", "time": "2025-04-02T11:58:00"}
            ],
            amounts=[("3000", "0.3万元", None)],
        ),
        "undated": add_entry(
            ledger,
            "scan.png",
            kind="document",
            occurred_at=None,
            text='符号 "引号" a*b (括号) 50% 下划线_',
        ),
    }
    return ledger, ids
