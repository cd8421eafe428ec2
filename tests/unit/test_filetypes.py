import io
from pathlib import Path

import pytest

from evidence_kit.errors import InputFileError
from evidence_kit.intake.filetypes import amr_duration, decode_text, inspect_file, sniff_mime
from evidence_kit.models import Kind
from tests.conftest import png_bytes


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def test_png_is_a_chat_with_size(tmp_path: Path) -> None:
    facts = inspect_file(write(tmp_path, "a.png", png_bytes(40, 30)), "a.png")
    assert facts.kind is Kind.CHAT and facts.mime == "image/png"
    assert facts.meta == {"width": 40, "height": 30}


def test_content_wins_over_name(tmp_path: Path) -> None:
    # A PNG named .dat is still an image; text named .png is an error (below).
    facts = inspect_file(write(tmp_path, "a.dat", png_bytes()), "a.dat")
    assert facts.kind is Kind.CHAT


def test_png_that_is_really_text(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match=r"named \.png but its content is text"):
        inspect_file(write(tmp_path, "x.png", "我是一段文字".encode()), "x.png")


def test_zero_bytes(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="empty"):
        inspect_file(write(tmp_path, "z.jpg", b""), "z.jpg")


def test_truncated_png(tmp_path: Path) -> None:
    from PIL import Image

    buf = io.BytesIO()
    Image.effect_noise((400, 400), 60).convert("RGB").save(buf, "PNG")
    data = buf.getvalue()
    with pytest.raises(InputFileError, match="truncated|damaged"):
        inspect_file(write(tmp_path, "t.png", data[: len(data) // 2]), "t.png")


def test_decompression_bomb(tmp_path: Path) -> None:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buf, "PNG")  # 400 MP, a few KB on disk
    assert len(buf.getvalue()) < 200_000
    with pytest.raises(InputFileError, match="megapixels|decompression bomb"):
        inspect_file(write(tmp_path, "bomb.png", buf.getvalue()), "bomb.png")


def test_encrypted_pdf(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(200, 200)
    w.encrypt(user_password="secret", owner_password="owner")
    buf = io.BytesIO()
    w.write(buf)
    with pytest.raises(InputFileError, match="password") as e:
        inspect_file(write(tmp_path, "bill.pdf", buf.getvalue()), "bill.pdf")
    assert "new PDF" in (e.value.hint or "")


def test_owner_password_only_pdf_opens(tmp_path: Path) -> None:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(200, 200)
    w.encrypt(user_password="", owner_password="owner")
    buf = io.BytesIO()
    w.write(buf)
    facts = inspect_file(write(tmp_path, "bill.pdf", buf.getvalue()), "bill.pdf")
    assert facts.meta["pages"] == 1


def test_broken_pdf(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="damaged PDF|no pages"):
        inspect_file(write(tmp_path, "b.pdf", b"%PDF-1.7\n garbage garbage"), "b.pdf")


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("gbk", "gbk"), ("utf-16", "utf-16"), ("utf-8-sig", "utf-8-sig")],
)
def test_notes_in_common_encodings(tmp_path: Path, encoding: str, expected: str) -> None:
    text = "2025年3月10日 14:20 催收员工号C1024来电，称逾期金额3,256.00元。"
    facts = inspect_file(write(tmp_path, "note.txt", text.encode(encoding)), "note.txt")
    assert facts.kind is Kind.NOTE
    assert facts.text is not None and facts.text.strip("\ufeff") == text
    assert facts.encoding == expected


def test_binary_is_a_document() -> None:
    assert decode_text(bytes(range(256)) * 4) is None


def test_wav_duration(tmp_path: Path) -> None:
    import wave

    p = tmp_path / "r.wav"
    with wave.open(str(p), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x00" * 8000 * 3)
    facts = inspect_file(p, "r.wav")
    assert facts.kind is Kind.RECORDING and facts.meta["duration_s"] == pytest.approx(3.0)


def test_amr_duration(tmp_path: Path) -> None:
    # 50 frames of AMR-NB mode 7 (12.2 kbit/s): header byte 0x3C + 31 bytes, 20 ms each.
    data = b"#!AMR\n" + (bytes([0x3C]) + bytes(31)) * 50
    p = write(tmp_path, "call.amr", data)
    assert amr_duration(p) == pytest.approx(1.0)
    assert inspect_file(p, "call.amr").meta["duration_s"] == pytest.approx(1.0)


def test_audio_named_file_that_is_not_audio(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="not a audio|not an audio|content is"):
        inspect_file(write(tmp_path, "r.m4a", png_bytes()), "r.m4a")


@pytest.mark.parametrize(
    ("head", "mime"),
    [
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00", "image/heic"),
        (b"\x00\x00\x00\x20ftypM4A \x00\x00", "audio/mp4"),
        (b"ID3\x04\x00", "audio/mpeg"),
        (b"#!AMR\n", "audio/amr"),
    ],
)
def test_sniff(head: bytes, mime: str) -> None:
    assert sniff_mime(head) == mime


def test_heic_photo_with_its_exif_date(tmp_path: Path) -> None:
    import pillow_heif
    from PIL import Image

    pillow_heif.register_heif_opener()
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = "2025:03:20 09:12:00"
    p = tmp_path / "IMG_0001.HEIC"
    Image.new("RGB", (64, 48), "red").save(p, exif=exif.tobytes())
    facts = inspect_file(p, p.name)
    assert (facts.kind, facts.mime, facts.exif_datetime) == (
        Kind.CHAT, "image/heic", "2025-03-20T09:12:00")
    assert facts.meta == {"width": 64, "height": 48}
