"""A call's new lines written in one PostgreSQL statement, while a sale holds its locks.

SQLAlchemy's flush writes a sale's new lines as three statements: the seat operation, then
the charge operations linked to it, then the movements, each waiting for the ids the one
before returned. They run while the sale holds its performance's locks, so every other sale
of the performance waits for all three (about half of what a sale holds, stop 23 of
docs/performance.md). Here the operations and movements that are new in the session are
written by one statement, which draws their ids from the tables' sequences itself; the
entities are then attached to the session as persistent, as if a flush had written them, and
the flush that follows writes whatever else changed. SQLite keeps the ORM's flush: it has no
sequences, and its writes do not cross a network.

Only the common shape is taken: new operations of orders already written, with their new
movements, and new movements of operations already written. When anything else is pending
(a new file, order or payment), the whole flush is left to SQLAlchemy.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Protocol

from sqlalchemy import inspect, text
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import get_history, set_committed_value

from boxoffice.domain.lines import Movement, Operation
from boxoffice.domain.model import Order
from boxoffice.domain.states import LIVE_ORDER_STATES
from boxoffice.persistence.held_places import HELD_PLACES_SQL, HeldPlaces, leave_count
from boxoffice.persistence.loaded_entities import attach_as_loaded
from boxoffice.persistence.seat_change_log import (
    BUMPED_SQL,
    LOGGED_SQL,
    log_parameters,
    purge_if_due,
)

_OPERATION_COLUMNS = (
    "order_id",
    "kind",
    "state",
    "product_id",
    "product_code",
    "performance_id",
    "seat_category_id",
    "audience_sub_category_id",
    "area_id",
    "item_id",
    "contingent_id",
    "charge_id",
    "linked_operation_id",
    "unit_price",
    "quantity",
)
_MOVEMENT_COLUMNS = (
    "operation_id",
    "kind",
    "performance_id",
    "seat_id",
    "area_id",
    "block_id",
    "row_number",
    "seat_number",
    "seat_category_id",
    "item_id",
    "contingent_id",
    "price",
    "state",
    "barcode",
)
_TEXT_COLUMNS = {"kind", "state", "product_code", "row_number", "seat_number", "barcode"}


def _record_type(columns: Iterable[str], *extra: str) -> str:
    """The column list jsonb_to_recordset reads the rows with."""
    typed = [f"{name} {'text' if name in _TEXT_COLUMNS else 'bigint'}" for name in columns]
    return ", ".join([*typed, *(f"{name} bigint" for name in extra)])


def _numbered(table: str, id_column: str, columns: Iterable[str], link: str) -> str:
    """The rows of the JSON array bound to :<table>, each with a new id of the table's
    sequence, drawn in position order."""
    return f"""
    SELECT nextval(pg_get_serial_sequence('{table}', '{id_column}')) AS new_id, ordered.*
    FROM (
        SELECT * FROM jsonb_to_recordset(CAST(:{table} AS jsonb))
            AS given({_record_type(columns, "position", link)})
        ORDER BY position
    ) AS ordered
"""  # noqa: S608 (names of this module only)


def _selected(alias: str, columns: Iterable[str], replaced: dict[str, str]) -> str:
    return ", ".join(replaced.get(name, f"{alias}.{name}") for name in columns)


# What each row of the answer is: the id of a new line or place (by position), a count of
# what the channel holds (by performance or item), or the performance's new version.
_OPERATION_ID, _MOVEMENT_ID, _HELD_PLACES, _HELD_UNITS, _LOGGED_VERSION = range(5)

# The rows arrive as two JSON arrays. A new operation is named by its position in the first;
# a charge links to its ticket line, and a movement belongs to its operation, either by an id
# already written or by such a position. The ids are drawn in position order, so that lines
# keep the order a flush would have given them (answers list lines by id).
_WRITE_LINES = text(
    f"""
WITH new_operations AS MATERIALIZED ({
        _numbered("operations", "operation_id", _OPERATION_COLUMNS, "linked_position")
    }), new_movements AS MATERIALIZED ({
        _numbered("movements", "movement_id", _MOVEMENT_COLUMNS, "operation_position")
    }), written_operations AS (
    INSERT INTO operations (operation_id, {", ".join(_OPERATION_COLUMNS)})
    SELECT line.new_id, {
        _selected(
            "line",
            _OPERATION_COLUMNS,
            {"linked_operation_id": "COALESCE(line.linked_operation_id, linked.new_id)"},
        )
    }
    FROM new_operations AS line
    LEFT JOIN new_operations AS linked ON linked.position = line.linked_position
), written_movements AS (
    INSERT INTO movements (movement_id, {", ".join(_MOVEMENT_COLUMNS)})
    SELECT place.new_id, {
        _selected(
            "place",
            _MOVEMENT_COLUMNS,
            {"operation_id": "COALESCE(place.operation_id, line.new_id)"},
        )
    }
    FROM new_movements AS place
    LEFT JOIN new_operations AS line ON line.position = place.operation_position
), held AS ({HELD_PLACES_SQL}
), bumped AS ({BUMPED_SQL}
), logged AS ({LOGGED_SQL})
SELECT {_OPERATION_ID} AS kind, position AS key, new_id AS value FROM new_operations
UNION ALL SELECT {_MOVEMENT_ID}, position, new_id FROM new_movements
UNION ALL SELECT {_HELD_PLACES}, performance_id, held FROM held WHERE item_id IS NULL
UNION ALL SELECT {_HELD_UNITS}, item_id, held FROM held WHERE item_id IS NOT NULL
UNION ALL SELECT {_LOGGED_VERSION}, performance_id, version FROM bumped
"""  # noqa: S608 (built from this module's own column names; values are bound)
)


class SeatLog(Protocol):
    """What the writer asks of the inventory (persistence/inventory.py) to log seats itself."""

    def may_log_with_lines(self, performance_id: int) -> bool: ...
    def note_logged(self, performance_id: int, version: int, net: dict[int, bool]) -> None: ...


class _Pending:
    """The new lines found in a session, each with what it belongs to."""

    def __init__(self) -> None:
        self.operations: list[tuple[int, Operation]] = []  # (order id, operation)
        self.movements: list[tuple[Operation, Movement]] = []
        self.operation_position: dict[int, int] = {}  # id() of a new operation -> position
        self.orders: list[Order] = []  # the orders that received new operations

    def add_operation(self, order_id: int, operation: Operation) -> None:
        self.operation_position[id(operation)] = len(self.operations)
        self.operations.append((order_id, operation))

    def covers(self, new: Iterable[Any]) -> bool:
        found = {id(operation) for _, operation in self.operations}
        found.update(id(movement) for _, movement in self.movements)
        return all(id(instance) in found for instance in new)


def write_new_lines(session: Session, seat_log: SeatLog) -> list[Movement]:
    """Writes the session's new operations and movements in one statement, if that is all that
    is new; answers the movements written whose seats are still to be logged (empty when the
    flush is left to SQLAlchemy).

    The statement also counts what the order's channel holds of the performances and items of
    the new places, for the hold caps the use case checks next (held_places.py), and, when the
    new seats are of one performance whose map the transaction holds, bumps its version and
    logs them (seat_change_log.py), which the commit would otherwise do in a round trip of its
    own while every other sale of the performance waits.
    """
    leave_count(session, None)  # whatever this flush writes, an earlier count is stale
    if not session.new:
        return []
    pending = _pending_lines(session)
    if pending is None or not pending.covers(session.new):
        return []
    counted = _to_count(pending)
    logged_performance, net = _to_log(session, pending, seat_log)
    with session.no_autoflush:
        rows = session.execute(
            _WRITE_LINES,
            {
                "operations": json.dumps(_operation_rows(pending)),
                "movements": json.dumps(_movement_rows(pending)),
                "channel_id": counted.channel_id if counted else None,
                "performance_ids": sorted(counted.performance_ids) if counted else [],
                "item_ids": sorted(counted.item_ids) if counted else [],
                **log_parameters(logged_performance, net),
            },
        ).all()
    ids = {(row.kind, row.key): row.value for row in rows}
    _attach(session, pending, ids)
    if counted is not None and _nothing_else_changes_holds(session, pending):
        for row in rows:
            if row.kind == _HELD_PLACES:
                counted.add(row.key, None, row.value)
            elif row.kind == _HELD_UNITS:
                counted.add(None, row.key, row.value)
        for _, movement in pending.movements:  # the statement counted without them
            if movement.live:
                counted.add(movement.performance_id, movement.item_id, 1)
        leave_count(session, counted)
    if logged_performance is None:
        return [movement for _, movement in pending.movements]
    version = ids[(_LOGGED_VERSION, logged_performance)]
    seat_log.note_logged(logged_performance, version, net)
    purge_if_due(session, logged_performance, version)
    return [m for _, m in pending.movements if m.seat_id is None]


def _to_log(
    session: Session, pending: _Pending, seat_log: SeatLog
) -> tuple[int | None, dict[int, bool]]:
    """The performance whose version this write bumps, with the seats it logs, if any.

    Only when the new seats are all of one performance, the transaction may log it now, and
    the rest of the flush changes no seat (no movement released or moved): the log row is
    then exactly what this statement writes.
    """
    seats = [m for _, m in pending.movements if m.seat_id is not None and m.live]
    performances = {m.performance_id for m in seats}
    if len(performances) != 1 or any(isinstance(i, Movement) for i in session.dirty):
        return None, {}
    (performance_id,) = performances
    if performance_id is None or not seat_log.may_log_with_lines(performance_id):
        return None, {}
    return performance_id, {m.seat_id: True for m in seats if m.seat_id is not None}


def _to_count(pending: _Pending) -> HeldPlaces | None:
    """What the hold caps will ask after this write: the common case of one live order
    receiving new lines, else nothing (the count is then a statement of its own)."""
    if len(pending.orders) != 1 or len(pending.movements) != sum(
        len(operation.movements) for _, operation in pending.operations
    ):
        return None
    order = pending.orders[0]
    if order.state not in LIVE_ORDER_STATES:
        return None
    return HeldPlaces(
        order.channel_id,
        frozenset(
            m.performance_id
            for _, m in pending.movements
            if m.performance_id is not None and m.item_id is None
        ),
        frozenset(m.item_id for _, m in pending.movements if m.item_id is not None),
    )


def _nothing_else_changes_holds(session: Session, pending: _Pending) -> bool:
    """Whether the rest of the flush leaves every hold as the statement counted it."""
    if session.new or any(isinstance(instance, Movement) for instance in session.dirty):
        return False
    return not any(get_history(order, "state").has_changes() for order in pending.orders)


def _pending_lines(session: Session) -> _Pending | None:
    pending = _Pending()
    grown: list[Operation] = []  # lines already written that received new places
    for instance in list(session.dirty):
        if isinstance(instance, Order):
            if instance.order_id is None:
                return None
            added = [o for o in get_history(instance, "operations").added if inspect(o).pending]
            for operation in added:
                pending.add_operation(instance.order_id, operation)
            if added:
                pending.orders.append(instance)
        elif isinstance(instance, Operation) and instance.operation_id is not None:
            grown.append(instance)
    for _, operation in pending.operations:
        pending.movements.extend((operation, movement) for movement in operation.movements)
    for operation in grown:
        added_places = get_history(operation, "movements").added
        pending.movements.extend((operation, m) for m in added_places if inspect(m).pending)
    return pending if pending.operations or pending.movements else None


def _value(value: Any) -> Any:
    return getattr(value, "value", value)  # an enum is stored as its value


def _operation_rows(pending: _Pending) -> list[dict[str, Any]]:
    rows = []
    for position, (order_id, operation) in enumerate(pending.operations):
        row = {name: _value(getattr(operation, name, None)) for name in _OPERATION_COLUMNS}
        row["order_id"] = order_id
        linked = operation.linked_operation
        row["linked_operation_id"] = linked.operation_id if linked is not None else None
        row["linked_position"] = (
            pending.operation_position.get(id(linked)) if linked is not None else None
        )
        row["position"] = position
        rows.append(row)
    return rows


def _movement_rows(pending: _Pending) -> list[dict[str, Any]]:
    rows = []
    for position, (operation, movement) in enumerate(pending.movements):
        row = {name: _value(getattr(movement, name)) for name in _MOVEMENT_COLUMNS[1:]}
        row["operation_id"] = operation.operation_id
        row["operation_position"] = pending.operation_position.get(id(operation))
        row["position"] = position
        rows.append(row)
    return rows


def _attach(session: Session, pending: _Pending, ids: dict[tuple[int, int], int]) -> None:
    """Makes the written entities persistent in the session, with nothing left to flush."""
    for position, (order_id, operation) in enumerate(pending.operations):
        operation.operation_id = ids[(_OPERATION_ID, position)]
        operation.order_id = order_id  # type: ignore[attr-defined]  # mapped column
        linked = operation.linked_operation
        operation.linked_operation_id = (  # type: ignore[attr-defined]  # mapped column
            linked.operation_id if linked is not None else None
        )
    for position, (operation, movement) in enumerate(pending.movements):
        movement.movement_id = ids[(_MOVEMENT_ID, position)]
        movement.operation_id = operation.operation_id  # type: ignore[attr-defined]
    written: list[Any] = [operation for _, operation in pending.operations]
    written += [movement for _, movement in pending.movements]
    attach_as_loaded(session, written)
    # The collections that received them would otherwise be flushed as changed again.
    for order in pending.orders:
        set_committed_value(order, "operations", list(order.operations))
    for operation in {id(operation): operation for operation, _ in pending.movements}.values():
        if operation.operation_id is not None and inspect(operation).persistent:
            set_committed_value(operation, "movements", list(operation.movements))
