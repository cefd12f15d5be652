"""A lock granted in arrival order: under a hot on-sale no buyer starves behind luckier ones.

`threading.Lock` lets whichever thread the scheduler wakes first win, so with eight threads a
worker queued on one performance's seat map, some calls waited many turns (the 99th percentile
of a sale was several times its median). Here each waiter queues, and release hands the lock
to the oldest one directly.
"""

from __future__ import annotations

import threading
from collections import deque


class FairLock:
    """acquire(timeout) / release like threading.Lock, granted first come, first served."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._held = False
        self._waiters: deque[threading.Lock] = deque()

    def acquire(self, blocking: bool = True, timeout: float = -1) -> bool:
        with self._guard:
            if not self._held:
                self._held = True
                return True
            if not blocking:
                return False
            turn = threading.Lock()
            turn.acquire()
            self._waiters.append(turn)
        if turn.acquire(timeout=timeout):
            return True  # release() handed the lock over: it is held for this thread
        with self._guard:
            if turn in self._waiters:
                self._waiters.remove(turn)
                return False
        # Handed over just as the wait ran out: the lock is this thread's all the same.
        return True

    def release(self) -> None:
        with self._guard:
            if not self._held:
                raise RuntimeError("release of an unheld FairLock")
            if self._waiters:
                self._waiters.popleft().release()  # stays held, by the oldest waiter now
            else:
                self._held = False
