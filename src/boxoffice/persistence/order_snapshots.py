"""An order read for its details alone: one Core statement, plain objects, no ORM.

getOrderDetails is the call a reseller repeats most, and loading the order as entities (the
identity map, the instrumented collections, every column of four tables) was a quarter of its
CPU. A snapshot holds only what the details show, read in one round trip. It answers by the
same rules as the entity (domain OrderReading, OperationReading, MovementReading), and
tests/integration/test_orders_repository.py checks that both give the same details.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from boxoffice.domain.lines import MovementReading, OperationReading
from boxoffice.domain.model import OrderReading
from boxoffice.domain.states import (
    MovementState,
    OperationKind,
    OperationState,
    OrderState,
    OrderType,
    PaymentState,
)
from boxoffice.persistence.tables import movements, operations, orders


@dataclass(slots=True, eq=False)
class FileSnapshot:
    file_id: int | None


@dataclass(slots=True, eq=False)
class MovementSnapshot(MovementReading):
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


@dataclass(slots=True, eq=False)
class OperationSnapshot(OperationReading):
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
    linked_operation_id: int | None
    linked_operation: OperationReading | None = None
    movements: list[MovementSnapshot] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class OrderSnapshot(OrderReading[OperationSnapshot]):
    order_id: int | None
    file: FileSnapshot
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
    operations: list[OperationSnapshot] = field(default_factory=list)


_ORDER_COLUMNS = (
    "order_id",
    "secret_id",
    "state",
    "order_type",
    "point_of_sales_id",
    "created_at",
    "updated_at",
    "expires_at",
    "contact_reference",
    "external_reference",
    "origin",
    "paid_amount",
    "payment_state",
)
_OPERATION_COLUMNS = tuple(
    name
    for name in OperationSnapshot.__dataclass_fields__
    if name not in ("linked_operation", "movements")
)
_MOVEMENT_COLUMNS = tuple(MovementSnapshot.__dataclass_fields__)

# The order, its lines in the order they were added, each line's movements likewise; a line
# without movements (a charge) and an order without lines still come back, as one row each.
# Built once with bound parameters: the statement is the same for every read.
_SNAPSHOT: Select[Any] = (
    select(
        orders.c.file_id,
        *(orders.c[name] for name in _ORDER_COLUMNS),
        *(operations.c[name].label(f"operation_{name}") for name in _OPERATION_COLUMNS),
        *(movements.c[name].label(f"movement_{name}") for name in _MOVEMENT_COLUMNS),
    )
    .select_from(orders)
    .outerjoin(operations, operations.c.order_id == orders.c.order_id)
    .outerjoin(movements, movements.c.operation_id == operations.c.operation_id)
    .where(
        orders.c.order_id == bindparam("order_id"),
        orders.c.channel_id == bindparam("channel_id"),
    )
    .order_by(operations.c.operation_id, movements.c.movement_id)
)


def order_snapshot(session: Session, order_id: int, channel_id: int) -> OrderSnapshot | None:
    """The order as its details show it, without a lock; None when absent or of another channel.

    Runs in the session's transaction, so that it reads the same snapshot as its other reads.
    """
    rows = session.execute(_SNAPSHOT, {"order_id": order_id, "channel_id": channel_id}).all()
    if not rows:
        return None
    first = rows[0]._mapping
    order = OrderSnapshot(
        file=FileSnapshot(first["file_id"]), **{name: first[name] for name in _ORDER_COLUMNS}
    )
    lines: dict[int, OperationSnapshot] = {}
    for row in rows:
        values = row._mapping
        operation_id = values["operation_operation_id"]
        if operation_id is None:
            continue  # an order without lines
        line = lines.get(operation_id)
        if line is None:
            line = OperationSnapshot(
                **{name: values[f"operation_{name}"] for name in _OPERATION_COLUMNS}
            )
            lines[operation_id] = line
            order.operations.append(line)
        if values["movement_movement_id"] is not None:
            line.movements.append(
                MovementSnapshot(**{name: values[f"movement_{name}"] for name in _MOVEMENT_COLUMNS})
            )
    for line in order.operations:
        # A charge's line is always in the same order (persistence/mapping.py says so too).
        if line.linked_operation_id is not None:
            line.linked_operation = lines.get(line.linked_operation_id)
    return order
