"""serve: the whole kit in a local web page. The web stack loads only when this command runs."""

from __future__ import annotations

import click

from evidence_kit.cli.app import cli, json_option
from evidence_kit.cli.context import AppContext, pass_app
from evidence_kit.errors import UsageError
from evidence_kit.i18n import _


@cli.command()
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="The port to listen on (0: any free port).",
)
@click.option("--no-browser", is_flag=True, help="Do not open the browser.")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on. Anything but this computer needs --password.",
)
@click.option(
    "--password",
    metavar="P",
    envvar="EVIDENCE_KIT_PASSWORD",
    help="Required off loopback: the browser asks for it (or $EVIDENCE_KIT_PASSWORD).",
)
@click.option(
    "--max-upload-mb",
    type=click.IntRange(1, 4096),
    default=200,
    show_default=True,
    help="The largest upload accepted at a time.",
)
@json_option
@pass_app
def serve(
    app: AppContext,
    port: int,
    no_browser: bool,
    host: str,
    password: str | None,
    max_upload_mb: int,
) -> None:
    """Open the case in a web page on this computer (Ctrl-C stops).

    The address printed carries a random token; without it every request is refused.
    """
    from evidence_kit.web.security import is_loopback

    if not is_loopback(host) and not password:
        raise UsageError(
            _("--host {host} would let other computers reach your evidence").format(host=host),
            _("add --password P (the browser will ask for it), or leave --host out"),
        )
    case = app.case()
    from evidence_kit.web.server import serve_case

    def ready(url: str) -> None:
        if app.json:
            app.emit_jsonl({"url": url})
        else:
            app.out(_("The case is open at: {url}").format(url=url))
            app.out(_("Keep this window open; press Ctrl-C to stop."))
        if not no_browser:
            import webbrowser

            webbrowser.open(url)

    serve_case(
        case,
        host=host,
        port=port,
        password=password,
        max_upload=max_upload_mb * 1024 * 1024,
        ocr_engine=app.ocr_engine,
        on_ready=ready,
    )
