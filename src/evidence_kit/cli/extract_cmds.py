"""``evidence-kit extract``: what the kit finds in one text, image or PDF, or a JSONL batch."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from evidence_kit.cli.app import cli, json_option
from evidence_kit.cli.context import AppContext, pass_app
from evidence_kit.errors import UsageError
from evidence_kit.i18n import _


def _reference(value: str | None) -> datetime | None:
    if value is None:
        return None
    from evidence_kit.intake.annotate import parse_user_datetime

    return datetime.fromisoformat(parse_user_datetime(value, "+08:00")).replace(tzinfo=None)


@cli.command()
@click.argument("source", required=False, metavar="[FILE|-]")
@click.option(
    "--reference",
    metavar="DATETIME",
    help="The moment 昨天 / 下午3点 / 3月21日 resolve against (default: none).",
)
@click.option(
    "--batch",
    is_flag=True,
    help='JSONL on stdin ({"id", "text", "reference"}), JSONL on stdout, in order.',
)
@json_option
@pass_app
def extract(app: AppContext, source: str | None, reference: str | None, batch: bool) -> None:
    """Show the amounts, dates, phone/ID/card numbers and chat messages found in a text,
    an image (OCR) or a PDF. Text comes from FILE, from '-' (stdin) or from stdin when piped.

    \b
    evidence-kit extract 账单.pdf
    echo "本期应还：¥1,234.56，还款日3月21日" | evidence-kit extract - --json
    evidence-kit extract --batch < texts.jsonl > found.jsonl
    """
    if batch:
        from evidence_kit.extract.batch import run_batch

        if source not in (None, "-"):
            raise UsageError(
                _("--batch reads JSONL from stdin"), _("pipe the file in: < texts.jsonl")
            )
        out = sys.stdout
        for line in run_batch(sys.stdin):
            out.write(line + "\n")
        out.flush()
        return
    ref = _reference(reference)
    if source is None or source == "-":
        if source is None and sys.stdin.isatty():
            raise UsageError(_("nothing to read"), _("give a FILE, or '-' and pipe text in"))
        from evidence_kit.extract import extract as extract_text

        text = sys.stdin.read()
        result = extract_text(text, reference=ref)
        payload = result.to_json()
        if app.json:
            app.emit_json(payload)
        else:
            _render(app, text, payload, [], "text")
        return
    path = Path(source)
    if not path.is_file():
        raise UsageError(
            _("{path} is not a file").format(path=source),
            _("give the path of a text, image or PDF"),
        )
    from evidence_kit.intake.content import read_any

    analysis, kind = read_any(path, reference=ref, engine_name=app.ocr_engine)
    payload = analysis.extraction.to_json()
    messages = [m.to_json() for m in analysis.messages]
    if app.json:
        app.emit_json({**payload, "kind": kind.value, "text": analysis.text, "messages": messages})
    else:
        _render(app, analysis.text, payload, messages, kind.value)


def _render(
    app: AppContext, text: str, payload: dict[str, Any], messages: list[Any], kind: str
) -> None:
    app.out(_("kind: {kind}").format(kind=kind))
    if kind != "text":
        app.out(_("text:"))
        for line in text.splitlines():
            app.out(f"  {line}")
    app.out(_("amounts ({count}):").format(count=len(payload["amounts"])))
    for a in payload["amounts"]:
        app.out(f"  ¥{a['value']:>12}  {a['label'] or '':<8} {a['text']}")
    app.out(_("dates ({count}):").format(count=len(payload["dates"])))
    for d in payload["dates"]:
        due = _("  (deadline)") if d.get("deadline") else ""
        app.out(f"  {d['value']:<20} {d['text']}{due}")
    for key, title in (
        ("phones", _("phones")),
        ("id_cards", _("ID-card numbers")),
        ("bank_cards", _("bank-card numbers")),
        ("contract_numbers", _("contracts")),
        ("platforms", _("platforms")),
        ("companies", _("companies")),
    ):
        if payload.get(key):
            app.out(f"{title}: " + ", ".join(e["text"] for e in payload[key]))
    if messages:
        app.out(_("messages ({count}):").format(count=len(messages)))
        for m in messages:
            app.out(f"  [{m['side']:>4}] {m['time'] or '':<19} {m['text']}")
