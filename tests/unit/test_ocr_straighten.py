"""Straightening before OCR: deskew, seal fading, outline warp, and the cache key that follows."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw

from evidence_kit.ocr.pool import planned_settings
from evidence_kit.ocr.preprocess import (
    CROP_MARGIN,
    Plan,
    plan_for,
    plan_for_file,
    prepare,
    to_original,
)

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "samples"))
import render  # noqa: E402


def page(seal: bool = False) -> Image.Image:
    """A white A4 page at 100 dpi with ten lines of text (and a red seal over two of them)."""
    img = Image.new("RGB", (827, 1169), "white")
    d = ImageDraw.Draw(img)
    font = render.load_font(None, 26)
    for k in range(10):
        # Irregular indents: ten identical lines on an exact grid would be a periodic pattern.
        d.text(
            (80 + (k * 37) % 23, 150 + 60 * k + (k * 13) % 7),
            "您的应还总额为人民币12,345.67元，请于还款日前处理。",
            fill="black",
            font=font,
        )
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


def test_red_print_away_from_the_seal_is_kept_for_the_engine() -> None:
    """A lawyer's letter: its 红头 letterhead and an overdue sum printed in red are text to
    read; only the seal's own area is faded."""
    from evidence_kit.ocr import get_engine, read_image

    img = page(seal=True)
    d = ImageDraw.Draw(img)
    font = render.load_font(None, 40)
    d.text((120, 40), "某某律师事务所律师函", fill=(210, 20, 30), font=font)
    d.text((120, 900), "逾期金额8,765.43元", fill=(210, 20, 30), font=font)
    plan = plan_for(img)
    assert plan.seal
    out = prepare(img, plan).image
    arr = np.asarray(out).astype(int)
    assert (arr[300:306, 585:595].min(axis=2) > 150).all()  # the seal's ring is paper
    assert (arr[40:90, 120:500, 0] - arr[40:90, 120:500, 1]).max() > 100  # the head still red
    text = read_image(get_engine("rapidocr"), out).text
    assert "律师事务所" in text and "8,765.43" in text


def test_a_faint_seal_is_found_and_its_pale_rim_faded_to_paper() -> None:
    """A lightly inked seal, JPEG-smeared on a grey scan: pale pink, too pale for a mask of
    saturated red, and the pink rim around its core must not reach the engine as strokes."""
    import io

    import cv2

    img = page()
    d = ImageDraw.Draw(img)
    d.ellipse((474, 294, 706, 526), outline=(240, 200, 200), width=24)  # the pale rim
    d.ellipse((480, 300, 700, 520), outline=(225, 168, 168), width=12)  # the faint core
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=70)
    scan = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    plan = plan_for(scan)
    assert plan.seal
    out = np.asarray(prepare(scan, plan).image).astype(int)
    cover = Image.new("L", img.size, 0)
    ImageDraw.Draw(cover).ellipse((474, 294, 706, 526), outline=255, width=24)
    text = cv2.dilate((np.asarray(page().convert("L")) < 250).astype(np.uint8), np.ones((5, 5)))
    ring = out[(np.asarray(cover) > 0) & (text == 0)]  # rim and core, away from the text
    assert (ring.max(axis=1) - ring.min(axis=1)).max() <= 2  # grey, no pink left
    assert np.percentile(ring.min(axis=1), 2) > 200  # paper
    assert out[150:180, 80:700].min() < 80  # the text is still black


def test_boxes_go_back_onto_the_original() -> None:
    img = page().rotate(2.0, expand=True, fillcolor="white", resample=Image.BICUBIC)
    prepared = prepare(img)
    assert prepared.matrix is not None
    m = np.array(prepared.matrix)
    x, y = 300.0, 400.0
    p = m @ np.array([x, y, 1.0])
    back = to_original(
        [(p[0] / p[2], p[1] / p[2], p[0] / p[2] + 1, p[1] / p[2] + 1)], prepared.matrix
    )
    assert back[0][0] == pytest.approx(x, abs=1.5) and back[0][1] == pytest.approx(y, abs=1.5)


def test_the_cache_key_changes_only_when_the_engine_input_does(tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    screenshot().save(shot)
    assert planned_settings("rapid-v1", shot, "image")[0] == "rapid-v1"  # old entries stay valid
    scan = tmp_path / "scan.jpg"
    page(seal=True).rotate(2.0, expand=True, fillcolor="white").save(scan, quality=90)
    settings = planned_settings("rapid-v1", scan, "image")[0]
    assert settings.startswith("rapid-v1|") and plan_for_file(scan).signature in settings
    # An unreadable file does not stop the key: the worker reports it.
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image")
    assert planned_settings("rapid-v1", bad, "image")[0] == "rapid-v1"


# ---------------------------------------------------------------- light, glare, blur


def _photo_of(img: Image.Image, shade: float = 0.85) -> np.ndarray:
    """``img`` times ``shade``, with camera grain (so it is not a flat render)."""
    arr = np.asarray(img).astype(np.float32) * shade
    grain = np.random.default_rng(7).normal(0, 8, arr.shape)
    return np.clip(arr + grain, 0, 255).astype(np.uint8)


def shadowed_page() -> Image.Image:
    """A page whose lower half lies in a deep shadow (a hand or phone above it)."""
    arr = np.asarray(page()).astype(np.float32)
    h = arr.shape[0]
    ramp = 1 - 0.9 / (1 + np.exp(-(np.arange(h) - 0.45 * h) / 15.0))
    shaded = np.clip(arr * ramp[:, None, None], 0, 255).astype(np.uint8)
    return Image.fromarray(_photo_of(Image.fromarray(shaded), shade=1.0))  # grain after light


def test_a_shadow_is_divided_out_and_a_screenshot_pays_nothing() -> None:
    img = shadowed_page()
    plan = plan_for(img)
    assert plan.light and "light" in plan.signature
    out = np.asarray(prepare(img, plan).image).astype(int)
    lit, shade = out[140:150, 80:700], out[1000:1100, 80:700]  # paper above / in the shadow
    assert abs(int(np.median(lit)) - int(np.median(shade))) < 30  # even paper (210 apart before)
    assert out[150 + 60 * 9 : 180 + 60 * 9, 80:700].min() < 80  # a shadowed line still black
    assert not plan_for(screenshot()).light
    assert not plan_for(Image.fromarray(_photo_of(page()))).light  # evenly lit: left alone


def test_ocr_reads_the_shadowed_lines_only_after_the_light_is_flattened() -> None:
    from dataclasses import replace

    from evidence_kit.ocr import get_engine, read_image

    img = shadowed_page()
    plan = plan_for(img)
    engine = get_engine("rapidocr")
    text_with = read_image(engine, prepare(img, plan).image).text
    text_without = read_image(engine, prepare(img, replace(plan, light=False)).image).text
    # Ten identical lines: count how many are read whole.
    assert text_with.count("12,345.67") > text_without.count("12,345.67")
    assert text_with.count("12,345.67") >= 9


def glare_page() -> Image.Image:
    """A page with a lamp's saturated reflection in the margin beside the text."""
    arr = _photo_of(page(), shade=0.85).copy()
    yy, xx = np.mgrid[0 : arr.shape[0], 0 : arr.shape[1]]
    spot = (xx - 400) ** 2 + (yy - 900) ** 2 < 45**2
    arr[spot] = 255
    return Image.fromarray(arr)


def test_a_glare_spot_is_inpainted_from_the_paper_around_it() -> None:
    img = glare_page()
    plan = plan_for(img)
    assert plan.glare and not plan_for(Image.fromarray(_photo_of(page(), shade=0.85))).glare
    out = np.asarray(prepare(img, plan).image).astype(int)
    spot = out[880:920, 380:420]
    assert spot.max() < 245  # no white hole left
    assert abs(int(np.median(spot)) - int(np.median(out[880:920, 560:600]))) < 20
    assert out[150:180, 80:700].min() < 80  # the text is untouched


def test_the_outline_of_a_page_half_in_shadow_is_found() -> None:
    import cv2

    from evidence_kit.ocr.prep.outline import quad_in as _quad_in

    w, h = 827, 1169
    desk = np.full((h + 300, w + 300, 3), (90, 80, 70), np.uint8)
    quad = np.array([[190, 170], [w + 110, 130], [w + 150, h + 160], [140, h + 120]], np.float32)
    m = cv2.getPerspectiveTransform(np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32), quad)
    photo = cv2.warpPerspective(
        np.asarray(page()), m, desk.shape[1::-1], dst=desk, borderMode=cv2.BORDER_TRANSPARENT
    ).astype(np.float32)
    # Light falls off from the top, and a shadow covers the top of the page, so the page's
    # edge there is barely brighter than the desk.
    rows = np.arange(photo.shape[0], dtype=np.float32)
    shade = 0.12 + 0.8 / (1 + np.exp(-(rows - 500) / 40))
    photo = _photo_of(
        Image.fromarray(np.clip(photo * shade[:, None, None], 0, 255).astype(np.uint8))
    )
    small = np.asarray(Image.fromarray(photo).resize((photo.shape[1] // 2, photo.shape[0] // 2)))
    grey = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    found = plan_for(Image.fromarray(photo)).quad
    assert found is not None
    got = np.array(found) * [photo.shape[1], photo.shape[0]]
    assert np.abs(got - quad).max() < 25
    # The fallback did the work: plain edges alone miss this outline.
    assert _quad_in(grey) is None


def moire_page() -> Image.Image:
    """Faint grey text (a chat's timestamp row) photographed off a screen: the screen's pixel
    grid beats against the camera's into a fine diagonal pattern over everything."""
    arr = 150 + np.asarray(page()).astype(np.float32) / 255 * 90  # text 150, paper 240
    yy, xx = np.mgrid[0 : arr.shape[0], 0 : arr.shape[1]].astype(np.float32)
    pattern = 1 + 0.15 * np.sin(xx * 0.9 + yy * 0.4)
    return Image.fromarray(
        _photo_of(
            Image.fromarray(np.clip(arr * pattern[..., None], 0, 255).astype(np.uint8)), shade=1.0
        )
    )


def test_moire_is_notched_out_and_ocr_reads_through_it() -> None:
    from dataclasses import replace

    from evidence_kit.ocr import get_engine, read_image

    img = moire_page()
    plan = plan_for(img)
    assert plan.moire and "moire" in plan.signature
    assert not plan_for(Image.fromarray(_photo_of(page()))).moire
    assert not plan_for(shadowed_page()).moire
    engine = get_engine("rapidocr")
    text_with = read_image(engine, prepare(img, plan).image).text
    text_without = read_image(engine, prepare(img, replace(plan, moire=False)).image).text
    assert text_with.count("12,345.67") > text_without.count("12,345.67")
    assert text_with.count("12,345.67") >= 9


def test_semi_transparent_seal_ink_over_text_is_faded_and_the_text_under_it_stays() -> None:
    base = np.asarray(page()).astype(np.float32)
    cover = Image.new("L", base.shape[1::-1], 0)
    ImageDraw.Draw(cover).ellipse((150, 120, 450, 420), outline=255, width=22)
    alpha = (np.asarray(cover) / 255.0 * 0.7)[..., None]
    ink = np.array([205, 35, 45]) / 255.0
    # Multiplied over the page, as ink is: paper turns red, black text stays black.
    stamped = np.clip(base * (1 - alpha + alpha * ink), 0, 255).astype(np.uint8)
    img = Image.fromarray(_photo_of(Image.fromarray(stamped), shade=0.95))
    plan = plan_for(img)
    assert plan.seal
    out = np.asarray(prepare(img, plan).image).astype(int)
    ring = np.asarray(cover) > 250
    text = np.asarray(page().convert("L")) < 60
    assert np.median(out[ring & ~text].min(axis=1)) > 150  # red paper is light again
    assert np.median(out[ring & text].max(axis=1)) < 110  # the characters under it stay dark


def test_the_cache_signature_names_the_version_of_the_steps(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Changed pixels under an unchanged step name must not come back from the OCR cache."""
    from evidence_kit.ocr import preprocess

    plan = Plan(seal=True)
    before = plan.signature
    monkeypatch.setattr(preprocess, "PREPARE_VERSION", preprocess.PREPARE_VERSION + 1)
    assert plan.signature != before and Plan().signature == ""


# ---------------------------------------------------------------- how much of a photo is kept


def _warped(
    img: Image.Image,
    quad: list[list[float]],
    size: tuple[int, int],
    desk: tuple[int, int, int] = (90, 80, 70),
) -> Image.Image:
    """``img`` photographed: its corners moved to ``quad`` on a ``size`` canvas of ``desk``."""
    import cv2

    w, h = img.size
    m = cv2.getPerspectiveTransform(
        np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32), np.array(quad, np.float32)
    )
    canvas = np.full((size[1], size[0], 3), desk, np.uint8)
    photo = cv2.warpPerspective(
        np.asarray(img), m, size, dst=canvas, borderMode=cv2.BORDER_TRANSPARENT
    )
    return Image.fromarray(_photo_of(Image.fromarray(photo), shade=1.0))


def page_on_desk() -> Image.Image:
    """The page photographed from above at a slant, the desk around it in the frame."""
    return _warped(page(), [[190, 170], [937, 130], [977, 1329], [140, 1289]], (1127, 1469))


def framed_page() -> Image.Image:
    """A page read close up (its edges out of the frame) whose found outline is the border of
    a table in its middle, with lines of text above and below that border."""
    img = Image.new("RGB", (827, 1169), "white")
    d = ImageDraw.Draw(img)
    font = render.load_font(None, 26)
    d.text((90, 110), "合同编号甲乙丙丁", fill="black", font=font)
    d.text((90, 1010), "签署日期二〇二五年三月", fill="black", font=font)
    d.rectangle((60, 260, 767, 900), outline="black", width=6)
    for k in range(6):
        d.text((100 + (k * 37) % 23, 320 + 90 * k), "应还本金8,000.00元", fill="black", font=font)
    return _warped(
        img, [[-20, -10], [840, 25], [860, 1190], [-40, 1160]], (827, 1169), desk=(255, 255, 255)
    )


def test_a_page_outline_is_warped_to_the_page_and_a_margin_without_the_desk() -> None:
    from evidence_kit.ocr import get_engine, read_image

    img = page_on_desk()
    plan = plan_for(img)
    assert plan.quad is not None and plan.crop and "crop" in plan.signature
    prepared = prepare(img, plan)
    w, h = prepared.image.size
    # The page is 827×1169 and its outline lies within ~50 px of that; the whole photo
    # warped flat is wider than 1200 px.
    assert 800 < w < 827 * (1 + 3 * CROP_MARGIN) and 1100 < h < 1169 * (1 + 3 * CROP_MARGIN)
    result = read_image(get_engine("rapidocr"), prepared.image)
    assert result.text.count("12,345.67") >= 9
    # The margin keeps the outline's own edge: every line box maps back onto the page.
    top_line = min((ln.box for ln in result.lines), key=lambda b: b.y0)
    ((x0, y0, _x1, _y1),) = to_original(
        [(top_line.x0, top_line.y0, top_line.x1, top_line.y1)], prepared.matrix
    )
    assert 150 < x0 < 400 and 250 < y0 < 400


def test_text_outside_an_inner_frame_is_kept_and_would_be_lost_by_cropping() -> None:
    from dataclasses import replace

    from evidence_kit.ocr import get_engine, read_image

    img = framed_page()
    plan = plan_for(img)
    assert plan.quad is not None  # the table border, not the page
    corners = np.array(plan.quad) * img.size
    assert corners[:, 1].min() > 200 and corners[:, 1].max() < 960
    assert not plan.crop and "crop" not in plan.signature
    engine = get_engine("rapidocr")
    kept = read_image(engine, prepare(img, plan).image).text
    assert "合同编号" in kept and "签署日期" in kept and kept.count("8,000.00") >= 5
    # Measured, not assumed: cropping to this outline would lose the lines outside it.
    cropped = read_image(engine, prepare(img, replace(plan, crop=True)).image).text
    assert "合同编号" not in cropped and "签署日期" not in cropped


@pytest.mark.parametrize("side", [719, 827, 1000, 1009])
def test_the_moire_test_runs_on_a_size_the_dft_is_fast_at(side: int) -> None:
    import cv2

    from evidence_kit.ocr.prep.moire import dft_cropped as _dft_cropped

    arr = np.zeros((side, 523, 3), np.uint8)  # 719, 827, 1009 and 523 are primes
    h, w = _dft_cropped(arr).shape[:2]
    assert cv2.getOptimalDFTSize(h) == h and cv2.getOptimalDFTSize(w) == w
    assert side * 0.9 <= h <= side and 523 * 0.9 <= w <= 523  # 719 -> 675, 523 -> 512


# ---------------------------------------------------------------- a bill photographed in dim light


def _jpeg(img: Image.Image, quality: int) -> Image.Image:
    import io

    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def dim_page_on_desk() -> tuple[Image.Image, np.ndarray]:
    """A page on a brown desk in a dim room (the paper at a third of white), a hand's shadow
    over its top third: there the page's edge stands only ~20 grey levels above the desk.
    Returns the photo and the page's true corners."""
    import cv2

    w, h = 827, 1169
    quad = np.array([[190, 170], [w + 110, 130], [w + 150, h + 160], [140, h + 120]], np.float32)
    size = (w + 300, h + 300)
    photo = np.asarray(_warped(page(), quad.tolist(), size, desk=(95, 80, 65))).astype(np.float32)
    rows = np.arange(size[1], dtype=np.float32)[:, None]
    shadow = 1 - 0.75 / (1 + np.exp((rows - 0.4 * size[1]) / 30))
    photo = photo * 0.4 * shadow[..., None] * np.array([1.0, 0.93, 0.82], np.float32)
    grain = np.random.default_rng(3).normal(0, 8, photo.shape[:2])[..., None]
    out = cv2.GaussianBlur(np.clip(photo + grain, 0, 255).astype(np.uint8), (0, 0), 1.2)
    return _jpeg(Image.fromarray(out), 55), quad


def test_the_outline_of_a_dim_photo_is_found_with_fainter_edges_not_the_frame() -> None:
    img, quad = dim_page_on_desk()
    found = plan_for(img).quad
    assert found is not None
    got = np.array(found) * img.size
    assert np.abs(got - quad).max() < 25  # the page's corners, not the photo's


def test_fainter_edge_thresholds_find_the_dim_page_the_usual_ones_miss() -> None:
    import cv2

    from evidence_kit.ocr.prep.outline import EDGE_THRESHOLDS
    from evidence_kit.ocr.prep.outline import quad_in as _quad_in

    img, quad = dim_page_on_desk()
    small = img.resize((img.width // 2, img.height // 2))
    grey = cv2.cvtColor(np.asarray(small), cv2.COLOR_RGB2GRAY)
    assert _quad_in(grey, *EDGE_THRESHOLDS[0]) is None
    found = _quad_in(grey, *EDGE_THRESHOLDS[1])
    assert found is not None
    assert np.abs(np.sort(found * 2, axis=0) - np.sort(quad, axis=0)).max() < 25


def test_an_outline_with_a_corner_in_the_photos_corner_is_the_frame_not_a_page() -> None:
    """The shape a page edge lost in shadow leaves: the bright part of the page, closed by the
    photo's own border, with a corner at the photo's corner. Warping to it would skew the text."""
    import cv2

    from evidence_kit.ocr.prep.outline import quad_in as _quad_in

    grey = np.full((1000, 750), 30, np.uint8)
    frame_like = np.array([[150, 100], [749, 0], [600, 900], [110, 850]], np.int32)
    cv2.fillConvexPoly(grey, frame_like, 200)
    assert _quad_in(grey) is None
    page_like = np.array([[150, 100], [640, 60], [600, 900], [110, 850]], np.int32)
    grey[:] = 30
    cv2.fillConvexPoly(grey, page_like, 200)
    assert _quad_in(grey) is not None  # the same shape inside the frame is a page


def test_flattened_light_gives_grey_so_colour_noise_in_a_shadow_is_not_raised() -> None:
    img = shadowed_page()  # colour grain: each channel has its own noise
    plan = plan_for(img)
    assert plan.light
    out = np.asarray(prepare(img, plan).image).astype(int)
    shade = out[1000:1100, 80:700]  # deep in the shadow, where the gain is largest
    assert (shade.max(axis=2) - shade.min(axis=2)).max() == 0  # no coloured speckles
    assert np.std(shade[..., 0]) < 40  # and the paper there is paper, not snow
    assert out[150 + 60 * 9 : 180 + 60 * 9, 80:700].min() < 80  # a shadowed line still black


def test_a_gently_shaded_page_keeps_its_colours() -> None:
    """A small gain (a page in a little shade) adds no speckles worth removing colour for: a
    seal's red is still red in the engine's input."""
    from dataclasses import replace

    arr = np.asarray(page(seal=True)).astype(np.float32)
    ramp = np.linspace(1.0, 0.65, arr.shape[1], dtype=np.float32)[None, :, None]
    img = Image.fromarray(_photo_of(Image.fromarray((arr * ramp).astype(np.uint8)), 1.0))
    out = np.asarray(prepare(img, replace(Plan(), light=True)).image).astype(int)
    ring = out[300:306, 585:595]
    assert (ring[..., 0] - ring[..., 1]).min() > 60  # red, not grey


def test_the_wide_blur_is_the_gaussian_blur_at_a_fraction_of_the_cost() -> None:
    import cv2

    from evidence_kit.ocr.prep.blur import wide_blur as _wide_blur

    grey = np.asarray(shadowed_page().convert("L")).astype(np.float32)
    for sigma in (8.0, 16.0, 29.0):
        full = cv2.GaussianBlur(grey, (0, 0), sigma)
        assert np.abs(_wide_blur(grey, sigma) - full).mean() < 1.0


def _glare(img: Image.Image, centres: list[tuple[int, int]], radius: int) -> Image.Image:
    """Bright halos (a lamp reflected near the screen's edge) added over ``img``."""
    arr = np.asarray(img).astype(np.float32)
    yy, xx = np.mgrid[: arr.shape[0], : arr.shape[1]]
    for cx, cy in centres:
        halo = np.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * radius**2))
        arr += 255 * halo[..., None]
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def test_a_screen_outline_broken_by_glare_is_found_by_its_straight_sides() -> None:
    from evidence_kit.ocr.prep.outline import find_quad as _find_quad

    quad = [[190, 170], [937, 230], [900, 1329], [140, 1289]]
    # Halos over the top-right corner and the lower right side, as a lamp gives.
    img = _glare(
        _warped(page(), quad, (1127, 1469), desk=(30, 30, 35)), [(930, 180), (915, 1000)], 60
    )
    rgb = np.asarray(img)
    found = _find_quad(rgb)
    assert found is not None
    h, w = rgb.shape[:2]
    got = np.array(found) * [w, h]
    # every corner within 1.5 % of the photo's side of the true one
    assert np.abs(got - np.array(quad)).max() < 0.015 * max(w, h)


def test_noise_on_a_scan_closes_no_outline() -> None:
    """A grey, noisy scan at a low resolution, sent as JPEG: its noise closes contours that
    are no page, and warping to one would bend every line of the text."""
    import io

    from evidence_kit.ocr.prep.outline import find_quad as _find_quad

    for seed in (0, 1, 3):
        rng = np.random.default_rng(seed)
        tilted = page(seal=True).rotate(1.5, expand=True, fillcolor="white")
        arr = np.asarray(tilted).astype(float) * 0.88
        arr += rng.normal(0, 24, arr.shape[:2])[..., None]
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).resize((515, 714))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=60)
        assert _find_quad(np.asarray(Image.open(buf).convert("RGB"))) is None


def test_a_dim_page_is_warped_in_fine_steps_before_the_light_is_raised() -> None:
    """Paper at a tenth of white: the photo holds the ink's soft edges in some 25 grey levels,
    and the warp's interpolation falls between them. Rounded to whole levels before a gain of
    about nine, the engine would see the edges in ~25 coarse steps; kept in float, in fine."""
    import cv2

    arr = cv2.GaussianBlur(np.asarray(page()).astype(np.float32) * 0.1, (0, 0), 1.2)
    img = Image.fromarray(np.clip(np.round(arr), 0, 255).astype(np.uint8))
    quad = ((0.02, 0.03), (0.97, 0.01), (0.98, 0.98), (0.01, 0.96))
    out = np.asarray(prepare(img, Plan(quad=quad, light=True)).image.convert("L"))
    lines = out[int(0.15 * out.shape[0]) : int(0.65 * out.shape[0]), 100:700]
    assert lines.min() < 60 and np.median(lines) > 200  # flattened: black ink on white paper
    assert len(np.unique(lines)) > 100  # the edges' shades, not ~25 posterised steps


def test_the_cache_key_of_a_photo_cut_to_its_outline_follows_the_second_look(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evidence_kit.ocr import faint

    photo = tmp_path / "photo.jpg"
    page_on_desk().save(photo, quality=90)
    before = planned_settings("rapid-v1", photo, "image")[0]
    assert f"reread{faint.REREAD_VERSION}" in before
    # A change to the faint-row reader must not be served the old reading from the cache.
    monkeypatch.setattr(faint, "REREAD_VERSION", faint.REREAD_VERSION + 1)
    assert planned_settings("rapid-v1", photo, "image")[0] != before
    shot = tmp_path / "shot.png"
    screenshot().save(shot)
    assert planned_settings("rapid-v1", shot, "image")[0] == "rapid-v1"  # no second look


def _jpeg_of(img: Image.Image, quality: int) -> Image.Image:
    import io

    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return Image.open(buf).convert("RGB")


def _grid_ratio(grey: np.ndarray) -> float:
    """Mean step across the 8-px grid's column lines over the mean step inside the blocks."""
    steps = np.abs(np.diff(grey.astype(float), axis=1)).mean(axis=0)
    at_edges = steps[7::8].mean()
    inside = np.mean([steps[p::8].mean() for p in range(7)])
    return float(at_edges / inside)


def test_jpeg_blocks_of_a_dim_photo_are_smoothed_before_the_light_is_raised() -> None:
    """A page in a hand's shadow, saved at JPEG q50: its paper is a few grey levels, which the
    compression turns into 8x8 blocks. Raised eight times, their steps would be strokes to the
    recogniser; smoothed first, the engine's input has no grid left in it."""
    arr = np.asarray(page()).astype(np.float32) * 0.12
    rng = np.random.default_rng(5)
    arr += rng.normal(0, 2.5, arr.shape[:2])[..., None]
    img = _jpeg_of(Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)), 50)
    plan = Plan(light=True)  # no warp: the grid stays on the same pixels
    before = _grid_ratio(np.asarray(img.convert("L"))[100:800, 40:780])
    out = np.asarray(prepare(img, plan).image.convert("L"))
    assert before > 1.6  # the photo is blocky
    assert _grid_ratio(out[100:800, 40:780]) < 1.25  # the engine's input is not
    assert out[150:180, 80:700].min() < 80  # the ink is still black
    assert np.median(out[100:800, 40:780]) > 200  # on white paper


def test_a_photo_saved_at_a_high_quality_is_not_deblocked() -> None:
    from evidence_kit.ocr.prep.deblock import block_grid

    grey = np.asarray(_jpeg_of(Image.fromarray(_photo_of(page())), 95).convert("L"))
    assert block_grid(grey) is None
    blocky = np.asarray(_jpeg_of(Image.fromarray(_photo_of(page(), shade=0.15)), 50).convert("L"))
    # Rolled by 3 rows and 5 columns (a crop): the grid is found where it is.
    assert block_grid(np.roll(blocky, (3, 5), axis=(0, 1))) == (3, 5)
