"""What every command shares: the injectable environment, the case, output, the error boundary."""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from evidence_kit.errors import EvidenceKitError, ExitCode
from evidence_kit.i18n import _, normalize_language, set_language

if TYPE_CHECKING:
    from evidence_kit.case import Case
    from evidence_kit.ledger.events import Ledger


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Env:
    """Streams, clock and environment, injectable so tests need no monkeypatching."""

    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    clock: Callable[[], datetime] = _utc_now
    environ: Mapping[str, str] = field(default_factory=lambda: os.environ)
    cwd: Path | None = None


@dataclass
class AppContext:
    env: Env
    case_arg: str | None = None
    json: bool = False
    debug: bool = False
    ocr_engine: str | None = None
    _ledger: Ledger | None = None

    def case(self) -> Case:
        from evidence_kit.case import find_case

        return find_case(self.case_arg, cwd=self.env.cwd, env=self.env.environ)

    def ledger(self) -> Ledger:
        if self._ledger is None:
            from evidence_kit.ledger.events import Ledger

            case = self.case()
            self._ledger = Ledger(case.ledger_path, case.head_path)
        return self._ledger

    def close(self) -> None:
        if self._ledger is not None:
            self._ledger.close()
            self._ledger = None

    # ------------------------------------------------------------ output

    def out(self, text: str = "") -> None:
        click.echo(text, file=self.env.stdout)

    def err(self, text: str) -> None:
        click.echo(text, file=self.env.stderr)

    def emit_json(self, obj: Any) -> None:
        self.env.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2, default=str) + "\n")
        self.env.stdout.flush()

    def emit_jsonl(self, obj: Any) -> None:
        self.env.stdout.write(json.dumps(obj, ensure_ascii=False, default=str) + "\n")
        self.env.stdout.flush()

    @contextmanager
    def progress(
        self, label: str, total: int | None = None, *, threshold: int = 5
    ) -> Iterator[Callable[[int, int, str], None]]:
        """A progress bar on stderr for long work (more than ``threshold`` items, a terminal).

        Without ``total`` the bar takes it from the first update, so a caller need not count
        the work before doing it."""
        stream = self.env.stderr
        if not getattr(stream, "isatty", lambda: False)() or (
            total is not None and total <= threshold
        ):
            yield lambda done, total, item: None
            return
        state: dict[str, Any] = {"bar": None, "done": 0}

        def update(done: int, total_: int, item: str) -> None:
            bar = state["bar"]
            if bar is None:
                if total_ <= threshold:
                    return
                bar = click.progressbar(
                    length=total_, label=label, file=stream, show_pos=True, show_eta=True
                )
                bar.__enter__()
                state["bar"] = bar
            if total_ != bar.length:
                bar.length = total_
            bar.update(done - state["done"])
            state["done"] = done

        try:
            yield update
        finally:
            if state["bar"] is not None:
                state["bar"].__exit__(None, None, None)


pass_app = click.make_pass_decorator(AppContext)


def _lang_arg(args: list[str]) -> str | None:
    """The value of a global ``--lang`` (``--lang en`` or ``--lang=en``), if one is given."""
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
        else:
            continue
        return value if normalize_language(value) else None
    return None


def run_main(cli: click.Group, argv: list[str] | None, env: Env | None = None) -> int:
    """The one error boundary: library errors become a message and an exit code."""
    env = env or Env()
    app = AppContext(env=env)
    args = argv if argv is not None else sys.argv[1:]
    debug = "--debug" in args
    # The language is chosen before click parses, so its own errors are in it too.
    set_language(_lang_arg(args), env.environ)
    try:
        # Non-standalone click returns the code of a ``click.exceptions.Exit`` instead of raising.
        rc = cli.main(args=argv, prog_name="evidence-kit", standalone_mode=False, obj=app)
        return rc if isinstance(rc, int) else int(ExitCode.OK)
    except click.exceptions.Exit as e:
        return int(e.exit_code)
    except click.UsageError as e:
        e.show(file=env.stderr)
        return int(ExitCode.USAGE)
    except click.Abort:
        click.echo(_("interrupted"), file=env.stderr)
        return int(ExitCode.INTERRUPTED)
    except KeyboardInterrupt:
        click.echo(_("interrupted; nothing half-written was kept"), file=env.stderr)
        return int(ExitCode.INTERRUPTED)
    except EvidenceKitError as e:
        if debug:
            traceback.print_exc(file=env.stderr)
        click.echo(_("error: {message}").format(message=e.message), file=env.stderr)
        if e.hint:
            click.echo(_("  what to do: {hint}").format(hint=e.hint), file=env.stderr)
        return int(e.exit_code)
    except click.ClickException as e:
        e.show(file=env.stderr)
        return int(e.exit_code)
    except BrokenPipeError:
        return int(ExitCode.OK)
    except Exception as e:  # the last line of defence: never a bare traceback for users
        if debug:
            traceback.print_exc(file=env.stderr)
        click.echo(
            _("internal error: {error}").format(error=f"{type(e).__name__}: {e}")
            + "\n"
            + _(
                "  what to do: this is a bug in evidence-kit; run again with --debug and report "
                "the output (your evidence is safe: originals are never changed)"
            ),
            file=env.stderr,
        )
        return int(ExitCode.ERROR)
    finally:
        app.close()
