"""A connection the worker accepts as it starts shutting down closes after its answer.

uvicorn asks the connections it knows to close when its shutdown begins; one accepted in the
same instant reaches the protocol later and was kept alive, so a client that kept calling on
it held the stopping worker for its whole graceful timeout.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.config import Config
from uvicorn.server import ServerState

from boxoffice.serving.protocol import guarded_protocol

REQUEST = b"POST /call HTTP/1.1\r\nHost: boxoffice\r\nContent-Length: 2\r\n\r\nok"


async def _answer(scope: Any, receive: Any, send: Any) -> None:
    await receive()
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"4")]}
    )
    await send({"type": "http.response.body", "body": b"done"})


class _Transport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.written = b""
        self.closed = False
        self.write_shut = False

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"sockname": ("127.0.0.1", 8080), "peername": ("127.0.0.1", 50000)}.get(
            name, default
        )

    def write(self, data: Any) -> None:
        self.written += bytes(data)

    def close(self) -> None:
        self.closed = True

    def write_eof(self) -> None:
        self.write_shut = True

    def is_closing(self) -> bool:
        return self.closed

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


def _connection(config: Config, state: ServerState) -> tuple[Any, _Transport]:
    protocol = guarded_protocol(10.0, 64 * 1024)(config=config, server_state=state, app_state={})
    transport = _Transport()
    protocol.connection_made(transport)
    return protocol, transport


async def _one_call_each(shutting_down: bool) -> tuple[_Transport, _Transport]:
    config = Config(app=_answer, lifespan="off")
    config.load()
    state = ServerState()
    known, known_transport = _connection(config, state)
    if shutting_down:
        known.shutdown()  # what uvicorn's shutdown does to every connection it knows
    late, late_transport = _connection(config, state)  # accepted in the same instant
    for protocol, transport in ((known, known_transport), (late, late_transport)):
        if not transport.closed:
            protocol.data_received(REQUEST)
    await asyncio.sleep(0.05)  # the calls run
    return known_transport, late_transport


def test_a_connection_accepted_as_the_shutdown_begins_closes_after_its_answer() -> None:
    known, late = asyncio.run(_one_call_each(shutting_down=True))
    assert known.closed and known.written == b""  # idle when asked: closed at once
    assert late.written.startswith(b"HTTP/1.1 200") and late.written.endswith(b"done")
    assert late.closed


def test_without_a_shutdown_connections_stay_open_for_the_next_call() -> None:
    known, late = asyncio.run(_one_call_each(shutting_down=False))
    for transport in (known, late):
        assert transport.written.startswith(b"HTTP/1.1 200")
        assert not transport.closed


async def _heads(sizes: list[int]) -> list[_Transport]:
    config = Config(app=_answer, lifespan="off")
    config.load()
    transports = []
    for size in sizes:
        protocol = guarded_protocol(10.0, 4096)(
            config=config, server_state=ServerState(), app_state={}
        )
        transport = _Transport()
        protocol.connection_made(transport)
        head = b"POST /call HTTP/1.1\r\nHost: boxoffice\r\nX-Padding: " + b"a" * size
        for start in range(0, len(head), 1000):  # as a client streaming its headers
            protocol.data_received(head[start : start + 1000])
        protocol.data_received(b"\r\nContent-Length: 2\r\n\r\nok")
        await asyncio.sleep(0.05)
        transports.append(transport)
    return transports


def test_a_head_past_the_bound_is_answered_400_and_the_rest_dropped_unread() -> None:
    within, past = asyncio.run(_heads([3000, 100_000]))
    assert within.written.startswith(b"HTTP/1.1 200") and not within.write_shut
    # Answered once the head passed 4 KiB; nothing after it was parsed or answered.
    assert (
        past.written.startswith(b"HTTP/1.1 400 Bad Request")
        and past.written.count(b"HTTP/1.1") == 1
    )
    assert past.write_shut
