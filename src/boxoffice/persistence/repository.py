"""Orders and files in the database, each order locked by the transaction that reads it
(unless the transaction only reads)."""

from __future__ import annotations

import functools
import json
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, Text, bindparam, cast, func, select
from sqlalchemy.orm import Session, defaultload, joinedload, lazyload

from boxoffice.domain.files import File
from boxoffice.domain.lines import Operation
from boxoffice.domain.model import Order
from boxoffice.domain.records import ReferenceOwnerKind
from boxoffice.domain.states import LIVE_ORDER_STATES, MovementState
from boxoffice.persistence.catalog_repository import CATALOG_VERSION, note_catalog_version
from boxoffice.persistence.held_places import count_held_places
from boxoffice.persistence.order_snapshots import ORDER_REFERENCES, OrderSnapshot, order_snapshot
from boxoffice.persistence.records import note_references
from boxoffice.persistence.tables import files, movements, operations, orders


class SqlOrderRepository:
    """The OrderRepository of the service layer, on one SQLAlchemy session."""

    def __init__(self, session: Session, *, locking: bool = True) -> None:
        self.session = session
        # False in a read-only transaction: orders are read from its snapshot, unlocked.
        self.locking = locking

    def add_file(self, file: File) -> None:
        self.session.add(file)

    def add(self, order: Order) -> None:
        self.session.add(order)

    def get(self, order_id: int, channel_id: int) -> Order | None:
        """The order, locked for this transaction; None when absent or of another channel."""
        return self._locked_one({"order_id": order_id, "channel_id": channel_id})

    def snapshot(self, order_id: int, channel_id: int) -> OrderSnapshot | None:
        """The order as its details show it, read-only and unlocked (order_snapshots.py)."""
        return order_snapshot(self.session, order_id, channel_id)

    def get_unscoped(self, order_id: int) -> Order | None:
        """The order whatever its channel, locked: for system work such as the expiry sweep."""
        return self._locked_one({"order_id": order_id})

    def get_by_secret(self, secret_id: str, channel_id: int) -> Order | None:
        return self._locked_one({"secret_id": secret_id, "channel_id": channel_id})

    def file(self, file_id: int, channel_id: int) -> File | None:
        statement = select(File).where(files.c.file_id == file_id, files.c.channel_id == channel_id)
        return self.session.scalars(statement).one_or_none()

    def orders_of_file(self, file_id: int) -> Sequence[Order]:
        statement = select(Order).where(orders.c.file_id == file_id).order_by(orders.c.order_id)
        return list(self.session.scalars(statement))

    def due_to_expire(self, now: datetime, limit: int) -> Sequence[int]:
        """Ids of live orders whose deadline has passed, oldest deadline first."""
        statement = (
            select(orders.c.order_id)
            .where(
                orders.c.state.in_([state.value for state in LIVE_ORDER_STATES]),
                orders.c.expires_at <= now,
            )
            .order_by(orders.c.expires_at, orders.c.order_id)
            .limit(limit)
        )
        return list(self.session.scalars(statement))

    def order_id_of_operation(self, operation_id: int, channel_id: int) -> int | None:
        """The order holding an operation, when that order is of the channel."""
        statement = (
            select(operations.c.order_id)
            .join(orders, orders.c.order_id == operations.c.order_id)
            .where(operations.c.operation_id == operation_id, orders.c.channel_id == channel_id)
        )
        return self.session.scalars(statement).one_or_none()

    def live_seat_states(self, performance_id: int) -> dict[int, MovementState]:
        """Seat id -> state (RESERVED or SOLD) of every live seat movement of a performance."""
        statement = select(movements.c.seat_id, movements.c.state).where(
            movements.c.performance_id == performance_id,
            movements.c.state != MovementState.RELEASED,
            movements.c.seat_id.is_not(None),
        )
        return {row.seat_id: row.state for row in self.session.execute(statement)}

    def changed_products(self, since: datetime) -> dict[int, datetime]:
        """Product id -> the last change after `since` of an order holding that product.

        Every change of an order's places (hold, release, close, abandon, expiry) moves its
        updated_at, so a product absent here has had no change of availability since then.
        """
        statement = (
            select(operations.c.product_id, func.max(orders.c.updated_at))
            .join(orders, orders.c.order_id == operations.c.order_id)
            .where(orders.c.updated_at > since, operations.c.product_id.is_not(None))
            .group_by(operations.c.product_id)
        )
        return {product_id: last for product_id, last in self.session.execute(statement)}

    def held_places(
        self, channel_id: int, performance_ids: Collection[int], item_ids: Collection[int]
    ) -> tuple[dict[int, int], dict[int, int]]:
        """Places per performance and units per item that the channel's live orders hold."""
        held = count_held_places(self.session, channel_id, performance_ids, item_ids)
        return held.places, held.units

    def _locked_one(self, matching: dict[str, Any]) -> Order | None:
        """The one order whose columns have the values of `matching`."""
        # SQLite needs no row lock: BEGIN IMMEDIATE already made this transaction the only writer.
        lock = self.locking and self.session.get_bind().dialect.name != "sqlite"
        statement = _order_statement(tuple(matching), lock)
        row = self.session.execute(statement, matching).unique().one_or_none()
        if row is None:
            return None
        note_catalog_version(self.session, row.catalog_version)
        order: Order = row[0]
        assert order.order_id is not None
        references = json.loads(row.order_references) if row.order_references else None
        note_references(self.session, ReferenceOwnerKind.ORDER, order.order_id, references)
        return order


# As text: the rows of an order with its lines are made unique, and a JSON value is not
# hashable.
_REFERENCES_AS_TEXT = cast(ORDER_REFERENCES.element, Text).label("order_references")


@functools.cache
def _order_statement(columns: tuple[str, ...], lock: bool) -> Select[Any]:
    """The statement reading one order by `columns`, built once: the hot path runs it every call,
    and building and keying it each time cost a good part of running it. Built on first use
    because the mapping (start_mappers) must exist first."""
    # The catalog version and the order's external references come along (scalar subqueries),
    # so that the use case's catalog reads and its answer's references (closeOrder's details)
    # need no round trip of their own (note_catalog_version, note_references).
    statement = select(
        Order, CATALOG_VERSION.scalar_subquery().label("catalog_version"), _REFERENCES_AS_TEXT
    ).where(*(orders.c[column] == bindparam(column) for column in columns))
    if lock:
        statement = statement.with_for_update(of=orders)
    # Reread the row under the lock even if an earlier read of this transaction cached it.
    # Its lines and their movements come in the same round trip (they are always used).
    # Its payments and its file's contacts are read only if touched: a read, a sale and a
    # close without payment never do (two statements fewer each), and the use cases that
    # do touch them (payments, purchasers, expiry) do so before any seat map is locked.
    return statement.options(
        joinedload(Order.operations).joinedload(Operation.movements),  # type: ignore[misc,arg-type]
        lazyload(Order.payments),  # type: ignore[misc,arg-type]
        defaultload(Order.file).lazyload(File.contacts),  # type: ignore[misc,arg-type]
    ).execution_options(populate_existing=True)
