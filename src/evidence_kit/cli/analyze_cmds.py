"""``analyze`` (cost, conduct, routing), ``plan`` (the agreement kept) and ``loan import``."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from evidence_kit.cli.app import cli, json_option
from evidence_kit.cli.context import AppContext, pass_app
from evidence_kit.errors import UsageError
from evidence_kit.i18n import _

if TYPE_CHECKING:
    from evidence_kit.analysis.loan import Payment
    from evidence_kit.case import Case


def _today(app: AppContext, value: str | None) -> date:
    if value is None:
        return app.env.clock().astimezone().date()
    from evidence_kit.intake.annotate import parse_user_datetime

    return datetime.fromisoformat(parse_user_datetime(value, "+08:00")).date()


def _report(app: AppContext, today: date) -> dict[str, Any]:
    from evidence_kit.analysis.report import analyze

    case = app.case()
    return analyze(case.load_config(), app.ledger().entries(), today=today).to_json()


@cli.command()
@click.option("--today", metavar="DATE", help="Count deadlines from this filing date.")
@json_option
@pass_app
def analyze(app: AppContext, today: str | None) -> None:
    """The lender's true cost, the collectors' conduct, and where to file.

    Cost comes from case.toml [loan] (amount received, every payment and fee on its date);
    conduct from the notes, call logs, chats and recordings in the ledger. Not legal advice.
    """
    report = _report(app, _today(app, today))
    if app.json:
        app.emit_json(report)
        return
    _render_cost(app, report["cost"])
    _render_conduct(app, report["conduct"])
    _render_routing(app, report["routing"])
    unconfirmed = report["negotiation"].get("unconfirmed_agreements") or []
    if unconfirmed:
        app.out("\n" + _("Agreements not yet confirmed in writing:"))
        for a in unconfirmed:
            when = str(a.get("at") or "")[:16].replace("T", " ")
            app.out(
                _("  - {when} {terms} (entry {entry})").format(
                    when=when, terms=a.get("agreed_terms") or "", entry=a.get("entry_id")
                )
            )
    app.out(f"\n{report['disclaimer']}")


def _binding(value: str) -> str:
    return {
        "binding": _("binding"),
        "argument": _("not binding, an argument"),
        "not-applicable": _("not applicable, for reference only"),
    }.get(value, value)


def _not_computed(app: AppContext, part: dict[str, Any]) -> None:
    line = _("  not computed: {error}").format(error=part["error"])
    if part.get("hint"):
        line += _(" ({hint})").format(hint=part["hint"])
    app.out(line)


def _render_cost(app: AppContext, cost: dict[str, Any]) -> None:
    app.out(_("Cost of the loan (annualized)"))
    if "error" in cost:
        _not_computed(app, cost)
        return
    app.out(_("  nominal (simple, IRR x 12)   {rate}%").format(rate=cost["apr_nominal"]))
    app.out(_("  effective (compound)         {rate}%").format(rate=cost["apr_effective"]))
    if cost.get("xirr"):
        app.out(_("  XIRR (on the actual dates)   {rate}%").format(rate=cost["xirr"]))
    app.out(
        _("  monthly flat rate (as lenders quote it)  {rate}%").format(
            rate=cost["flat_monthly_rate"]
        )
    )
    for c in cost.get("comparisons", []):
        line = (
            _("  above {threshold} ({limit}%)")
            if c["exceeds"]
            else _("  not above {threshold} ({limit}%)")
        )
        app.out(
            line.format(threshold=c["threshold"], limit=c["threshold_rate"])
            + f"  {_binding(c['binding'])} {c['status']}"
        )


def _render_conduct(app: AppContext, conduct: dict[str, Any]) -> None:
    app.out("\n" + _("Collection conduct"))
    if "error" in conduct:
        _not_computed(app, conduct)
        return
    days = conduct.get("days", [])
    if not days:
        app.out(_("  (no contacts to count)"))
    for d in days:
        app.out(
            _(
                "  {date}: calls {calls} (unanswered {unanswered}), messages {messages}, "
                "at night {night}"
            ).format(
                date=d.get("date"),
                calls=d.get("calls", 0),
                unanswered=d.get("unanswered_calls", 0),
                messages=d.get("messages", 0),
                night=d.get("night_contacts", 0),
            )
        )
    for f in conduct.get("flags", []):
        app.out(
            _("  ! {title} x{count}  evidence: {entries}").format(
                title=f["title_zh"], count=f["count"], entries=", ".join(f["entry_ids"][:6])
            )
        )


def _render_routing(app: AppContext, routing: dict[str, Any]) -> None:
    app.out("\n" + _("Where to file"))
    if "error" in routing:
        _not_computed(app, routing)
        return
    for p in routing.get("packages", []):
        chans = "、".join(c["name"] for c in p.get("channels", []))
        app.out(
            _("  - {title} (evidence-kit bundle --for {package}): {channels}").format(
                title=p["title_zh"], package=p["package"], channels=chans
            )
        )


@cli.command()
@click.option("--today", metavar="DATE", help="Judge the plan as of this day (default: today).")
@json_option
@pass_app
def plan(app: AppContext, today: str | None) -> None:
    """The repayment plan: a proposal from [budget], and the agreement kept or missed.

    With an agreement in case.toml [agreement] (or a note with what was agreed), each
    instalment is matched to the payments in [[loan.payments]]: paid, late, missed, due.
    """
    report = _report(app, _today(app, today))
    part = report["plan"]
    if app.json:
        app.emit_json(part)
        return
    proposal = part.get("proposal") or {}
    app.out("还款方案建议")
    if "error" in proposal:
        app.out(f"  未计算：{proposal['error']}")
    else:
        app.out(
            f"  每月可负担 {proposal['affordable_monthly']} 元；待还 {proposal['outstanding']}"
            f" 元 → {proposal['instalments']} 期，每期 {proposal['per_instalment']} 元"
        )
        for note in proposal.get("notes", []):
            app.out(f"  {note}")
    tracking = part.get("tracking")
    app.out("\n协议履行情况")
    if not tracking:
        app.out("  还没有记录协议（填写 case.toml 的 [agreement]）")
        return
    if "error" in tracking:
        app.out(f"  未计算：{tracking['error']}")
        return
    for row in tracking.get("instalments", []):
        app.out(
            f"  第{row.get('number')}期 {row.get('due')} {row.get('amount')} 元  "
            f"{row.get('status')}"
        )
    if tracking.get("next_due"):
        app.out(f"  下一期：{tracking['next_due']}")


@cli.group()
def loan() -> None:
    """Loan cash flows in case.toml."""


@loan.command("propose")
@click.option("--yes", "accept_all", is_flag=True, help="Add every proposal without asking.")
@json_option
@pass_app
def loan_propose(app: AppContext, accept_all: bool) -> None:
    """Payments your bills and screenshots show but case.toml does not record yet.

    Each one is shown with the text it was read from; you confirm it (or pass --yes), and it
    is added to case.toml [[loan.payments]] with its entry id as the exhibit. With --json the
    proposals are printed and nothing is written unless --yes is given too.
    """
    from evidence_kit.analysis.proposals import propose_payments
    from evidence_kit.analysis.report import recorded_payments

    case = app.case()
    config = case.load_config()
    proposals = propose_payments(app.ledger().entries(), recorded_payments(config))
    if app.json and not accept_all:
        app.emit_json({"proposals": [p.to_json() for p in proposals], "added": 0})
        return
    chosen = []
    for p in proposals:
        if not accept_all:
            app.out(f"\n{p.date}  ¥{p.amount}  （证据 {p.exhibit}）\n  依据：{p.evidence}")
        if accept_all or click.confirm("  记入 case.toml？", default=False):
            chosen.append(p)
    if chosen:
        _append_payments(case, [p.to_payment() for p in chosen], "proposed from the ledger")
    if app.json:
        app.emit_json({"proposals": [p.to_json() for p in proposals], "added": len(chosen)})
    else:
        app.out(f"{len(proposals)} proposed, {len(chosen)} added to {case.config_path.name}")


def _append_payments(case: Case, payments: list[Payment], why: str) -> None:
    from evidence_kit.analysis.loan import payments_to_toml

    case.load_config()  # refuse to append to a file that is already broken
    with open(case.config_path, "a", encoding="utf-8") as f:
        f.write(f"\n# {why}\n" + payments_to_toml(payments))
    case.load_config()


@loan.command("import")
@click.argument("csv_file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only show what would be added.")
@json_option
@pass_app
def loan_import(app: AppContext, csv_file: Path, dry_run: bool) -> None:
    """Add payments from a CSV (date,amount,kind[,exhibit] or 日期,金额,类型) to case.toml."""
    from evidence_kit.analysis.loan import import_payments_csv, payments_to_toml
    from evidence_kit.intake.filetypes import decode_text

    decoded = decode_text(csv_file.read_bytes())
    if decoded is None:
        raise UsageError(f"{csv_file} is not a text file", "export the table as CSV")
    payments = import_payments_csv(decoded[0])
    text = payments_to_toml(payments)
    case = app.case()
    if not dry_run:
        _append_payments(case, payments, f"imported from {csv_file.name}")
    if app.json:
        app.emit_json(
            {
                "added": len(payments),
                "dry_run": dry_run,
                "payments": [
                    {"date": p.date.isoformat(), "amount": str(p.amount), "kind": p.kind.value}
                    for p in payments
                ],
            }
        )
    else:
        app.out(text if dry_run else f"added {len(payments)} payments to {case.config_path}")
