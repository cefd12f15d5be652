"""The HTTP/1.1 protocol of each connection: uvicorn's h11 protocol with three guards added.

- A request carrying both Content-Length and Transfer-Encoding is refused with 400 and the
  connection closed, before any byte of its body is read: a proxy in front that frames by
  length and this server framing by chunks would otherwise disagree on where the request ends
  (request smuggling). RFC 9112 §6.3 allows the refusal and requires the close.
- A request whose head and body have not fully arrived within `read_timeout_seconds` of the
  connection opening (or of the previous answer) is dropped, so that clients sending a byte
  at a time hold a few bytes of memory for a bounded time and never a thread.
- Once the worker is shutting down, every connection closes after its answer. uvicorn asks
  this of the connections it knows when the shutdown starts; one accepted in the same instant
  reaches the protocol a moment later, missed that request, and a client that kept using it
  held the worker for its whole graceful timeout (30 s) during a rolling restart.
"""

from __future__ import annotations

import asyncio
import weakref
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

SMUGGLING_REFUSAL = "Content-Length and Transfer-Encoding together are refused."

# The server states (one per worker) whose shutdown has begun.
_SHUTTING_DOWN: weakref.WeakSet[ServerState] = weakref.WeakSet()


class _FramingCheckedConnection(h11.Connection):
    """An h11 server connection that treats an ambiguously framed request as malformed."""

    def next_event(self) -> Any:
        event = super().next_event()
        if isinstance(event, h11.Request):
            names = {name.lower() for name, _ in event.headers}
            if b"content-length" in names and b"transfer-encoding" in names:
                raise h11.RemoteProtocolError(SMUGGLING_REFUSAL, error_status_hint=400)
        return event


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, refusing ambiguous framing and dropping requests slow to arrive."""

    read_timeout_seconds: float = 10.0

    def __init__(self, *arguments: Any, **keywords: Any) -> None:
        super().__init__(*arguments, **keywords)
        self.conn = _FramingCheckedConnection(h11.SERVER, self.conn._max_incomplete_event_size)
        self._read_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._follow_request()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_read_deadline()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._close_after_answer_when_shutting_down()
        self._follow_request()

    def on_response_complete(self) -> None:
        # The next request on a kept-alive connection gets its own full read timeout.
        self._disarm_read_deadline()
        super().on_response_complete()  # may start a pipelined request's cycle
        if not self.transport.is_closing():
            self._close_after_answer_when_shutting_down()
            self._follow_request()

    def shutdown(self) -> None:
        _SHUTTING_DOWN.add(self.server_state)
        super().shutdown()

    def _close_after_answer_when_shutting_down(self) -> None:
        if self.server_state in _SHUTTING_DOWN and self.cycle is not None:
            # uvicorn closes the connection once the answer is sent: the client reconnects,
            # to a worker that is not stopping.
            self.cycle.keep_alive = False

    def _waiting_for_the_client(self) -> bool:
        return self.conn.their_state in (h11.IDLE, h11.SEND_BODY)

    def _follow_request(self) -> None:
        """Arms the deadline while a request is still arriving; drops it once it is whole."""
        if not self._waiting_for_the_client():
            self._disarm_read_deadline()
        elif self._read_deadline is None:
            self._read_deadline = self.loop.call_later(
                self.read_timeout_seconds, self._read_deadline_passed
            )

    def _disarm_read_deadline(self) -> None:
        if self._read_deadline is not None:
            self._read_deadline.cancel()
            self._read_deadline = None

    def _read_deadline_passed(self) -> None:
        self._read_deadline = None
        if self._waiting_for_the_client() and not self.transport.is_closing():
            self.transport.close()


def guarded_protocol(read_timeout_seconds: float) -> type[GuardedH11Protocol]:
    """The protocol class with this read timeout (uvicorn takes a class, not an instance)."""
    return type(
        "GuardedH11Protocol", (GuardedH11Protocol,), {"read_timeout_seconds": read_timeout_seconds}
    )
