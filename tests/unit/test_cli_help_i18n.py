"""--help speaks Chinese by default and English with --lang en, for every command."""

from __future__ import annotations

import click
import pytest

from evidence_kit import i18n
from evidence_kit.cli import cli
from evidence_kit.cli.context import Env, run_main
from evidence_kit.cli.help_i18n import _width, help_msgid, wrap_wide


def _walk(cmd: click.Command, ctx: click.Context) -> list[tuple[click.Command, click.Context]]:
    out = [(cmd, ctx)]
    if isinstance(cmd, click.Group):
        for name, sub in cmd.commands.items():
            out.extend(_walk(sub, click.Context(sub, info_name=name, parent=ctx)))
    return out


ALL = _walk(cli, click.Context(cli, info_name="evidence-kit"))
COMMAND_PATHS = [ctx.command_path.split()[1:] for _cmd, ctx in ALL]

# click's own words on a help page, translated under click's English msgids.
CLICK_WORDS = ["Usage:", "Options", "Commands", "Positional arguments", "default: {default}"]


def _help(capsys: pytest.CaptureFixture[str], *argv: str, **environ: str) -> str:
    """--help through the real entry point, with no EVIDENCE_KIT_LANG unless given (click
    writes help to the process's stdout, not to the injected stream)."""
    capsys.readouterr()
    assert run_main(cli, list(argv), env=Env(environ=environ)) == 0
    return capsys.readouterr().out


def _texts(cmd: click.Command, ctx: click.Context) -> list[tuple[str, str]]:
    """(what, msgid) for every text this command's --help shows from the source."""
    out = [("help", cmd.help), ("short help", cmd.short_help), ("epilog", cmd.epilog)]
    for p in cmd.get_params(ctx):  # the help and --version options included
        out.append((f"help of {p.name}", getattr(p, "help", None)))
    return [(what, msgid) for what, text in out if (msgid := help_msgid(text))]


def test_every_command_option_and_epilog_has_a_chinese_translation() -> None:
    zh = i18n.translations("zh_CN")
    missing = [
        f"{ctx.command_path}: {what}: {msgid[:60]!r}"
        for cmd, ctx in ALL
        for what, msgid in _texts(cmd, ctx)
        if zh.gettext(msgid) == msgid
    ]
    missing += [w for w in CLICK_WORDS if zh.gettext(w) == w]
    assert missing == []
    # The walk really reached the texts: every command has help, and there are nested groups.
    assert all(cmd.help for cmd, _ctx in ALL) and ["loan", "import"] in COMMAND_PATHS


@pytest.mark.parametrize("path", COMMAND_PATHS, ids=" ".join)
def test_chinese_help_by_default_for_every_command(capsys, path) -> None:
    out = _help(capsys, *path, "--help")
    assert out.startswith("用法：evidence-kit"), out[:80]
    assert "选项：" in out and "显示这份帮助并退出。" in out
    for word in ("Usage:", "Options:", "Show this message"):
        assert word not in out
    lines = out.splitlines()
    # Chinese is wrapped at terminal columns (a character is two), never starting a line with
    # closing punctuation.
    assert max(_width(line) for line in lines) <= 100
    assert not [line for line in lines if line.strip()[:1] in set("，。、；：）》")]


def test_root_and_search_help_in_chinese_and_in_english(capsys) -> None:
    zh = _help(capsys, "--help")
    assert "保存信贷纠纷的证据" in zh and "命令：" in zh and "退出码：0 成功" in zh
    assert "列出符合全部筛选条件的记录" in zh  # search's short help in the command list
    assert "evidence-kit init 我的维权材料" in zh  # examples unchanged
    en = _help(capsys, "--lang", "en", "--help")
    assert en.startswith("Usage: evidence-kit") and "Commands:" in en
    assert "keep the evidence of a credit dispute" in en and "Exit codes: 0 ok" in en
    assert "用法" not in en and "退出码" not in en

    zh = _help(capsys, "search", "--help")
    assert "金额不少于这个数" in zh and "--min AMOUNT" in zh and "[默认：0" in zh
    en = _help(capsys, "--lang", "en", "search", "--help")
    assert "An amount at least this" in en and "[default: 0" in en
    assert "Show this message and exit." in en and "金额不少于" not in en
    # The locale chooses too.
    en = _help(capsys, "search", "--help", LANG="en_US.UTF-8")
    assert "An amount at least this" in en


def test_a_usage_error_shows_the_usage_line_in_the_language(run_cli) -> None:
    r = run_cli("search", "--kind", "bogus", environ={"EVIDENCE_KIT_LANG": ""})
    assert r.code == 2 and "用法：evidence-kit search" in r.err


def test_chinese_wrapping_keeps_numbers_with_units_and_punctuation_off_line_starts() -> None:
    text = "日期：2025-03-01、2025-03（整个月）、2025/3/1、3月1日（今年）。金额：3千、0.3万。"
    for width in range(8, 40):
        lines = wrap_wide(text, width).splitlines()
        assert "".join(lines) == text
        assert all(_width(line) <= width or " " not in line for line in lines)
        assert not [line for line in lines if line[0] in "，。、；：）"]
        assert not [line for line in lines if line.endswith("（")]
        joined = "\n".join(lines)
        assert "3\n月" not in joined and "0.3\n万" not in joined
    # A line break inside a Chinese paragraph of the source is no space; in English it is one.
    assert wrap_wide("第一行\n第二行 and\nmore", 80) == "第一行第二行 and more"
