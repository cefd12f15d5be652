"""On PostgreSQL, a sale reads no table whole, however many orders were sold before it.

A server plans each statement from its statistics of the tables, and those are only as fresh
as its last analyze: right after the catalog load they describe `orders` and `movements` as
empty, and stay so until autovacuum analyses them again (never, on a server running without
autovacuum). Planned on such statistics, the close's write joined its rows to the whole
`movements` and `orders` tables, and reading one order by its id and channel took the
channel's index instead of the primary key: every close and every getOrderDetails read every
order the channel had ever sold, and an on-sale slowed down with each sale. Here every
statement of a create, a close and a read of an order is explained, with its own
parameters, on statistics taken before 5,000 orders were sold.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import psycopg
import pytest
from sqlalchemy import Engine, text

from boxoffice.domain.states import OrderState
from boxoffice.persistence.engine import create_engine_for, create_schema
from boxoffice.persistence.state_history import install_state_history
from boxoffice.persistence.tables import LIVE_ORDERS_OF_CHANNEL_INDEX
from tests.conftest import CHANNEL_ID, NOW, OTHER_PERFORMANCE_ID
from tests.integration.orders_builder import add_seats, barcodes, insert_sold_orders, new_order

pytestmark = pytest.mark.postgres

SOLD_BEFORE = 5_000
# A read in a plan: "Seq Scan on movements target", "Index Scan using pk_orders on orders",
# "Bitmap Index Scan on ix_operations_order_id" (there the name is the index's).
_SCAN = re.compile(
    r"(Seq Scan|Index Scan|Index Only Scan|Bitmap Index Scan|Bitmap Heap Scan)"
    r"(?: using (\S+))? on (\S+)"
)
_TABLES = ("orders", "operations", "movements", "files")
_PLANNED = ("SELECT", "WITH", "UPDATE")


@pytest.fixture
def engine(postgres_url: str) -> Iterator[Engine]:
    """The database as an on-sale leaves it: statistics of the empty tables, then the sales."""
    engine = create_engine_for(postgres_url)
    create_schema(engine)
    install_state_history()  # as bootstrap.py does for the service
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))  # as after the catalog load
        insert_sold_orders(connection, SOLD_BEFORE, performance_id=OTHER_PERFORMANCE_ID)
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def plans_of() -> Iterator[list[str]]:
    """The plan of each statement sent inside the block, as the server makes it for that
    statement's parameters (EXPLAIN runs nothing: no lock taken, no row written). Taken at the
    driver's cursor, where SQLAlchemy's statements and getOrderDetails' own one all pass."""
    plans: list[str] = []
    execute = psycopg.Cursor.execute

    def explained(cursor, query, params=None, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(query, str) and query.lstrip().upper().startswith(_PLANNED):
            execute(cursor, f"EXPLAIN {query}", params)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
        return execute(cursor, query, params, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(psycopg.Cursor, "execute", explained)
        yield plans


def _scans(plans: list[str]) -> list[tuple[str, str]]:
    """(how, what) for each read in the plans: what is a table, or the index read."""
    scans = []
    for plan in plans:
        for match in _SCAN.finditer(plan):
            how, index, name = match.groups()
            scans.append((how, index or name))
    return scans


def test_a_sale_and_a_read_of_its_order_read_no_order_table_whole(engine, uow_factory):
    def sale(seat_ids: list[int]) -> int:
        with uow_factory() as uow:
            order = new_order(uow)
            uow.flush()
            add_seats(uow, order, seat_ids)
            uow.commit()
            assert order.order_id is not None
            return order.order_id

    sale([1, 2])  # the first sale builds the seat map, which reads the performance's seats
    with plans_of() as plans:
        order_id = sale([4, 5])
        with uow_factory() as uow:
            order = uow.orders.get(order_id, CHANNEL_ID)
            assert order is not None and order.close(NOW + timedelta(minutes=2), barcodes())
            uow.commit()
        uow = uow_factory()
        with uow.one_statement_read() as reading:  # getOrderDetails
            snapshot = reading.orders.snapshot(order_id, CHANNEL_ID)
    assert snapshot is not None and snapshot.state is OrderState.CLOSED
    seats = [place.seat_id for line in snapshot.operations for place in line.movements]
    assert seats == [4, 5]

    scans = _scans(plans)
    whole = [what for how, what in scans if how == "Seq Scan" and what in _TABLES]
    assert not whole, "\n\n".join(plans)
    # Orders are read by their key, or by the index of live orders for the hold count; by no
    # index that leaves the rest to a filter (a channel's every order, every order's state).
    indexes = {what for how, what in scans if how not in ("Seq Scan", "Bitmap Heap Scan")}
    order_indexes = {index for index in indexes if "orders" in index}
    assert "pk_orders" in order_indexes, "\n\n".join(plans)
    # The last statement is getOrderDetails' read, sent on the driver's own cursor: by the key.
    assert "LockRows" not in plans[-1] and "using pk_orders" in plans[-1], plans[-1]
    assert order_indexes <= {"pk_orders", LIVE_ORDERS_OF_CHANNEL_INDEX}, "\n\n".join(plans)


def test_the_plans_are_read_from_what_the_server_answers(engine):
    """The check above can fail: a statement that reads a table whole is seen as such."""
    with plans_of() as plans, engine.connect() as connection:
        connection.execute(
            text("SELECT count(*) FROM movements WHERE price > :least"), {"least": 0}
        )
    assert _scans(plans) == [("Seq Scan", "movements")], plans
