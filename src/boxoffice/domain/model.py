"""Orders: the cart that becomes a sale, its payments, deadline and state machine."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Generic, Protocol, TypeVar

from boxoffice.domain.catalog import Charge, ChargeBasis, ExpiryPolicy, Seat
from boxoffice.domain.errors import (
    MovementNotFound,
    OperationNotChangeable,
    OperationNotFound,
    OrderEmpty,
    OrderExpired,
    OrderStateConflict,
    PaymentInsufficient,
    PaymentRefused,
)
from boxoffice.domain.files import File
from boxoffice.domain.lines import ChangeSet, Movement, Operation, OperationReading, Place
from boxoffice.domain.records import ExternalReference
from boxoffice.domain.states import (
    LIVE_ORDER_STATES,
    MovementState,
    OperationKind,
    OperationState,
    OrderState,
    OrderType,
    PaymentState,
)


class Payment:
    """Money for an order by one payment method: received at closing, or awaited."""

    def __init__(
        self, payment_method_id: int, amount: int, state: PaymentState = PaymentState.PAID
    ) -> None:
        self.payment_id: int | None = None
        self.payment_method_id = payment_method_id
        self.amount = amount
        self.state = state


def expiry_deadline(created_at: datetime, updated_at: datetime, policy: ExpiryPolicy) -> datetime:
    """The moment an order expires: the earlier of idle delay and maximum lifespan."""
    return min(
        updated_at + timedelta(seconds=policy.inactivity_seconds),
        created_at + timedelta(seconds=policy.max_lifespan_seconds),
    )


class FileKey(Protocol):
    @property
    def file_id(self) -> int | None: ...


LineT = TypeVar("LineT", bound=OperationReading)


class OrderReading(Generic[LineT]):
    """What an order shows a reader: the entity below and the read-only snapshot of its details
    (persistence/order_snapshots.py) share it, so both answer by the same rules."""

    __slots__ = ()
    order_id: int | None
    file: FileKey
    secret_id: str
    state: OrderState
    order_type: OrderType
    point_of_sales_id: int
    created_at: datetime
    updated_at: datetime
    expires_at: datetime
    contact_reference: str | None
    external_reference: str | None
    origin: str | None
    paid_amount: int
    payment_state: PaymentState
    operations: list[LineT]

    @property
    def live_operations(self) -> list[LineT]:
        return [operation for operation in self.operations if operation.live]

    @property
    def sale_amount(self) -> int:
        return sum(operation.total_amount for operation in self.live_operations)

    def is_due_to_expire(self, now: datetime) -> bool:
        return self.state in LIVE_ORDER_STATES and now >= self.expires_at


class OrderDetailsReading(OrderReading[LineT]):
    """An order read for its details alone (persistence/order_snapshots.py): with the external
    references pinned to it, which the entity keeps apart."""

    __slots__ = ()
    references: list[ExternalReference]


class Order(OrderReading[Operation]):
    """A cart that becomes a sale: its lines, its state and its deadline."""

    def __init__(
        self,
        *,
        file: File,
        channel_id: int,
        point_of_sales_id: int,
        order_type: OrderType,
        secret_id: str,
        now: datetime,
        expiry: ExpiryPolicy,
        contact_reference: str | None = None,
        external_reference: str | None = None,
        origin: str | None = None,
    ) -> None:
        self.order_id: int | None = None
        self.file: File = file
        self.channel_id = channel_id
        self.point_of_sales_id = point_of_sales_id
        self.order_type = order_type
        self.secret_id = secret_id
        self.state = OrderState.RUNNING
        self.created_at = now
        self.updated_at = now
        self.closed_at: datetime | None = None
        self.expires_at = expiry_deadline(now, now, expiry)
        self.contact_reference = contact_reference
        self.external_reference = external_reference
        self.origin = origin
        self.paid_amount = 0
        self.payment_state = PaymentState.NONE
        self.payments: list[Payment] = []
        self.operations: list[Operation] = []

    # -- reading -----------------------------------------------------------

    @property
    def line_operations(self) -> list[Operation]:
        """Live operations the reseller asked for, charges left out."""
        return [op for op in self.live_operations if not op.is_charge]

    @property
    def live_movements(self) -> list[Movement]:
        return [m for op in self.operations for m in op.movements if m.live]

    def find_operation(self, operation_id: int) -> Operation:
        for operation in self.live_operations:
            if operation.operation_id == operation_id:
                return operation
        raise OperationNotFound(f"Order {self.order_id} has no live operation {operation_id}.")

    def find_line(self, operation_id: int) -> Operation:
        """A live operation the reseller may change: charges follow the lines, never alone."""
        operation = self.find_operation(operation_id)
        self._refuse_charge(operation)
        return operation

    def find_movement(self, movement_id: int) -> tuple[Operation, Movement]:
        for operation in self.live_operations:
            for movement in operation.movements:
                if movement.movement_id == movement_id and movement.live:
                    return operation, movement
        raise MovementNotFound(f"Order {self.order_id} has no live movement {movement_id}.")

    # -- time ----------------------------------------------------------------

    def expire(self, now: datetime) -> ChangeSet:
        """Ends a live order past its deadline; its places go back on sale."""
        # Payments first: reading them flushes the session, which after the release would
        # lock the seat map for the length of that read.
        self.drop_waiting_payments()
        changes = self._release_everything()
        self.state = OrderState.EXPIRED
        self.updated_at = now
        return changes

    def touch(self, now: datetime, expiry: ExpiryPolicy) -> None:
        self.updated_at = now
        self.expires_at = expiry_deadline(self.created_at, now, expiry)

    # -- state checks ------------------------------------------------------------

    def refuse_if_ended(self) -> None:
        if self.state is OrderState.EXPIRED:
            raise OrderExpired(f"Order {self.order_id} has expired; its places were released.")
        if self.state not in LIVE_ORDER_STATES:
            raise OrderStateConflict(
                f"Order {self.order_id} is {self.state.value} and can no longer change."
            )

    def check_changeable(self) -> None:
        """Lines may be added, changed or cancelled only while the order is running."""
        self.refuse_if_ended()
        if self.state is OrderState.VALIDATED:
            raise OrderStateConflict(
                f"Order {self.order_id} is VALIDATED: it can only be closed or abandoned."
            )

    # -- lines ---------------------------------------------------------------------

    def add_operation(
        self,
        operation: Operation,
        places: Sequence[Place],
        now: datetime,
        expiry: ExpiryPolicy,
        changes: ChangeSet,
    ) -> list[Movement]:
        self.check_changeable()
        self.operations.append(operation)
        changes.main_operation = changes.main_operation or operation
        movements = operation.hold(places, changes)
        self.touch(now, expiry)
        return movements

    def add_places(
        self,
        operation: Operation,
        places: Sequence[Place],
        now: datetime,
        expiry: ExpiryPolicy,
        changes: ChangeSet,
    ) -> list[Movement]:
        self.check_changeable()
        self._refuse_charge(operation)
        movements = operation.hold(places, changes)
        self.touch(now, expiry)
        return movements

    def reseat(
        self, moves: Sequence[tuple[Movement, Seat]], now: datetime, expiry: ExpiryPolicy
    ) -> None:
        """Moves seat movements to the seats the customer picked (doSeatingForOperations)."""
        self.check_changeable()
        for movement, seat in moves:
            movement.move_to(seat)
        self.touch(now, expiry)

    def release_movements(
        self,
        movements: Iterable[tuple[Operation, Movement]],
        now: datetime,
        expiry: ExpiryPolicy,
        changes: ChangeSet,
    ) -> None:
        self.check_changeable()
        by_operation: dict[int, tuple[Operation, list[Movement]]] = {}
        for operation, movement in movements:
            self._refuse_charge(operation)
            by_operation.setdefault(id(operation), (operation, []))[1].append(movement)
        for operation, operation_movements in by_operation.values():
            operation.release(operation_movements, changes)
        self.touch(now, expiry)

    def cancel_operations(
        self,
        operations: Iterable[Operation],
        now: datetime,
        expiry: ExpiryPolicy,
        changes: ChangeSet,
    ) -> None:
        operations = list(operations)
        self.check_changeable()
        for operation in operations:
            # A charge holds no movement, so without this it would be "cancelled" silently.
            self._refuse_charge(operation)
        self.release_movements(
            (
                (operation, movement)
                for operation in operations
                for movement in operation.live_movements
            ),
            now,
            expiry,
            changes,
        )

    def reprice_operation(
        self,
        operation: Operation,
        audience_sub_category_id: int,
        unit_price: int,
        now: datetime,
        expiry: ExpiryPolicy,
        changes: ChangeSet,
    ) -> None:
        self.check_changeable()
        self._refuse_charge(operation)
        operation.reprice(audience_sub_category_id, unit_price, changes)
        self.touch(now, expiry)

    @staticmethod
    def _refuse_charge(operation: Operation) -> None:
        if operation.is_charge:
            raise OperationNotChangeable(
                f"Operation {operation.operation_id} is a charge computed by the system."
            )

    # -- charges ---------------------------------------------------------------------

    def recompute_charges(self, charges: Sequence[Charge], changes: ChangeSet) -> None:
        """Brings the charge operations in line with the order's lines, keeping their ids."""
        wanted: dict[tuple[int, int], tuple[Charge, Operation, int]] = {}
        lines = self.line_operations
        for line in lines:
            if line.kind in (OperationKind.SEAT, OperationKind.AREA):
                for charge in charges:
                    if charge.per is ChargeBasis.TICKET:
                        wanted[(charge.charge_id, id(line))] = (charge, line, line.quantity)
        if lines:
            for charge in charges:
                if charge.per is ChargeBasis.ORDER:
                    # An order fee is owed once; it hangs on the order's first line.
                    wanted[(charge.charge_id, -1)] = (charge, lines[0], 1)

        for existing in [op for op in self.live_operations if op.is_charge]:
            charge_id = existing.charge_id if existing.charge_id is not None else -1
            key_of_line = (charge_id, id(existing.linked_operation))
            key_of_order = (charge_id, -1)
            key = key_of_line if key_of_line in wanted else key_of_order
            if key not in wanted:
                existing.state = OperationState.CANCELLED
                changes.remove_operation(existing)
                continue
            charge, line, quantity = wanted.pop(key)
            if (existing.quantity, existing.unit_price, existing.linked_operation) != (
                quantity,
                charge.amount,
                line,
            ):
                existing.quantity = quantity
                existing.unit_price = charge.amount
                existing.linked_operation = line
                changes.touch_operation(existing)

        for charge, line, quantity in wanted.values():
            operation = Operation(
                kind=OperationKind.CHARGE,
                unit_price=charge.amount,
                product_id=charge.charge_id,
                product_code=charge.name,
                charge_id=charge.charge_id,
                performance_id=line.performance_id,
                linked_operation=line,
                quantity=quantity,
            )
            self.operations.append(operation)
            changes.touch_operation(operation)

    # -- the end of a sale ---------------------------------------------------------------

    def validate(self, now: datetime, expiry: ExpiryPolicy) -> bool:
        """Freezes the order (phase 1 of 2); answers False when it already was."""
        self.refuse_if_ended()
        if self.state is OrderState.VALIDATED:
            return False
        self._refuse_if_empty()
        self.state = OrderState.VALIDATED
        self.touch(now, expiry)
        return True

    def close(
        self, now: datetime, new_barcode: Callable[[], str] | None, payments: Sequence[Payment] = ()
    ) -> bool:
        """Makes the sale final and issues one ticket per movement; False when already closed."""
        if self.state is OrderState.CLOSED:
            return False
        self.refuse_if_ended()
        self._refuse_if_empty()
        if self.payment_state in (PaymentState.WAITING, PaymentState.FAILED):
            raise OrderStateConflict(
                f"Order {self.order_id} has a payment {self.payment_state.value}: notify its "
                "outcome or reopen the order."
            )
        self._take_payments(payments)
        issued: set[str] = set()
        for movement in self.live_movements:
            movement.state = MovementState.SOLD
            if new_barcode is not None:
                barcode = new_barcode()
                while barcode in issued:
                    barcode = new_barcode()
                issued.add(barcode)
                movement.barcode = barcode
        self.state = OrderState.CLOSED
        self.closed_at = now
        self.updated_at = now
        return True

    def _take_payments(self, payments: Sequence[Payment]) -> None:
        """Payments must cover the sale; more is recorded as overpaid, less is refused."""
        if not payments:
            return
        self.check_payments_cover(payments)
        self.payments.extend(payments)
        self.record_paid(payments)

    def check_payments_cover(self, payments: Sequence[Payment]) -> None:
        """Each amount positive, together at least the sale amount."""
        for payment in payments:
            if payment.amount <= 0:
                raise PaymentRefused(f"A payment amount must be positive, not {payment.amount}.")
        received = sum(payment.amount for payment in payments)
        if received < self.sale_amount:
            raise PaymentInsufficient(
                f"Payments of {received} do not cover the sale amount {self.sale_amount}."
            )

    def record_paid(self, payments: Sequence[Payment]) -> None:
        received = sum(payment.amount for payment in payments)
        for payment in payments:
            payment.state = PaymentState.PAID
        self.paid_amount = received
        self.payment_state = (
            PaymentState.PAID if received == self.sale_amount else PaymentState.OVERPAID
        )

    @property
    def waiting_payments(self) -> list[Payment]:
        return [p for p in self.payments if p.state is PaymentState.WAITING]

    def drop_waiting_payments(self) -> None:
        """An order that ends while a payment is awaited abandons that payment."""
        for payment in self.waiting_payments:
            payment.state = PaymentState.ABANDONED
        if self.payment_state is PaymentState.WAITING:
            self.payment_state = PaymentState.ABANDONED

    def abandon(self, now: datetime) -> ChangeSet | None:
        """Gives every place back; None when the order was already abandoned."""
        if self.state is OrderState.ABANDONED:
            return None
        self.refuse_if_ended()
        self.drop_waiting_payments()  # first, as in expire
        changes = self._release_everything()
        self.state = OrderState.ABANDONED
        self.updated_at = now
        return changes

    def _refuse_if_empty(self) -> None:
        if not self.line_operations:
            raise OrderEmpty(f"Order {self.order_id} has no line.")

    def _release_everything(self) -> ChangeSet:
        changes = ChangeSet()
        for operation in self.line_operations:
            operation.release(operation.live_movements, changes)
        for charge in [op for op in self.live_operations if op.is_charge]:
            charge.state = OperationState.CANCELLED
            changes.remove_operation(charge)
        return changes
