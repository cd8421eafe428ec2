"""The clerk's check: every recipient's package, built from the demo case and from a second,
differently shaped case, read back from its text layer as a clerk at 12315, a regulator's desk
or a court would read it."""

from __future__ import annotations

import hashlib
import re
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from evidence_kit.bundle import RECIPIENTS, BundleRequest, build_bundle
from evidence_kit.bundle.analysis_view import binding_text
from evidence_kit.bundle.from_case import run_analysis
from evidence_kit.models import Entry, Kind, Message, Side

pytestmark = pytest.mark.slow

TZ = timezone(timedelta(hours=8))
NOW = datetime(2025, 3, 21, 10, 0, tzinfo=timezone.utc)
CLOSING = "，。：；）》、！？"
# Words a Chinese package may carry: the tool's name, rate and hash names, file formats.
ALLOWED_WORDS = {
    "evidence", "kit", "sha", "irr", "xirr", "lpr", "pdf", "app", "exif", "png", "jpg", "jpeg",
    "wav", "m4a", "txt", "mp3", "amr", "gbk", "gb",  # GB/T: a national standard's name
}  # fmt: skip
SNAKE = re.compile(r"[a-z]+_[a-z]+")
CASE_TEMPLATE = Path(__file__).resolve().parents[2] / "src/evidence_kit/data/case.toml"
FOOTER = re.compile(r"^(第 \d+ 页 共 \d+ 页|evidence-kit [\d.]+)")


@dataclass
class Package:
    recipient: str
    pages: list[str]  # pdftotext -layout, one string per page
    raw: list[str]  # pdftotext reading order, one string per page
    entries: list[Entry]
    config: Mapping[str, Any]
    analysis: Mapping[str, Any] | None
    headings: set[str]


def _pdftotext(pdf: Path, *extra: str) -> list[str]:
    out = subprocess.run(
        ["pdftotext", *extra, str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return out.split("\f")


def _headings(recipient: str) -> set[str]:
    from evidence_kit.bundle.template import load_template

    tpl = load_template(recipient)
    found = {str(b["heading"]) for b in tpl.letter if b.get("heading")}
    found |= {
        tpl.text(k)
        for k in (
            "title",
            "timeline.heading",
            "contacts.heading",
            "evidence_list.heading",
            "appendix.heading",
        )
    }
    found |= {"现金流量表（按实际到账与实际支付）", "与有关标准的比较", "拟还款计划"}
    return {h for h in found if h}


def _strings(node: Any) -> Iterable[str]:
    if isinstance(node, Mapping):
        for v in node.values():
            yield from _strings(v)
    elif isinstance(node, (list, tuple)):
        for v in node:
            yield from _strings(v)
    elif node is not None:
        yield str(node)


def _letter_pages(p: Package) -> list[str]:
    """The pages before the first exhibit (cover, letter, timeline, evidence list)."""
    out = []
    for page in p.pages:
        if re.search(r"(证据|材料)[\d-]+\s+第 1/\d+ 页", page):
            break
        out.append(page)
    return out


def clerk_check(p: Package) -> None:
    names = [e.original_name for e in p.entries]
    own = "\n".join([*names, *(e.text for e in p.entries), *_strings(p.config)]).lower()
    everything = "\n".join(p.pages)

    # no analysis keys or English status words
    for word in ("binding", "argument", "not-applicable"):
        assert word not in everything, f"{p.recipient}: '{word}' in the package"
    snake = SNAKE.search(_without_names(everything, names))
    assert not snake, f"{p.recipient}: a snake_case key in the package: {snake}"
    for token in re.findall(r"[\w.\-]*_[\w.\-]*", everything):
        assert any(token in n for n in names), f"{p.recipient}: '_' outside a file name: {token!r}"

    # no line starts with closing punctuation (reading order and layout)
    for page in p.raw + p.pages:
        for line in page.splitlines():
            s = line.strip()
            assert not (s and s[0] in CLOSING), f"{p.recipient}: line starts with {s[0]}: {s!r}"

    # no English word outside proper nouns (the user's own data, file names) and the appendix
    appendix = next(
        (i for i, pg in enumerate(p.pages) if i and any(
            ln.strip() == _appendix_heading(p.recipient) for ln in pg.splitlines())),
        len(p.pages),
    )  # fmt: skip
    for page in p.pages[:appendix]:
        for word in re.findall(r"[A-Za-z][A-Za-z0-9]+", page):
            w = word.lower()
            if re.fullmatch(r"[0-9a-f]{8,}", w) and re.search(r"\d", w):
                continue  # a hash (ledger head, SHA-256)
            assert w in ALLOWED_WORDS or w in own, f"{p.recipient}: English word {word!r}"

    # no heading is the last line of a page
    for i, page in enumerate(p.pages[:-1], 1):
        lines = [ln.strip() for ln in page.splitlines() if ln.strip()]
        body = [ln for ln in lines if not FOOTER.match(ln)]
        if body:
            assert body[-1] not in p.headings, f"{p.recipient}: heading {body[-1]!r} ends page {i}"

    # the evidence list says what each exhibit proves, not its file name
    letter = "\n".join(_letter_pages(p))
    listing = letter[letter.rfind("证据名称") :] if "证据名称" in letter else ""
    flat = re.sub(r"\s+", "", listing)
    quoted = "\n".join(e.text for e in p.entries)  # a note may name a file: that is content
    for name in names:
        if name not in quoted:
            assert name not in flat, f"{p.recipient}: file name {name} in the evidence list"

    # every rule compared carries its status, the one its 依据 gives
    cost = (p.analysis or {}).get("cost") or {}
    if "证明内容" in letter or cost:
        for c in cost.get("comparisons") or []:
            status = binding_text(c["binding"])
            row = [
                ln
                for ln in letter.splitlines()
                if ln.strip().startswith(c["threshold"]) and f"{c['threshold_rate']}%" in ln
            ]
            if any(b.get("type") == "cost" for b in _template_letter(p.recipient)):
                assert row, f"{p.recipient}: no row with {c['threshold']} at {c['threshold_rate']}%"
                assert status[:3] in row[0], f"{p.recipient}: {c['threshold']} lacks {status}"

    # every rule the legal-basis list cites carries its status, the one its template gives
    check_basis_status(p)
    check_conduct_rule_status(p)
    check_tracking_status(p)

    # every figure in the letter appears in an exhibit, the case file or the cost analysis
    known = set()
    for s in [*_strings(p.config), *_strings(p.analysis or {}), *(e.text for e in p.entries)]:
        known |= {_norm(x) for x in re.findall(r"\d[\d,]*(?:\.\d+)?", s)}
    for e in p.entries:
        known |= {_norm(f"{a.value:.2f}") for a in e.extraction.amounts}
    for figure in re.findall(r"\d[\d,]*\.\d{2}", letter):
        if re.fullmatch(r"0\.\d\.\d{2}", figure):
            continue
        assert _norm(figure) in known or _is_sum(figure, known), (
            f"{p.recipient}: {figure} comes from nowhere"
        )


def check_basis_status(p: Package) -> None:
    """Read the 依据 list back from the text layer: a legend naming the three statuses once, and
    each numbered item opening with the status word its template item gives."""
    from evidence_kit.bundle.template import load_template

    tpl = load_template(p.recipient)
    labels = tpl.get("status_labels")
    allowed = tuple(labels[k] for k in ("binding", "argument", "reference"))
    pages = [[ln.strip() for ln in pg.splitlines() if ln.strip()] for pg in _letter_pages(p)]
    tops = [pg[0] for pg in pages if pg]
    running = {t for t in tops if tops.count(t) > 1}  # a running header over each page
    kept = [ln for pg in pages for ln in pg if ln not in running and not FOOTER.match(ln)]
    flat = re.sub(r"\s+", "", "".join(kept))
    # what may follow the list: a later heading, or the signature lines' fixed opening
    after = [str(b.get("heading", "")) for b in tpl.letter]
    after = [
        h or re.sub(r"\s+", "", str((b.get("lines") or [""])[0])).split("{")[0][:6]
        for h, b in zip(after, tpl.letter)
    ]
    blocks = [(i, b) for i, b in enumerate(tpl.letter) if b["type"] == "legal_basis"]
    assert blocks, f"{p.recipient}: no legal-basis list"
    for i, block in blocks:
        start = flat.index(block["heading"]) + len(block["heading"])
        later = [tpl.text(k) for k in ("timeline.heading", "evidence_list.heading")]
        ends = [flat.find(h, start) for h in [*after[i + 1 :], *later] if h]
        section = flat[start : min([e for e in ends if e >= 0], default=len(flat))]
        legend = section.split("1.", 1)[0]
        assert all(w in legend for w in allowed), f"{p.recipient}: no status legend: {legend}"
        assert section.count("效力标注") == 1, f"{p.recipient}: the legend is not there once"
        items = re.split(r"(?<![\d.])(\d+)\.(?=【)", section[len(legend) :])
        numbered = re.findall(r"(?<![\d.（第])\d+\.(?!\d)", section[len(legend) :])
        bodies = items[2::2]
        assert len(bodies) == len(numbered) == len(block["items"]), (
            f"{p.recipient}: {len(numbered)} numbered items, {len(bodies)} with a status, "
            f"template has {len(block['items'])}: {section}"
        )
        for body, spec in zip(bodies, block["items"]):
            assert body.startswith(allowed), f"{p.recipient}: an item without status: {body}"
            want = labels[spec["status"]]
            assert body.startswith(want), f"{p.recipient}: {body[:30]} should be {want}"
            assert re.sub(r"\s+", "", spec["text"])[:10] in body, (p.recipient, body[:40])
        # a rule named in the list outside an item would carry no status
        for cite in re.findall(r"《[^》]+》", legend):
            pytest.fail(f"{p.recipient}: {cite} cited in the legend without a status")


def check_conduct_rule_status(p: Package) -> None:
    """The 相关规定 cells of the conduct table: every rule the analysis flags opens with a
    status word, and none shows a bare source tag ([L], [G] …) a clerk cannot read."""
    from evidence_kit.bundle.template import load_template

    if not any(b["type"] == "conduct" for b in _template_letter(p.recipient)):
        return
    tpl = load_template(p.recipient)
    labels = tpl.get("status_labels")
    flat = re.sub(r"\s+", "", "".join(p.raw))
    for tag in ("[L]", "[G]", "[S]", "[U]"):
        at = flat.find(tag)
        assert at < 0, f"{p.recipient}: source tag {tag} shown: {flat[max(0, at - 80) : at + 10]}"
    flags = ((p.analysis or {}).get("conduct") or {}).get("flags") or []
    rules = [r for f in flags for r in f.get("rules") or []]
    # the 证据 column's labels can fall between a cell's lines in reading order
    cells = re.sub(r"(?:证据[\d-]+[、，]?)+", "", flat)
    assert rules, f"{p.recipient}: the case flags no conduct, so nothing is checked"
    for r in rules:
        head = re.sub(r"\s+", "", r["text"])[:8]
        found = [m.start() for m in re.finditer(re.escape(head), cells)]
        # the status word opens the rule; only stray characters of a wrapped 证据 cell between
        status = "|".join(re.escape(w) for w in labels.values())
        assert any(re.search(f"(?:{status})[^；《【]{{0,6}}$", cells[:i]) for i in found), (
            f"{p.recipient}: conduct rule {r['text'][:30]!r} without a status: "
            + str([cells[max(0, i - 10) : i + 10] for i in found])
        )
    # a rule whose text says it is unverified is never shown as binding
    assert not re.search(re.escape(labels["binding"]) + r"[^；【]*未核实", flat), p.recipient


def check_tracking_status(p: Package) -> None:
    """A tracking row that cites a rule shows its status word before the rule's wording, and
    the box has a legend for the words; a row naming a rule (《…》) without a status fails."""
    from evidence_kit.bundle.template import load_template

    tpl = load_template(p.recipient)
    labels = tpl.get("status_labels")
    flat = re.sub(r"\s+", "", "".join(p.raw))
    for block in tpl.letter:
        if block["type"] != "tracking":
            continue
        for row in block["rows"]:
            text = str(row[1]) if len(row) > 1 else ""
            if re.search(r"《|办法|条例|第[一二三四五六七八九十百]+条", text):
                assert len(row) > 2, f"{p.recipient}: tracking row {row[0]} cites a rule, no status"
            if len(row) > 2:
                head = re.sub(r"\s+", "", text)[:10]
                assert labels[row[2]] + head in flat, f"{p.recipient}: {row[0]} lacks its status"
                assert all(w in block["legend"] for w in labels.values()), p.recipient
                assert re.sub(r"\s+", "", block["legend"])[:20] in flat, p.recipient


def _without_names(text: str, names: list[str]) -> str:
    for n in names:
        text = text.replace(n, "")
    return text


def _norm(figure: str) -> str:
    from decimal import Decimal, InvalidOperation

    try:
        return str(Decimal(figure.replace(",", "")).quantize(Decimal("0.01")))
    except InvalidOperation:
        return ""


def _is_sum(figure: str, known: set[str]) -> bool:
    """A figure computed from two known ones (每月可用于还款 = 收入 − 支出 …)."""
    from decimal import Decimal

    target = Decimal(_norm(figure))
    values = [Decimal(k) for k in known if k]
    return any(a + b == target or a - b == target for a in values for b in values)


def _appendix_heading(recipient: str) -> str:
    from evidence_kit.bundle.template import load_template

    return load_template(recipient).text("appendix.heading", "完整性说明")


def _template_letter(recipient: str) -> tuple[Mapping[str, Any], ...]:
    from evidence_kit.bundle.template import load_template

    return load_template(recipient).letter


def _package(pdf: Path, recipient: str, entries, config, analysis) -> Package:  # type: ignore[no-untyped-def]
    return Package(
        recipient,
        _pdftotext(pdf, "-layout"),
        _pdftotext(pdf),
        list(entries),
        config,
        analysis,
        _headings(recipient),
    )


# ---------------------------------------------------------------- the demo case


@pytest.fixture(scope="module")
def demo_packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Package]:
    from evidence_kit.bundle.from_case import build_case_bundle
    from evidence_kit.case import Case
    from evidence_kit.demo import run_demo
    from evidence_kit.ledger.events import Ledger

    root = tmp_path_factory.mktemp("clerk-demo")
    run_demo(root / "demo", clock=lambda: NOW)
    case = Case(root / "demo")
    out = {}
    with Ledger(case.ledger_path, case.head_path) as ledger:
        entries = [e for e in ledger.entries() if not e.excluded]
        config = case.load_config()
        analysis = run_analysis(config, entries, NOW.date())
        for r in RECIPIENTS:
            pdf = root / f"{r}.pdf"
            build_case_bundle(case, ledger, recipient=r, out=pdf, clock=lambda: NOW)
            out[r] = _package(pdf, r, entries, config, analysis)
    return out


@pytest.mark.parametrize("recipient", RECIPIENTS)
def test_clerk_check_demo(demo_packages: dict[str, Package], recipient: str) -> None:
    clerk_check(demo_packages[recipient])


def test_demo_lpr_row_shows_the_limit_and_not_binding(demo_packages: dict[str, Package]) -> None:
    text = "\n".join(demo_packages["regulator"].pages)
    row = next(ln for ln in text.splitlines() if ln.strip().startswith("4×LPR"))
    assert "13.80%" in row and "无直接约束力" in row and "有约束力" not in row
    assert "不适用于持牌金融机构" in re.sub(r"\s+", "", text)
    # the headline rate can be recomputed: the [debt] line is in the cash-flow table
    assert "对方账单所列应还合计" in text and "6589.36" in text
    # the legend and the table speak Chinese; night counted one way
    assert "unanswered_calls" not in text and "08:00–21:00" not in text


def test_demo_recording_in_two_formats_is_one_exhibit(
    demo_packages: dict[str, Package],
) -> None:
    text = "\n".join(demo_packages["court"].pages)
    assert "同一录音的其他格式" in re.sub(r"\s+", "", "".join(demo_packages["court"].raw))
    heads = re.findall(r"^\s*证据[\d-]+\s+通话录音", text, flags=re.M)
    assert len(heads) == 1, heads


# ---------------------------------------------------------------- a differently shaped case


def _entry(root: Path, name: str, kind: Kind, mime: str, when: str, data: bytes, **kw) -> Entry:  # type: ignore[no-untyped-def]
    path = root / name
    path.write_bytes(data)
    sha = hashlib.sha256(data).hexdigest()
    return Entry(
        id=sha[:10],
        sha256=sha,
        kind=kind,
        original_name=name,
        original_path=name,
        size=len(data),
        mime=mime,
        occurred_at=when,
        occurred_at_source="filename",
        ingested_at="2025-03-20T10:00:00+08:00",
        **kw,
    )


def _png(color: tuple[int, int, int]) -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (360, 640), color).save(buf, "PNG")
    return buf.getvalue()


def _second_case(root: Path) -> tuple[list[Entry], dict[str, Any]]:
    """A microloan paid off in full (payments only, no [debt]); 24 exhibits."""
    import tomllib

    cfg = tomllib.loads(CASE_TEMPLATE.read_text(encoding="utf-8"))
    cfg["complainant"].update(name="周测试", phone="13700000000", address="上海市示例区示例路2号",
                              id_type="居民身份证", id_number="310101199001010011")  # fmt: skip
    cfg["respondent"].update(company="示例小额贷款有限公司", address="上海市示例大道8号",
                             platform="示例借款", phone="400-000-1111")  # fmt: skip
    cfg["loan"].update(
        lender="示例小额贷款有限公司",
        lender_type="microloan",
        product="示例借款",
        contract_no="XD2024010001",
        contract_amount="5000.00",
        received_amount="5000.00",
        received_date="2024-01-10",
        term_months=6,
        stated_rate="18.00",
        payments=[
            *(
                {"date": f"2024-{m:02d}-10", "amount": "900.00", "kind": "installment"}
                for m in range(2, 8)
            ),
            *(
                {"date": f"2024-{m:02d}-10", "amount": "60.00", "kind": "guarantee"}
                for m in range(2, 8)
            ),
        ],
    )
    cfg.pop("debt", None)
    cfg["budget"].update(monthly_income="4000", essential_expenses="3000",
                         hardship="2024年12月生病住院，收入减少")  # fmt: skip
    cfg["dispute"].update(
        facts="2024年1月借款5000元，6期已全部还清，另被收取担保费共360元。\n"
        "2025年2月起仍有人以催收名义联系我的单位。",
        demands=["退还担保费 360.00 元", "停止联系我的单位和家人"],
    )
    cfg["court"].update(name="上海市示例区人民法院")
    cfg["credit_report"].update(report_no="R2025002", report_date="2025-02-01",
                                disputed_item="2024年7月逾期记录", correct_value="正常",
                                reason="该期已按时还清")  # fmt: skip
    entries: list[Entry] = []
    for i in range(10):
        day = f"2025-02-{i + 1:02d}"
        entries.append(
            _entry(
                root,
                f"chat_{i:02d}.png",
                Kind.CHAT,
                "image/png",
                f"{day}T20:{i:02d}:00+08:00",
                _png((230, 230, 200 + i)),
                messages=(
                    Message(Side.THEM, "今天不还就联系你单位", f"{day}T20:{i:02d}:00+08:00"),
                ),
                text="今天不还就联系你单位",
            )
        )
    for i in range(8):
        day = f"2025-02-{i + 11:02d}"
        text = f"{day} 23:{i:02d} 对方来电，称要打电话到我单位"
        entries.append(
            _entry(
                root,
                f"note_{i:02d}.txt",
                Kind.NOTE,
                "text/plain",
                f"{day}T23:{i:02d}:00+08:00",
                text.encode(),
                text=text,
                meta={"channel": "phone"},
            )
        )
    entries.append(
        _entry(
            root,
            "calls_0220.png",
            Kind.CHAT,
            "image/png",
            "2025-02-20T12:00:00+08:00",
            _png((250, 250, 250)),
            meta={"screen": "call_log"},
        )
    )
    entries.append(
        _entry(
            root,
            "sms_0221.png",
            Kind.CHAT,
            "image/png",
            "2025-02-21T12:00:00+08:00",
            _png((240, 250, 240)),
            meta={"screen": "sms"},
        )
    )
    for ext, mime in (("m4a", "audio/mp4"), ("wav", "audio/wav")):
        entries.append(
            _entry(
                root,
                f"rec_0222.{ext}",
                Kind.RECORDING,
                mime,
                "2025-02-22T22:30:00+08:00",
                f"audio {ext}".encode(),
                meta={"duration_s": 95},
            )
        )
    for m in (2, 3):
        entries.append(
            _entry(
                root,
                f"bill_2024{m:02d}.png",
                Kind.BILL,
                "image/png",
                f"2024-{m:02d}-10T09:00:00+08:00",
                _png((255, 255, 255)),
                meta={"screen": "bill_detail"},
            )
        )
    return entries, cfg


@pytest.fixture(scope="module")
def second_packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Package]:
    root = tmp_path_factory.mktemp("clerk-second")
    store = root / "store"
    store.mkdir()
    entries, cfg = _second_case(store)
    analysis = run_analysis(cfg, entries, NOW.date())
    assert analysis and "error" not in (analysis.get("cost") or {}), analysis
    out = {}
    for r in RECIPIENTS:
        pdf = root / f"{r}.pdf"
        req = BundleRequest(
            recipient=r,
            config=cfg,
            entries=tuple(entries),
            object_path=lambda sha: (
                store / next(e.original_name for e in entries if e.sha256 == sha)
            ),
            ledger_head=hashlib.sha256(b"second case").hexdigest(),
            generated_at=NOW,
            analysis=analysis,
        )
        build_bundle(req, pdf)
        out[r] = _package(pdf, r, entries, cfg, analysis)
    return out


@pytest.mark.parametrize("recipient", RECIPIENTS)
def test_clerk_check_second_case(second_packages: dict[str, Package], recipient: str) -> None:
    clerk_check(second_packages[recipient])


def test_second_case_is_shaped_differently(second_packages: dict[str, Package]) -> None:
    court = second_packages["court"]
    exhibits = set(re.findall(r"证据\d+-\d+", "\n".join(court.pages)))
    assert len(exhibits) >= 20
    text = "\n".join(court.pages)
    assert "对方账单所列应还合计" not in text  # no [debt]: nothing is "treated as paid"
    assert "通话记录截图" in text and "短信截图" in text and "账单截图" in text


def test_second_case_counts_first_person_notes(second_packages: dict[str, Package]) -> None:
    """The 8 notes say "称要打电话到我单位": first person, as a user writes them. With the
    10 chats ("联系你单位") that is 18; the old second-person-only patterns counted 10."""
    text = "\n".join(second_packages["regulator"].pages)
    row = next(ln for ln in text.splitlines() if "声称要联系您的亲友" in ln)
    found = re.search(r"声称要联系您的亲友、单位\s+(\d+)", row)
    assert found and int(found.group(1)) == 18, row


def test_working_day_deadlines_count_holidays_and_say_the_year(
    demo_packages: dict[str, Package],
) -> None:
    flat = re.sub(r"\s+", "", "".join(demo_packages["consumer-association"].raw))
    # 45 working days from 2025-03-21 skip 清明 and 劳动节 and count the 04-27 调休 Sunday:
    # 2025-05-28, where Monday–Friday counting gives 2025-05-23.
    assert "2025-05-28（自2025-03-21起45个工作日" in flat
    assert "2025-05-23" not in flat
    assert "按国务院办公厅公布的2025年节假日安排计算" in flat
