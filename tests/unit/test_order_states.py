"""The order's life: running, validated, closed, abandoned, expired, and what each state allows."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from boxoffice.domain.catalog import ExpiryPolicy, Seat
from boxoffice.domain.errors import (
    MovementNotFound,
    OperationNotChangeable,
    OperationNotFound,
    OrderEmpty,
    OrderExpired,
    OrderStateConflict,
)
from boxoffice.domain.files import File
from boxoffice.domain.lines import ChangeSet, Operation, Place
from boxoffice.domain.model import Order
from boxoffice.domain.states import (
    MovementState,
    OperationKind,
    OperationState,
    OrderState,
    OrderType,
)

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
POLICY = ExpiryPolicy(inactivity_seconds=1200, max_lifespan_seconds=7200)
PRICE = 40_000
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


def seat_places(count: int) -> list[Place]:
    return [
        Place.for_seat(Seat(1000 + next(_ids), 5, 700, "1", str(number), 11))
        for number in range(1, count + 1)
    ]


def add_seats(order: Order, count: int, changes: ChangeSet | None = None) -> Operation:
    operation = Operation(
        kind=OperationKind.SEAT,
        unit_price=PRICE,
        performance_id=9,
        seat_category_id=11,
        audience_sub_category_id=3,
        contingent_id=10,
    )
    order.add_operation(operation, seat_places(count), NOW, POLICY, changes or ChangeSet())
    operation.operation_id = next(_ids)
    for movement in operation.movements:
        movement.movement_id = next(_ids)
    return operation


def new_barcode_maker():
    counter = itertools.count(100_000)
    return lambda: f"BC{next(counter)}"


def order_in(state: OrderState) -> Order:
    order = new_order()
    add_seats(order, 2)
    if state is OrderState.VALIDATED:
        order.validate(NOW, POLICY)
    elif state is OrderState.CLOSED:
        order.close(NOW, new_barcode_maker())
    elif state is OrderState.ABANDONED:
        order.abandon(NOW)
    elif state is OrderState.EXPIRED:
        order.expire(NOW)
    assert order.state is state
    return order


def every_change(order: Order) -> list:
    """Each way of changing an order's lines, ready to be called."""
    line = order.operations[0]
    movement = line.movements[0]
    return [
        lambda: add_seats(order, 1),
        lambda: order.add_places(line, seat_places(1), NOW, POLICY, ChangeSet()),
        lambda: order.release_movements([(line, movement)], NOW, POLICY, ChangeSet()),
        lambda: order.cancel_operations([line], NOW, POLICY, ChangeSet()),
        lambda: order.reprice_operation(line, 4, 20_000, NOW, POLICY, ChangeSet()),
    ]


# -- the happy paths ------------------------------------------------------------------


def test_a_new_order_is_running_and_empty():
    order = new_order()
    assert order.state is OrderState.RUNNING
    assert order.live_operations == []
    assert order.sale_amount == 0


def test_an_order_goes_from_running_to_validated_to_closed_with_one_ticket_per_seat():
    order = new_order()
    add_seats(order, 3)
    assert order.validate(NOW, POLICY) is True
    assert order.state is OrderState.VALIDATED
    assert order.close(NOW, new_barcode_maker()) is True
    assert order.state is OrderState.CLOSED
    assert [movement.state for movement in order.live_movements] == [MovementState.SOLD] * 3
    assert len({movement.barcode for movement in order.live_movements}) == 3


def test_a_running_order_may_be_closed_without_being_validated():
    order = order_in(OrderState.RUNNING)
    assert order.close(NOW, new_barcode_maker()) is True
    assert order.state is OrderState.CLOSED
    assert order.closed_at == NOW


def test_closing_twice_returns_false_and_keeps_the_same_tickets():
    order = order_in(OrderState.CLOSED)
    first = [movement.barcode for movement in order.live_movements]
    assert order.close(NOW + timedelta(minutes=1), new_barcode_maker()) is False
    assert [movement.barcode for movement in order.live_movements] == first
    assert order.state is OrderState.CLOSED


def test_barcodes_drawn_twice_are_drawn_again_so_every_ticket_is_unique():
    order = new_order()
    add_seats(order, 3)
    draws = iter(["A", "A", "B", "B", "A", "C"])
    order.close(NOW, lambda: next(draws))
    assert sorted(movement.barcode for movement in order.live_movements) == ["A", "B", "C"]


def test_closing_without_barcodes_sells_the_seats_without_tickets():
    order = order_in(OrderState.RUNNING)
    order.close(NOW, None)
    assert [movement.barcode for movement in order.live_movements] == [None, None]
    assert {movement.state for movement in order.live_movements} == {MovementState.SOLD}


def test_validating_twice_returns_false_and_stays_validated():
    order = order_in(OrderState.VALIDATED)
    assert order.validate(NOW, POLICY) is False
    assert order.state is OrderState.VALIDATED


@pytest.mark.parametrize("state", [OrderState.RUNNING, OrderState.VALIDATED])
def test_abandoning_a_live_order_gives_every_seat_back(state):
    order = order_in(state)
    movements = list(order.operations[0].movements)
    changes = order.abandon(NOW)
    assert order.state is OrderState.ABANDONED
    assert [movement.state for movement in movements] == [MovementState.RELEASED] * 2
    assert changes.removed_movements == movements
    assert order.live_operations == []


def test_abandoning_twice_is_accepted_and_changes_nothing_more():
    order = order_in(OrderState.ABANDONED)
    assert order.abandon(NOW) is None
    assert order.state is OrderState.ABANDONED


# -- refusals by state -------------------------------------------------------------------


@pytest.mark.parametrize("change", range(5))
def test_a_validated_order_refuses_every_change_to_its_lines(change):
    order = order_in(OrderState.VALIDATED)
    with pytest.raises(OrderStateConflict):
        every_change(order)[change]()
    assert order.operations[0].quantity == 2


@pytest.mark.parametrize("state", [OrderState.CLOSED, OrderState.ABANDONED])
@pytest.mark.parametrize("change", range(5))
def test_a_closed_or_abandoned_order_refuses_every_change(state, change):
    order = order_in(state)
    with pytest.raises(OrderStateConflict):
        every_change(order)[change]()


@pytest.mark.parametrize("change", range(5))
def test_an_expired_order_answers_expired_to_every_change(change):
    order = order_in(OrderState.EXPIRED)
    with pytest.raises(OrderExpired):
        every_change(order)[change]()


def test_an_expired_order_cannot_be_validated_closed_or_abandoned():
    order = order_in(OrderState.EXPIRED)
    with pytest.raises(OrderExpired):
        order.validate(NOW, POLICY)
    with pytest.raises(OrderExpired):
        order.close(NOW, new_barcode_maker())
    with pytest.raises(OrderExpired):
        order.abandon(NOW)
    assert order.state is OrderState.EXPIRED


def test_a_closed_order_cannot_be_validated_or_abandoned():
    order = order_in(OrderState.CLOSED)
    with pytest.raises(OrderStateConflict):
        order.validate(NOW, POLICY)
    with pytest.raises(OrderStateConflict):
        order.abandon(NOW)
    assert {movement.state for movement in order.live_movements} == {MovementState.SOLD}


def test_an_abandoned_order_cannot_be_validated_or_closed():
    order = order_in(OrderState.ABANDONED)
    with pytest.raises(OrderStateConflict):
        order.validate(NOW, POLICY)
    with pytest.raises(OrderStateConflict):
        order.close(NOW, new_barcode_maker())


def test_an_empty_order_cannot_be_validated_or_closed():
    order = new_order()
    with pytest.raises(OrderEmpty):
        order.validate(NOW, POLICY)
    with pytest.raises(OrderEmpty):
        order.close(NOW, new_barcode_maker())
    assert order.state is OrderState.RUNNING


def test_an_order_whose_lines_were_all_cancelled_counts_as_empty():
    order = new_order()
    line = add_seats(order, 2)
    order.cancel_operations([line], NOW, POLICY, ChangeSet())
    with pytest.raises(OrderEmpty):
        order.validate(NOW, POLICY)


# -- lines and their movements ---------------------------------------------------------------


def test_an_operation_holds_exactly_its_quantity_of_live_movements():
    order = new_order()
    changes = ChangeSet()
    line = add_seats(order, 4, changes)
    assert line.quantity == len(line.live_movements) == 4
    assert changes.main_operation is line
    assert changes.movements == line.movements
    order.add_places(line, seat_places(2), NOW, POLICY, ChangeSet())
    assert line.quantity == len(line.live_movements) == 6
    order.release_movements([(line, line.movements[0])], NOW, POLICY, ChangeSet())
    assert line.quantity == len(line.live_movements) == 5
    assert order.sale_amount == 5 * PRICE


def test_releasing_a_movement_reports_it_removed_and_the_operation_changed():
    order = new_order()
    line = add_seats(order, 2)
    changes = ChangeSet()
    order.release_movements([(line, line.movements[1])], NOW, POLICY, changes)
    assert changes.removed_movements == [line.movements[1]]
    assert changes.operations == [line]
    assert line.movements[1].state is MovementState.RELEASED


def test_releasing_a_movement_twice_counts_it_once():
    order = new_order()
    line = add_seats(order, 2)
    movement = line.movements[0]
    order.release_movements([(line, movement), (line, movement)], NOW, POLICY, ChangeSet())
    assert line.quantity == 1


def test_releasing_the_last_movement_cancels_the_operation():
    order = new_order()
    line = add_seats(order, 1)
    changes = ChangeSet()
    order.release_movements([(line, line.movements[0])], NOW, POLICY, changes)
    assert line.state is OperationState.CANCELLED
    assert changes.removed_operations == [line]
    assert changes.operations == []


def test_cancelling_an_operation_releases_all_its_seats():
    order = new_order()
    kept = add_seats(order, 1)
    cancelled = add_seats(order, 3)
    changes = ChangeSet()
    order.cancel_operations([cancelled], NOW, POLICY, changes)
    assert order.live_operations == [kept]
    assert len(changes.removed_movements) == 3
    assert changes.removed_operations == [cancelled]
    assert order.sale_amount == PRICE


def test_repricing_changes_the_price_of_every_seat_of_the_line():
    order = new_order()
    line = add_seats(order, 2)
    order.reprice_operation(line, 4, 20_000, NOW, POLICY, ChangeSet())
    assert [movement.price for movement in line.live_movements] == [20_000, 20_000]
    assert line.audience_sub_category_id == 4
    assert order.sale_amount == 40_000


def test_a_charge_operation_cannot_be_changed_by_the_reseller():
    order = new_order()
    add_seats(order, 1)
    charge = Operation(kind=OperationKind.CHARGE, unit_price=1500, charge_id=900, quantity=1)
    order.operations.append(charge)
    with pytest.raises(OperationNotChangeable):
        order.reprice_operation(charge, 4, 0, NOW, POLICY, ChangeSet())
    with pytest.raises(OperationNotChangeable):
        order.cancel_operations([charge], NOW, POLICY, ChangeSet())
    assert charge.live


def test_unknown_operations_and_movements_are_not_found():
    order = new_order()
    line = add_seats(order, 1)
    assert order.find_operation(line.operation_id) is line
    assert order.find_movement(line.movements[0].movement_id) == (line, line.movements[0])
    with pytest.raises(OperationNotFound):
        order.find_operation(-1)
    with pytest.raises(MovementNotFound):
        order.find_movement(-1)


def test_a_released_movement_is_no_longer_found():
    order = new_order()
    line = add_seats(order, 2)
    released = line.movements[0]
    order.release_movements([(line, released)], NOW, POLICY, ChangeSet())
    with pytest.raises(MovementNotFound):
        order.find_movement(released.movement_id)
