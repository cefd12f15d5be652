"""The retention purger: a daemon thread purging ended carts daily (persistence/retention.py).

Started by each worker when BOXOFFICE_PURGE_AFTER_DAYS is set. Several workers or hosts purging
at once is harmless: each batch deletes only what is still there.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

import structlog
from sqlalchemy import Engine

from boxoffice.persistence.retention import purge

log = structlog.get_logger("boxoffice.purger")

DAY_SECONDS = 86_400.0
# The first purge comes soon after a start, so that a server restarted more often than daily
# still purges; spread over this many seconds so that workers starting together do not collide.
FIRST_PURGE_WITHIN_SECONDS = 60.0


class RetentionPurger:
    """Runs `purge(older_than=after_days)` every `interval_seconds` until stopped."""

    def __init__(
        self,
        engine: Engine,
        clock: Callable[[], datetime],
        after_days: float,
        *,
        interval_seconds: float = DAY_SECONDS,
        first_within_seconds: float = FIRST_PURGE_WITHIN_SECONDS,
    ) -> None:
        if after_days <= 0 or interval_seconds <= 0:
            raise ValueError("The retention period and the purge interval must be positive.")
        self._engine = engine
        self._clock = clock
        self._older_than = timedelta(days=after_days)
        self._interval = interval_seconds
        self._first = first_within_seconds
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.purges = 0
        self.failures = 0

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="retention-purger", daemon=True)
        self._thread.start()
        log.info(
            "purger_started",
            after_days=self._older_than / timedelta(days=1),
            interval_seconds=self._interval,
        )

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        pause = random.uniform(0, self._first)  # noqa: S311 (S311: timing, not secrecy)
        while not self._stopping.wait(pause):
            pause = self._interval
            try:
                purge(self._engine, self._clock(), self._older_than)
            except Exception as error:
                self.failures += 1
                log.warning("purge_failed", error_type=type(error).__name__, exc_info=True)
                continue
            self.purges += 1
