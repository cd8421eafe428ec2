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
