"""The message catalogue: Chinese by default, English on request, every message translated."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import evidence_kit
from evidence_kit import i18n

PKG = Path(evidence_kit.__file__).parent


@pytest.fixture
def fresh_language(monkeypatch: pytest.MonkeyPatch):
    for var in ("EVIDENCE_KIT_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(i18n, "_chosen", None)
    yield
    i18n.set_language(None)


def _messages_in_source() -> set[str]:
    found: set[str] = set()
    for path in PKG.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "_"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value)
    return found


def _catalog_messages(language: str = "zh_CN") -> list:
    from babel.messages.pofile import read_po

    out = []
    for po in i18n.po_files(language):
        with po.open("rb") as fh:
            out.extend(m for m in read_po(fh) if m.id and m.string)
    return out


def test_every_message_in_the_source_has_a_chinese_translation() -> None:
    translated = {m.id for m in _catalog_messages()}
    missing = sorted(_messages_in_source() - translated)
    assert missing == []


def test_placeholders_survive_translation() -> None:
    import re

    for m in _catalog_messages():
        assert set(re.findall(r"\{\w*\}", m.id)) == set(re.findall(r"\{\w*\}", m.string)), m.id


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "zh_CN"),
        ({"LANG": "C.UTF-8"}, "zh_CN"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LANG": "zh_CN.UTF-8"}, "zh_CN"),
        ({"LANG": "en_US.UTF-8", "EVIDENCE_KIT_LANG": "zh"}, "zh_CN"),
        ({"LANGUAGE": "en:zh", "LANG": "zh_CN.UTF-8"}, "en"),
    ],
)
def test_language_from_the_environment(fresh_language, monkeypatch, env, expected) -> None:
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    assert i18n.current_language() == expected
    assert i18n.set_language(None, env) == expected


def test_chinese_by_default_and_english_on_request(fresh_language, run_cli, tmp_path) -> None:
    missing = str(tmp_path / "nowhere")
    r = run_cli("--case", missing, "search", environ={"EVIDENCE_KIT_LANG": ""})
    assert r.code == 1 and r.err.startswith("错误："), r.err
    r = run_cli("--lang", "en", "--case", missing, "search", environ={"EVIDENCE_KIT_LANG": ""})
    assert r.code == 1 and r.err.startswith("error: "), r.err
    r = run_cli("--case", missing, "search", environ={"EVIDENCE_KIT_LANG": "", "LANG": "en_US"})
    assert r.err.startswith("error: "), r.err


def test_the_compiled_catalogue_matches_the_source(tmp_path) -> None:
    import gettext
    import io

    mo = i18n.compile_po(i18n.po_path("zh_CN"))
    t = gettext.GNUTranslations(io.BytesIO(mo))
    assert t.gettext("interrupted") == "已中断"


def test_no_module_that_translates_rebinds_the_underscore() -> None:
    """``case, _ = …`` in a module that imports ``_`` breaks every message of that function."""
    wrong = []
    for path in PKG.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imports = any(
            isinstance(n, ast.ImportFrom)
            and n.module == "evidence_kit.i18n"
            and any(a.name == "_" for a in n.names)
            for n in ast.walk(tree)
        )
        if not imports:
            continue
        for node in ast.walk(tree):
            targets: list[ast.AST] = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, (ast.For, ast.With, ast.AnnAssign, ast.AugAssign)):
                targets = [getattr(node, "target", None)] if not isinstance(node, ast.With) else [
                    i.optional_vars for i in node.items
                ]
            for t in targets:
                if t is None:
                    continue
                for n in ast.walk(t):
                    if isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store):
                        wrong.append(f"{path.relative_to(PKG)}:{n.lineno}")
    assert wrong == []


def test_a_compiled_catalogue_is_kept_and_read_next_time(tmp_path, monkeypatch) -> None:
    import shutil

    shutil.copytree(i18n.LOCALE_DIR, tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path / "locale")
    monkeypatch.setattr(i18n, "_loaded", {})
    assert i18n.translations("zh_CN").gettext("interrupted") == "已中断"
    mos = sorted((tmp_path / "locale/zh_CN/LC_MESSAGES").glob("*.mo"))
    assert [m.stem for m in mos] == [p.stem for p in i18n.po_files("zh_CN")]
    # The next start reads the .mo (Babel is not needed for it).
    monkeypatch.setattr(i18n, "compile_po", lambda po: (_ for _ in ()).throw(AssertionError(po)))
    monkeypatch.setattr(i18n, "_loaded", {})
    assert i18n.translations("zh_CN").gettext("interrupted") == "已中断"
