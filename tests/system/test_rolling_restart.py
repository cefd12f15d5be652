"""Issue 9 item 7: two hosts on one PostgreSQL restarted one after the other lose nothing.

Two `boxoffice serve` instances (two workers each) stand for two hosts behind a load balancer;
the clients play the balancer, sending each call to the next host and retrying on the other
when one refuses connections. Each host in turn gets SIGTERM, finishes its calls, exits and is
started again on its port (a migration-free upgrade), while the clients sell. Afterwards every
sale a client was told is closed is closed in the database with the barcodes it was given, no
answer was cut off, and no seat is sold twice.
"""

from __future__ import annotations

import signal
import threading
import time
from pathlib import Path

import pytest
import requests
from tests.system.conftest import (
    RunningServer,
    StartServer,
    launch_server,
    stop,
)
from tests.system.sales import Ledger, lost_sales, sell_until

pytestmark = pytest.mark.system

CLIENTS = 4
SALES_BETWEEN_STEPS = 5
STEP_BOUND_SECONDS = 60


def _wait_for_more_sales(ledger: Ledger, more: int) -> None:
    with ledger.lock:
        target = len(ledger.closed) + more
    deadline = time.monotonic() + STEP_BOUND_SECONDS
    while True:
        with ledger.lock:
            if len(ledger.closed) >= target:
                return
            outcomes = dict(ledger.outcomes)
        # The answers tell a stop from a sell-out: the clients sell from a few hundred seats,
        # so a step stalled for tens of seconds ends with every addOperation refused for lack
        # of seats (error.order.availability).
        assert time.monotonic() < deadline, (
            f"sales stopped during the rolling restart; answers so far: {outcomes}"
        )
        time.sleep(0.1)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_rolling_restart_of_two_hosts_loses_no_sale(
    start_server: StartServer, database_url: str, tmp_path: Path
) -> None:
    hosts: list[RunningServer] = [
        start_server("--workers", "2"),
        start_server("--workers", "2", load=False),
    ]
    ports = [host.port for host in hosts]
    stop_selling, ledger = threading.Event(), Ledger()
    clients = sell_until(stop_selling, lambda: ports, ledger, CLIENTS)
    restarted: list[RunningServer] = []
    try:
        _wait_for_more_sales(ledger, SALES_BETWEEN_STEPS)
        for index, host in enumerate(hosts):
            host.process.send_signal(signal.SIGTERM)
            assert host.process.wait(timeout=STEP_BOUND_SECONDS) == 0, host.output()
            _wait_for_more_sales(ledger, SALES_BETWEEN_STEPS)  # the other host serves alone
            fresh = launch_server(
                tmp_path / "run", database_url, ("--workers", "2"), port=host.port
            )
            restarted.append(fresh)
            ready = requests.get(f"http://127.0.0.1:{fresh.port}/health/ready", timeout=30)
            assert ready.status_code == 200
            hosts[index] = fresh
            _wait_for_more_sales(ledger, SALES_BETWEEN_STEPS)
    finally:
        stop_selling.set()
        for client in clients:
            client.join(70)
        for server in restarted:
            stop(server.process)

    assert ledger.retries > 0, "no client ever met a host going away: nothing was tested"
    assert ledger.cut_off == 0, "an answer was cut off mid-way"
    assert lost_sales(database_url, ledger) == []
    assert len(ledger.closed) >= 5 * SALES_BETWEEN_STEPS
