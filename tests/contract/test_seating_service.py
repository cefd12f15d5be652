"""ExternalSeatingService v1_0: movements of a running order moved to seats picked by hand."""

from __future__ import annotations

from typing import Any

from tests.contract import catalog
from tests.contract.conftest import FakeClock
from tests.contract.siblings import Siblings


def _held(seller: Siblings, quantity: int = 2) -> tuple[int, Any]:
    order_id = seller.orders.new_order()
    line = seller.orders.add_seats(order_id, quantity).orderUpdateData
    return order_id, line


def _seat(seller: Siblings, line: Any, picks: dict[int, int]) -> Any:
    return seller.seating.service.doSeatingForOperations(
        operationIds=[line.mainOperationId],
        seatingInformation=[
            {"movementId": movement_id, "physicalSeatId": seat_id}
            for movement_id, seat_id in picks.items()
        ],
    )


def _seats_of(seller: Siblings, order_id: int) -> dict[int, int]:
    return {
        m.movementId: m.seatId
        for m in seller.orders.details(order_id).movementDatas
        if m.type == "SEAT"
    }


def test_movements_move_to_the_picked_seats(seller: Siblings) -> None:
    order_id, line = _held(seller)
    old = _seats_of(seller, order_id)
    picks = dict(zip(old, (catalog.seat_id(3, 5), catalog.seat_id(3, 6)), strict=True))
    result = _seat(seller, line, picks)
    assert (result.statusCode, result.statusDetail or "") == ("success", "")
    assert {m.movementId: (m.seatId, m.rowNumber, m.seatNumber) for m in result.movementsData} == {
        movement: (seat, "3", str(seat % 100)) for movement, seat in picks.items()
    }
    assert _seats_of(seller, order_id) == picks
    states = seller.seat_states()
    assert {states[seat] for seat in old.values()} == {"FREE"}
    assert {states[seat] for seat in picks.values()} == {"HELD"}


def test_two_movements_may_trade_seats(seller: Siblings) -> None:
    order_id, line = _held(seller)
    (first, first_seat), (second, second_seat) = _seats_of(seller, order_id).items()
    assert _seat(seller, line, {first: second_seat, second: first_seat}).statusCode == "success"
    assert _seats_of(seller, order_id) == {first: second_seat, second: first_seat}


def test_a_taken_seat_refuses_the_whole_call(seller: Siblings) -> None:
    other_order, _ = _held(seller, 1)
    taken = next(iter(_seats_of(seller, other_order).values()))
    order_id, line = _held(seller)
    before = _seats_of(seller, order_id)
    first, second = before
    result = _seat(seller, line, {first: catalog.seat_id(3, 1), second: taken})
    assert (result.statusCode, result.statusDetail) == ("error", "error.seat.unavailable")
    assert _seats_of(seller, order_id) == before
    assert seller.seat_states()[catalog.seat_id(3, 1)] == "FREE"


def test_seats_outside_the_pool_or_the_category_are_refused(seller: Siblings) -> None:
    order_id, line = _held(seller, 1)
    (movement, seat) = next(iter(_seats_of(seller, order_id).items()))
    for foreign in (7100101, 7010101, 1):  # contingent B's South; category 2; no such seat
        result = _seat(seller, line, {movement: foreign})
        assert (result.statusCode, result.statusDetail) == ("error", "error.seat.notFound")
    assert _seats_of(seller, order_id) == {movement: seat}


def test_an_order_that_is_not_running_is_refused(seller: Siblings) -> None:
    order_id, line = _held(seller, 1)
    movement = next(iter(_seats_of(seller, order_id)))
    seller.orders.orders.service.validateOrder(orderId=order_id)
    assert (
        _seat(seller, line, {movement: catalog.seat_id(3, 1)}).statusDetail == "error.order.state"
    )
    seller.orders.orders.service.closeOrder(orderId=order_id)
    assert (
        _seat(seller, line, {movement: catalog.seat_id(3, 1)}).statusDetail == "error.order.state"
    )


def test_unknown_operations_and_movements_are_refused(
    seller: Siblings, other_seller: Siblings
) -> None:
    order_id, line = _held(seller, 1)
    movement = next(iter(_seats_of(seller, order_id)))
    foreign = other_seller.seating.service.doSeatingForOperations(
        operationIds=[line.mainOperationId],
        seatingInformation=[{"movementId": movement, "physicalSeatId": catalog.seat_id(3, 1)}],
    )
    missing = other_seller.seating.service.doSeatingForOperations(
        operationIds=[line.mainOperationId + 1000],
        seatingInformation=[{"movementId": movement, "physicalSeatId": catalog.seat_id(3, 1)}],
    )
    assert foreign.statusDetail == missing.statusDetail == "error.operation.notFound"
    assert (
        _seat(seller, line, {movement + 1000: catalog.seat_id(3, 1)}).statusDetail
        == "error.movement.notFound"
    )


def test_an_expired_order_is_refused_and_its_seats_are_free(
    seller: Siblings, clock: FakeClock
) -> None:
    order_id, line = _held(seller, 1)
    movement, seat = next(iter(_seats_of(seller, order_id).items()))
    clock.advance(catalog.INACTIVITY_SECONDS + 1)
    result = _seat(seller, line, {movement: catalog.seat_id(3, 1)})
    assert (result.statusCode, result.statusDetail) == ("error", "error.order.expired")
    states = seller.seat_states()
    assert (states[seat], states[catalog.seat_id(3, 1)]) == ("FREE", "FREE")
