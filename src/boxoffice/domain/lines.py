"""Lines of an order: operations, the movements (places) they hold, and what a call changed."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from boxoffice.domain.catalog import Seat
from boxoffice.domain.errors import QuantityRefused
from boxoffice.domain.states import MovementState, OperationKind, OperationState

# The most places one operation may hold; larger groups are split by the reseller.
MAX_OPERATION_QUANTITY = 40
# Places one createOrUpdateOrder may take over all its lines, and places one order may hold:
# they bound the work of one call, an order's answer included (docs/design.md, "Limits").
MAX_PLACES_PER_CALL = 40
MAX_ORDER_PLACES = 80


@dataclass(frozen=True)
class Place:
    """Where one movement goes: a numbered seat, a standing place or one unit of an item."""

    kind: OperationKind
    seat: Seat | None = None
    area_id: int | None = None
    item_id: int | None = None

    @classmethod
    def for_seat(cls, seat: Seat) -> Place:
        return cls(OperationKind.SEAT, seat=seat, area_id=seat.area_id)


@dataclass
class ChangeSet:
    """What one call changed in an order, in the order it happened; ids are read after flush."""

    operations: list[Operation] = field(default_factory=list)
    movements: list[Movement] = field(default_factory=list)
    removed_operations: list[Operation] = field(default_factory=list)
    removed_movements: list[Movement] = field(default_factory=list)
    contiguities: list[list[Movement]] = field(default_factory=list)
    main_operation: Operation | None = None

    def touch_operation(self, operation: Operation) -> None:
        if operation not in self.operations:
            self.operations.append(operation)

    def remove_operation(self, operation: Operation) -> None:
        if operation in self.operations:
            self.operations.remove(operation)
        if operation not in self.removed_operations:
            self.removed_operations.append(operation)

    def release_movement(self, movement: Movement) -> None:
        if movement in self.movements:
            self.movements.remove(movement)
        self.removed_movements.append(movement)


class MovementReading:
    """What a movement shows a reader. The entity below and the read-only snapshot of an
    order's details (persistence/order_snapshots.py) share it, so both answer by one rule."""

    __slots__ = ()
    movement_id: int | None
    kind: OperationKind
    seat_id: int | None
    area_id: int | None
    block_id: int | None
    row_number: str | None
    seat_number: str | None
    seat_category_id: int | None
    contingent_id: int | None
    price: int
    state: MovementState
    barcode: str | None

    @property
    def live(self) -> bool:
        return self.state is not MovementState.RELEASED


class Movement(MovementReading):
    """One place held by an operation: a seat, a standing place or an item unit; later a ticket."""

    def __init__(
        self, place: Place, *, performance_id: int | None, contingent_id: int | None, price: int
    ) -> None:
        seat = place.seat
        self.movement_id: int | None = None
        self.kind = place.kind
        self.performance_id = performance_id
        self.seat_id = seat.seat_id if seat else None
        self.area_id = place.area_id
        self.block_id = seat.block_id if seat else None
        self.row_number = seat.row_number if seat else None
        self.seat_number = seat.seat_number if seat else None
        self.seat_category_id = seat.seat_category_id if seat else None
        self.item_id = place.item_id
        self.contingent_id = contingent_id
        self.price = price
        self.state = MovementState.RESERVED
        self.barcode: str | None = None

    def move_to(self, seat: Seat | None) -> None:
        """Puts a seat movement on another seat; None leaves it seatless for a moment, so that
        movements can trade seats without two live movements ever holding one seat."""
        self.seat_id = seat.seat_id if seat else None
        self.area_id = seat.area_id if seat else None
        self.block_id = seat.block_id if seat else None
        self.row_number = seat.row_number if seat else None
        self.seat_number = seat.seat_number if seat else None
        self.seat_category_id = seat.seat_category_id if seat else self.seat_category_id


class OperationReading:
    """What a line shows a reader; shared like MovementReading."""

    __slots__ = ()
    operation_id: int | None
    kind: OperationKind
    state: OperationState
    product_id: int | None
    product_code: str | None
    performance_id: int | None
    seat_category_id: int | None
    audience_sub_category_id: int | None
    contingent_id: int | None
    item_id: int | None
    unit_price: int
    quantity: int
    linked_operation: OperationReading | None
    movements: Sequence[MovementReading]

    @property
    def live(self) -> bool:
        return self.state is OperationState.ACTIVE

    @property
    def is_charge(self) -> bool:
        return self.kind is OperationKind.CHARGE

    @property
    def numbered(self) -> bool:
        return self.kind is OperationKind.SEAT

    @property
    def total_amount(self) -> int:
        return self.unit_price * self.quantity


class Operation(OperationReading):
    """One line of an order: a quantity of one product at one price, or a system charge."""

    def __init__(
        self,
        *,
        kind: OperationKind,
        unit_price: int,
        product_id: int | None = None,
        product_code: str | None = None,
        performance_id: int | None = None,
        seat_category_id: int | None = None,
        audience_sub_category_id: int | None = None,
        area_id: int | None = None,
        item_id: int | None = None,
        contingent_id: int | None = None,
        charge_id: int | None = None,
        linked_operation: Operation | None = None,
        quantity: int = 0,
    ) -> None:
        self.operation_id: int | None = None
        self.kind = kind
        self.state = OperationState.ACTIVE
        self.product_id = product_id
        self.product_code = product_code
        self.performance_id = performance_id
        self.seat_category_id = seat_category_id
        self.audience_sub_category_id = audience_sub_category_id
        self.area_id = area_id
        self.item_id = item_id
        self.contingent_id = contingent_id
        self.charge_id = charge_id
        self.linked_operation = linked_operation
        self.unit_price = unit_price
        self.quantity = quantity
        self.movements: list[Movement] = []

    @property
    def live_movements(self) -> list[Movement]:
        return [movement for movement in self.movements if movement.live]

    def hold(self, places: Sequence[Place], changes: ChangeSet) -> list[Movement]:
        created = [
            Movement(
                place,
                performance_id=self.performance_id,
                contingent_id=self.contingent_id,
                price=self.unit_price,
            )
            for place in places
        ]
        self.movements.extend(created)
        self.quantity += len(created)
        changes.movements.extend(created)
        changes.touch_operation(self)
        return created

    def release(self, movements: Iterable[Movement], changes: ChangeSet) -> None:
        for movement in movements:
            if not movement.live:
                continue
            movement.state = MovementState.RELEASED
            self.quantity -= 1
            changes.release_movement(movement)
        if self.quantity == 0:
            self.state = OperationState.CANCELLED
            changes.remove_operation(self)
        else:
            changes.touch_operation(self)

    def reprice(self, audience_sub_category_id: int, unit_price: int, changes: ChangeSet) -> None:
        self.audience_sub_category_id = audience_sub_category_id
        self.unit_price = unit_price
        for movement in self.live_movements:
            movement.price = unit_price
            if movement not in changes.movements:
                changes.movements.append(movement)
        changes.touch_operation(self)


def check_quantity(quantity: int | None) -> int:
    if quantity is None or quantity < 1 or quantity > MAX_OPERATION_QUANTITY:
        raise QuantityRefused(
            f"The quantity must be between 1 and {MAX_OPERATION_QUANTITY}, not {quantity}."
        )
    return quantity
