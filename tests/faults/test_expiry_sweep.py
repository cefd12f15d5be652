"""Expiry runs by itself: an order nobody touches again gives its seats back near its deadline."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from tests.faults.support import (
    CHANNEL_A,
    CHANNEL_B,
    Database,
    Reseller,
    consistency_problem,
    record,
    seconds_until,
    short_expiry_catalog,
)

pytestmark = pytest.mark.system

INACTIVITY_SECONDS = 2
SWEEP_SECONDS = "0.5"
# Deadline + one sweep interval is the aim; the bound leaves room for a loaded machine.
RELEASE_BOUND_SECONDS = 15


def test_an_untouched_order_expires_by_itself_and_its_seats_sell_again(
    start_server: Any, database_url: str, tmp_path: Path
) -> None:
    server = start_server(
        catalog=short_expiry_catalog(tmp_path, INACTIVITY_SECONDS),
        environment={"BOXOFFICE_SWEEP_SECONDS": SWEEP_SECONDS},
    )
    reseller, database = Reseller(server.port), Database(database_url)
    try:
        order_id = reseller.open_order(quantity=4)
        opened = database.orders([order_id])[order_id]
        seats = _seats(reseller, order_id)
        # Nobody calls about the order again: only SQL beside the server watches it.
        rows, waited = database.wait_for(
            [order_id],
            lambda row: row.state == "EXPIRED",
            INACTIVITY_SECONDS + RELEASE_BOUND_SECONDS,
        )
        expired = rows[order_id]
        assert expired.state == "EXPIRED", f"not expired after {waited:.1f} s"
        assert consistency_problem(expired) is None
        late = -seconds_until(opened.expires_at)
        record(
            f"sweep [{_backend(database_url)}]: an untouched order was expired within "
            f"{late:.1f} s of its deadline (sweep every {SWEEP_SECONDS} s)"
        )

        assert _resell(Reseller(server.port), seats)
        details = reseller.details(order_id)
        assert details.orderState == "EXPIRED"
        assert all(m.movementState == "RELEASED" for m in details.movementDatas)
        refused = reseller.call("closeOrder", orderId=order_id)
        assert (refused.statusCode, refused.statusDetail) == ("error", "error.order.expired")
    finally:
        database.close()


def test_boxoffice_expire_sweeps_once_when_the_server_does_not(
    start_server: Any, boxoffice_cli: Any, database_url: str, tmp_path: Path
) -> None:
    server = start_server(
        catalog=short_expiry_catalog(tmp_path, INACTIVITY_SECONDS),
        environment={"BOXOFFICE_SWEEP_SECONDS": "0"},
    )
    reseller, database = Reseller(server.port), Database(database_url)
    try:
        stale = reseller.open_order(quantity=2)
        fresh = Reseller(server.port, CHANNEL_B).open_order(quantity=2, category=466681816)
        deadline = database.orders([stale])[stale].expires_at
        _sleep_past(deadline)
        assert database.orders([stale])[stale].state == "RUNNING"  # the sweeper is off
        swept = boxoffice_cli(["expire"], tmp_path / "run", database_url)
        assert swept.returncode == 0, swept.stderr
        assert swept.stdout.strip() == "1 order(s) expired"
        rows = database.orders([stale, fresh])
        assert (rows[stale].state, rows[fresh].state) == ("EXPIRED", "RUNNING")
        assert consistency_problem(rows[stale]) is None
    finally:
        database.close()


def _seats(reseller: Reseller, order_id: int) -> list[int]:
    return [
        int(m.seatId)
        for m in reseller.details(order_id).movementDatas
        if m.movementState != "RELEASED"
    ]


def _resell(buyer: Reseller, seats: list[int]) -> bool:
    """The expired order's seats, asked for by id, are sold to someone else."""
    order_id = buyer.facade.createOrder(
        pointOfSalesId=CHANNEL_A.point_of_sales_id
    ).orderUpdateData.orderId
    added = buyer.facade.addOperation(
        orderId=order_id,
        operation={
            "kind": "SEAT",
            "performanceId": 101036924388,
            "seatCategoryId": 466681816,
            "audienceSubCategoryId": 306159078,
            "seatIds": seats,
        },
    )
    return bool(added.statusCode == "success")


def _sleep_past(deadline: datetime) -> None:
    time.sleep(max(0.0, seconds_until(deadline)) + 0.3)


def _backend(database_url: str) -> str:
    return "sqlite" if database_url.startswith("sqlite") else "postgresql"
