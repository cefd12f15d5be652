"""Starts the real `boxoffice serve` process as a user does, and builds zeep clients for it."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
import zeep
from zeep.transports import Transport
from zeep.wsse.username import UsernameToken

import boxoffice

WSDL_DIR = Path(__file__).resolve().parents[2] / "wsdl"
ENDPOINT_PREFIX = "/tnseb/external-remoting/com.secutix.service.realtime.externalorder.v1_33."
STARTUP_BOUND_SECONDS = 60
SHUTDOWN_BOUND_SECONDS = 10
CALL_BOUND_SECONDS = 60


def boxoffice_command() -> list[str]:
    """The installed `boxoffice` script beside this interpreter, else `python -m boxoffice.cli`."""
    script = Path(sys.executable).parent / "boxoffice"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "boxoffice.cli"]


def child_environment(database_url: str, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    environment = dict(os.environ, BOXOFFICE_DATABASE_URL=database_url, **(extra or {}))
    # Without an installed package (PYTHONPATH=src runs), the child must import the same code.
    package_root = str(Path(boxoffice.__file__).resolve().parents[1])
    paths = [package_root, *filter(None, environment.get("PYTHONPATH", "").split(os.pathsep))]
    environment["PYTHONPATH"] = os.pathsep.join(paths)
    return environment


def run_boxoffice(
    arguments: list[str], working_dir: Path, database_url: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*boxoffice_command(), *arguments],
        cwd=working_dir,
        env=child_environment(database_url),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class RunningServer:
    """A `boxoffice serve` process on 127.0.0.1:port, with its output files."""

    process: subprocess.Popen[bytes]
    port: int
    stdout_path: Path
    stderr_path: Path

    def endpoint(self, service: str) -> str:
        return f"http://127.0.0.1:{self.port}{ENDPOINT_PREFIX}{service}.webservice"

    def output(self) -> str:
        return (
            f"--- stdout ---\n{self.stdout_path.read_text(errors='replace')}"
            f"\n--- stderr ---\n{self.stderr_path.read_text(errors='replace')}"
        )

    def client(self, service: str, login: str, password: str) -> zeep.proxy.ServiceProxy:
        """A zeep service proxy built from the checked-in WSDL, aimed at this server."""
        transport = Transport(timeout=CALL_BOUND_SECONDS, operation_timeout=CALL_BOUND_SECONDS)
        client = zeep.Client(
            str(WSDL_DIR / f"{service}.wsdl"),
            transport=transport,
            wsse=UsernameToken(login, password),
        )
        binding = f"{{http://v1_33.{service}.service.secutix.com}}{service}"
        return client.create_service(binding, self.endpoint(service))


def wait_until_serving(server: RunningServer) -> None:
    """Polls `?wsdl` until it answers 200; fails with the server's output past the bound."""
    url = server.endpoint("ExternalOrderFacade") + "?wsdl"
    deadline = time.monotonic() + STARTUP_BOUND_SECONDS
    last_error = "no answer yet"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(
                f"boxoffice serve exited with {server.process.returncode} before "
                f"answering {url}\n{server.output()}",
                pytrace=False,
            )
        try:
            answer = requests.get(url, timeout=5)
            if answer.status_code == 200:
                return
            last_error = f"HTTP {answer.status_code}"
        except requests.RequestException as error:
            last_error = type(error).__name__
        time.sleep(0.2)
    pytest.fail(
        f"boxoffice serve did not answer {url} within {STARTUP_BOUND_SECONDS} s "
        f"(last: {last_error})\n{server.output()}",
        pytrace=False,
    )


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the server's process group (its workers too), SIGKILL past the bound."""

    def signal_group(signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signum)

    signal_group(signal.SIGTERM)
    try:
        process.wait(timeout=SHUTDOWN_BOUND_SECONDS)
    except subprocess.TimeoutExpired:
        signal_group(signal.SIGKILL)
        process.wait(timeout=SHUTDOWN_BOUND_SECONDS)
    # A worker that outlived its parent must not keep the test database open.
    signal_group(signal.SIGKILL)


StartServer = Callable[..., RunningServer]


@pytest.fixture
def boxoffice_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Runs `boxoffice ARGUMENTS` in a working dir against a database, output captured."""
    return run_boxoffice


def launch_server(
    working_dir: Path,
    database_url: str,
    serve_arguments: tuple[str, ...] = (),
    environment: Mapping[str, str] | None = None,
    command: list[str] | None = None,
    port: int | None = None,
) -> RunningServer:
    """Starts `boxoffice serve` (or `command`, taking the same --port) on a free port (or
    `port`) in its own process group, and waits for it."""
    port = port or free_port()
    stdout_path, stderr_path = working_dir / "serve.out", working_dir / "serve.err"
    # Appending: a server restarted in the same directory keeps the earlier runs' output.
    with stdout_path.open("ab") as out, stderr_path.open("ab") as err:
        process = subprocess.Popen(
            [*(command or [*boxoffice_command(), "serve"]), "--port", str(port), *serve_arguments],
            cwd=working_dir,
            env=child_environment(database_url, environment),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )
    server = RunningServer(process, port, stdout_path, stderr_path)
    try:
        wait_until_serving(server)
    except BaseException:
        stop(process)
        raise
    return server


@pytest.fixture
def start_server(database_url: str, tmp_path: Path) -> Iterator[StartServer]:
    """Runs `boxoffice demo`, then `boxoffice serve` on a free port, in a fresh working dir.

    Runs on SQLite and on PostgreSQL through the `database_url` fixture of tests/conftest.py.
    Keywords: `catalog` loads that file with `boxoffice catalog load` instead of the demo;
    `environment` adds variables to the server's environment (BOXOFFICE_SWEEP_SECONDS...);
    `serve_url` makes the server use another URL to the same database (through a proxy);
    `load=False` skips loading, for a restart on a database already loaded.
    """
    started: list[subprocess.Popen[bytes]] = []

    def start(
        *serve_arguments: str,
        catalog: Path | None = None,
        environment: Mapping[str, str] | None = None,
        serve_url: str | None = None,
        load: bool = True,
    ) -> RunningServer:
        working_dir = tmp_path / "run"
        working_dir.mkdir(exist_ok=True)
        if load:
            arguments = ["catalog", "load", str(catalog)] if catalog is not None else ["demo"]
            loaded = run_boxoffice(arguments, working_dir, database_url)
            assert loaded.returncode == 0, (
                f"boxoffice {' '.join(arguments)} failed:\n{loaded.stdout}\n{loaded.stderr}"
            )
        server = launch_server(working_dir, serve_url or database_url, serve_arguments, environment)
        started.append(server.process)
        return server

    yield start
    for process in started:
        stop(process)
