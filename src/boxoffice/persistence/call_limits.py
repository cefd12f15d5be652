"""The per-operator call limit counted in the database, so every worker and host shares it.

A token bucket per login, as `CallRateLimiter` keeps in memory: a login allowed N calls per
minute may spend N at once, then one every 60/N s. Admitting a call is one conditional UPDATE
that refills and spends in the same statement, so that two processes can never both spend the
last token (PostgreSQL re-checks the condition on the row it waited for; SQLite runs one writer
at a time). It costs one short write transaction per call, and only for channels that set
callsPerMinute. Time is each host's wall clock: hosts sharing a database must keep it in sync
(NTP); a host behind by a second refills nothing for that second, never more.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, case, select, update
from sqlalchemy.dialects import postgresql, sqlite

from boxoffice.persistence.tables import call_buckets


class SqlCallLimiter:
    """A `CallLimiter` over the `call_buckets` table."""

    def __init__(self, engine: Engine, wall_clock: Callable[[], float] = time.time) -> None:
        self._engine = engine
        self._wall_clock = wall_clock
        dialect = {"postgresql": postgresql, "sqlite": sqlite}.get(engine.dialect.name)
        if dialect is None:
            raise ValueError(f"No shared call limit for {engine.dialect.name} databases.")
        self._insert: Any = dialect.insert

    def admit(self, login: str, calls_per_minute: int | None) -> float | None:
        """None when the call may go on; otherwise the seconds until it would be admitted."""
        if not calls_per_minute:
            return None
        capacity, per_ms = float(calls_per_minute), calls_per_minute / 60_000
        now_ms = int(self._wall_clock() * 1000)
        elapsed = case(
            (call_buckets.c.updated_at_ms < now_ms, now_ms - call_buckets.c.updated_at_ms), else_=0
        )
        refilled = call_buckets.c.tokens + elapsed * per_ms
        available = case((refilled > capacity, capacity), else_=refilled)
        spend = (
            update(call_buckets)
            .where(call_buckets.c.login == login, available >= 1)
            .values(
                tokens=available - 1,
                updated_at_ms=case(
                    (call_buckets.c.updated_at_ms < now_ms, now_ms),
                    else_=call_buckets.c.updated_at_ms,
                ),
            )
            .returning(call_buckets.c.tokens)
        )
        with self._engine.begin() as connection:
            if connection.execute(spend).first() is not None:
                return None
            first = (
                self._insert(call_buckets)
                .values(login=login, tokens=capacity - 1, updated_at_ms=now_ms)
                .on_conflict_do_nothing(index_elements=[call_buckets.c.login])
                .returning(call_buckets.c.login)
            )
            if connection.execute(first).first() is not None:
                return None
            # Another process created the bucket meanwhile: spend from it if it has a token.
            if connection.execute(spend).first() is not None:
                return None
            left = connection.execute(
                select(available).where(call_buckets.c.login == login)
            ).scalar_one()
        return max(0.0, (1.0 - float(left)) / per_ms / 1000)
