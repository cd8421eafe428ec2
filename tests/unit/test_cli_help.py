"""Every command explains itself, and the CLI starts without loading heavy libraries."""

import subprocess
import sys

import click
import pytest

from evidence_kit.cli import cli


def all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, cmd in group.commands.items():
        out.append((*prefix, name))
        if isinstance(cmd, click.Group):
            out.extend(all_commands(cmd, (*prefix, name)))
    return out


COMMANDS = all_commands(cli)

# Per command, words only its own --help has: a help that renders but says the wrong thing (or
# another command's text) fails. Add one here with every new command.
HELP_WORDS = {
    ("init",): ".evidence-kit/",
    ("ingest",): "Take in new files",
    ("annotate",): "--occurred-at",
    ("verify",): "--bundle",
    ("reanalyze",): "Read entries again",
    ("rebuild",): "search tables",
    ("demo",): "bundled samples",
    ("search",): "--min",
    ("show",): "unique prefix",
    ("timeline",): "per-day summary",
    ("export",): "--csv",
    ("note",): "--staff-id",
    ("watch",): "--poll",
    ("extract",): "--reference",
    ("bundle",): "--for",
    ("analyze",): "true cost",
    ("plan",): "repayment plan",
    ("loan",): "cash flows",
    ("loan", "propose"): "--yes",
    ("loan", "import"): "--dry-run",
    ("serve",): "--no-browser",  # on main since this branch began
}


def test_the_contract_commands_exist() -> None:
    names = {c[0] for c in COMMANDS}
    assert names >= {"init", "ingest", "watch", "note", "search", "show", "annotate", "export",
                     "timeline", "extract", "bundle", "verify", "analyze", "demo"}


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_command_has_help(path: tuple[str, ...]) -> None:
    from click.testing import CliRunner

    from evidence_kit.cli.context import AppContext, Env

    cmd: click.Command = cli
    for part in path:
        cmd = cmd.commands[part]  # type: ignore[attr-defined]
    assert cmd.help and len(cmd.help.strip()) > 20, f"{' '.join(path)} needs a help text"
    r = CliRunner().invoke(cli, [*path, "--help"], obj=AppContext(env=Env()))
    assert r.exit_code == 0 and "Usage:" in r.output
    assert f"Usage: cli {' '.join(path)} [OPTIONS]" in r.output
    assert path in HELP_WORDS, f"add a word only `{' '.join(path)} --help` shows to HELP_WORDS"
    assert HELP_WORDS[path] in " ".join(r.output.split())


def test_help_words_are_specific_to_their_command() -> None:
    from click.testing import CliRunner

    from evidence_kit.cli.context import AppContext, Env

    shown = {
        path: " ".join(
            CliRunner().invoke(cli, [*path, "--help"], obj=AppContext(env=Env())).output.split()
        )
        for path in COMMANDS
    }
    for path, word in HELP_WORDS.items():
        others = [p for p, text in shown.items() if p != path and word in text]
        assert others == [], f"{word!r} of {' '.join(path)} is also in the help of {others}"


def test_commands_that_print_data_take_json() -> None:
    quiet = {("loan",)}  # a group
    for path in COMMANDS:
        if path in quiet:
            continue
        cmd: click.Command = cli
        for part in path:
            cmd = cmd.commands[part]  # type: ignore[attr-defined]
        opts = {o for p in cmd.params for o in getattr(p, "opts", [])}
        assert "--json" in opts, f"{' '.join(path)} has no --json"


def test_importing_the_cli_loads_no_heavy_library() -> None:
    heavy = ["reportlab", "rapidocr", "onnxruntime", "pytesseract", "watchdog", "numpy", "pypdf",
             "PIL",
             # the web page's stack loads only when `serve` runs
             "starlette", "uvicorn", "jinja2", "multipart", "python_multipart", "tomlkit",
             "anyio", "evidence_kit.web.app", "evidence_kit.web.security"]
    code = (
        "import sys, evidence_kit.cli\n"
        f"print([m for m in {heavy!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"
