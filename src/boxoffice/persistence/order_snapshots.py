"""An order read for its details alone: one Core statement, plain objects, no ORM.

getOrderDetails is the call a reseller repeats most, and loading the order as entities (the
identity map, the instrumented collections, every column of four tables) was a quarter of its
CPU. A snapshot holds only what the details show, read in one round trip: the order, its lines
and movements, its external references and the catalog version, all in one statement. One
statement always reads one consistent snapshot, so the read needs no transaction around it
(SqlUnitOfWork.one_statement_read), which saves the BEGIN and ROLLBACK round trips too. It
answers by the same rules as the entity (domain OrderReading, OperationReading,
MovementReading), and tests/integration/test_orders_repository.py checks that both give the
same details.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import JSON, ColumnElement, Dialect, Select, bindparam, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from boxoffice.domain.lines import MovementReading, OperationReading
from boxoffice.domain.model import OrderDetailsReading, OrderReading
from boxoffice.domain.records import ExternalReference, ReferenceOwnerKind
from boxoffice.persistence.catalog_repository import CATALOG_VERSION, note_catalog_version
from boxoffice.persistence.record_tables import external_references
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


class OrderSnapshot(OrderDetailsReading[OperationSnapshot], _Snapshot):
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


class _JsonPairs(FunctionElement[Any]):
    """An aggregate: the JSON array of its rows' [first, second] pairs in the order of `first`
    (SQL NULL or [] when there are none), in each database's own JSON functions."""

    type = JSON()
    inherit_cache = True


@compiles(_JsonPairs, "postgresql")
def _postgresql_pairs(element: _JsonPairs, compiler: SQLCompiler, **keywords: Any) -> str:
    first = compiler.process(list(element.clauses)[0], **keywords)
    pair = compiler.process(element.clauses, **keywords)
    return f"json_agg(json_build_array({pair}) ORDER BY {first})"


@compiles(_JsonPairs, "sqlite")
def _sqlite_pairs(element: _JsonPairs, compiler: SQLCompiler, **keywords: Any) -> str:
    # SQLite before 3.44 has no ORDER BY in an aggregate: it aggregates in the order its FROM
    # gives, which ORDER_REFERENCES below orders (an ordered subquery is never flattened into an
    # aggregate, SQLite's flattening rule 16).
    return f"json_group_array(json_array({compiler.process(element.clauses, **keywords)}))"


# The order's external references, as one JSON array of [key, value] by key on every row: the
# order SqlRecordRepository.references gives (records.py). The locked read of an order
# (repository.py) brings them along too.
_ORDERED_REFERENCES = (
    select(external_references.c.reference_key, external_references.c.reference_value)
    .where(
        external_references.c.owner_kind == ReferenceOwnerKind.ORDER.value,
        external_references.c.owner_id == orders.c.order_id,
    )
    .order_by(external_references.c.reference_key)
    .correlate(orders)  # the order of the row, not every order: a FROM does not correlate itself
    .subquery()
)
ORDER_REFERENCES: ColumnElement[Any] = (
    select(_JsonPairs(_ORDERED_REFERENCES.c.reference_key, _ORDERED_REFERENCES.c.reference_value))
    .scalar_subquery()
    .label("order_references")
)

# The order, its lines in the order they were added, each line's movements likewise; a line
# without movements (a charge) and an order without lines still come back, as one row each.
# Built once with bound parameters: the statement is the same for every read.
_SNAPSHOT: Select[Any] = (
    select(
        CATALOG_VERSION.scalar_subquery().label("catalog_version"),
        ORDER_REFERENCES,
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


# Where each value sits in a row of _SNAPSHOT: rows are read by position, whether SQLAlchemy or
# the driver's cursor gave them.
_POSITION = {name: position for position, name in enumerate(_SNAPSHOT.selected_columns.keys())}
_ORDER_AT = tuple((name, _POSITION[name]) for name in _ORDER_COLUMNS)
_OPERATION_AT = tuple((name, _POSITION[f"operation_{name}"]) for name in _OPERATION_COLUMNS)
_MOVEMENT_AT = tuple((name, _POSITION[f"movement_{name}"]) for name in _MOVEMENT_COLUMNS)
_OPERATION_ID = _POSITION["operation_operation_id"]
_MOVEMENT_ID = _POSITION["movement_movement_id"]


class _DriverStatement:
    """_SNAPSHOT compiled once for a dialect, run on the driver's own cursor.

    Through SQLAlchemy's Core, most of a read's time went to describing its result: the
    driver builds a description of each of the 41 columns for every execution, and SQLAlchemy
    reads them all to key its rows. The rows are read by position here, and each value goes
    through the result processor SQLAlchemy would have applied to its column (the UTC
    timestamps, for one), so both give the same values (test_orders_repository.py checks).
    """

    def __init__(self, dialect: Dialect) -> None:
        compiled = _SNAPSHOT.compile(dialect=dialect)
        self.sql = compiled.string
        # The literals the statement binds (the owner kind of references, the catalog's key).
        self.parameters = dict(compiled.params)
        self.processors = tuple(
            (position, processor)
            for position, column in enumerate(_SNAPSHOT.selected_columns)
            if (processor := column.type._cached_result_processor(dialect, None)) is not None
        )

    def rows(self, session: Session, order_id: int, channel_id: int) -> list[Any]:
        cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(
                self.sql, {**self.parameters, "order_id": order_id, "channel_id": channel_id}
            )
            rows = cursor.fetchall()
        finally:
            cursor.close()
        if not self.processors:
            return rows
        processed = []
        for row in rows:
            values = list(row)
            for position, processor in self.processors:
                values[position] = processor(values[position])
            processed.append(values)
        return processed


_DRIVER_STATEMENTS: dict[str, _DriverStatement] = {}


def _snapshot_rows(session: Session, order_id: int, channel_id: int) -> Sequence[Any]:
    dialect = session.get_bind().dialect
    if dialect.name != "postgresql":
        return session.execute(_SNAPSHOT, {"order_id": order_id, "channel_id": channel_id}).all()
    statement = _DRIVER_STATEMENTS.get(dialect.name)
    if statement is None:
        statement = _DRIVER_STATEMENTS[dialect.name] = _DriverStatement(dialect)
    return statement.rows(session, order_id, channel_id)


def order_snapshot(session: Session, order_id: int, channel_id: int) -> OrderSnapshot | None:
    """The order as its details show it, without a lock; None when absent or of another channel.

    The catalog version read with it becomes the session's (note_catalog_version), so that the
    details are told in the words of the catalog of the same snapshot, without another read.
    """
    rows = _snapshot_rows(session, order_id, channel_id)
    if not rows:
        return None
    first = rows[0]
    references = first[_POSITION["order_references"]] or ()
    note_catalog_version(session, first[_POSITION["catalog_version"]])
    order = OrderSnapshot(
        file=FileSnapshot(file_id=first[_POSITION["file_id"]]),
        operations=[],
        references=[ExternalReference(key, value) for key, value in references],
        **{name: first[position] for name, position in _ORDER_AT},
    )
    lines: dict[int, OperationSnapshot] = {}
    for row in rows:
        operation_id = row[_OPERATION_ID]
        if operation_id is None:
            continue  # an order without lines
        line = lines.get(operation_id)
        if line is None:
            line = OperationSnapshot(
                linked_operation=None,
                movements=[],
                **{name: row[position] for name, position in _OPERATION_AT},
            )
            lines[operation_id] = line
            order.operations.append(line)
        if row[_MOVEMENT_ID] is not None:
            line.movements.append(
                MovementSnapshot(**{name: row[position] for name, position in _MOVEMENT_AT})
            )
    for line in order.operations:
        # A charge's line is always in the same order (persistence/mapping.py says so too).
        if line.linked_operation_id is not None:
            line.linked_operation = lines.get(line.linked_operation_id)
    return order
