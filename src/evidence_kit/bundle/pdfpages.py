"""Pages of PDF exhibits: their sizes, merging them (vector, scaled) into the slots the layout
reserved, and — for a redacted package — rasterising them with sensitive lines blacked out,
so no number survives in a text layer."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from html import unescape
from pathlib import Path

from evidence_kit.bundle.redact import Redactor
from evidence_kit.errors import BundleError, MissingDependencyError
from evidence_kit.models import Box

RASTER_DPI = 110


@dataclass(frozen=True)
class Slot:
    """Where one original PDF page goes: a rectangle on a page of the built document."""

    page_number: int  # 1-based page of the built document
    x: float
    y: float
    width: float
    height: float
    src: Path
    src_page: int  # 0-based


def page_sizes(path: Path) -> list[tuple[float, float]]:
    """Displayed (rotation applied) width and height in points of every page."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            raise BundleError(f"{path.name}: the PDF is encrypted", hint="save an unlocked copy")
        sizes = []
        for page in reader.pages:
            w, h = float(page.mediabox.width), float(page.mediabox.height)
            if (page.rotation or 0) % 180:
                w, h = h, w
            sizes.append((w, h))
    except (PdfReadError, ValueError, KeyError, OSError) as e:
        raise BundleError(f"{path.name}: cannot be read as a PDF ({e})") from e
    if not sizes:
        raise BundleError(f"{path.name}: the PDF has no pages")
    return sizes


def merge_slots(writer, slots: list[Slot]) -> None:
    """Draw each original page, scaled to its slot, onto the built page (vector, not raster)."""
    from pypdf import PdfReader, Transformation

    readers: dict[Path, PdfReader] = {}
    for slot in slots:
        reader = readers.get(slot.src) or readers.setdefault(slot.src, PdfReader(slot.src))
        src = reader.pages[slot.src_page]
        if (src.rotation or 0) % 360:
            src.transfer_rotation_to_content()
        box = src.mediabox
        sw, sh = float(box.width), float(box.height)
        scale = min(slot.width / sw, slot.height / sh)
        dx = slot.x + (slot.width - sw * scale) / 2 - float(box.left) * scale
        dy = slot.y + (slot.height - sh * scale) / 2 - float(box.bottom) * scale
        target = writer.pages[slot.page_number - 1]
        target.merge_transformed_page(src, Transformation().scale(scale).translate(dx, dy))


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if not path:
        raise MissingDependencyError(
            f"{tool} is needed to redact PDF exhibits", hint="sudo apt-get install poppler-utils"
        )
    return path


def rasterize(path: Path, out_dir: Path, stem: str, dpi: int = RASTER_DPI) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    prefix = out_dir / stem
    try:
        subprocess.run(
            [_need("pdftoppm"), "-r", str(dpi), "-png", str(path), str(prefix)],
            check=True,
            capture_output=True,
            timeout=300,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
        raise BundleError(f"{path.name}: pdftoppm could not render the PDF ({e})") from e
    pages = sorted(out_dir.glob(f"{stem}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    if not pages:
        raise BundleError(f"{path.name}: pdftoppm produced no pages")
    return pages


_LINE = re.compile(r"<line[^>]*>(.*?)</line>", re.S)
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', re.S
)


def text_layer_lines(layout_xml: str) -> list[list[tuple[list[str], Box]]]:
    """Per page of ``pdftotext -bbox-layout`` output, each text line that has words: their
    texts and the box around them, in points."""
    pages: list[list[tuple[list[str], Box]]] = []
    for page_xml in layout_xml.split("<page ")[1:]:
        lines = []
        for line in _LINE.findall(page_xml):
            words = _WORD.findall(line)
            if not words:
                continue
            box = Box(
                min(float(w[0]) for w in words),
                min(float(w[1]) for w in words),
                max(float(w[2]) for w in words),
                max(float(w[3]) for w in words),
            )
            lines.append(([unescape(w[4]) for w in words], box))
        pages.append(lines)
    return pages


def sensitive_boxes(path: Path, redactor: Redactor, dpi: int = RASTER_DPI) -> dict[int, list[Box]]:
    """Per 0-based page: pixel boxes (at ``dpi``) of text-layer lines holding a number to mask."""
    try:
        out = subprocess.run(
            [_need("pdftotext"), "-bbox-layout", str(path), "-"],
            check=True,
            capture_output=True,
            timeout=300,
        ).stdout.decode("utf-8", "replace")
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
        raise BundleError(f"{path.name}: pdftotext could not read the PDF ({e})") from e
    k = dpi / 72
    result: dict[int, list[Box]] = {}
    for page_no, lines in enumerate(text_layer_lines(out)):
        for texts, b in lines:
            if not (redactor.sensitive("".join(texts)) or redactor.sensitive(" ".join(texts))):
                continue
            result.setdefault(page_no, []).append(Box(b.x0 * k, b.y0 * k, b.x1 * k, b.y1 * k))
    return result
