"""What a file is, decided from its bytes first and its name second; and whether it is sound.

``inspect_file`` opens the stored copy, never the user's file, and either returns a
``FileFacts`` or raises ``InputFileError`` with a plain explanation of what is wrong.
"""

from __future__ import annotations

import codecs
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evidence_kit.errors import InputFileError
from evidence_kit.models import Kind

# Above this many pixels an "image" is almost surely a decompression bomb, not a screenshot:
# a 1440 x 30000 scrolling screenshot is 43 MP.
MAX_IMAGE_PIXELS = 100_000_000
TEXT_SNIFF = 64 * 1024

IMAGE_EXTS = {".png", ".jpg", ".jpeg", ".webp", ".heic", ".heif", ".gif", ".bmp"}
AUDIO_EXTS = {".m4a", ".mp3", ".amr", ".wav", ".aac", ".ogg", ".opus", ".flac", ".3gp"}
TEXT_EXTS = {".txt", ".md", ".text", ".note", ".csv"}


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
    if head.startswith(b"%PDF-"):
        return "application/pdf"
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
    """Decode a note: BOMs, then UTF-8, then GB18030 (a superset of GBK). None if binary."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            return None
    if b"\x00" in data[:TEXT_SNIFF]:
        # UTF-16 without a BOM: every other byte NUL in ASCII-heavy text.
        for enc in ("utf-16-le", "utf-16-be"):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _looks_like_text(text):
                return text, enc
        return None
    for enc in ("utf-8", "gb18030"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, "gbk" if enc == "gb18030" else enc
    return None


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


def inspect_file(stored: Path, original_name: str) -> FileFacts:
    size = stored.stat().st_size
    if size == 0:
        raise InputFileError(
            original_name, "is empty (0 bytes)", "copy the file again from your phone"
        )
    with open(stored, "rb") as f:
        head = f.read(TEXT_SNIFF)
    mime = sniff_mime(head)
    ext = Path(original_name).suffix.lower()
    expected = _expected_family(ext)
    family = _family(mime)
    if expected and family != expected:
        article = "an" if expected == "image" else "a"
        what = "text" if mime is None and decode_text(head) else (mime or "unknown data")
        raise InputFileError(
            original_name,
            f"is named {ext} but its content is {what}, not {article} {expected}",
            "check that this is the right file; if it was renamed by mistake, "
            "give it its real extension",
        )
    if family == "image":
        return _inspect_image(stored, original_name, mime or "image/unknown")
    if family == "pdf":
        return _inspect_pdf(stored, original_name)
    if family == "audio":
        return _inspect_audio(stored, original_name, mime or "audio/unknown")
    if mime is None:
        data = stored.read_bytes() if size <= 8 * 1024 * 1024 else head
        decoded = decode_text(data)
        if decoded is not None:
            text, enc = decoded
            return FileFacts(Kind.NOTE, "text/plain", {"encoding": enc}, text=text, encoding=enc)
    return FileFacts(Kind.DOCUMENT, mime or "application/octet-stream")


def _inspect_image(path: Path, name: str, mime: str) -> FileFacts:
    from PIL import Image, UnidentifiedImageError

    if mime in ("image/heic", "image/avif"):
        try:
            import pillow_heif

            pillow_heif.register_heif_opener()
        except ImportError as e:  # pragma: no cover - pillow-heif is a dependency
            raise InputFileError(name, "is a HEIC photo", "pip install pillow-heif") from e
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                w, h = img.size
                if w * h > MAX_IMAGE_PIXELS:
                    raise InputFileError(
                        name,
                        f"is a {w}×{h} image ({w * h / 1e6:.0f} megapixels), far larger than "
                        "any screenshot or photo; it may be a decompression bomb",
                        "if it is real, resize it below 100 megapixels and ingest the copy",
                    )
                exif_dt = _exif_datetime(img)
                img.load()  # decodes everything: a truncated file fails here
    except InputFileError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise InputFileError(
            name,
            "is an image too large to open safely (decompression bomb?)",
            "if it is real, resize it and ingest the copy",
        ) from e
    except UnidentifiedImageError as e:
        raise InputFileError(
            name,
            "looks like an image but cannot be read (damaged or an unknown format)",
            "open it on your phone or computer; if it shows, save or export a new copy",
        ) from e
    except (OSError, SyntaxError, ValueError) as e:
        msg = str(e)
        if "truncated" in msg.lower():
            raise InputFileError(
                name,
                "is a truncated image (the end of the file is missing)",
                "copy it again from the phone; the transfer was probably interrupted",
            ) from e
        raise InputFileError(
            name, f"is a damaged image ({msg})", "copy it again from the original device"
        ) from e
    return FileFacts(Kind.CHAT, mime, {"width": w, "height": h}, exif_datetime=exif_dt)


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


def _inspect_pdf(path: Path, name: str) -> FileFacts:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception as e:  # pypdf raises several types for unsupported crypto
                raise InputFileError(
                    name,
                    f"is an encrypted PDF that cannot be opened ({e})",
                    "open it with its password and print/save it as a new PDF, then ingest that",
                ) from e
            if not ok:
                raise InputFileError(
                    name,
                    "is protected by a password",
                    "open it with its password and print/save it as a new PDF "
                    "(or: qpdf --decrypt --password=… in.pdf out.pdf), then ingest that",
                )
        pages = len(reader.pages)
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
    except InputFileError:
        raise
    except (PdfReadError, OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise InputFileError(
            name,
            f"is a damaged PDF ({e})",
            "open it in a PDF reader; if it shows, print/save it as a new PDF and ingest that",
        ) from e
    if pages == 0:
        raise InputFileError(name, "is a PDF with no pages", "check that the download completed")
    return FileFacts(Kind.DOCUMENT, "application/pdf", {"pages": pages}, pdf_datetime=created)


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
                duration = float(audio.info.length)
        except Exception as e:  # mutagen raises many types on damaged files
            raise InputFileError(
                name, f"is a damaged audio file ({e})", "copy the recording again from the phone"
            ) from e
    if duration is not None:
        meta["duration_s"] = round(duration, 2)
    return FileFacts(Kind.RECORDING, mime, meta)


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
    return frames * 0.02
