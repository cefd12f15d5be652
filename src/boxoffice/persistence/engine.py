"""Engines for SQLite and PostgreSQL, tuned so that concurrent writers never sell a seat twice."""

from __future__ import annotations

import os
import time
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError

DATABASE_URL_VARIABLE = "BOXOFFICE_DATABASE_URL"
DEFAULT_DATABASE_URL = "sqlite:///boxoffice.db"

# How long a transaction waits for a lock held by another one before the call is refused with
# the retryable error.order.busy. PostgreSQL locks one performance's seats, an order or a stock
# row, so a long wait means something is stuck; SQLite locks the whole database for every
# writer, so there a wait is ordinary queueing and its default bound is longer.
LOCK_TIMEOUT_VARIABLE = "BOXOFFICE_LOCK_TIMEOUT_MS"
POSTGRES_LOCK_TIMEOUT_MS = 5_000
SQLITE_BUSY_TIMEOUT_MS = 30_000


def default_database_url() -> str:
    """The URL from BOXOFFICE_DATABASE_URL, else boxoffice.db in the working directory."""
    return os.environ.get(DATABASE_URL_VARIABLE) or DEFAULT_DATABASE_URL


def configured_lock_timeout_ms() -> int | None:
    """BOXOFFICE_LOCK_TIMEOUT_MS when set, else None (each database's default)."""
    value = os.environ.get(LOCK_TIMEOUT_VARIABLE, "").strip()
    return int(value) if value else None


def lock_timeout_seconds(backend: str = "postgresql") -> float:
    """The lock wait bound of a backend, in seconds, for waits outside the database."""
    configured = configured_lock_timeout_ms()
    default = SQLITE_BUSY_TIMEOUT_MS if backend == "sqlite" else POSTGRES_LOCK_TIMEOUT_MS
    return (configured if configured is not None else default) / 1000


# Execution option of the connections of a read-only unit of work (unit_of_work.py): True, or
# ONE_STATEMENT for reads outside any transaction.
READ_ONLY_OPTION = "boxoffice_read_only"
ONE_STATEMENT = "one statement"


def create_engine_for(
    url: str, *, lock_timeout_ms: int | None = None, pool_size: int | None = None
) -> Engine:
    """An engine for the URL: SQLite serialized by BEGIN IMMEDIATE, PostgreSQL pinging idle
    connections.

    Lock waits are bounded by `lock_timeout_ms` (default: BOXOFFICE_LOCK_TIMEOUT_MS, else the
    backend's default). `pool_size` connections are kept open once used, the last given back
    handed out first (SQLAlchemy's default, 5, first in first out, when None); up to 10 more
    are opened when needed and closed when given back.
    """
    backend = make_url(url).get_backend_name()
    if lock_timeout_ms is None:
        lock_timeout_ms = configured_lock_timeout_ms()
    if backend == "sqlite":
        return _sqlite_engine(url, lock_timeout_ms or SQLITE_BUSY_TIMEOUT_MS)
    connect_args: dict[str, Any] = {}
    if backend == "postgresql":
        timeout = lock_timeout_ms or POSTGRES_LOCK_TIMEOUT_MS
        # A session setting: every statement of every transaction waits at most this long for
        # a lock, then fails with LockNotAvailable, which the unit of work turns into a refusal.
        connect_args["options"] = f"-c lock_timeout={int(timeout)}"
        # A database that goes silent on the network must fail calls, not freeze threads:
        # bounded connect, TCP keepalives, and a cap on unacknowledged sends.
        connect_args.update(
            connect_timeout=5,
            keepalives=1,
            keepalives_idle=5,
            keepalives_interval=2,
            keepalives_count=3,
            tcp_user_timeout=10_000,
        )
    # Last in, first out: the connections in use stay the few most recently used (their
    # PostgreSQL backends warm), the rest of the pool waits for a burst.
    pool: dict[str, Any] = (
        {} if pool_size is None else {"pool_size": pool_size, "pool_use_lifo": True}
    )
    engine = create_engine(url, connect_args=connect_args, **pool)
    _ping_when_idle(engine)
    return engine


# A pooled connection unused for longer than this is pinged before it is handed out.
IDLE_PING_SECONDS = 1.0


def _ping_when_idle(engine: Engine) -> None:
    """Pings a pooled connection before use only if it sat idle, not before every transaction.

    SQLAlchemy's pool_pre_ping costs a round trip per transaction, a tenth of a busy call's.
    A connection returned to the pool a moment ago is known to work; one idle for a second may
    have been cut (a database restart, a proxy's timeout) and is pinged, and replaced by the
    pool if the ping fails, as pool_pre_ping would do.
    """

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.get("idle_since")
        if idle_since is None or time.monotonic() - idle_since < IDLE_PING_SECONDS:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise DisconnectionError(f"idle connection lost: {type(error).__name__}") from error
        if not alive:
            raise DisconnectionError("idle connection lost")


def create_schema(engine: Engine) -> None:
    """Creates a new database at the current schema or checks it is current (schema.py)."""
    # Imported here: the schema module brings in Alembic, which the engine alone never needs.
    from boxoffice.persistence.schema import create_schema as create_or_check

    create_or_check(engine)


def _sqlite_engine(url: str, busy_timeout_ms: int) -> Engine:
    engine = create_engine(url)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # sqlite3 would open transactions lazily and only for writes; SQLAlchemy takes over.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Taking the write lock up front makes writers queue instead of failing on upgrade,
        # and makes each transaction see and change the database alone, across processes.
        # A read-only unit of work (READ_ONLY_OPTION) begins deferred: under WAL it reads a
        # snapshot without ever waiting for, or holding up, a writer; one reading in a single
        # statement begins nothing (sqlite3's rollback at its end then sends nothing either).
        read_only = connection.get_execution_options().get(READ_ONLY_OPTION)
        if read_only == ONE_STATEMENT:
            return
        if read_only:
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
