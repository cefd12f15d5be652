"""Engines for SQLite and PostgreSQL, tuned so that concurrent writers never sell a seat twice."""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from boxoffice.persistence.metadata import metadata

DATABASE_URL_VARIABLE = "BOXOFFICE_DATABASE_URL"
DEFAULT_DATABASE_URL = "sqlite:///boxoffice.db"

# How long a SQLite writer waits for another process's write transaction before giving up.
SQLITE_BUSY_TIMEOUT_MS = 30_000


def default_database_url() -> str:
    """The URL from BOXOFFICE_DATABASE_URL, else boxoffice.db in the working directory."""
    return os.environ.get(DATABASE_URL_VARIABLE) or DEFAULT_DATABASE_URL


def create_engine_for(url: str) -> Engine:
    """An engine for the URL: SQLite serialized by BEGIN IMMEDIATE, PostgreSQL with pre-ping."""
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True)


def create_schema(engine: Engine) -> None:
    """Creates every missing table and index; tables already there are left alone."""
    # Tables join the shared metadata when their module is imported; bring them all in.
    import boxoffice.persistence.catalog_tables  # noqa: F401  (F401: imported for its tables)
    import boxoffice.persistence.tables  # noqa: F401  (F401: imported for its tables)

    metadata.create_all(engine)


def _sqlite_engine(url: str) -> Engine:
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # sqlite3 would open transactions lazily and only for writes; SQLAlchemy takes over.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Taking the write lock up front makes writers queue instead of failing on upgrade,
        # and makes each transaction see and change the database alone, across processes.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
