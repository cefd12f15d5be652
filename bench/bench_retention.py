"""How much the database grows per 1,000 abandoned carts, without and with `boxoffice purge`.

Run from the repository root:  PYTHONPATH=src python bench/bench_retention.py [--carts N]

On SQLite (a file) and on PostgreSQL (a fresh database at BOXOFFICE_TEST_POSTGRES_URL's server,
skipped when unreachable): an in-process server (bench_console's stdlib WSGI server, JSON over
HTTP) with the demo catalog
takes N carts of 3 calls each (createOrder, addOperation of 2 seats, abandonOrder), which write
the order, its seat line and fee lines, its places, its state history and 3 logged calls. Then
every order is dated 31 days back and `purge --older-than 30` runs; then N more carts come. The
first batch is the growth without a purge; the second shows what a purged database grows by,
since the space the purge freed is used again (PostgreSQL after the VACUUM autovacuum would run;
neither database gives the space back to the file system without VACUUM / VACUUM FULL).
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import sqlite3
import tempfile
import uuid
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import requests
from bench_console import AUTH, demo_document, sale, start
from sqlalchemy import Engine, text, update
from sqlalchemy.engine import make_url

from boxoffice.bootstrap import Boxoffice, build
from boxoffice.logging_setup import configure_logging
from boxoffice.persistence.catalog_loader import load_catalog
from boxoffice.persistence.retention import purge
from boxoffice.persistence.schema import table_metadata
from boxoffice.persistence.tables import orders
from boxoffice.settings import Settings

POSTGRES_ADMIN_URL = os.environ.get(
    "BOXOFFICE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def size_of(engine: Engine) -> tuple[int, int]:
    """(bytes on disk, bytes in use: SQLite's pages not free, PostgreSQL's live rows without
    their indexes)."""
    if engine.dialect.name == "sqlite":
        # Outside the engine, whose every transaction holds the write lock a checkpoint needs.
        with closing(sqlite3.connect(engine.url.database or "")) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            page, pages, free = (
                connection.execute(f"PRAGMA {name}").fetchone()[0]
                for name in ("page_size", "page_count", "freelist_count")
            )
            return pages * page, (pages - free) * page
    with engine.connect() as connection:
        total = connection.execute(text("SELECT pg_database_size(current_database())"))
        rows = sum(
            int(
                connection.execute(
                    text(f"SELECT coalesce(sum(pg_column_size(t.*)), 0) FROM {table.name} t")
                ).scalar_one()
            )
            for table in table_metadata().sorted_tables
        )
        return int(total.scalar_one()), rows


def carts(app: Boxoffice, url: str, count: int) -> None:
    session = requests.Session()
    session.auth = AUTH
    for _ in range(count):
        sale(session, url)
    assert app.call_recorder is not None and app.call_recorder.wait_until_written()


def measure(backend: str, database_url: str, count: int) -> None:
    app = build(Settings(database_url=database_url))
    load_catalog(app.engine, demo_document())
    url, server = start(app)
    try:
        carts(app, url, 1)  # warm up: password hash, seat map
        before = size_of(app.engine)
        carts(app, url, count)
        grown = size_of(app.engine)
        with app.engine.begin() as connection:
            connection.execute(
                update(orders).values(updated_at=datetime.now(UTC) - timedelta(days=31))
            )
        report = purge(app.engine, datetime.now(UTC), timedelta(days=30))
        if backend == "postgresql":
            with app.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM")
        purged = size_of(app.engine)
        carts(app, url, count)
        regrown = size_of(app.engine)
    finally:
        server.close()
        app.engine.dispose()
    per = 1000 / count
    print(f"\n{backend}: {count} abandoned carts per batch; purge deleted {report.summary()}")
    print(f"{'':<34}{'on disk':>14}{'in use':>14}")
    for label, (disk, in_use) in (
        ("before", before),
        ("after batch 1 (no purge yet)", grown),
        ("after the purge", purged),
        ("after batch 2 (after the purge)", regrown),
    ):
        print(f"{label:<34}{disk:>14,}{in_use:>14,}")
    print(f"growth per 1,000 carts without purge: {(grown[0] - before[0]) * per:>12,.0f} bytes")
    print(f"growth per 1,000 carts after a purge: {(regrown[0] - purged[0]) * per:>12,.0f} bytes")


def with_postgres(run: Callable[[str], None]) -> None:
    name = f"boxoffice_bench_{uuid.uuid4().hex[:8]}"
    try:
        admin = psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as error:
        print(f"\npostgresql: skipped, not reachable ({error})")
        return
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        run(
            make_url(POSTGRES_ADMIN_URL)
            .set(database=name, drivername="postgresql+psycopg")
            .render_as_string(hide_password=False)
        )
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    configure_logging("WARNING")
    logging.getLogger("spyne").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--carts", type=int, default=1000)
    parser.add_argument(
        "--backend",
        choices=("sqlite", "postgresql"),
        action="append",
        help="only this database (repeatable; default: both)",
    )
    arguments = parser.parse_args()
    backends = arguments.backend or ["sqlite", "postgresql"]
    print(f"CPython {platform.python_version()}, {platform.machine()}", flush=True)
    if "sqlite" in backends:
        with tempfile.TemporaryDirectory() as folder:
            measure("sqlite", f"sqlite:///{Path(folder) / 'retention.db'}", arguments.carts)
    if "postgresql" in backends:
        with_postgres(lambda url: measure("postgresql", url, arguments.carts))


if __name__ == "__main__":
    main()
