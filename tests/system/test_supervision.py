"""Issue 9 item 2: the process manager replaces dead and hung workers and stops gracefully.

- a worker killed with SIGKILL while clients sell is replaced within seconds, and the clients
  go on being answered;
- SIGTERM while clients sell: the server stops taking connections, finishes the calls under
  way, and exits; every answered sale is in the database, and no answer was cut off mid-way;
- a worker with a call stuck longer than BOXOFFICE_WORKER_TIMEOUT is killed and replaced (the
  hang is injected by a test-only entry point, tests/system/hanging_serve.py).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from tests.system.conftest import StartServer, launch_server, run_boxoffice, stop
from tests.system.processes import children_of, wait_for_workers
from tests.system.sales import Ledger, lost_sales, sell_until

pytestmark = pytest.mark.system

REPLACED_BOUND_SECONDS = 10
CLIENTS = 4
REPOSITORY = Path(__file__).resolve().parents[2]


def _sales_answered(ledger: Ledger) -> int:
    with ledger.lock:
        return len(ledger.closed)


def _wait_for_sales(ledger: Ledger, count: int, bound_seconds: float = 60) -> None:
    deadline = time.monotonic() + bound_seconds
    while _sales_answered(ledger) < count:
        assert time.monotonic() < deadline, f"only {_sales_answered(ledger)} sales answered"
        time.sleep(0.1)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_killed_worker_is_replaced_within_seconds_while_clients_go_on(
    start_server: StartServer, database_url: str
) -> None:
    server = start_server("--workers", "2")
    workers, _ = wait_for_workers(server.process.pid, 2, REPLACED_BOUND_SECONDS)
    stop_selling, ledger = threading.Event(), Ledger()
    clients = sell_until(stop_selling, lambda: [server.port], ledger, CLIENTS)
    try:
        _wait_for_sales(ledger, 5)
        victim = min(workers)
        os.kill(victim, signal.SIGKILL)
        replaced, took = wait_for_workers(
            server.process.pid, 2, REPLACED_BOUND_SECONDS, excluding={victim}
        )
        before = _sales_answered(ledger)
        _wait_for_sales(ledger, before + 5)
    finally:
        stop_selling.set()
        for client in clients:
            client.join(60)

    assert replaced - workers, "no new worker"
    assert took < REPLACED_BOUND_SECONDS
    assert lost_sales(database_url, ledger) == []


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_sigterm_during_sales_finishes_the_calls_under_way_and_loses_no_answered_sale(
    start_server: StartServer, database_url: str
) -> None:
    server = start_server("--workers", "2")
    stop_selling, ledger = threading.Event(), Ledger()
    clients = sell_until(stop_selling, lambda: [server.port], ledger, CLIENTS)
    try:
        _wait_for_sales(ledger, 10)
        server.process.send_signal(signal.SIGTERM)
        exit_code = server.process.wait(timeout=30)
    finally:
        stop_selling.set()
        # Clients retry against a port nobody serves any more until their bound: stop them.
        for client in clients:
            client.join(70)

    assert exit_code == 0, server.output()
    assert ledger.cut_off == 0, "an answer was cut off mid-way"
    assert children_of(server.process.pid) == set()
    assert lost_sales(database_url, ledger) == []
    assert len(ledger.closed) >= 10


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_worker_with_a_hung_call_is_killed_after_the_timeout_and_replaced(
    database_url: str, tmp_path: Path
) -> None:
    loaded = run_boxoffice(["demo"], tmp_path, database_url)
    assert loaded.returncode == 0, loaded.stderr
    server = launch_server(
        tmp_path,
        database_url,
        ("--workers", "1"),
        environment={
            "BOXOFFICE_WORKER_TIMEOUT": "3",
            "PYTHONPATH": os.pathsep.join([str(REPOSITORY), os.environ.get("PYTHONPATH", "")]),
        },
        command=[sys.executable, "-m", "tests.system.hanging_serve"],
    )
    try:
        [worker], _ = wait_for_workers(server.process.pid, 1, REPLACED_BOUND_SECONDS)
        started = time.monotonic()
        with pytest.raises(requests.ConnectionError):
            requests.get(f"http://127.0.0.1:{server.port}/test/hang", timeout=30)
        cut_after = time.monotonic() - started
        [replacement], _ = wait_for_workers(
            server.process.pid, 1, REPLACED_BOUND_SECONDS, excluding={worker}
        )
        wsdl = requests.get(server.endpoint("ExternalOrderFacade") + "?wsdl", timeout=30)
    finally:
        stop(server.process)

    assert 3 <= cut_after < 3 + REPLACED_BOUND_SECONDS, cut_after
    assert replacement != worker
    assert wsdl.status_code == 200
