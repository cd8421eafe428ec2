"""A page photographed in dim light is read as text, not as a watermark over a screen."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from evidence_kit.layout.pixels import watermarks
from evidence_kit.models import Box, OcrLine

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "samples"))
import render  # noqa: E402


def _page(paper: int, ink: int, noise: float) -> tuple[Image.Image, list[OcrLine]]:
    img = Image.new("L", (800, 700), paper)
    d = ImageDraw.Draw(img)
    font = render.load_font(None, 26)
    lines = []
    for k in range(6):
        y = 80 + 90 * k
        d.text((60, y), "您的应还总额为人民币12,345.67元", fill=ink, font=font)
        lines.append(OcrLine("您的应还总额为人民币12,345.67元", Box(55, y - 4, 480, y + 34), 0.9))
    arr = np.asarray(img).astype(np.float32)
    arr += np.random.default_rng(5).normal(0, noise, arr.shape)
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).convert("RGB"), lines


def test_the_lines_of_a_page_in_dim_light_are_no_watermark() -> None:
    # Paper at 36, ink at 18: every line stands only ~18 grey levels above its fill.
    img, lines = _page(paper=36, ink=18, noise=2)
    assert watermarks(img, lines) == set()


def test_faint_lines_on_a_bright_screen_are_still_a_watermark() -> None:
    img, lines = _page(paper=245, ink=228, noise=0)
    assert watermarks(img, lines) == set(range(6))


def test_a_photographed_letter_under_a_lamp_is_a_page_not_a_phone_screen() -> None:
    """The lamp lights the middle of the page and the desk is dark: the lit part looks like a
    phone's screen in a photo, but the text reads as a letter and no status bar is on it."""
    from evidence_kit.extract import extract
    from evidence_kit.layout.reading import extraction_text, read_layout

    rows = ["还款提醒通知书", "尊敬的客户：", "您在乐享分期的借款已逾期，合同编号LX20250001。",
            "截至2025年1月19日，您的应还总额为人民币11,782.63元，",
            "其中本金8000元，罚息1789.82元，违约金2252元。", "请于2025-02-21前还款。",
            "还款计划如下：", "第1期  应还106.28元  到期日2025年2月12日",
            "第2期  应还334.02元  到期日2025-01-12", "第3期  应还994.40元  到期日2025年3月24日",
            "逾期期间产生的罚息按日万分之五计收，", "违约金按合同第八条约定计收。",
            "如有疑问，请拨打客服电话。", "乐享分期资产管理部  2025-03-28"]
    img = Image.new("RGB", (1000, 1320), (30, 26, 22))
    d = ImageDraw.Draw(img)
    d.rectangle((160, 60, 840, 1260), fill=(150, 140, 120))
    font = render.load_font(None, 24)
    lines = []
    for k, text in enumerate(rows):
        x, y = (360 if k == 0 else 200 + (k % 3) * 40 if k > 6 else 200), 100 + 78 * k
        d.text((x, y), text, fill=(20, 18, 15), font=font)
        w = d.textlength(text, font=font)
        lines.append(OcrLine(text, Box(x - 3, y - 3, x + w + 3, y + 30), 0.95))
    ex = extract(extraction_text(lines))
    reading = read_layout(lines, img.width, img.height, extraction=ex, pixels=lambda: img)
    assert reading.screen == "document_scan"  # old: chat_mobile, filed as a chat
