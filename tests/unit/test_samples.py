"""The fictional demo case in samples/: reproducible, coherent, and rendered with true labels."""

from __future__ import annotations

import hashlib
import sys
import wave
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import Image

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
TEMPLATE = Path(__file__).resolve().parents[2] / "src" / "evidence_kit" / "data" / "case.toml"
sys.path.insert(0, str(SAMPLES))

import make_samples  # noqa: E402
import render  # noqa: E402

# Which tools decide each kind's exact bytes (see make_samples.MADE_WITH).
BYTES_DEPEND_ON = {
    ".txt": (),
    ".toml": (),
    ".png": ("pillow", "freetype2", "zlib"),
    ".jpg": ("pillow", "freetype2", "libjpeg_turbo"),
    ".pdf": ("reportlab",),
    ".wav": ("espeak-ng",),
    ".m4a": ("espeak-ng", "ffmpeg"),
}
GENERATED = sorted(
    p.name for p in SAMPLES.iterdir() if p.suffix in BYTES_DEPEND_ON and not p.name.startswith("_")
)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    make_samples.main(["--out", str(out)])
    return out


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# ---------------------------------------------------------------- reproducibility


def test_every_kind_of_evidence_is_committed() -> None:
    suffixes = {Path(n).suffix for n in GENERATED}
    assert suffixes >= {".png", ".jpg", ".pdf", ".txt", ".toml", ".wav"}


@pytest.mark.parametrize("name", GENERATED)
def test_make_samples_reproduces_committed_file(regenerated: Path, name: str) -> None:
    made = regenerated / name
    if Path(name).suffix in (".wav", ".m4a") and make_samples.toolchain()["espeak-ng"] is None:
        pytest.skip("espeak-ng not installed: the recording is not regenerated")
    assert made.is_file(), f"make_samples.py no longer writes {name}"
    here, there = make_samples.toolchain(), make_samples.MADE_WITH
    differing = [t for t in BYTES_DEPEND_ON[Path(name).suffix] if here[t] != there[t]]
    if differing:
        pytest.skip(f"bytes depend on {differing}, whose versions differ from the committed run")
    assert sha256(made) == sha256(SAMPLES / name), f"{name}: rerun python samples/make_samples.py"


def test_make_samples_writes_nothing_uncommitted(regenerated: Path) -> None:
    assert sorted(p.name for p in regenerated.iterdir()) == GENERATED


def test_samples_folder_stays_small() -> None:
    sizes = {p.name: p.stat().st_size for p in SAMPLES.iterdir() if p.is_file()}
    assert sum(sizes.values()) < 3_000_000
    assert max(sizes.values()) < 400_000, sizes


# ---------------------------------------------------------------- case.toml


def keys(table: dict, prefix: str = "") -> set[str]:
    out = set()
    for key, value in table.items():
        out.add(prefix + key)
        if isinstance(value, dict):
            out |= keys(value, f"{prefix}{key}.")
    return out


def test_case_toml_has_every_template_key_filled() -> None:
    template = tomllib.loads(TEMPLATE.read_text(encoding="utf-8"))
    case = tomllib.loads((SAMPLES / "case.toml").read_text(encoding="utf-8"))
    missing = keys(template) - keys(case)
    assert not missing
    # Everything a complaint needs is filled; only the not-yet-filed court case number and the
    # optional LPR override (the shipped LPR table is used) are blank.
    optional = {"court.case_no", "loan.lpr_override"}
    empty = {
        k
        for k in keys(case)
        if not isinstance(v := _get(case, k), bool) and v in ("", [], 0) and k not in optional
    }
    assert empty == set()
    for section, template_section in template.items():
        for key, value in template_section.items():
            assert type(case[section][key]) is type(value), f"{section}.{key}"


def _get(table: dict, dotted: str):
    for part in dotted.split("."):
        table = table[part]
    return table


def test_case_toml_loan_matches_the_story() -> None:
    case = tomllib.loads((SAMPLES / "case.toml").read_text(encoding="utf-8"))
    loan = case["loan"]
    assert (loan["lender_type"], loan["contract_amount"], loan["received_amount"]) == (
        "consumer-finance",
        "10000.00",
        "9700.00",
    )
    assert (loan["received_date"], loan["term_months"]) == ("2024-06-15", 12)
    installments = [p for p in loan["payments"] if p["kind"] == "installment"]
    assert [p["date"] for p in installments] == [f"2024-{m:02d}-15" for m in range(7, 12)]
    assert {p["amount"] for p in installments} == {"958.33"}
    assert case["debt"]["overdue_amount"] == "3256.00"
    assert case["debt"]["penalty"] == "128.50"
    assert "示例" in case["respondent"]["company"]  # never a real company


def test_fictional_id_number_passes_the_checksum() -> None:
    number = tomllib.loads((SAMPLES / "case.toml").read_text(encoding="utf-8"))["complainant"][
        "id_number"
    ]
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(c) * w for c, w in zip(number[:17], weights)) % 11]
    assert number.startswith("11010119900307") and number[17] == check


def test_overdue_parts_add_up() -> None:
    parts = make_samples.overdue()
    assert str(parts["total"]) == "3256.00"
    plan = make_samples.plan()
    assert sum(a for _, a in plan) == parts["total"] - make_samples.PENALTY
    assert [str(a) for _, a in plan[:5]] == ["560.00"] * 5


# ---------------------------------------------------------------- other files


def test_gbk_note_is_not_utf8() -> None:
    raw = (SAMPLES / "通话记录_2025-03-14_gbk.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("gbk")
    assert "工号 C1024" in text and "联系你的家人和单位" in text


def test_utf8_note_names_collector_and_contract() -> None:
    text = (SAMPLES / "通话记录_2025-03-10.txt").read_text(encoding="utf-8")
    assert "C1024" in text and "FQL2024061500123" in text and "电话" in text


def test_recording_is_a_short_phone_quality_wav() -> None:
    with wave.open(str(SAMPLES / "录音_20250314_2215.wav"), "rb") as w:
        seconds = w.getnframes() / w.getframerate()
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (8000, 1, 2)
    assert 11.5 < seconds < 13.0


def test_m4a_has_the_same_duration_as_the_wav() -> None:
    mutagen_mp4 = pytest.importorskip("mutagen.mp4")
    m4a = SAMPLES / "录音_20250314_2215.m4a"
    if not m4a.exists():
        pytest.skip("no m4a (ffmpeg was missing when the samples were made)")
    assert 11.5 < mutagen_mp4.MP4(m4a).info.length < 13.2


def test_photo_has_exif_date_time_original() -> None:
    with Image.open(SAMPLES / "IMG_20250320_091200.jpg") as img:
        exif = img.getexif()
    assert exif.get_ifd(0x8769)[0x9003] == "2025:03:20 09:12:00"


def test_mmexport_name_is_the_export_day_in_china() -> None:
    ms = int("1741852800000")
    moment = datetime.fromtimestamp(ms / 1000, timezone(timedelta(hours=8)))
    assert moment.date().isoformat() == "2025-03-13"
    assert (SAMPLES / f"mmexport{ms}.jpg").exists()


def test_bill_pdf_has_text_layer_and_creation_date() -> None:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(SAMPLES / "账单_2025年3月.pdf")
    text = "".join(page.extract_text() for page in reader.pages)
    for needle in ("FQL2024061500123", "¥10,000.00", "¥9,700.00", "逾期金额合计", "¥3,256.00"):
        assert needle in text
    assert str(reader.metadata["/CreationDate"]).startswith("D:20250301")


# ---------------------------------------------------------------- renderer

CHAT = [
    {"type": "time", "text": "昨天 22:08"},
    {
        "side": "them",
        "text": "再不还就联系你的家人和单位，我们是法务部的，已经上报征信并准备起诉。",
    },
    {"side": "me", "text": "好"},
    {"type": "time", "text": "星期三 10:00"},
    {"side": "me", "text": "合同 FQL2024061500123 逾期金额 ¥3,256.00，罚息 ¥128.50，能减免吗？"},
    {"side": "them", "text": "可以"},
]


@pytest.mark.parametrize("style", ["wechat", "app"])
@pytest.mark.parametrize("width", [720, 1080, 1170, 1242, 1440])
def test_chat_labels_lie_inside_image_on_their_side(style: str, width: int) -> None:
    img, labels = render.render_chat(CHAT, style=style, width=width)
    assert img.width == width
    for label in labels:
        x0, y0, x1, y1 = label["box"]
        assert 0 <= x0 < x1 <= img.width and 0 <= y0 < y1 <= img.height, label
    messages = [lb for lb in labels if lb["role"] == "message"]
    assert messages
    for label in messages:
        bx0, _, bx1, _ = label["bubble"]
        assert ((bx0 + bx1) / 2 > width / 2) == (label["side"] == "me"), label
        assert label["side"] == CHAT[label["message_index"]]["side"]
        x0, _, x1, _ = label["box"]
        assert bx0 <= x0 and x1 <= bx1  # the text is inside its bubble


def test_chat_labels_carry_every_character_of_every_message() -> None:
    _, labels = render.render_chat(CHAT, style="wechat")
    for i, msg in enumerate(CHAT):
        lines = [lb["text"] for lb in labels if lb["message_index"] == i]
        assert "".join(lines).replace(" ", "") == msg["text"].replace(" ", "")
        role = "time" if msg.get("type") == "time" else "message"
        assert {lb["role"] for lb in labels if lb["message_index"] == i} == {role}


def test_chat_wraps_long_text_into_several_lines_without_leading_punctuation() -> None:
    _, labels = render.render_chat(CHAT, width=720)
    lines = [lb["text"] for lb in labels if lb["message_index"] == 1]
    assert len(lines) >= 3
    assert not any(line[0] in "，。、？" for line in lines)


def test_many_messages_make_a_tall_image() -> None:
    short, _ = render.render_chat(CHAT[:3])
    tall, _ = render.render_chat(CHAT * 6)
    assert short.height == round(1080 * 20 / 9)
    assert tall.height > short.height * 2


def test_rendering_is_deterministic() -> None:
    a, la = render.render_chat(CHAT, style="app", width=1170)
    b, lb = render.render_chat(CHAT, style="app", width=1170)
    assert a.tobytes() == b.tobytes() and la == lb


def test_chat_rejects_unknown_style_and_side() -> None:
    with pytest.raises(ValueError):
        render.render_chat(CHAT, style="telegram")
    with pytest.raises(ValueError):
        render.render_chat([{"side": "left", "text": "x"}])


def test_bill_labels_pair_labels_with_values() -> None:
    rows = [("逾期金额", "¥3,256.00"), ("逾期天数", "15天"), ("还款日", "2025-03-15")]
    img, labels = render.render_bill(rows, contract_no="FQL2024061500123", header_amount="3,256.00")
    pairs = {
        lb["row_index"]: [x["text"] for x in labels if x.get("row_index") == lb["row_index"]]
        for lb in labels
        if lb["role"] == "label"
    }
    assert pairs == {
        0: ["逾期金额", "¥3,256.00"],
        1: ["逾期天数", "15天"],
        2: ["还款日", "2025-03-15"],
    }
    for label in labels:
        x0, y0, x1, y1 = label["box"]
        assert 0 <= x0 < x1 <= img.width and 0 <= y0 < y1 <= img.height
    assert any("FQL2024061500123" in lb["text"] for lb in labels)


def test_call_log_labels_rows() -> None:
    _, labels = render.render_call_log(make_samples.call_log())
    numbers = [lb["text"] for lb in labels if lb["role"] == "number"]
    assert "021-60000000 (3)" in numbers
    assert sum(1 for lb in labels if lb["role"] == "detail" and "未接" in lb["text"]) >= 5


def test_available_fonts_are_loadable_cjk_fonts() -> None:
    fonts = render.available_fonts()
    assert fonts, "install fonts-wqy-zenhei"
    for path in fonts:
        font = render.load_font(path, 40)
        assert font.getlength("逾期金额") > 3 * font.getlength("1")  # real CJK glyphs, no tofu
