"""A sale's new order and its close reach the database whole, in one statement each on
PostgreSQL.

persistence/order_writer.py writes a new order (in a new file or a stored one) and the changed
columns of stored rows itself, with their state history; anything else is left to
SQLAlchemy's flush, which writes everything on SQLite. Both databases must end with the same
rows, and the entities as after any flush.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from boxoffice.domain.files import File
from boxoffice.domain.model import Payment
from boxoffice.domain.states import MovementState, OrderState, PaymentState
from boxoffice.persistence.console_tables import order_state_history
from boxoffice.persistence.state_history import install_state_history
from boxoffice.persistence.tables import files, movements, operations, orders, payments
from tests.conftest import CHANNEL_ID, NOW
from tests.integration.orders_builder import SEAT_PRICE, add_seats, barcodes, new_order
from tests.integration.statements import writes_sent

pytestmark = pytest.mark.usefixtures("engine", "state_history")

CLOSED_AT = NOW + timedelta(minutes=3)


@pytest.fixture
def state_history() -> None:
    install_state_history()  # as bootstrap.py does for the service


def _history(engine, order_id: int) -> list[tuple[str, object]]:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        rows = connection.execute(
            select(order_state_history.c.state, order_state_history.c.changed_at)
            .where(order_state_history.c.order_id == order_id)
            .order_by(order_state_history.c.entry_id)
        ).all()
    return [tuple(row) for row in rows]


def _order_row(engine, order_id: int) -> dict:  # type: ignore[no-untyped-def, type-arg]
    with engine.connect() as connection:
        row = connection.execute(select(orders).where(orders.c.order_id == order_id)).mappings()
        return dict(row.one())


def _places(engine, order_id: int) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
    with engine.connect() as connection:
        rows = connection.execute(
            select(movements.c.seat_id, movements.c.state, movements.c.barcode)
            .join(operations, operations.c.operation_id == movements.c.operation_id)
            .where(operations.c.order_id == order_id)
            .order_by(movements.c.movement_id)
        ).mappings()
        return [dict(row) for row in rows]


def _sold_order(uow_factory, seat_ids: list[int]) -> int:  # type: ignore[no-untyped-def]
    """A running order holding the seats, written and committed as createOrUpdateOrder does."""
    with uow_factory() as uow:
        order = new_order(uow, file=_new_file(uow))
        uow.flush()
        add_seats(uow, order, seat_ids)
        uow.commit()
        assert order.order_id is not None
        return order.order_id


def _new_file(uow) -> File:  # type: ignore[no-untyped-def]
    file = File(CHANNEL_ID, NOW)  # no contacts: the shape a sale's create writes
    uow.orders.add_file(file)
    return file


def test_a_new_order_in_a_new_file_is_stored_with_its_first_state(engine, uow_factory):
    with uow_factory() as uow, writes_sent(engine) as sent:
        order = new_order(uow, file=_new_file(uow))
        uow.flush()
        if engine.dialect.name == "postgresql":
            assert len(sent) == 1, sent  # file, order and history together
            assert "INSERT INTO files" in sent[0] and "INSERT INTO orders" in sent[0]
        # The entities know their ids, as after any flush, and nothing is left to write.
        assert order.order_id is not None and order.file.file_id is not None
        assert not uow.session.new and not uow.session.dirty
        # The same unit of work goes on with the order: a line joins it.
        add_seats(uow, order, [2, 3])
        uow.flush()
        if engine.dialect.name == "postgresql":
            # The order the line touched has nothing left to write: the flush and the commit
            # that follow find nothing to walk through.
            assert not uow.session.new and not uow.session.dirty
        uow.commit()
        order_id, file_id = order.order_id, order.file.file_id

    row = _order_row(engine, order_id)
    assert row["file_id"] == file_id and row["channel_id"] == CHANNEL_ID
    assert row["state"] is OrderState.RUNNING and row["created_at"] == NOW
    assert row["external_reference"] == "EXT-1" and row["expires_at"] is not None
    with engine.connect() as connection:
        file_row = connection.execute(select(files).where(files.c.file_id == file_id)).one()
    assert file_row.channel_id == CHANNEL_ID
    assert _history(engine, order_id) == [("RUNNING", NOW)]
    assert [place["seat_id"] for place in _places(engine, order_id)] == [2, 3]
    with uow_factory() as uow:
        stored = uow.orders.get(order_id, CHANNEL_ID)
        assert stored.sale_amount == 2 * SEAT_PRICE and stored.file.file_id == file_id


def test_a_second_order_of_a_stored_file_joins_it(engine, uow_factory):
    with uow_factory() as uow:
        first = new_order(uow, file=_new_file(uow))
        uow.commit()
        file_id = first.file.file_id

    with uow_factory() as uow, writes_sent(engine) as sent:
        file = uow.orders.get(first.order_id, CHANNEL_ID).file
        second = new_order(uow, file=file)
        uow.commit()
        if engine.dialect.name == "postgresql":
            assert len(sent) == 1 and "INSERT INTO files" not in sent[0], sent
        second_id = second.order_id

    assert second_id != first.order_id
    assert _order_row(engine, second_id)["file_id"] == file_id
    assert _history(engine, second_id) == [("RUNNING", NOW)]
    with engine.connect() as connection:
        in_file = connection.execute(select(orders.c.order_id).where(orders.c.file_id == file_id))
        assert set(in_file.scalars()) == {first.order_id, second_id}


def test_a_close_stores_its_tickets_and_state_in_one_statement(engine, uow_factory):
    order_id = _sold_order(uow_factory, [4, 5])

    with uow_factory() as uow, writes_sent(engine) as sent:
        order = uow.orders.get(order_id, CHANNEL_ID)
        assert order.close(CLOSED_AT, barcodes())
        issued = [m.barcode for m in order.live_movements]
        uow.flush()
        if engine.dialect.name == "postgresql":
            assert len(sent) == 1 and sent[0].startswith("WITH updated_0"), sent
        if engine.dialect.name == "postgresql":
            assert not uow.session.dirty  # written, and settled as written
        uow.commit()

    row = _order_row(engine, order_id)
    assert row["state"] is OrderState.CLOSED
    assert row["closed_at"] == CLOSED_AT and row["updated_at"] == CLOSED_AT
    places = _places(engine, order_id)
    assert [(p["seat_id"], p["state"]) for p in places] == [
        (4, MovementState.SOLD),
        (5, MovementState.SOLD),
    ]
    assert [p["barcode"] for p in places] == issued and len(set(issued)) == 2
    assert _history(engine, order_id) == [("RUNNING", NOW), ("CLOSED", CLOSED_AT)]
    with uow_factory() as uow:
        stored = uow.orders.get(order_id, CHANNEL_ID)
        assert stored.state is OrderState.CLOSED
        # Closed once: a second close changes nothing and writes nothing.
        with writes_sent(engine) as sent:
            assert not stored.close(CLOSED_AT, barcodes())
            uow.commit()
        assert sent == []
    assert _history(engine, order_id) == [("RUNNING", NOW), ("CLOSED", CLOSED_AT)]


def test_a_close_with_a_payment_is_left_to_the_flush_and_stores_the_same(engine, uow_factory):
    order_id = _sold_order(uow_factory, [6])

    with uow_factory() as uow:
        order = uow.orders.get(order_id, CHANNEL_ID)
        assert order.close(CLOSED_AT, barcodes(), [Payment(payment_method_id=1, amount=SEAT_PRICE)])
        uow.commit()

    row = _order_row(engine, order_id)
    assert row["state"] is OrderState.CLOSED and row["paid_amount"] == SEAT_PRICE
    assert row["payment_state"] is PaymentState.PAID
    with engine.connect() as connection:
        paid = connection.execute(
            select(payments.c.amount, payments.c.state).where(payments.c.order_id == order_id)
        ).all()
    assert [tuple(p) for p in paid] == [(SEAT_PRICE, PaymentState.PAID)]
    assert [p["state"] for p in _places(engine, order_id)] == [MovementState.SOLD]
    assert _history(engine, order_id) == [("RUNNING", NOW), ("CLOSED", CLOSED_AT)]


def test_a_new_order_whose_file_has_contacts_is_left_to_the_flush(engine, uow_factory):
    with uow_factory() as uow:
        order = new_order(uow)  # the builder's file carries a contact
        uow.commit()
        order_id = order.order_id

    assert _history(engine, order_id) == [("RUNNING", NOW)]
    with uow_factory() as uow:
        stored = uow.orders.get(order_id, CHANNEL_ID)
        assert [c.last_name for c in stored.file.contacts] == ["Lovelace"]


def test_an_order_settled_after_its_close_still_writes_what_changes_next(engine, uow_factory):
    order_id = _sold_order(uow_factory, [7])

    with uow_factory() as uow:
        order = uow.orders.get(order_id, CHANNEL_ID)
        assert order.close(CLOSED_AT, barcodes())
        uow.flush()
        # Changed after the writer wrote (and settled) it: the next flush must still see it,
        # and lazy relations still load.
        order.external_reference = "AFTER-CLOSE"
        assert uow.session.is_modified(order)
        assert order.payments == [] and order.file.file_id is not None
        uow.commit()

    row = _order_row(engine, order_id)
    assert row["state"] is OrderState.CLOSED and row["external_reference"] == "AFTER-CLOSE"
    assert _history(engine, order_id) == [("RUNNING", NOW), ("CLOSED", CLOSED_AT)]
