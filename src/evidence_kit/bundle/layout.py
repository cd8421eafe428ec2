"""ReportLab building blocks: styles, page frame, bookmarks that also record page numbers,
tables, the contact chart, and the slot an original PDF page is merged into."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib import textsplit as _rl_textsplit
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle
from reportlab.platypus import paragraph as _rl_paragraph

from evidence_kit.bundle.fonts import REGULAR, FontChoice
from evidence_kit.bundle.pdfpages import Slot

PAGE_W, PAGE_H = A4
MARGIN_X = 20 * mm
MARGIN_TOP = 20 * mm
MARGIN_BOTTOM = 18 * mm
FRAME_W = PAGE_W - 2 * MARGIN_X
FRAME_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM
INK = colors.HexColor("#1a1a1a")
GRID = colors.HexColor("#8c8c8c")
SHADE = colors.HexColor("#eef1f5")
ACCENT = colors.HexColor("#1f3a5f")
GAP = colors.HexColor("#b00020")


@dataclass
class Tracker:
    """Filled while a pass draws: where each anchor landed and which PDF slots were drawn.
    The next pass reads ``previous`` to print page numbers that are only known afterwards."""

    pages: dict[str, int] = field(default_factory=dict)
    ends: dict[str, int] = field(default_factory=dict)
    slots: list[Slot] = field(default_factory=list)
    previous: dict[str, int] = field(default_factory=dict)
    previous_ends: dict[str, int] = field(default_factory=dict)
    total_pages: int = 0

    def page_of(self, key: str) -> int | None:
        return self.previous.get(key)

    def range_text(self, key: str) -> str:
        start, end = self.previous.get(key), self.previous_ends.get(key)
        if start is None:
            return "000–000"  # same width as a real range, so pass 2 lays out the same
        return str(start) if end in (None, start) else f"{start}–{end}"


class Styles:
    def __init__(self, font: FontChoice) -> None:
        f = font.regular
        self.mono = font.mono
        base = dict(fontName=f, textColor=INK, wordWrap="CJK")
        self.body = ParagraphStyle("body", fontSize=10.5, leading=17, **base)
        self.indent = ParagraphStyle("indent", parent=self.body, firstLineIndent=21)
        # an introduction that belongs to the table after it: never left at a page's foot
        self.lead = ParagraphStyle("lead", parent=self.indent, keepWithNext=1)
        self.small = ParagraphStyle("small", fontSize=8.5, leading=12, **base)
        self.small_lead = ParagraphStyle("small_lead", parent=self.small, keepWithNext=1)
        self.tiny = ParagraphStyle("tiny", fontSize=7.5, leading=10, **base)
        self.cell = ParagraphStyle("cell", fontSize=9, leading=12.5, **base)
        self.cell_head = ParagraphStyle("cellh", parent=self.cell, alignment=TA_CENTER)
        self.hash = ParagraphStyle(
            "hash", fontName=font.mono, fontSize=7.5, leading=10, textColor=INK, wordWrap="CJK"
        )
        self.title = ParagraphStyle(
            "title",
            fontSize=24,
            leading=34,
            alignment=TA_CENTER,
            spaceAfter=6,
            **base,
        )
        self.subtitle = ParagraphStyle(
            "subtitle",
            fontSize=12,
            leading=18,
            alignment=TA_CENTER,
            **base,
        )
        self.h1 = ParagraphStyle(
            "h1",
            fontSize=16,
            leading=24,
            alignment=TA_CENTER,
            spaceBefore=4,
            spaceAfter=10,
            keepWithNext=1,
            **base,
        )
        self.h2 = ParagraphStyle(
            "h2",
            fontSize=12,
            leading=18,
            spaceBefore=10,
            spaceAfter=4,
            textColor=ACCENT,
            fontName=f,
            wordWrap="CJK",
            keepWithNext=1,  # a heading never ends a page alone
        )
        # A sub-heading over a table: a gap above, a little below, kept with its table.
        self.h3 = ParagraphStyle(
            "h3",
            fontSize=10.5,
            leading=16,
            spaceBefore=8,
            spaceAfter=4,
            textColor=INK,
            fontName=f,
            wordWrap="CJK",
            keepWithNext=1,
        )
        self.exhibit = ParagraphStyle(
            "exh", fontSize=15, leading=20, alignment=TA_LEFT, textColor=ACCENT, fontName=f
        )
        self.right = ParagraphStyle("right", parent=self.body, alignment=TA_RIGHT)
        self.center = ParagraphStyle("center", parent=self.body, alignment=TA_CENTER)
        self.box = ParagraphStyle(
            "box",
            fontName=font.mono,
            fontSize=9,
            leading=14,
            textColor=INK,
            wordWrap="CJK",
            backColor=colors.HexColor("#f7f7f7"),
            borderColor=GRID,
            borderWidth=0.5,
            borderPadding=6,
        )


# ReportLab's CJK line breaker hangs a character that may not start a line, but its list is
# Japanese-centred and lacks the full-width Chinese comma, colon, semicolon, closing book-title
# mark and quotes, so lines began with them. Extend the list its breaker reads (module global).
# Both breakers read it: textsplit (one-run paragraphs) and paragraph (several runs).
_CANNOT_START_ZH = "，。：；！？）》」』】〕、”’…·％"
for _module in (_rl_textsplit, _rl_paragraph):
    _module.ALL_CANNOT_START += "".join(
        c for c in _CANNOT_START_ZH if c not in _module.ALL_CANNOT_START
    )
_rl_word_split = _rl_textsplit.wordSplit


def _word_split_zh(
    word: str, maxWidths: Any, fontName: str, fontSize: float, encoding: str = "utf8"
) -> list[list[Any]]:
    """ReportLab's breaker hangs one closing mark; a second one in a row (“）》”, “）、”)
    still started the next line. Hang the rest too: a few points into the margin."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines = _rl_word_split(word, maxWidths, fontName, fontSize, encoding)
    for prev, line in itertools.pairwise(lines):
        text = line[1]
        n = 0
        while n < len(text) and text[n] in _rl_textsplit.ALL_CANNOT_START:
            n += 1
        if n and n < len(text):
            moved = text[:n]
            width = stringWidth(moved, fontName, fontSize)
            prev[1] += moved
            prev[0] -= width
            line[1] = text[n:]
            line[0] += width
    return lines


if getattr(_rl_paragraph.wordSplit, "__name__", "") != "_word_split_zh":
    _rl_paragraph.wordSplit = _word_split_zh

# Characters the embedded CJK font has no glyph for, and the look-alike it does have.
_NO_GLYPH = str.maketrans({"\u2212": "\uff0d"})  # − minus sign → － full-width hyphen-minus


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """Plain text (never markup) as a paragraph; newlines kept, gap markers in red."""
    safe = escape(text.translate(_NO_GLYPH)).replace("\n", "<br/>")
    if "【待填写" in safe:
        safe = safe.replace("【待填写", '<font color="#b00020">【待填写').replace("】", "】</font>")
    return Paragraph(safe, style)


class Anchor(Flowable):
    """Zero-size marker: a bookmark + outline entry, and the page it landed on."""

    def __init__(
        self,
        tracker: Tracker,
        key: str,
        title: str | None = None,
        level: int = 0,
        end: bool = False,
    ) -> None:
        super().__init__()
        self.tracker, self.key, self.title, self.level, self.end = tracker, key, title, level, end
        self.width = self.height = 0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        page = self.canv.getPageNumber()
        if self.end:
            self.tracker.ends[self.key] = page
            return
        self.tracker.pages[self.key] = page
        if self.title is not None:
            self.canv.bookmarkPage(self.key)
            self.canv.addOutlineEntry(self.title, self.key, level=self.level, closed=True)


class PdfSlot(Flowable):
    """Reserves a rectangle for one original PDF page; the page is merged in after the build."""

    def __init__(
        self, tracker: Tracker, src: Path, src_page: int, size: tuple[float, float], max_h: float
    ) -> None:
        super().__init__()
        self.tracker, self.src, self.src_page = tracker, src, src_page
        w, h = size
        scale = min(FRAME_W / w, max_h / h)
        self.width, self.height = w * scale, h * scale

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        x, y = self.canv.absolutePosition(0, 0)
        self.canv.setStrokeColor(GRID)
        self.canv.setLineWidth(0.4)
        self.canv.rect(0, 0, self.width, self.height)
        self.tracker.slots.append(
            Slot(self.canv.getPageNumber(), x, y, self.width, self.height, self.src, self.src_page)
        )


def grid_table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    *,
    header: bool = True,
    shade_first_col: bool = False,
    spans: Sequence[int] = (),
    repeat: int = 1,
) -> Table:
    table = Table(list(rows), colWidths=list(widths), repeatRows=repeat if header else 0)
    cmds: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),  # plain-string cells default to Helvetica
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        cmds.append(("BACKGROUND", (0, 0), (-1, 0), SHADE))
    if shade_first_col:
        cmds.append(("BACKGROUND", (0, 0), (0, -1), SHADE))
    for r in spans:  # group-title rows spanning the table
        cmds += [
            ("SPAN", (0, r), (-1, r)),
            ("BACKGROUND", (0, r), (-1, r), colors.HexColor("#f6f6f6")),
        ]
    table.setStyle(TableStyle(cmds))
    return table


def fields_table(rows: Sequence[tuple[str, str]], st: Styles) -> Table:
    data = [[para(label, st.cell), para(value or "—", st.cell)] for label, value in rows]
    return grid_table(data, [FRAME_W * 0.28, FRAME_W * 0.72], header=False, shade_first_col=True)


def bar_chart(
    days: Sequence[str],
    series: Sequence[tuple[str, Sequence[int], Any]],
    font: str,
    height: float = 150,
) -> Flowable:
    """Grouped bars per day drawn with ReportLab's own graphics (no matplotlib)."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing

    drawing = Drawing(FRAME_W, height + 40)
    drawing.initialFontName = font  # the graphics default would add an unembedded Helvetica
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 30
    chart.width, chart.height = FRAME_W - 60, height - 20
    chart.data = [list(values) for _, values, _ in series]
    chart.categoryAxis.categoryNames = [d[5:] for d in days]  # MM-DD
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 6.5 if len(days) > 14 else 8
    chart.categoryAxis.labels.angle = 45 if len(days) > 10 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(days) > 10 else "n"
    chart.valueAxis.labels.fontName = font
    chart.barLabels.fontName = font  # unset label fonts pull in an unembedded Helvetica
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    top = max([max(v) if v else 0 for _, v, _ in series] + [1])
    chart.valueAxis.valueStep = max(1, (top + 4) // 5)
    chart.valueAxis.valueMax = chart.valueAxis.valueStep * 5 if top > 5 else 5
    chart.barSpacing = 1
    chart.groupSpacing = 4
    for i, (_, _, color) in enumerate(series):
        chart.bars[i].fillColor = color
        chart.bars[i].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 40, height + 30
    legend.fontName, legend.fontSize = font, 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 90
    legend.colorNamePairs = [(color, name) for name, _, color in series]
    drawing.add(legend)
    return drawing


def spacer(h: float = 6) -> Spacer:
    return Spacer(1, h)
