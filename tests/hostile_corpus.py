"""A generated hostile corpus: one or more files for each class of trouble in issue 11.

``build(root)`` writes the files and returns what each must give: the ingest status and a
fragment of its error or warning (``None``: anything). Every file is made here from scratch —
nothing is copied from another project.
"""

from __future__ import annotations

import io
import json
import os
import struct
import wave
from dataclasses import dataclass
from pathlib import Path

NOTE_ZH_HANS = "时间：2025年3月10日 14:20\n催收员来电，说要联系我的单位。我说我正在筹钱，下个月还款三千元。\n"
NOTE_ZH_HANT = "時間：2025年3月10日 14:20\n催收員來電，說要聯繫我的單位。我說我正在籌錢，下個月還款三千元。\n"
NOTE_JA = "日時：2025年3月10日 14:20\n督促の電話がありました。来月に返済すると伝えました。\n"


@dataclass(frozen=True)
class Expect:
    status: str  # ingested / failed
    fragment: str | None = None  # in the error (failed) or the warning (ingested)
    kind: str | None = None


def png(width: int = 64, height: int = 48, color: str = "white") -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buf, "PNG")
    return buf.getvalue()


def pdf(pages: int = 1, *, text: str | None = None) -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    for _ in range(pages):
        w.add_blank_page(200, 200)
    if text:
        w.add_metadata({"/Title": text})
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def encrypted_pdf(user: str, algorithm: str) -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(200, 200)
    w.encrypt(user_password=user, owner_password="owner-secret", algorithm=algorithm)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def kit_package() -> bytes:
    """A PDF carrying the kit's manifest, as ``bundle`` writes it."""
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(200, 200)
    manifest = {"format": "evidence-kit-bundle/1", "exhibits": []}
    w.add_attachment("manifest.json", json.dumps(manifest).encode("utf-8"))
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def wav(seconds: float, *, keep: float = 1.0) -> bytes:
    """A WAV whose header says ``seconds``; only ``keep`` of its samples are present."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x01\x00" * int(8000 * seconds))
    data = buf.getvalue()
    return data[: 44 + int((len(data) - 44) * keep)]


def tiff_pages(n: int) -> bytes:
    from PIL import Image

    pages = [Image.new("RGB", (120, 160), c) for c in ("white", "gray", "black")[:n]]
    buf = io.BytesIO()
    pages[0].save(buf, "TIFF", save_all=True, append_images=pages[1:])
    return buf.getvalue()


def icns() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (64, 64), "blue").save(buf, "ICNS")
    return buf.getvalue()


def psd_like() -> bytes:
    """The header of a Photoshop file followed by binary data: never a note."""
    header = b"8BPS" + struct.pack(">H6xHIIHH", 1, 3, 64, 64, 8, 3)
    return header + bytes(range(256)) * 8


def bmp_unsupported() -> bytes:
    """A BMP with a header size no reader knows (Pillow: 'Unsupported BMP header type')."""
    body = struct.pack("<I", 20) + bytes(16)
    return b"BM" + struct.pack("<IHHI", 14 + len(body) + 16, 0, 0, 14 + len(body)) + body + bytes(16)


def build(root: Path) -> dict[str, Expect]:
    root.mkdir(parents=True, exist_ok=True)
    out: dict[str, Expect] = {}

    def put(name: str, data: bytes, expect: Expect) -> None:
        (root / name).write_bytes(data)
        out[name] = expect

    # Encrypted PDFs: empty user password (AES-128, AES-256, RC4) open; a real password does not.
    put("aes128_open.pdf", encrypted_pdf("", "AES-128"), Expect("ingested", kind="document"))
    put("aes256_open.pdf", encrypted_pdf("", "AES-256"), Expect("ingested", kind="document"))
    put("rc4_open.pdf", encrypted_pdf("", "RC4-128"), Expect("ingested", kind="document"))
    put("aes_locked.pdf", encrypted_pdf("pw", "AES-256"), Expect("failed", "password"))
    # Junk before %PDF (mail gateways, broken downloads) is fine for every reader.
    put("junk_before.pdf", b"\r\n<html>junk</html>\n" + pdf(2), Expect("ingested"))
    put("damaged.pdf", b"%PDF-1.4\n1 0 obj<</Kids 5>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF",
        Expect("failed", "damaged PDF"))  # fmt: skip
    # The kit's own package, lying in the case folder: recognised by its manifest.
    put("投诉书_旧.pdf", kit_package(), Expect("failed", "package made by evidence-kit"))
    # Images: corrupt ones are refused or flagged, never silently a chat.
    good = png(80, 60, "green")
    i = good.index(b"IDAT") + 8
    put("broken_stream.png", good[:i] + bytes(24) + good[i + 24 :], Expect("failed", "damaged"))
    put("cut_end.png", png(81, 60, "green")[:-6], Expect("ingested", "end of this PNG"))
    put("real_png.mp3", png(82, 60, "red"), Expect("failed", "named .mp3"))
    put("same_bytes.png", png(82, 60, "red"), Expect("ingested", kind="chat"))
    put("fax.tiff", tiff_pages(3), Expect("ingested", kind="document"))
    put("icon.icns", icns(), Expect("ingested"))
    put("design.psd", psd_like(), Expect("failed", None))
    put("odd.bmp", bmp_unsupported(), Expect("failed", "format the kit cannot read"))
    # Notes in encodings a Chinese/Japanese phone or PC writes.
    put("big5.txt", NOTE_ZH_HANT.encode("big5"), Expect("ingested", kind="note"))
    put("utf16be.txt", NOTE_ZH_HANS.encode("utf-16-be"), Expect("ingested", kind="note"))
    put("utf16le.txt", NOTE_ZH_HANS.encode("utf-16-le"), Expect("ingested", kind="note"))
    put("sjis.txt", NOTE_JA.encode("shift_jis"), Expect("ingested", kind="note"))
    put("gbk.txt", NOTE_ZH_HANS.encode("gbk"), Expect("ingested", kind="note"))
    put("binary.dat", os.urandom(4096) + bytes(4096), Expect("ingested", kind="document"))
    # Audio whose header promises more than the file holds.
    put("header_only.wav", wav(5.0, keep=0.0), Expect("ingested", kind="recording"))
    put("truncated.wav", wav(5.0, keep=0.2), Expect("ingested", kind="recording"))
    # A file name that is not UTF-8 (unzip of a Chinese Windows zip writes GBK bytes).
    gbk_name = os.fsdecode("通话记录".encode("gbk") + b".txt")
    (root / gbk_name).write_text("3月10日 催收来电，要求还款5000元", "utf-8")
    out[gbk_name] = Expect("ingested", kind="note")
    return out
