"""Orders, files, operations and movements survive a round trip through the database."""

from __future__ import annotations

from datetime import UTC, timedelta

import psycopg
import pytest
from sqlalchemy import delete, insert, text
from sqlalchemy.orm import class_mapper

from boxoffice.domain.catalog import Seat
from boxoffice.domain.files import Contact, File
from boxoffice.domain.lines import ChangeSet, Movement, Operation, Place
from boxoffice.domain.model import Order
from boxoffice.domain.records import ReferenceOwnerKind
from boxoffice.domain.states import MovementState, OperationKind, OperationState, OrderState
from boxoffice.persistence.catalog_repository import CatalogCache, SqlCatalogRepository
from boxoffice.persistence.catalog_tables import catalog_meta
from boxoffice.persistence.held_places import HELD_PLACES, HELD_PLACES_SQL
from boxoffice.persistence.tables import LIVE_ORDERS_OF_CHANNEL_INDEX
from boxoffice.service.read_models import order_details_view
from tests.conftest import (
    CHANNEL_ID,
    EXPIRY,
    ITEM_ID,
    NOW,
    ORDER_FEE,
    OTHER_CHANNEL_ID,
    PERFORMANCE_ID,
    STANDING_AREA_ID,
    TICKET_FEE,
)
from tests.integration.orders_builder import (
    add_charges,
    add_items,
    add_seats,
    add_standing,
    barcodes,
    insert_sold_orders,
    new_order,
)
from tests.integration.statements import statements_sent, wire_statements

pytestmark = pytest.mark.usefixtures("engine")


def _saved_order(uow_factory, seat_ids=(2, 3), *, every_kind=True) -> int:  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        order = new_order(uow)
        add_seats(uow, order, list(seat_ids))
        if every_kind:
            add_standing(uow, order, 2)
            add_items(uow, order, 1)
        add_charges(order)
        uow.commit()
        assert order.order_id is not None
        return order.order_id


def test_an_order_comes_back_with_its_lines_movements_and_charges(uow_factory):
    order_id = _saved_order(uow_factory)

    with uow_factory() as uow:
        order = uow.orders.get(order_id, CHANNEL_ID)
        assert order is not None
        assert order.state is OrderState.RUNNING
        assert order.created_at == NOW and order.created_at.tzinfo is not None
        assert order.expires_at == NOW + timedelta(seconds=EXPIRY.inactivity_seconds)
        assert order.file.contacts[0].last_name == "Lovelace"
        assert [op.kind for op in order.operations] == [
            OperationKind.SEAT,
            OperationKind.AREA,
            OperationKind.ITEM,
            OperationKind.CHARGE,
            OperationKind.CHARGE,
            OperationKind.CHARGE,
        ]
        seats, standing, items = order.line_operations
        assert [(m.seat_id, m.row_number, m.seat_number) for m in seats.movements] == [
            (2, "A", "2"),
            (3, "A", "3"),
        ]
        assert [m.area_id for m in standing.movements] == [STANDING_AREA_ID] * 2
        assert [m.item_id for m in items.movements] == [ITEM_ID]
        assert all(m.state is MovementState.RESERVED for m in order.live_movements)
        charges = [op for op in order.operations if op.is_charge]
        assert {(c.charge_id, c.linked_operation) for c in charges} == {
            (TICKET_FEE.charge_id, seats),
            (TICKET_FEE.charge_id, standing),
            (ORDER_FEE.charge_id, seats),
        }
        assert order.sale_amount == 2 * 45000 + 2 * 45000 + 5000 + 4 * 1500 + 2000


def test_ids_increase_in_the_order_the_lines_were_added(uow_factory):
    order_id = _saved_order(uow_factory)

    with uow_factory() as uow:
        order = uow.orders.get(order_id, CHANNEL_ID)
        operation_ids = [op.operation_id for op in order.operations]
        movement_ids = [m.movement_id for op in order.operations for m in op.movements]
        assert operation_ids == sorted(operation_ids)
        assert movement_ids == sorted(movement_ids)


def test_every_attribute_the_domain_sets_is_stored(uow_factory):
    seat = Seat(1, 10, 1, "A", "1", 5)
    fresh = {
        File: File(CHANNEL_ID, NOW),
        Contact: Contact("C-1"),
        Movement: Movement(Place.for_seat(seat), performance_id=1, contingent_id=1, price=1),
        Operation: Operation(kind=OperationKind.SEAT, unit_price=1),
    }
    with uow_factory() as uow:
        fresh[Order] = new_order(uow)
        for domain_class, instance in fresh.items():
            mapped = set(class_mapper(domain_class).attrs.keys())
            set_by_init = {name for name in vars(instance) if not name.startswith("_")}
            assert set_by_init <= mapped, domain_class.__name__


def test_a_closed_order_keeps_its_tickets(uow_factory):
    order_id = _saved_order(uow_factory)
    with uow_factory() as uow:
        order = uow.orders.get(order_id, CHANNEL_ID)
        assert order.close(NOW, barcodes())
        uow.commit()

    with uow_factory() as uow:
        order = uow.orders.get(order_id, CHANNEL_ID)
        assert order.state is OrderState.CLOSED
        assert order.closed_at == NOW
        codes = [m.barcode for m in order.live_movements]
        assert len(codes) == 5 and None not in codes and len(set(codes)) == 5
        assert {m.state for m in order.live_movements} == {MovementState.SOLD}


def test_a_cancelled_line_stays_in_the_order_with_its_released_movements(uow_factory):
    order_id = _saved_order(uow_factory)
    with uow_factory() as uow:
        order = uow.orders.get(order_id, CHANNEL_ID)
        seats = order.line_operations[0]
        order.cancel_operations([seats], NOW, EXPIRY, ChangeSet())
        uow.commit()

    with uow_factory() as uow:
        order = uow.orders.get(order_id, CHANNEL_ID)
        seats = order.operations[0]
        assert seats.state is OperationState.CANCELLED
        assert [m.state for m in seats.movements] == [MovementState.RELEASED] * 2
        assert seats not in order.line_operations


def test_another_channel_cannot_see_the_order_or_its_file(uow_factory):
    with uow_factory() as uow:
        order = new_order(uow)
        uow.commit()
        order_id, secret_id, file_id = order.order_id, order.secret_id, order.file.file_id

    with uow_factory() as uow:
        assert uow.orders.get(order_id, OTHER_CHANNEL_ID) is None
        assert uow.orders.get_by_secret(secret_id, OTHER_CHANNEL_ID) is None
        assert uow.orders.file(file_id, OTHER_CHANNEL_ID) is None
        assert uow.orders.get(order_id, CHANNEL_ID) is not None
        assert uow.orders.get_by_secret(secret_id, CHANNEL_ID).order_id == order_id
        assert uow.orders.file(file_id, CHANNEL_ID) is not None
        assert uow.orders.get_unscoped(order_id).channel_id == CHANNEL_ID


def test_a_missing_order_is_none(uow_factory):
    with uow_factory() as uow:
        assert uow.orders.get(424242, CHANNEL_ID) is None
        assert uow.orders.get_unscoped(424242) is None


def test_the_orders_of_a_file_are_listed_in_creation_order(uow_factory):
    with uow_factory() as uow:
        first = new_order(uow)
        second = new_order(uow, file=first.file)
        other = new_order(uow)
        uow.commit()
        file_id = first.file.file_id

    with uow_factory() as uow:
        listed = [order.order_id for order in uow.orders.orders_of_file(file_id)]
    assert listed == [first.order_id, second.order_id]
    assert other.order_id not in listed


def test_contacts_added_to_a_file_are_kept_once(uow_factory):
    with uow_factory() as uow:
        order = new_order(uow)
        uow.commit()
        file_id = order.file.file_id

    with uow_factory() as uow:
        file = uow.orders.file(file_id, CHANNEL_ID)
        file.add_contacts([Contact("C-1"), Contact("C-2", email="bob@example.org")], NOW)
        uow.commit()

    with uow_factory() as uow:
        file = uow.orders.file(file_id, CHANNEL_ID)
        assert [c.contact_reference for c in file.contacts] == ["C-1", "C-2"]


def test_the_expiry_sweep_finds_live_orders_past_their_deadline_oldest_first(uow_factory):
    starts = [NOW + timedelta(minutes=minutes) for minutes in (10, 0, 20, 5, 100)]
    with uow_factory() as uow:
        orders = [new_order(uow, now=start) for start in starts]
        add_seats(uow, orders[3], [9])
        orders[3].validate(starts[3], EXPIRY)
        add_seats(uow, orders[0], [1])
        orders[0].close(starts[0], barcodes())
        uow.commit()
        ids = [order.order_id for order in orders]

    sweep_time = NOW + timedelta(minutes=40)
    with uow_factory() as uow:
        due = uow.orders.due_to_expire(sweep_time, limit=10)
        assert due == [ids[1], ids[3], ids[2]]
        assert uow.orders.due_to_expire(sweep_time, limit=2) == [ids[1], ids[3]]
        assert uow.orders.due_to_expire(NOW, limit=10) == []
        assert uow.orders.due_to_expire(NOW + timedelta(minutes=15), limit=10) == [ids[1]]


def test_an_expired_order_is_no_longer_due(uow_factory):
    with uow_factory() as uow:
        order = new_order(uow)
        add_seats(uow, order, [4])
        uow.commit()
        order_id = order.order_id

    later = NOW + timedelta(hours=2)
    with uow_factory() as uow:
        order = uow.orders.get_unscoped(order_id)
        order.expire(later)
        uow.commit()

    with uow_factory() as uow:
        assert uow.orders.due_to_expire(later, limit=10) == []
        order = uow.orders.get(order_id, CHANNEL_ID)
        assert order.state is OrderState.EXPIRED
        assert order.updated_at == later.astimezone(UTC)


def test_movements_remember_their_performance(uow_factory):
    with uow_factory() as uow:
        order = new_order(uow)
        add_seats(uow, order, [5])
        uow.commit()
        order_id = order.order_id
    with uow_factory() as uow:
        (movement,) = uow.orders.get(order_id, CHANNEL_ID).live_movements
        assert movement.performance_id == PERFORMANCE_ID
        assert movement.kind is OperationKind.SEAT


def _details_of(uow, order):  # type: ignore[no-untyped-def]
    channel = uow.catalog.sales_channel(CHANNEL_ID)
    currency = uow.catalog.institution().currency
    return order_details_view(order, channel, currency, [], uow.catalog.names())


def _order_in_each_shape(uow_factory) -> list[int]:  # type: ignore[no-untyped-def]
    """Running with every kind of line; closed with tickets; with a cancelled line; abandoned;
    expired; empty."""
    running = _saved_order(uow_factory, (1, 2))
    closed, cancelled, abandoned, expired = (
        _saved_order(uow_factory, (first, first + 1), every_kind=False) for first in (3, 5, 7, 9)
    )
    with uow_factory() as uow:
        assert uow.orders.get(closed, CHANNEL_ID).close(NOW, barcodes())
        order = uow.orders.get(cancelled, CHANNEL_ID)
        order.cancel_operations([order.line_operations[0]], NOW, EXPIRY, ChangeSet())
        uow.orders.get(abandoned, CHANNEL_ID).abandon(NOW)
        uow.orders.get(expired, CHANNEL_ID).expire(NOW + timedelta(days=1))
        empty = new_order(uow)
        uow.commit()
    return [running, closed, cancelled, abandoned, expired, empty.order_id]


def test_the_snapshot_of_an_order_shows_the_same_details_as_the_order(uow_factory):
    order_ids = _order_in_each_shape(uow_factory)

    with uow_factory() as uow:
        for order_id in order_ids:
            entity_details = _details_of(uow, uow.orders.get(order_id, CHANNEL_ID))
            snapshot = uow.orders.snapshot(order_id, CHANNEL_ID)
            assert _details_of(uow, snapshot) == entity_details, order_id
            assert snapshot.is_due_to_expire(NOW + timedelta(days=1)) == uow.orders.get(
                order_id, CHANNEL_ID
            ).is_due_to_expire(NOW + timedelta(days=1))
    # The shapes differ where they should: lines, states, amounts, tickets.
    with uow_factory() as uow:
        states = [uow.orders.snapshot(order_id, CHANNEL_ID).state for order_id in order_ids]
        assert states == [
            OrderState.RUNNING,
            OrderState.CLOSED,
            OrderState.RUNNING,
            OrderState.ABANDONED,
            OrderState.EXPIRED,
            OrderState.RUNNING,
        ]
        closed = _details_of(uow, uow.orders.snapshot(order_ids[1], CHANNEL_ID))
        assert len(closed.movement_datas) == 2
        assert all(movement.barcode for movement in closed.movement_datas)
        running = _details_of(uow, uow.orders.snapshot(order_ids[0], CHANNEL_ID))
        charges = [op for op in running.operation_datas if op.kind == "CHARGE"]
        assert len(charges) == 3 and all(op.linked_operation_id for op in charges[:2])
        assert running.sale_amount == 2 * 45000 + 2 * 45000 + 5000 + 4 * 1500 + 2000
        empty = _details_of(uow, uow.orders.snapshot(order_ids[5], CHANNEL_ID))
        assert (empty.operation_datas, empty.movement_datas, empty.sale_amount) == ([], [], 0)


def test_no_snapshot_of_an_order_of_another_channel_or_of_none(uow_factory):
    order_id = _saved_order(uow_factory)

    with uow_factory() as uow:
        assert uow.orders.snapshot(order_id, OTHER_CHANNEL_ID) is None
        assert uow.orders.snapshot(order_id + 1000, CHANNEL_ID) is None
        assert uow.orders.snapshot(order_id, CHANNEL_ID).order_id == order_id


def test_the_snapshot_holds_the_order_s_references_as_the_records_give_them(uow_factory):
    order_id, other_id, bare_id = (
        _saved_order(uow_factory, (first, first + 1), every_kind=False) for first in (2, 4, 6)
    )
    pairs = {"b": "2", "A": "1", "a": "3", "Z-9": "4", "é": "5", "_": ""}
    with uow_factory() as uow:
        uow.records.replace_references(ReferenceOwnerKind.ORDER, order_id, pairs)
        uow.records.replace_references(ReferenceOwnerKind.ORDER, other_id, {"crm": "other"})
        file_id = uow.orders.get(bare_id, CHANNEL_ID).file.file_id
        # A file's references are the file's, even when its id is an order's id.
        uow.records.replace_references(ReferenceOwnerKind.FILE, bare_id, {"file": "x"})
        uow.records.replace_references(ReferenceOwnerKind.FILE, file_id, {"file": "y"})
        uow.commit()

    with uow_factory().one_statement_read() as reading:
        snapshot = reading.orders.snapshot(order_id, CHANNEL_ID)
        records = reading.records.references(ReferenceOwnerKind.ORDER, order_id)
        assert snapshot.references == records  # same pairs, same order (the database's)
        assert {reference.key: reference.value for reference in records} == pairs
        assert reading.orders.snapshot(bare_id, CHANNEL_ID).references == []
        assert [r.value for r in reading.orders.snapshot(other_id, CHANNEL_ID).references] == [
            "other"
        ]


def test_the_locked_read_of_an_order_brings_its_references_along(engine, uow_factory):
    order_id, other_id = (_saved_order(uow_factory, (first,), every_kind=False) for first in (2, 4))
    pairs = {"b": "2", "A": "1", "é": "5"}
    with uow_factory() as uow:
        uow.records.replace_references(ReferenceOwnerKind.ORDER, order_id, pairs)
        uow.records.replace_references(ReferenceOwnerKind.FILE, order_id, {"file": "x"})
        uow.commit()
    with uow_factory().one_statement_read() as reading:
        stored = reading.records.references(ReferenceOwnerKind.ORDER, order_id)

    with statements_sent(engine) as sent, uow_factory() as uow:
        uow.orders.get(order_id, CHANNEL_ID)
        uow.orders.get(other_id, CHANNEL_ID)
        # closeOrder's answer shows them: no round trip of their own, the database's order.
        assert uow.records.references(ReferenceOwnerKind.ORDER, order_id) == stored
        assert uow.records.references(ReferenceOwnerKind.ORDER, other_id) == []
        reads = [statement for statement in sent if not statement.startswith("BEGIN")]
        assert len(reads) == 2, sent
        # A file's references are not its order's; changed ones are read again.
        assert [r.value for r in uow.records.references(ReferenceOwnerKind.FILE, order_id)] == ["x"]
        uow.records.replace_references(ReferenceOwnerKind.ORDER, order_id, {"crm": "42"})
        changed = uow.records.references(ReferenceOwnerKind.ORDER, order_id)
        assert [(r.key, r.value) for r in changed] == [("crm", "42")]


def test_a_one_statement_read_sends_one_statement_and_opens_no_transaction(engine, uow_factory):
    order_id = _saved_order(uow_factory)
    with statements_sent(engine) as sent, uow_factory().one_statement_read() as reading:
        driver = reading.session.connection().connection.dbapi_connection
        if engine.dialect.name == "postgresql":
            # On PostgreSQL the snapshot is read on the driver's cursor (order_snapshots.py):
            # what counts is what reaches the server.
            with wire_statements(driver) as sent:
                assert reading.orders.snapshot(order_id, CHANNEL_ID).order_id == order_id
        else:
            assert reading.orders.snapshot(order_id, CHANNEL_ID).order_id == order_id
        if engine.dialect.name == "postgresql":
            # No BEGIN went out: the server sees the connection idle, not in a transaction.
            assert driver.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        else:
            assert not driver.in_transaction
        with pytest.raises(RuntimeError):
            reading.commit()
    assert len(sent) == 1 and sent[0].lstrip().upper().startswith("SELECT"), sent

    # The connection goes back to the pool as it came: the next unit of work on it, a writing
    # one, runs in a transaction again, not statement by statement.
    with uow_factory() as uow:
        uow.orders.get(order_id, CHANNEL_ID)
        again = uow.session.connection().connection.dbapi_connection
        assert again is driver
        if engine.dialect.name == "postgresql":
            assert not again.autocommit
            assert again.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
        else:
            assert again.in_transaction


def test_the_locked_read_of_an_order_brings_the_catalog_version_along(engine, uow_factory):
    order_id = _saved_order(uow_factory)
    with engine.begin() as connection:
        # A version no default could give: the catalog was loaded again and again.
        connection.execute(delete(catalog_meta))
        connection.execute(insert(catalog_meta).values(meta_key=1, version=41))
    loaded = 41
    with statements_sent(engine) as sent, uow_factory() as uow:
        order = uow.orders.get(order_id, CHANNEL_ID)
        assert order is not None and order.order_id == order_id
        # A closeOrder's catalog reads start from this version: no round trip of its own.
        catalog = SqlCatalogRepository(uow.session, CatalogCache())
        assert catalog.version == loaded
    # SQLite's BEGIN IMMEDIATE goes out as a statement too.
    reads = [statement for statement in sent if not statement.startswith("BEGIN")]
    assert len(reads) == 1 and "catalog_meta" in reads[0], sent


@pytest.mark.parametrize("analysed", ["before the sales", "after the sales"])
def test_counting_a_channel_s_held_places_reads_only_that_channel_s_live_orders(engine, analysed):
    """Every sale counts its channel's holds under the performance's locks. At an on-sale with
    thousands of closed orders and other resellers' open carts, reading those there would make
    every sale of the performance wait (SQLite read every order; PostgreSQL every live one).
    Whatever the statistics say: until the server analyses the table again (never, without
    autovacuum) they describe it as the catalog load left it, empty of orders."""
    with engine.begin() as connection:
        if analysed == "before the sales":
            connection.execute(text("ANALYZE"))
        insert_sold_orders(connection, 5_000)
        if analysed == "after the sales":
            connection.execute(text("ANALYZE"))
        statement = HELD_PLACES.params(
            channel_id=CHANNEL_ID, performance_ids=[PERFORMANCE_ID], item_ids=[ITEM_ID]
        ).compile(
            dialect=engine.dialect,
            compile_kwargs={"literal_binds": True, "render_postcompile": True},
        )
        explain = "EXPLAIN" if engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN"
        plan = "\n".join(str(row[-1]) for row in connection.execute(text(f"{explain} {statement}")))
        held = connection.execute(
            HELD_PLACES,
            {"channel_id": CHANNEL_ID, "performance_ids": [PERFORMANCE_ID], "item_ids": []},
        ).all()
    assert [tuple(row) for row in held] == [(PERFORMANCE_ID, None, 2)]
    assert LIVE_ORDERS_OF_CHANNEL_INDEX in plan, plan
    assert "Seq Scan on orders" not in plan and "SCAN orders" not in plan, plan
    if engine.dialect.name == "postgresql":
        # The same count as a sale's line-writing statement carries it (line_writer.py).
        bound = {"channel_id": CHANNEL_ID, "performance_ids": [PERFORMANCE_ID], "item_ids": []}
        with engine.connect() as connection:
            plan = "\n".join(
                row[0]
                for row in connection.execute(text(f"EXPLAIN ANALYZE {HELD_PLACES_SQL}"), bound)
            )
            held = connection.execute(text(HELD_PLACES_SQL), bound).all()
        assert [tuple(row) for row in held] == [(PERFORMANCE_ID, None, 2)]
        assert LIVE_ORDERS_OF_CHANNEL_INDEX in plan and "Seq Scan on orders" not in plan, plan
        # Read, not only named: the closed sales and the other channel's carts were never
        # fetched to be filtered out (a (channel_id, state) index with its state filtered did).
        assert "Rows Removed by Filter" not in plan, plan
