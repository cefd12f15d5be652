"""The sweeper thread outlives its failures and stops when asked."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import pytest

from boxoffice import sweeper as sweeper_module
from boxoffice.sweeper import ExpirySweeper

pytestmark = pytest.mark.system

BOUND_SECONDS = 10


def test_the_sweeper_keeps_sweeping_after_errors_and_stops_when_asked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[datetime] = []

    def flaky_sweep(uow_factory: Any, now: datetime) -> int:
        calls.append(now)
        if len(calls) <= 2:
            raise ConnectionError("the database is away")
        return 1

    monkeypatch.setattr(sweeper_module, "sweep", flaky_sweep)
    monkeypatch.setattr(sweeper_module, "MAX_BACKOFF_SECONDS", 0.05)
    sweeper = ExpirySweeper(lambda: None, lambda: datetime.now(UTC), interval_seconds=0.01)
    sweeper.start()
    deadline = time.monotonic() + BOUND_SECONDS
    while sweeper.sweeps < 3 and time.monotonic() < deadline:
        time.sleep(0.01)
    sweeper.stop()
    assert (sweeper.failures, sweeper.sweeps >= 3) == (2, True)
    settled = len(calls)
    time.sleep(0.1)
    assert len(calls) == settled  # stopped for good
