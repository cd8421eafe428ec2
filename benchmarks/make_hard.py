"""Hard rendered variants for bench_layout.py, written as a labelled folder (real-dev format).

    python benchmarks/make_hard.py OUT [--per 3]

Variants (``--per`` images each, all fictional): ``dark`` (dark-mode chat), ``ios`` / ``android``
(phone widths 1170 / 720), ``long`` (a scrolling screenshot), ``photo_screen`` (a photographed
phone: perspective, moiré, glare, blur, JPEG 50–70), ``cs_cards`` (a customer-service chat with
an FAQ card and quick-reply chips), ``scan_seal`` (an A4 notice with a red seal, tilted 1–3°),
``photo_paper`` (a photographed paper bill: perspective, shadow, JPEG 60) and ``desktop`` (a
wide chat window with the contact list on the left).

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
from PIL import Image, ImageDraw, ImageFilter, ImageOps

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


def _photograph(img: Image.Image, rng: random.Random, *, moire: bool, paper: bool) -> Image.Image:
    """The image as a phone camera sees it on a desk: perspective, light, blur, noise."""
    import cv2

    src = np.asarray(img.convert("RGB"))
    h, w = src.shape[:2]
    pad = int(0.12 * max(w, h))
    cw, ch = w + 2 * pad, h + 2 * pad
    j = lambda: rng.uniform(-0.05, 0.05) * min(w, h)  # noqa: E731
    quad_src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    quad_dst = np.array(
        [[pad + j(), pad + j()], [pad + w + j(), pad + j()], [pad + w + j(), pad + h + j()],
         [pad + j(), pad + h + j()]],
        dtype=np.float32,
    )
    m = cv2.getPerspectiveTransform(quad_src, quad_dst)
    desk = (120, 110, 95) if paper else (40, 40, 45)
    out = cv2.warpPerspective(src, m, (cw, ch), borderValue=desk).astype(np.float32)
    yy, xx = np.mgrid[0:ch, 0:cw].astype(np.float32)
    if moire:
        out += 10 * np.sin(xx * 0.9 + yy * 0.35)[..., None]
    # Glare (screen) or a hand's shadow (paper).
    gx, gy = rng.uniform(0.2, 0.8) * cw, rng.uniform(0.2, 0.8) * ch
    r = np.sqrt((xx - gx) ** 2 + (yy - gy) ** 2) / max(cw, ch)
    light = (50 * np.exp(-(r**2) / 0.02)) if not paper else (-45 * (xx / cw))
    out += light[..., None]
    out += np.random.default_rng(rng.randint(0, 10**6)).normal(0, 5, out.shape)
    photo = Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))
    photo = photo.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 1.2)))
    return _jpeg(photo, rng.randint(50, 70))


def _document(rng: random.Random) -> tuple[Image.Image, dict[str, Any]]:
    """An A4 notice (催收函 style) with amounts and dates, at 150 dpi."""
    w, h = 1240, 1754
    img = Image.new("RGB", (w, h), "white")
    d = ImageDraw.Draw(img)
    font = render.load_font(None, 34)
    big = render.load_font(None, 52)
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
        "如有疑问，请拨打客服电话。",
    ]
    y = 300
    for tpl in rows:
        line = _fill(tpl.replace("{c}", str(rng.randint(10**7, 10**8 - 1))), rng,
                     gold["amounts"], gold["dates"])
        d.text((120, y), line, fill="black", font=font)
        gold["lines"].append(line)
        y += 70
    shown, iso = _day(rng)
    sign = f"乐享分期资产管理部  {shown}"
    gold["dates"].append(iso)
    d.text((560, y + 120), sign, fill="black", font=font)
    gold["lines"].append(sign)
    return img, gold


def _seal(img: Image.Image, cx: int, cy: int, r: int) -> None:
    d = ImageDraw.Draw(img, "RGBA")
    red = (215, 30, 35, 200)
    d.ellipse((cx - r, cy - r, cx + r, cy + r), outline=red, width=max(6, r // 14))
    star = [
        (cx + 0.3 * r * math.cos(a) * (1 if k % 2 == 0 else 0.4),
         cy + 0.3 * r * math.sin(a) * (1 if k % 2 == 0 else 0.4))
        for k, a in enumerate(np.linspace(-math.pi / 2, 1.5 * math.pi, 11)[:-1])
    ]
    d.polygon(star, fill=red)
    font = render.load_font(None, max(14, r // 5))
    d.text((cx - 1.6 * r // 2, cy + r // 3), "资产管理部", fill=red, font=font)


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
            _seal(img, 820, 860, 150)
            img = img.rotate(rng.choice((-1, 1)) * rng.uniform(1, 3), expand=True,
                             fillcolor="white", resample=Image.BICUBIC)
            noise = np.random.default_rng(k).normal(0, 6, (img.height, img.width, 1))
            arr = np.clip(np.asarray(img).astype(np.float32) + noise, 0, 255).astype(np.uint8)
            img = _jpeg(Image.fromarray(arr), 80)
        else:
            img = _photograph(img, rng, moire=False, paper=True)
        gold["messages"] = []
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
        img = _photograph(img, rng, moire=True, paper=False)
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
