"""Who may use the page: the URL's random token (then a cookie), a password off loopback,
a same-origin check and a CSRF token on every state change, and an upload size limit.

A pure ASGI middleware, so nothing downstream (streams, SSE) is buffered by it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from evidence_kit.i18n import _

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COOKIE = "evidence_kit_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def new_token() -> str:
    return secrets.token_urlsafe(24)


def csrf_for(token: str) -> str:
    """The CSRF token: derived from the session token, so it needs no server-side store."""
    return hmac.new(token.encode(), b"csrf", hashlib.sha256).hexdigest()[:32]


def same(given: str, expected: str) -> bool:
    """Constant-time comparison that also takes non-ASCII input (``compare_digest`` on str
    would raise on it)."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def is_loopback(host: str) -> bool:
    return host in LOOPBACK or host.startswith("127.")


@dataclass(frozen=True)
class Guard:
    token: str
    password: str | None = None
    max_upload: int = 50 * 1024 * 1024
    upload_paths: tuple[str, ...] = ("/drop",)

    @property
    def csrf(self) -> str:
        return csrf_for(self.token)


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}


async def _plain(send: Send, status: int, text: str, extra: list[tuple[bytes, bytes]] = ()) -> None:  # type: ignore[assignment]
    body = text.encode("utf-8")
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        *extra,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class GuardMiddleware:
    def __init__(self, app: ASGIApp, guard: Guard) -> None:
        self.app = app
        self.guard = guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        g = self.guard
        headers = _headers(scope)
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if g.password is not None and not self._password_ok(headers.get("authorization", "")):
            await _plain(
                send,
                401,
                _("This page needs the password given to evidence-kit serve."),
                [(b"www-authenticate", b'Basic realm="evidence-kit", charset="UTF-8"')],
            )
            return
        cookie = SimpleCookie(headers.get("cookie", ""))
        has_cookie = COOKIE in cookie and same(cookie[COOKIE].value, g.token)
        given = query.get("token")
        if given is not None and same(given, g.token):
            if scope["method"] in SAFE_METHODS:
                # Move the token from the URL into a cookie, and drop it from the address bar.
                rest = urlencode([(k, v) for k, v in query.items() if k != "token"])
                location = scope["path"] + (f"?{rest}" if rest else "")
                cookie_value = f"{COOKIE}={g.token}; Path=/; HttpOnly; SameSite=Strict"
                await _plain(
                    send,
                    303,
                    "",
                    [(b"location", location.encode()), (b"set-cookie", cookie_value.encode())],
                )
                return
            has_cookie = True
        if not has_cookie:
            await _plain(
                send,
                403,
                _(
                    "Wrong or missing token: open the address that evidence-kit serve printed "
                    "(it ends in ?token=…)."
                ),
            )
            return
        if scope["method"] not in SAFE_METHODS:
            problem = self._state_change_problem(scope, headers, query)
            if problem:
                await _plain(send, 403, problem)
                return
            if scope["path"] in g.upload_paths:
                length = headers.get("content-length")
                if length is None or not length.isdigit():
                    await _plain(send, 411, _("The upload must say its size; try another browser."))
                    return
                if int(length) > g.max_upload:
                    await _plain(send, 413, too_large_message(g.max_upload))
                    return
        await self.app(scope, receive, send)

    def _password_ok(self, header: str) -> bool:
        scheme, _sep, value = header.partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            _user, _colon, given = base64.b64decode(value).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        return same(given, self.guard.password or "")

    def _state_change_problem(
        self, scope: Scope, headers: dict[str, str], query: dict[str, str]
    ) -> str | None:
        host = headers.get("host", "")
        origin = headers.get("origin") or headers.get("referer")
        if not origin or urlsplit(origin).netloc != host:
            return _("Refused: the request did not come from this page (same-origin check).")
        given = headers.get(CSRF_HEADER) or query.get("csrf") or ""
        if not same(given, self.guard.csrf):
            return _("Refused: the form's security token is missing or wrong; reload the page.")
        return None


def too_large_message(limit: int) -> str:
    return _("The upload is larger than {mb} MB; send fewer or smaller files at a time.").format(
        mb=limit // (1024 * 1024)
    )
