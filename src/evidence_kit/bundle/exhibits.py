"""One exhibit section per entry: header 证据N, caption (file, times, hash, how captured), then
the image slices, the original PDF's pages, or the text; chat transcripts and amounts after."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.platypus import Flowable, Image, PageBreak, Spacer

from evidence_kit.bundle.images import ImageSlice
from evidence_kit.bundle.layout import (
    FRAME_H,
    FRAME_W,
    Anchor,
    PdfSlot,
    Styles,
    Tracker,
    grid_table,
    para,
    spacer,
)
from evidence_kit.bundle.summary import amounts_text, exhibit_name, fmt_time
from evidence_kit.bundle.template import Template
from evidence_kit.models import Entry, Kind, Side

SOURCE_ZH = {
    "content": "内容中的时间",
    "exif": "照片EXIF拍摄时间",
    "filename": "文件名中的时间",
    "pdf-metadata": "PDF元数据",
    "mtime": "文件修改时间",
    "user": "投诉人更正",
    "note": "记录时填写的时间",
}
NEXT_PAGE_H = FRAME_H - 6  # slices on continuation pages


@dataclass
class Asset:
    """What was prepared once (before the layout passes) for one exhibit."""

    entry: Entry
    label: str
    key: str  # anchor key, "ex<n>"
    path: Path
    mode: str  # image | pdf | raster | text
    slices: list[ImageSlice] = field(default_factory=list)
    pdf_sizes: list[tuple[float, float]] = field(default_factory=list)
    first_h: float = 0.0
    attachment: str | None = None
    twins: list[Entry] = field(default_factory=list)  # the same recording, other formats
    twin_paths: list[Path] = field(default_factory=list)
    twin_attachments: list[str] = field(default_factory=list)


def file_type_zh(mime: str) -> str:
    """The file's type in words a clerk reads (the MIME type is in the manifest)."""
    main, _, sub = mime.partition("/")
    if mime == "application/pdf":
        return "PDF 文件"
    if main == "image":
        return f"{sub.upper().replace('JPEG', 'JPG')} 图片" if sub.isalnum() else "图片"
    if main == "audio":
        return "音频文件"
    if main == "video":
        return "视频文件"
    if main == "text":
        return "文本文件"
    return "文件"


def header(asset: Asset, st: Styles, mask: Callable[[str], str], tpl: Template) -> list[Flowable]:
    e = asset.entry
    method = tpl.text(f"capture.{e.kind.value}", tpl.text("capture.default", ""))
    extra = [f"{k}：{e.meta[k]}" for k in ("device", "app", "account") if e.meta.get(k)]
    basis = SOURCE_ZH.get(e.occurred_at_source, e.occurred_at_source)
    rows = [
        ("原始文件", f"{mask(e.original_name)}（{e.size:,} 字节，{file_type_zh(e.mime)}）"),
        (
            "形成时间",
            f"{fmt_time(e.occurred_at)}（依据：{basis}）    入库时间：{fmt_time(e.ingested_at)}",
        ),
        ("SHA-256", e.sha256),
        ("采集方式", "；".join([method, *extra]) if method or extra else "—"),
    ]
    for twin in asset.twins:
        rows.append(
            (
                "同一录音的其他格式",
                f"{mask(twin.original_name)}（{twin.size:,} 字节）SHA-256 {twin.sha256}",
            )
        )
    table = grid_table(
        [[para(a, st.tiny), para(b, st.hash if a == "SHA-256" else st.tiny)] for a, b in rows],
        [FRAME_W * 0.13, FRAME_W * 0.87],
        header=False,
        shade_first_col=True,
    )
    return [
        para(f"{asset.label}    {mask(exhibit_name(e))}", st.exhibit),
        spacer(4),
        table,
        spacer(6),
    ]


def header_height(asset: Asset, st: Styles, mask: Callable[[str], str], tpl: Template) -> float:
    total = 0.0
    for f in header(asset, st, mask, tpl):
        total += f.wrap(FRAME_W, FRAME_H)[1] + f.getSpaceBefore() + f.getSpaceAfter()
    return total


def exhibit_flowables(
    asset: Asset,
    st: Styles,
    mask: Callable[[str], str],
    tpl: Template,
    tracker: Tracker,
    images: bool = True,
) -> list[Flowable]:
    e = asset.entry
    out: list[Flowable] = [
        PageBreak(),
        Anchor(tracker, asset.key, f"{asset.label} {mask(exhibit_name(e))}", level=1),
        *header(asset, st, mask, tpl),
    ]
    if asset.mode in ("image", "raster"):
        for s in asset.slices:
            img: Flowable = (
                Image(str(s.path), width=s.width_pt, height=s.height_pt)
                if images
                else Spacer(s.width_pt, s.height_pt)
            )
            img.hAlign = "CENTER"
            out.append(img)
    elif asset.mode == "pdf":
        for i, size in enumerate(asset.pdf_sizes):
            out.append(
                PdfSlot(tracker, asset.path, i, size, asset.first_h if i == 0 else NEXT_PAGE_H)
            )
    if e.kind is Kind.CHAT and e.messages:
        out += _transcript(e, st, mask)
    elif asset.mode == "text" or (e.kind is Kind.RECORDING and e.text.strip()):
        out += _text_body(e, st, mask)
    amounts = amounts_text(e, limit=12)
    if amounts:
        note = "（图中黄色标记处）" if asset.mode == "image" and e.lines else ""
        out.append(para(f"识别到的金额{note}：{amounts}", st.small))
    if e.user_note:
        out.append(para(f"投诉人备注：{mask(e.user_note)}", st.small))
    out.append(Anchor(tracker, asset.key, end=True))
    return out


def _transcript(e: Entry, st: Styles, mask: Callable[[str], str]) -> list[Flowable]:
    rows: list[list[Any]] = [
        [para(h, st.cell_head) for h in ("时间", "发送方", "内容（文字转录）")]
    ]
    for m in e.messages:
        who = {Side.THEM: "对方", Side.SYSTEM: "系统提示"}.get(m.side, "本人")
        rows.append(
            [
                para(fmt_time(m.time) if m.time else "", st.tiny),
                para(who, st.tiny),
                para(mask(m.text), st.cell),
            ]
        )
    return [
        spacer(6),
        para("聊天内容转录（供阅读，以截图原件为准）", st.small),
        grid_table(rows, [FRAME_W * 0.2, FRAME_W * 0.1, FRAME_W * 0.7]),
    ]


def _text_body(e: Entry, st: Styles, mask: Callable[[str], str]) -> list[Flowable]:
    out: list[Flowable] = [spacer(4)]
    if e.kind is Kind.RECORDING:
        secs = e.meta.get("duration_s")
        if secs:
            out.append(
                para(
                    f"录音时长：{int(secs) // 60} 分 {int(secs) % 60} 秒。原始音频文件见附件。",
                    st.small,
                )
            )
        if e.text.strip():
            out.append(para("录音文字整理：", st.small))
    text = mask(e.text.strip()) or "（无文字内容）"
    out += [para(p, st.body) for p in text.split("\n") if p.strip()] or [para(text, st.body)]
    return out


def exhibit_labels(
    entries: Sequence[Entry], tpl: Template
) -> tuple[list[Entry], list[str], list[str | None]]:
    """Order and label the exhibits: flat 证据1, 证据2 … or grouped 证据1-1 … by the template's
    [[evidence_list.groups]] (kinds per group). Returns entries, labels, group title per row
    (the title only on the first row of its group)."""
    fmt = tpl.text("exhibit_label", "证据{n}")
    groups = tpl.get("evidence_list.groups") or []
    if not groups:
        return (
            list(entries),
            [fmt.replace("{n}", str(i)) for i in range(1, len(entries) + 1)],
            [None] * len(entries),
        )
    ordered: list[Entry] = []
    labels: list[str] = []
    titles: list[str | None] = []
    placed: set[str] = set()
    g_no = 0
    for g in [*groups, {"title": tpl.text("evidence_list.other_group", "其他证据"), "kinds": None}]:
        members = [
            e
            for e in entries
            if e.id not in placed and (g.get("kinds") is None or e.kind.value in g["kinds"])
        ]
        if not members:
            continue
        g_no += 1
        for k, e in enumerate(members, 1):
            placed.add(e.id)
            ordered.append(e)
            labels.append(fmt.replace("{n}", f"{g_no}-{k}"))
            titles.append(str(g.get("title", "")).replace("{g}", str(g_no)) if k == 1 else None)
    return ordered, labels, titles


def merge_twins(entries: Sequence[Entry]) -> tuple[list[Entry], dict[str, list[Entry]]]:
    """One exhibit per recording: files of the same recording in several formats (the same
    name, ``录音_0314.m4a`` and ``录音_0314.wav``) become one exhibit, the first kept and the
    others listed with it. Returns the kept entries and, per kept id, its twins."""
    kept: list[Entry] = []
    twins: dict[str, list[Entry]] = {}
    first_of: dict[str, Entry] = {}
    for e in entries:
        if e.kind is Kind.RECORDING:
            stem = Path(e.original_name).stem.casefold()
            head = first_of.get(stem)
            if head is not None and head.occurred_at == e.occurred_at:
                twins.setdefault(head.id, []).append(e)
                continue
            first_of.setdefault(stem, e)
        kept.append(e)
    return kept, twins
