"""Hard rendered variants for bench_layout.py, written as a labelled folder (real-dev format).

    python benchmarks/make_hard.py OUT [--per 3]

Variants (``--per`` images each, all fictional): ``dark`` (dark-mode chat), ``ios`` / ``android``
(phone widths 1170 / 720), ``long`` (a scrolling screenshot), ``photo_screen`` (a phone screen
photographed 10–25° off square: moiré, glare spots, uneven light, defocus or motion blur, JPEG
50–70), ``cs_cards`` (a customer-service chat with an FAQ card and quick-reply chips),
``scan_seal`` (an A4 notice scanned at about 100 dpi: grey paper, faint toner, two
semi-transparent red seals stamped over the text, a 1–3° tilt, scanner noise, JPEG),
``photo_paper`` (a paper bill photographed in dim light: the page curls, perspective 10–25°, a
hand's shadow across the text, sensor noise, blur, JPEG 50–65) and ``desktop`` (a wide chat
window with the contact list on the left). The photo and scan variants are made so that plain
RapidOCR misreads a good share of them (see bench_layout.py's CER column), as on the owners'
held-out photos and scans.

Each image gets ``gt.jsonl`` labels as in ``../shared/real-dev`` (amounts, dates, messages with
side and time) plus ``lines`` (the drawn text, for CER), ``variant``, ``mtime`` (the moment it
was "taken"; relative stamps resolve against it) and ``split``: every third image of a variant
is ``held-out`` — score it only after tuning on ``dev``. Deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import random
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "samples"))
import render

TAKEN = datetime(2025, 3, 20, 22, 30)
VARIANTS = (
    "dark",
    "ios",
    "android",
    "long",
    "photo_screen",
    "cs_cards",
    "scan_seal",
    "photo_paper",
    "desktop",
)
THEM = (
    "您好，这里是乐享分期客服，您的账单已逾期{n}天，逾期金额{a}元。",
    "请于{d}前还款{a}元，否则将影响您的个人征信。",
    "您当前应还总额为¥{a}，其中罚息{b}元。",
    "可以为您申请减免罚息{b}元，需在{d}前一次性结清。",
    "如果今天还不处理，我们将联系您的紧急联系人。",
)
ME = (
    "我目前失业，收入不稳定，能否协商分期还款？",
    "我在{d}已经还了{b}元，为什么还显示逾期？",
    "请不要再给我的家人和同事打电话。",
    "我可以每月还{b}元，从{d}开始，可以吗？",
    "收到，谢谢",
)


def _money(rng: random.Random, lo: int, hi: int) -> tuple[str, str]:
    v = rng.randint(lo * 100, hi * 100) / 100
    shown = rng.choice((f"{v:,.2f}", f"{v:.2f}", f"{int(v)}"))
    value = shown.replace(",", "")
    value = value.rstrip("0").rstrip(".") if "." in value else value
    return shown, value


def _day(rng: random.Random) -> tuple[str, str]:
    m, d = rng.randint(1, 3), rng.randint(1, 28)
    iso = f"2025-{m:02d}-{d:02d}"
    return rng.choice((f"2025年{m}月{d}日", iso)), iso


def _fill(tpl: str, rng: random.Random, amounts: list[str], dates: list[str]) -> str:
    out = tpl
    for key, lo, hi in (("{a}", 800, 60000), ("{b}", 50, 3000)) * 2:
        if key in out:
            shown, value = _money(rng, lo, hi)
            out = out.replace(key, shown, 1)
            amounts.append(value)
    if "{d}" in out:
        shown, iso = _day(rng)
        out = out.replace("{d}", shown, 1)
        dates.append(iso)
    return out.replace("{n}", str(rng.randint(3, 90)))


def _stamp(rng: random.Random) -> tuple[str, str, str | None]:
    """(text, message time, the content date it gives or None for relative/time-only)."""
    k = rng.randrange(4)
    h, mi = rng.randint(8, 21), rng.randint(0, 59)
    if k == 0:
        d = TAKEN - timedelta(days=1)
        return f"昨天 {h}:{mi:02d}", f"{d:%Y-%m-%d}T{h:02d}:{mi:02d}", None
    if k == 1:
        return f"{TAKEN:%H:%M}", f"{TAKEN:%Y-%m-%dT%H:%M}", None
    day = rng.randint(1, 19)
    iso = f"2025-03-{day:02d}T{h:02d}:{mi:02d}"
    if k == 2:
        text = f"3月{day}日 {'下午' if h > 12 else '上午'}{h - 12 if h > 12 else h}:{mi:02d}"
    else:
        text = f"2025年3月{day}日 {h:02d}:{mi:02d}"
    return text, iso, iso


def chat(rng: random.Random, n_groups: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    plan: list[dict[str, Any]] = []
    gold: dict[str, Any] = {"amounts": [], "dates": [], "messages": []}
    for _ in range(n_groups):
        text, time, content = _stamp(rng)
        plan.append({"type": "time", "text": text})
        gold["messages"].append({"side": "system", "text": text, "time": time})
        if content:
            gold["dates"].append(content)
        for _ in range(rng.randint(2, 3)):
            side = rng.choice(("them", "me"))
            body = _fill(rng.choice(THEM if side == "them" else ME), rng, gold["amounts"],
                         gold["dates"])
            plan.append({"side": side, "text": body})
            gold["messages"].append({"side": side, "text": body, "time": time})
    return plan, gold


def _lines(labels: list[dict[str, Any]]) -> list[str]:
    return [lb["text"] for lb in labels if lb.get("role") != "chrome"]


def _jpeg(img: Image.Image, quality: int) -> Image.Image:
    buf = io.BytesIO()
    img.convert("RGB").save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def _plane_quad(w: int, h: int, rng: random.Random, lo: float, hi: float) -> Any:
    """Where the corners of a ``w``×``h`` plane land when the camera looks at it
    ``lo``–``hi`` degrees off square (yaw and pitch, plus a little roll), pinhole projection."""
    yaw = math.radians(rng.choice((-1, 1)) * rng.uniform(lo, hi))
    pitch = math.radians(rng.choice((-1, 1)) * rng.uniform(lo / 2, hi / 2))
    roll = math.radians(rng.uniform(-6, 6))
    cy, sy, cp, sp, cr, sr = (math.cos(yaw), math.sin(yaw), math.cos(pitch), math.sin(pitch),
                              math.cos(roll), math.sin(roll))
    rot = (np.array([[cr, -sr, 0], [sr, cr, 0], [0, 0, 1]])
           @ np.array([[1, 0, 0], [0, cp, -sp], [0, sp, cp]])
           @ np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]]))
    f = 1.4 * max(w, h)
    pts = []
    for x, y in ((0, 0), (w, 0), (w, h), (0, h)):
        X, Y, Z = rot @ np.array([x - w / 2, y - h / 2, 0.0])
        pts.append((f * X / (Z + f), f * Y / (Z + f)))
    return np.array(pts, dtype=np.float32)


def _camera(src: Any, rng: random.Random, *, degrees: tuple[float, float], desk: tuple[int, ...],
            long_side: int) -> tuple[Any, Any]:
    """``src`` photographed on a desk: a tilted plane in a frame ``long_side`` px long.
    Returns (float image, mask of the photographed plane)."""
    import cv2

    h, w = src.shape[:2]
    quad = _plane_quad(w, h, rng, *degrees)
    quad -= quad.min(axis=0)
    span = quad.max(axis=0)
    margin = rng.uniform(0.06, 0.14)
    scale = long_side * (1 - 2 * margin) / max(span)
    quad = quad * scale + margin * long_side
    cw, ch = int(span[0] * scale + 2 * margin * long_side), int(span[1] * scale
                                                                 + 2 * margin * long_side)
    m = cv2.getPerspectiveTransform(
        np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32), quad.astype(np.float32)
    )
    out = cv2.warpPerspective(src, m, (cw, ch), flags=cv2.INTER_AREA, borderValue=desk)
    mask = cv2.warpPerspective(np.full((h, w), 255, np.uint8), m, (cw, ch)) > 127
    return out.astype(np.float32), mask


def _finish(out: Any, rng: random.Random, *, noise: float, blur: float, motion: int,
            quality: int) -> Image.Image:
    """Sensor noise (grain plus colour), defocus or motion blur, JPEG."""
    import cv2

    nrng = np.random.default_rng(rng.randint(0, 10**6))
    out = out + nrng.normal(0, noise, out.shape[:2])[..., None] + nrng.normal(0, noise / 2,
                                                                              out.shape)
    arr = np.clip(out, 0, 255).astype(np.uint8)
    if motion > 1:
        kernel = np.zeros((motion, motion), np.float32)
        kernel[motion // 2, :] = 1.0 / motion
        rot = cv2.getRotationMatrix2D((motion / 2 - 0.5, motion / 2 - 0.5),
                                      rng.uniform(0, 180), 1.0)
        kernel = cv2.warpAffine(kernel, rot, (motion, motion))
        arr = cv2.filter2D(arr, -1, kernel / max(kernel.sum(), 1e-6))
    if blur > 0:
        arr = cv2.GaussianBlur(arr, (0, 0), blur)
    return _jpeg(Image.fromarray(arr), quality)


def _photo_screen(img: Image.Image, rng: random.Random) -> Image.Image:
    """A phone screen photographed by another phone: perspective 10–25°, moiré, glare spots,
    uneven light, defocus or motion blur, JPEG 50–70."""
    src = np.asarray(img.convert("RGB"))
    out, mask = _camera(src, rng, degrees=(10, 25), desk=(35, 35, 40),
                        long_side=rng.randint(1500, 1800))
    ch, cw = out.shape[:2]
    yy, xx = np.mgrid[0:ch, 0:cw].astype(np.float32)
    # Moiré: the screen's pixel grid beating against the sensor's, only on the screen.
    a, b = rng.uniform(0.6, 1.1), rng.uniform(0.2, 0.5)
    moire = 1 + 0.14 * np.sin(xx * a + yy * b) * np.sin(xx * 0.05 + yy * 0.11)
    out = np.where(mask[..., None], out * moire[..., None], out)
    # Uneven light: one side of the screen dimmer.
    gx, gy = rng.uniform(-1, 1), rng.uniform(-1, 1)
    light = 1 - 0.25 * ((xx / cw - 0.5) * gx + (yy / ch - 0.5) * gy + 0.5)
    out = out * light[..., None]
    # Glare: soft bright spots of a lamp, washing the text out near their centre.
    ys, xs = np.nonzero(mask)
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(xs))  # on the screen, where a lamp reflects
        gx0, gy0 = float(xs[at]), float(ys[at])
        r = rng.uniform(0.05, 0.12) * max(cw, ch)
        g = 0.85 * np.exp(-((xx - gx0) ** 2 + (yy - gy0) ** 2 * rng.uniform(0.3, 1)) / r**2)
        out = out * (1 - g[..., None]) + 255 * g[..., None]
    motion = rng.choice((0, rng.randint(4, 7)))
    return _finish(out, rng, noise=6, blur=rng.uniform(1.0, 1.6) if not motion else 0.6,
                   motion=motion, quality=rng.randint(50, 70))


def _photo_paper(img: Image.Image, rng: random.Random) -> Image.Image:
    """A paper bill photographed on a desk in poor light: the page curls, the camera is
    10–25° off square, a hand's shadow falls across it, the sensor is noisy, JPEG."""
    import cv2

    src = np.asarray(img.convert("RGB"))
    h, w = src.shape[:2]
    # Paper curl: the page bows, more towards one edge.
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    amp = rng.uniform(0.008, 0.015) * h
    bend = amp * np.sin(math.pi * xx / w) + 0.5 * amp * (xx / w) ** 2
    map_y = yy - bend + amp
    map_x = xx + 0.004 * w * np.sin(math.pi * yy / h)
    src = cv2.remap(src, map_x, map_y, cv2.INTER_LINEAR, borderValue=(255, 255, 255))
    out, _mask = _camera(src, rng, degrees=(10, 25), desk=(95, 80, 65),
                        long_side=rng.randint(1500, 1800))
    ch, cw = out.shape[:2]
    yy, xx = np.mgrid[0:ch, 0:cw].astype(np.float32)
    # Low, warm light falling off across the page.
    light = rng.uniform(0.42, 0.55) * (1 - 0.3 * (xx / cw if rng.random() < 0.5 else yy / ch))
    out = out * light[..., None] * np.array([1.0, 0.93, 0.82], np.float32)
    # A hand's or phone's shadow: a soft-edged dark band over part of the page.
    cx, cy = rng.uniform(0.3, 0.7) * cw, rng.uniform(0.25, 0.5) * ch  # across the text
    ang = rng.uniform(0, math.pi)
    dist = (xx - cx) * math.cos(ang) + (yy - cy) * math.sin(ang)
    shadow = 1 - rng.uniform(0.6, 0.75) / (1 + np.exp(dist / (0.03 * max(cw, ch))))
    out = out * shadow[..., None]
    return _finish(out, rng, noise=rng.uniform(9, 12), blur=rng.uniform(1.1, 1.5), motion=0,
                   quality=rng.randint(50, 65))


def _scan(img: Image.Image, rng: random.Random) -> Image.Image:
    """An office scan: grey paper, toner short of black, a 1–3° tilt, scanner noise and
    specks, a little blur, JPEG."""
    import cv2

    arr = np.asarray(img.convert("RGB")).astype(np.float32)
    paper, ink = rng.uniform(190, 215), rng.uniform(60, 90)
    arr = ink + (arr / 255.0) * (paper - ink)
    tilted = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).rotate(
        rng.choice((-1, 1)) * rng.uniform(1, 3), expand=True, fillcolor=(int(paper),) * 3,
        resample=Image.BICUBIC,
    )
    # Scanned at a low resolution (about 100 dpi), as office scanners send by e-mail.
    factor = rng.uniform(0.5, 0.6)
    tilted = tilted.resize((int(tilted.width * factor), int(tilted.height * factor)),
                           Image.BILINEAR)
    out = np.asarray(tilted).astype(np.float32)
    nrng = np.random.default_rng(rng.randint(0, 10**6))
    specks = nrng.random(out.shape[:2]) < 0.002
    out[specks] = ink
    out = cv2.GaussianBlur(out, (0, 0), 0.6)
    return _finish(out, rng, noise=rng.uniform(10, 14), blur=0, motion=0,
                   quality=rng.randint(60, 75))


def _document(rng: random.Random) -> tuple[Image.Image, dict[str, Any]]:
    """An A4 notice (催收函 style) with amounts and dates, at 150 dpi."""
    w, h = 1240, 1754
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    font = render.load_font(None, 30)  # about 11 pt at 150 dpi
    big = render.load_font(None, 48)
    gold: dict[str, Any] = {"amounts": [], "dates": [], "lines": []}
    title = "还款提醒通知书"
    d.text((w // 2 - 180, 140), title, fill="black", font=big)
    gold["lines"].append(title)
    rows = [
        "尊敬的客户：",
        "您在乐享分期的借款已逾期，合同编号LX2025{c}。",
        "截至{d}，您的应还总额为人民币{a}元，",
        "其中本金{a}元，罚息{b}元，违约金{b}元。",
        "请于{d}前还款，逾期将按合同约定处理。",
        "还款计划如下：",
        "第1期  应还{b}元  到期日{d}",
        "第2期  应还{b}元  到期日{d}",
        "第3期  应还{b}元  到期日{d}",
        "逾期期间产生的罚息按日万分之五计收，",
        "违约金按合同第八条约定计收。",
        "如有疑问，请拨打客服电话。",
    ]
    y = 300
    for tpl in rows:
        line = _fill(tpl.replace("{c}", str(rng.randint(10**7, 10**8 - 1))), rng,
                     gold["amounts"], gold["dates"])
        d.text((120, y), line, fill="black", font=font)
        gold["lines"].append(line)
        y += 58
    shown, iso = _day(rng)
    sign = f"乐享分期资产管理部  {shown}"
    gold["dates"].append(iso)
    d.text((560, y + 100), sign, fill="black", font=font)
    gold["lines"].append(sign)
    gold["sign_y"] = y + 100
    return img, gold


def _seal(img: Image.Image, rng: random.Random, cx: int, cy: int, r: int) -> Image.Image:
    """A red seal stamped over the text: ring, star and the issuer's name round the rim, in
    semi-transparent, unevenly inked red that multiplies with what is under it (black text
    stays black, paper turns red)."""
    layer = Image.new("L", img.size, 0)  # ink coverage
    d = ImageDraw.Draw(layer)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=255, width=max(6, r // 14))
    star = [
        (cx + 0.3 * r * math.cos(a) * (1 if k % 2 == 0 else 0.4),
         cy + 0.3 * r * math.sin(a) * (1 if k % 2 == 0 else 0.4))
        for k, a in enumerate(np.linspace(-math.pi / 2, 1.5 * math.pi, 11)[:-1])
    ]
    d.polygon(star, fill=255)
    font = render.load_font(None, max(14, r // 4))
    rim = "乐享分期资产管理有限公司"
    for i, ch in enumerate(rim):
        a = math.radians(-150 + 120 * i / (len(rim) - 1))
        glyph = Image.new("L", (font.size * 2, font.size * 2), 0)
        ImageDraw.Draw(glyph).text((font.size // 2, font.size // 2), ch, fill=255, font=font)
        glyph = glyph.rotate(-math.degrees(a) - 90, resample=Image.BICUBIC)
        gx = int(cx + 0.74 * r * math.cos(a) - font.size)
        gy = int(cy + 0.74 * r * math.sin(a) - font.size)
        layer.paste(255, (gx, gy), glyph)
    d.text((cx - 1.25 * r // 2, cy + r // 3), "资产管理部", fill=255, font=font)
    cover = np.asarray(layer).astype(np.float32) / 255.0
    nrng = np.random.default_rng(rng.randint(0, 10**6))
    texture = np.clip(nrng.normal(0.95, 0.1, cover.shape), 0.6, 1.0)
    alpha = (cover * texture)[..., None]
    ink = np.array([205, 35, 45], np.float32) / 255.0
    base = np.asarray(img.convert("RGB")).astype(np.float32)
    out = base * (1 - alpha + alpha * ink)
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))


def _chips(img: Image.Image, y: int, texts: list[str]) -> None:
    d = ImageDraw.Draw(img)
    font = render.load_font(None, max(18, img.width // 36))
    x = img.width // 30
    for t in texts:
        tw = d.textlength(t, font=font)
        d.rounded_rectangle((x, y, x + tw + 40, y + font.size + 30), 20, fill="white",
                            outline=(200, 200, 200), width=2)
        d.text((x + 20, y + 15), t, fill=(60, 60, 60), font=font)
        x += int(tw) + 70


def _squeeze(img: Image.Image, labels: list[dict[str, Any]]) -> Image.Image:
    """A window is not phone-tall: keep the conversation and the input bar, drop the gap."""
    bottom = max(int(lb["box"][3]) for lb in labels if lb.get("role") != "chrome") + 40
    bar = int(0.16 * img.width)
    if bottom + bar >= img.height:
        return img
    out = Image.new("RGB", (img.width, bottom + bar))
    out.paste(img.crop((0, 0, img.width, bottom)), (0, 0))
    out.paste(img.crop((0, img.height - bar, img.width, img.height)), (0, bottom))
    return out


def make(variant: str, k: int, seed: int) -> tuple[Image.Image, dict[str, Any]]:
    rng = random.Random(f"hard:{seed}:{variant}:{k}")
    if variant in ("scan_seal", "photo_paper"):
        img, gold = _document(rng)
        if variant == "scan_seal":
            # Over the amount lines and over the signature: where a seal is stamped.
            img = _seal(img, rng, rng.randint(330, 700), rng.randint(400, 720),
                        rng.randint(140, 170))
            img = _seal(img, rng, rng.randint(650, 900), gold["sign_y"] + 15,
                        rng.randint(110, 130))
            img = _scan(img, rng)
        else:
            img = _photo_paper(img, rng)
        gold["messages"] = []
        del gold["sign_y"]
        return img, gold
    width = {"ios": 1170, "android": 720, "desktop": 1000}.get(variant, 1080)
    groups = {"long": 5, "desktop": 1}.get(variant, 2)
    plan, gold = chat(rng, groups)
    if variant == "cs_cards":
        plan.insert(2, {"side": "them", "text": "猜你想问：如何申请延期还款？怎样修改还款日？"})
    style = "app" if variant in ("cs_cards", "desktop") else "wechat"
    img, labels = render.render_chat(plan, style=style, width=width, seed=k,
                                     status_time=f"{(TAKEN.hour + 1) % 24}:0{k}")
    gold["lines"] = [t for t in _lines(labels) if not t.startswith("猜你想问")]
    if variant == "cs_cards":
        img = img.copy()
        _chips(img, img.height - int(0.2 * img.width), ["查账单", "人工客服", "还款方式"])
    if variant == "dark":
        img = ImageOps.invert(img.convert("RGB"))
        img = Image.eval(img, lambda v: int(v * 0.85))  # dark grey, not pure black
    if variant == "photo_screen":
        img = _photo_screen(img, rng)
    if variant == "desktop":
        img = _squeeze(img, labels)
        img = img.crop((0, round(84 * img.width / 1080), img.width, img.height))  # no phone bar
        canvas = Image.new("RGB", (img.width + 560, max(img.height, 800)), (246, 246, 246))
        d = ImageDraw.Draw(canvas)
        font = render.load_font(None, 26)
        d.rectangle((0, 0, 90, canvas.height), fill=(46, 46, 46))
        for i, name in enumerate(("乐享分期客服", "文件传输助手", "张三", "示例银行")):
            d.text((120, 60 + i * 110), name, fill=(30, 30, 30), font=font)
            d.text((430, 60 + i * 110), f"{8 + i}:1{i}", fill=(150, 150, 150), font=font)
            d.text((120, 100 + i * 110), "[图片]", fill=(150, 150, 150), font=font)
        canvas.paste(img, (560, 0))
        img = canvas
        gold["lines"] += ["乐享分期客服"]
    return img, gold


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--per", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rows = []
    for variant in VARIANTS:
        for k in range(args.per):
            img, gold = make(variant, k, args.seed)
            name = f"{variant}_{k}.{'jpg' if variant.startswith(('photo', 'scan')) else 'png'}"
            img.save(args.out / name, quality=92) if name.endswith("jpg") else img.save(
                args.out / name
            )
            kind = "receipt" if variant in ("scan_seal", "photo_paper") else "chat"
            rows.append(
                {
                    "image": name,
                    "kind": kind,
                    "variant": variant,
                    "split": "held-out" if k % 3 == 2 else "dev",
                    "mtime": TAKEN.isoformat() + "+08:00",
                    **gold,
                }
            )
    with open(args.out / "gt.jsonl", "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(rows)} images in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
