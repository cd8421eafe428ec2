"""What a file is, decided from its bytes first and its name second; and whether it is sound.

``inspect_file`` opens the stored copy, never the user's file, and either returns a
``FileFacts`` or raises ``InputFileError`` with a plain explanation of what is wrong.
"""

from __future__ import annotations

import codecs
import os
import struct
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from struct import error as struct_error
from typing import Any

from evidence_kit.errors import InputFileError
from evidence_kit.i18n import _
from evidence_kit.models import Kind

# Above this many pixels an "image" is almost surely a decompression bomb, not a screenshot:
# a 1440 x 30000 scrolling screenshot is 43 MP.
MAX_IMAGE_PIXELS = 100_000_000
TEXT_SNIFF = 64 * 1024

IMAGE_EXTS = {
    ".png", ".jpg", ".jpeg", ".webp", ".heic", ".heif", ".gif", ".bmp", ".tif", ".tiff", ".psd",
    ".icns", ".ico",
}  # fmt: skip
# Readers accept a PDF whose header starts within the first 1024 bytes (junk before it).
PDF_HEADER_WINDOW = 1024
# Below this many bytes an encoding guess is a guess: the note is kept, its date not trusted.
CONFIDENT_TEXT_BYTES = 24
AUDIO_EXTS = {".m4a", ".mp3", ".amr", ".wav", ".aac", ".ogg", ".opus", ".flac", ".3gp"}
TEXT_EXTS = {".txt", ".md", ".text", ".note", ".csv"}


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str
    confident: bool  # False: the encoding was a guess; the note's own date is not trusted


@dataclass(frozen=True)
class FileFacts:
    kind: Kind
    mime: str
    meta: dict[str, Any] = field(default_factory=dict)
    exif_datetime: str | None = None  # naive ISO from EXIF DateTimeOriginal (+ offset if given)
    pdf_datetime: str | None = None
    text: str | None = None  # decoded text for notes
    encoding: str | None = None


def sniff_mime(head: bytes) -> str | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif"):
            return "image/heic" if brand != b"avif" else "image/avif"
        if brand in (b"M4A ", b"M4B ", b"isom", b"mp42", b"mp41", b"dash", b"3gp4", b"3gp5"):
            return "audio/mp4"
        return "video/mp4"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head.startswith(b"BM") and len(head) > 14:
        return "image/bmp"
    if head.startswith(b"%PDF-") or b"%PDF-" in head[:PDF_HEADER_WINDOW]:
        return "application/pdf"
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return "image/tiff"
    if head.startswith(b"8BPS"):
        return "image/vnd.adobe.photoshop"
    if head.startswith(b"icns"):
        return "image/icns"
    if head.startswith(b"\x00\x00\x01\x00") and len(head) > 6 and head[4] > 0:
        return "image/x-icon"
    if head.startswith(b"#!AMR"):
        return "audio/amr"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF8)):
        return None  # text; UTF-16's FF FE would otherwise pass for an MPEG frame sync
    # MPEG audio frame sync, layer III only (the only layer phones write).
    if head.startswith(b"ID3") or (
        len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and (head[1] >> 1) & 3 == 1
    ):
        return "audio/mpeg"
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if head.startswith(b"fLaC"):
        return "audio/flac"
    if head.startswith(b"PK\x03\x04"):
        return "application/zip"
    return None


def decode_text(data: bytes) -> tuple[str, str] | None:
    """Decode a note; None if it is binary. See ``decode_note`` for the confidence."""
    decoded = decode_note(data)
    return (decoded.text, decoded.encoding) if decoded else None


def decode_note(data: bytes) -> DecodedText | None:
    """BOMs, then strict UTF-8, then charset-normalizer's best guess (GB18030, Big5, Shift-JIS,
    UTF-16 without a BOM …) on a sample. None if the bytes are binary."""
    if data.startswith(codecs.BOM_UTF8):
        return DecodedText(data[3:].decode("utf-8", errors="replace"), "utf-8-sig", True)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return DecodedText(data.decode("utf-16"), "utf-16", True)
        except UnicodeDecodeError:
            return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        # A cut at the end of the sniffed head is not a reason to doubt UTF-8.
        if len(data) - e.start < 4 and e.reason == "unexpected end of data":
            text = data[: e.start].decode("utf-8")
        else:
            text = ""
    if text:
        if not _looks_like_text(text):
            return None
        return DecodedText(data.decode("utf-8", errors="ignore"), "utf-8", True)
    from charset_normalizer import from_bytes

    sample = _sample(data)
    best = from_bytes(sample).best()
    if best is None and len(sample) < len(data):
        best = from_bytes(sample[:-1]).best()  # one line, cut inside a two-byte character
    if best is None:
        return None
    encoding = _ENCODING_NAMES.get(best.encoding, best.encoding)
    text = data.decode(best.encoding, errors="replace")
    if not _looks_like_text(text):
        return None
    confident = best.chaos <= 0.1 and len(data) >= CONFIDENT_TEXT_BYTES
    return DecodedText(text, encoding, confident)


def _sample(data: bytes) -> bytes:
    """The head of a long note, cut where no multi-byte character can be split: after its last
    newline (GBK/Big5/Shift-JIS trail bytes are never 0x0A), at an even length for UTF-16."""
    if len(data) <= TEXT_SNIFF:
        return data
    head = data[:TEXT_SNIFF]
    if b"\x00" in head:
        return head[: len(head) - len(head) % 2]
    cut = head.rfind(b"\n")
    return head[: cut + 1] if cut > TEXT_SNIFF // 2 else head


# charset-normalizer's codec names as people know them.
_ENCODING_NAMES = {"gb18030": "gbk", "cp932": "shift_jis", "utf_16_be": "utf-16-be",
                   "utf_16_le": "utf-16-le", "big5": "big5", "cp950": "big5"}  # fmt: skip


def _looks_like_text(text: str) -> bool:
    sample = text[:TEXT_SNIFF]
    if not sample:
        return False
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t\f")
    return bad / len(sample) < 0.01


def _expected_family(ext: str) -> str | None:
    if ext in IMAGE_EXTS:
        return "image"
    if ext == ".pdf":
        return "pdf"
    if ext in AUDIO_EXTS:
        return "audio"
    return None


def _family(mime: str | None) -> str | None:
    if mime is None:
        return None
    if mime.startswith("image/"):
        return "image"
    if mime == "application/pdf":
        return "pdf"
    if mime.startswith("audio/") or mime == "video/mp4":
        return "audio"
    return None


def check_name(stored: Path, original_name: str) -> None:
    """Refuse a file whose name promises another family than its bytes (a PNG named .mp3).

    Decided from the name and the bytes alone, so a re-run, or a copy with the same bytes,
    gets the same answer."""
    with open(stored, "rb") as f:
        head = f.read(TEXT_SNIFF)
    mime = sniff_mime(head)
    ext = Path(original_name).suffix.lower()
    expected = _expected_family(ext)
    if expected and _family(mime) != expected:
        what = (
            _("text") if mime is None and decode_text(head) else (mime or _("unknown data"))
        )
        raise InputFileError(
            original_name,
            _("is named {ext} but its content is {what}, not {expected}").format(
                ext=ext, what=what, expected=_FAMILY_WORDS[expected]()
            ),
            _(
                "check that this is the right file; if it was renamed by mistake, "
                "give it its real extension"
            ),
        )


_FAMILY_WORDS = {
    "image": lambda: _("an image"),
    "pdf": lambda: _("a pdf"),
    "audio": lambda: _("an audio recording"),
}


def inspect_file(stored: Path, original_name: str, debug_log: Path | None = None) -> FileFacts:
    """What ``stored`` is. C libraries under Pillow (libtiff) print warnings straight to
    file descriptor 2; while the file is decoded they go to ``debug_log`` (or nowhere)."""
    with _c_stderr_to(debug_log):
        return _inspect(stored, original_name)


@contextmanager
def _c_stderr_to(log: Path | None) -> Iterator[None]:
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        yield  # no usable stderr: nothing to protect
        return
    try:
        target = str(log) if log is not None else os.devnull
        try:
            if log is not None:
                log.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        except OSError:
            fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 2)
        os.close(fd)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _inspect(stored: Path, original_name: str) -> FileFacts:
    size = stored.stat().st_size
    if size == 0:
        raise InputFileError(
            original_name, _("is empty (0 bytes)"), _("copy the file again from your phone")
        )
    check_name(stored, original_name)
    with open(stored, "rb") as f:
        head = f.read(TEXT_SNIFF)
    mime = sniff_mime(head)
    family = _family(mime)
    if family == "image":
        return _inspect_image(stored, original_name, mime or "image/unknown")
    if family == "pdf":
        return _inspect_pdf(stored, original_name)
    if family == "audio":
        return _inspect_audio(stored, original_name, mime or "audio/unknown")
    if mime is None:
        other = _other_image(stored, original_name)
        if other is not None:
            return other
        with open(stored, "rb") as f:
            # More than the sniffed head, so that a long note's sample can end at a newline.
            decoded = decode_note(f.read(4 * TEXT_SNIFF))
        if decoded is not None:
            meta: dict[str, Any] = {"encoding": decoded.encoding}
            if not decoded.confident:
                meta["encoding_guessed"] = True
            return FileFacts(
                Kind.NOTE, "text/plain", meta, text=decoded.text, encoding=decoded.encoding
            )
    return FileFacts(Kind.DOCUMENT, mime or "application/octet-stream")


def _other_image(path: Path, name: str) -> FileFacts | None:
    """A format with no signature we sniff (TGA, PCX, PPM …): an image if Pillow reads it."""
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(path) as img:
                fmt = (img.format or "").upper()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        return None
    except Exception:  # a plugin's own bug on non-image bytes: not an image
        return None
    if fmt in _TEXTLIKE_FORMATS:
        return None  # XBM/XPM are C source; a note that parses as one is still a note
    return _inspect_image(path, name, f"image/x-{fmt.lower() or 'unknown'}")


_TEXTLIKE_FORMATS = {"XBM", "XPM"}


def _inspect_image(path: Path, name: str, mime: str) -> FileFacts:
    from PIL import Image, UnidentifiedImageError

    if mime in ("image/heic", "image/avif"):
        try:
            import pillow_heif

            pillow_heif.register_heif_opener()
        except ImportError as e:  # pragma: no cover - pillow-heif is a dependency
            raise InputFileError(name, _("is a HEIC photo"), "pip install pillow-heif") from e
    frames = 1
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            warnings.simplefilter("ignore", UserWarning)  # e.g. "Corrupt EXIF data"
            with Image.open(path) as img:
                w, h = img.size
                if w * h > MAX_IMAGE_PIXELS:
                    raise InputFileError(
                        name,
                        _(
                            "is a {w}×{h} image ({mp} megapixels), far larger than any "
                            "screenshot or photo; it may be a decompression bomb"
                        ).format(w=w, h=h, mp=f"{w * h / 1e6:.0f}"),
                        _("if it is real, resize it below 100 megapixels and ingest the copy"),
                    )
                exif_dt = _exif_datetime(img)
                # Pages of a TIFF are read one by one (a fax scan); the other frames of an
                # animation, an MPO or a PSD's layers are not, so only the first is decoded.
                frames = int(getattr(img, "n_frames", 1) or 1) if img.format == "TIFF" else 1
                # Decode every pixel of every page read: a truncated or corrupt file fails
                # here, not later as an empty "chat".
                for index in range(min(frames, MAX_FRAMES)):
                    if index:  # seek(0) of a PSD goes to its first layer, not the image
                        img.seek(index)
                    _check_frame(img, name)
                    img.load()
    except InputFileError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise InputFileError(
            name,
            _("is an image too large to open safely (decompression bomb?)"),
            _("if it is real, resize it and ingest the copy"),
        ) from e
    except UnidentifiedImageError as e:
        if mime in _SIGNED_FORMATS:  # its signature says PNG/JPEG/…, but no reader takes it
            raise InputFileError(
                name,
                _("is a damaged image (its picture data cannot be decoded)"),
                _("copy it again from the original device"),
            ) from e
        raise _unsupported(name, mime) from e
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, struct_error) as e:
        msg = str(e).lower()
        if any(w in msg for w in _UNSUPPORTED_WORDS):
            raise _unsupported(name, mime) from e
        if "truncated" in msg or isinstance(e, EOFError):
            raise InputFileError(
                name,
                _("is a truncated image (the end of the file is missing)"),
                _("copy it again from the phone; the transfer was probably interrupted"),
            ) from e
        raise InputFileError(
            name,
            _("is a damaged image (its picture data cannot be decoded)"),
            _("copy it again from the original device"),
        ) from e
    meta: dict[str, Any] = {"width": w, "height": h}
    if frames > 1:
        meta["pages"] = frames
    problem = _png_problem(path) if mime == "image/png" else None
    if problem == "crc":
        raise InputFileError(
            name,
            _("is a damaged image (its picture data cannot be decoded)"),
            _("copy it again from the original device"),
        )
    if problem == "end":
        meta["intake_warning"] = _(
            "the end of this PNG file is missing; the picture itself is complete, but the copy "
            "may be cut short: copy it again from the phone if you can"
        )
    # Multi-page scans (TIFF fax pages) and design files are documents, not chat screenshots.
    kind = Kind.DOCUMENT if frames > 1 or mime == "image/tiff" else Kind.CHAT
    return FileFacts(kind, mime, meta, exif_datetime=exif_dt)


def _png_problem(path: Path) -> str | None:
    """"crc" when a chunk's checksum is wrong (Pillow does not check image data chunks),
    "end" when the file stops before its IEND chunk, None for a whole PNG."""
    import zlib

    with open(path, "rb") as f:
        f.seek(8)
        while True:
            head = f.read(8)
            if len(head) < 8:
                return "end"
            length, ctype = struct.unpack(">I4s", head)
            data = f.read(length)
            crc = f.read(4)
            if len(data) < length or len(crc) < 4:
                return "end"
            if zlib.crc32(ctype + data) != struct.unpack(">I", crc)[0]:
                return "crc"
            if ctype == b"IEND":
                return None


# A multi-page TIFF beyond this many pages is read up to it.
MAX_FRAMES = 200


_SIGNED_FORMATS = {"image/png", "image/jpeg", "image/gif", "image/webp"}
# Pillow's words for "I know this format but cannot decode it here" (stub plugins for GRIB,
# HDF5, WMF; EPS without Ghostscript; TIFF compressions libtiff was built without).
_UNSUPPORTED_WORDS = (
    "unsupported", "not supported", "unknown", "not installed", "no handler", "loader",
    "ghostscript", "not configured", "cannot identify",
)  # fmt: skip


def _check_frame(img: Any, name: str) -> None:
    w, h = img.size
    if w * h > MAX_IMAGE_PIXELS:
        raise InputFileError(
            name,
            _("has a page of {w}×{h} pixels, too large to read safely").format(w=w, h=h),
            _("if it is real, resize it below 100 megapixels and ingest the copy"),
        )


def _unsupported(name: str, mime: str) -> InputFileError:
    return InputFileError(
        name,
        _("is an image in a format the kit cannot read ({mime})").format(mime=mime),
        _("open it on your phone or computer and save or export it as PNG or JPEG, "
          "then ingest that copy"),
    )  # fmt: skip


def _exif_datetime(img: Any) -> str | None:
    try:
        exif = img.getexif()
        sub = exif.get_ifd(0x8769)
    except Exception:  # EXIF in the wild is often malformed; it is a hint, not evidence
        return None
    raw = sub.get(0x9003) or sub.get(0x9004) or exif.get(0x0132)
    if not isinstance(raw, str):
        return None
    raw = raw.strip().rstrip("\x00")
    try:
        date_part, time_part = raw.split(" ", 1)
        y, mo, d = (int(x) for x in date_part.split(":"))
        hh, mm, ss = (int(float(x)) for x in time_part.split(":")[:3])
        from datetime import datetime

        iso = datetime(y, mo, d, hh, mm, ss).isoformat()
    except (ValueError, TypeError):
        return None
    offset = sub.get(0x9011) or sub.get(0x9010)
    if isinstance(offset, str) and len(offset.strip()) == 6:
        iso += offset.strip()
    return iso


# The kit's own packages carry this attachment (bundle/manifest.py: MANIFEST_NAME, FORMAT).
KIT_MANIFEST_NAME = "manifest.json"
KIT_FORMAT_PREFIX = b"evidence-kit-bundle/"
_PDF_REOPEN_HINT = (
    "open it in a PDF reader; if it shows, print or save it as a new PDF and ingest that"
)


def _inspect_pdf(path: Path, name: str) -> FileFacts:
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception as e:  # pypdf raises several types for unsupported crypto
                raise InputFileError(
                    name,
                    _("is an encrypted PDF that cannot be opened"),
                    _("open it with its password and print/save it as a new PDF, then ingest that"),
                ) from e
            if not ok:
                raise InputFileError(
                    name,
                    _("is protected by a password"),
                    _(
                        "open it with its password and print/save it as a new PDF "
                        "(or: qpdf --decrypt --password=… in.pdf out.pdf), then ingest that"
                    ),
                )
        pages = len(reader.pages)
        package = is_kit_package(reader)
        meta = reader.metadata
        created = None
        if meta is not None:
            for attr in ("creation_date", "modification_date"):
                try:
                    value = getattr(meta, attr)
                except Exception:  # malformed date strings are common
                    value = None
                if value is not None:
                    created = value.isoformat()
                    break
    except InputFileError as e:
        return _poppler_fallback(path, name, e)
    except Exception as e:  # pypdf raises many types on broken files; its words are jargon
        refused = InputFileError(name, _("is a damaged PDF"), _(_PDF_REOPEN_HINT))
        return _poppler_fallback(path, name, refused, e)
    if package:
        raise InputFileError(
            name,
            _("is a package made by evidence-kit, not evidence"),
            _("keep packages outside the case folder or in its evidence-kit-output folder"),
        )
    if pages == 0:
        raise InputFileError(
            name, _("is a PDF with no pages"), _("check that the download completed")
        )
    return FileFacts(Kind.DOCUMENT, "application/pdf", {"pages": pages}, pdf_datetime=created)


def _poppler_fallback(
    path: Path, name: str, refused: InputFileError, cause: Exception | None = None
) -> FileFacts:
    """pypdf gave up; if poppler opens it without a password (as a reader would), it is a PDF
    to read. Otherwise pypdf's refusal stands."""
    from evidence_kit.ocr.pdf import poppler_page_count

    pages = poppler_page_count(path)
    if pages is None:
        raise refused from cause
    return FileFacts(Kind.DOCUMENT, "application/pdf", {"pages": pages, "read_by": "poppler"})


def is_kit_package(reader: Any) -> bool:
    """True for a PDF that carries the kit's own manifest (a package, wherever it lies)."""
    try:
        files = reader.attachments
        raw = files.get(KIT_MANIFEST_NAME) if files else None
    except Exception:  # a broken name tree: not ours
        return False
    return bool(raw) and KIT_FORMAT_PREFIX in bytes(raw[0])[:4096]  # type: ignore[index]


def _inspect_audio(path: Path, name: str, mime: str) -> FileFacts:
    meta: dict[str, Any] = {}
    duration = None
    if mime == "audio/amr":
        duration = amr_duration(path)
    else:
        try:
            import mutagen

            audio = mutagen.File(path)
            if audio is not None and audio.info is not None:
                duration = _real_duration(audio.info, path.stat().st_size)
        except Exception as e:  # mutagen raises many types on damaged files
            raise InputFileError(
                name,
                _("is a damaged audio file"),
                _("copy the recording again from the phone"),
            ) from e
    if duration is not None:
        meta["duration_s"] = round(duration, 2)
    return FileFacts(Kind.RECORDING, mime, meta)


def _real_duration(info: Any, size: int) -> float | None:
    """The header's length, but never more than the bytes present can hold: a truncated or
    header-only file says 5 s and holds none. None when there is no sound to speak of."""
    length = float(getattr(info, "length", 0) or 0)
    bitrate = float(getattr(info, "bitrate", 0) or 0)  # bits per second
    if bitrate > 0:
        length = min(length, size * 8 / bitrate)
    return length if length >= 0.05 else None


# AMR-NB frame sizes (bytes, without the header byte) by frame type; 20 ms per frame.
_AMR_NB = [12, 13, 15, 17, 19, 20, 26, 31, 5, 0, 0, 0, 0, 0, 0, 0]
_AMR_WB = [17, 23, 32, 36, 40, 46, 50, 58, 60, 5, 0, 0, 0, 0, 0, 0]


def amr_duration(path: Path) -> float | None:
    data = path.read_bytes()
    if data.startswith(b"#!AMR-WB\n"):
        pos, sizes = 9, _AMR_WB
    elif data.startswith(b"#!AMR\n"):
        pos, sizes = 6, _AMR_NB
    else:
        return None
    frames = 0
    while pos < len(data):
        ft = (data[pos] >> 3) & 0x0F
        pos += 1 + sizes[ft]
        frames += 1
    return frames * 0.02 if frames else None
