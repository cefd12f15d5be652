"""Close against expiry, validate against expiry, abandon against close: exactly one wins.

Two server processes share the database. The expiry races fire each call near the order's
deadline while every worker's sweeper runs five times a second, so the call and a sweeper (or
the call's own expiry on access) reach the order lock together; the abandon/close races fire
both calls at once from two clients. Every loser must get a business key, never a fault, and
the database must show the winner's outcome whole.
"""

from __future__ import annotations

import random
import statistics
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from tests.faults.support import (
    CATEGORY_1,
    CATEGORY_2,
    CHANNEL_B,
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

RACES_PER_KIND = 20
INACTIVITY_SECONDS = 6
SWEEP_SECONDS = "0.2"
# Calls leave from a little before to a little after each deadline.
EARLIEST, LATEST = -0.5, 0.2


class PerThread:
    """One Reseller per thread and channel: zeep clients are not shared between threads."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.local = threading.local()

    def __call__(self, channel: Any = None) -> Reseller:
        key = "b" if channel is CHANNEL_B else "a"
        reseller = getattr(self.local, key, None)
        if reseller is None:
            reseller = Reseller(self.port, channel) if channel else Reseller(self.port)
            setattr(self.local, key, reseller)
        return reseller


def test_each_race_has_exactly_one_winner_and_the_loser_a_clear_key(
    start_server: Any, database_url: str, tmp_path: Path
) -> None:
    seed = random.randrange(1 << 30)
    chance = random.Random(seed)
    server = start_server(
        "--workers",
        "2",
        catalog=short_expiry_catalog(tmp_path, INACTIVITY_SECONDS),
        environment={"BOXOFFICE_SWEEP_SECONDS": SWEEP_SECONDS},
    )
    reseller, database = PerThread(server.port), Database(database_url)
    try:
        with ThreadPoolExecutor(4) as pool:
            # Channel B (long delay) for abandon/close, then channel A (short delay) for the
            # expiry races, the close and validate orders interleaved.
            abandon_ids = list(
                pool.map(
                    lambda i: reseller(CHANNEL_B).open_order(2, PERFORMANCES[i % 2], CATEGORY_2),
                    range(RACES_PER_KIND),
                )
            )
            expiry_ids = list(
                pool.map(
                    lambda i: reseller().open_order(2, PERFORMANCES[i % 2], CATEGORY_1),
                    range(2 * RACES_PER_KIND),
                )
            )
        close_ids, validate_ids = expiry_ids[0::2], expiry_ids[1::2]
        deadlines = {
            row.order_id: row.expires_at
            for row in database.orders(close_ids + validate_ids).values()
        }
        # On a slow machine the first deadlines may be near already: those calls simply leave
        # late, and the figures say how many left before their deadline.
        early = sum(seconds_until(d) + EARLIEST > 0 for d in deadlines.values())

        answers: dict[tuple[str, int], list[tuple[str, Any]]] = {}

        latencies: list[float] = []

        def at_deadline(kind: str, order_id: int, offset: float) -> None:
            time.sleep(max(0.0, seconds_until(deadlines[order_id]) + offset))
            sent = time.monotonic()
            if kind == "close":
                answers[kind, order_id] = [
                    outcome(lambda: reseller().call("closeOrder", orderId=order_id))
                ]
                latencies.append(time.monotonic() - sent)
            else:
                validated = outcome(lambda: reseller().call("validateOrder", orderId=order_id))
                latencies.append(time.monotonic() - sent)
                answers[kind, order_id] = [validated]
                if validated[0] == "success":
                    # The winner goes on to close, as a reseller would: the sale completes.
                    answers[kind, order_id].append(
                        outcome(lambda: reseller().call("closeOrder", orderId=order_id))
                    )

        def both_at_once(order_id: int, lead: float) -> None:
            start = threading.Barrier(2)

            def side(operation: str, pause: float) -> tuple[str, Any]:
                start.wait()
                time.sleep(pause)
                return outcome(lambda: reseller(CHANNEL_B).call(operation, orderId=order_id))

            with ThreadPoolExecutor(2) as pair:
                closing = pair.submit(side, "closeOrder", max(lead, 0))
                abandoning = pair.submit(side, "abandonOrder", max(-lead, 0))
                answers["abandon", order_id] = [closing.result(), abandoning.result()]

        with ThreadPoolExecutor(2 * RACES_PER_KIND + 4) as pool:
            futures = [
                pool.submit(at_deadline, "close", order_id, chance.uniform(EARLIEST, LATEST))
                for order_id in close_ids
            ]
            futures += [
                pool.submit(at_deadline, "validate", order_id, chance.uniform(EARLIEST, LATEST))
                for order_id in validate_ids
            ]
            for order_id in abandon_ids:
                both_at_once(order_id, chance.uniform(-0.004, 0.004))
            for future in futures:
                future.result()

        rows = database.orders(close_ids + validate_ids + abandon_ids)
        problems = [
            problem for row in rows.values() if (problem := consistency_problem(row)) is not None
        ]
        winners = {kind: Counter[str]() for kind in ("close", "validate", "abandon")}
        for (kind, order_id), answer in answers.items():
            winner, problem = JUDGES[kind](answer, rows[order_id].state)
            winners[kind][winner] += 1
            if problem:
                problems.append(
                    f"{kind} race on order {order_id}: {problem}; answers "
                    f"{[code for code, _ in answer]}, database {rows[order_id].state}"
                )
            elif rows[order_id].state == "CLOSED":
                closed = answer[-1][1] if kind != "abandon" else answer[0][1]
                if barcodes_of(closed.orderData) != rows[order_id].barcodes:
                    problems.append(f"order {order_id}: answered barcodes differ from stored")
        assert database.live_seats_held_twice() == 0
        # getOrderDetails tells the same truth as the database, for every order.
        client = reseller()
        for order_id, row in rows.items():
            channel_client = reseller(CHANNEL_B) if order_id in abandon_ids else client
            details = channel_client.details(order_id)
            live = {
                movement_id: barcode
                for movement_id, (state, barcode) in row.movements.items()
                if state != "RELEASED"
            }
            if details.orderState != row.state or barcodes_of(details) != live:
                problems.append(
                    f"order {order_id}: API says {details.orderState}, database {row.state}"
                )
        record(
            f"races [{_backend(database_url)}] (seed {seed}, {early} of "
            f"{len(deadlines)} expiry races sent from before the deadline, median answer in "
            f"{statistics.median(latencies) * 1000:.0f} ms): "
            + "; ".join(
                f"{kind} {sum(count.values())} runs, winners {dict(count)}"
                for kind, count in winners.items()
            )
        )
        assert problems == []
        assert sum(winners["close"].values()) == RACES_PER_KIND
        assert sum(winners["validate"].values()) == RACES_PER_KIND
        assert sum(winners["abandon"].values()) == RACES_PER_KIND
    finally:
        database.close()


Judge = Callable[[list[tuple[str, Any]], str], tuple[str, str | None]]


def _judge_close(answer: list[tuple[str, Any]], state: str) -> tuple[str, str | None]:
    ((code, _),) = answer
    if code == "success" and state == "CLOSED":
        return "close", None
    if code == "error.order.expired" and state == "EXPIRED":
        return "expiry", None
    return "none", "no single winner"


def _judge_validate(answer: list[tuple[str, Any]], state: str) -> tuple[str, str | None]:
    code = answer[0][0]
    if code == "success" and [c for c, _ in answer] == ["success", "success"] and state == "CLOSED":
        return "validate", None
    if code == "error.order.expired" and state == "EXPIRED":
        return "expiry", None
    return "none", "no single winner"


def _judge_abandon(answer: list[tuple[str, Any]], state: str) -> tuple[str, str | None]:
    (closed, _), (abandoned, _) = answer
    if (closed, abandoned, state) == ("success", "error.order.state", "CLOSED"):
        return "close", None
    if (closed, abandoned, state) == ("error.order.state", "success", "ABANDONED"):
        return "abandon", None
    return "none", "no single winner"


JUDGES: dict[str, Judge] = {
    "close": _judge_close,
    "validate": _judge_validate,
    "abandon": _judge_abandon,
}


def _backend(database_url: str) -> str:
    return "sqlite" if database_url.startswith("sqlite") else "postgresql"
