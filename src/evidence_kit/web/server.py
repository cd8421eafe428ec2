"""Running the app: uvicorn on one socket, the token made here, the URL told once it listens."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from evidence_kit.case import Case
from evidence_kit.errors import EvidenceKitError, UsageError
from evidence_kit.i18n import _
from evidence_kit.web.security import Guard, new_token

if TYPE_CHECKING:
    from evidence_kit.web.state import WebState


def serve_case(
    case: Case,
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    password: str | None = None,
    max_upload: int = 200 * 1024 * 1024,
    ocr_engine: str | None = None,
    token: str | None = None,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve ``case`` until interrupted. ``on_ready(url)`` is called once the socket listens."""
    import uvicorn

    from evidence_kit.web.app import WebState, create_app
    from evidence_kit.web.snapshot import Snapshot

    guard = Guard(token or new_token(), password, max_upload)
    state = WebState(case, guard, ocr_engine=ocr_engine, snapshot=Snapshot(freeze_gc=True))
    app = create_app(state)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        raise UsageError(
            _("cannot listen on {host}:{port} ({error})").format(host=host, port=port, error=e),
            _("pass another --port, or --port 0 for any free one"),
        ) from e
    sock.listen(128)  # connections wait in the queue until uvicorn accepts them
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{sock.getsockname()[1]}/?token={guard.token}"
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    if on_ready:
        on_ready(url)
    # Read the case while the browser opens, so the first analysis or review page does not.
    threading.Thread(target=_read_ahead, args=(state,), name="read-ahead", daemon=True).start()
    server.run(sockets=[sock])


def _read_ahead(state: WebState) -> None:
    try:
        with state.ledger() as led:
            state.snapshot.refresh(led)
    except EvidenceKitError:
        pass  # e.g. a ledger kept busy: the first page that needs the entries reads them
