"""The root command group and its global options."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from evidence_kit import __version__
from evidence_kit.cli.context import AppContext
from evidence_kit.cli.help_i18n import TranslatedGroup

EPILOG = (
    "Exit codes: 0 ok, 1 error (explained on stderr), 2 usage error, "
    "3 verification failed, 130 interrupted."
)


@click.group(
    cls=TranslatedGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EPILOG,
)
@click.option(
    "--case",
    "case_arg",
    metavar="DIR",
    envvar="EVIDENCE_KIT_CASE",
    help="The case folder (default: the folder holding .evidence-kit/ here or above; "
    "or $EVIDENCE_KIT_CASE).",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output (UTF-8 JSON).")
@click.option(
    "--ocr-engine",
    type=click.Choice(["rapidocr", "tesseract"]),
    default=None,
    help="OCR engine (default rapidocr; tesseract is the fallback).",
)
@click.option(
    "--lang",
    type=click.Choice(["zh", "zh_CN", "en"]),
    default=None,
    expose_value=False,
    help="Language of messages (default Chinese; or $EVIDENCE_KIT_LANG, or the locale).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.version_option(__version__, prog_name="evidence-kit")
@click.pass_context
def cli(
    ctx: click.Context, case_arg: str | None, as_json: bool, ocr_engine: str | None, debug: bool
) -> None:
    """evidence-kit: keep the evidence of a credit dispute and build the complaint.

    Drop chat screenshots, bills, call notes and recordings into a case folder; the kit
    stores each original byte-for-byte in a hash-chained ledger, reads them (OCR, Chinese +
    English), and builds the complaint package (PDF) for 12315, the financial regulator,
    a credit-report dispute or a court.

    \b
    Start:  evidence-kit init 我的维权材料 && cd 我的维权材料
            (copy your files in, fill in case.toml)
            evidence-kit ingest
            evidence-kit bundle --for regulator
    Try:    evidence-kit demo
    """
    app = ctx.ensure_object(AppContext)
    app.case_arg = case_arg
    app.json = as_json
    app.debug = debug
    app.ocr_engine = ocr_engine


F = TypeVar("F", bound=Callable[..., Any])


def json_option(f: F) -> F:
    """``--json`` after the command name too (``evidence-kit search --json``)."""

    def callback(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
        if value:
            ctx.find_object(AppContext).json = True  # type: ignore[union-attr]

    return click.option(
        "--json",
        "json_flag",
        is_flag=True,
        expose_value=False,
        callback=callback,
        help="Machine-readable output (UTF-8 JSON).",
    )(f)
