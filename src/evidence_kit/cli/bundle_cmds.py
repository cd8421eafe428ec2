"""``evidence-kit bundle`` and ``verify --bundle``."""

from __future__ import annotations

from pathlib import Path

import click

from evidence_kit.cli.app import cli, json_option
from evidence_kit.cli.context import AppContext, pass_app
from evidence_kit.errors import ExitCode, UsageError
from evidence_kit.i18n import _

RECIPIENT_CHOICES = ["negotiation", "consumer-association", "regulator", "credit-dispute", "court"]


@cli.command()
@click.argument("words", nargs=-1)
@click.option(
    "--for",
    "recipient",
    type=click.Choice(RECIPIENT_CHOICES),
    default="regulator",
    show_default=True,
    help="Who the package is for.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the PDF (default: in the case folder).",
)
@click.option("--from", "date_from", metavar="DATE", help="Only evidence from this day on.")
@click.option("--to", "date_to", metavar="DATE", help="Only evidence up to this day.")
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(["chat", "bill", "note", "recording", "document"]),
    help="Only these kinds (repeatable).",
)
@click.option("--id", "ids", multiple=True, metavar="ID", help="Only these entries (repeatable).")
@click.option(
    "--redact",
    is_flag=True,
    help="Mask ID-card, bank-card and third-party phone numbers; leave the originals "
    "out (their hashes stay in the manifest).",
)
@click.option("--draft", is_flag=True, help="Build even if case.toml lacks required fields.")
@click.option(
    "--template-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Use your own copy of the templates/ folder.",
)
@json_option
@pass_app
def bundle(
    app: AppContext,
    words: tuple[str, ...],
    recipient: str,
    output: Path | None,
    date_from: str | None,
    date_to: str | None,
    kinds: tuple[str, ...],
    ids: tuple[str, ...],
    redact: bool,
    draft: bool,
    template_dir: Path | None,
) -> None:
    """Build the complaint package (PDF, Chinese) from the ledger and case.toml.

    \b
    --for negotiation            协商还款申请 (to the lender)
    --for consumer-association   投诉书 for 12315 / 消协
    --for regulator              金融消费投诉书 (NFRA 12378 / the institution)
    --for credit-dispute         个人征信异议申请
    --for court                  证据目录 + 证据材料

    WORDS keep only evidence whose text contains every word. Fields the recipient requires
    but case.toml leaves empty are listed with their keys before anything is written.
    """
    from evidence_kit.bundle.from_case import Selection, build_case_bundle, default_output

    case = app.case()
    sel = Selection(date_from=date_from, date_to=date_to, kinds=kinds, words=words, ids=ids)
    out = output or default_output(case, recipient, app.env.clock().astimezone(), redact)
    ledger = app.ledger()
    with app.progress(_("Building the package"), ledger.entry_count(), threshold=10) as bar:
        result = build_case_bundle(
            case,
            ledger,
            recipient=recipient,
            out=out,
            clock=app.env.clock,
            selection=sel,
            redact=redact,
            draft=draft,
            template_dir=template_dir,
            progress=lambda done, total: bar(done, total, ""),
        )
    if app.json:
        app.emit_json(
            {
                "path": str(result.path),
                "pages": result.pages,
                "exhibits": result.exhibits,
                "size_bytes": result.size_bytes,
                "recipient": recipient,
                "redacted": redact,
            }
        )
    else:
        app.out(_("Package written to {path}").format(path=result.path))
        line = _("  {exhibits} exhibits, {pages} pages, {size} MB").format(
            exhibits=result.exhibits, pages=result.pages, size=f"{result.size_bytes / 1e6:.1f}"
        )
        app.out(line + (_(", redacted") if redact else ""))


def verify_bundle_command(app: AppContext, path: Path) -> None:
    from evidence_kit.bundle import verify_bundle

    if not path.is_file():
        raise UsageError(
            _("{path} is not a file").format(path=path), _("give the path of a package PDF")
        )
    result = verify_bundle(path)
    if app.json:
        app.emit_json(result.to_json())
    else:
        for c in result.checks:
            state = "ok" if c.ok else ("MISSING" if c.actual_sha256 is None else "ALTERED")
            app.out(f"{state:<8} {c.name}")
        if result.ok and result.redacted:
            app.out(
                _(
                    "OK: a redacted package; the originals are not attached (its manifest "
                    "lists their SHA-256 — check them against the case with `evidence-kit "
                    "verify`)"
                )
            )
        elif result.ok:
            app.out(
                _("OK: {count} embedded originals match the manifest").format(
                    count=len(result.checks)
                )
            )
    if not result.ok:
        if not app.json:
            problem = result.problem or _("embedded originals do not match the manifest")
            app.err(_("FAILED: {problem}").format(problem=problem))
        raise click.exceptions.Exit(int(ExitCode.VERIFICATION_FAILED))
