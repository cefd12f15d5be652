"""Real `boxoffice serve` processes on one fresh database per run, and the figures of each run."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from boxoffice.persistence.engine import LOCK_TIMEOUT_VARIABLE
from tests.concurrency.catalog import write_catalog
from tests.conftest import POSTGRES_ADMIN_URL, _admin_connection, _terminate_connections
from tests.system.conftest import (
    RunningServer,
    boxoffice_command,
    child_environment,
    free_port,
    stop,
    wait_until_serving,
)

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
# Printed at the end of the session (pytest_terminal_summary) and copied to docs/performance.md.
FIGURES: list[str] = []


@dataclass
class RaceSite:
    """One database with the race catalog loaded and servers started on it."""

    backend: str
    directory: Path
    databases: list[str] = field(default_factory=list)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    engines: list[Engine] = field(default_factory=list)

    def fresh_database(self) -> str:
        if self.backend == "sqlite":
            return f"sqlite:///{self.directory / f'race-{uuid.uuid4().hex[:8]}.db'}"
        name = f"boxoffice_race_{uuid.uuid4().hex[:12]}"
        with _admin_connection() as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        self.databases.append(name)
        url = make_url(POSTGRES_ADMIN_URL).set(database=name, drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)

    def environment(
        self, database_url: str, *, lock_timeout_ms: int | None = None
    ) -> dict[str, str]:
        environment = child_environment(database_url)
        # The test-only entry point (tests/unguarded.py) must import the `tests` package.
        environment["PYTHONPATH"] = os.pathsep.join(
            [str(REPOSITORY_ROOT), environment["PYTHONPATH"]]
        )
        environment.pop(LOCK_TIMEOUT_VARIABLE, None)
        if lock_timeout_ms is not None:
            environment[LOCK_TIMEOUT_VARIABLE] = str(lock_timeout_ms)
        environment["BOXOFFICE_LOG_LEVEL"] = "WARNING"
        return environment

    def load_catalog(self, environment: dict[str, str]) -> None:
        catalog = write_catalog(self.directory)
        loaded = subprocess.run(
            [*boxoffice_command(), "catalog", "load", str(catalog)],
            cwd=self.directory,
            env=environment,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert loaded.returncode == 0, f"catalog load failed:\n{loaded.stdout}\n{loaded.stderr}"

    def start_servers(
        self, environment: dict[str, str], count: int, *, guarded: bool = True
    ) -> list[RunningServer]:
        """`boxoffice serve` processes; unguarded, the test-only server without seat guards."""
        command = boxoffice_command() if guarded else [sys.executable, "-m", "tests.unguarded"]
        servers = []
        for _ in range(count):
            port = free_port()
            out = self.directory / f"serve-{port}.out"
            err = self.directory / f"serve-{port}.err"
            with out.open("wb") as stdout, err.open("wb") as stderr:
                process = subprocess.Popen(
                    [*command, "serve", "--port", str(port), "--threads", "8"],
                    cwd=self.directory,
                    env=environment,
                    stdin=subprocess.DEVNULL,
                    stdout=stdout,
                    stderr=stderr,
                    start_new_session=True,
                )
            self.processes.append(process)
            servers.append(RunningServer(process, port, out, err))
        for server in servers:
            wait_until_serving(server)
        return servers

    def stop_servers(self) -> None:
        for process in self.processes:
            stop(process)
        self.processes.clear()

    def engine(self, database_url: str) -> Engine:
        engine = create_engine(database_url)
        self.engines.append(engine)
        return engine

    def close(self) -> None:
        self.stop_servers()
        for engine in self.engines:
            engine.dispose()
        for name in self.databases:
            with _admin_connection() as connection:
                _terminate_connections(connection, name)
                connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def race_site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RaceSite]:
    if request.param == "postgresql":
        request.getfixturevalue("_postgres_available")
    site = RaceSite(request.param, tmp_path)
    try:
        yield site
    finally:
        site.close()


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if FIGURES:
        terminalreporter.section("concurrency figures")
        for line in FIGURES:
            terminalreporter.write_line(line)
