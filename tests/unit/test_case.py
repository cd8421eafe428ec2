from pathlib import Path

import pytest

from evidence_kit.case import (
    ENV_VAR,
    META_DIR,
    case_template,
    config_value,
    find_case,
    init_case,
    load_config,
)
from evidence_kit.errors import CaseNotFoundError, ConfigError


def test_init_creates_layout_and_is_idempotent(tmp_path: Path) -> None:
    case, created = init_case(tmp_path / "我的分期乐维权")
    assert created
    assert (case.root / META_DIR / "objects").is_dir()
    assert case.config_path.read_text("utf-8") == case_template()
    case.config_path.write_text('[complainant]\nname = "林晓雨"\n', encoding="utf-8")
    _, created_again = init_case(case.root)
    assert not created_again
    assert "林晓雨" in case.config_path.read_text("utf-8")  # never overwritten


def test_find_case_walks_up_and_respects_overrides(tmp_path: Path) -> None:
    case, _ = init_case(tmp_path / "c")
    deep = case.root / "a" / "b"
    deep.mkdir(parents=True)
    assert find_case(cwd=deep, env={}).root == case.root
    other, _ = init_case(tmp_path / "other")
    assert find_case(cwd=deep, env={ENV_VAR: str(other.root)}).root == other.root
    assert find_case(str(case.root), cwd=tmp_path, env={ENV_VAR: str(other.root)}).root == case.root


def test_not_a_case_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(CaseNotFoundError) as e:
        find_case(cwd=tmp_path, env={})
    assert "evidence-kit init" in (e.value.hint or "")
    with pytest.raises(CaseNotFoundError, match="not an evidence-kit case"):
        find_case(str(tmp_path), env={})
    with pytest.raises(CaseNotFoundError, match="not a folder"):
        find_case(str(tmp_path / "missing"), env={})


def test_template_has_every_section_and_chinese_comments() -> None:
    cfg = load_config_text(case_template())
    for section in ("complainant", "respondent", "loan", "debt", "budget", "dispute"):
        assert section in cfg
    assert "投诉人" in case_template()
    assert config_value(cfg, "loan.lender_type") == ""
    assert config_value(cfg, "loan.nope.deeper") is None


def load_config_text(text: str) -> dict:
    import tomllib

    return tomllib.loads(text)


def test_bad_toml_names_the_problem(tmp_path: Path) -> None:
    p = tmp_path / "case.toml"
    p.write_text("[complainant]\nname = 林晓雨\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="syntax error") as e:
        load_config(p)
    assert "quotes" in (e.value.hint or "")
    p.write_bytes("name = '林'".encode("gbk"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(p)
