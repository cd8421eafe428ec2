"""Straightening before OCR: deskew, seal fading, outline warp, and the cache key that follows."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from evidence_kit.ocr.pool import input_settings
from evidence_kit.ocr.preprocess import Plan, plan_for, plan_for_file, prepare, to_original

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "samples"))
import render  # noqa: E402


def page(seal: bool = False) -> Image.Image:
    """A white A4 page at 100 dpi with ten lines of text (and a red seal over two of them)."""
    img = Image.new("RGB", (827, 1169), "white")
    d = ImageDraw.Draw(img)
    font = render.load_font(None, 26)
    for k in range(10):
        d.text((80, 150 + 60 * k), "您的应还总额为人民币12,345.67元，请于还款日前处理。", fill="black",
               font=font)
    if seal:
        d.ellipse((480, 300, 700, 520), outline=(220, 30, 30), width=12)
    return img


def screenshot() -> Image.Image:
    img, _ = render.render_chat([{"side": "them", "text": "请于3月5日前还款"}], width=720)
    return img.convert("RGB")


def test_a_screenshot_goes_to_the_engine_untouched() -> None:
    plan = plan_for(screenshot())
    assert plan == Plan() and plan.signature == ""
    prepared = prepare(screenshot(), plan)
    assert prepared.matrix is None


@pytest.mark.parametrize("tilt", [-2.5, -1.2, 1.5, 3.0])
def test_a_tilted_scan_is_deskewed(tilt: float) -> None:
    tilted = page().rotate(tilt, expand=True, fillcolor="white", resample=Image.BICUBIC)
    plan = plan_for(tilted)
    assert plan.angle == pytest.approx(-tilt, abs=0.4)
    assert f"rot={plan.angle:.1f}" in plan.signature


def test_a_straight_page_is_not_rotated() -> None:
    assert plan_for(page()).angle == 0.0


def test_a_red_seal_is_faded_and_black_text_under_it_stays() -> None:
    img = page(seal=True)
    plan = plan_for(img)
    assert plan.seal
    out = np.asarray(prepare(img, plan).image).astype(int)
    ring = out[300:306, 585:595]  # top of the ring, red before
    assert (ring.min(axis=2) > 150).all()  # now light grey paper, not red
    assert out[150:180, 80:700].min() < 80  # the text is still black


def test_boxes_go_back_onto_the_original() -> None:
    img = page().rotate(2.0, expand=True, fillcolor="white", resample=Image.BICUBIC)
    prepared = prepare(img)
    assert prepared.matrix is not None
    m = np.array(prepared.matrix)
    x, y = 300.0, 400.0
    p = m @ np.array([x, y, 1.0])
    back = to_original([(p[0] / p[2], p[1] / p[2], p[0] / p[2] + 1, p[1] / p[2] + 1)],
                       prepared.matrix)
    assert back[0][0] == pytest.approx(x, abs=1.5) and back[0][1] == pytest.approx(y, abs=1.5)


def test_the_cache_key_changes_only_when_the_engine_input_does(tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    screenshot().save(shot)
    assert input_settings("rapid-v1", shot, "image") == "rapid-v1"  # old entries stay valid
    scan = tmp_path / "scan.jpg"
    page(seal=True).rotate(2.0, expand=True, fillcolor="white").save(scan, quality=90)
    settings = input_settings("rapid-v1", scan, "image")
    assert settings.startswith("rapid-v1|") and plan_for_file(scan).signature in settings
    # An unreadable file does not stop the key: the worker reports it.
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image")
    assert input_settings("rapid-v1", bad, "image") == "rapid-v1"
