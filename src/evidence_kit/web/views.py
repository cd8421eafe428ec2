"""The pages. Each view reads the request, calls one library function (the same as the CLI's
command), and renders a template: no domain logic here."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)

from evidence_kit.errors import EvidenceKitError
from evidence_kit.i18n import _
from evidence_kit.web.state import WebState
from evidence_kit.web.uploads import store_upload

PAGE = 50  # entries per page (search, timeline)
SHA = re.compile(r"^[0-9a-f]{64}$")


def _state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


def _page_no(request: Request) -> int:
    raw = request.query_params.get("page", "1")
    return max(1, int(raw)) if raw.isdigit() else 1


async def _error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, EvidenceKitError)
    state = _state(request)
    status = 400 if exc.exit_code == 2 else 422
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"error": str(exc)}, status_code=status)
    return state.render(request, "error.html", status, message=exc.message, hint=exc.hint)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return PlainTextResponse(str(exc.detail), status_code=exc.status_code)


EXCEPTION_HANDLERS: dict[Any, Any] = {EvidenceKitError: _error, HTTPException: _http_error}


# ---------------------------------------------------------------- case home


DEFAULT_RECIPIENT = "regulator"  # as `evidence-kit bundle` without --for
RECIPIENT_COOKIE = "ek_for"  # the package last chosen in the builder, for the case home


def _recipient(request: Request) -> str:
    """The package the user is building: chosen here, else last chosen in the builder."""
    from evidence_kit.bundle import RECIPIENTS

    for value in (request.query_params.get("for"), request.cookies.get(RECIPIENT_COOKIE)):
        if value in RECIPIENTS:
            return str(value)
    return DEFAULT_RECIPIENT


def _remember_recipient(response: Response, recipient: str) -> Response:
    response.set_cookie(RECIPIENT_COOKIE, recipient, httponly=True, samesite="strict")
    return response


def home(request: Request) -> Response:
    from evidence_kit.bundle import RECIPIENTS, package_gaps

    state = _state(request)
    config = state.case.load_config()
    recipient = _recipient(request)
    with state.ledger() as led:
        counts = led.kind_counts()
        span = led.date_span()
        to_review = led.values_to_review()
    response = state.render(
        request,
        "home.html",
        counts=counts,
        total=sum(counts.values()),
        span=span,
        recipients=RECIPIENTS,
        recipient=recipient,
        gaps=package_gaps(recipient, config),
        to_review=to_review,
        saved=request.query_params.get("saved"),
    )
    return _remember_recipient(response, recipient)


async def save_case(request: Request) -> Response:
    from evidence_kit.case import set_config_values

    state = _state(request)
    form = await request.form()
    values = {k[4:]: str(v) for k, v in form.items() if k.startswith("set:")}
    written = await run_in_threadpool(set_config_values, state.case.config_path, values)
    return RedirectResponse(f"/?for={_recipient(request)}&saved={len(written)}", status_code=303)


# ---------------------------------------------------------------- drop zone


def drop(request: Request) -> Response:
    state = _state(request)
    return state.render(request, "drop.html", max_mb=state.guard.max_upload // (1024 * 1024))


async def upload(request: Request) -> Response:
    from evidence_kit.web.security import too_large_message

    state = _state(request)
    limit = state.guard.max_upload
    form = await request.form(max_files=10_000, max_part_size=limit)
    stored, refused = [], []
    for item in form.getlist("files"):
        if not isinstance(item, UploadFile):
            continue
        try:
            stored.append(
                await run_in_threadpool(store_upload, state.case, item.filename, item.file, limit)
            )
        except ValueError:
            refused.append(
                {
                    "name": item.filename,
                    "stage": "done",
                    "status": "failed",
                    "error": too_large_message(limit),
                }
            )
    await form.close()
    job = state.jobs.start(state.case, stored, refused, state.clock, state.ocr_engine)
    return JSONResponse({"job": job.id, "files": len(stored) + len(refused)})


async def drop_events(request: Request) -> Response:
    state = _state(request)
    job = state.jobs.get(request.path_params["job"])
    if job is None:
        raise HTTPException(404, _("No such upload."))

    async def stream() -> AsyncIterator[str]:
        seen = 0
        while True:
            events, done = await run_in_threadpool(job.wait_from, seen)
            for ev in events:
                yield f"data: {json.dumps(ev, ensure_ascii=False)}\n\n"
            seen += len(events)
            if done and not events:
                yield "event: done\ndata: {}\n\n"
                return
            await asyncio.sleep(0)

    return StreamingResponse(stream(), media_type="text/event-stream")


# ---------------------------------------------------------------- timeline


def timeline(request: Request) -> Response:
    from evidence_kit.intake.dating import parse_offset
    from evidence_kit.query.search import make_query, search_page
    from evidence_kit.query.timeline import build_timeline

    state = _state(request)
    page_no = _page_no(request)
    with state.ledger() as led:
        query = make_query(None, reference=state.clock())
        result = search_page(led, query, limit=PAGE, offset=(page_no - 1) * PAGE)
    tl = build_timeline([h.entry for h in result.hits], parse_offset(state.case.utc_offset()))
    days: dict[str, list[Any]] = {}
    for item in tl.items:
        key = item.at.date().isoformat() if item.at else _("no date")
        days.setdefault(key, []).append(item)
    return state.render(
        request,
        "timeline.html",
        days=days,
        summaries=tl.days,
        chart_max=max((d.calls + d.messages_them for d in tl.days), default=0),
        page_no=page_no,
        pages=max(1, -(-result.total // PAGE)),
        total=result.total,
    )


# ---------------------------------------------------------------- one entry


def _image_size(path: Path) -> tuple[int, int] | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            return im.size
    except (OSError, UnidentifiedImageError):
        return None


def entry(request: Request) -> Response:
    from evidence_kit.ledger.store import Store
    from evidence_kit.query.review import value_box

    state = _state(request)
    with state.ledger() as led:
        e = led.get_entry(led.resolve_id(request.path_params["entry_id"]))
    size = None
    if e.mime.startswith("image/"):
        size = _image_size(Store(state.case.objects_dir).path_for(e.sha256))
    amounts = [(i, a, value_box(e, a)) for i, a in enumerate(e.extraction.amounts)]
    dates = [(i, d, value_box(e, d)) for i, d in enumerate(e.extraction.dates)]
    marks = sorted(
        [(a.start, a.end, "amount") for a in e.extraction.amounts]
        + [(d.start, d.end, "date") for d in e.extraction.dates]
    )
    return state.render(
        request,
        "entry.html",
        e=e,
        size=size,
        amounts=amounts,
        dates=dates,
        pieces=_marked(e.text, marks),
        saved=request.query_params.get("saved"),
    )


def _marked(text: str, marks: list[tuple[int, int, str]]) -> list[tuple[str, str | None]]:
    """The text cut into (piece, kind) so the template can mark amounts and dates."""
    out: list[tuple[str, str | None]] = []
    last = 0
    for start, end, kind in marks:
        if start < last or end > len(text):
            continue
        out.append((text[last:start], None))
        out.append((text[start:end], kind))
        last = end
    out.append((text[last:], None))
    return out


async def annotate(request: Request) -> Response:
    state = _state(request)
    form = await request.form()
    amounts = {
        int(k[7:]): str(v)
        for k, v in form.items()
        if k.startswith("amount:")
        and k[7:].isdigit()
        and str(v).strip()
        and v != form.get(f"was:{k[7:]}")
    }
    fields: dict[str, Any] = {}
    if "title" in form and form["title"] != form.get("was:title"):
        fields["title"] = str(form["title"])
    if "occurred_at" in form and form["occurred_at"] != form.get("was:occurred_at"):
        fields["occurred_at"] = str(form["occurred_at"])
    if "excluded" in form:
        excluded = form["excluded"] == "1"
        if str(excluded) != form.get("was:excluded"):
            fields["excluded"] = excluded
    if amounts:
        fields["amounts"] = amounts
        fields["reviewed"] = {f"amount:{i}": "corrected" for i in amounts}
    e = await run_in_threadpool(_annotate, state, request.path_params["entry_id"], fields)
    return RedirectResponse(f"/entry/{e.id}?saved=1", status_code=303)


def _annotate(state: WebState, entry_id: str, fields: dict[str, Any]) -> Any:
    """``evidence-kit annotate``, in the worker thread that owns the connection."""
    from evidence_kit.intake.annotate import annotate_entry

    with state.ledger() as led:
        return annotate_entry(
            led, entry_id, clock=state.clock, utc_offset=state.case.utc_offset(), **fields
        )


def original(request: Request) -> Response:
    """The stored original of an entry, found by its id: no path from the client is used."""
    from evidence_kit.ledger.store import Store

    state = _state(request)
    with state.ledger() as led:
        e = led.get_entry(led.resolve_id(request.path_params["entry_id"]))
    if not SHA.match(e.sha256):
        raise HTTPException(404)
    path = Store(state.case.objects_dir).path_for(e.sha256)
    if not path.is_file():
        raise HTTPException(404, _("The stored original is missing; run evidence-kit verify."))
    return FileResponse(path, media_type=e.mime, headers={"Cache-Control": "private, max-age=3600"})


def crop(request: Request) -> Response:
    """A PNG of where one value was read (the whole image or page when no place is known)."""
    from evidence_kit.web.crops import NoCrop, crop_png

    state = _state(request)
    with state.ledger() as led:
        e = led.get_entry(led.resolve_id(request.path_params["entry_id"]))
    what, index = request.path_params["what"], request.path_params["index"]
    values: Any = e.extraction.amounts if what == "amount" else e.extraction.dates
    if what not in ("amount", "date") or not 0 <= index < len(values):
        raise HTTPException(404)
    try:
        data = crop_png(state.case, e, values[index])
    except NoCrop as err:
        raise HTTPException(404, _("No picture of this value.")) from err
    return Response(data, media_type="image/png")


# ---------------------------------------------------------------- review queue


def review(request: Request) -> Response:
    from evidence_kit.query.review import entry_review_items, pending_of, rank_entries

    state = _state(request)
    snap = state.snapshot
    with state.ledger() as led:
        head = snap.refresh(led)
    key = ("review", head)  # ranked again only when the ledger changed, and only what changed
    pending = state.cache.get(key)
    if pending is None:
        pending = rank_entries(snap.ordered, snap.memo("review", pending_of))
        state.cache = {k: v for k, v in state.cache.items() if k[0] != "review"}
        state.cache[key] = pending
    shown = pending[:PAGE]
    entries = {i: snap.entries[i] for i in dict.fromkeys(p.entry_id for p in shown)}
    by_key = {(it.entry_id, it.key): it for e in entries.values() for it in entry_review_items(e)}
    items = [by_key[(p.entry_id, p.key)] for p in shown if (p.entry_id, p.key) in by_key]
    images = {
        e.id for e in entries.values() if e.mime.startswith("image/") or e.mime == "application/pdf"
    }
    return state.render(request, "review.html", items=items, total=len(pending), images=images)


async def review_answer(request: Request) -> Response:
    state = _state(request)
    form = await request.form()
    key = str(form.get("key", ""))
    what, _sep, index = key.partition(":")
    if what not in ("amount", "date") or not index.isdigit():
        raise HTTPException(400, _("Unknown value."))
    answer = str(form.get("answer", ""))
    fields: dict[str, Any] = {}
    if answer == "accept":
        fields["reviewed"] = {key: "accepted"}
    elif answer == "correct" and what == "amount":
        fields["amounts"] = {int(index): str(form.get("value", ""))}
        fields["reviewed"] = {key: "corrected"}
    elif answer == "correct":
        # A date read in the text is not the entry's own date: the reading is recorded as the
        # person's, and the entry's date is changed only on the entry page.
        fields["reviewed"] = {key: "corrected: " + str(form.get("value", "")).strip()}
    else:
        raise HTTPException(400, _("Unknown answer."))
    e = await run_in_threadpool(_annotate, state, request.path_params["entry_id"], fields)
    return JSONResponse({"ok": True, "id": e.id})


# ---------------------------------------------------------------- search


def search(request: Request) -> Response:
    from evidence_kit.query.search import make_query, search_page

    state = _state(request)
    q = request.query_params
    page_no = _page_no(request)
    form = {k: q.get(k, "") for k in ("q", "from", "to", "min", "max")}
    result = None
    if any(form.values()):
        query = make_query(
            form["q"] or None,
            date_from=form["from"] or None,
            date_to=form["to"] or None,
            min_amount=form["min"] or None,
            max_amount=form["max"] or None,
            reference=state.clock(),
            utc_offset=state.case.utc_offset(),
        )
        with state.ledger() as led:
            result = search_page(led, query, limit=PAGE, offset=(page_no - 1) * PAGE)
    name = "search_results.html" if q.get("partial") else "search.html"
    pages = max(1, -(-result.total // PAGE)) if result else 1
    return state.render(request, name, form=form, result=result, page_no=page_no, pages=pages)


# ---------------------------------------------------------------- analysis


def analysis(request: Request) -> Response:
    from evidence_kit.analysis.contacts import contacts_from_entries, contacts_of
    from evidence_kit.analysis.report import analyze, case_tz

    state = _state(request)
    today = state.clock().date()
    snap = state.snapshot
    with state.ledger() as led:
        head = snap.refresh(led)
    # A pure function of the ledger, case.toml and the day: computed again when one changes,
    # and then each entry's contacts are read again only if that entry changed.
    key = (head, state.case.config_path.stat().st_mtime_ns, today)
    report = state.cache.get(("analysis", key))
    if report is None:
        config = state.case.load_config()
        tz = case_tz(config)
        entries = list(snap.ordered)
        of = snap.memo(f"contacts {tz}", lambda e: contacts_of(e, tz))
        contacts = contacts_from_entries(entries, tz, of=of)
        report = analyze(config, entries, today=today, contacts=contacts).to_json()
        state.cache = {k: v for k, v in state.cache.items() if k[0] != "analysis"}
        state.cache[("analysis", key)] = report
    return state.render(request, "analysis.html", report=report)


# ---------------------------------------------------------------- package builder


def _package_dir(state: WebState) -> Path:
    from evidence_kit.case import OUTPUT_DIR

    # Where `bundle` writes, which ingest and watch skip.
    return state.case.root / OUTPUT_DIR


def _packages(state: WebState) -> list[Path]:
    folder = _package_dir(state)
    return sorted(folder.glob("*.pdf"), key=lambda p: p.stat().st_mtime, reverse=True)


def _package_path(state: WebState, name: str) -> Path:
    """A package of this case by its file name: a plain name of a PDF in the output folder."""
    root = _package_dir(state).resolve()
    path = (root / name).resolve()
    if "/" in name or "\\" in name or path.parent != root or path.suffix.lower() != ".pdf":
        raise HTTPException(404, _("No such package."))
    if not path.is_file():
        raise HTTPException(404, _("No such package."))
    return path


def package(request: Request) -> Response:
    from evidence_kit.bundle import RECIPIENTS, missing_fields, verify_bundle

    state = _state(request)
    q = request.query_params
    recipient = _recipient(request)
    config = state.case.load_config()
    built = q.get("built")
    previews: list[int] = []
    verification = None
    if built:
        path = _package_path(state, built)
        previews = list(range(1, min(_page_count(path), 4) + 1))
        if q.get("verify"):
            verification = verify_bundle(path)
    response = state.render(
        request,
        "package.html",
        recipients=RECIPIENTS,
        recipient=recipient,
        missing=missing_fields(recipient, config),
        built=built,
        previews=previews,
        verification=verification,
        packages=[p.name for p in _packages(state)],
    )
    return _remember_recipient(response, recipient)


def _page_count(path: Path) -> int:
    from evidence_kit.bundle.pdfpages import page_sizes

    return len(page_sizes(path))


async def build_package(request: Request) -> Response:
    from evidence_kit.bundle.from_case import Selection, build_case_bundle, default_output

    state = _state(request)
    form = await request.form()
    recipient = str(form.get("for", "regulator"))
    redact = form.get("redact") == "1"
    draft = form.get("draft") == "1"
    selection = Selection(
        date_from=str(form.get("from") or "") or None,
        date_to=str(form.get("to") or "") or None,
        kinds=tuple(str(k) for k in form.getlist("kind")),
        words=tuple(str(form.get("words") or "").split()),
    )
    now = state.clock()
    from evidence_kit.bundle import RECIPIENTS

    if recipient not in RECIPIENTS:
        raise HTTPException(400, _("Unknown recipient."))
    out = default_output(state.case, recipient, now.astimezone(), redact)

    def build() -> Any:
        with state.ledger() as led:
            return build_case_bundle(
                state.case,
                led,
                recipient=recipient,
                out=out,
                clock=state.clock,
                selection=selection,
                redact=redact,
                draft=draft,
            )

    result = await run_in_threadpool(build)
    return RedirectResponse(f"/package?for={recipient}&built={result.path.name}", status_code=303)


def package_file(request: Request) -> Response:
    state = _state(request)
    path = _package_path(state, request.path_params["name"])
    return FileResponse(path, media_type="application/pdf", filename=path.name)


def package_preview(request: Request) -> Response:
    """Page ``n`` of a package as a PNG (pdftoppm), cached in the case's rebuildable cache."""
    import hashlib

    from evidence_kit.bundle.pdfpages import rasterize

    state = _state(request)
    path = _package_path(state, request.path_params["name"])
    n = request.path_params["n"]
    stat = path.stat()
    key = hashlib.sha256(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()
    folder = state.case.cache_dir / "previews" / key[:24]
    pages = sorted(folder.glob("page-*.png")) if folder.is_dir() else []
    if not pages:
        folder.mkdir(parents=True, exist_ok=True)
        pages = rasterize(path, folder, "page", dpi=40)
    if not 1 <= n <= len(pages):
        raise HTTPException(404)
    return FileResponse(pages[n - 1], media_type="image/png")


# ---------------------------------------------------------------- integrity


def integrity(request: Request) -> Response:
    from evidence_kit.ledger.verify import verify_case

    state = _state(request)
    with state.ledger() as led:
        report = verify_case(state.case, led)
    return state.render(request, "integrity.html", report=report)


# ---------------------------------------------------------------- a note


def note(request: Request) -> Response:
    from evidence_kit.intake.notes import Channel

    state = _state(request)
    return state.render(request, "note.html", channels=[c.value for c in Channel])


async def save_note(request: Request) -> Response:
    from evidence_kit.intake.notes import Channel, NoteFields, record_note

    state = _state(request)
    form = await request.form()

    def text(key: str) -> str | None:
        value = str(form.get(key) or "").strip()
        return value or None

    answered = {"yes": True, "no": False}.get(str(form.get("answered", "")))
    try:
        channel = Channel(str(form.get("channel", "phone")))
    except ValueError as e:
        raise HTTPException(400, _("Unknown channel.")) from e
    fields = NoteFields(
        text=str(form.get("text", "")),
        at=text("at"),
        channel=channel,
        counterpart=text("counterpart"),
        staff_id=text("staff_id"),
        phone=text("phone"),
        direction=text("direction"),
        answered=answered,
        third_party=form.get("third_party") == "1",
        agreed=text("agreed"),
        my_proposal=text("my_proposal"),
        their_proposal=text("their_proposal"),
        confirmation=text("confirmation"),
    )

    def record() -> Any:
        from evidence_kit.web.uploads import make_analyzer

        analyzer = make_analyzer(state.case, state.ocr_engine)
        with state.ledger() as led:
            return record_note(state.case, led, fields, now=state.clock(), analyzer=analyzer)

    result = await run_in_threadpool(record)
    return RedirectResponse(f"/entry/{result.entry.id}?saved=1", status_code=303)
