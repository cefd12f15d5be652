"""Clients selling one seat per order over the JSON twin, retrying as a reseller would, and the
database check that whatever they were told is what the database holds.

A sale is createOrder, addOperation (one seat), closeOrder. A call that fails without an
answer (connection refused or reset, a server restarting) is retried on the same order; an
answer that is cut off mid-way is counted, since a server must never send one.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import requests
from sqlalchemy import func, select

from boxoffice.persistence.engine import create_engine_for
from boxoffice.persistence.tables import movements, operations, orders

LOGIN, PASSWORD, POINT_OF_SALES = "RESELLER_A_WS", "demo-a-secret", 466653735
PERFORMANCE, CATEGORY, ADULT = 101036924388, 466681816, 306159078
FACADE = "/tnseb/backend-apis/externalOrderFacade/v1_33/"
SERVICE = "/tnseb/backend-apis/externalOrderService/v1_33/"
RETRY_BOUND_SECONDS = 60


class CutOffAnswer(Exception):
    """An answer began but did not arrive whole."""


@dataclass
class Ledger:
    """What the clients were told, shared by every client thread."""

    closed: dict[int, list[str]] = field(default_factory=dict)  # order -> barcodes
    outcomes: Counter[str] = field(default_factory=Counter)  # "route outcome" -> calls
    cut_off: int = 0
    retries: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, key: str) -> None:
        with self.lock:
            self.outcomes[key] += 1


class Seller:
    """One client thread's sales, against whichever of `ports` answers (a load balancer)."""

    def __init__(
        self,
        ports: Callable[[], Sequence[int]],
        ledger: Ledger,
        stop: threading.Event | None = None,
    ) -> None:
        self._ports = ports
        self._stop = stop or threading.Event()
        self._ledger = ledger
        self._turn = 0
        self._session = requests.Session()
        self._session.auth = (LOGIN, PASSWORD)

    def call(self, route: str, document: dict[str, Any]) -> dict[str, Any]:
        """The answer of the first server that answers; retried while none does."""
        deadline = time.monotonic() + RETRY_BOUND_SECONDS
        while True:
            ports = self._ports()
            port = ports[self._turn % len(ports)]
            self._turn += 1
            try:
                answer = self._session.post(
                    f"http://127.0.0.1:{port}{route}", json=document, timeout=30
                )
                body = answer.json()
            except (requests.exceptions.ChunkedEncodingError, ValueError) as error:
                with self._ledger.lock:
                    self._ledger.cut_off += 1
                raise CutOffAnswer(route) from error
            except requests.ConnectionError:
                if time.monotonic() > deadline or self._stop.is_set():
                    raise
                with self._ledger.lock:
                    self._ledger.retries += 1
                self._session.close()
                time.sleep(0.05)
                continue
            if answer.status_code == 503 and time.monotonic() < deadline:
                time.sleep(0.05)  # a worker full or going away: another will answer
                continue
            outcome = body.get("faultcode") or (
                "success" if body.get("statusCode") == "success" else body.get("statusDetail")
            )
            self._ledger.count(f"{route.rsplit('/', 1)[1]} {outcome}")
            return dict(body)

    def sell_one(self) -> int | None:
        """Sells one seat; the order's id once closed, None when refused on the way."""
        created = self.call(FACADE + "createOrder", {"pointOfSalesId": POINT_OF_SALES})
        if created.get("statusCode") != "success":
            return None
        order_id = int(created["orderUpdateData"]["orderId"])
        added = self.call(
            FACADE + "addOperation",
            {
                "orderId": order_id,
                "operation": {
                    "kind": "SEAT",
                    "performanceId": PERFORMANCE,
                    "seatCategoryId": CATEGORY,
                    "audienceSubCategoryId": ADULT,
                    "quantity": 1,
                },
            },
        )
        if added.get("statusCode") != "success":
            return None
        closed = self.call(SERVICE + "closeOrder", {"orderId": order_id})
        if closed.get("statusCode") != "success":
            return None
        barcodes = sorted(m["barcode"] for m in closed["orderData"]["movementDatas"])
        with self._ledger.lock:
            self._ledger.closed[order_id] = barcodes
        return order_id


def sell_until(
    stop: threading.Event, ports: Callable[[], Sequence[int]], ledger: Ledger, clients: int
) -> list[threading.Thread]:
    """Starts `clients` threads selling until `stop` is set; returns them (join them)."""

    def run() -> None:
        seller = Seller(ports, ledger, stop)
        while not stop.is_set():
            try:
                seller.sell_one()
            except CutOffAnswer:
                continue
            except requests.ConnectionError:
                if not stop.is_set():
                    raise

    threads = [threading.Thread(target=run, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    return threads


def lost_sales(database_url: str, ledger: Ledger) -> list[str]:
    """Every way the database disagrees with what the clients were told (empty: none)."""
    engine = create_engine_for(database_url)
    problems = []
    try:
        with engine.connect() as connection:
            for order_id, barcodes in ledger.closed.items():
                state = connection.execute(
                    select(orders.c.state).where(orders.c.order_id == order_id)
                ).scalar()
                held = sorted(
                    connection.execute(
                        select(movements.c.barcode)
                        .join(operations)
                        .where(operations.c.order_id == order_id, movements.c.barcode.is_not(None))
                    ).scalars()
                )
                if getattr(state, "value", state) != "CLOSED" or held != barcodes:
                    problems.append(
                        f"order {order_id}: told CLOSED {barcodes}, database {state} {held}"
                    )
            twice = connection.execute(
                select(movements.c.performance_id, movements.c.seat_id, func.count())
                .where(movements.c.state == "SOLD", movements.c.seat_id.is_not(None))
                .group_by(movements.c.performance_id, movements.c.seat_id)
                .having(func.count() > 1)
            ).all()
            problems += [
                f"seat {seat} of {performance} sold {n} times" for performance, seat, n in twice
            ]
    finally:
        engine.dispose()
    return problems
