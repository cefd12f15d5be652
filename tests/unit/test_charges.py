"""Charges of the sales channel, added by the system as their own lines and kept in step."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from boxoffice.domain.catalog import Charge, ChargeBasis, ExpiryPolicy, Seat
from boxoffice.domain.files import File
from boxoffice.domain.lines import ChangeSet, Operation, Place
from boxoffice.domain.model import Order
from boxoffice.domain.states import OperationKind, OperationState, OrderType

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
POLICY = ExpiryPolicy(inactivity_seconds=1200, max_lifespan_seconds=7200)
BOOKING_FEE = Charge(900, "Booking fee", ChargeBasis.TICKET, 1500)
ORDER_FEE = Charge(901, "Order fee", ChargeBasis.ORDER, 2000)
CHARGES = (BOOKING_FEE, ORDER_FEE)
_ids = itertools.count(1)


def new_order() -> Order:
    return Order(
        file=File(channel_id=1, now=NOW),
        channel_id=1,
        point_of_sales_id=466653735,
        order_type=OrderType.SALE,
        secret_id="secret",
        now=NOW,
        expiry=POLICY,
    )


def add_line(
    order: Order, count: int, kind: OperationKind = OperationKind.SEAT, price: int = 40_000
) -> Operation:
    if kind is OperationKind.SEAT:
        places = [Place.for_seat(Seat(next(_ids), 5, 700, "1", str(n), 11)) for n in range(count)]
    elif kind is OperationKind.AREA:
        places = [Place(OperationKind.AREA, area_id=6)] * count
    else:
        places = [Place(OperationKind.ITEM, item_id=77)] * count
    line = Operation(kind=kind, unit_price=price, performance_id=9)
    order.add_operation(line, places, NOW, POLICY, ChangeSet())
    line.operation_id = next(_ids)
    return line


def charges_of(order: Order) -> list[Operation]:
    return [operation for operation in order.live_operations if operation.is_charge]


def summary(order: Order) -> list[tuple[str | None, int, int, int | None]]:
    """What a reseller reads: charge name, quantity, unit price, the line it belongs to."""
    return sorted(
        (
            charge.product_code,
            charge.quantity,
            charge.unit_price,
            charge.linked_operation.operation_id if charge.linked_operation else None,
        )
        for charge in charges_of(order)
    )


def test_a_booking_fee_is_charged_per_ticket_of_each_line():
    order = new_order()
    seats = add_line(order, 3)
    standing = add_line(order, 2, OperationKind.AREA)
    order.recompute_charges((BOOKING_FEE,), ChangeSet())
    assert summary(order) == sorted(
        [
            ("Booking fee", 3, 1500, seats.operation_id),
            ("Booking fee", 2, 1500, standing.operation_id),
        ]
    )
    assert order.sale_amount == 5 * 40_000 + 5 * 1500


def test_an_item_line_carries_no_booking_fee():
    order = new_order()
    add_line(order, 2, OperationKind.ITEM, price=8000)
    order.recompute_charges((BOOKING_FEE,), ChangeSet())
    assert charges_of(order) == []


def test_an_order_fee_is_charged_once_and_hangs_on_the_first_line():
    order = new_order()
    first = add_line(order, 3)
    add_line(order, 2)
    add_line(order, 1, OperationKind.ITEM, price=8000)
    order.recompute_charges((ORDER_FEE,), ChangeSet())
    assert summary(order) == [("Order fee", 1, 2000, first.operation_id)]


def test_a_charge_points_at_the_operation_it_was_computed_for():
    order = new_order()
    line = add_line(order, 2)
    changes = ChangeSet()
    order.recompute_charges(CHARGES, changes)
    assert {charge.linked_operation for charge in charges_of(order)} == {line}
    assert {charge.kind for charge in charges_of(order)} == {OperationKind.CHARGE}
    assert set(changes.operations) == set(charges_of(order))


def test_charges_follow_a_changed_quantity_and_keep_their_identity():
    order = new_order()
    line = add_line(order, 2)
    order.recompute_charges(CHARGES, ChangeSet())
    booking_fee = next(c for c in charges_of(order) if c.charge_id == BOOKING_FEE.charge_id)
    booking_fee.operation_id = 5000
    order.add_places(
        line, [Place.for_seat(Seat(next(_ids), 5, 700, "2", "1", 11))], NOW, POLICY, ChangeSet()
    )
    changes = ChangeSet()
    order.recompute_charges(CHARGES, changes)
    assert booking_fee in charges_of(order)
    assert booking_fee.operation_id == 5000
    assert booking_fee.quantity == 3
    assert changes.operations == [booking_fee]
    assert len(charges_of(order)) == 2


def test_recomputing_without_any_change_reports_nothing():
    order = new_order()
    add_line(order, 2)
    order.recompute_charges(CHARGES, ChangeSet())
    changes = ChangeSet()
    order.recompute_charges(CHARGES, changes)
    assert changes.operations == []
    assert changes.removed_operations == []


def test_the_order_fee_moves_to_the_next_line_when_the_first_is_cancelled():
    order = new_order()
    first = add_line(order, 1)
    second = add_line(order, 2)
    order.recompute_charges(CHARGES, ChangeSet())
    order_fee = next(c for c in charges_of(order) if c.charge_id == ORDER_FEE.charge_id)
    order.cancel_operations([first], NOW, POLICY, ChangeSet())
    changes = ChangeSet()
    order.recompute_charges(CHARGES, changes)
    assert order_fee.live
    assert order_fee.linked_operation is second
    assert summary(order) == sorted(
        [("Booking fee", 2, 1500, second.operation_id), ("Order fee", 1, 2000, second.operation_id)]
    )
    assert [c.charge_id for c in changes.removed_operations] == [BOOKING_FEE.charge_id]


def test_every_charge_is_removed_when_no_line_remains():
    order = new_order()
    line = add_line(order, 2)
    order.recompute_charges(CHARGES, ChangeSet())
    charges = charges_of(order)
    order.cancel_operations([line], NOW, POLICY, ChangeSet())
    changes = ChangeSet()
    order.recompute_charges(CHARGES, changes)
    assert charges_of(order) == []
    assert {charge.state for charge in charges} == {OperationState.CANCELLED}
    assert set(changes.removed_operations) == set(charges)
    assert order.sale_amount == 0


def test_a_channel_without_charges_adds_none():
    order = new_order()
    add_line(order, 2)
    order.recompute_charges((), ChangeSet())
    assert charges_of(order) == []
    assert order.sale_amount == 80_000
