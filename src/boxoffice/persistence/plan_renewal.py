"""A worker's PostgreSQL connections opened anew each time the sale's tables have doubled.

psycopg prepares a statement on a connection at its fifth run, and PostgreSQL then keeps a
generic plan for it on that connection, made for the tables as they were, until an analyze
of those tables invalidates it. A plan made while `orders`, `operations` and `movements` held
a page or two reads them whole (that is the cheapest way through one page); once the tables
have grown, every sale reads every order, unless autovacuum's analyze comes to plan it again.
Without autovacuum (this machine's server runs without it) it never comes: in a stadium
on-sale, PostgreSQL's time per sale grew run after run (docs/performance.md, stop 29).

So each worker watches the size of those tables and, when they have doubled since its
connections were opened, lets its pool go (`Engine.dispose`): connections in use finish their
call and are closed when given back, the next calls open new ones and plan their statements
for the tables as they are now. Doubling bounds the renewals to a few dozen over a database's
life, each costing a few connections and their first statements' planning.
"""

from __future__ import annotations

import threading
import time

import structlog
from sqlalchemy import Engine, text

log = structlog.get_logger("boxoffice.persistence")

# The tables every sale reads by key: those whose plans go stale as an on-sale fills them.
SALE_TABLES = ("orders", "operations", "movements")
_SIZE = text("SELECT " + " + ".join(f"pg_relation_size('{table}')" for table in SALE_TABLES))
CHECK_SECONDS = 2.0
# What the tables are taken to weigh at least: a page each (empty tables weigh nothing, and
# nothing doubles nothing).
_FLOOR_BYTES = 8192 * len(SALE_TABLES)


class PlanRenewal:
    """Renews an engine's connections each time the sale's tables have grown `growth` times."""

    def __init__(
        self, engine: Engine, *, growth: float = 2.0, check_seconds: float = CHECK_SECONDS
    ) -> None:
        self._engine = engine
        self._growth = growth
        self._check_seconds = check_seconds
        self._planned_at: int | None = None
        self.renewals = 0

    def check(self) -> bool:
        """Renews the connections if the tables have grown enough since; whether it did."""
        # Committed, not rolled back: psycopg forgets a connection's prepared statements at
        # each rollback (persistence/unit_of_work.py).
        with self._engine.begin() as connection:
            size = max(int(connection.execute(_SIZE).scalar_one()), _FLOOR_BYTES)
        if self._planned_at is None or size < self._planned_at:
            self._planned_at = size  # the first look, or the tables were emptied
            return False
        if size < self._planned_at * self._growth:
            return False
        self._engine.dispose()
        log.info("connections_renewed", table_bytes=size, since_bytes=self._planned_at)
        self._planned_at = size
        self.renewals += 1
        return True

    def start(self) -> None:
        """Checks every `check_seconds` in a daemon thread, for the life of the process."""
        threading.Thread(target=self._run, name="plan-renewal", daemon=True).start()

    def _run(self) -> None:
        while True:
            time.sleep(self._check_seconds)
            try:
                self.check()
            except Exception as error:  # noqa: BLE001 (the database away: look again later)
                log.warning("plan_renewal_check_failed", error_type=type(error).__name__)
