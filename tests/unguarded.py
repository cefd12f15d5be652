"""TEST ONLY: `boxoffice` with every guard against a double sale taken out, for race tests.

    python -m tests.unguarded serve --port N ...     (any `boxoffice` command line)

The production code has no switch for this (issue 9): this module, which ships only with the
tests, rebuilds the server with an unguarded seat-map cache, SQLite connections that ignore
CHECK constraints, and the live-seat index (and PostgreSQL's stock CHECK) dropped after the
schema is checked, so that tests/concurrency can watch the races the guards prevent.
"""

from __future__ import annotations

import sys
from typing import Any

from sqlalchemy import Engine, event, text

from boxoffice import bootstrap
from boxoffice.persistence.engine import create_engine_for, create_schema
from boxoffice.persistence.inventory import SeatMapCache
from boxoffice.persistence.tables import LIVE_SEAT_INDEX, STOCK_CHECK
from boxoffice.persistence.unit_of_work import make_unit_of_work_factory


def unguarded_engine(url: str, **options: Any) -> Engine:
    """An engine whose SQLite connections ignore CHECK constraints (SQLite cannot drop them)."""
    engine = create_engine_for(url, **options)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _ignore_checks(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA ignore_check_constraints = ON")

    return engine


def drop_database_guards(engine: Engine) -> None:
    """Drops the live-seat unique index, and on PostgreSQL the stock CHECK."""
    with engine.begin() as connection:
        connection.execute(text(f"DROP INDEX IF EXISTS {LIVE_SEAT_INDEX}"))
        if engine.dialect.name == "postgresql":
            connection.execute(text(f"ALTER TABLE stocks DROP CONSTRAINT IF EXISTS {STOCK_CHECK}"))


def create_unguarded_schema(engine: Engine) -> None:
    create_schema(engine)
    drop_database_guards(engine)


def unguarded_unit_of_work_factory(
    engine: Engine, catalog_factory: Any, seat_map_cache: SeatMapCache | None = None
) -> Any:
    """make_unit_of_work_factory, always with a seat-map cache that neither locks nor checks."""
    return make_unit_of_work_factory(engine, catalog_factory, SeatMapCache(guarded=False))


def install() -> None:
    """Makes every application `bootstrap.build` wires in this process unguarded."""
    bootstrap.create_engine_for = unguarded_engine  # type: ignore[assignment]
    bootstrap.create_schema = create_unguarded_schema  # type: ignore[assignment]
    bootstrap.make_unit_of_work_factory = unguarded_unit_of_work_factory  # type: ignore[assignment]


def main(argv: list[str]) -> int:
    from boxoffice.cli import main as boxoffice_main

    install()
    print("TEST ONLY: seats and stocks are NOT protected against double sales", file=sys.stderr)
    return boxoffice_main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
