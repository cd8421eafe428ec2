import io
import itertools
import os
from pathlib import Path

import pytest
from PIL import Image

from evidence_kit.errors import InputFileError
from evidence_kit.models import Box, OcrLine
from evidence_kit.ocr.image import read_image
from evidence_kit.ocr.loading import MAX_PIXELS, TILE_HEIGHT, TILE_OVERLAP, load_image, tiles


def png_bytes(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def test_load_converts_to_rgb_and_applies_exif_rotation() -> None:
    img = Image.new("L", (40, 20), 128)
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    buf = io.BytesIO()
    img.save(buf, "JPEG", exif=exif.tobytes())
    out = load_image(buf.getvalue())
    assert out.mode == "RGB"
    assert out.size == (20, 40)


def test_empty_and_garbage_files_are_input_errors(tmp_path: Path) -> None:
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    with pytest.raises(InputFileError, match="empty"):
        load_image(empty)
    junk = tmp_path / "junk.jpg"
    junk.write_bytes(b"this is not an image at all")
    with pytest.raises(InputFileError, match="not an image"):
        load_image(junk)
    truncated = tmp_path / "cut.png"
    noise = Image.frombytes("L", (300, 300), bytes(range(256)) * 351 + bytes(144))
    data = png_bytes(noise)
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputFileError):
        load_image(truncated)
    with pytest.raises(InputFileError, match="cannot be read"):
        load_image(tmp_path / "missing.png")


def test_huge_image_is_refused_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "huge.png"
    Image.new("1", (20000, 20000), 1).save(path)  # 400 MP, a few hundred KB on disk
    with pytest.raises(InputFileError, match="too large") as info:
        load_image(path)
    assert "400 MP" in info.value.message
    assert info.value.hint


def test_just_under_the_limit_is_accepted() -> None:
    w = 1000
    h = MAX_PIXELS // w
    img = load_image(png_bytes(Image.new("1", (w, h), 1)))
    assert img.size == (w, h)


def test_tiles_cover_tall_image_with_overlap_and_partition_ownership() -> None:
    img = Image.new("RGB", (100, 7000), "white")
    ts = tiles(img)
    assert len(ts) == 3
    assert all(t.image.height <= TILE_HEIGHT for t in ts)
    assert ts[0].top == 0 and ts[-1].top + ts[-1].image.height == 7000
    for a, b in itertools.pairwise(ts):
        assert a.top + a.image.height - b.top == TILE_OVERLAP
        assert a.own_to == b.own_from
    assert tiles(Image.new("RGB", (100, 500)))[0].own_from == float("-inf")


class GridEngine:
    """Reports a text line wherever the tile shows one of the image's dark bars."""

    name = "grid"
    version = "1"

    def settings_key(self) -> str:
        return ""

    def read(self, image: Image.Image) -> list[OcrLine]:
        grey = image.convert("L")
        out, y, h = [], 0, image.height
        col = [grey.getpixel((5, yy)) for yy in range(h)]
        while y < h:
            if col[y] < 128:
                y0 = y
                while y < h and col[y] < 128:
                    y += 1
                out.append(OcrLine(f"bar{y0}", Box(0, y0, 50, y), 1.0))
            y += 1
        return out


def test_line_in_tile_overlap_is_reported_once_with_full_image_coordinates() -> None:
    img = Image.new("RGB", (60, 6000), "white")
    bars = [100, 2380, 2430, 2500, 4700, 5900]  # 2380–2500 sits in the first overlap
    for y in bars:
        img.paste((0, 0, 0), (0, y, 60, y + 40))
    result = read_image(GridEngine(), img)
    assert [ln.box.y0 for ln in result.lines] == bars
    assert (result.width, result.height) == (60, 6000)


def test_an_image_is_planned_once_per_read_through_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plan made for the cache key is the one the engine's input is prepared with."""
    from evidence_kit.ocr import pool, preprocess

    img = Image.new("RGB", (60, 300), "white")
    img.paste((0, 0, 0), (0, 100, 60, 140))
    path = tmp_path / "shot.png"
    img.save(path)
    calls: list[str] = []
    real = preprocess.plan_for_file

    def counting(p: str | Path) -> preprocess.Plan:
        calls.append(str(p))
        return real(p)

    monkeypatch.setattr(preprocess, "plan_for_file", counting)
    monkeypatch.setattr(pool, "_engine", lambda _name: GridEngine())
    result = pool.ocr_file(path, "f" * 64, cache_dir=tmp_path / "cache")
    assert [ln.text for ln in result.lines] == ["bar100"]
    assert calls == [str(path)]


def test_a_straightened_file_is_planned_and_prepared_once_in_a_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cache key, the read and the layout's pixels all ask for the plan and the engine's
    input: each is made once per file (and version of it), the layout's from the read's."""
    from evidence_kit.ocr import pool, preprocess

    img = Image.new("RGB", (400, 300), "white")
    img.paste((0, 0, 0), (40, 100, 360, 140))
    img = img.rotate(2.0, fillcolor="white", expand=False)
    path = tmp_path / "scan.png"
    img.save(path)
    planned: list[str] = []
    prepared: list[str] = []
    real_prepare = preprocess.prepare
    plan = preprocess.Plan(angle=2.0)

    def counting_plan(p: str | Path) -> preprocess.Plan:
        planned.append(str(p))
        return plan

    def counting_prepare(image: Image.Image, plan: preprocess.Plan) -> preprocess.Prepared:
        prepared.append(plan.signature)
        return real_prepare(image, plan)

    monkeypatch.setattr(preprocess, "_plan_for_file", counting_plan)
    monkeypatch.setattr(preprocess, "prepare", counting_prepare)
    monkeypatch.setattr(pool, "_engine", lambda _name: GridEngine())
    pool.read_file(path, GridEngine())
    again = preprocess.engine_input_for_file(path)
    assert planned == [str(path)] and prepared == [plan.signature]
    assert again.size == real_prepare(img, plan).image.size
    # a changed file is planned and prepared anew
    img.save(path, format="PNG", optimize=True)
    os.utime(path, ns=(1, 1))
    preprocess.engine_input_for_file(path)
    assert len(planned) == 2 and len(prepared) == 2
