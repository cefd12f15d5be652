"""A server killed with SIGKILL while clients close orders loses nothing and half-writes nothing.

Each round starts `boxoffice serve` (two workers) on the same database, opens ten orders,
lets several clients close them, and SIGKILLs the whole process group once a random number of
closes were answered, with others in flight. The database must then hold every order either
fully CLOSED (a barcode on every movement, the barcodes the client was given if it got an
answer) or still open with no barcode. After the last round a fresh server's sweeper expires
the orders left open, nobody touching them, and getOrderDetails agrees with the database.
"""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.faults.support import (
    CATEGORY_1,
    CATEGORY_2,
    PERFORMANCES,
    Database,
    Reseller,
    barcodes_of,
    consistency_problem,
    outcome,
    record,
    seconds_until,
    short_expiry_catalog,
)

pytestmark = pytest.mark.system

KILLS = 6
ROUND_BOUND_SECONDS = 60
ORDERS_PER_ROUND = 10
CLOSERS = 4
INACTIVITY_SECONDS = 8
SWEEP_SECONDS = "0.3"
SWEEP_BOUND_SECONDS = 20


def test_sigkill_while_closing_leaves_every_order_closed_whole_or_still_open(
    start_server: Any, database_url: str, tmp_path: Path
) -> None:
    seed = random.randrange(1 << 30)
    chance = random.Random(seed)
    catalog = short_expiry_catalog(tmp_path, INACTIVITY_SECONDS)
    environment = {"BOXOFFICE_SWEEP_SECONDS": SWEEP_SECONDS}
    database = Database(database_url)
    every_order: list[int] = []
    answered: dict[int, dict[int, str | None]] = {}
    figures: Counter[str] = Counter()
    try:
        for round_number in range(KILLS):
            server = start_server(
                "--workers", "2", catalog=catalog, environment=environment, load=round_number == 0
            )
            orders = _open_orders(server.port, round_number)
            every_order += orders
            closes = _close_until_killed(server, orders, chance, answered)
            figures["kills"] += 1
            figures["closes answered"] += closes
            rows = database.orders(orders)
            for order_id, row in rows.items():
                assert consistency_problem(row) is None, f"round {round_number}: " + str(
                    consistency_problem(row)
                )
                if order_id in answered:
                    assert row.state == "CLOSED", f"answered close of {order_id} was lost"
                    assert row.barcodes == answered[order_id], f"order {order_id} barcodes"
                elif row.state == "CLOSED":
                    figures["closed, answer cut by the kill"] += 1
                else:
                    figures["left open"] += 1
            assert database.live_seats_held_twice() == 0

        # A last server: its sweeper ends the orders left open, nobody touching them.
        server = start_server(catalog=catalog, environment=environment, load=False)
        last_deadline = max(row.expires_at for row in database.orders(every_order).values())
        rows, waited = database.wait_for(
            every_order,
            lambda row: row.state not in ("RUNNING", "VALIDATED"),
            max(0.0, seconds_until(last_deadline)) + SWEEP_BOUND_SECONDS,
        )
        problems = [p for row in rows.values() if (p := consistency_problem(row)) is not None]
        problems += [
            f"order {row.order_id} still {row.state} past its deadline"
            for row in rows.values()
            if row.state in ("RUNNING", "VALIDATED")
        ]
        reseller = Reseller(server.port)
        for order_id, row in rows.items():
            details = reseller.details(order_id)
            live = {m: code for m, (state, code) in row.movements.items() if state != "RELEASED"}
            if details.orderState != row.state or barcodes_of(details) != live:
                problems.append(f"order {order_id}: API {details.orderState}, SQL {row.state}")
        assert database.live_seats_held_twice() == 0
        states = Counter(row.state for row in rows.values())
        record(
            f"sigkill [{_backend(database_url)}] (seed {seed}): {figures['kills']} kills "
            f"survived, {len(every_order)} orders, {figures['closes answered']} closes "
            f"answered before a kill, {figures['closed, answer cut by the kill']} closed "
            f"with the answer cut, {figures['left open']} left open; after restart "
            f"{dict(states)}"
        )
        assert problems == []
    finally:
        database.close()


def _open_orders(port: int, round_number: int) -> list[int]:
    """Orders of two seats, every other one validated."""

    def open_one(index: int) -> int:
        reseller = Reseller(port)
        order_id = reseller.open_order(
            2, PERFORMANCES[index % 2], (CATEGORY_1, CATEGORY_2)[(index // 2) % 2]
        )
        if index % 2:
            assert reseller.call("validateOrder", orderId=order_id).statusCode == "success"
        return order_id

    with ThreadPoolExecutor(CLOSERS) as pool:
        return list(pool.map(open_one, range(ORDERS_PER_ROUND)))


def _close_until_killed(
    server: Any,
    orders: list[int],
    chance: random.Random,
    answered: dict[int, dict[int, str | None]],
) -> int:
    """Closers close the orders; the server dies after a random number of answers."""
    kill_after = chance.randint(1, ORDERS_PER_ROUND - CLOSERS)
    enough, lock = threading.Event(), threading.Lock()

    def closer(share: list[int]) -> None:
        reseller = Reseller(server.port)
        for order_id in share:
            code, answer = outcome(reseller.call, "closeOrder", orderId=order_id)
            if code.startswith("transport:"):
                return  # the server is gone
            assert code in ("success", "error.order.expired"), f"close {order_id}: {code}"
            with lock:
                if code == "success":
                    answered[order_id] = barcodes_of(answer.orderData)
                if sum(o in answered for o in orders) >= kill_after:
                    enough.set()

    threads = [
        threading.Thread(target=closer, args=(orders[i::CLOSERS],), daemon=True)
        for i in range(CLOSERS)
    ]
    for thread in threads:
        thread.start()
    enough.wait(ROUND_BOUND_SECONDS)
    time.sleep(chance.uniform(0, 0.02))
    os.killpg(server.process.pid, signal.SIGKILL)
    server.process.wait(10)
    for thread in threads:
        thread.join(ROUND_BOUND_SECONDS)
    return sum(order_id in answered for order_id in orders)


def _backend(database_url: str) -> str:
    return "sqlite" if database_url.startswith("sqlite") else "postgresql"
