"""Benchmark: does the console's call log slow the sale path, and how fast are its seat maps?

Run from the repository root:  PYTHONPATH=src python bench/bench_console.py [--sales N]

Two in-process servers (threaded wsgiref, each on its own SQLite database with the demo
catalog): the baseline with the call log observer removed, and the application as bootstrap
builds it, which records every call. A "sale" is three JSON calls over HTTP (createOrder,
addOperation of 2 seats, abandonOrder, which gives the seats back): sales alternate between
the two servers, so a busy neighbour on the machine slows both alike. Then, on a server with the
60,000-seat stadium, the console's seat map page and its polled state endpoint are timed.
"""

from __future__ import annotations

import argparse
import logging
import platform
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import requests

from boxoffice.bootstrap import Boxoffice, build
from boxoffice.logging_setup import configure_logging
from boxoffice.persistence.catalog_loader import load_catalog
from boxoffice.settings import Settings

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.integration.test_catalog_load import demo_document, stadium

FACADE = "/tnseb/backend-apis/externalOrderFacade/v1_33"
SERVICE = "/tnseb/backend-apis/externalOrderService/v1_33"
AUTH = ("RESELLER_A_WS", "demo-a-secret")
PERFORMANCE = 101036924388


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def start(app: Boxoffice) -> tuple[str, Any]:
    # Both servers are the same stdlib server: the ratio compares the applications, not this.
    server = make_server(
        "127.0.0.1", 0, app, server_class=_ThreadingServer, handler_class=_QuietHandler
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}", server


def application(folder: Path, name: str, document: dict[str, Any]) -> Boxoffice:
    app = build(Settings(database_url=f"sqlite:///{folder / name}.db"))
    load_catalog(app.engine, document)
    return app


def sale(session: requests.Session, url: str) -> float:
    started = time.perf_counter()
    created = session.post(f"{url}{FACADE}/createOrder", json={"pointOfSalesId": 466653735})
    order_id = created.json()["orderUpdateData"]["orderId"]
    added = session.post(
        f"{url}{FACADE}/addOperation",
        json={
            "orderId": order_id,
            "operation": {
                "kind": "SEAT",
                "performanceId": PERFORMANCE,
                "seatCategoryId": 466681816,
                "audienceSubCategoryId": 306159078,
                "quantity": 2,
            },
        },
    )
    assert added.json()["statusCode"] == "success", added.text
    session.post(f"{url}{SERVICE}/abandonOrder", json={"orderId": order_id}).raise_for_status()
    return (time.perf_counter() - started) * 1000


def sale_path(folder: Path, sales: int) -> None:
    baseline, recorded = (
        application(folder, "baseline", demo_document()),
        application(folder, "recorded", demo_document()),
    )
    for gateway in (baseline.gateway, baseline.json_gateway):
        gateway.observers = [o for o in gateway.observers if o is not baseline.call_recorder]
    urls = {"baseline (no call log)": start(baseline)[0], "call log on": start(recorded)[0]}
    timings: dict[str, list[float]] = {name: [] for name in urls}
    sessions = {name: requests.Session() for name in urls}
    for session in sessions.values():
        session.auth = AUTH
    for name, url in urls.items():  # warm up: password hash, seat map, layout
        sale(sessions[name], url)
    for _ in range(sales):
        for name, url in urls.items():
            timings[name].append(sale(sessions[name], url))
    assert recorded.call_recorder is not None and recorded.call_recorder.wait_until_written()
    base = statistics.median(timings["baseline (no call log)"])
    print(f"\nSale path: {sales} sales of 3 JSON calls each, per server, interleaved")
    print(f"{'server':<24}{'median ms':>10}{'p90 ms':>9}{'ratio':>8}")
    for name, values in timings.items():
        values.sort()
        median, p90 = statistics.median(values), values[int(len(values) * 0.9)]
        print(f"{name:<24}{median:>10.2f}{p90:>9.2f}{median / base:>8.2f}")
    print(
        f"call log: {recorded.call_recorder.stored} calls stored, "
        f"{recorded.call_recorder.dropped} dropped"
    )


def seat_map(folder: Path, rounds: int) -> None:
    document = stadium()
    document["salesChannels"][0]["operators"].append(
        {"login": "BENCH_ADMIN", "password": "bench-secret", "administrator": True}
    )
    app = application(folder, "stadium", document)
    url = start(app)[0]
    session = requests.Session()
    session.post(f"{url}/console/login", data={"login": "BENCH_ADMIN", "password": "bench-secret"})
    page_url = f"{url}/console/seats/{PERFORMANCE}"
    first = time.perf_counter()
    size = len(session.get(page_url).content)
    first_ms = (time.perf_counter() - first) * 1000
    pages, states = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        session.get(page_url).raise_for_status()
        pages.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        answer = session.get(f"{url}/console/api/seats/{PERFORMANCE}")
        states.append((time.perf_counter() - started) * 1000)
    state_size = len(answer.content)
    print("\nSeat map of the 60,000-seat stadium (server side, over HTTP)")
    print(f"first page (lays the venue out): {first_ms:.0f} ms, {size / 1e6:.2f} MB")
    print(f"page, median of {rounds}: {statistics.median(pages):.0f} ms")
    print(
        f"polled states, median of {rounds}: {statistics.median(states):.1f} ms, "
        f"{state_size / 1e3:.0f} kB; ratio to the page: "
        f"{statistics.median(states) / statistics.median(pages):.2f}"
    )


def main() -> None:
    configure_logging("WARNING")
    logging.getLogger("spyne").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=10)
    arguments = parser.parse_args()
    print(f"CPython {platform.python_version()}, {platform.machine()}")
    with tempfile.TemporaryDirectory() as folder:
        sale_path(Path(folder), arguments.sales)
        seat_map(Path(folder), arguments.rounds)


if __name__ == "__main__":
    main()
