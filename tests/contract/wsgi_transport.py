"""A zeep transport that calls a WSGI application in-process instead of opening a socket."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.structures import CaseInsensitiveDict
from zeep.transports import Transport


def call_wsgi(
    app: Callable[..., Any],
    method: str,
    url: str,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
) -> requests.Response:
    parts = urlsplit(url)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "SERVER_NAME": parts.hostname or "localhost",
        "SERVER_PORT": str(parts.port or 80),
        "HTTP_HOST": parts.netloc,
        "wsgi.url_scheme": parts.scheme or "http",
        "wsgi.input": io.BytesIO(body),
        "CONTENT_LENGTH": str(len(body)),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    for name, value in (headers or {}).items():
        key = name.upper().replace("-", "_")
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            environ[key] = value
        else:
            environ["HTTP_" + key] = value
    captured: dict[str, Any] = {}

    def start_response(
        status: str, response_headers: list[tuple[str, str]], exc_info: Any = None
    ) -> None:
        captured["status"], captured["headers"] = status, response_headers

    chunks = app(environ, start_response)
    content = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    response = requests.Response()
    response.status_code = int(captured["status"].split()[0])
    response.headers = CaseInsensitiveDict(captured["headers"])
    response._content = content
    response.encoding = "utf-8"
    response.url = url
    return response


class WsgiTransport(Transport):
    """Sends zeep's SOAP posts to the WSGI app; WSDL files are read from disk as usual."""

    def __init__(self, app: Callable[..., Any]) -> None:
        super().__init__()
        self.app = app

    def post(self, address: str, message: bytes | str, headers: dict[str, str]) -> Any:
        body = message.encode("utf-8") if isinstance(message, str) else message
        return call_wsgi(self.app, "POST", address, body, headers)
