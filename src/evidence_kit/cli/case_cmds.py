"""init, ingest, annotate, verify, rebuild, demo."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from evidence_kit.cli.app import cli, json_option
from evidence_kit.cli.context import AppContext, pass_app
from evidence_kit.errors import ExitCode, UsageError
from evidence_kit.i18n import _

if TYPE_CHECKING:
    from evidence_kit.intake.content import ContentAnalyzer
    from evidence_kit.intake.ingest import IngestResult


@cli.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@json_option
@pass_app
def init(app: AppContext, directory: Path | None) -> None:
    """Create a case in DIRECTORY (default: here): case.toml and .evidence-kit/."""
    from evidence_kit.case import init_case
    from evidence_kit.ledger.events import Ledger

    folder = directory or app.env.cwd or Path.cwd()
    case, created = init_case(folder)
    Ledger(case.ledger_path, case.head_path).close()
    if app.json:
        app.emit_json({"case": str(case.root), "created": created, "config": str(case.config_path)})
        return
    if created:
        app.out(_("Created a case in {path}").format(path=case.root))
    else:
        app.out(_("{path} is already a case; nothing was overwritten").format(path=case.root))
    app.out(
        _("  1. fill in {file} (your name, the lender, your demands)").format(
            file=case.config_path.name
        )
    )
    app.out(_("  2. copy screenshots, bills, notes and recordings into the folder"))
    app.out(_("  3. run `evidence-kit ingest` (or `evidence-kit watch`)"))


def make_analyzer(app: AppContext) -> ContentAnalyzer | None:
    """The OCR + extraction analyzer, or None when that part of the kit is not installed."""
    try:
        from evidence_kit.intake.content import ContentAnalyzer
    except ModuleNotFoundError:
        return None
    case = app.case()
    return ContentAnalyzer(
        cache_dir=case.cache_dir, engine_name=app.ocr_engine, utc_offset=case.utc_offset()
    )


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--no-ocr", is_flag=True, help="Only store and date the files; read them later.")
@json_option
@pass_app
def ingest(app: AppContext, paths: tuple[Path, ...], no_ocr: bool) -> None:
    """Take in new files (default: the whole case folder).

    Originals are copied into the case's store by SHA-256 and never changed; your own
    files are only read. Re-running is cheap: unchanged files are skipped without
    re-reading them. With --json, prints one JSON object per file (JSONL):
    path, status (ingested|duplicate|unchanged|failed), id, error.
    Exit code 1 when any file failed (the others are still ingested).
    """
    from evidence_kit.intake.ingest import Ingester, IngestStatus

    case = app.case()
    ledger = app.ledger()
    analyzer = None if no_ocr else make_analyzer(app)
    ingester = Ingester(case, ledger, clock=app.env.clock, analyzer=analyzer)
    counts = {s: 0 for s in IngestStatus}
    with app.progress(_("Storing")) as bar, app.progress(_("Reading (OCR)")) as ocr_bar:
        for result in ingester.run(list(paths) or None, progress=bar, analysis_progress=ocr_bar):
            counts[result.status] += 1
            if app.json:
                app.emit_jsonl(result.to_json())
            elif result.status is IngestStatus.FAILED:
                app.err(
                    _("failed     {path}: {error}").format(path=result.path, error=result.error)
                )
            elif result.status is not IngestStatus.UNCHANGED:
                app.out(_describe(result))
    if not app.json:
        app.out(
            _(
                "{ingested} ingested, {duplicate} duplicate, {unchanged} unchanged, {failed} failed"
            ).format(
                ingested=counts[IngestStatus.INGESTED],
                duplicate=counts[IngestStatus.DUPLICATE],
                unchanged=counts[IngestStatus.UNCHANGED],
                failed=counts[IngestStatus.FAILED],
            )
        )
    if counts[IngestStatus.FAILED]:
        raise click.exceptions.Exit(int(ExitCode.ERROR))


def _describe(result: IngestResult) -> str:
    from evidence_kit.intake.ingest import status_word

    line = f"{status_word(result.status):<10} {result.id or '':<12}  {result.path}"
    if result.kind:
        line += f"  [{result.kind}"
        if result.occurred_at:
            line += f", {result.occurred_at[:16].replace('T', ' ')}"
        if result.amounts:
            shown = ", ".join(f"¥{a}" for a in result.amounts[:4])
            more = f" +{len(result.amounts) - 4}" if len(result.amounts) > 4 else ""
            line += f", {shown}{more}"
        line += "]"
    if result.warning:
        line += f"  (note: {result.warning})"
    return line


@cli.command()
@click.argument("entry_id", metavar="ID")
@click.option("--title", help="A title for the entry (shown in the evidence list).")
@click.option(
    "--occurred-at",
    "occurred_at",
    metavar="DATETIME",
    help='When it really happened, e.g. "2025-03-05 10:15" (empty: back to automatic).',
)
@click.option(
    "--exclude", "exclude", flag_value=True, default=None, help="Leave this entry out of bundles."
)
@click.option("--include", "exclude", flag_value=False, help="Put an excluded entry back.")
@click.option("--note", help="Your note on the entry (what it proves).")
@click.option(
    "--amount",
    "amount_fixes",
    multiple=True,
    metavar="N=VALUE",
    help="The amount number N (as `show` lists them, from 1) really reads VALUE, e.g. 2=1284.00.",
)
@json_option
@pass_app
def annotate(
    app: AppContext,
    entry_id: str,
    title: str | None,
    occurred_at: str | None,
    exclude: bool | None,
    note: str | None,
    amount_fixes: tuple[str, ...],
) -> None:
    """Correct an entry. Recorded as a new ledger event; nothing is overwritten."""
    from evidence_kit.intake.annotate import annotate_entry

    if title is None and occurred_at is None and exclude is None and note is None and not (
        amount_fixes
    ):
        raise UsageError(
            _("nothing to change"),
            _("give --title, --occurred-at, --exclude/--include, --note or --amount"),
        )
    amounts: dict[int, str] = {}
    for fix in amount_fixes:
        number, sep, value = fix.partition("=")
        if not sep or not number.strip().isdigit() or int(number) < 1:
            raise UsageError(
                _("cannot read --amount {fix}").format(fix=fix),
                _("write the amount's number and its value, like --amount 2=1284.00"),
            )
        amounts[int(number) - 1] = value
    case = app.case()
    entry = annotate_entry(
        app.ledger(),
        entry_id,
        clock=app.env.clock,
        utc_offset=case.utc_offset(),
        title=title,
        occurred_at=occurred_at,
        excluded=exclude,
        note=note,
        amounts=amounts or None,
        reviewed={f"amount:{i}": "corrected" for i in amounts} or None,
    )
    if app.json:
        app.emit_json(
            {
                "id": entry.id,
                "title": entry.title,
                "occurred_at": entry.occurred_at,
                "occurred_at_source": entry.occurred_at_source,
                "excluded": entry.excluded,
                "note": entry.user_note,
                "amounts": [str(a.value) for a in entry.extraction.amounts],
            }
        )
    else:
        line = _("annotated {id}: {title}").format(id=entry.id, title=entry.display_title)
        app.out(line + (_(" (excluded from bundles)") if entry.excluded else ""))


@cli.command()
@click.option(
    "--bundle",
    "bundle_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Check a complaint package's embedded originals against its manifest.",
)
@json_option
@pass_app
def verify(app: AppContext, bundle_path: Path | None) -> None:
    """Rehash every stored original and recheck the ledger's hash chain.

    Exit code 3 when anything was altered, removed or does not match. case.toml, your own
    description of the case, is not evidence and is not checked.
    """
    if bundle_path is not None:
        from evidence_kit.cli.bundle_cmds import verify_bundle_command

        verify_bundle_command(app, bundle_path)
        return
    from evidence_kit.ledger.verify import verify_case

    case = app.case()
    ledger = app.ledger()
    with app.progress(_("Rehashing"), ledger.entry_count()) as bar:
        report = verify_case(case, ledger, progress=bar)
    if app.json:
        app.emit_json(report.to_json())
    else:
        for p in report.problems:
            app.err(_("PROBLEM  {message}").format(message=p.message))
        for w in report.warnings:
            app.err(_("warning  {message}").format(message=w.message))
        state = (
            _("OK")
            if report.ok
            else _("FAILED ({count} problems)").format(count=len(report.problems))
        )
        app.out(
            _("{state}: {events} events, {objects} originals rehashed, head #{seq} {head}…").format(
                state=state,
                events=report.events,
                objects=report.objects,
                seq=report.head_seq,
                head=report.head_hash[:16],
            )
        )
    if not report.ok:
        raise click.exceptions.Exit(int(ExitCode.VERIFICATION_FAILED))


@cli.command()
@click.argument("ids", nargs=-1, metavar="[ID ...]")
@json_option
@pass_app
def reanalyze(app: AppContext, ids: tuple[str, ...]) -> None:
    """Read entries again (default: all) with this version's OCR and extraction.

    Each result is recorded as a new ledger event; nothing earlier is changed. OCR results
    are cached by content, so only the extraction really runs again.
    """
    from evidence_kit.intake.ingest import Ingester

    case = app.case()
    ledger = app.ledger()
    analyzer = make_analyzer(app)
    if analyzer is None:
        raise UsageError(_("the OCR and extraction part of the kit is not installed"))
    entries = ledger.entries([ledger.resolve_id(i) for i in ids] if ids else None)
    ingester = Ingester(case, ledger, clock=app.env.clock, analyzer=analyzer)
    with app.progress(_("Reading"), len(entries)) as bar:
        done = ingester.analyze_entries(entries, bar)
    lost = ingester.lost_decisions
    if app.json:
        app.emit_json(
            {"reanalyzed": sorted(done), "unplaced": {k: list(v) for k, v in sorted(lost.items())}}
        )
        return
    app.out(_("read {count} entries again").format(count=len(done)))
    for entry_id, keys in sorted(lost.items()):
        app.out(
            _(
                "{id}: {count} value(s) you checked are not in the new reading; "
                "look at them again in the review queue (evidence-kit serve)"
            ).format(id=entry_id, count=len(keys))
        )


@cli.command()
@json_option
@pass_app
def rebuild(app: AppContext) -> None:
    """Rebuild the search tables from the ledger's events (safe at any time)."""
    n = app.ledger().rebuild()
    if app.json:
        app.emit_json({"events": n})
    else:
        app.out(_("rebuilt the search tables from {count} events").format(count=n))


@cli.command()
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@json_option
@pass_app
def demo(app: AppContext, directory: Path | None) -> None:
    """Make a case from the bundled samples (all fictional), read it, and build a package."""
    from evidence_kit.demo import run_demo

    target = directory or (app.env.cwd or Path.cwd()) / "evidence-kit-demo"
    say = (lambda _m: None) if app.json else app.out
    result = run_demo(target, clock=app.env.clock, engine_name=app.ocr_engine, say=say)
    if app.json:
        app.emit_json(result.to_json())
    else:
        app.out(result.summary())
