"""The WSGI application as an ASGI one: bodies read on the event loop, calls run in threads.

Each WSGI call runs in a thread of a bounded pool. A thread is only handed a request whose
body has fully arrived (read here, on the event loop, up to the body limit plus one byte), so
a client trickling its body holds a coroutine and a buffer, never a thread. It is then handed
one when its source address's fair share allows (fair_share.py). The calls under way are
tracked, so that the worker's heartbeat can tell a hung call from a busy one.

A call crosses between the loop and its thread once each way: the thread gets the whole
request and gives back the whole answer, which the loop then sends. (a2wsgi, used before,
crossed four times per call, each crossing a wait on the other side: under load those waits
cost as much as a small call itself.) Every answer of the application is built in memory
anyway, so holding it whole here adds no copy of consequence.
"""

from __future__ import annotations

import asyncio
import contextvars
import io
import itertools
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from boxoffice.client_address import client_address
from boxoffice.serving.fair_share import FairShare

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
WsgiApplication = Callable[..., Iterable[bytes]]


class CallsUnderWay:
    """When each call now running started (monotonic seconds), keyed by a call number."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._started: dict[int, float] = {}
        self._numbers = itertools.count()
        self._lock = threading.Lock()

    def begin(self) -> int:
        number = next(self._numbers)
        with self._lock:
            self._started[number] = self._monotonic()
        return number

    def end(self, number: int) -> None:
        with self._lock:
            self._started.pop(number, None)

    def oldest_age(self) -> float:
        """Seconds the longest-running call has run; 0 when none is running."""
        with self._lock:
            oldest = min(self._started.values(), default=None)
        return 0.0 if oldest is None else self._monotonic() - oldest


class Answer:
    """What a WSGI call answered: its status, headers and body, collected in the call's thread."""

    def __init__(self) -> None:
        self.status = 500
        self.headers: list[tuple[bytes, bytes]] = []
        self.chunks: list[bytes] = []

    def start_response(
        self, status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], None]:
        # Nothing is sent before the call returns, so a second start_response (an error page
        # replacing a started answer, PEP 3333) simply replaces the first.
        self.status = int(status.split(" ", 1)[0])
        self.headers = [
            (name.strip().encode("latin-1").lower(), value.strip().encode("latin-1"))
            for name, value in headers
        ]
        self.chunks.clear()
        return self.chunks.append

    @classmethod
    def of(cls, application: WsgiApplication, environ: dict[str, Any]) -> Answer:
        answer = cls()
        iterable = application(environ, answer.start_response)
        try:
            answer.chunks.extend(chunk for chunk in iterable if chunk)
        finally:
            close = getattr(iterable, "close", None)
            if close is not None:
                close()
        return answer


class BufferedWsgi:
    """ASGI application running `wsgi` in a pool of `threads` once each body is complete."""

    def __init__(
        self,
        wsgi: WsgiApplication,
        threads: int,
        max_body_bytes: int,
        calls: CallsUnderWay | None = None,
        fair_share: FairShare | None = None,
        client_address_header: str | None = None,
    ) -> None:
        self._wsgi = wsgi
        self._threads = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="call")
        self._max_body_bytes = max_body_bytes
        self.calls = calls or CallsUnderWay()
        self._fair_share = fair_share or FairShare(0)
        self._client_address_header = client_address_header

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        if scope["type"] != "http":
            await send({"type": "websocket.close", "code": 1000})
            return
        body, disconnected = await self._read_body(receive)
        if disconnected:
            return  # nobody to answer
        environ = wsgi_environ(scope, body)
        call = contextvars.copy_context().run
        # The client's address as the application will see it (client_address.py).
        source = client_address(environ, self._client_address_header)
        async with self._fair_share.turn(source):
            number = self.calls.begin()
            try:
                answer = await asyncio.get_running_loop().run_in_executor(
                    self._threads, call, Answer.of, self._wsgi, environ
                )
            finally:
                self.calls.end(number)
        await send(
            {"type": "http.response.start", "status": answer.status, "headers": answer.headers}
        )
        await send({"type": "http.response.body", "body": b"".join(answer.chunks)})

    async def _read_body(self, receive: Receive) -> tuple[bytes, bool]:
        """The body, stopping past the limit (the gateway then refuses it), and a disconnect."""
        parts: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return b"", True
            chunk = message.get("body", b"")
            parts.append(chunk)
            size += len(chunk)
            if not message.get("more_body", False) or size > self._max_body_bytes:
                return b"".join(parts), False


def wsgi_environ(scope: Scope, body: bytes) -> dict[str, Any]:
    """The WSGI environ of an ASGI HTTP request whose body has been read (PEP 3333)."""
    script_name = scope.get("root_path", "").encode("utf-8").decode("latin-1")
    path_info = scope["path"].encode("utf-8").decode("latin-1")
    if path_info.startswith(script_name):
        path_info = path_info[len(script_name) :]
    server_host, server_port = scope.get("server") or ("localhost", 80)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": script_name,
        "PATH_INFO": path_info,
        "QUERY_STRING": scope["query_string"].decode("latin-1"),  # PEP 3333: bytes as latin-1
        "SERVER_NAME": server_host,
        "SERVER_PORT": str(server_port or 0),
        "SERVER_PROTOCOL": f"HTTP/{scope['http_version']}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    client = scope.get("client")
    if client is not None:
        environ["REMOTE_ADDR"], environ["REMOTE_PORT"] = client[0], str(client[1])
    for raw_name, raw_value in scope.get("headers", ()):
        name = raw_name.decode("latin-1")
        if name == "content-length":
            key = "CONTENT_LENGTH"
        elif name == "content-type":
            key = "CONTENT_TYPE"
        else:
            key = "HTTP_" + name.upper().replace("-", "_")
        value = raw_value.decode("latin-1")
        # Repeated headers are joined, as a CGI server would.
        environ[key] = f"{environ[key]},{value}" if key in environ else value
    return environ


async def _lifespan(receive: Receive, send: Send) -> None:
    """The worker has nothing to start or stop with the server: acknowledges both."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
