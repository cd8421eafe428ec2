"""What the views share: the case, the guard, the ingest jobs, the templates."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from evidence_kit import i18n
from evidence_kit.case import Case
from evidence_kit.ledger.events import Ledger
from evidence_kit.web.security import Guard
from evidence_kit.web.snapshot import Snapshot
from evidence_kit.web.uploads import Jobs

HERE = Path(__file__).parent


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class WebState:
    case: Case
    guard: Guard
    clock: Callable[[], datetime] = _utc_now
    ocr_engine: str | None = None
    jobs: Jobs = field(default_factory=Jobs)
    # The last analysis and review ranking, keyed by the ledger head they were computed at.
    cache: dict[Any, Any] = field(default_factory=dict)
    # Every entry as last read, brought up to date from the events appended since.
    snapshot: Snapshot = field(default_factory=Snapshot)
    templates: Environment = field(init=False)

    def __post_init__(self) -> None:
        self.templates = Environment(
            loader=FileSystemLoader(str(HERE / "templates")),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.templates.globals["_"] = i18n._
        self.templates.globals["csrf"] = self.guard.csrf
        self.templates.filters["pagequery"] = _page_query

    @contextmanager
    def ledger(self) -> Iterator[Ledger]:
        """A connection per request: SQLite's own locking keeps a second process (``ingest``,
        ``watch``) safe, and no connection crosses threads."""
        led = Ledger(self.case.ledger_path, self.case.head_path)
        try:
            yield led
        finally:
            led.close()

    def render(self, request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        ctx.setdefault("page", name.removesuffix(".html"))
        ctx["lang"] = "en" if i18n.current_language() == "en" else "zh-CN"
        ctx["case_name"] = self.case.root.name
        html = self.templates.get_template(name).render(request=request, **ctx)
        return HTMLResponse(html, status_code=status)


def _page_query(params: Any, page: int) -> str:
    """The current query string with ``page`` replaced (for the pager's links)."""
    from urllib.parse import urlencode

    pairs = [(k, v) for k, v in params.multi_items() if k not in ("page", "partial")]
    return urlencode([*pairs, ("page", str(page))])
