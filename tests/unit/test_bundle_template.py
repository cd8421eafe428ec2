"""Templates are data: every shipped one loads, asks only for real case.toml keys, and the
missing-field check names the key to set."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest

from evidence_kit.bundle import RECIPIENTS, BundleRequest, build_bundle, missing_fields
from evidence_kit.bundle.resources import shipped_template_dir
from evidence_kit.bundle.template import Filler, load_template, placeholders
from evidence_kit.errors import BundleError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CASE = Path(__file__).resolve().parents[2] / "src/evidence_kit/data/case.toml"
COMPUTED = {
    "today",
    "generated_at",
    "exhibit_count",
    "ledger_head",
    "tool_version",
    "tool",
    "budget.available",
    "debt.total",
    "demands_text",
    "facts_excerpt",
    "evidence_from",
    "evidence_to",
    "contacts.calls",
    "contacts.messages",
    "contacts.outside",
    "contacts.days",
    "redacted_text",
    "n",  # exhibit number in exhibit_label
    "g",  # group number in evidence_list.groups titles
}


def _schema_keys() -> set[str]:
    def walk(node: dict, prefix: str = "") -> set[str]:
        keys: set[str] = set()
        for k, v in node.items():
            keys.add(prefix + k)
            if isinstance(v, dict):
                keys |= walk(v, prefix + k + ".")
        return keys

    return walk(tomllib.loads(CASE.read_text(encoding="utf-8")))


def _strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


@pytest.mark.parametrize("recipient", RECIPIENTS)
def test_shipped_template_uses_only_known_keys(recipient: str) -> None:
    tpl = load_template(recipient)
    schema = _schema_keys()
    for text in _strings(dict(tpl.data)):
        for key in placeholders(text):
            assert key in schema or key in COMPUTED, f"{recipient}: unknown {{{key}}}"
    for req in tpl.required:
        assert req.key in schema and req.label_zh
    assert "不构成法律意见" in tpl.text("declaration")


@pytest.mark.parametrize("recipient", RECIPIENTS)
def test_empty_case_toml_reports_the_keys_to_set(recipient: str) -> None:
    config = tomllib.loads(CASE.read_text(encoding="utf-8"))
    missing = missing_fields(recipient, config)
    keys = [m.key for m in missing]
    assert "complainant.name" in keys
    assert all(re.search(r"[\u4e00-\u9fff]", m.label_zh) for m in missing)
    config["complainant"]["name"] = "张测试"
    assert "complainant.name" not in [m.key for m in missing_fields(recipient, config)]


def test_deadlines_in_the_tracking_boxes() -> None:
    def text(recipient: str) -> str:
        return " ".join(_strings(dict(load_template(recipient).data)))

    assert "7 个工作日" in text("consumer-association")
    assert "15 日" in text("regulator") and "30 日" in text("regulator")
    assert "20 日" in text("credit-dispute") and "30 日" in text("credit-dispute")


def test_build_refuses_missing_fields_before_writing(tmp_path: Path) -> None:
    config = tomllib.loads(CASE.read_text(encoding="utf-8"))
    req = BundleRequest(
        "consumer-association",
        config,
        (),
        lambda s: tmp_path / s,
        "0" * 64,
        __import__("datetime").datetime(2025, 3, 1),
    )
    out = tmp_path / "p.pdf"
    with pytest.raises(BundleError) as err:
        build_bundle(req, out)
    assert "complainant.name" in err.value.message and "投诉人姓名" in err.value.message
    assert "--draft" in (err.value.hint or "")
    assert list(tmp_path.iterdir()) == []


def test_user_copy_of_a_template_is_used(tmp_path: Path) -> None:
    shutil.copy(shipped_template_dir() / "court.toml", tmp_path / "court.toml")
    path = tmp_path / "court.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            'title = "证据目录及证据材料"', 'title = "我的证据目录"'
        ),
        encoding="utf-8",
    )
    assert load_template("court", tmp_path).text("title") == "我的证据目录"


def test_broken_template_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "court.toml").write_text('title = "x"\n[[letter]]\ntype = "poem"\n', "utf-8")
    with pytest.raises(BundleError, match="unknown type 'poem'"):
        load_template("court", tmp_path)
    with pytest.raises(BundleError, match="template not found"):
        load_template("regulator", tmp_path)


def test_filler_marks_gaps_only_for_required_keys() -> None:
    tpl = load_template("consumer-association")
    filler = Filler(
        {"complainant": {"name": ""}},
        {"today": "2025年3月1日"},
        tpl,
        frozenset({"complainant.name"}),
    )
    assert (
        filler.fill("{complainant.name}") == "【待填写：投诉人姓名（case.toml: complainant.name）】"
    )
    assert filler.fill("{complainant.email}|{today}") == "|2025年3月1日"


# ---------------------------------------------------------------- status of each cited rule

BASIS_LABELS = {
    "binding": "【有约束力】",
    "argument": "【可作为主张依据】",
    "reference": "【仅供参照】",
}
# Words that present an item as read from a secondary source or not verified.
HEDGES = ("据媒体报道", "据公开资料", "据公开信息", "未能核对", "未经核实", "未能确认")


def _raw_basis(recipient: str) -> list[tuple[dict, list]]:
    data = tomllib.loads((shipped_template_dir() / f"{recipient}.toml").read_text("utf-8"))
    blocks = [b for b in data["letter"] if b["type"] == "legal_basis"]
    return [(data.get("status_labels", {}), b) for b in blocks]


@pytest.mark.parametrize("recipient", RECIPIENTS)
def test_every_basis_item_carries_a_status_from_the_allowed_set(recipient: str) -> None:
    found = _raw_basis(recipient)
    assert found, f"{recipient}: no legal_basis block"
    for labels, block in found:
        assert labels == BASIS_LABELS, f"{recipient}: [status_labels] {labels}"
        assert all(w in block["legend"] for w in BASIS_LABELS.values()), recipient
        assert block["items"], recipient
        for item in block["items"]:
            assert isinstance(item, dict) and item["status"] in BASIS_LABELS, (recipient, item)
            text = item["text"]
            assert text.strip() and "【" not in text, (recipient, text)  # the label comes from data
            # an item read from news or a mirror is never worded as settled, verified law
            hedged = any(h in text for h in HEDGES)
            if item["status"] == "binding":
                assert not hedged, f"{recipient}: a hedged item marked binding: {text}"
            if "据有关规定" in text or "据公开报道" in text:
                pytest.fail(f"{recipient}: vague source wording left in: {text}")


def test_secondary_and_unverified_rules_are_not_binding() -> None:
    """complaint-kinds.md: the CBIRC 2022 No. 9 article number and the credit-card rule text are
    secondary-source; the banking association's guideline is self-regulation."""
    status = {}
    for r in RECIPIENTS:
        for _labels, block in _raw_basis(r):
            for item in block["items"]:
                status[(r, item["text"][:12])] = (item["status"], item["text"])
    for (_r, _head), (st, text) in status.items():
        if "银行保险机构消费者权益保护管理办法" in text:
            assert st != "binding" and "条文序号" in text and "未经核实" in text, text
        if "催收工作指引" in text:
            assert st == "reference" and "不是法律法规" in text, text
        if "商业银行信用卡业务监督管理办法" in text:
            assert st == "reference" and "未能核对" in text, text
        if "暂行办法" in text:
            assert st != "binding", text


@pytest.mark.parametrize(
    "item",
    ['"《某法》第一条。"', '{ text = "《某法》第一条。" }', '{ status = "settled", text = "x" }'],
)
def test_a_basis_item_without_a_valid_status_is_refused(tmp_path: Path, item: str) -> None:
    src = (shipped_template_dir() / "court.toml").read_text("utf-8")
    start = src.index('type = "legal_basis"')
    items = src.index("items = [", start)
    end = src.index("\n]\n", items)
    (tmp_path / "court.toml").write_text(
        src[:items] + f"items = [\n  {item},\n" + src[end:], encoding="utf-8"
    )
    with pytest.raises(BundleError, match="status"):
        load_template("court", tmp_path)


def test_a_template_without_status_words_is_refused(tmp_path: Path) -> None:
    src = (shipped_template_dir() / "court.toml").read_text("utf-8")
    src = src.replace('binding = "【有约束力】"\n', "")
    (tmp_path / "court.toml").write_text(src, encoding="utf-8")
    with pytest.raises(BundleError, match="status_labels"):
        load_template("court", tmp_path)


@pytest.mark.parametrize("recipient", RECIPIENTS)
def test_source_tags_map_to_an_allowed_status_and_never_bind_unverified(recipient: str) -> None:
    data = tomllib.loads((shipped_template_dir() / f"{recipient}.toml").read_text("utf-8"))
    table = data["rule_status"]
    assert table["unknown"] == "reference" and "未核实" in table["unverified_words"]
    by_source = table["by_source"]
    assert set(by_source.values()) <= set(BASIS_LABELS), by_source
    # only statute text read at source binds; news, mirrors and unverified items never do
    assert by_source["[L]"] == "binding"
    assert all(v != "binding" for k, v in by_source.items() if k != "[L]"), by_source
    assert {"[S]", "[U]", "[G]", "[L]"} <= set(table["source_words"])


@pytest.mark.parametrize("recipient", RECIPIENTS)
def test_tracking_rows_that_cite_a_rule_carry_a_status(recipient: str) -> None:
    data = tomllib.loads((shipped_template_dir() / f"{recipient}.toml").read_text("utf-8"))
    for block in (b for b in data["letter"] if b["type"] == "tracking"):
        for row in block["rows"]:
            if re.search(r"《|办法|条例|第[一二三四五六七八九十百]+条", row[1] if len(row) > 1 else ""):
                assert len(row) == 3 and row[2] in BASIS_LABELS, (recipient, row)
                assert all(w in block["legend"] for w in BASIS_LABELS.values()), recipient


def test_a_tracking_row_with_an_unknown_status_is_refused(tmp_path: Path) -> None:
    src = (shipped_template_dir() / "regulator.toml").read_text("utf-8")
    bad = src.replace('条文序号未经核实）", "argument"]', '条文序号未经核实）", "law"]')
    assert bad != src
    (tmp_path / "regulator.toml").write_text(bad, encoding="utf-8")
    with pytest.raises(BundleError, match="status"):
        load_template("regulator", tmp_path)
