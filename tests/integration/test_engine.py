"""Engine settings: where the database is, and how SQLite is made safe for many writers."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

import boxoffice.persistence.engine as engine_module
from boxoffice.persistence.engine import create_engine_for, default_database_url
from boxoffice.serving.server import BACKGROUND_CONNECTIONS, worker_settings
from boxoffice.settings import Settings


def test_the_default_database_is_a_file_in_the_working_directory(monkeypatch):
    monkeypatch.delenv("BOXOFFICE_DATABASE_URL", raising=False)
    assert default_database_url() == "sqlite:///boxoffice.db"


def test_the_environment_names_another_database(monkeypatch):
    url = "postgresql+psycopg://postgres@127.0.0.1:5432/boxoffice"
    monkeypatch.setenv("BOXOFFICE_DATABASE_URL", url)
    assert default_database_url() == url


@pytest.fixture
def sqlite_engine(tmp_path):
    engine = create_engine_for(f"sqlite:///{tmp_path / 'settings.db'}")
    yield engine
    engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys_and_a_busy_timeout(sqlite_engine):
    with sqlite_engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 30_000


def test_a_sqlite_transaction_holds_the_write_lock_from_its_start(sqlite_engine, tmp_path):
    other = create_engine_for(f"sqlite:///{tmp_path / 'settings.db'}")
    with sqlite_engine.begin() as connection:
        connection.execute(text("SELECT 1"))
        raw = other.raw_connection()
        try:
            # Another connection, even one that never waits, cannot start writing now.
            raw.driver_connection.execute("PRAGMA busy_timeout = 0")
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                raw.driver_connection.execute("BEGIN IMMEDIATE")
        finally:
            raw.close()
    other.dispose()


def test_a_sqlite_transaction_rolls_back_as_a_whole(sqlite_engine):
    with sqlite_engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE things (name TEXT)")
    with pytest.raises(RuntimeError), sqlite_engine.begin() as connection:
        connection.exec_driver_sql("INSERT INTO things VALUES ('one')")
        raise RuntimeError("abandon")
    with sqlite_engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM things").scalar() == 0


def _backend_pid(engine) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def _terminate(postgres_url: str, pid: int) -> None:
    admin = create_engine_for(postgres_url)
    with admin.connect() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    admin.dispose()


@pytest.mark.parametrize("idle", [False, True])
def test_a_connection_cut_while_idle_in_the_pool_is_replaced_and_a_busy_one_is_not_pinged(
    postgres_url, monkeypatch, idle
):
    # Idle means: back in the pool longer than the ping threshold (here: any time at all).
    monkeypatch.setattr(engine_module, "IDLE_PING_SECONDS", 0.0 if idle else 3600.0)
    engine = create_engine_for(postgres_url)
    try:
        cut = _backend_pid(engine)
        _terminate(postgres_url, cut)
        if idle:
            # Pinged on checkout, found dead, replaced: the caller never sees it.
            assert _backend_pid(engine) != cut
        else:
            # Not pinged (a connection just used is trusted): the dead one is handed out.
            with pytest.raises(Exception, match="terminat|closed|connection"):
                _backend_pid(engine)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_worker_keeps_a_connection_open_for_each_of_its_threads(postgres_url):
    settings = worker_settings(Settings(database_url=postgres_url), threads=8)
    engine = create_engine_for(postgres_url, pool_size=settings.database_pool_size)
    try:
        # Every thread of a busy worker holds a connection, and the background threads too.
        held = [engine.connect() for _ in range(8 + BACKGROUND_CONNECTIONS)]
        backends = [connection.connection.dbapi_connection.info.backend_pid for connection in held]
        for connection in held:
            connection.close()

        # The next calls reuse them: no PostgreSQL backend started and stopped per call.
        again = [engine.connect() for _ in range(8 + BACKGROUND_CONNECTIONS)]
        reused = [connection.connection.dbapi_connection.info.backend_pid for connection in again]
        for connection in again:
            connection.close()
        assert engine.pool.checkedin() == 8 + BACKGROUND_CONNECTIONS
        assert sorted(reused) == sorted(backends)
    finally:
        engine.dispose()
