"""Idle or too old orders expire: their places go back on sale and later calls are refused."""

from __future__ import annotations

from datetime import timedelta

from boxoffice.bootstrap import Boxoffice
from boxoffice.service.access import expire_due_orders
from tests.contract import catalog
from tests.contract.conftest import FakeClock, Reseller


def held_order(reseller: Reseller, quantity: int = 6) -> tuple[int, list[int]]:
    order_id = reseller.new_order()
    data = reseller.add_seats(order_id, quantity).orderUpdateData
    return order_id, [m.seatId for m in data.movementDataUpdates]


def test_an_order_idle_past_its_delay_is_expired_and_its_seats_sell_again(
    reseller: Reseller, clock: FakeClock
) -> None:
    order_id, seats = held_order(reseller)
    clock.advance(catalog.INACTIVITY_SECONDS + 1)
    refused = reseller.add_seats(order_id, 1)
    assert (refused.statusCode, refused.statusDetail) == ("error", "error.order.expired")
    for call in (
        reseller.orders.service.validateOrder,
        reseller.orders.service.closeOrder,
        reseller.orders.service.abandonOrder,
    ):
        assert call(orderId=order_id).statusDetail == "error.order.expired"
    details = reseller.details(order_id)
    assert details.orderState == "EXPIRED"
    assert all(m.movementState == "RELEASED" for m in details.movementDatas)
    buyer = reseller.new_order()
    assert reseller.add_seats(buyer, None, seatIds=seats).statusCode == "success"


def test_every_change_restarts_the_inactivity_delay(reseller: Reseller, clock: FakeClock) -> None:
    order_id, _ = held_order(reseller, 1)
    clock.advance(catalog.INACTIVITY_SECONDS - 10)
    assert reseller.add_seats(order_id, 1).statusCode == "success"
    clock.advance(catalog.INACTIVITY_SECONDS - 10)
    assert reseller.orders.service.validateOrder(orderId=order_id).statusCode == "success"
    clock.advance(catalog.INACTIVITY_SECONDS - 10)
    assert reseller.orders.service.closeOrder(orderId=order_id).orderData.orderState == "CLOSED"
    clock.advance(catalog.LIFESPAN_SECONDS * 2)
    assert reseller.details(order_id).orderState == "CLOSED"


def test_the_maximum_lifespan_ends_even_a_busy_order(reseller: Reseller, clock: FakeClock) -> None:
    order_id, _ = held_order(reseller, 1)
    details = reseller.details(order_id)
    assert details.expirationDate == details.creationDateTime + timedelta(
        seconds=catalog.INACTIVITY_SECONDS
    )
    opened = clock.now
    step = catalog.INACTIVITY_SECONDS - 100
    for _ in range(catalog.LIFESPAN_SECONDS // step + 2):
        clock.advance(step)
        result = reseller.orders.service.updateOperation(
            orderId=order_id,
            operationId=details.operationDatas[0].operationId,
            audienceSubCategoryId=catalog.CHILD if _ % 2 == 0 else catalog.ADULT,
        )
        if result.statusCode == "error":
            break
    assert result.statusDetail == "error.order.expired"
    lived = (clock.now - opened).total_seconds()
    assert catalog.LIFESPAN_SECONDS <= lived < catalog.LIFESPAN_SECONDS + step
    assert reseller.details(order_id).orderState == "EXPIRED"


def test_the_sweep_expires_orders_nobody_touches_again(
    app: Boxoffice, reseller: Reseller, clock: FakeClock
) -> None:
    stale, seats = held_order(reseller)
    clock.advance(catalog.INACTIVITY_SECONDS / 2)
    fresh, _ = held_order(reseller, 2)
    clock.advance(catalog.INACTIVITY_SECONDS / 2 + 1)
    assert expire_due_orders(app.uow_factory(), clock.now) == [stale]
    buyer = reseller.new_order()
    assert reseller.add_seats(buyer, None, seatIds=seats).statusCode == "success"
    assert reseller.details(fresh).orderState == "RUNNING"
