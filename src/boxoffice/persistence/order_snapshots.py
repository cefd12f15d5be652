"""An order read for its details alone: one Core statement, plain objects, no ORM.

getOrderDetails is the call a reseller repeats most, and loading the order as entities (the
identity map, the instrumented collections, every column of four tables) was a quarter of its
CPU. A snapshot holds only what the details show, read in one round trip. It answers by the
same rules as the entity (domain OrderReading, OperationReading, MovementReading), and
tests/integration/test_orders_repository.py checks that both give the same details.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from boxoffice.domain.lines import MovementReading, OperationReading
from boxoffice.domain.model import OrderReading
from boxoffice.persistence.tables import movements, operations, orders


class _Snapshot:
    """Holds the values it is built with; the reading classes declare their names and types."""

    def __init__(self, **values: Any) -> None:
        for name, value in values.items():
            setattr(self, name, value)


class FileSnapshot(_Snapshot):
    file_id: int | None


class MovementSnapshot(MovementReading, _Snapshot):
    pass


class OperationSnapshot(OperationReading, _Snapshot):
    linked_operation_id: int | None
    movements: list[MovementSnapshot]


class OrderSnapshot(OrderReading[OperationSnapshot], _Snapshot):
    pass


# The columns read are the attributes the reading classes declare (less the links between
# objects, which are rebuilt from ids): what a reader sees and what is read cannot drift apart.
_LINKS = ("file", "operations", "linked_operation", "movements")
_ORDER_COLUMNS = tuple(name for name in OrderReading.__annotations__ if name not in _LINKS)
_OPERATION_COLUMNS = (
    *(name for name in OperationReading.__annotations__ if name not in _LINKS),
    "linked_operation_id",
)
_MOVEMENT_COLUMNS = tuple(MovementReading.__annotations__)

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
        file=FileSnapshot(file_id=first["file_id"]),
        operations=[],
        **{name: first[name] for name in _ORDER_COLUMNS},
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
                linked_operation=None,
                movements=[],
                **{name: values[f"operation_{name}"] for name in _OPERATION_COLUMNS},
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
