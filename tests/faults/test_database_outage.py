"""The database briefly unreachable: Server faults with a correlation id, then recovery alone.

The server reaches PostgreSQL through a TCP proxy in the test. Stopping the proxy resets every
connection and refuses new ones, as a database restart or a network cut does. Meanwhile calls
answer a `Server` fault that carries only a correlation id, which the server's log carries
too; closes cut mid-way leave each order whole; and once the proxy is back the same server
process serves again, and its sweeper, which failed through the outage, expires what fell due.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from tests.faults.proxy import TcpProxy
from tests.faults.support import (
    CATEGORY_1,
    CATEGORY_2,
    CHANNEL_B,
    FRESH_CHANNEL_B,
    LEAK_MARKERS,
    PERFORMANCES,
    SERVER_FAULT_MESSAGE,
    Database,
    Reseller,
    barcodes_of,
    consistency_problem,
    outcome,
    record,
    seconds_until,
    short_expiry_catalog,
)

pytestmark = [pytest.mark.system, pytest.mark.postgres]

INACTIVITY_SECONDS = 4
SWEEP_SECONDS = "0.3"
RECOVERY_BOUND_SECONDS = 20
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_calls_fault_with_a_correlation_id_while_the_database_is_away_then_recover(
    start_server: Any, database_url: str, tmp_path: Path
) -> None:
    url = make_url(database_url)
    proxy = TcpProxy(url.port or 5432).start()
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    server = start_server(
        catalog=short_expiry_catalog(tmp_path, INACTIVITY_SECONDS),
        environment={"BOXOFFICE_SWEEP_SECONDS": SWEEP_SECONDS},
        serve_url=proxied,
    )
    database = Database(database_url)
    figures: Counter[str] = Counter()
    try:
        reseller = Reseller(server.port, CHANNEL_B)
        held = reseller.open_order(2, PERFORMANCES[0], CATEGORY_1)
        closing = [reseller.open_order(2, PERFORMANCES[i % 2], CATEGORY_2) for i in range(9)]
        # Channel A's short delay: this order falls due while the database is away.
        falling_due = Reseller(server.port).open_order(2, PERFORMANCES[1], CATEGORY_2)
        deadline = database.orders([falling_due])[falling_due].expires_at

        answered = _close_while_the_database_goes(server.port, closing, proxy)
        figures["closes answered before the cut"] = len(answered)

        faults = _calls_during_the_outage(server, reseller, held)
        figures["server faults seen"] = len(faults)
        time.sleep(max(0.0, seconds_until(deadline)) + 1.0)  # the sweeper fails meanwhile
        assert database.orders([falling_due])[falling_due].state == "RUNNING"
        proxy.start()

        attempts, started = _until_served(reseller)
        figures["calls to recover"] = attempts
        assert server.process.poll() is None, "the server died"
        rows, waited = database.wait_for(
            [falling_due], lambda row: row.state == "EXPIRED", RECOVERY_BOUND_SECONDS
        )
        assert rows[falling_due].state == "EXPIRED", "the sweeper did not come back"
        assert consistency_problem(rows[falling_due]) is None

        rows = database.orders([held, *closing])
        for order_id, row in rows.items():
            assert consistency_problem(row) is None, consistency_problem(row)
            if order_id in answered:
                assert (row.state, row.barcodes) == ("CLOSED", answered[order_id])
        figures["closes cut but committed"] = sum(
            row.state == "CLOSED" and order_id not in answered for order_id, row in rows.items()
        )
        assert rows[held].state == "RUNNING"  # its faulted close wrote nothing
        # Every close cut by the outage, retried, completes the sale once.
        for order_id in [held, *closing]:
            code, answer = outcome(reseller.call, "closeOrder", orderId=order_id)
            assert code == "success", f"close {order_id} after recovery: {code}"
            assert barcodes_of(answer.orderData) == database.orders([order_id])[order_id].barcodes
        assert database.live_seats_held_twice() == 0
        record(
            f"database outage [postgresql]: {dict(figures)}; first call served "
            f"{started:.1f} s after the database came back; sweeper expired the due order "
            f"{waited:.1f} s after that"
        )
    finally:
        proxy.stop()
        database.close()


def _close_while_the_database_goes(
    port: int, orders: list[int], proxy: TcpProxy
) -> dict[int, dict[int, str | None]]:
    """Three clients close orders; the proxy stops after the first answer."""
    answered: dict[int, dict[int, str | None]] = {}
    first = threading.Event()

    def closer(share: list[int]) -> None:
        reseller = Reseller(port, CHANNEL_B)
        for order_id in share:
            code, answer = outcome(reseller.call, "closeOrder", orderId=order_id)
            assert code in ("success", "fault:S:Server"), f"close {order_id}: {code}"
            if code == "success":
                answered[order_id] = barcodes_of(answer.orderData)
                first.set()

    threads = [threading.Thread(target=closer, args=(orders[i::3],)) for i in range(3)]
    for thread in threads:
        thread.start()
    first.wait(60)
    proxy.stop()
    for thread in threads:
        thread.join(60)
    return answered


def _calls_during_the_outage(server: Any, reseller: Reseller, order_id: int) -> list[str]:
    """Every kind of call answers a bare Server fault whose id the server's log has."""
    fresh = Reseller(server.port, FRESH_CHANNEL_B)
    calls = [
        (
            reseller,
            "ExternalOrderFacade",
            "createOrder",
            {"pointOfSalesId": CHANNEL_B.point_of_sales_id},
        ),
        (
            reseller,
            "ExternalOrderFacade",
            "addOperation",
            {
                "orderId": order_id,
                "operation": {
                    "kind": "SEAT",
                    "performanceId": PERFORMANCES[0],
                    "seatCategoryId": CATEGORY_1,
                    "audienceSubCategoryId": 306159078,
                    "quantity": 1,
                },
            },
        ),
        (reseller, "ExternalOrderService", "validateOrder", {"orderId": order_id}),
        (reseller, "ExternalOrderService", "closeOrder", {"orderId": order_id}),
        (reseller, "ExternalOrderService", "abandonOrder", {"orderId": order_id}),
        (reseller, "ExternalOrderService", "getOrderDetails", {"orderId": order_id}),
        # A first login needs the database too: still a Server fault, not a wrong password.
        (fresh, "ExternalOrderService", "getOrderDetails", {"orderId": order_id}),
    ]
    correlation_ids = []
    for caller, service, operation, parameters in calls:
        response = caller.raw(service, operation, parameters)
        where = f"{operation} during the outage"
        assert response.status_code == 500, f"{where}: HTTP {response.status_code}"
        body = response.text
        code = re.search(r"<faultcode>([^<]*)</faultcode>", body)
        message = re.search(r"<faultstring>([^<]*)</faultstring>", body)
        assert code and code.group(1).endswith(":Server"), f"{where}: {body}"
        assert message, f"{where}: {body}"
        matched = re.fullmatch(SERVER_FAULT_MESSAGE, message.group(1))
        assert matched, f"{where}: {message.group(1)}"
        assert f"<correlationId>{matched['id']}</correlationId>" in body, f"{where}: {body}"
        # The correlation id is random hex: it may spell a marker such as "5432" by chance.
        scanned = body.replace(matched["id"], "").lower()
        leaked = [marker for marker in LEAK_MARKERS if marker.lower() in scanned]
        assert leaked == [], f"{where} leaks {leaked}: {body}"
        correlation_ids.append(matched["id"])
    log = server.stderr_path.read_text(errors="replace")
    assert [i for i in correlation_ids if i not in log] == [], "ids missing from the log"
    return correlation_ids


def _until_served(reseller: Reseller) -> tuple[int, float]:
    """Calls until one succeeds; how many it took and how long."""
    started = time.monotonic()
    attempts = 0
    while True:
        attempts += 1
        code, _ = outcome(
            lambda: reseller.facade.createOrder(pointOfSalesId=CHANNEL_B.point_of_sales_id)
        )
        if code == "success":
            return attempts, time.monotonic() - started
        assert code == "fault:S:Server", f"while recovering: {code}"
        assert time.monotonic() - started < RECOVERY_BOUND_SECONDS, "no recovery"
        time.sleep(0.2)
