"""Order expiry: an idle delay that every change restarts, capped by a maximum lifespan."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from boxoffice.domain.catalog import ExpiryPolicy, Seat
from boxoffice.domain.errors import OrderExpired
from boxoffice.domain.files import File
from boxoffice.domain.lines import ChangeSet, Operation, Place
from boxoffice.domain.model import Order, expiry_deadline
from boxoffice.domain.states import MovementState, OperationKind, OrderState, OrderType

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
POLICY = ExpiryPolicy(inactivity_seconds=1200, max_lifespan_seconds=7200)
IDLE = timedelta(seconds=1200)
LIFESPAN = timedelta(seconds=7200)


def new_order(now: datetime = NOW) -> Order:
    return Order(
        file=File(channel_id=1, now=now),
        channel_id=1,
        point_of_sales_id=466653735,
        order_type=OrderType.SALE,
        secret_id="secret",
        now=now,
        expiry=POLICY,
    )


def add_seat(order: Order, now: datetime, number: int = 1) -> Operation:
    line = Operation(kind=OperationKind.SEAT, unit_price=40_000, performance_id=9)
    order.add_operation(
        line, [Place.for_seat(Seat(number, 5, 700, "1", str(number), 11))], now, POLICY, ChangeSet()
    )
    return line


def test_the_deadline_is_the_idle_delay_after_the_last_change():
    assert expiry_deadline(NOW, NOW + timedelta(minutes=10), POLICY) == (
        NOW + timedelta(minutes=10) + IDLE
    )


def test_the_deadline_never_passes_the_maximum_lifespan():
    late_change = NOW + timedelta(seconds=7000)
    assert expiry_deadline(NOW, late_change, POLICY) == NOW + LIFESPAN


def test_a_new_order_expires_after_the_idle_delay():
    assert new_order().expires_at == NOW + IDLE


def test_every_change_restarts_the_idle_delay():
    order = new_order()
    later = NOW + timedelta(minutes=15)
    add_seat(order, later)
    assert order.expires_at == later + IDLE
    assert order.updated_at == later
    assert not order.is_due_to_expire(NOW + IDLE)


def test_validating_restarts_the_idle_delay():
    order = new_order()
    add_seat(order, NOW)
    later = NOW + timedelta(minutes=19)
    order.validate(later, POLICY)
    assert order.expires_at == later + IDLE


def test_an_order_kept_busy_still_expires_at_its_maximum_lifespan():
    order = new_order()
    moment = NOW
    for number in range(1, 12):
        moment += timedelta(minutes=15)
        add_seat(order, moment, number)
    assert order.expires_at == NOW + LIFESPAN
    assert order.is_due_to_expire(NOW + LIFESPAN)


def test_an_order_is_due_exactly_at_its_deadline_and_not_a_second_before():
    order = new_order()
    assert not order.is_due_to_expire(NOW + IDLE - timedelta(seconds=1))
    assert order.is_due_to_expire(NOW + IDLE)


def test_a_validated_order_expires_too():
    order = new_order()
    add_seat(order, NOW)
    order.validate(NOW, POLICY)
    assert order.is_due_to_expire(NOW + IDLE)


@pytest.mark.parametrize("end", ["close", "abandon"])
def test_a_closed_or_abandoned_order_never_expires(end):
    order = new_order()
    add_seat(order, NOW)
    if end == "close":
        order.close(NOW, lambda: "BC1")
    else:
        order.abandon(NOW)
    assert not order.is_due_to_expire(NOW + LIFESPAN * 10)


def test_expiring_an_order_puts_its_seats_back_on_sale():
    order = new_order()
    line = add_seat(order, NOW)
    movement = line.movements[0]
    changes = order.expire(NOW + IDLE)
    assert order.state is OrderState.EXPIRED
    assert movement.state is MovementState.RELEASED
    assert changes.removed_movements == [movement]
    assert order.live_movements == []
    assert not order.is_due_to_expire(NOW + LIFESPAN)


def test_an_expired_order_answers_expired_to_later_calls():
    order = new_order()
    add_seat(order, NOW)
    order.expire(NOW + IDLE)
    with pytest.raises(OrderExpired):
        add_seat(order, NOW + IDLE, 2)
    with pytest.raises(OrderExpired):
        order.close(NOW + IDLE, lambda: "BC1")
