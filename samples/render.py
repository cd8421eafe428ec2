"""Pure-Pillow renderer of fictional phone screenshots with ground-truth text labels.

Used by ``make_samples.py`` (the demo case) and by the OCR accuracy benchmark. Import it with
``sys.path.insert(0, "samples"); import render``. Every function is deterministic: the same
arguments give the same pixels (no clock, no unseeded randomness).

Each renderer returns ``(image, labels)``; ``labels`` holds one dict per drawn text line:
``{"text", "box": [x0, y0, x1, y1], "role", "side", "message_index"}`` where ``box`` is the tight
ink box Pillow reports for that line (integers, inside the image).

Sizes are designed for a 1080 px wide screen and scale linearly with ``width`` (and ``scale``).
"""

from __future__ import annotations

import functools
import os
import random
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

Label = dict[str, Any]
Font = ImageFont.FreeTypeFont

# Debian package → font file. The first present one is the default.
_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",  # fonts-wqy-zenhei
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",  # fonts-noto-cjk
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # fonts-wqy-microhei
    "/usr/share/fonts/truetype/arphic/uming.ttc",  # fonts-arphic-uming
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",  # fonts-noto-cjk
)

# Bubbles must not cross the centre line, so a label's side can be read from its position.
_MAX_TEXT_FRACTION = 0.56
_NO_LINE_START = set("，。、！？；：）」』》〉】,.!?;:)]%")


# ---------------------------------------------------------------- fonts


def available_fonts() -> list[str]:
    """Paths of the CJK fonts present on this machine, default first."""
    return [p for p in _FONT_CANDIDATES if os.path.exists(p)]


def default_font() -> str:
    fonts = available_fonts()
    if not fonts:
        raise FileNotFoundError("no CJK font found: apt-get install fonts-wqy-zenhei")
    return fonts[0]


@functools.lru_cache(maxsize=32)
def _face_index(path: str) -> int:
    """In a collection pick the Simplified-Chinese face (Noto's TTC starts with JP)."""
    if not path.lower().endswith(".ttc"):
        return 0
    for index in range(16):
        try:
            family = ImageFont.truetype(path, 12, index=index).getname()[0] or ""
        except OSError:
            break
        if family.endswith((" SC", " CN")) and "Mono" not in family:
            return index
    return 0


@functools.lru_cache(maxsize=256)
def load_font(path: str | None, size: int) -> Font:
    path = path or default_font()
    return ImageFont.truetype(path, max(6, int(size)), index=_face_index(path))


# ---------------------------------------------------------------- text helpers


def _tokens(text: str) -> list[str]:
    """Latin words and numbers stay whole; every CJK character is its own token."""
    out: list[str] = []
    word = ""
    for ch in text:
        if (ch.isascii() or ch in "¥￥") and not ch.isspace():
            word += ch
            continue
        if word:
            out.append(word)
            word = ""
        out.append(ch)
    if word:
        out.append(word)
    return out


def wrap_text(text: str, font: Font, max_width: float) -> list[str]:
    """Greedy line breaking for mixed CJK/Latin text; no line starts with closing punctuation."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _tokens(paragraph):
            if font.getlength(line + token) <= max_width or not line:
                if font.getlength(token) > max_width and not line:
                    # A single over-long token (a URL, a long number): break it per character.
                    for ch in token:
                        if line and font.getlength(line + ch) > max_width:
                            lines.append(line)
                            line = ""
                        line += ch
                else:
                    line += token
            elif token[0] in _NO_LINE_START:
                line += token  # hanging punctuation, as phone text layout does
            else:
                lines.append(line.rstrip())
                line = token.lstrip()
        lines.append(line.rstrip())
    return lines


class _Canvas:
    """An ImageDraw that records a label for every text line it draws."""

    def __init__(self, img: Image.Image) -> None:
        self.img = img
        self.draw = ImageDraw.Draw(img)
        self.labels: list[Label] = []

    def text(
        self,
        xy: tuple[float, float],
        text: str,
        font: Font,
        fill: str,
        *,
        role: str,
        side: str | None = None,
        index: int | None = None,
        anchor: str = "la",
        **extra: Any,
    ) -> tuple[int, int, int, int]:
        self.draw.text(xy, text, font=font, fill=fill, anchor=anchor)
        x0, y0, x1, y1 = (int(v) for v in self.draw.textbbox(xy, text, font=font, anchor=anchor))
        w, h = self.img.size
        box = (max(0, x0), max(0, y0), min(w, x1), min(h, y1))
        if text.strip():
            self.labels.append(
                {
                    "text": text,
                    "box": list(box),
                    "role": role,
                    "side": side,
                    "message_index": index,
                    **extra,
                }
            )
        return box


def _hex(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return (int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16))


# ---------------------------------------------------------------- phone chrome


def _status_bar(
    c: _Canvas, s: float, width: int, height: int, time: str, fg: str, font_path: str | None
) -> None:
    font = load_font(font_path, round(34 * s))
    mid = height / 2
    c.text((round(48 * s), mid), time, font, fg, role="chrome", anchor="lm")
    d = c.draw
    # Battery: outline, fill level, cap; then percentage to its left.
    bw, bh = round(58 * s), round(28 * s)
    bx1 = width - round(44 * s)
    bx0, by0 = bx1 - bw, round(mid - bh / 2)
    d.rounded_rectangle(
        (bx0, by0, bx1, by0 + bh),
        radius=max(2, round(6 * s)),
        outline=fg,
        width=max(1, round(3 * s)),
    )
    pad = max(2, round(5 * s))
    d.rectangle(
        (bx0 + pad, by0 + pad, bx0 + pad + round((bw - 2 * pad) * 0.78), by0 + bh - pad), fill=fg
    )
    d.rectangle((bx1 + 1, by0 + bh // 3, bx1 + max(2, round(5 * s)), by0 + bh - bh // 3), fill=fg)
    small = load_font(font_path, round(28 * s))
    c.text((bx0 - round(12 * s), mid), "78", small, fg, role="chrome", anchor="rm")
    # Wi-Fi fan and signal bars.
    wx = bx0 - round(100 * s)
    for i, r in enumerate((30, 21, 12)):  # outer ring first; inner hole cut with the bg
        rr = round(r * s)
        d.pieslice(
            (wx - rr, mid + round(14 * s) - rr, wx + rr, mid + round(14 * s) + rr),
            225,
            315,
            fill=fg,
        )
        if i < 2:
            ri = rr - max(2, round(4 * s))
            bg = c.img.getpixel((2, 2))
            d.pieslice(
                (wx - ri, mid + round(14 * s) - ri, wx + ri, mid + round(14 * s) + ri),
                225,
                315,
                fill=bg,
            )
    sx = wx - round(90 * s)
    for i in range(4):
        bh_i = round((10 + 6 * i) * s)
        x = sx + round(i * 11 * s)
        d.rectangle((x, mid + round(12 * s) - bh_i, x + round(7 * s), mid + round(12 * s)), fill=fg)


def _back_arrow(d: ImageDraw.ImageDraw, x: float, mid: float, s: float, fg: str) -> None:
    a = 20 * s
    d.line(
        [(x + a, mid - a), (x, mid), (x + a, mid + a)],
        fill=fg,
        width=max(2, round(5 * s)),
        joint="curve",
    )


def _dots(d: ImageDraw.ImageDraw, x: float, mid: float, s: float, fg: str) -> None:
    r = max(2, round(5 * s))
    for i in (-1, 0, 1):
        cx = x + i * 18 * s
        d.ellipse((cx - r, mid - r, cx + r, mid + r), fill=fg)


def _avatar(
    d: ImageDraw.ImageDraw, box: tuple[int, int, int, int], color: tuple[int, int, int], s: float
) -> None:
    """A rounded square with a plain head-and-shoulders silhouette (no text, so OCR sees none)."""
    x0, y0, x1, _ = box
    d.rounded_rectangle(box, radius=max(3, round(12 * s)), fill=color)
    size = x1 - x0
    light = tuple(min(255, v + 90) for v in color)
    cx = (x0 + x1) / 2
    d.ellipse((cx - size * 0.18, y0 + size * 0.2, cx + size * 0.18, y0 + size * 0.56), fill=light)
    d.chord(
        (cx - size * 0.34, y0 + size * 0.62, cx + size * 0.34, y0 + size * 1.3),
        180,
        360,
        fill=light,
    )


_STYLES: dict[str, dict[str, str]] = {
    "wechat": {
        "bg": "#EDEDED",
        "bar": "#EDEDED",
        "bar_fg": "#191919",
        "line": "#D6D6D6",
        "me": "#95EC69",
        "me_fg": "#191919",
        "them": "#FFFFFF",
        "them_fg": "#191919",
        "time_fg": "#A6A6A6",
        "input": "#F7F7F7",
    },
    "app": {
        "bg": "#F3F4F6",
        "bar": "#FFFFFF",
        "bar_fg": "#1F2329",
        "line": "#E5E6EB",
        "me": "#3B7CFF",
        "me_fg": "#FFFFFF",
        "them": "#FFFFFF",
        "them_fg": "#1F2329",
        "time_fg": "#8F959E",
        "input": "#FFFFFF",
    },
}


# ---------------------------------------------------------------- chat


def render_chat(
    messages: Sequence[dict[str, Any]],
    *,
    style: str = "wechat",
    width: int = 1080,
    font_path: str | None = None,
    font_size: int | None = None,
    title: str = "乐享分期客服",
    status_time: str = "22:08",
    scale: float = 1.0,
    seed: int = 0,
    min_height: int | None = None,
) -> tuple[Image.Image, list[Label]]:
    """Draw a phone chat screenshot.

    ``messages``: ``{"type": "time", "text": "昨天 22:08"}`` rows and ``{"side": "them"|"me",
    "text": ...}`` bubbles (optional ``"name"``: a sender name shown above the bubble in the
    app style). ``message_index`` in labels is the position in ``messages``. The image is
    ``width`` x max(20:9 screen, content) — long conversations make tall images.
    """
    if style not in _STYLES:
        raise ValueError(f"style must be one of {sorted(_STYLES)}, not {style!r}")
    col = _STYLES[style]
    s = width / 1080 * scale
    fsize = font_size or round(48 * s)
    font = load_font(font_path, fsize)
    tfont = load_font(font_path, round(fsize * 0.72))
    nfont = load_font(font_path, round(fsize * 0.62))
    line_h = round(fsize * 1.42)
    margin, avatar, gap = round(32 * s), round(118 * s), round(22 * s)
    pad_x, pad_y = round(34 * s), round(28 * s)
    max_text = width * _MAX_TEXT_FRACTION - 2 * pad_x
    status_h, bar_h, input_h = round(84 * s), round(144 * s), round(168 * s)

    rng = random.Random(f"{seed}:{title}")
    palette = [(87, 107, 149), (230, 126, 34), (52, 152, 219), (155, 89, 182), (39, 174, 96)]
    avatar_color = {"them": rng.choice(palette), "me": rng.choice(palette)}

    # Layout pass: wrap every bubble and stack the rows.
    rows: list[tuple[int, dict[str, Any], list[str], int, int]] = []  # index, msg, lines, y, h
    y = status_h + bar_h + round(24 * s)
    for i, msg in enumerate(messages):
        if msg.get("type") == "time":
            h = round(tfont.size * 1.4) + round(40 * s)
            rows.append((i, msg, [msg["text"]], y, h))
        else:
            if msg.get("side") not in ("them", "me"):
                raise ValueError(f"message {i}: side must be 'them' or 'me'")
            lines = wrap_text(msg["text"], font, max_text)
            name_h = round(nfont.size * 1.5) if (msg.get("name") and style == "app") else 0
            h = name_h + max(avatar, len(lines) * line_h + 2 * pad_y) + round(36 * s)
            rows.append((i, msg, lines, y, h))
        y += h
    height = max(min_height or round(width * 20 / 9), y + round(24 * s) + input_h)

    img = Image.new("RGB", (width, height), col["bg"])
    c = _Canvas(img)
    d = c.draw
    d.rectangle((0, 0, width, status_h + bar_h), fill=col["bar"])
    d.line((0, status_h + bar_h, width, status_h + bar_h), fill=col["line"], width=max(1, round(s)))
    _status_bar(c, s, width, status_h, status_time, col["bar_fg"], font_path)
    mid = status_h + bar_h / 2
    _back_arrow(d, round(44 * s), mid, s, col["bar_fg"])
    c.text(
        (width / 2, mid),
        title,
        load_font(font_path, round(50 * s)),
        col["bar_fg"],
        role="chrome",
        anchor="mm",
    )
    _dots(d, width - round(70 * s), mid, s, col["bar_fg"])

    for i, msg, lines, y0, h in rows:
        if msg.get("type") == "time":
            ty = y0 + h / 2
            if style == "app":
                tw = tfont.getlength(lines[0])
                d.rounded_rectangle(
                    (
                        width / 2 - tw / 2 - 18 * s,
                        ty - tfont.size * 0.75,
                        width / 2 + tw / 2 + 18 * s,
                        ty + tfont.size * 0.75,
                    ),
                    radius=round(10 * s),
                    fill="#E3E5E8",
                )
            c.text(
                (width / 2, ty), lines[0], tfont, col["time_fg"], role="time", index=i, anchor="mm"
            )
            continue
        side = msg["side"]
        top = y0
        if msg.get("name") and style == "app":
            nx = margin + avatar + gap if side == "them" else width - margin - avatar - gap
            c.text(
                (nx, top),
                msg["name"],
                nfont,
                col["time_fg"],
                role="chrome",
                anchor="la" if side == "them" else "ra",
            )
            top += round(nfont.size * 1.5)
        text_w = max(font.getlength(line) for line in lines)
        bw, bh = round(text_w + 2 * pad_x), len(lines) * line_h + 2 * pad_y
        if side == "them":
            ax0 = margin
            bx0 = ax0 + avatar + gap
        else:
            ax0 = width - margin - avatar
            bx0 = ax0 - gap - bw
        _avatar(d, (ax0, top, ax0 + avatar, top + avatar), avatar_color[side], s)
        fill = col[side]
        bubble = (bx0, top, bx0 + bw, top + bh)
        d.rounded_rectangle(bubble, radius=round((14 if style == "wechat" else 26) * s), fill=fill)
        if style == "wechat":  # the little tail pointing at the avatar
            t, ty = round(14 * s), top + round(avatar / 2) - round(4 * s)
            if side == "them":
                d.polygon([(bx0 - t, ty), (bx0 + 1, ty - t), (bx0 + 1, ty + t)], fill=fill)
            else:
                bx1 = bx0 + bw
                d.polygon([(bx1 + t, ty), (bx1 - 1, ty - t), (bx1 - 1, ty + t)], fill=fill)
        for k, line in enumerate(lines):
            ly = top + pad_y + k * line_h + line_h / 2
            c.text(
                (bx0 + pad_x, ly),
                line,
                font,
                col[f"{side}_fg"],
                role="message",
                side=side,
                index=i,
                anchor="lm",
                bubble=list(bubble),
            )

    # Input bar.
    iy = height - input_h
    d.rectangle((0, iy, width, height), fill=col["input"])
    d.line((0, iy, width, iy), fill=col["line"], width=max(1, round(s)))
    fh = round(96 * s)
    fy0 = iy + (input_h - fh) // 2
    ring = round(34 * s)
    if style == "wechat":
        lw, cy = max(2, round(4 * s)), fy0 + fh / 2
        for k, cx in enumerate((round(70 * s), width - round(180 * s), width - round(70 * s))):
            d.ellipse((cx - ring, cy - ring, cx + ring, cy + ring), outline="#191919", width=lw)
            q = ring * 0.5
            if k == 0:  # voice: three arcs
                for r in (q * 0.4, q * 0.9, q * 1.4):
                    d.arc(
                        (cx - q - r, cy - r, cx - q + r, cy + r), 300, 60, fill="#191919", width=lw
                    )
            elif k == 1:  # emoji: eyes and a smile
                e = max(2, round(4 * s))
                for ex in (cx - q * 0.7, cx + q * 0.7):
                    d.ellipse((ex - e, cy - q * 0.6 - e, ex + e, cy - q * 0.6 + e), fill="#191919")
                d.arc((cx - q, cy - q, cx + q, cy + q), 20, 160, fill="#191919", width=lw)
            else:  # plus
                d.line((cx - q, cy, cx + q, cy), fill="#191919", width=lw)
                d.line((cx, cy - q, cx, cy + q), fill="#191919", width=lw)
        d.rounded_rectangle(
            (round(130 * s), fy0, width - round(240 * s), fy0 + fh),
            radius=round(12 * s),
            fill="#FFFFFF",
        )
    else:
        d.rounded_rectangle(
            (margin, fy0, width - round(220 * s), fy0 + fh), radius=fh // 2, fill="#F2F3F5"
        )
        c.text(
            (margin + round(40 * s), fy0 + fh / 2),
            "请输入您想咨询的问题",
            tfont,
            "#A8ADB4",
            role="chrome",
            anchor="lm",
        )
        bx0 = width - round(190 * s)
        d.rounded_rectangle((bx0, fy0, width - margin, fy0 + fh), radius=fh // 2, fill=col["me"])
        c.text(
            ((bx0 + width - margin) / 2, fy0 + fh / 2),
            "发送",
            tfont,
            "#FFFFFF",
            role="chrome",
            anchor="mm",
        )
    return img, c.labels


# ---------------------------------------------------------------- bill


def render_bill(
    rows: Iterable[Any],
    *,
    width: int = 1080,
    font_path: str | None = None,
    title: str = "账单详情",
    platform: str = "乐享分期",
    contract_no: str | None = None,
    header_label: str = "本期应还(元)",
    header_amount: str | None = None,
    header_note: str | None = None,
    button: str | None = "立即还款",
    status_time: str = "10:15",
    scale: float = 1.0,
    min_height: int | None = None,
) -> tuple[Image.Image, list[Label]]:
    """Draw an app bill/statement screen.

    ``rows``: ``(label, value)`` pairs, ``{"label", "value"}`` dicts, or
    ``{"type": "section", "text": ...}`` headings that start a new white card. Labels carry
    role ``chrome``/``header``/``section``/``label``/``value`` and ``row_index`` (position in
    ``rows``) for label and value lines.
    """
    s = width / 1080 * scale
    font = load_font(font_path, round(44 * s))
    small = load_font(font_path, round(36 * s))
    big = load_font(font_path, round(104 * s))
    brand = "#FF6A2B"
    status_h, bar_h = round(84 * s), round(144 * s)
    margin, pad, row_h = round(36 * s), round(44 * s), round(104 * s)
    items = []
    for r in rows:
        if isinstance(r, dict) and r.get("type") == "section":
            items.append(("section", r["text"], None))
        elif isinstance(r, dict):
            items.append(("row", r["label"], r["value"]))
        else:
            items.append(("row", r[0], r[1]))
    header_h = round(400 * s) if header_amount else 0
    body_h = sum(round(96 * s) if k == "section" else row_h for k, _, _ in items)
    sections = sum(1 for k, _, _ in items if k == "section") + 1
    content_end = status_h + bar_h + header_h + body_h + sections * round(56 * s)
    button_h = round(200 * s) if button else 0
    height = max(min_height or round(width * 20 / 9), content_end + button_h + round(40 * s))

    img = Image.new("RGB", (width, height), "#F5F6F8")
    c = _Canvas(img)
    d = c.draw
    d.rectangle((0, 0, width, status_h + bar_h), fill="#FFFFFF")
    _status_bar(c, s, width, status_h, status_time, "#1F2329", font_path)
    mid = status_h + bar_h / 2
    _back_arrow(d, round(44 * s), mid, s, "#1F2329")
    c.text(
        (width / 2, mid),
        title,
        load_font(font_path, round(50 * s)),
        "#1F2329",
        role="chrome",
        anchor="mm",
    )
    y = status_h + bar_h
    if header_amount:
        d.rectangle((0, y, width, y + header_h), fill=brand)
        c.text(
            (margin + pad, y + round(56 * s)),
            f"{platform} · {header_label}",
            small,
            "#FFE9DF",
            role="header",
        )
        c.text((margin + pad, y + round(130 * s)), header_amount, big, "#FFFFFF", role="header")
        if header_note:
            c.text((margin + pad, y + round(290 * s)), header_note, small, "#FFE9DF", role="header")
        y += header_h
    y += round(28 * s)

    # First pass: card rectangles, so text drawn afterwards sits on top.
    yy = y
    card_boxes = []
    cur = None
    for kind, _, _ in items:
        if kind == "section" or cur is None:
            if cur is not None:
                card_boxes.append((cur, yy))
                yy += round(28 * s)
            cur = yy
        yy += round(96 * s) if kind == "section" else row_h
    if cur is not None:
        card_boxes.append((cur, yy))
    for top, bottom in card_boxes:
        d.rounded_rectangle(
            (margin, top, width - margin, bottom + round(12 * s)),
            radius=round(24 * s),
            fill="#FFFFFF",
        )

    first = True
    for idx, (kind, text, value) in enumerate(items):
        if kind == "section":
            if not first:
                y += round(28 * s)
            c.text(
                (margin + pad, y + round(96 * s) / 2),
                text,
                load_font(font_path, round(46 * s)),
                "#1F2329",
                role="section",
                anchor="lm",
            )
            y += round(96 * s)
            first = False
            continue
        first = False
        ym = y + row_h / 2
        c.text((margin + pad, ym), text, font, "#646A73", role="label", anchor="lm", row_index=idx)
        vcolor = "#F53F3F" if ("逾期" in text or "罚息" in text or "违约金" in text) else "#1F2329"
        c.text(
            (width - margin - pad, ym),
            value,
            font,
            vcolor,
            role="value",
            anchor="rm",
            row_index=idx,
        )
        d.line((margin + pad, y + row_h - 1, width - margin - pad, y + row_h - 1), fill="#F0F1F3")
        y += row_h
    if contract_no:
        y += round(40 * s)
        c.text((margin + pad, y), f"借款合同编号：{contract_no}", small, "#8F959E", role="chrome")
    if button:
        by0 = height - round(170 * s)
        d.rounded_rectangle(
            (margin, by0, width - margin, by0 + round(120 * s)), radius=round(60 * s), fill=brand
        )
        c.text(
            (width / 2, by0 + round(60 * s)),
            button,
            load_font(font_path, round(48 * s)),
            "#FFFFFF",
            role="chrome",
            anchor="mm",
        )
    return img, c.labels


# ---------------------------------------------------------------- call log

_CALL_STATUS = {"missed": "未接", "incoming": "呼入", "outgoing": "呼出", "rejected": "已拒接"}


def render_call_log(
    calls: Sequence[dict[str, Any]],
    *,
    width: int = 1080,
    font_path: str | None = None,
    title: str = "通话记录",
    status_time: str = "23:58",
    scale: float = 1.0,
    min_height: int | None = None,
) -> tuple[Image.Image, list[Label]]:
    """Draw a phone dialer's recent-calls screen.

    ``calls``: ``{"type": "date", "text": "3月13日 星期四"}`` group headings and
    ``{"number", "time", "status": missed|incoming|outgoing|rejected, "location"?, "count"?,
    "tag"?}`` rows (``tag`` like "疑似催收"). Labels: role ``chrome``/``date``/``number``/
    ``detail``/``time`` with ``message_index`` = position in ``calls``.
    """
    s = width / 1080 * scale
    font = load_font(font_path, round(50 * s))
    small = load_font(font_path, round(36 * s))
    status_h, bar_h, tabs_h = round(84 * s), round(170 * s), round(110 * s)
    row_h, date_h = round(190 * s), round(90 * s)
    margin = round(48 * s)
    body = sum(date_h if call.get("type") == "date" else row_h for call in calls)
    height = max(min_height or round(width * 20 / 9), status_h + bar_h + tabs_h + body + 200)

    img = Image.new("RGB", (width, height), "#FFFFFF")
    c = _Canvas(img)
    d = c.draw
    _status_bar(c, s, width, status_h, status_time, "#1F2329", font_path)
    c.text(
        (margin, status_h + bar_h / 2),
        title,
        load_font(font_path, round(72 * s)),
        "#111111",
        role="chrome",
        anchor="lm",
    )
    ty = status_h + bar_h
    for k, tab in enumerate(("全部", "未接来电")):
        tx = margin + k * round(200 * s)
        box = c.text(
            (tx, ty + tabs_h / 2),
            tab,
            small,
            "#111111" if k == 0 else "#8F959E",
            role="chrome",
            anchor="lm",
        )
        if k == 0:
            d.rectangle(
                (box[0], box[3] + round(14 * s), box[2], box[3] + round(20 * s)), fill="#2F7CF6"
            )
    y = ty + tabs_h
    for i, call in enumerate(calls):
        if call.get("type") == "date":
            d.rectangle((0, y, width, y + date_h), fill="#F5F6F8")
            c.text(
                (margin, y + date_h / 2),
                call["text"],
                small,
                "#8F959E",
                role="date",
                index=i,
                anchor="lm",
            )
            y += date_h
            continue
        status = call.get("status", "missed")
        missed = status in ("missed", "rejected")
        # Direction glyph: a small arrow, red for missed calls.
        gx, gy = margin + round(20 * s), y + row_h / 2
        g = round(16 * s)
        arrow = "#F53F3F" if missed else "#8F959E"
        if status == "outgoing":
            d.line([(gx - g, gy + g), (gx + g, gy - g)], fill=arrow, width=max(2, round(4 * s)))
            d.line(
                [(gx, gy - g), (gx + g, gy - g), (gx + g, gy)],
                fill=arrow,
                width=max(2, round(4 * s)),
            )
        else:
            d.line([(gx + g, gy - g), (gx - g, gy + g)], fill=arrow, width=max(2, round(4 * s)))
            d.line(
                [(gx - g, gy), (gx - g, gy + g), (gx, gy + g)],
                fill=arrow,
                width=max(2, round(4 * s)),
            )
        x = margin + round(80 * s)
        number = call["number"] + (f" ({call['count']})" if call.get("count", 1) > 1 else "")
        c.text(
            (x, y + round(62 * s)),
            number,
            font,
            "#F53F3F" if missed else "#1F2329",
            role="number",
            index=i,
            anchor="lm",
        )
        detail = "  ".join(
            p
            for p in (
                call.get("location", ""),
                _CALL_STATUS.get(status, status),
                call.get("tag", ""),
            )
            if p
        )
        c.text(
            (x, y + round(132 * s)), detail, small, "#8F959E", role="detail", index=i, anchor="lm"
        )
        c.text(
            (width - margin - round(80 * s), y + row_h / 2),
            call["time"],
            small,
            "#8F959E",
            role="time",
            index=i,
            anchor="rm",
        )
        r = round(18 * s)
        ix = width - margin - round(24 * s)
        d.ellipse(
            (ix - r, y + row_h / 2 - r, ix + r, y + row_h / 2 + r),
            outline="#B8BCC2",
            width=max(1, round(3 * s)),
        )
        d.line((x, y + row_h - 1, width, y + row_h - 1), fill="#EEEFF1")
        y += row_h
    return img, c.labels


# ---------------------------------------------------------------- saving


def save_jpeg(
    img: Image.Image,
    path: str | os.PathLike[str],
    quality: int = 85,
    *,
    exif_datetime: str | None = None,
) -> Path:
    """Save as baseline JPEG (deterministic bytes for a given Pillow/libjpeg).

    ``exif_datetime`` ("2025:03:20 09:12:00") sets EXIF DateTimeOriginal and DateTime.
    """
    path = Path(path)
    kwargs: dict[str, Any] = {
        "quality": quality,
        "optimize": False,
        "progressive": False,
        "subsampling": 2,
    }
    if exif_datetime:
        exif = Image.Exif()
        exif[0x0132] = exif_datetime  # DateTime (IFD0)
        exif[0x0110] = "Fictional Phone"  # Model
        exif.get_ifd(0x8769)[0x9003] = exif_datetime  # DateTimeOriginal (Exif IFD)
        exif.get_ifd(0x8769)[0x9004] = exif_datetime  # DateTimeDigitized
        kwargs["exif"] = exif.tobytes()
    img.convert("RGB").save(path, "JPEG", **kwargs)
    return path


def save_png(img: Image.Image, path: str | os.PathLike[str]) -> Path:
    """Save as PNG without metadata chunks, so the bytes depend only on the pixels."""
    path = Path(path)
    img.save(path, "PNG", optimize=False, compress_level=9)
    return path
