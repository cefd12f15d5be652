"""The seating service's use case: movements of a running order moved to seats picked by hand.

All or none: the old seats are given back and the new ones taken on the same seat map the
sale uses, under its lock; any refusal rolls the whole call back, seat map included.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from boxoffice.domain.catalog import Seat
from boxoffice.domain.errors import (
    InvalidRequest,
    MovementNotFound,
    OperationNotFound,
    SeatNotFound,
)
from boxoffice.domain.lines import Movement, Operation
from boxoffice.domain.states import OperationKind
from boxoffice.service.access import expiry_refusal, open_order
from boxoffice.service.placement import performance_of
from boxoffice.service.ports import UnitOfWork
from boxoffice.service.read_models import movement_view
from boxoffice.service.requests import Caller
from boxoffice.service.views import MovementView


@dataclass(frozen=True)
class SeatingInput:
    movement_id: int | None
    physical_seat_id: int | None


def do_seating_for_operations(
    uow: UnitOfWork,
    caller: Caller,
    now: datetime,
    operation_ids: Sequence[int],
    seating: Sequence[SeatingInput],
) -> list[MovementView]:
    if not operation_ids or not seating:
        raise InvalidRequest("operationIds and seatingInformation are required.")
    if any(s.movement_id is None or s.physical_seat_id is None for s in seating):
        raise InvalidRequest("Each seatingInformation needs a movementId and a physicalSeatId.")
    movement_ids = [s.movement_id for s in seating]
    if len(set(movement_ids)) != len(movement_ids):
        raise InvalidRequest("A movement is given twice in seatingInformation.")
    with uow:
        order_ids = {
            uow.orders.order_id_of_operation(operation_id, caller.channel_id)
            for operation_id in operation_ids
        }
        if None in order_ids:
            # Another channel's operation answers exactly as a missing one.
            raise OperationNotFound("No such operation.")
        if len(order_ids) > 1:
            raise InvalidRequest("The operations must all belong to one order.")
        order, channel = open_order(uow, caller, order_ids.pop(), now)
        if (expired := expiry_refusal(order)) is not None:
            uow.commit()  # keeps the expiry open_order just made: the places sell again
            raise expired
        order.check_changeable()
        operations = [order.find_line(operation_id) for operation_id in operation_ids]
        moves = _moves(operations, seating)
        seats = _take_picked_seats(uow, moves)
        # Two steps, flushed in between: movements may trade seats among themselves, and the
        # database allows one live movement per seat at every moment.
        for _, movement, _ in moves:
            movement.move_to(None)
        uow.flush()
        order.reseat(
            [(movement, seats[movement.movement_id]) for _, movement, _ in moves],
            now,
            channel.expiry,
        )
        uow.flush()
        names = uow.catalog.names()
        views = [movement_view(operation, movement, names) for operation, movement, _ in moves]
        uow.commit()
        return views


def _moves(
    operations: Sequence[Operation], seating: Sequence[SeatingInput]
) -> list[tuple[Operation, Movement, int]]:
    """(operation, movement, picked seat id) per seating line; movements of those operations."""
    owner = {
        movement.movement_id: (operation, movement)
        for operation in operations
        for movement in operation.live_movements
    }
    moves = []
    for line in seating:
        found = owner.get(line.movement_id)
        if found is None or found[0].kind is not OperationKind.SEAT:
            raise MovementNotFound(
                f"The operations given hold no live seat movement {line.movement_id}."
            )
        assert line.physical_seat_id is not None
        moves.append((found[0], found[1], line.physical_seat_id))
    return moves


def _take_picked_seats(
    uow: UnitOfWork, moves: Sequence[tuple[Operation, Movement, int]]
) -> dict[int | None, Seat]:
    """Gives back the old seats and takes the picked ones, performance by performance."""
    by_performance: dict[int, list[tuple[Operation, Movement, int]]] = defaultdict(list)
    for move in moves:
        by_performance[move[0].performance_id or 0].append(move)
    seats: dict[int | None, Seat] = {}
    # Ascending, as every other use case locks seat maps, so that two calls never deadlock.
    for performance_id in sorted(by_performance):
        performance = performance_of(uow, performance_id)
        seat_map = uow.inventory.seat_map(performance)
        group = by_performance[performance_id]
        for operation, movement, seat_id in group:
            seat = seat_map.layout.seat(seat_id)
            pool = performance.pool_areas(movement.contingent_id)
            if (
                seat is None
                or seat.area_id not in pool
                or seat.seat_category_id != operation.seat_category_id
            ):
                raise SeatNotFound(
                    f"Seat {seat_id} is not a seat of this operation's category and pool."
                )
            seats[movement.movement_id] = seat
        seat_map.release(
            movement.seat_id for _, movement, _ in group if movement.seat_id is not None
        )
        seat_map.take(seat_id for _, _, seat_id in group)
    return seats
