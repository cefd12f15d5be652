"""Component benchmark beside bench_sale.py: the CPU one SOAP call costs in one process.

Run from the repository root, in the README's virtual environment, with the PostgreSQL server
of the tests (127.0.0.1:5432, user postgres):

    PYTHONPATH=.:src python bench/bench_call_cpu.py [--calls 300]

It loads the 60,000-seat stadium of bench_sale.py into a database of its own (dropped at the
end), builds the application as a `boxoffice serve` worker does, and calls it as a WSGI
application, without HTTP, one call at a time. For each kind of call it prints the CPU time
of the calling thread and of the process's other threads (the call log's writer, the expiry
sweeper), per call, and for a sale how long the performance's locks were held. The first
rows are the floor: a call refused before any database work, and one reading no order.
bench_sale.py measures the path a reseller takes; this one says where its CPU goes.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from bench_sale import (
    PERFORMANCE_COUNT,
    PREFIX,
    SaleCalls,
    database,
    soap_envelope,
    with_performances,
)
from tests.integration.test_catalog_load import demo_document, stadium

from boxoffice.logging_setup import configure_logging
from boxoffice.persistence.inventory import SqlInventoryRepository
from boxoffice.settings import Settings


class InProcess(SaleCalls):
    """The application of one worker, called as WSGI; refusals are answered, not raised."""

    def __init__(self, application: Callable[..., Any]) -> None:
        super().__init__("A")
        self.application = application

    def call(self, service: str, body: str) -> str:
        data = soap_envelope(service, body, self.login, self.password)
        environ = {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": f"{PREFIX}{service}.webservice",
            "SCRIPT_NAME": "",
            "QUERY_STRING": "",
            "CONTENT_TYPE": "text/xml; charset=utf-8",
            "CONTENT_LENGTH": str(len(data)),
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8080",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_SOAPACTION": '""',
            "wsgi.input": io.BytesIO(data),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            "wsgi.version": (1, 0),
        }
        return b"".join(self.application(environ, lambda *_: None)).decode()


class LockHolds:
    """Wall and CPU milliseconds from a transaction's first seat map to its end."""

    def __init__(self) -> None:
        self.held: list[tuple[float, float]] = []
        self._started = threading.local()
        seat_map, end = SqlInventoryRepository.seat_map, SqlInventoryRepository._end

        def timed_seat_map(repository: Any, performance: Any) -> Any:
            if not repository._seat_maps:
                self._started.at = (time.perf_counter(), time.thread_time())
            return seat_map(repository, performance)

        def timed_end(repository: Any) -> None:
            started = getattr(self._started, "at", None) if repository._seat_maps else None
            end(repository)
            if started is not None:
                self.held.append(
                    (
                        (time.perf_counter() - started[0]) * 1000,
                        (time.thread_time() - started[1]) * 1000,
                    )
                )
                self._started.at = None

        SqlInventoryRepository.seat_map = timed_seat_map  # type: ignore[method-assign]
        SqlInventoryRepository._end = timed_end  # type: ignore[method-assign]


def cpu_per_call(calls: int, one_call: Callable[[], object]) -> tuple[float, float]:
    """Milliseconds of CPU per call: the calling thread's, then the other threads'."""
    process_started, thread_started = time.process_time(), time.thread_time()
    for _ in range(calls):
        one_call()
    calling = time.thread_time() - thread_started
    time.sleep(1.5)  # the call log's writer stores what the calls queued
    others = time.process_time() - process_started - calling
    return calling * 1000 / calls, others * 1000 / calls


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=300, help="calls of each kind")
    calls = parser.parse_args().calls
    performance_id = demo_document()["products"][0]["performances"][0]["id"]
    document = with_performances(stadium(), PERFORMANCE_COUNT)
    # The server's JSON log lines are rendered as in `serve`, then thrown away.
    sink = open(os.devnull, "w")  # noqa: SIM115 (open for the whole run)
    with contextlib.redirect_stderr(sink):
        configure_logging("INFO")
    with database(f"bench_call_cpu_{os.getpid()}", document) as url:
        os.environ["BOXOFFICE_DATABASE_URL"] = url
        from boxoffice.observability.wiring import observed_build

        client = InProcess(observed_build(Settings.from_environment()))
        holds = LockHolds()
        for _ in range(10):  # the map, the caches and the prepared statements, once
            client.close(client.create(performance_id))
        order_id = client.create(performance_id)
        kinds: list[tuple[str, Callable[[], object]]] = [
            (
                "refused before any database work (no orderId)",
                lambda: client.call(
                    "ExternalOrderService", "<v1:getOrderDetails></v1:getOrderDetails>"
                ),
            ),
            ("getOrderDetails of no order", lambda: client.details(999_999_999)),
            ("getOrderDetails of a 2-seat order", lambda: client.details(order_id)),
            (
                "createOrUpdateOrder (2 seats) + closeOrder",
                lambda: client.close(client.create(performance_id)),
            ),
        ]
        print(
            f"CPU per call in one process, {calls} calls of each kind, no HTTP; ratios against "
            "the first kind (the floor), measured in the same run"
        )
        floor = None
        for label, one_call in kinds:
            for _ in range(20):
                one_call()
            holds.held.clear()
            calling, others = cpu_per_call(calls, one_call)
            floor = floor or calling + others
            print(
                f"  {label}: {calling:.2f} ms calling thread + {others:.2f} ms other threads "
                f"(x{(calling + others) / floor:.1f})"
            )
        wall = statistics.median(hold[0] for hold in holds.held)
        cpu = statistics.median(hold[1] for hold in holds.held)
        print(
            f"performance's locks held per sale (median of {len(holds.held)}): {wall:.1f} ms, "
            f"of which {cpu:.1f} ms of the holder's CPU"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
