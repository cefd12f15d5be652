"""The event loop of a worker: it takes one waiting connection at a time.

Every worker waits on the one listening socket the master opened. asyncio's loop, once woken,
accepts every connection waiting (up to the backlog, 2048) before it looks at anything else, so
a burst of new connections (16 clients starting at once, a proxy reopening its pool) all went to
whichever worker woke first: measured with `ss`, 16 connections came to rest 16/0 or 16/1 in
half the rounds, and for their whole life one worker served them all while the other idled.
Taking one connection per turn of the loop lets every idle worker take its part, as gunicorn
does for its gevent workers (max_accept = 1 when there is more than one worker).
"""

from __future__ import annotations

import asyncio
from typing import Any


class OneAtATimeLoop(asyncio.SelectorEventLoop):
    """A selector event loop accepting at most one connection each time the socket is ready."""

    def _accept_connection(  # type: ignore[override]
        self,
        protocol_factory: Any,
        sock: Any,
        sslcontext: Any = None,
        server: Any = None,
        backlog: int = 100,
        *arguments: Any,
        **keywords: Any,
    ) -> None:
        # `backlog` here is only how many connections to accept in this turn (the listening
        # socket's queue was sized by listen()); the loop calls again while more are waiting.
        super()._accept_connection(  # type: ignore[misc]
            protocol_factory, sock, sslcontext, server, 1, *arguments, **keywords
        )
