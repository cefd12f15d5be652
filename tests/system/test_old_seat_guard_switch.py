"""The variable that used to switch the seat guards off changes nothing any more (issue 9).

Older versions dropped the live-seat unique index when BOXOFFICE_TEST_DISABLE_SEAT_GUARD=1 was
set on any start, and nothing put it back. Now the variable is not read, and a start puts a
missing guard back. (tests/concurrency/test_races.py sets it for both runs as well: the guarded
run must still see no double sale.)
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from tests.system.conftest import StartServer, boxoffice_command, child_environment, stop

from boxoffice.persistence.tables import LIVE_SEAT_INDEX, STOCK_CHECK

pytestmark = pytest.mark.system

OLD_SWITCH = {"BOXOFFICE_TEST_DISABLE_SEAT_GUARD": "1"}


def _guards(database_url: str) -> tuple[bool, bool]:
    """Whether the unique live-seat index and (PostgreSQL) the stock CHECK are there."""
    engine = create_engine(database_url)
    try:
        inspector = inspect(engine)
        index = [
            index
            for index in inspector.get_indexes("movements")
            if index["name"] == LIVE_SEAT_INDEX
        ]
        unique_index = bool(index) and bool(index[0]["unique"])
        if engine.dialect.name != "postgresql":
            return unique_index, True
        checks = {check["name"] for check in inspector.get_check_constraints("stocks")}
        return unique_index, STOCK_CHECK in checks
    finally:
        engine.dispose()


def _drop_guards_as_an_old_version_did(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(text(f"DROP INDEX {LIVE_SEAT_INDEX}"))
            if engine.dialect.name == "postgresql":
                connection.execute(text(f"ALTER TABLE stocks DROP CONSTRAINT {STOCK_CHECK}"))
    finally:
        engine.dispose()


def test_serving_with_the_old_switch_set_keeps_and_restores_every_guard(
    database_url: str, start_server: StartServer, tmp_path: Path
) -> None:
    server = start_server(environment=OLD_SWITCH)
    assert _guards(database_url) == (True, True)
    stop(server.process)

    _drop_guards_as_an_old_version_did(database_url)
    assert _guards(database_url)[0] is False
    restarted = start_server(environment=OLD_SWITCH, load=False)
    assert _guards(database_url) == (True, True)
    assert "seat_guard_restored" in restarted.output()


def test_catalog_load_with_the_old_switch_set_keeps_the_guards(
    database_url: str, tmp_path: Path
) -> None:
    loaded = subprocess.run(
        [*boxoffice_command(), "demo"],
        cwd=tmp_path,
        env=child_environment(database_url, OLD_SWITCH),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert loaded.returncode == 0, loaded.stderr
    assert _guards(database_url) == (True, True)
