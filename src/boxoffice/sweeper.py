"""The expiry sweeper: a daemon thread that expires orders past their deadline, forever."""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from datetime import datetime

import structlog

from boxoffice.service.access import expire_due_orders
from boxoffice.service.ports import UnitOfWork

log = structlog.get_logger("boxoffice.sweeper")

# A sweep expires at most this many batches before it sleeps again, so that one huge backlog
# cannot keep the thread (and its database connection) busy for minutes without a pause.
MAX_BATCHES_PER_SWEEP = 50
# After failures (the database down, say) the pause doubles, up to this bound.
MAX_BACKOFF_SECONDS = 2.0


def sweep(
    uow_factory: Callable[[], UnitOfWork], now: datetime, max_batches: int = MAX_BATCHES_PER_SWEEP
) -> int:
    """Expires every order due at `now`, batch after batch; how many were expired."""
    total = 0
    for _ in range(max_batches):
        expired = expire_due_orders(uow_factory(), now)
        total += len(expired)
        if not expired:
            break
    return total


class ExpirySweeper:
    """Calls the expiry sweep every `interval_seconds` (with jitter) until stopped.

    Every worker process runs one, so places come back within about one interval of an
    order's deadline even if nobody touches it again. Two sweepers meeting on one order are
    serialised by the order's lock: the second finds it expired and leaves it alone.
    """

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        clock: Callable[[], datetime],
        interval_seconds: float,
        jitter: float = 0.25,
    ) -> None:
        if interval_seconds <= 0:
            raise ValueError("The sweep interval must be positive.")
        self._uow_factory = uow_factory
        self._clock = clock
        self._interval = interval_seconds
        self._jitter = jitter
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.sweeps = 0
        self.failures = 0

    def start(self) -> None:
        # A daemon thread dies with its process: no shutdown hook is needed, and a SIGKILL
        # leaves nothing behind that the next sweep cannot finish.
        self._thread = threading.Thread(target=self._run, name="expiry-sweeper", daemon=True)
        self._thread.start()
        log.info("sweeper_started", interval_seconds=self._interval)

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _pause(self, failed_in_a_row: int) -> float:
        base = self._interval
        if failed_in_a_row:
            base = min(
                self._interval * 2**failed_in_a_row, max(MAX_BACKOFF_SECONDS, self._interval)
            )
        # Jitter keeps the sweepers of several workers from waking in step.
        return base * random.uniform(1 - self._jitter, 1 + self._jitter)  # noqa: S311 (S311: timing, not secrecy)

    def _run(self) -> None:
        failed_in_a_row = 0
        # The first sweep comes after one pause: the server has just started serving.
        while not self._stopping.wait(self._pause(failed_in_a_row)):
            try:
                expired = sweep(self._uow_factory, self._clock())
            except Exception as error:
                failed_in_a_row += 1
                self.failures += 1
                log.warning(
                    "sweep_failed",
                    error_type=type(error).__name__,
                    failed_in_a_row=failed_in_a_row,
                    exc_info=failed_in_a_row == 1,
                )
                continue
            if failed_in_a_row:
                log.info("sweep_recovered", after_failures=failed_in_a_row)
            failed_in_a_row = 0
            self.sweeps += 1
            if expired:
                log.info("orders_expired", count=expired)
