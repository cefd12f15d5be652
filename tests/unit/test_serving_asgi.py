"""The worker's ASGI face of the WSGI application (serving/asgi.py), driven as uvicorn drives it."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterable
from typing import Any

from boxoffice.serving.asgi import BufferedWsgi

Message = dict[str, Any]


def http_scope(headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {
        "type": "http",
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/ws/ExternalOrderService.webservice",
        "root_path": "",
        "query_string": b"wsdl=1&x=\xe9",
        "headers": headers,
        "client": ("203.0.113.7", 50123),
        "server": ("127.0.0.1", 8080),
    }


def call(
    application: BufferedWsgi, scope: dict[str, Any], body_parts: list[bytes]
) -> list[Message]:
    """Runs one ASGI call; returns what it sent."""
    sent: list[Message] = []
    incoming = [
        {"type": "http.request", "body": part, "more_body": index < len(body_parts) - 1}
        for index, part in enumerate(body_parts)
    ]

    async def receive() -> Message:
        return incoming.pop(0) if incoming else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(dict(message))

    asyncio.run(application(scope, receive, send))
    return sent


def recording_application(
    seen: list[dict[str, Any]],
) -> Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]:
    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        seen.append(
            {**environ, "body": environ["wsgi.input"].read(), "thread": threading.get_ident()}
        )
        start_response("201 Created", [("Content-Type", " text/xml "), ("X-Call", "one")])
        return [b"<a>", b"", b"</a>"]

    return application


def test_the_thread_gets_the_whole_request_and_the_client_the_whole_answer() -> None:
    seen: list[dict[str, Any]] = []
    application = BufferedWsgi(recording_application(seen), threads=2, max_body_bytes=1000)
    headers = [
        (b"content-type", b"text/xml"),
        (b"content-length", b"12"),
        (b"soapaction", b'"a"'),
        (b"x-forwarded-for", b"198.51.100.1"),
        (b"x-forwarded-for", b"198.51.100.2"),
    ]

    sent = call(application, http_scope(headers), [b"<env", b"elope/>", b"!"])

    assert sent == [
        {
            "type": "http.response.start",
            "status": 201,
            "headers": [(b"content-type", b"text/xml"), (b"x-call", b"one")],
        },
        {"type": "http.response.body", "body": b"<a></a>"},
    ]
    (environ,) = seen
    assert environ["body"] == b"<envelope/>!"
    assert environ["thread"] != threading.get_ident()  # never on the event loop
    assert (environ["REQUEST_METHOD"], environ["PATH_INFO"], environ["QUERY_STRING"]) == (
        "POST",
        "/ws/ExternalOrderService.webservice",
        "wsdl=1&x=\xe9",
    )
    assert (environ["CONTENT_TYPE"], environ["CONTENT_LENGTH"]) == ("text/xml", "12")
    assert environ["HTTP_SOAPACTION"] == '"a"'
    assert environ["HTTP_X_FORWARDED_FOR"] == "198.51.100.1,198.51.100.2"
    assert (environ["REMOTE_ADDR"], environ["REMOTE_PORT"]) == ("203.0.113.7", "50123")
    assert (environ["SERVER_NAME"], environ["SERVER_PORT"]) == ("127.0.0.1", "8080")
    assert environ["SERVER_PROTOCOL"] == "HTTP/1.1"


def test_a_body_past_the_limit_is_cut_one_byte_past_it_for_the_gateway_to_refuse() -> None:
    seen: list[dict[str, Any]] = []
    application = BufferedWsgi(recording_application(seen), threads=1, max_body_bytes=10)

    call(application, http_scope([]), [b"x" * 8, b"x" * 8, b"never read"])

    assert seen[0]["body"] == b"x" * 16


def test_a_client_gone_before_its_body_arrived_takes_no_thread() -> None:
    seen: list[dict[str, Any]] = []
    application = BufferedWsgi(recording_application(seen), threads=1, max_body_bytes=10)
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(application(http_scope([]), receive, send))

    assert seen == [] and sent == []


def test_an_error_page_replaces_the_answer_begun_before_it() -> None:
    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        write = start_response("200 OK", [("Content-Type", "text/xml")])
        write(b"half an answer")
        try:
            raise ValueError("broken")
        except ValueError as error:
            start_response(
                "500 Internal Server Error",
                [("Content-Type", "text/plain")],
                (type(error), error, error.__traceback__),
            )
        return [b"error"]

    sent = call(BufferedWsgi(application, threads=1, max_body_bytes=10), http_scope([]), [b""])

    assert sent[0]["status"] == 500
    assert sent[0]["headers"] == [(b"content-type", b"text/plain")]
    assert sent[1]["body"] == b"error"


def test_the_answers_iterable_is_closed() -> None:
    closed: list[bool] = []

    class Closing(list[bytes]):
        def close(self) -> None:
            closed.append(True)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Closing:
        start_response("200 OK", [])
        return Closing([b"ok"])

    sent = call(BufferedWsgi(application, threads=1, max_body_bytes=10), http_scope([]), [b""])

    assert sent[1]["body"] == b"ok" and closed == [True]


def test_the_server_lifespan_is_acknowledged() -> None:
    application = BufferedWsgi(recording_application([]), threads=1, max_body_bytes=10)
    incoming = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[Message] = []

    async def receive() -> Message:
        return incoming.pop(0)

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(application({"type": "lifespan"}, receive, send))

    assert sent == [
        {"type": "lifespan.startup.complete"},
        {"type": "lifespan.shutdown.complete"},
    ]
