"""search, show, timeline, export, note, watch."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from evidence_kit.cli.app import cli, json_option
from evidence_kit.cli.context import AppContext, pass_app
from evidence_kit.errors import UsageError
from evidence_kit.i18n import _

KINDS = ["chat", "bill", "note", "recording", "document"]


def _when(iso: str | None) -> str:
    return iso[:16].replace("T", " ") if iso else "(no date)"


def _money(values: Any, limit: int = 4) -> str:
    values = list(values)
    shown = ", ".join(f"¥{v}" for v in values[:limit])
    return shown + (f" +{len(values) - limit}" if len(values) > limit else "")


def _hl(app: AppContext, text: str, spans: Any) -> str:
    from evidence_kit.query.search import highlight

    if getattr(app.env.stdout, "isatty", lambda: False)():
        return highlight(text, spans, "\x1b[1;7m", "\x1b[0m")
    return highlight(text, spans)


# ---------------------------------------------------------------- search


@cli.command()
@click.argument("words", nargs=-1)
@click.option(
    "--from", "date_from", metavar="DATE", help="On or after (2025-03-01, 2025-03, 3月1日)."
)
@click.option("--to", "date_to", metavar="DATE", help="On or before (a month: to its end).")
@click.option(
    "--min", "min_amount", metavar="AMOUNT", help="An amount at least this (3000, 3千, 0.3万)."
)
@click.option("--max", "max_amount", metavar="AMOUNT", help="An amount at most this.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS), help="Only this kind.")
@click.option(
    "--label",
    "labels",
    multiple=True,
    metavar="LABEL",
    help="An amount labelled so (罚息, 逾期金额 …).",
)
@click.option(
    "--side", type=click.Choice(["them", "me"]), help="Chat messages from this side only."
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=None,
    help="Show at most this many entries (a page); the total is still counted.",
)
@click.option(
    "--offset",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Skip this many entries first (with --limit: the next page).",
)
@json_option
@pass_app
def search(
    app: AppContext,
    words: tuple[str, ...],
    date_from: str | None,
    date_to: str | None,
    min_amount: str | None,
    max_amount: str | None,
    kinds: tuple[str, ...],
    labels: tuple[str, ...],
    side: str | None,
    limit: int | None,
    offset: int,
) -> None:
    """Entries matching all filters, oldest first; with no filters, every entry.

    WORDS are Chinese or other substrings (all must occur). Dates: 2025-03-01, 2025-03
    (the whole month), 2025/3/1, 3月1日 (this year). Amounts as written in the text:
    3000, 3,000, 3千, 0.3万. With --json: {"results": [{id, kind, occurred_at, title,
    sha256, amounts, snippet, matches}], "total", "limit", "offset"}.
    """
    from evidence_kit.intake.dating import parse_offset
    from evidence_kit.query.querydates import EvidenceSpan, needs_year, year_notes
    from evidence_kit.query.search import make_query, search_page

    case = app.case()
    ledger = app.ledger()
    evidence = None
    if needs_year(date_from) or needs_year(date_to):
        # 3月10日 takes its year from the case's evidence, not from today.
        evidence = EvidenceSpan.of(e.occurred_at for e in ledger.entries())
    query = make_query(
        words,
        date_from=date_from,
        date_to=date_to,
        min_amount=min_amount,
        max_amount=max_amount,
        kinds=kinds,
        labels=labels,
        side=side,
        reference=app.env.clock(),
        utc_offset=case.utc_offset(),
        evidence=evidence,
    )
    notes = year_notes(
        (date_from, date_to),
        reference=app.env.clock(),
        tz=parse_offset(case.utc_offset()),
        evidence=evidence,
    )
    page = search_page(ledger, query, limit=limit, offset=offset)
    hits = page.hits
    if app.json:
        payload: dict[str, object] = page.to_json()
        if notes:
            payload["dates_read"] = [
                {"text": t, "date": d, "year_from": src} for t, d, src in notes
            ]
        app.emit_json(payload)
        return
    for written, day, src in notes:
        if src == "evidence":
            app.err(
                _("{written} read as {day} (the year of the case's evidence)").format(
                    written=written, day=day
                )
            )
        else:
            app.err(
                _("{written} read as {day} (this year: the case has no dated evidence)").format(
                    written=written, day=day
                )
            )
    if not hits and page.total == 0:
        if ledger.entry_count() == 0:
            app.err(_("the case has no entries yet; copy files in and run `evidence-kit ingest`"))
        else:
            app.err(_("no entries match"))
        return
    for hit in hits:
        e = hit.entry
        amounts = hit.amounts or tuple(str(a.value) for a in e.extraction.amounts)
        line = f"{e.id}  {_when(e.occurred_at):<16}  {e.kind.value:<9} {e.display_title}"
        if amounts:
            line += f"  [{_money(amounts)}]"
        if e.excluded:
            line += "  (excluded)"
        app.out(line)
        for m in hit.matches[:5]:
            who = m.side.value if m.side else m.where
            at = f" {m.time[11:16]}" if m.time and len(m.time) >= 16 else ""
            text = _hl(app, m.text, m.spans).replace("\n", " ")
            app.out(f"    {who}{at}: {text}")
        if len(hit.matches) > 5:
            app.out(_("    … {count} more").format(count=len(hit.matches) - 5))
    if len(hits) == page.total:
        app.out(
            (_("{count} entry") if len(hits) == 1 else _("{count} entries")).format(
                count=len(hits)
            )
        )
    else:
        first = offset + 1 if hits else offset
        app.out(
            _("{first}-{last} of {total} entries").format(
                first=first, last=offset + len(hits), total=page.total
            )
        )


# ---------------------------------------------------------------- show


@cli.command()
@click.argument("entry_id", metavar="ID")
@json_option
@pass_app
def show(app: AppContext, entry_id: str) -> None:
    """One entry: metadata, text, amounts, dates, messages, hash. ID: any unique prefix."""
    from evidence_kit.query.export import entry_to_json

    ledger = app.ledger()
    entry = ledger.get_entry(ledger.resolve_id(entry_id))
    data = entry_to_json(entry)
    if app.json:
        app.emit_json(data)
        return
    app.out(f"{entry.id}  {entry.display_title}")
    rows = [
        ("kind", data["kind"]),
        ("occurred", f"{_when(entry.occurred_at)} (from {entry.occurred_at_source})"),
        ("ingested", _when(entry.ingested_at)),
        ("original", f"{entry.original_name}  ({entry.original_path}, {entry.size} bytes)"),
        ("sha256", entry.sha256),
    ]
    if entry.excluded:
        rows.append(("excluded", "yes (left out of bundles)"))
    if entry.user_note:
        rows.append(("your note", entry.user_note))
    for key, value in sorted((entry.meta or {}).items()):
        if value not in (None, "", [], {}) and key != "encoding":
            rows.append((key, str(value)))
    for k, v in rows:
        app.out(f"  {k:<10} {v}")
    if data["amounts"]:
        app.out("  amounts:")
        for a in data["amounts"]:
            app.out(f"    ¥{a['value']:<12} {a['label'] or '':<8} {a['text']}")
    if data["dates"]:
        app.out("  dates:    " + ", ".join(d["value"] for d in data["dates"]))
    if entry.messages:
        app.out("  messages:")
        for m in entry.messages:
            at = f" {m.time[:16].replace('T', ' ')}" if m.time else ""
            app.out(f"    [{m.side.value}{at}] {m.text}")
    elif entry.text:
        app.out("  text:")
        for line in entry.text.splitlines():
            app.out(f"    {line}")
    elif not entry.analyzed:
        app.out(_("  (not read yet: run `evidence-kit ingest` to read it)"))


# ---------------------------------------------------------------- timeline


@cli.command()
@click.option("--from", "date_from", metavar="DATE", help="On or after this date.")
@click.option("--to", "date_to", metavar="DATE", help="On or before this date.")
@click.option("--kind", "kinds", multiple=True, type=click.Choice(KINDS), help="Only this kind.")
@click.option("--days", "days_only", is_flag=True, help="Only the per-day summary of contacts.")
@json_option
@pass_app
def timeline(
    app: AppContext,
    date_from: str | None,
    date_to: str | None,
    kinds: tuple[str, ...],
    days_only: bool,
) -> None:
    """Every event in time order (chat screenshots as their messages) and a per-day
    summary of contacts: calls, messages, visits, and at what hours.

    With --json: {"items": [{at, entry_id, kind, what, side, channel, title, text,
    amounts}], "days": [{day, calls, missed_calls, messages_them, messages_me, visits,
    other, hours}]}.
    """
    from evidence_kit.intake.dating import parse_offset
    from evidence_kit.query.search import make_query
    from evidence_kit.query.search import search as run_search
    from evidence_kit.query.timeline import build_timeline

    case = app.case()
    offset = case.utc_offset()
    query = make_query(
        None,
        date_from=date_from,
        date_to=date_to,
        kinds=kinds,
        reference=app.env.clock(),
        utc_offset=offset,
    )
    entries = [h.entry for h in run_search(app.ledger(), query)]
    tl = build_timeline(entries, parse_offset(offset))
    if app.json:
        app.emit_json(tl.to_json())
        return
    if not tl.items:
        app.err(_("nothing to show yet; copy files in and run `evidence-kit ingest`"))
        return
    if not days_only:
        day = None
        for item in tl.items:
            this_day = item.at.date().isoformat() if item.at else "(no date)"
            if this_day != day:
                day = this_day
                app.out(f"== {day}")
            clock = item.at.strftime("%H:%M") if item.at and item.time_known else "     "
            who = item.side.value if item.side else (item.channel or item.kind.value)
            text = item.text if item.what == "message" else f"{item.title}: {item.text}"
            money = f"  [{_money(item.amounts)}]" if item.amounts else ""
            app.out(f"  {clock}  {who:<6} {item.entry_id[:8]}  {text[:100]}{money}")
    if tl.days:
        app.out(_("Contacts per day:"))
        for d in tl.days:
            parts = []
            if d.calls:
                parts.append(
                    f"{d.calls} calls" + (f" ({d.missed_calls} missed)" if d.missed_calls else "")
                )
            if d.messages_them or d.messages_me:
                parts.append(f"{d.messages_them} messages from them, {d.messages_me} from me")
            if d.visits:
                parts.append(f"{d.visits} visits")
            if d.other:
                parts.append(f"{d.other} other")
            hours = f"  at {', '.join(d.hours)}" if d.hours else ""
            app.out(f"  {d.day}  {'; '.join(parts)}{hours}")


# ---------------------------------------------------------------- export


@cli.command()
@click.option("--csv", "as_csv", is_flag=True, help="CSV with a UTF-8 BOM for Excel (default).")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE."
)
@json_option
@pass_app
def export(app: AppContext, as_csv: bool, output: Path | None) -> None:
    """The ledger for a spreadsheet (--csv) or another tool (--json)."""
    from evidence_kit.query.export import export_json, write_csv

    if as_csv and app.json:
        raise UsageError(_("give --csv or --json, not both"))
    ledger = app.ledger()
    entries = ledger.entries()
    if app.json:
        import json

        doc = export_json(entries, ledger.head())
        if output is None:
            app.emit_json(doc)
        else:
            output.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", "utf-8")
    elif output is None:
        write_csv(entries, app.env.stdout)
    else:
        with open(output, "w", encoding="utf-8", newline="") as f:
            write_csv(entries, f)
    if output is not None:
        app.err(_("wrote {count} entries to {path}").format(count=len(entries), path=output))


# ---------------------------------------------------------------- note


@cli.command()
@click.argument("text", required=False)
@click.option(
    "--at", metavar="DATETIME", help='When it happened, e.g. "2025-03-10 14:20" (default: now).'
)
@click.option(
    "--channel",
    type=click.Choice(["phone", "app", "sms", "wechat", "visit", "other"]),
    default="phone",
    show_default=True,
    help="How the contact happened (visit: they came in person).",
)
@click.option("--counterpart", metavar="WHO", help="Who it was (name, company, 自称…).")
@click.option("--staff-id", metavar="ID", help="Their staff/agent number (工号).")
@click.option("--phone", metavar="NUMBER", help="The number they called from / you called.")
@click.option(
    "--direction", type=click.Choice(["in", "out"]), help="in: they contacted you; out: you them."
)
@click.option("--answered/--unanswered", default=None, help="Whether the call was picked up.")
@click.option("--third-party", is_flag=True, help="They contacted someone else (family, employer).")
@click.option("--agreed", metavar="TEXT", help="What was agreed.")
@click.option("--my-proposal", metavar="TEXT", help="What you proposed.")
@click.option("--their-proposal", metavar="TEXT", help="What they proposed.")
@click.option("--confirmation", metavar="ENTRY_ID", help="The entry that confirms it in writing.")
@json_option
@pass_app
def note(
    app: AppContext,
    text: str | None,
    at: str | None,
    channel: str,
    counterpart: str | None,
    staff_id: str | None,
    phone: str | None,
    direction: str | None,
    answered: bool | None,
    third_party: bool,
    agreed: str | None,
    my_proposal: str | None,
    their_proposal: str | None,
    confirmation: str | None,
) -> None:
    """Record a call or visit as evidence: TEXT, or - for stdin, or nothing to open $EDITOR.

    The note (with its fields) is stored and hashed into the ledger like a file.
    """
    from evidence_kit.cli.case_cmds import make_analyzer
    from evidence_kit.intake.notes import Channel, NoteFields, record_note

    if text == "-":
        text = sys.stdin.read()
    elif text is None:
        if not sys.stdin.isatty():
            text = sys.stdin.read()
        else:
            text = click.edit("\n# 写下通话/上门的内容（以 # 开头的行会被忽略）\n") or ""
            text = "\n".join(x for x in text.splitlines() if not x.startswith("#"))
    case = app.case()
    fields = NoteFields(
        text=text or "",
        at=at,
        channel=Channel(channel),
        counterpart=counterpart,
        staff_id=staff_id,
        phone=phone,
        direction=direction,
        answered=answered,
        third_party=third_party,
        agreed=agreed,
        my_proposal=my_proposal,
        their_proposal=their_proposal,
        confirmation=confirmation,
    )
    result = record_note(
        case, app.ledger(), fields, now=app.env.clock(), analyzer=make_analyzer(app)
    )
    e = result.entry
    if app.json:
        app.emit_json(
            {
                "id": e.id,
                "created": result.created,
                "sha256": e.sha256,
                "occurred_at": e.occurred_at,
                "original_name": e.original_name,
            }
        )
    elif result.created:
        app.out(
            _("recorded note {id}  {when}  ({name})").format(
                id=e.id, when=_when(e.occurred_at), name=e.original_name
            )
        )
    else:
        app.out(_("this note is already recorded as {id}").format(id=e.id))


# ---------------------------------------------------------------- watch


@cli.command()
@click.option("--poll", is_flag=True, help="Poll instead of OS events (network or synced drives).")
@click.option("--once", is_flag=True, help="Catch up on new files, then exit.")
@click.option(
    "--settle",
    type=click.FloatRange(0.0, 3600),
    default=1.5,
    show_default=True,
    help="Seconds a file must stay unchanged before it is read.",
)
@click.option(
    "--poll-interval",
    type=click.FloatRange(0.1, 3600),
    default=2.0,
    show_default=True,
    help="Seconds between scans with --poll.",
)
@click.option("--no-ocr", is_flag=True, help="Only store and date the files; read them later.")
@json_option
@pass_app
def watch(
    app: AppContext, poll: bool, once: bool, settle: float, poll_interval: float, no_ocr: bool
) -> None:
    """Ingest new files as they appear in the case folder, until Ctrl-C.

    Files added while the watcher was off are caught up first. Prints one line per file
    (with --json, JSONL like `ingest --json`). Safe to run next to a manual `ingest`.
    """
    import contextlib
    import signal
    import threading

    from evidence_kit.cli.case_cmds import make_analyzer
    from evidence_kit.intake.ingest import Ingester, IngestStatus, status_word
    from evidence_kit.intake.watch import WatchConfig, Watcher

    case = app.case()
    ledger = app.ledger()
    analyzer = None if no_ocr else make_analyzer(app)
    ingester = Ingester(case, ledger, clock=app.env.clock, analyzer=analyzer)
    stop = threading.Event()

    def on_result(result: Any) -> None:
        if app.json:
            app.emit_jsonl(result.to_json())
        elif result.status is IngestStatus.FAILED:
            app.err(_("failed     {path}: {error}").format(path=result.path, error=result.error))
        else:
            line = f"{status_word(result.status):<10} {result.id or '':<12}  {result.path}"
            if result.kind:
                line += f"  [{result.kind}, {_when(result.occurred_at)}"
                line += f", {_money(result.amounts)}]" if result.amounts else "]"
            if result.warning:
                line += f"  (note: {result.warning})"
            app.out(line)
            app.env.stdout.flush()

    def on_state(state: str) -> None:
        if state == "watching" and not app.json:
            line = (
                _("polling {path} (Ctrl-C to stop)")
                if poll
                else _("watching {path} (Ctrl-C to stop)")
            )
            app.err(line.format(path=case.root))

    def on_signal(signum: int, _frame: Any) -> None:
        if stop.is_set():  # a second Ctrl-C: abandon the current file now (nothing half-kept)
            raise KeyboardInterrupt
        stop.set()
        if not app.json:
            app.err(_("stopping after the current file … (Ctrl-C again to stop at once)"))

    previous: dict[signal.Signals, Any] = {}
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(ValueError):  # not the main thread (tests): no handlers
            previous[sig] = signal.signal(sig, on_signal)
    config = WatchConfig(poll=poll, poll_interval=poll_interval, settle=settle)
    try:
        stats = Watcher(
            ingester, on_result=on_result, stop=stop, config=config, on_state=on_state
        ).run(once=once)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if not app.json:
        app.err(
            _("{ingested} ingested, {duplicate} duplicate, {failed} failed").format(
                ingested=stats.ingested, duplicate=stats.duplicate, failed=stats.failed
            )
        )
    if stats.failed and once:
        from evidence_kit.errors import ExitCode

        raise click.exceptions.Exit(int(ExitCode.ERROR))
