"""The review queue's picture of a value on a PDF page: rendered by poppler, cropped to where
the value stands (text layer or OCR box), cached by the original's hash."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from evidence_kit.case import init_case
from evidence_kit.ledger.events import EventType, Ledger, NewEvent
from evidence_kit.ledger.store import Store
from evidence_kit.models import Entry
from evidence_kit.web.crops import RENDER_DPI, crop_png

PAGE_PT = (595, 842)  # A4


def text_pdf() -> bytes:
    """One A4 page with a text layer: the amount near the top left, nothing else."""
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=PAGE_PT)
    c.setFont("Helvetica", 14)
    c.drawString(72, PAGE_PT[1] - 100, "Total due 1,234.56")
    c.showPage()
    c.save()
    return buf.getvalue()


def scan_pdf() -> bytes:
    """A scanned page (an image, no text): white, with one black block where OCR read a value."""
    from PIL import Image, ImageDraw

    im = Image.new("RGB", (1240, 1754), "white")  # A4 at 150 dpi
    ImageDraw.Draw(im).rectangle((600, 900, 900, 960), fill="black")
    buf = io.BytesIO()
    im.save(buf, "PDF", resolution=150)
    return buf.getvalue()


def stored_entry(tmp_path: Path, data: bytes, line_box: list[float], text: str) -> tuple:  # type: ignore[type-arg]
    case, _ = init_case(tmp_path)
    stored = Store(case.objects_dir).put_bytes(data)
    eid = stored.sha256[:12]
    with Ledger(case.ledger_path, case.head_path) as led:
        led.append(
            [
                NewEvent(EventType.INGESTED, eid, {
                    "sha256": stored.sha256, "path": "bill.pdf", "size": len(data),
                    "kind": "bill", "mime": "application/pdf", "original_name": "bill.pdf",
                    "occurred_at": None, "meta": {},
                }),
                NewEvent(EventType.ANALYZED, eid, {
                    "text": f"Total due {text}",
                    "lines": [{"text": f"Total due {text}", "box": line_box, "confidence": 0.8,
                               "page": 0}],
                    "extraction": {"amounts": [{"value": "1234.56", "currency": "CNY",
                                                "label": None, "text": text, "start": 10,
                                                "end": 10 + len(text)}]},
                }),
            ],
            "2025-06-01T00:00:00+00:00",
        )
        entry: Entry = led.get_entry(eid)
    return case, entry


def open_png(data: bytes):  # type: ignore[no-untyped-def]
    from PIL import Image

    return Image.open(io.BytesIO(data)).convert("L")


@pytest.fixture(autouse=True)
def _poppler() -> None:
    import shutil

    if not (shutil.which("pdftoppm") and shutil.which("pdftotext")):
        pytest.fail("poppler-utils is a system dependency of the kit (./bootstrap installs it)")


def test_a_text_layer_value_is_cropped_to_its_line_and_cached(tmp_path: Path) -> None:
    case, entry = stored_entry(tmp_path, text_pdf(), [0, 0, 0, 0], "1,234.56")
    data = crop_png(case, entry, entry.extraction.amounts[0])
    im = open_png(data)
    page_px = (PAGE_PT[0] * RENDER_DPI / 72, PAGE_PT[1] * RENDER_DPI / 72)
    # The line, not the page: about 14 pt high, well under a third of the page wide.
    assert im.height < 80 and im.width < page_px[0] / 2
    assert sum(im.histogram()[:100]) > 0  # it holds dark text
    # Kept under the original's hash: served again without rendering anything.
    folder = case.cache_dir / "crops" / entry.sha256[:2] / entry.sha256
    for page in folder.glob("page-*.png"):
        page.unlink()
    assert crop_png(case, entry, entry.extraction.amounts[0]) == data
    assert not list(folder.glob("page-*.png"))


def test_an_ocr_box_on_a_scanned_page_is_scaled_to_the_rendering(tmp_path: Path) -> None:
    # ocr.pdf rasterised this A4 scan at 200 dpi: the block is at (800, 1200)-(1200, 1280).
    case, entry = stored_entry(tmp_path, scan_pdf(), [800, 1200, 1200, 1280], "1,234.56")
    im = open_png(crop_png(case, entry, entry.extraction.amounts[0]))
    hist = im.histogram()
    dark = sum(hist[:128]) / sum(hist)
    assert dark > 0.6, "the crop is the black block, with a thin margin"


def test_a_pdf_value_gets_a_picture_in_the_review_queue(tmp_path: Path) -> None:
    pytest.importorskip("httpx2")
    from starlette.testclient import TestClient

    from evidence_kit.case import Case
    from evidence_kit.web.app import WebState, create_app
    from evidence_kit.web.security import COOKIE, Guard

    case, entry = stored_entry(tmp_path, text_pdf(), [0, 0, 0, 0], "1,234.56")
    state = WebState(Case(case.root), Guard("t0ken"))
    with TestClient(create_app(state)) as client:
        client.cookies.set(COOKIE, "t0ken")
        page = client.get("/review").text
        assert f'src="/crop/{entry.id}/amount/0.png"' in page
        r = client.get(f"/crop/{entry.id}/amount/0.png")
        assert r.status_code == 200 and r.headers["content-type"] == "image/png"
        assert r.content.startswith(b"\x89PNG")
        assert client.get(f"/crop/{entry.id}/amount/5.png").status_code == 404
