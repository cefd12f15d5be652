"""Concurrent buyers: each a thread with its own connection, mixing every kind of purchase."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from tests.concurrency.catalog import (
    ITEM_ID,
    NUMBERED_AREA_IDS,
    PERFORMANCE_ID,
    POINT_OF_SALES_ID,
    SEAT_CATEGORY_ID,
    STANDING_AREA_ID,
    STANDING_CATEGORY_ID,
    TARIFF_ID,
    seat_ids_of_area,
)
from tests.concurrency.soap_client import FACADE, SERVICE, Answer, Raw, SoapClient, parameters

# The first rows of each stand: manual choices aim where automatic ones land, to collide.
HOT_SEATS = [seat for area in NUMBERED_AREA_IDS for seat in seat_ids_of_area(area)[:60]]


@dataclass(frozen=True)
class Line:
    """A line a buyer was told it got: the order, the operation and its quantity."""

    order_id: int
    operation_id: int
    kind: str
    quantity: int


@dataclass
class Ledger:
    """What the buyers were answered, shared by their threads."""

    orders: dict[int, str] = field(default_factory=dict)  # order id -> state expected
    lines: list[Line] = field(default_factory=list)
    calls: int = 0
    refusals: Counter[str] = field(default_factory=Counter)
    faults: int = 0
    closes: int = 0
    abandons: int = 0
    # (operation id, quantity asked, movements answered) of successes that gave another count
    short_answers: list[tuple[int, int, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, answer: Answer) -> Answer:
        with self.lock:
            self.calls += 1
            if answer.fault:
                self.faults += 1
            elif answer.status_code != "success":
                self.refusals[answer.status_detail or "?"] += 1
        return answer


def _operation(rng: random.Random) -> tuple[str, int, str]:
    """(kind, quantity, OperationRequest body) of a random purchase."""
    common = {"performanceId": PERFORMANCE_ID, "audienceSubCategoryId": TARIFF_ID}
    draw, quantity = rng.random(), rng.randint(1, 4)
    if draw < 0.35:
        return (
            "SEAT",
            quantity,
            parameters(
                kind="SEAT",
                **common,
                seatCategoryId=SEAT_CATEGORY_ID,
                quantity=quantity,
                contiguous=rng.random() < 0.7,
                preferedAreas=[rng.choice(NUMBERED_AREA_IDS)] if rng.random() < 0.3 else None,
            ),
        )
    if draw < 0.65:
        seats = rng.sample(HOT_SEATS, min(quantity, 3))
        return (
            "SEAT",
            len(seats),
            parameters(
                kind="SEAT",
                **common,
                seatCategoryId=SEAT_CATEGORY_ID,
                quantity=len(seats),
                seatIds=seats,
            ),
        )
    if draw < 0.85:
        quantity = min(quantity, 3)
        return (
            "AREA",
            quantity,
            parameters(
                kind="AREA",
                **common,
                areaId=STANDING_AREA_ID,
                seatCategoryId=STANDING_CATEGORY_ID,
                quantity=quantity,
            ),
        )
    quantity = min(quantity, 2)
    return (
        "ITEM",
        quantity,
        parameters(kind="ITEM", itemId=ITEM_ID, audienceSubCategoryId=TARIFF_ID, quantity=quantity),
    )


def buy(
    client: SoapClient, rng: random.Random, ledger: Ledger, orders: int, deadline: float
) -> None:
    """Opens orders, adds one or two lines each, then closes, abandons or leaves them."""
    for _ in range(orders):
        if time.monotonic() > deadline:
            return
        created = ledger.count(
            client.call(FACADE, "createOrder", parameters(pointOfSalesId=POINT_OF_SALES_ID))
        )
        order_id = created.number("orderId")
        if created.status_code != "success" or order_id is None:
            continue
        with ledger.lock:
            ledger.orders[order_id] = "RUNNING"
        for _ in range(rng.randint(1, 2)):
            kind, quantity, operation = _operation(rng)
            added = ledger.count(
                client.call(
                    FACADE, "addOperation", parameters(orderId=order_id, operation=Raw(operation))
                )
            )
            if added.status_code == "success":
                operation_id = added.number("mainOperationId")
                assert operation_id is not None, "a success names its operation"
                given = sum(
                    1
                    for movement in added.tree.iter("movementDataUpdates")
                    if movement.findtext("operationId") == str(operation_id)
                )
                with ledger.lock:
                    ledger.lines.append(Line(order_id, operation_id, kind, quantity))
                    if given != quantity:
                        ledger.short_answers.append((operation_id, quantity, given))
        fate = rng.random()
        if fate < 0.4:
            closed = ledger.count(client.call(SERVICE, "closeOrder", parameters(orderId=order_id)))
            if closed.status_code == "success":
                with ledger.lock:
                    ledger.orders[order_id], ledger.closes = "CLOSED", ledger.closes + 1
        elif fate < 0.7:
            abandoned = ledger.count(
                client.call(SERVICE, "abandonOrder", parameters(orderId=order_id))
            )
            if abandoned.status_code == "success":
                with ledger.lock:
                    ledger.orders[order_id], ledger.abandons = "ABANDONED", ledger.abandons + 1


def run_buyers(
    make_client: Callable[[], SoapClient],
    *,
    clients: int,
    orders_each: int,
    seed: int,
    bound_seconds: float,
) -> Ledger:
    """Starts every buyer at once and waits for all of them, within the bound."""
    ledger = Ledger()
    start = threading.Barrier(clients)
    deadline = time.monotonic() + bound_seconds
    errors: list[BaseException] = []

    def one(number: int) -> None:
        client = make_client()
        try:
            start.wait(30)
            buy(client, random.Random(seed * 1000 + number), ledger, orders_each, deadline)
        except BaseException as error:  # noqa: BLE001 (reported by the test, not lost)
            errors.append(error)
        finally:
            client.close()

    threads = [threading.Thread(target=one, args=(n,), daemon=True) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(1.0, deadline - time.monotonic() + 2 * 60))
    if errors:
        raise AssertionError(f"{len(errors)} buyer(s) crashed; first: {errors[0]!r}")
    if any(thread.is_alive() for thread in threads):
        raise AssertionError("buyers still running past the bound")
    return ledger
