"""Fair shares of a worker between client addresses: one source cannot crowd out another.

A worker runs every call under one interpreter lock, so N calls running at once each get
about 1/N of it. Without a rule, four connections sending the largest allowed requests (or
thirty-two sending refused logins) leave another reseller's call a fifth of the interpreter, or
less. So, while more than one source address has called this worker within the last
`window_seconds`, each source runs at most one call at a time here; its further calls wait
(a coroutine each, on the event loop, before any thread is taken) and run in arrival order.
A source alone on the worker (a reseller's own web shop during an on-sale) keeps every thread.

The waits are bounded by what already bounds a worker: uvicorn refuses connections past
`max_connections_per_worker`, and the record of who called is pruned to the window.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager


class FairShare:
    """Per source address: calls running and calls waiting; who called within the window.

    Used from one event loop only (each worker has one), so it needs no thread lock.
    """

    def __init__(
        self, window_seconds: float, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        self._window = window_seconds
        self._monotonic = monotonic
        self._seen: OrderedDict[str, float] = OrderedDict()  # source -> last call, oldest first
        self._running: dict[str, int] = {}
        self._waiting: dict[str, deque[asyncio.Future[None]]] = {}

    @asynccontextmanager
    async def turn(self, source: str) -> AsyncIterator[None]:
        """Waits, when sources compete, until `source` has no other call running here."""
        if self._window <= 0:
            yield
            return
        self._note(source)
        if self._running.get(source, 0) > 0 and self._contended():
            waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            queue = self._waiting.setdefault(source, deque())
            queue.append(waiter)
            try:
                await waiter  # the slot is handed over already counted (see _release)
            except BaseException:
                if waiter.done() and not waiter.cancelled():
                    self._release(source)  # handed the slot, then cancelled: pass it on
                else:
                    queue.remove(waiter)
                    if not queue:
                        del self._waiting[source]
                raise
        else:
            self._running[source] = self._running.get(source, 0) + 1
        try:
            yield
        finally:
            self._release(source)

    def running(self, source: str) -> int:
        return self._running.get(source, 0)

    def waiting(self, source: str) -> int:
        return len(self._waiting.get(source, ()))

    def _note(self, source: str) -> None:
        self._seen[source] = self._monotonic()
        self._seen.move_to_end(source)
        self._forget_quiet()

    def _contended(self) -> bool:
        """Whether more than one source called within the window."""
        self._forget_quiet()
        return len(self._seen) > 1

    def _forget_quiet(self) -> None:
        now = self._monotonic()
        while self._seen:
            oldest, last = next(iter(self._seen.items()))
            if now - last <= self._window:
                break
            del self._seen[oldest]

    def _release(self, source: str) -> None:
        """Ends one call of `source`. While sources compete, its next waiter starts once none
        of its calls runs (calls started before the competition began finish first); once it
        is alone again, every waiter starts."""
        running = self._running.get(source, 0) - 1
        queue = self._waiting.get(source)
        contended = self._contended()
        while queue and (not contended or running == 0):
            waiter = queue.popleft()
            if not waiter.done():
                waiter.set_result(None)
                running += 1
        if queue is not None and not queue:
            del self._waiting[source]
        if running > 0:
            self._running[source] = running
        else:
            self._running.pop(source, None)
