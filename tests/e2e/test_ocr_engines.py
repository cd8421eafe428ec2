"""Both real OCR engines on rendered screenshots, the worker pool, the cache and PDFs."""

from __future__ import annotations

import hashlib
import io
import itertools
import os
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image

from evidence_kit.errors import InputFileError, OcrError
from evidence_kit.extract.chat import parse_chat
from evidence_kit.models import Box, OcrLine, Side
from evidence_kit.ocr import (
    OcrJob,
    OcrStats,
    get_engine,
    load_image,
    ocr_file,
    ocr_many,
    read_image,
    read_pdf,
)

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "samples"))
import render  # noqa: E402

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
REF = datetime(2025, 3, 20, 22, 30)
CHAT = [
    {"type": "time", "text": "昨天 22:08"},
    {
        "side": "them",
        "text": "您好，您在乐享分期的账单已逾期，逾期金额3,256.00元，请于3月21日前处理。",
    },
    {"side": "me", "text": "我目前失业，能否协商分期还款？"},
    {"side": "them", "text": "可以申请减免罚息¥320.50"},
    {"type": "time", "text": "星期三 10:00"},
    {"side": "me", "text": "好的，我会在2025年3月25日前还1,000元"},
]
BILL = [("本期应还", "1,200.00"), ("逾期金额", "3,256.00"), ("罚息", "320.50"), ("服务费", "88.00")]


def cer(truth: str, got: str) -> float:
    a, b = "".join(truth.split()), "".join(got.split())
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1] / len(a)


@pytest.fixture(scope="module")
def chat_image() -> tuple[Image.Image, list[dict]]:
    return render.render_chat(CHAT, style="wechat", width=1080, font_path=FONT)


@pytest.fixture(scope="module")
def engines():  # type: ignore[no-untyped-def]
    return {"rapidocr": get_engine("rapidocr"), "tesseract": get_engine("tesseract")}


def message_text(labels: list[dict]) -> str:
    return "".join(lb["text"] for lb in labels if lb["role"] in ("message", "time"))


def text_in_message_area(result_lines: tuple[OcrLine, ...], labels: list[dict]) -> str:
    """OCR text of lines on the conversation (not status bar, title, avatars)."""
    boxes = [lb["box"] for lb in labels if lb["role"] in ("message", "time")]

    def on_text(line: OcrLine) -> bool:
        return any(
            b[0] - 20 <= line.box.cx <= b[2] + 20 and b[1] <= line.box.cy <= b[3] for b in boxes
        )

    return "".join(line.text for line in result_lines if on_text(line))


def test_rapidocr_reads_chat_nearly_perfectly_and_beats_tesseract(chat_image, engines) -> None:  # type: ignore[no-untyped-def]
    img, labels = chat_image
    truth = message_text(labels)
    rapid = read_image(engines["rapidocr"], img)
    tess = read_image(engines["tesseract"], img)
    rapid_cer = cer(truth, text_in_message_area(rapid.lines, labels))
    tess_cer = cer(truth, text_in_message_area(tess.lines, labels))
    assert rapid_cer <= 0.02, rapid.text
    assert rapid_cer < tess_cer
    assert "3,256.00" in rapid.text and "逾期金额" in rapid.text
    assert all(0 < line.confidence <= 1 for line in rapid.lines)
    # Reading order: top to bottom.
    ys = [line.box.cy for line in rapid.lines]
    assert all(a <= b + 30 for a, b in itertools.pairwise(ys))


def test_tesseract_reads_key_strings_and_joins_cjk(engines) -> None:  # type: ignore[no-untyped-def]
    img, _ = render.render_bill(BILL, width=1080, font_path=FONT, header_amount="1,200.00")
    result = read_image(engines["tesseract"], img)
    text = result.text
    assert "逾期金额" in text
    assert "3,256.00" in text
    assert "逾 期" not in text  # spaces Tesseract puts between CJK characters are removed


def test_rapidocr_reads_a_bill_row_by_row(engines) -> None:  # type: ignore[no-untyped-def]
    img, _ = render.render_bill(BILL, width=720, font_path=FONT, header_amount="1,200.00")
    result = read_image(engines["rapidocr"], img)
    texts = [line.text for line in result.lines]
    assert texts.index("逾期金额") + 1 == texts.index("3,256.00")
    assert texts.index("罚息") + 1 == texts.index("320.50")


def test_chat_parse_on_real_ocr(chat_image, engines) -> None:  # type: ignore[no-untyped-def]
    img, _ = chat_image
    result = read_image(engines["rapidocr"], img)
    parsed = parse_chat(result.lines, result.width, result.height, reference=REF)
    assert parsed.is_chat
    # The two timestamp rows are system messages now; the bubbles are as before.
    bubbles = [m for m in parsed.messages if m.side is not Side.SYSTEM]
    assert [m.side for m in parsed.messages].count(Side.SYSTEM) == 2
    assert [m.side for m in bubbles] == [Side.THEM, Side.ME, Side.THEM, Side.ME]
    assert [m.time for m in bubbles] == ["2025-03-19T22:08:00"] * 3 + ["2025-03-19T10:00:00"]
    assert "逾期金额3,256.00元" in bubbles[0].text


def test_tall_screenshot_is_tiled_without_losing_or_doubling_lines(engines) -> None:  # type: ignore[no-untyped-def]
    msgs = [
        {"side": "them" if i % 2 else "me", "text": f"第{i}条消息，金额{i * 100}元"}
        for i in range(40)
    ]
    img, _ = render.render_chat(msgs, width=720, font_path=FONT)
    assert img.height > 5000
    result = read_image(engines["rapidocr"], img)
    texts = [line.text for line in result.lines]
    for i in range(40):
        assert sum(f"第{i}条消息" in t for t in texts) == 1, i


@pytest.mark.parametrize("name", ["rapidocr", "tesseract"])
def test_blank_tiny_and_noise_images_give_no_lines(engines, name: str) -> None:  # type: ignore[no-untyped-def]
    engine = engines[name]
    noise = Image.frombytes("L", (400, 400), os.urandom(160_000)).convert("RGB")
    for img in (Image.new("RGB", (1, 1)), Image.new("RGB", (800, 1600), "white"), noise):
        assert read_image(engine, img).lines == ()


def test_huge_image_is_refused_with_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "huge.png"
    Image.new("1", (20000, 20000), 1).save(path)
    script = textwrap.dedent(
        f"""
        import resource
        from evidence_kit.errors import InputFileError
        from evidence_kit.ocr import ocr_file
        try:
            ocr_file({str(path)!r}, "0" * 64)
        except InputFileError as e:
            print("ERR", e.message)
        print("RSS", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert "too large to be a screenshot" in out.stdout
    rss_kb = int(out.stdout.split("RSS")[1])
    assert rss_kb < 2_000_000


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_pool_reads_all_caches_and_dedupes(tmp_path: Path) -> None:
    jobs = []
    for i, width in enumerate([720, 720, 1080, 720, 720]):
        img, _ = render.render_chat(
            CHAT[i % 3 : i % 3 + 3], width=width, font_path=FONT, title=f"客服{i}"
        )
        p = tmp_path / f"c{i}.png"
        img.save(p)
        jobs.append(OcrJob(sha(p), p))
    bad = tmp_path / "bad.jpg"
    bad.write_bytes(b"not a jpeg")
    jobs += [OcrJob(sha(bad), bad), OcrJob(jobs[0].sha256, jobs[0].path)]  # a duplicate
    cache = tmp_path / "cache"

    first = OcrStats()
    results = list(ocr_many(jobs, cache_dir=cache, workers=2, stats=first))
    assert sorted(str(j.path) for j, _ in results) == sorted(str(j.path) for j in jobs)
    by_path = {str(j.path): r for j, r in results}
    assert isinstance(by_path[str(bad)], InputFileError)
    for job, result in results:
        if job.path != bad:
            assert not isinstance(result, Exception) and len(result.lines) >= 3
    assert (first.ocred, first.deduped, first.failed, first.workers) == (5, 1, 1, 2)
    assert 0 < first.peak_rss_mb < 1500
    assert len(list(cache.rglob("*.json"))) == 5

    second = OcrStats()
    again = dict(
        (str(j.path), r) for j, r in ocr_many(jobs, cache_dir=cache, workers=2, stats=second)
    )
    assert second.ocred == 0 and second.cached == 6 and second.failed == 1
    assert again[str(jobs[2].path)] == by_path[str(jobs[2].path)]

    # ocr_file in-process shares the cache.
    assert ocr_file(jobs[2].path, jobs[2].sha256, cache_dir=cache) == by_path[str(jobs[2].path)]


class CrashOnMarker:
    """A fake engine that kills its worker process on images 7 px wide."""

    name = "crash"
    version = "1"

    def settings_key(self) -> str:
        return ""

    def read(self, image: Image.Image) -> list[OcrLine]:
        if image.width == 7:
            os._exit(3)
        return [OcrLine(f"w{image.width}", Box(0, 0, image.width, image.height), 1.0)]


def make_crash_engine() -> CrashOnMarker:
    return CrashOnMarker()


def test_worker_crash_is_reported_for_that_file_only(tmp_path: Path) -> None:
    jobs = []
    for w in (10, 7, 12, 14):
        p = tmp_path / f"{w}.png"
        Image.new("RGB", (w, 10), "white").save(p)
        jobs.append(OcrJob(sha(p), p))
    stats = OcrStats()
    out = {
        Path(j.path).name: r
        for j, r in ocr_many(jobs, workers=2, stats=stats, engine_factory=make_crash_engine)
    }
    assert isinstance(out["7.png"], OcrError) and "crashed" in out["7.png"].message
    for w in (10, 12, 14):
        result = out[f"{w}.png"]
        assert not isinstance(result, Exception) and result.text == f"w{w}"
    assert stats.worker_crashes >= 1 and stats.failed == 1



def test_a_worker_hands_a_straightened_photos_engine_input_to_the_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parent lays out what a worker read on the pixels the worker straightened, instead
    of decoding and straightening the file again in its own process."""
    from PIL import ImageDraw

    from evidence_kit.ocr import preprocess

    img = Image.new("RGB", (600, 800), "white")
    draw = ImageDraw.Draw(img)
    for i in range(8):  # text lines, tilted 2° below: a scan to deskew
        draw.rectangle((60, 80 + 80 * i, 540, 96 + 80 * i), fill="black")
    path = tmp_path / "scan.png"
    img.rotate(2.0, fillcolor="white").save(path)
    plan = preprocess.plan_for_file(path)
    assert plan.angle  # the file is straightened before the engine reads it
    expected = preprocess.prepare(preprocess.load_image(path), plan).image

    ((_job, result),) = ocr_many([OcrJob(sha(path), path)], workers=1,
                                 engine_factory=make_crash_engine)
    assert not isinstance(result, Exception) and result.frame is not None

    def again(*_args: object) -> preprocess.Prepared:
        raise AssertionError("the parent straightened the file again")

    monkeypatch.setattr(preprocess, "prepare", again)
    got = preprocess.engine_input_for_file(path)
    assert got.size == expected.size and got.tobytes() == expected.tobytes()


class NoisyAndRaising:
    """A fake engine that chatters like onnxruntime on every image and raises on 9 px wide."""

    name = "noisy"
    version = "1"

    def settings_key(self) -> str:
        return ""

    def read(self, image: Image.Image) -> list[OcrLine]:
        import warnings

        os.write(2, b"[W:onnxruntime] some C-level library chatter\n")
        warnings.warn("a library warning", UserWarning, stacklevel=1)
        if image.width == 9:
            raise ValueError("Expected /Kids to be an array")
        return [OcrLine(f"w{image.width}", Box(0, 0, image.width, image.height), 1.0)]


def make_noisy_engine() -> NoisyAndRaising:
    return NoisyAndRaising()


def test_one_exception_in_ten_ocr_jobs_and_no_chatter_on_stderr(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """Issue 11: an unexpected exception fails that file only (plain words, no library jargon),
    and the workers' library output goes to the debug log in the cache, not the terminal."""
    jobs = []
    for w in range(5, 15):
        p = tmp_path / f"{w}.png"
        Image.new("RGB", (w, 10), "white").save(p)
        jobs.append(OcrJob(sha(p), p))
    cache = tmp_path / "cache"
    out = {
        Path(j.path).name: r
        for j, r in ocr_many(jobs, workers=2, cache_dir=cache, engine_factory=make_noisy_engine)
    }
    bad = out.pop("9.png")
    assert isinstance(bad, OcrError) and "internal error while reading (ValueError)" in bad.message
    assert "Kids" not in str(bad)
    assert all(not isinstance(r, Exception) and r.text == f"w{n[:-4]}" for n, r in out.items())
    captured = capfd.readouterr()
    assert "chatter" not in captured.err and "library warning" not in captured.err
    log = (cache / "ocr-workers.log").read_text("utf-8")
    assert "chatter" in log and "Kids" in log  # the details are kept for a bug report


def make_pdf(
    path: Path, *, text: bool, image: Image.Image | None = None, encrypt: bool = False
) -> None:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("wqy", FONT))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    if text:
        c.setFont("wqy", 12)
        c.drawString(72, 760, "乐享分期 账单详情")
        t = c.beginText(72, 730)
        t.setFont("wqy", 12)
        t.textOut("账单日期：2025")
        t.setFont("wqy", 14)
        t.textOut("年3月21 日")
        c.drawText(t)
        c.drawString(72, 700, "逾期金额：¥3,256.00")
        c.showPage()
    if image is not None:
        c.drawImage(ImageReader(image), 0, 0, width=595, height=842)
        c.showPage()
    c.save()
    data = buf.getvalue()
    if encrypt:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        writer.encrypt(user_password="secret", algorithm="RC4-128")
        out = io.BytesIO()
        writer.write(out)
        data = out.getvalue()
    path.write_bytes(data)


def test_pdf_text_layer_is_read_directly_and_normalised(tmp_path: Path) -> None:
    path = tmp_path / "bill.pdf"
    make_pdf(path, text=True)
    result = read_pdf(path, None)  # no engine needed: nothing is OCR'd
    assert result.source == "text-layer"
    assert "账单日期：2025年3月21日" in result.text
    assert "逾期金额：¥3,256.00" in result.text


def test_scanned_pdf_page_is_rasterised_and_ocrd(tmp_path: Path, engines) -> None:  # type: ignore[no-untyped-def]
    img, _ = render.render_bill(BILL, width=1080, font_path=FONT)
    path = tmp_path / "scan.pdf"
    make_pdf(path, text=True, image=img)
    result = read_pdf(path, engines["rapidocr"])
    assert result.source == "ocr"
    pages = {line.page for line in result.lines}
    assert pages == {0, 1}
    scanned = "".join(line.text for line in result.lines if line.page == 1)
    assert "逾期金额" in scanned and "3,256.00" in scanned
    # Through the file API too (kind sniffed from the bytes).
    assert ocr_file(path, sha(path), kind="auto").text == result.text


def test_encrypted_and_broken_pdfs_are_input_errors(tmp_path: Path) -> None:
    locked = tmp_path / "locked.pdf"
    make_pdf(locked, text=True, encrypt=True)
    with pytest.raises(InputFileError, match="password") as info:
        read_pdf(locked, None)
    assert "qpdf" in (info.value.hint or "")
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF")
    with pytest.raises(InputFileError):
        read_pdf(broken, None)


def test_load_image_reads_jpeg_written_by_render(tmp_path: Path) -> None:
    img, _ = render.render_chat(CHAT[:2], width=720, font_path=FONT)
    path = render.save_jpeg(img, tmp_path / "c.jpg", quality=55)
    assert load_image(path).size == img.size
