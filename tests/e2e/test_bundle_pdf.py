"""Build real complaint packages and read them back with pypdf and poppler."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from evidence_kit.bundle import RECIPIENTS, BundleRequest, build_bundle, verify_bundle
from evidence_kit.errors import BundleError, VerificationError
from evidence_kit.models import (
    Amount,
    Box,
    Entity,
    Entry,
    Extraction,
    Kind,
    Message,
    OcrLine,
    Side,
)

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

pytestmark = pytest.mark.slow

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
ID_NO = "11010119900307002X"
CARD = "6222021234567890123"
OTHER_PHONE = "13912345678"
TZ = timezone(timedelta(hours=8))
CASE = Path(__file__).resolve().parents[2] / "src/evidence_kit/data/case.toml"


def _config() -> dict:
    cfg = tomllib.loads(CASE.read_text(encoding="utf-8"))
    cfg["complainant"].update(
        name="张测试", id_number=ID_NO, phone="13800000000", address="北京市示例区示例路1号"
    )
    cfg["respondent"].update(
        company="示例消费金融有限公司", address="北京市示例大街100号", platform="示例分期"
    )
    cfg["loan"].update(
        lender="示例消费金融有限公司",
        contract_no="HT2024000123",
        product="示例分期 借钱",
        received_amount="9700.00",
        received_date="2024-06-15",
    )
    cfg["dispute"].update(
        facts="2024年6月借款，实际到账9700元。\n2025年3月起频繁夜间催收。",
        demands=["停止夜间催收", "退还担保费 540.00 元"],
        waivers=["罚息"],
    )
    cfg["budget"].update(hardship="2025年1月失业", monthly_income="3000", essential_expenses="2000")
    cfg["court"].update(name="北京市示例区人民法院")
    cfg["credit_report"].update(
        report_no="R2025001",
        report_date="2025-03-01",
        disputed_item="2025年2月逾期记录",
        correct_value="正常",
        reason="已按协商方案还款",
    )
    return cfg


def _entry(path: Path, kind: Kind, mime: str, occurred: str, **kw) -> Entry:
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    return Entry(
        id=sha[:10],
        sha256=sha,
        kind=kind,
        original_name=path.name,
        original_path=path.name,
        size=len(data),
        mime=mime,
        occurred_at=occurred,
        occurred_at_source="filename",
        ingested_at="2025-03-22T10:00:00+08:00",
        **kw,
    )


def _chat_png(path: Path) -> tuple[list[OcrLine], list[Message]]:
    """A tall screenshot: bubbles with whitespace between them, one line holding an ID number."""
    from PIL import Image, ImageDraw, ImageFont

    img = Image.new("RGB", (1080, 2600), (237, 237, 237))
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 44)
    texts = [
        "您好，您已逾期，请还款 1,234.56 元",
        f"核对身份证 {ID_NO}",
        "今晚不还就联系您家人",
        "我申请协商还款",
        "请尽快处理",
    ] * 3
    lines, messages = [], []
    y = 120
    for i, text in enumerate(texts):
        side = Side.THEM if i % 5 != 3 else Side.ME
        x0 = 60 if side is Side.THEM else 400
        d.rounded_rectangle((x0, y, x0 + 620, y + 110), 16, fill=(255, 255, 255))
        d.text((x0 + 24, y + 30), text, font=font, fill=(20, 20, 20))
        bbox = d.textbbox((x0 + 24, y + 30), text, font=font)
        lines.append(OcrLine(text, Box(*bbox), 0.95))
        if i < 5:
            messages.append(
                Message(side, text, f"2025-03-05T{21 + i // 3:02d}:{10 + i:02d}:00+08:00")
            )
        y += 160
    img.save(path)
    return lines, messages


def _bill_pdf(path: Path) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(TTFont("BillFont", FONT))
    c = Canvas(str(path), initialFontName="BillFont")  # an original with only embedded fonts
    for page in (1, 2):
        c.setFont("BillFont", 14)
        c.drawString(72, 760, f"示例消费金融 账单 第{page}页")
        c.drawString(72, 730, f"身份证号：{ID_NO}")
        c.drawString(72, 700, f"还款卡号：{CARD}")
        c.drawString(72, 670, "本期应还：1,003.33 元")
        c.showPage()
    c.save()


@pytest.fixture(scope="module")
def evidence(tmp_path_factory: pytest.TempPathFactory) -> list[Entry]:
    from PIL import Image

    root = tmp_path_factory.mktemp("evidence")
    chat = root / "Screenshot_20250305-211000.png"
    lines, messages = _chat_png(chat)
    photo = root / "IMG_20250306_090000.jpg"
    Image.new("RGB", (640, 480), (180, 200, 220)).save(photo, quality=90)
    bill = root / "账单_2025年3月.pdf"
    _bill_pdf(bill)
    note = root / "通话记录.txt"
    note_text = f"22:40 {OTHER_PHONE} 来电，自称法务部。对方念出我的卡号 {CARD}。"
    note.write_text(note_text, encoding="utf-8")
    amount = Amount(Decimal("1234.56"), "CNY", "逾期金额", "1,234.56", 0, 8)
    return [
        _entry(
            chat,
            Kind.CHAT,
            "image/png",
            "2025-03-05T21:10:00+08:00",
            lines=tuple(lines),
            messages=tuple(messages),
            text="\n".join(ln.text for ln in lines),
            extraction=Extraction(
                amounts=(amount,), entities=(Entity("id_card", ID_NO, ID_NO, 0, 18),)
            ),
        ),
        _entry(photo, Kind.DOCUMENT, "image/jpeg", "2025-03-06T09:00:00+08:00"),
        _entry(
            note,
            Kind.NOTE,
            "text/plain",
            "2025-03-10T22:40:00+08:00",
            text=note_text,
            meta={"channel": "phone", "counterpart": "自称法务部"},
        ),
        _entry(bill, Kind.BILL, "application/pdf", "2025-03-21", title="2025年3月账单"),
    ]


def _request(evidence: list[Entry], recipient: str = "consumer-association", **kw) -> BundleRequest:
    by_sha = {e.sha256: e for e in evidence}
    store = kw.pop("store")
    return BundleRequest(
        recipient=recipient,
        config=kw.pop("config", None) or _config(),
        entries=tuple(evidence),
        object_path=lambda sha: store / by_sha[sha].original_name,
        ledger_head="f" * 64,
        generated_at=datetime(2025, 3, 22, 10, 0, tzinfo=TZ),
        **kw,
    )


@pytest.fixture(scope="module")
def store(evidence: list[Entry], tmp_path_factory: pytest.TempPathFactory) -> Path:
    return next(iter(tmp_path_factory.getbasetemp().glob("evidence*")))


def _text(pdf: Path, page: int | None = None, layout: bool = False) -> str:
    cmd = ["pdftotext"] + (["-layout"] if layout else [])
    if page:
        cmd += ["-f", str(page), "-l", str(page)]
    return subprocess.run([*cmd, str(pdf), "-"], check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def bundle(evidence: list[Entry], store: Path, tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("out") / "package.pdf"
    result = build_bundle(_request(evidence, store=store), out)
    return result


def test_headings_hashes_and_font(bundle, evidence: list[Entry]) -> None:
    text = _text(bundle.path)
    for heading in ("投诉书", "证据清单", "证据时间线", "完整性说明", "证据1", "证据4"):
        assert heading in text
    for e in evidence:
        assert e.sha256 in text.replace("\n", "")
    fonts = subprocess.run(["pdffonts", str(bundle.path)], capture_output=True, text=True).stdout
    rows = [ln for ln in fonts.splitlines()[2:] if ln.strip()]
    assert any("WenQuanYi" in r for r in rows)
    assert all(re.search(r"\syes\s+yes\s+yes\s", r) for r in rows), fonts  # emb, sub, uni


def test_evidence_list_page_numbers_match_exhibit_starts(bundle, evidence: list[Entry]) -> None:
    from pypdf import PdfReader

    pages = len(PdfReader(bundle.path).pages)
    assert pages == bundle.pages
    texts = {p: _text(bundle.path, p).replace("\n", "") for p in range(1, pages + 1)}
    list_page = next(p for p, t in texts.items() if "证据清单" in t and "证明内容" in t)
    listed = {}
    for line in _text(bundle.path, list_page, layout=True).splitlines():
        m = re.match(r"\s*(证据\d+)\s.*\s(\d+)(?:–(\d+))?\s*$", line)
        if m:
            listed[m.group(1)] = int(m.group(2))
    assert len(listed) == len(evidence)
    by_label = {ex["exhibit"]: ex for ex in bundle.manifest["exhibits"]}
    for label, start in listed.items():
        sha = by_label[label]["sha256"]
        actual = min(p for p, t in texts.items() if sha in t)  # the caption holds the full hash
        assert start == actual, label
        assert f"{label}" in texts[actual]


def test_attachments_match_manifest_byte_for_byte(
    bundle, evidence: list[Entry], store: Path
) -> None:
    from pypdf import PdfReader

    att = PdfReader(bundle.path).attachments
    manifest = json.loads(att["manifest.json"][0])
    assert manifest["ledger_head"] == "f" * 64 and manifest["redacted"] is False
    for ex in manifest["exhibits"]:
        data = att[ex["attachment"]][0]
        assert hashlib.sha256(data).hexdigest() == ex["sha256"]
        assert data == (store / ex["original_name"]).read_bytes()
    assert verify_bundle(bundle.path).ok


def test_outline_and_metadata(bundle) -> None:
    from pypdf import PdfReader

    reader = PdfReader(bundle.path)

    def titles(items) -> list[str]:
        out = []
        for it in items:
            out += titles(it) if isinstance(it, list) else [it.title]
        return out

    got = titles(reader.outline)
    for t in ("封面", "投诉书", "证据清单", "证据材料", "完整性说明"):
        assert t in got
    assert sum(t.startswith("证据") and t[2:3].isdigit() for t in got) == 4
    meta = reader.metadata
    assert meta.title == "投诉书" and meta.author == "张测试"
    assert meta.creator.startswith("evidence-kit ")
    assert "第 1 页 共" in _text(bundle.path, 1)


def test_tampered_attachment_fails_verification(bundle, tmp_path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(bundle.path))
    names = list(writer.attachments)
    victim = next(n for n in names if n != "manifest.json")
    for f in writer.attachment_list:
        if f.name == victim:
            f.content = b"not the original"
    bad = tmp_path / "bad.pdf"
    with bad.open("wb") as fh:
        writer.write(fh)
    result = verify_bundle(bad)
    assert not result.ok
    assert [c.name for c in result.checks if not c.ok] == [victim]
    with pytest.raises(VerificationError) as err:
        result.raise_if_failed()
    assert err.value.exit_code == 3


def test_redacted_bundle_has_no_id_or_card_digits(evidence, store, tmp_path: Path) -> None:
    out = tmp_path / "redacted.pdf"
    result = build_bundle(_request(evidence, store=store, redact=True), out)
    text = _text(out)
    flat = re.sub(r"\s", "", text)
    assert ID_NO not in flat and ID_NO[:-1] not in flat
    assert CARD not in flat and CARD[:12] not in flat
    assert OTHER_PHONE not in flat
    assert "13800000000" in flat  # the complainant's own number stays
    assert "脱敏" in _text(out, 1)
    from pypdf import PdfReader

    assert list(PdfReader(out).attachments) == ["manifest.json"]
    assert all(ex["attachment"] is None for ex in result.manifest["exhibits"])
    assert result.manifest["redacted"] is True
    assert verify_bundle(out).ok


def test_redaction_burns_black_boxes_into_the_screenshot(evidence, store, tmp_path: Path) -> None:
    """The ID line of the chat screenshot is black in the rendered exhibit page."""
    import numpy as np
    from PIL import Image

    out = tmp_path / "r.pdf"
    result = build_bundle(_request(evidence[:1], store=store, redact=True), out)
    start = result.manifest["exhibits"][0]["pages"][0]
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "40",
            "-f",
            str(start),
            "-l",
            str(start),
            "-png",
            str(out),
            str(tmp_path / "pg"),
        ],
        check=True,
    )
    img = Image.open(next(tmp_path.glob("pg*.png"))).convert("L")
    dark = int((np.asarray(img) < 30).sum())
    assert dark > 300  # the black redaction boxes (text pixels alone are far fewer at 40 dpi)


@pytest.mark.parametrize("recipient", RECIPIENTS)
def test_every_template_builds(recipient, evidence, store, tmp_path: Path) -> None:
    analysis = {
        "cost": {
            "apr_nominal": "12.80",
            "apr_effective": "13.58",
            "flat_monthly_rate": "0.58",
            "comparisons": [
                {
                    "threshold": "24%",
                    "rate": "24.00",
                    "exceeds": False,
                    "binding": False,
                    "basis": "据公开报道",
                }
            ],
        },
        "conduct": {
            "days": [{"date": "2025-03-05", "calls": 3}],
            "flags": [
                {
                    "code": "night",
                    "title_zh": "夜间催收",
                    "rule": "22:00–08:00",
                    "entry_ids": [evidence[0].id],
                    "count": 2,
                }
            ],
        },
        "routing": {},
        "plan": {"monthly_payment": "800.00", "installments": 24},
    }
    out = tmp_path / f"{recipient}.pdf"
    build_bundle(_request(evidence, recipient, store=store, analysis=analysis), out)
    text = _text(out).replace("\n", "")
    assert "不构成法律意见" in text
    if recipient in ("regulator", "court", "negotiation"):
        assert "13.58%" in text
    plain = tmp_path / f"{recipient}-plain.pdf"
    build_bundle(_request(evidence, recipient, store=store), plain)
    assert "13.58%" not in _text(plain)


def test_corrupt_object_names_the_entry_and_writes_nothing(evidence, store, tmp_path: Path) -> None:
    copies = tmp_path / "store"
    copies.mkdir()
    for e in evidence:
        (copies / e.original_name).write_bytes((store / e.original_name).read_bytes())
    real = evidence[0]
    (copies / real.original_name).write_bytes(b"\x89PNG damaged")
    out = tmp_path / "out" / "p.pdf"
    out.parent.mkdir()
    with pytest.raises(BundleError) as err:
        build_bundle(_request(evidence, store=copies), out)
    assert real.id in err.value.message and real.original_name in err.value.message
    assert "corrupt" in err.value.message
    assert list(out.parent.iterdir()) == []
    (copies / real.original_name).unlink()
    with pytest.raises(BundleError) as err:
        build_bundle(_request(evidence, store=copies), out)
    assert real.id in err.value.message
    assert list(out.parent.iterdir()) == []
