"""A worker's event loop takes one waiting connection per turn, so that workers share a burst."""

from __future__ import annotations

import asyncio
import socket

import pytest

from boxoffice.serving.accepting import OneAtATimeLoop


class Quiet(asyncio.Protocol):
    transports: list[asyncio.BaseTransport] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transports.append(transport)


@pytest.mark.parametrize(
    ("loop_class", "taken"), [(OneAtATimeLoop, 1), (asyncio.SelectorEventLoop, 3)]
)
def test_one_readiness_of_the_listening_socket_takes_one_connection(loop_class, taken):
    listening = socket.create_server(("127.0.0.1", 0))
    listening.setblocking(False)
    clients = [socket.create_connection(listening.getsockname()) for _ in range(3)]
    loop = loop_class()
    try:
        # What the loop runs each time the listening socket is ready (backlog: its listen()).
        loop._accept_connection(Quiet, listening, None, None, 2048)
        loop.run_until_complete(asyncio.sleep(0.05))  # the accepted ones get their protocol
        assert len(Quiet.transports) == taken

        left = 0
        while True:
            try:
                connection, _ = listening.accept()
            except BlockingIOError:
                break
            connection.close()
            left += 1
        # The rest stay queued for the next turn, or for another worker.
        assert 3 - left == taken
    finally:
        for transport in Quiet.transports:
            transport.close()
        Quiet.transports.clear()
        loop.run_until_complete(asyncio.sleep(0))
        loop.close()
        for client in clients:
            client.close()
        listening.close()
