"""Retention: `purge` deletes carts ended long ago and stale failed logins, nothing else."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, func, insert, select

from boxoffice.domain.model import Order
from boxoffice.persistence.catalog_tables import login_failures
from boxoffice.persistence.console_tables import call_log, order_state_history
from boxoffice.persistence.retention import PurgeReport, purge
from boxoffice.persistence.state_history import install_state_history
from boxoffice.persistence.tables import files, movements, operations, orders
from boxoffice.purger import RetentionPurger
from tests.conftest import NOW, UnitOfWorkFactory
from tests.integration.orders_builder import add_items, add_seats, barcodes, new_order

RETENTION = timedelta(days=30)
LONG_AGO = NOW - timedelta(days=40)
LATELY = NOW - timedelta(days=2)


def _order(
    uow_factory: UnitOfWorkFactory,
    end: str,
    when: datetime,
    seat: int,
    *,
    item: bool = False,
    file_of: int | None = None,
) -> int:
    """An order created at `when` with a seat (and an item), then closed, abandoned, expired
    or left running; `file_of` puts it into the file of that order."""
    with uow_factory() as uow:
        file = None
        if file_of is not None:
            other = uow.orders.get_unscoped(file_of)
            assert other is not None
            file = other.file
        order: Order = new_order(uow, now=when, file=file)
        add_seats(uow, order, [seat], now=when)
        if item:
            add_items(uow, order, 1, now=when)
        # Flushed live first, so that ending the order gives its places back at the next flush
        # (the unit of work's one way back to the inventory).
        uow.flush()
        if end == "closed":
            order.close(when, barcodes())
        elif end == "abandoned":
            assert order.abandon(when) is not None
        elif end == "expired":
            order.expire(when)
        uow.commit()
        return order.order_id


def _count(engine: Engine, table: object, *where: object) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(select(func.count()).select_from(table).where(*where)).scalar_one()
        )


def _barcodes(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return sorted(
            connection.execute(
                select(movements.c.barcode).where(movements.c.barcode.is_not(None))
            ).scalars()
        )


@pytest.fixture
def ended_orders(engine: Engine, uow_factory: UnitOfWorkFactory) -> dict[str, int]:
    install_state_history()
    made = {
        "closed long ago": _order(uow_factory, "closed", LONG_AGO, 1, item=True),
        "abandoned long ago": _order(uow_factory, "abandoned", LONG_AGO, 2, item=True),
        "expired long ago": _order(uow_factory, "expired", LONG_AGO, 3),
        "abandoned lately": _order(uow_factory, "abandoned", LATELY, 4),
        "running since long ago": _order(uow_factory, "running", LONG_AGO, 5),
    }
    # An abandoned cart in the file of a closed order: the cart goes, the file stays.
    made["abandoned beside a sale"] = _order(
        uow_factory, "abandoned", LONG_AGO, 6, file_of=made["closed long ago"]
    )
    with engine.begin() as connection:
        connection.execute(
            insert(call_log),
            [
                {
                    "channel_id": 7,
                    "login": "OP",
                    "protocol": "soap",
                    "service": "s",
                    "operation": "abandonOrder",
                    "outcome": "success",
                    "http_status": 200,
                    "started_at": LONG_AGO,
                    "duration_seconds": 0.01,
                    "order_id": order_id,
                    "request_body": "<x/>",
                    "response_body": "<y/>",
                }
                for order_id in (made["abandoned long ago"], made["closed long ago"])
            ],
        )
    return made


def _failed_logins(engine: Engine) -> None:
    long_ago_ms = int(LONG_AGO.timestamp() * 1000)
    with engine.begin() as connection:
        connection.execute(
            insert(login_failures),
            [
                {
                    "login_key": "stale",
                    "failures": 3,
                    "window_started_ms": long_ago_ms,
                    "locked_until_ms": None,
                },
                {
                    "login_key": "stale lockout over",
                    "failures": 5,
                    "window_started_ms": long_ago_ms,
                    "locked_until_ms": long_ago_ms + 60_000,
                },
                {
                    "login_key": "locked for a long while yet",
                    "failures": 50,
                    "window_started_ms": long_ago_ms,
                    "locked_until_ms": int((NOW + timedelta(hours=1)).timestamp() * 1000),
                },
                {
                    "login_key": "recent",
                    "failures": 1,
                    "window_started_ms": int(LATELY.timestamp() * 1000),
                    "locked_until_ms": None,
                },
            ],
        )


def test_purge_deletes_carts_ended_long_ago_and_keeps_sales_tickets_and_recent_carts(
    engine: Engine, ended_orders: dict[str, int]
) -> None:
    _failed_logins(engine)
    tickets = _barcodes(engine)
    assert len(tickets) == 2  # the closed order's seat and item

    report = purge(engine, NOW, RETENTION)

    gone = {
        ended_orders[name]
        for name in ("abandoned long ago", "expired long ago", "abandoned beside a sale")
    }
    with engine.connect() as connection:
        left = set(connection.execute(select(orders.c.order_id)).scalars())
        left_logins = set(connection.execute(select(login_failures.c.login_key)).scalars())
    assert left == set(ended_orders.values()) - gone
    assert _barcodes(engine) == tickets
    for order_id in gone:
        assert _count(engine, operations, operations.c.order_id == order_id) == 0
        assert _count(engine, order_state_history, order_state_history.c.order_id == order_id) == 0
        assert _count(engine, call_log, call_log.c.order_id == order_id) == 0
    closed = ended_orders["closed long ago"]
    assert _count(engine, order_state_history, order_state_history.c.order_id == closed) == 2
    assert _count(engine, call_log, call_log.c.order_id == closed) == 1
    assert left_logins == {"locked for a long while yet", "recent"}
    # Two files went with their only order; the one shared with the sale stays.
    assert _count(engine, files) == 3
    assert report == PurgeReport(
        orders=3,
        operations=4,
        movements=4,
        payments=0,
        state_history=6,
        logged_calls=1,
        files=2,
        contacts=2,
        failed_logins=2,
    )
    assert purge(engine, NOW, RETENTION) == PurgeReport()


def test_purge_in_small_batches_deletes_the_same(
    engine: Engine, ended_orders: dict[str, int]
) -> None:
    assert purge(engine, NOW, RETENTION, batch_size=1).orders == 3
    assert _count(engine, orders) == 3


def test_purge_of_zero_days_still_keeps_sales_and_running_carts(
    engine: Engine, ended_orders: dict[str, int]
) -> None:
    report = purge(engine, NOW, timedelta(0))
    assert report.orders == 4
    with engine.connect() as connection:
        states = sorted(s.value for s in connection.execute(select(orders.c.state)).scalars())
    assert states == ["CLOSED", "RUNNING"]


def test_a_negative_retention_is_refused(engine: Engine) -> None:
    with pytest.raises(ValueError, match="negative"):
        purge(engine, NOW, timedelta(days=-1))


def test_the_purger_thread_purges_soon_after_start_then_every_interval(
    engine: Engine, ended_orders: dict[str, int]
) -> None:
    purger = RetentionPurger(
        engine, lambda: NOW, after_days=30, interval_seconds=0.05, first_within_seconds=0.05
    )
    purger.start()
    try:
        deadline = time.monotonic() + 10
        while purger.purges < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        purger.stop()
    assert purger.purges >= 2
    assert purger.failures == 0
    assert _count(engine, orders) == 3
