"""The unit of work: all or nothing, and the database's refusals told as business refusals."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from boxoffice.domain.errors import NoAvailability, SeatUnavailable
from boxoffice.domain.states import OrderState
from boxoffice.persistence.tables import movements, orders, stocks
from tests.conftest import CHANNEL_ID, ITEM_ID, NOW
from tests.integration.orders_builder import add_items, add_seats, new_order
from tests.integration.statements import prepared_statements


def _count(engine, table) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def test_leaving_without_commit_keeps_nothing(engine, uow_factory):
    with uow_factory() as uow:
        order = new_order(uow)
        add_seats(uow, order, [1, 2])
        uow.flush()
    assert _count(engine, orders) == 0
    assert _count(engine, movements) == 0


def test_an_error_inside_the_block_keeps_nothing(engine, uow_factory):
    with pytest.raises(RuntimeError), uow_factory() as uow:
        new_order(uow)
        uow.flush()
        raise RuntimeError("the service gave up")
    assert _count(engine, orders) == 0


def test_flush_gives_ids_before_commit(uow_factory):
    with uow_factory() as uow:
        order = new_order(uow)
        operation = add_seats(uow, order, [1])
        uow.flush()
        assert order.order_id is not None
        assert operation.operation_id is not None
        assert operation.movements[0].movement_id is not None


def test_what_was_read_stays_readable_after_commit(uow_factory):
    with uow_factory() as uow:
        order = new_order(uow)
        add_seats(uow, order, [1, 2])
        uow.commit()
    assert order.state is OrderState.RUNNING
    assert [m.seat_id for m in order.live_movements] == [1, 2]
    assert order.file.contacts[0].email == "ada@example.org"


def test_a_seat_sold_meanwhile_by_another_process_is_refused_at_commit(
    engine, uow_factory, make_uow_factory
):
    other_process = make_uow_factory(engine)
    with uow_factory() as uow:
        add_seats(uow, new_order(uow), [4])
        uow.commit()

    with pytest.raises(SeatUnavailable), other_process() as uow:
        # A buggy caller skips the seat map; the database still says no.
        add_seats(uow, new_order(uow), [4], use_seat_map=False)
        uow.commit()
    assert _count(engine, orders) == 1


def test_a_seat_refused_by_the_database_at_flush_rolls_everything_back(engine, uow_factory):
    with uow_factory() as uow:
        add_seats(uow, new_order(uow), [4])
        uow.commit()

    with uow_factory() as uow:
        new_order(uow)
        uow.flush()
        order = new_order(uow)
        add_seats(uow, order, [4], use_seat_map=False)
        with pytest.raises(SeatUnavailable):
            uow.flush()
    assert _count(engine, orders) == 1


def test_a_refusal_surfacing_from_an_automatic_flush_is_still_a_refusal(engine, uow_factory):
    with uow_factory() as uow:
        add_seats(uow, new_order(uow), [4])
        uow.commit()

    with pytest.raises(SeatUnavailable), uow_factory() as uow:
        add_seats(uow, new_order(uow), [4], use_seat_map=False)
        uow.orders.due_to_expire(NOW, limit=1)  # a query flushes what is pending first
    assert _count(engine, orders) == 1


def test_a_stock_taken_past_its_capacity_is_refused_at_commit(engine, uow_factory, catalog):
    with uow_factory() as uow:
        add_items(uow, new_order(uow), 2)
        uow.commit()

    with pytest.raises(NoAvailability), uow_factory() as uow:
        stock = uow.inventory.item_stock(catalog.item(ITEM_ID))
        stock.taken += 1  # a buggy caller skips Stock.take; the CHECK still says no
        uow.commit()
    with engine.connect() as connection:
        assert connection.execute(select(stocks.c.taken)).scalar_one() == 2


def test_other_integrity_errors_are_not_disguised_as_refusals(uow_factory):
    with uow_factory() as uow:
        first = new_order(uow)
        uow.commit()

    with pytest.raises(IntegrityError), uow_factory() as uow:
        second = new_order(uow)
        second.secret_id = first.secret_id
        uow.commit()


def test_a_unit_of_work_can_be_used_for_one_transaction_after_another(uow_factory):
    uow = uow_factory()
    with uow:
        order = new_order(uow)
        uow.commit()
    with uow:
        again = uow.orders.get(order.order_id, CHANNEL_ID)
        assert again is not None and again is not order
        add_seats(uow, again, [7])
        uow.commit()
    with uow:
        assert [m.seat_id for m in uow.orders.get(order.order_id, CHANNEL_ID).live_movements] == [7]


def test_an_explicit_rollback_forgets_the_changes(engine, uow_factory):
    with uow_factory() as uow:
        new_order(uow)
        uow.rollback()
        uow.commit()
    assert _count(engine, orders) == 0


@pytest.mark.postgres
def test_a_read_only_unit_of_work_leaves_the_connection_s_prepared_statements(
    one_connection_engine, make_uow_factory
):
    """psycopg prepares a statement run often on a connection, and forgets every one at each
    rollback of that connection. The expiry sweep reads in a read-only unit of work once a
    second in each worker: ended by a rollback, it made the next sales on its connection parse
    and plan all their statements again."""
    engine = one_connection_engine
    uow_factory = make_uow_factory(engine)
    with uow_factory() as uow:
        order = new_order(uow)
        add_seats(uow, order, [1, 2])
        uow.commit()
    for _ in range(8):  # psycopg prepares a statement at its fifth run
        with uow_factory() as uow:
            assert uow.orders.get(order.order_id, CHANNEL_ID) is not None
            uow.commit()

    locked_read = [
        text
        for text in prepared_statements(engine)
        if "FROM orders" in text and "FOR UPDATE" in text
    ]
    assert len(locked_read) == 1, prepared_statements(engine)
    with uow_factory().read_only() as uow:  # the sweep's read
        assert list(uow.orders.due_to_expire(NOW, 10)) == []
    assert locked_read[0] in prepared_statements(engine)
    # A read that failed still ends with a rollback, as any transaction in error must.
    with pytest.raises(RuntimeError), uow_factory().read_only() as uow:
        uow.orders.due_to_expire(NOW, 10)
        raise RuntimeError("the sweep gave up")
    assert locked_read[0] not in prepared_statements(engine)
