"""The HTTP/1.1 protocol of each connection: uvicorn's httptools protocol with three guards added.

httptools (llhttp, in C) parses a request in a fraction of what h11 (pure Python) cost: under
read load h11 was a ninth of a worker's CPU (docs/performance.md). llhttp itself refuses, with
400 and a closed connection, a request carrying both Content-Length and Transfer-Encoding, before
any byte of its body is read: a proxy in front that frames by length and this server framing by
chunks would otherwise disagree on where the request ends (request smuggling; RFC 9112 §6.3
allows the refusal and requires the close; tests/hostile/test_smuggling.py holds it to that).
What uvicorn's httptools protocol does not do, this one adds:

- A request head larger than `max_head_bytes` is answered 400 and the connection closed. llhttp
  has no bound of its own, and uvicorn keeps every header it reports, so without this a client
  streaming headers would grow the worker's memory until the read timeout. The close is a
  lingering one: the answer is sent and our side shut, what the client still sends is read and
  dropped until it closes or the read timeout passes; closing at once with unread bytes would
  make the kernel reset the connection, and the client would lose the answer.
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

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

# 400 as with h11 before (tests/hostile/test_abuse_wsdl.py holds clients to it), not 431.
_TOO_LARGE_TEXT = b"The request's head is too large."
HEAD_TOO_LARGE = (
    b"HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain; charset=utf-8\r\n"
    b"content-length: %d\r\nconnection: close\r\n\r\n%s" % (len(_TOO_LARGE_TEXT), _TOO_LARGE_TEXT)
)

# The server states (one per worker) whose shutdown has begun.
_SHUTTING_DOWN: weakref.WeakSet[ServerState] = weakref.WeakSet()


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, bounding request heads and dropping requests slow to arrive."""

    read_timeout_seconds: float = 10.0
    max_head_bytes: int = 64 * 1024

    def __init__(self, *arguments: Any, **keywords: Any) -> None:
        super().__init__(*arguments, **keywords)
        self._read_deadline: asyncio.TimerHandle | None = None
        # Bytes received while the current request's head was incomplete.
        self._head_bytes = 0
        self._head_complete = False
        # Requests received whole, and answers sent: while they are equal, the connection waits
        # for the client (idle, or a request arriving); while more requests are whole, for us.
        self._requests_whole = 0
        self._answers_sent = 0
        # True once the connection was refused: what still arrives is dropped unread.
        self._discarding = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._follow_request()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_read_deadline()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._discarding:
            return
        if not self._head_complete:
            self._head_bytes += len(data)
        super().data_received(data)
        if self.transport.is_closing():
            return
        if not self._head_complete and self._head_bytes > self.max_head_bytes:
            self._refuse_head_too_large()
            return
        self._close_after_answer_when_shutting_down()
        self._follow_request()

    def on_headers_complete(self) -> None:
        self._head_complete = True
        self._head_bytes = 0
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._head_complete = False
        self._requests_whole += 1
        super().on_message_complete()

    def on_response_complete(self) -> None:
        # The next request on a kept-alive connection gets its own full read timeout.
        self._answers_sent += 1
        self._disarm_read_deadline()
        super().on_response_complete()  # may start a pipelined request's cycle
        if not self.transport.is_closing():
            self._close_after_answer_when_shutting_down()
            self._follow_request()

    def shutdown(self) -> None:
        _SHUTTING_DOWN.add(self.server_state)
        super().shutdown()

    def _refuse_head_too_large(self) -> None:
        """Answers 400, shuts our side and drops the rest until the client or the read deadline
        (armed: the request never became whole) closes the connection. Not uvicorn's
        send_400_response, which closes at once: the kernel would reset the connection over
        the unread bytes, and the client lose the answer."""
        self._discarding = True
        self.transport.write(HEAD_TOO_LARGE)
        self.transport.write_eof()

    def _close_after_answer_when_shutting_down(self) -> None:
        if self.server_state in _SHUTTING_DOWN and self.cycle is not None:
            # uvicorn closes the connection once the answer is sent: the client reconnects,
            # to a worker that is not stopping.
            self.cycle.keep_alive = False

    def _waiting_for_the_client(self) -> bool:
        return self._requests_whole <= self._answers_sent

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


def guarded_protocol(
    read_timeout_seconds: float, max_head_bytes: int
) -> type[GuardedHttpToolsProtocol]:
    """The protocol class with these bounds (uvicorn takes a class, not an instance)."""
    return type(
        "GuardedHttpToolsProtocol",
        (GuardedHttpToolsProtocol,),
        {"read_timeout_seconds": read_timeout_seconds, "max_head_bytes": max_head_bytes},
    )
