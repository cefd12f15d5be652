"""The WSGI application as an ASGI one: bodies read on the event loop, calls run in threads.

a2wsgi runs each WSGI call in a thread of a bounded pool. A thread is only handed a request
whose body has fully arrived (read here, on the event loop, up to the body limit plus one
byte), so a client trickling its body holds a coroutine and a buffer, never a thread. It is
then handed one when its source address's fair share allows (fair_share.py). The calls under
way are tracked, so that the worker's heartbeat can tell a hung call from a busy one.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from a2wsgi import WSGIMiddleware

from boxoffice.client_address import client_address
from boxoffice.serving.fair_share import FairShare

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]


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


class BufferedWsgi:
    """ASGI application running `wsgi` in a pool of `threads` once each body is complete."""

    def __init__(
        self,
        wsgi: Callable[..., Any],
        threads: int,
        max_body_bytes: int,
        calls: CallsUnderWay | None = None,
        fair_share: FairShare | None = None,
        client_address_header: str | None = None,
    ) -> None:
        # Typed loosely: a2wsgi declares its own ASGI TypedDicts, uvicorn passes plain dicts.
        self._middleware: Any = WSGIMiddleware(wsgi, workers=threads)
        self._max_body_bytes = max_body_bytes
        self.calls = calls or CallsUnderWay()
        self._fair_share = fair_share or FairShare(0)
        self._client_address_header = client_address_header

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._middleware(scope, receive, send)
            return
        body, disconnected = await self._read_body(receive)
        if disconnected:
            return  # nobody to answer

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()  # only ever http.disconnect from here on
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        async with self._fair_share.turn(self._source(scope)):
            number = self.calls.begin()
            try:
                await self._middleware(scope, replay, send)
            finally:
                self.calls.end(number)

    def _source(self, scope: Scope) -> str:
        """The client's address as the application sees it (client_address.py)."""
        peer = scope.get("client") or ("", 0)
        environ = {"REMOTE_ADDR": peer[0]}
        if self._client_address_header:
            wanted = self._client_address_header.lower().encode("latin-1")
            for name, value in scope.get("headers", ()):
                if name.lower() == wanted:
                    key = "HTTP_" + self._client_address_header.upper().replace("-", "_")
                    environ[key] = value.decode("latin-1")
        return client_address(environ, self._client_address_header)

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
