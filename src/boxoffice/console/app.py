"""The console's WSGI application under /console/: login, sessions, routing, static files."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from http.cookies import CookieError, SimpleCookie
from importlib import resources
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

import structlog

from boxoffice.calls import source_of
from boxoffice.console import pages
from boxoffice.console.html import page
from boxoffice.console.ports import CallLog, ConsoleReads, ConsoleSession, SessionStore
from boxoffice.console.responses import Response, json_response, plain, redirect
from boxoffice.console.views import GeometryCache, Views
from boxoffice.service.authentication import AuthenticationFailed
from boxoffice.service.requests import Caller

log = structlog.get_logger("boxoffice.console")

PREFIX = "/console"
COOKIE = "boxoffice_console"
SESSION_SECONDS = 8 * 3600
MAX_FORM_BYTES = 8192
STATIC = {"console.css": "text/css; charset=utf-8", "seatmap.js": "text/javascript; charset=utf-8"}
StartResponse = Callable[..., Any]


class Authenticates(Protocol):
    def authenticate(self, login: str | None, password: str | None, source: str = "") -> Caller: ...


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


class ConsoleApp:
    """A Mount of bootstrap: answers every path under /console."""

    def __init__(
        self,
        authenticator: Authenticates,
        sessions: SessionStore,
        reads: ConsoleReads,
        call_log: CallLog,
        clock: Callable[[], datetime],
    ) -> None:
        self._authenticator = authenticator
        self._sessions = sessions
        self.reads = reads
        self.call_log = call_log
        self._clock = clock
        self.geometries = GeometryCache(reads)

    def handles(self, path: str) -> bool:
        return path == PREFIX or path.startswith(PREFIX + "/")

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        response = self._route(environ)
        start_response(response.status, response.headers)
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [response.body]

    # -- routing -------------------------------------------------------------------

    def _route(self, environ: dict[str, Any]) -> Response:
        path = environ.get("PATH_INFO", "")[len(PREFIX) :] or "/"
        method = environ.get("REQUEST_METHOD", "GET")
        if path.startswith("/static/"):
            return self._static(path.removeprefix("/static/"))
        if path == "/login":
            return self._login(environ) if method == "POST" else self._login_page()
        if method == "POST" and not self._same_origin(environ):
            return plain("403 Forbidden", "Cross-site request refused.\n")
        session = self._session(environ)
        if session is None:
            if path.startswith("/api/"):
                return json_response({"error": "not logged in"}, "401 Unauthorized")
            return redirect(PREFIX + "/login")
        if path == "/logout":
            if method != "POST":
                return plain(
                    "405 Method Not Allowed", "Log out with the button.\n", [("Allow", "POST")]
                )
            return self._logout(environ, session)
        if method not in ("GET", "HEAD"):
            return plain("405 Method Not Allowed", "", [("Allow", "GET")])
        parameters = {
            key: values[0]
            for key, values in parse_qs(environ.get("QUERY_STRING", "")[:2048]).items()
        }
        parts = [part for part in path.split("/") if part]
        return Views(self.reads, self.call_log, self.geometries, session).dispatch(
            parts, parameters
        )

    # -- sessions --------------------------------------------------------------------

    def _session(self, environ: dict[str, Any]) -> ConsoleSession | None:
        try:
            cookie = SimpleCookie(environ.get("HTTP_COOKIE", ""))
        except CookieError:
            return None
        morsel = cookie.get(COOKIE)
        if morsel is None or not 20 <= len(morsel.value) <= 100:
            return None
        return self._sessions.find(token_hash(morsel.value), self._clock())

    def _same_origin(self, environ: dict[str, Any]) -> bool:
        # SameSite=Strict already keeps the cookie off cross-site posts; this refuses them too.
        origin = environ.get("HTTP_ORIGIN")
        if not origin or origin == "null":
            return origin is None
        return urlsplit(origin).netloc == environ.get("HTTP_HOST", "")

    def _login_page(self, message: str = "", login: str = "", status: str = "200 OK") -> Response:
        return Response(status, page("Log in", pages.login_form(message, login), None))

    def _login(self, environ: dict[str, Any]) -> Response:
        if not self._same_origin(environ):
            return plain("403 Forbidden", "Cross-site request refused.\n")
        form = self._form(environ)
        login, password = form.get("login", "")[:255], form.get("password", "")
        try:
            caller = self._authenticator.authenticate(login, password, source_of(environ))
        except AuthenticationFailed:
            log.info("console_login_failed")
            return self._login_page(
                "Wrong login or password, or the login is locked for a "
                "few minutes after repeated failures.",
                login,
                "401 Unauthorized",
            )
        now = self._clock()
        token = secrets.token_urlsafe(32)
        session = ConsoleSession(
            caller.login,
            caller.channel_id,
            self.reads.is_administrator(caller.login),
            secrets.token_urlsafe(24),
            now + timedelta(seconds=SESSION_SECONDS),
        )
        self._sessions.open(token_hash(token), session, now)
        log.info("console_login", login=caller.login, administrator=session.administrator)
        secure = "; Secure" if environ.get("wsgi.url_scheme") == "https" else ""
        cookie = (
            f"{COOKIE}={token}; Path={PREFIX}; HttpOnly; SameSite=Strict; "
            f"Max-Age={SESSION_SECONDS}{secure}"
        )
        return redirect(PREFIX + "/calls", [("Set-Cookie", cookie)])

    def _logout(self, environ: dict[str, Any], session: ConsoleSession) -> Response:
        form = self._form(environ)
        if not hmac.compare_digest(form.get("csrf", ""), session.csrf_token):
            return plain("403 Forbidden", "Stale form: reload the page and retry.\n")
        cookie = SimpleCookie(environ.get("HTTP_COOKIE", ""))[COOKIE].value
        self._sessions.close(token_hash(cookie), self._clock())
        expired = f"{COOKIE}=; Path={PREFIX}; HttpOnly; SameSite=Strict; Max-Age=0"
        return redirect(PREFIX + "/login", [("Set-Cookie", expired)])

    def _form(self, environ: dict[str, Any]) -> dict[str, str]:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        body = environ["wsgi.input"].read(min(max(length, 0), MAX_FORM_BYTES))
        return {key: values[0] for key, values in parse_qs(body.decode("utf-8", "replace")).items()}

    def _static(self, name: str) -> Response:
        if name not in STATIC:
            return plain("404 Not Found", "Not found.\n")
        body = resources.files("boxoffice.console").joinpath("static", name).read_bytes()
        return Response("200 OK", body, STATIC[name], [("Cache-Control", "max-age=300")])
