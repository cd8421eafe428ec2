"""PDF pages: the text layer where there is one, OCR of the rasterised page where there is not."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from evidence_kit.errors import InputFileError, MissingDependencyError, OcrError
from evidence_kit.i18n import _
from evidence_kit.models import Box, OcrLine, OcrResult
from evidence_kit.ocr.image import read_image
from evidence_kit.ocr.loading import load_image

if TYPE_CHECKING:
    from evidence_kit.ocr.engine import OcrEngine

DPI = 200
# A page larger than A4 is rendered at a lower resolution so its raster stays this size.
MAX_PAGE_PIXELS = 25_000_000
# A page with fewer readable characters than this, and an image on it, is a scan.
MIN_TEXT_CHARS = 20
PDFTOPPM_TIMEOUT_S = 120

_ENCRYPTED_HINT = (
    "remove the password: open it and print to a new PDF, or run "
    "`qpdf --decrypt --password=… in.pdf out.pdf`"
)
_RESAVE_HINT = "open it in a PDF reader and print or save it as a new PDF, then ingest that"

_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
_DATE_UNIT = "年月日号时分秒"
# Text layers of Chinese PDFs break runs wherever the font or size changes:
# "2025\n年3月21 日" must read "2025年3月21日".
_DIGIT_UNIT = re.compile(rf"(?<=\d)\s+(?=[{_DATE_UNIT}])|(?<=[年月])\s+(?=\d)")
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0]+(?=[{_CJK}])")
_SPACES = re.compile(r"[ \t\u00a0]+")


def normalize_text_layer(text: str) -> str:
    """Undo the breaks a PDF text layer puts inside Chinese words and dates; keep real lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _DIGIT_UNIT.sub("", text)
    text = _CJK_GAP.sub("", text)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def read_pdf(path: Path | str, engine: OcrEngine | None) -> OcrResult:
    """Lines of every page, in page order. ``engine`` may be None only for text-only PDFs
    (an OcrError says so when a scanned page is met)."""
    path = Path(path)
    label = str(path)
    try:
        return _read_with_pypdf(path, label, engine)
    except InputFileError:
        # pypdf gave up; poppler (what most Linux readers use) may still open it.
        if poppler_page_count(path) is None:
            raise
        return _read_with_poppler(path, label, engine)


def _read_with_pypdf(path: Path, label: str, engine: OcrEngine | None) -> OcrResult:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            # An empty user password (only printing/copying restricted) opens without asking.
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError) as e:
                raise InputFileError(label, _("the PDF is encrypted"), _(_ENCRYPTED_HINT)) from e
            if not opened:
                raise InputFileError(
                    label, _("the PDF is protected by a password"), _(_ENCRYPTED_HINT)
                )
        pages = list(reader.pages)
    except InputFileError:
        raise
    except Exception as e:  # pypdf raises many types on broken files; its words are jargon
        raise InputFileError(label, _("the PDF is damaged"), _(_RESAVE_HINT)) from e
    if not pages:
        raise InputFileError(
            label, _("the PDF has no pages"), _("check that the download completed")
        )

    lines: list[OcrLine] = []
    any_ocr = False
    size: tuple[int, int] | None = None
    for index, page in enumerate(pages):
        try:
            text = normalize_text_layer(page.extract_text() or "")
            has_images = _has_images(page)
            w_pt, h_pt = float(page.mediabox.width), float(page.mediabox.height)
        except Exception as e:  # pypdf raises many types on broken content streams
            raise InputFileError(
                label, _("page {n} cannot be read").format(n=index + 1), _(_RESAVE_HINT)
            ) from e
        if len(re.sub(r"\s", "", text)) >= MIN_TEXT_CHARS or (text and not has_images):
            lines.extend(OcrLine(t, Box(0, 0, 0, 0), 1.0, index) for t in text.split("\n"))
            size = size or (round(w_pt), round(h_pt))
            continue
        if not has_images and not text:
            continue  # a blank page
        if engine is None:
            raise OcrError(
                _("{name}: page {n} is a scan and needs OCR").format(name=label, n=index + 1),
                _("install an OCR engine: ./bootstrap setup"),
            )
        any_ocr = True
        image = _rasterise(path, index, w_pt, h_pt)
        result = read_image(engine, image, page=index)
        lines.extend(result.lines)
        size = size or (result.width, result.height)
    return _pages_result(lines, size, engine, any_ocr)


def _pages_result(
    lines: list[OcrLine], size: tuple[int, int] | None, engine: OcrEngine | None, any_ocr: bool
) -> OcrResult:
    """The pages read so far as one result: OCR'd if any page needed the engine."""
    width, height = size or (0, 0)
    return OcrResult(
        lines=tuple(lines),
        width=width,
        height=height,
        engine=engine.name if (engine and any_ocr) else "text-layer",
        source="ocr" if any_ocr else "text-layer",
    )


POPPLER_TIMEOUT_S = 60


def dies_with_us(cmd: list[str]) -> list[str]:
    """``cmd`` run so that the kernel kills it when the process that started it dies (a
    SIGKILL'd ingest must leave no pdftoppm behind): util-linux ``setpriv --pdeathsig``
    sets the flag and then execs the command itself. Unchanged where setpriv is missing."""
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "KILL", "--", *cmd] if setpriv else cmd


def poppler_page_count(path: Path | str) -> int | None:
    """Pages poppler's pdfinfo finds without a password; None if it cannot open the file."""
    exe = shutil.which("pdfinfo")
    if exe is None:
        return None
    try:
        proc = subprocess.run(
            dies_with_us([exe, str(path)]),
            capture_output=True,
            timeout=POPPLER_TIMEOUT_S,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return None
    if proc.returncode != 0:
        return None
    for line in proc.stdout.decode("utf-8", "replace").splitlines():
        if line.startswith("Pages:"):
            try:
                pages = int(line.split(":", 1)[1])
            except ValueError:
                return None
            return pages if pages > 0 else None
    return None


def _read_with_poppler(path: Path, label: str, engine: OcrEngine | None) -> OcrResult:
    """Text layer per page by pdftotext, OCR of pdftoppm's raster where there is none."""
    pages = poppler_page_count(path) or 0
    exe = shutil.which("pdftotext")
    lines: list[OcrLine] = []
    any_ocr = False
    size: tuple[int, int] | None = None
    for index in range(min(pages, MAX_POPPLER_PAGES)):
        n = str(index + 1)
        text = ""
        if exe:
            try:
                proc = subprocess.run(
                    dies_with_us([exe, "-f", n, "-l", n, "-enc", "UTF-8", str(path), "-"]),
                    capture_output=True,
                    timeout=POPPLER_TIMEOUT_S,
                    check=False,
                )
                text = normalize_text_layer(proc.stdout.decode("utf-8", "replace"))
            except subprocess.TimeoutExpired:
                text = ""
        if len(re.sub(r"\s", "", text)) >= MIN_TEXT_CHARS:
            lines.extend(OcrLine(t, Box(0, 0, 0, 0), 1.0, index) for t in text.split("\n"))
            continue
        if engine is None:
            raise OcrError(
                _("{name}: page {n} is a scan and needs OCR").format(name=label, n=n),
                _("install an OCR engine: ./bootstrap setup"),
            )
        any_ocr = True
        result = read_image(engine, _rasterise(path, index, 595, 842), page=index)
        lines.extend(result.lines)
        size = size or (result.width, result.height)
    return _pages_result(lines, size, engine, any_ocr)


MAX_POPPLER_PAGES = 500


def _has_images(page: object) -> bool:
    try:
        return len(page.images) > 0  # type: ignore[attr-defined]
    except Exception:  # an undecodable image is still an image
        return True


def raster_dpi(w_pt: float, h_pt: float) -> int:
    """The resolution a scanned page of ``w_pt`` × ``h_pt`` points is read at (its OCR boxes
    are in those pixels): DPI, lowered for a page larger than A4 so the raster stays under
    MAX_PAGE_PIXELS."""
    area_in2 = max(w_pt, 1.0) * max(h_pt, 1.0) / 72 / 72
    return max(36, min(DPI, int(math.sqrt(MAX_PAGE_PIXELS / area_in2))))


def _rasterise(path: Path, index: int, w_pt: float, h_pt: float):  # -> PIL.Image.Image
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise MissingDependencyError(
            "pdftoppm is needed to read scanned PDF pages", "apt-get install poppler-utils"
        )
    dpi = raster_dpi(w_pt, h_pt)
    n = str(index + 1)
    with tempfile.TemporaryDirectory(prefix="ek-pdf-") as tmp:
        prefix = Path(tmp) / "page"
        cmd = [exe, "-r", str(dpi), "-f", n, "-l", n, "-png", "-singlefile", str(path), str(prefix)]
        try:
            proc = subprocess.run(
                dies_with_us(cmd), capture_output=True, timeout=PDFTOPPM_TIMEOUT_S, check=False
            )
        except subprocess.TimeoutExpired as e:
            raise OcrError(
                _("{name}: rendering page {n} took too long").format(name=path, n=n),
                _(_RESAVE_HINT),
            ) from e
        out = prefix.with_suffix(".png")
        if proc.returncode != 0 or not out.exists():
            raise InputFileError(
                str(path), _("page {n} cannot be rendered").format(n=n), _(_RESAVE_HINT)
            )
        return load_image(out.read_bytes(), name=f"{path} page {n}")
