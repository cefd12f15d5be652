"""The database itself refuses a double sale, whatever the code above it does."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, insert, update
from sqlalchemy.exc import IntegrityError

from boxoffice.persistence.tables import (
    files,
    movements,
    operations,
    orders,
    performance_inventory,
    stocks,
)
from tests.conftest import NOW


def _operation(engine: Engine, secret: str) -> int:
    """A bare file, order and operation written straight into the tables."""
    with engine.begin() as connection:
        file_id = connection.execute(
            insert(files).values(channel_id=1, created_at=NOW, updated_at=NOW)
        ).inserted_primary_key[0]
        order_id = connection.execute(
            insert(orders).values(
                file_id=file_id,
                channel_id=1,
                point_of_sales_id=1,
                order_type="SALE",
                secret_id=secret,
                state="RUNNING",
                created_at=NOW,
                updated_at=NOW,
                expires_at=NOW,
                paid_amount=0,
            )
        ).inserted_primary_key[0]
        return connection.execute(
            insert(operations).values(
                order_id=order_id, kind="SEAT", state="ACTIVE", unit_price=1000, quantity=1
            )
        ).inserted_primary_key[0]


def _movement(
    engine: Engine,
    operation_id: int,
    *,
    seat_id: int | None = 1,
    performance_id: int = 100,
    state: str = "RESERVED",
    barcode: str | None = None,
) -> int:
    with engine.begin() as connection:
        return connection.execute(
            insert(movements).values(
                operation_id=operation_id,
                kind="SEAT" if seat_id else "AREA",
                performance_id=performance_id,
                seat_id=seat_id,
                area_id=10,
                price=1000,
                state=state,
                barcode=barcode,
            )
        ).inserted_primary_key[0]


def test_a_seat_cannot_have_two_live_movements(engine):
    first, second = _operation(engine, "s1"), _operation(engine, "s2")
    _movement(engine, first, seat_id=1)
    with pytest.raises(IntegrityError):
        _movement(engine, second, seat_id=1)


def test_a_reserved_seat_cannot_be_sold_again(engine):
    first, second = _operation(engine, "s1"), _operation(engine, "s2")
    _movement(engine, first, seat_id=1, state="SOLD")
    with pytest.raises(IntegrityError):
        _movement(engine, second, seat_id=1, state="RESERVED")


def test_a_released_seat_can_be_taken_again(engine):
    first, second = _operation(engine, "s1"), _operation(engine, "s2")
    released = _movement(engine, first, seat_id=1)
    with engine.begin() as connection:
        connection.execute(
            update(movements).where(movements.c.movement_id == released).values(state="RELEASED")
        )
    _movement(engine, second, seat_id=1)
    _movement(engine, second, seat_id=2)


def test_a_seat_released_twice_over_keeps_every_released_movement(engine):
    operation = _operation(engine, "s1")
    _movement(engine, operation, seat_id=1, state="RELEASED")
    _movement(engine, operation, seat_id=1, state="RELEASED")
    _movement(engine, operation, seat_id=1, state="SOLD")


def test_the_same_seat_may_be_sold_for_another_performance(engine):
    operation = _operation(engine, "s1")
    _movement(engine, operation, seat_id=1, performance_id=100)
    _movement(engine, operation, seat_id=1, performance_id=101)


def test_standing_places_have_no_seat_and_never_collide(engine):
    operation = _operation(engine, "s1")
    for _ in range(3):
        _movement(engine, operation, seat_id=None)


def test_two_tickets_cannot_share_a_barcode(engine):
    operation = _operation(engine, "s1")
    _movement(engine, operation, seat_id=1, barcode="BC-1")
    with pytest.raises(IntegrityError):
        _movement(engine, operation, seat_id=2, barcode="BC-1")


def test_two_orders_cannot_share_a_secret_id(engine):
    _operation(engine, "same")
    with pytest.raises(IntegrityError):
        _operation(engine, "same")


@pytest.mark.parametrize("taken", [4, -1])
def test_a_stock_never_goes_past_its_capacity_or_below_zero(engine, taken):
    with engine.begin() as connection:
        connection.execute(insert(stocks).values(stock_key="item:1", capacity=3, taken=3))
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(update(stocks).where(stocks.c.stock_key == "item:1").values(taken=taken))


def test_a_stock_cannot_be_created_already_overbooked(engine):
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(insert(stocks).values(stock_key="item:1", capacity=2, taken=3))


def test_a_performance_has_one_inventory_version(engine):
    with engine.begin() as connection:
        connection.execute(insert(performance_inventory).values(performance_id=100, version=0))
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(insert(performance_inventory).values(performance_id=100, version=5))


def test_creating_the_schema_twice_changes_nothing(engine):
    from boxoffice.persistence.engine import create_schema

    create_schema(engine)
    operation = _operation(engine, "s1")
    _movement(engine, operation, seat_id=1)
    with pytest.raises(IntegrityError):
        _movement(engine, operation, seat_id=1)
