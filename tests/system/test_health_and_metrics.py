"""Issue 9 item 3: /health/live, /health/ready and /metrics on the serving port.

The metrics test sells with several clients against two workers, scrapes /metrics while they
run and once they stop, and finds in it exactly what the clients saw (calls by operation and
outcome) and what the database holds (orders by state, places sold per performance).
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections import Counter
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from tests.faults.proxy import TcpProxy
from tests.system.conftest import RunningServer, StartServer
from tests.system.sales import LOGIN, PERFORMANCE, SERVICE, Ledger, Seller, sell_until

from boxoffice.domain.states import OrderState
from boxoffice.persistence.engine import create_engine_for
from boxoffice.persistence.tables import movements, orders

pytestmark = pytest.mark.system

SAMPLE = re.compile(r"^(?P<name>[a-z_]+)(?:\{(?P<labels>[^}]*)\})? (?P<value>[0-9.e+-]+)$")


def scrape(server: RunningServer) -> dict[str, list[tuple[dict[str, str], float]]]:
    answer = requests.get(f"http://127.0.0.1:{server.port}/metrics", timeout=30)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/plain")
    samples: dict[str, list[tuple[dict[str, str], float]]] = {}
    for line in answer.text.splitlines():
        if not line or line.startswith("#"):
            continue
        match = SAMPLE.match(line)
        assert match, f"not the Prometheus text format: {line!r}"
        labels = dict(re.findall(r'([a-z_]+)="([^"]*)"', match["labels"] or ""))
        samples.setdefault(match["name"], []).append((labels, float(match["value"])))
    return samples


def calls_by_operation_and_outcome(
    samples: dict[str, list[tuple[dict[str, str], float]]],
) -> Counter[str]:
    counted: Counter[str] = Counter()
    for labels, value in samples.get("boxoffice_calls_total", []):
        counted[f"{labels['operation']} {labels['outcome']}"] += int(value)
    return counted


def health(server: RunningServer, which: str) -> int:
    return requests.get(f"http://127.0.0.1:{server.port}/health/{which}", timeout=30).status_code


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_metrics_count_what_the_clients_saw_over_every_worker(
    start_server: StartServer, database_url: str
) -> None:
    server = start_server("--workers", "2")
    stop, ledger = threading.Event(), Ledger()
    clients = sell_until(stop, lambda: [server.port], ledger, 4)
    during = []
    try:
        while len(ledger.closed) < 30:
            during.append(scrape(server))
        for _ in range(3):  # refused calls are counted too, under their fault code
            Seller(lambda: [server.port], ledger).call(
                SERVICE + "getOrderDetails", {"orderId": 8_999_999_999}
            )
        requests.post(
            f"http://127.0.0.1:{server.port}{SERVICE}getOrderDetails",
            json={"orderId": 1},
            auth=(LOGIN, "wrong"),
            timeout=30,
        )
        ledger.count("getOrderDetails Client.Authentication")
    finally:
        stop.set()
        for client in clients:
            client.join(60)
    after = scrape(server)

    assert during, "no scrape while the clients ran"
    assert calls_by_operation_and_outcome(after) == +ledger.outcomes
    total_calls = sum(ledger.outcomes.values())
    durations = sum(v for _, v in after["boxoffice_call_duration_seconds_count"])
    assert durations == total_calls
    for earlier in during:  # counters only grow, and never past what the clients saw
        assert all(
            calls_by_operation_and_outcome(earlier)[k] <= v for k, v in ledger.outcomes.items()
        )
    engine = create_engine_for(database_url)
    with engine.connect() as connection:
        by_state = dict(
            connection.execute(select(orders.c.state, func.count()).group_by(orders.c.state)).all()
        )
        sold = connection.execute(
            select(func.count())
            .select_from(movements)
            .where(movements.c.state == "SOLD", movements.c.performance_id == PERFORMANCE)
        ).scalar()
    engine.dispose()
    # Database figures are cached for up to two seconds: read them once the cache has expired.
    threading.Event().wait(2.5)
    after = scrape(server)
    orders_metric = {labels["state"]: int(v) for labels, v in after["boxoffice_orders"]}
    assert orders_metric == {state.value: by_state.get(state, 0) for state in OrderState}
    places = {
        (labels["performance_id"], labels["state"]): int(v)
        for labels, v in after["boxoffice_places"]
    }
    assert places[(str(PERFORMANCE), "sold")] == sold == len(ledger.closed)
    assert after["boxoffice_sweep_lag_seconds"][0][1] >= 0
    assert health(server, "live") == 200 and health(server, "ready") == 200


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_ready_is_503_while_the_database_is_unreachable_and_live_stays_200(
    start_server: StartServer, database_url: str
) -> None:
    url = make_url(database_url)
    proxy = TcpProxy(url.port or 5432).start()
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    server = start_server(serve_url=proxied)
    try:
        assert health(server, "ready") == 200
        proxy.stop()
        away = health(server, "ready"), health(server, "live")
        proxy.start()
        back = health(server, "ready")
    finally:
        proxy.stop()

    assert away == (503, 200)
    assert back == 200


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_ready_is_503_when_the_schema_is_not_the_current_one(
    start_server: StartServer, database_url: str
) -> None:
    server = start_server()
    assert health(server, "ready") == 200
    with sqlite3.connect(Path(make_url(database_url).database or "")) as connection:
        # The database as another release left it: at an older migration.
        connection.execute("UPDATE alembic_version SET version_num = '0002'")

    answer = requests.get(f"http://127.0.0.1:{server.port}/health/ready", timeout=30)

    assert answer.status_code == 503
    assert answer.json() == {"status": "not ready", "reason": "database schema not current"}
