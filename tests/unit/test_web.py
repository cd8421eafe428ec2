"""The web page through Starlette's test client: every page renders, and each protection
(token, same origin, CSRF, content-addressed uploads, size limit, nothing outside the case,
password off loopback) refuses what it must."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx2")

from starlette.testclient import TestClient

from evidence_kit.case import Case
from evidence_kit.web.app import WebState, create_app
from evidence_kit.web.security import COOKIE, Guard, csrf_for

from .search_fixtures import sample_ledger

TOKEN = "test-token-123"
ORIGIN = "http://testserver"
TZ = timezone(timedelta(hours=8))


def clock() -> datetime:
    return datetime(2025, 6, 1, 12, 0, tzinfo=TZ)


@pytest.fixture
def site(tmp_path: Path):  # type: ignore[no-untyped-def]
    ledger, ids = sample_ledger(tmp_path / "case")
    ledger.close()
    case = Case(tmp_path / "case")
    state = WebState(case, Guard(TOKEN, max_upload=64 * 1024), clock=clock)
    client = TestClient(create_app(state), follow_redirects=False)
    client.cookies.set(COOKIE, TOKEN)
    yield client, case, ids
    client.close()


def post(client: TestClient, url: str, **kw):  # type: ignore[no-untyped-def]
    headers = {"Origin": ORIGIN, "X-CSRF-Token": csrf_for(TOKEN), **kw.pop("headers", {})}
    return client.post(url, headers=headers, **kw)


# ---------------------------------------------------------------- pages


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/drop",
        "/timeline",
        "/review",
        "/search",
        "/search?q=协商还款",
        "/search?min=100",
        "/analysis",
        "/package",
        "/integrity",
        "/note",
        "/static/app.css",
        "/static/app.js",
    ],
)
def test_every_page_renders(site, path: str) -> None:  # type: ignore[no-untyped-def]
    client, _case, _ids = site
    r = client.get(path)
    assert r.status_code == 200, r.text[:500]


def test_entry_page_and_search_highlight(site) -> None:  # type: ignore[no-untyped-def]
    client, _case, ids = site
    r = client.get(f"/entry/{ids['chat']}")
    assert r.status_code == 200
    r = client.get("/search", params={"q": "协商还款"})
    assert "<mark>协商还款</mark>" in r.text
    assert "1 entries match" in r.text


def test_search_pages(site) -> None:  # type: ignore[no-untyped-def]
    client, _case, _ids = site
    r = client.get("/search", params={"from": "2000-01", "page": "2"})
    assert r.status_code == 200 and "page 2 of 1" in r.text


# ---------------------------------------------------------------- the token


@pytest.mark.parametrize("path", ["/", "/static/app.css", "/timeline", "/drop/events/x"])
def test_no_token_no_page(site, path: str) -> None:  # type: ignore[no-untyped-def]
    client, _case, _ids = site
    client.cookies.clear()
    assert client.get(path).status_code == 403
    client.cookies.set(COOKIE, "wrong")
    assert client.get(path).status_code == 403
    assert client.get(path, params={"token": "wrong"}).status_code == 403
    assert client.get(path, params={"token": "令牌"}).status_code == 403  # non-ASCII too


def test_token_in_the_url_becomes_a_cookie(site) -> None:  # type: ignore[no-untyped-def]
    client, _case, _ids = site
    client.cookies.clear()
    r = client.get("/timeline", params={"token": TOKEN, "page": "1"})
    assert r.status_code == 303 and r.headers["location"] == "/timeline?page=1"
    assert "HttpOnly" in r.headers["set-cookie"] and "SameSite=Strict" in r.headers["set-cookie"]
    assert client.get("/timeline").status_code == 200  # the cookie now carries it


# ---------------------------------------------------------------- state changes


def test_state_changes_need_same_origin_and_csrf(site) -> None:  # type: ignore[no-untyped-def]
    client, case, _ids = site
    data = {"set:complainant.name": "测试人"}
    before = case.config_path.read_text("utf-8")
    assert client.post("/case", data=data).status_code == 403  # no Origin at all
    r = client.post("/case", data=data, headers={"Origin": "http://evil.example"})
    assert r.status_code == 403
    r = client.post("/case", data=data, headers={"Origin": ORIGIN})  # no CSRF token
    assert r.status_code == 403
    r = client.post("/case", data=data, headers={"Origin": ORIGIN, "X-CSRF-Token": "nope"})
    assert r.status_code == 403
    assert case.config_path.read_text("utf-8") == before
    r = client.post(f"/case?csrf={csrf_for(TOKEN)}", data=data, headers={"Origin": ORIGIN})
    assert r.status_code == 303
    assert 'name = "测试人"' in case.config_path.read_text("utf-8")


def test_case_form_keeps_the_comments(site) -> None:  # type: ignore[no-untyped-def]
    client, case, _ids = site
    before = case.config_path.read_text("utf-8")
    comments = [line for line in before.splitlines() if line.lstrip().startswith("#")]
    r = post(client, "/case", data={"set:respondent.platform": "某某分期"})
    assert r.status_code == 303
    after = case.config_path.read_text("utf-8")
    assert [line for line in after.splitlines() if line.lstrip().startswith("#")] == comments
    assert case.load_config()["respondent"]["platform"] == "某某分期"


def test_annotate_from_the_entry_page_is_a_new_event(site) -> None:  # type: ignore[no-untyped-def]
    client, case, ids = site
    from evidence_kit.ledger.events import Ledger

    r = post(client, f"/entry/{ids['chat']}", data={"title": "客服承诺", "was:title": ""})
    assert r.status_code == 303
    led = Ledger(case.ledger_path, case.head_path)
    try:
        assert led.get_entry(ids["chat"]).title == "客服承诺"
        assert [e.type for e in led.events()][-1] == "annotated"
    finally:
        led.close()


def test_review_answers_are_annotations(site) -> None:  # type: ignore[no-untyped-def]
    client, case, ids = site
    from evidence_kit.ledger.events import Ledger

    r = post(client, f"/review/{ids['chat']}", data={"key": "amount:0", "answer": "correct", "value": "12,345.60"})
    assert r.status_code == 200 and r.json()["ok"]
    r = post(client, f"/review/{ids['chat']}", data={"key": "amount:1", "answer": "accept"})
    assert r.status_code == 200
    assert post(client, f"/review/{ids['chat']}", data={"key": "x:1", "answer": "accept"}).status_code == 400
    led = Ledger(case.ledger_path, case.head_path)
    try:
        e = led.get_entry(ids["chat"])
        assert str(e.extraction.amounts[0].value) == "12345.60"
        assert e.meta["reviewed"] == {"amount:0": "corrected", "amount:1": "accepted"}
    finally:
        led.close()
    assert "12345.60" in client.get("/search", params={"min": "12345", "max": "12346"}).text


# ---------------------------------------------------------------- uploads


def test_uploads_are_stored_by_content_never_by_the_clients_path(site, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import hashlib

    client, case, _ids = site
    body = b"call note: 2025-03-10 they called at 23:10\n"
    files = [("files", ("../../../outside/evil.txt", body, "text/plain"))]
    r = post(client, "/drop", files=files)
    assert r.status_code == 200, r.text
    sha = hashlib.sha256(body).hexdigest()
    stored = case.root / "uploads" / sha[:16] / "evil.txt"
    assert stored.read_bytes() == body
    assert not (tmp_path / "outside").exists()
    assert not list(tmp_path.glob("**/outside"))
    # The ingest runs in the background; its results stream as SSE.
    events = client.get(f"/drop/events/{r.json()['job']}").text
    assert '"stage": "done"' in events and "event: done" in events


def test_upload_size_limit_has_a_plain_message(site) -> None:  # type: ignore[no-untyped-def]
    client, case, _ids = site
    files = [("files", ("big.png", b"x" * (65 * 1024), "image/png"))]
    r = post(client, "/drop", files=files)
    assert r.status_code == 413
    assert "larger than" in r.text and "MB" in r.text
    assert not (case.root / "uploads").exists()


# ---------------------------------------------------------------- nothing outside the case


@pytest.mark.parametrize(
    "path",
    [
        "/package/file/..%2Fsecret.pdf",
        "/package/file/%2E%2E%2Fsecret.pdf",
        "/package/file/case.toml",
        "/package/file/nothere.pdf",
        "/package/preview/..%2Fsecret.pdf/1.png",
        "/static/..%2F..%2Fcase.py",
        "/object/ffffffffffff",
        "/crop/ffffffffffff/amount/0.png",
    ],
)
def test_no_file_outside_the_case_is_served(site, tmp_path, path: str) -> None:  # type: ignore[no-untyped-def]
    client, _case, _ids = site
    (tmp_path / "secret.pdf").write_bytes(b"%PDF-1.4 secret")
    r = client.get(path)
    assert r.status_code in (400, 404, 422)
    assert b"secret" not in r.content


# ---------------------------------------------------------------- off loopback


def test_a_password_guards_every_request(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ledger, _ids = sample_ledger(tmp_path / "case")
    ledger.close()
    state = WebState(Case(tmp_path / "case"), Guard(TOKEN, password="s3cret"), clock=clock)
    client = TestClient(create_app(state), follow_redirects=False)
    client.cookies.set(COOKIE, TOKEN)
    assert client.get("/").status_code == 401
    assert client.get("/", auth=("x", "wrong")).status_code == 401
    assert client.get("/", auth=("x", "s3cret")).status_code == 200


def test_serve_refuses_another_host_without_a_password(run_cli) -> None:  # type: ignore[no-untyped-def]
    r = run_cli("serve", "--host", "0.0.0.0", "--no-browser")
    assert r.code == 2 and "--password" in r.err


# ---------------------------------------------------------------- messages


def test_every_template_message_has_a_chinese_translation() -> None:
    import evidence_kit
    from evidence_kit import i18n

    from .test_i18n import _catalog_messages

    folder = Path(evidence_kit.__file__).parent / "web" / "templates"
    found = set()
    for path in folder.glob("*.html"):
        found |= set(re.findall(r'_\("((?:[^"\\]|\\.)*)"\)', path.read_text("utf-8")))
    found |= {k.value for k in __import__("evidence_kit.models").models.Kind}
    from evidence_kit.bundle import RECIPIENTS
    from evidence_kit.intake.notes import Channel

    found |= set(RECIPIENTS) | {c.value for c in Channel}
    translated = {m.id for m in _catalog_messages()}
    assert sorted(found - translated) == []
    assert i18n.po_path("zh_CN", "web").exists()


def test_integrity_says_what_is_missing(site) -> None:  # type: ignore[no-untyped-def]
    client, _case, ids = site
    # The fixture's entries were never stored as files: verify must say so, in plain words.
    text = client.get("/integrity").text
    assert "altered or is missing" in text and ids["chat"] in text


def test_serve_says_plainly_when_the_port_is_taken(run_cli, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import socket

    from evidence_kit.case import init_case

    init_case(tmp_path / "c")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        r = run_cli("--case", str(tmp_path / "c"), "serve", "--no-browser", "--port", str(port))
    assert r.code == 2 and "--port" in r.err and "Traceback" not in r.err


def _section_keys(html: str, section_id: str) -> set[str]:
    """The case.toml keys of the inputs inside the element with this id."""
    start = html.index(f'id="{section_id}"')
    end = html.index("</fieldset>" if section_id == "court-only" else "</div>", start)
    return set(re.findall(r'data-key="([^"]+)"', html[start:end]))


def test_home_lists_what_the_chosen_package_needs_and_court_fields_apart(site) -> None:  # type: ignore[no-untyped-def]
    from evidence_kit.bundle import missing_fields

    client, case, _ids = site
    config = case.load_config()
    html = client.get("/?for=regulator").text
    assert _section_keys(html, "missing") == {f.key for f in missing_fields("regulator", config)}
    court = _section_keys(html, "court-only")
    # case.toml comes with a cause and a role filled in; the court's name is left to the user.
    assert court == {f.key for f in missing_fields("court", config)} - {"complainant.name"}
    assert "court.name" in court
    assert not court & _section_keys(html, "missing")
    # Another package's fields are not listed at all (the credit report number).
    assert "credit_report.report_no" not in html
    # Building the court package itself: its fields are what is missing, no section apart.
    html = client.get("/?for=court").text
    assert _section_keys(html, "missing") == {f.key for f in missing_fields("court", config)}
    assert 'id="court-only"' not in html


def test_home_follows_the_package_chosen_in_the_builder(site) -> None:  # type: ignore[no-untyped-def]
    client, _case, _ids = site
    assert client.get("/package?for=credit-dispute").status_code == 200
    html = client.get("/").text
    assert "credit_report.report_no" in _section_keys(html, "missing")
    assert 'value="credit-dispute" selected' in html
