"""HTTP answers of the console: every one carries the security headers and no-store."""

from __future__ import annotations

import json
from typing import Any

SECURITY_HEADERS = [
    (
        "Content-Security-Policy",
        "default-src 'none'; style-src 'self'; script-src 'self'; "
        "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
]


class Response:
    def __init__(
        self,
        status: str,
        body: bytes,
        content_type: str = "text/html; charset=utf-8",
        headers: list[tuple[str, str]] | None = None,
    ) -> None:
        self.status, self.body = status, body
        self.headers = [
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
            *SECURITY_HEADERS,
            *(headers or []),
        ]
        if not any(name == "Cache-Control" for name, _ in self.headers):
            self.headers.append(("Cache-Control", "no-store"))


def redirect(location: str, headers: list[tuple[str, str]] | None = None) -> Response:
    return Response("303 See Other", b"", "text/plain", [("Location", location), *(headers or [])])


def json_response(value: Any, status: str = "200 OK") -> Response:
    return Response(status, json.dumps(value, separators=(",", ":")).encode(), "application/json")


def plain(status: str, message: str, headers: list[tuple[str, str]] | None = None) -> Response:
    return Response(status, message.encode(), "text/plain; charset=utf-8", headers)
