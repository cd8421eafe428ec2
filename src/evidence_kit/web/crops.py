"""Pictures of where a value was read, for the review queue: a crop of the stored original.

An image is cropped to the value's box. A PDF page is rendered with poppler's ``pdftoppm``
(the kit's system dependency for PDF pages) and cropped to where the value stands: the OCR box
on a scanned page, or the words of the text layer (``pdftotext -bbox-layout``) on a page that
has one, since text-layer lines carry no box. Renderings and crops are kept in the case's
rebuildable cache under the original's SHA-256, so the same bytes are rendered once. Only the
stored original of an entry is ever read: no path comes from the client.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from evidence_kit.bundle.pdfpages import text_layer_lines
from evidence_kit.case import Case
from evidence_kit.ledger.store import Store
from evidence_kit.models import Box, Entry
from evidence_kit.ocr.pdf import raster_dpi

RENDER_DPI = 150  # a bill's 9-point digits stay readable in the crop; a page renders in ~0.2 s
PAD = 12  # pixels around the value, at the crop's scale
THUMB = 640
RENDER_TIMEOUT_S = 60
_SHA = re.compile(r"^[0-9a-f]{64}$")


class NoCrop(Exception):
    """The original cannot be shown (missing, unreadable, or poppler is not installed)."""


def value_page(entry: Entry, value: Any) -> int:
    """The 0-based page the value was read on: that of the first line holding its text."""
    text = getattr(value, "text", "")
    for line in entry.lines:
        if text and text in line.text:
            return line.page
    return 0


def _run(cmd: list[str]) -> bytes:
    exe = shutil.which(cmd[0])
    if exe is None:
        raise NoCrop(f"{cmd[0]} is not installed")
    try:
        proc = subprocess.run(
            [exe, *cmd[1:]], capture_output=True, timeout=RENDER_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired as e:
        raise NoCrop(f"{cmd[0]} took too long") from e
    if proc.returncode != 0:
        raise NoCrop(f"{cmd[0]} failed ({proc.returncode})")
    return proc.stdout


def _rendered_page(pdf: Path, folder: Path, page: int) -> Path:
    """Page ``page`` (0-based) as a PNG at RENDER_DPI, rendered once per original."""
    out = folder / f"page-{page + 1}-{RENDER_DPI}.png"
    if not out.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        n = str(page + 1)
        with tempfile.TemporaryDirectory(dir=folder, prefix=".render-") as tmp:
            prefix = Path(tmp) / "page"
            _run(["pdftoppm", "-r", str(RENDER_DPI), "-f", n, "-l", n, "-png", "-singlefile",
                  str(pdf), str(prefix)])
            # Whole or not at all: a concurrent request never reads half a picture.
            prefix.with_suffix(".png").replace(out)
    return out


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with open(fd, "wb") as f:
        f.write(data)
    Path(tmp).replace(path)


def _text_layer_box(pdf: Path, folder: Path, page: int, text: str) -> Box | None:
    """Where ``text`` stands on the page's text layer, in points: the line holding it."""
    xml_path = folder / f"words-{page + 1}.xml"
    if not xml_path.is_file():
        n = str(page + 1)
        _write_atomic(
            xml_path, _run(["pdftotext", "-f", n, "-l", n, "-bbox-layout", str(pdf), "-"])
        )
    layout = xml_path.read_text("utf-8", "replace")
    wanted = re.sub(r"\s", "", text)
    if not wanted:
        return None
    for page_lines in text_layer_lines(layout)[:1]:  # the file holds this page only
        for texts, box in page_lines:
            if wanted in "".join(re.sub(r"\s", "", t) for t in texts):
                return box
    return None


def _is_box(box: Box | None) -> bool:
    return box is not None and box.x1 > box.x0 and box.y1 > box.y0


def _crop(im: Any, box: Box | None) -> bytes:
    """The box (with a margin) or, without one, the whole picture, as a PNG thumbnail."""
    im = im.convert("RGB")
    if box is not None and _is_box(box):
        im = im.crop(
            (
                max(0, int(box.x0) - PAD),
                max(0, int(box.y0) - PAD),
                min(im.width, math.ceil(box.x1) + PAD),
                min(im.height, math.ceil(box.y1) + PAD),
            )
        )
    im.thumbnail((THUMB, THUMB))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


def crop_png(case: Case, entry: Entry, value: Any) -> bytes:
    """A PNG of where ``value`` (an extracted amount or date of ``entry``) was read."""
    from PIL import Image, UnidentifiedImageError

    from evidence_kit.query.review import value_box

    if not _SHA.match(entry.sha256):
        raise NoCrop("not a stored original")
    original = Store(case.objects_dir).path_for(entry.sha256)
    if not original.is_file():
        raise NoCrop("the stored original is missing")
    box = value_box(entry, value)
    is_pdf = entry.mime == "application/pdf"
    page = value_page(entry, value) if is_pdf else 0
    folder = case.cache_dir / "crops" / entry.sha256[:2] / entry.sha256
    # The crop depends on the original's bytes (its hash) and on where the value was read.
    key = hashlib.sha256(
        repr((getattr(value, "text", ""), box, page, RENDER_DPI, THUMB, PAD)).encode()
    ).hexdigest()[:24]
    cached = folder / f"crop-{key}.png"
    if cached.is_file():
        return cached.read_bytes()
    try:
        if not is_pdf:
            with Image.open(original) as im:
                data = _crop(im, box)
        else:
            rendered = _rendered_page(original, folder, page)
            with Image.open(rendered) as im:
                points = RENDER_DPI / 72
                if _is_box(box):  # read by OCR from the page rasterised for it
                    assert box is not None
                    k = RENDER_DPI / raster_dpi(im.width / points, im.height / points)
                    where: Box | None = Box(box.x0 * k, box.y0 * k, box.x1 * k, box.y1 * k)
                else:  # read from the text layer
                    found = _text_layer_box(original, folder, page, getattr(value, "text", ""))
                    where = (
                        Box(found.x0 * points, found.y0 * points, found.x1 * points,
                            found.y1 * points)
                        if found
                        else None
                    )
                data = _crop(im, where)
    except (OSError, UnidentifiedImageError) as e:
        raise NoCrop(str(e)) from e
    _write_atomic(cached, data)
    return data
