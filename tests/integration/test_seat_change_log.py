"""Seat maps catch up with other processes through the change log, and reads lock nothing."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from boxoffice.domain.errors import ResourceBusy
from boxoffice.domain.lines import ChangeSet
from boxoffice.domain.states import MovementState
from boxoffice.persistence import seat_change_log
from boxoffice.persistence.engine import create_engine_for
from boxoffice.persistence.inventory import SeatMapCache
from boxoffice.persistence.tables import performance_inventory, seat_changes
from boxoffice.service.requests import Caller
from boxoffice.service.seating import SeatingInput, do_seating_for_operations
from tests.conftest import CHANNEL_ID, EXPIRY, ITEM_ID, NOW, PERFORMANCE_ID, STANDING_AREA_ID
from tests.integration.orders_builder import add_items, add_seats, add_standing, new_order
from tests.integration.statements import statements_sent


def _held_map(uow_factory, catalog):  # type: ignore[no-untyped-def]
    """The process's map of the performance, read in a committed transaction."""
    with uow_factory() as uow:
        seat_map = uow.inventory.seat_map(catalog.performance(PERFORMANCE_ID))
        uow.commit()
    return seat_map


def _free(seat_map, catalog) -> list[int]:  # type: ignore[no-untyped-def]
    return [seat.seat_id for seat in catalog.layout.seats if seat_map.is_free(seat.seat_id)]


def _sell(uow_factory, seat_ids) -> int:  # type: ignore[no-untyped-def]
    with uow_factory() as uow:
        order = new_order(uow)
        add_seats(uow, order, seat_ids)
        uow.commit()
        return order.order_id


def _version(engine) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return int(connection.execute(select(performance_inventory.c.version)).scalar_one())


def test_another_process_sales_and_releases_arrive_as_changes_not_as_a_rebuild(
    engine, uow_factory, make_uow_factory, catalog
):
    other_process = make_uow_factory(engine, cache=SeatMapCache())
    first = _held_map(uow_factory, catalog)
    order_id = _sell(other_process, [3, 4])
    _sell(other_process, [7])
    with other_process() as uow:
        order = uow.orders.get(order_id, CHANNEL_ID)
        order.expire(NOW)  # its seats go back on sale at flush, logged as released
        uow.commit()

    caught_up = _held_map(uow_factory, catalog)

    assert caught_up is first  # applied in place, not rebuilt
    assert _free(caught_up, catalog) == [1, 2, 3, 4, 5, 6, 8, 9, 10]
    assert _free(_held_map(other_process, catalog), catalog) == _free(caught_up, catalog)


def test_each_change_is_logged_at_the_version_it_made(engine, uow_factory, catalog):
    order_id = _sell(uow_factory, [2, 5])
    with uow_factory() as uow:
        order = uow.orders.get(order_id, CHANNEL_ID)
        order.release_movements(
            [(order.operations[0], order.live_movements[0])], NOW, EXPIRY, ChangeSet()
        )
        uow.commit()
    with engine.connect() as connection:
        rows = connection.execute(
            select(seat_changes.c.version, seat_changes.c.taken, seat_changes.c.released).order_by(
                seat_changes.c.version
            )
        ).all()
    assert [tuple(row) for row in rows] == [(1, "2,5", ""), (2, "", "2")]
    assert _version(engine) == 2


def test_the_log_takes_performance_ids_past_32_bits(engine):
    # Real S-360 ids are 64-bit (the demo's performances are 101036924388 and up).
    performance_id = 101_036_924_388
    with engine.begin() as connection:
        connection.execute(
            performance_inventory.insert().values(performance_id=performance_id, version=7)
        )
    with Session(engine) as session, session.begin():
        first = seat_change_log.record(session, performance_id, {3: True, 1: True})
        second = seat_change_log.record(session, performance_id, {3: False})
    with Session(engine) as session, session.begin():
        version, changes = seat_change_log.locked_version(session, performance_id, 7, lock=True)

    assert (first, second, version) == (8, 9, 9)
    assert changes == [
        seat_change_log.SeatChange(8, (1, 3), ()),
        seat_change_log.SeatChange(9, (), (3,)),
    ]


def test_closing_an_order_leaves_every_seat_map_current(engine, uow_factory, catalog):
    order_id = _sell(uow_factory, [1, 2])
    before = _version(engine)
    with uow_factory() as uow:
        order = uow.orders.get(order_id, CHANNEL_ID)
        for movement in order.live_movements:
            movement.state = MovementState.SOLD  # what Order.close does to its movements
        uow.commit()
    assert _version(engine) == before


def test_a_map_older_than_the_kept_log_is_rebuilt_and_right(
    engine, uow_factory, make_uow_factory, catalog
):
    other_process = make_uow_factory(engine, cache=SeatMapCache())
    first = _held_map(uow_factory, catalog)
    _sell(other_process, [1])
    _sell(other_process, [2])
    with engine.begin() as connection:
        # What the purge does once the log reaches past KEPT_VERSIONS.
        connection.execute(delete(seat_changes).where(seat_changes.c.version == 1))

    rebuilt = _held_map(uow_factory, catalog)

    assert rebuilt is not first
    assert _free(rebuilt, catalog) == list(range(3, 11))


def test_the_log_keeps_only_its_last_versions(engine, uow_factory, monkeypatch):
    monkeypatch.setattr(seat_change_log, "KEPT_VERSIONS", 3)
    monkeypatch.setattr(seat_change_log, "PURGE_EVERY", 2)
    for seat_id in range(1, 9):
        _sell(uow_factory, [seat_id])
    with engine.connect() as connection:
        versions = list(
            connection.scalars(select(seat_changes.c.version).order_by(seat_changes.c.version))
        )
        assert connection.execute(select(func.count()).select_from(seat_changes)).scalar() < 8
    assert versions == list(range(versions[0], 9)) and versions[0] > 1


def test_standing_places_and_items_of_a_released_line_go_back_at_flush(
    engine, uow_factory, catalog
):
    with uow_factory() as uow:
        order = new_order(uow)
        add_standing(uow, order, 2)
        add_items(uow, order, 2)
        uow.commit()
        order_id = order.order_id
    with uow_factory() as uow:
        uow.orders.get(order_id, CHANNEL_ID).expire(NOW)  # nobody calls release by hand
        uow.commit()
    with uow_factory() as uow:
        assert (
            uow.inventory.area_stock(PERFORMANCE_ID, catalog.area(STANDING_AREA_ID)).available == 3
        )
        assert uow.inventory.item_stock(catalog.item(ITEM_ID)).available == 2


# -- reads never wait on a writer --------------------------------------------------------------


@pytest.fixture
def impatient_engine(database_url, engine):  # type: ignore[no-untyped-def]
    """A second engine on the test database whose lock waits end after 300 ms."""
    impatient = create_engine_for(database_url, lock_timeout_ms=300)
    yield impatient
    impatient.dispose()


def _read_while_a_writer_holds_the_order(
    engine, impatient_engine, make_uow_factory, *, read_only: bool
) -> int:
    writer, reader = make_uow_factory(engine), make_uow_factory(impatient_engine)
    order_id = _sell(writer, [6])
    with writer() as holding:
        holding.orders.get(order_id, CHANNEL_ID)  # locked (PostgreSQL: the row; SQLite: all)
        uow = reader()
        with uow.read_only() if read_only else uow:
            order = uow.orders.get(order_id, CHANNEL_ID)
            seats = [movement.seat_id for movement in order.live_movements]
        holding.commit()
    return seats[0]


def test_without_read_only_a_reader_waits_for_the_writer_and_is_refused(
    engine, impatient_engine, make_uow_factory
):
    # Proves the wait below is real: a plain transaction reading the order queues behind it.
    with pytest.raises(ResourceBusy):
        _read_while_a_writer_holds_the_order(
            engine, impatient_engine, make_uow_factory, read_only=False
        )


def test_a_read_only_reader_never_waits_for_a_writer(engine, impatient_engine, make_uow_factory):
    assert (
        _read_while_a_writer_holds_the_order(
            engine, impatient_engine, make_uow_factory, read_only=True
        )
        == 6
    )


def test_a_seat_moved_by_do_seating_reaches_another_process_as_a_change(
    engine, uow_factory, make_uow_factory, catalog
):

    other_process = make_uow_factory(engine, cache=SeatMapCache())
    first = _held_map(uow_factory, catalog)
    with other_process() as uow:
        order = new_order(uow)
        operation = add_seats(uow, order, [3, 4])
        uow.commit()
        operation_id = operation.operation_id
        moved = next(m.movement_id for m in operation.live_movements if m.seat_id == 3)
    before = _version(engine)

    views = do_seating_for_operations(
        other_process(),
        Caller("RESELLER_WS", CHANNEL_ID),
        NOW,
        [operation_id],
        [SeatingInput(moved, 8)],
    )

    assert [view.seat_id for view in views] == [8]
    assert _version(engine) == before + 1
    caught_up = _held_map(uow_factory, catalog)
    assert caught_up is first  # the move arrived as a change, not as a rebuild
    assert _free(caught_up, catalog) == [1, 2, 3, 5, 6, 7, 9, 10]
    assert _free(_held_map(other_process, catalog), catalog) == _free(caught_up, catalog)


def _skip_unless_postgresql(engine) -> None:  # type: ignore[no-untyped-def]
    if engine.dialect.name != "postgresql":
        pytest.skip("the lock wait in question is PostgreSQL's (SQLite locks the database)")


def _change_log_reads(sent: list[str]) -> list[str]:
    """The statements that read the change log on its own, after the locking read."""
    return [statement for statement in sent if statement.startswith("SELECT seat_changes")]


def _wait_for_lock_waiters(engine, count: int) -> None:  # type: ignore[no-untyped-def]
    """Returns once `count` sessions of the test database wait for a lock (PostgreSQL). It
    asks on the driver's own connection, so that no statement of the engine's is recorded."""
    deadline = time.monotonic() + 10
    connection = engine.raw_connection()
    try:
        connection.driver_connection.autocommit = True  # each look a new snapshot
        while time.monotonic() < deadline:
            waiting = connection.driver_connection.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            ).fetchone()[0]
            if waiting >= count:
                return
            time.sleep(0.01)
    finally:
        connection.invalidate()  # its autocommit goes with it, not back to the pool
    raise AssertionError(f"{count} lock waiters never came")


def _sell_holding_the_lock(
    process,  # type: ignore[no-untyped-def]
    seat_ids: list[int],
    holding: threading.Event,
    until: Callable[[], None],
    committing: threading.Event | None = None,
) -> None:
    """A sale of another process that holds the inventory row lock until `until` returns."""
    with process() as uow:
        add_seats(uow, new_order(uow), seat_ids)  # takes the inventory row lock
        holding.set()
        until()
        if committing is not None:
            # Set before the commit lets the lock go: a waiter can only have passed after it.
            # (Set after the commit, the waiter could pass before this thread set it.)
            committing.set()
        uow.commit()


def test_a_sale_that_waited_for_another_processs_lock_catches_up_without_a_rebuild(
    engine, uow_factory, make_uow_factory, catalog
):
    """On PostgreSQL the version row read after a lock wait is newer than the statement's
    snapshot of the change log; the one change missing, the sale waited for, comes with the
    row: neither the whole map nor the log is read again."""
    _skip_unless_postgresql(engine)
    other_process = make_uow_factory(engine, cache=SeatMapCache())
    first = _held_map(uow_factory, catalog)
    _held_map(other_process, catalog)
    holding, committing = threading.Event(), threading.Event()
    seller = threading.Thread(
        target=_sell_holding_the_lock,
        args=(other_process, [3, 4], holding, lambda: _wait_for_lock_waiters(engine, 1)),
        kwargs={"committing": committing},
    )
    seller.start()
    assert holding.wait(10)
    with uow_factory() as uow, statements_sent(engine, "SELECT") as sent:
        waited = uow.inventory.seat_map(catalog.performance(PERFORMANCE_ID))
        assert committing.is_set()  # it did wait for the sale
        free = _free(waited, catalog)
        uow.commit()
    seller.join()

    assert waited is first  # caught up in place
    assert free == [1, 2, 5, 6, 7, 8, 9, 10]
    assert len(sent) == 1 and _change_log_reads(sent) == [], sent


def test_a_sale_that_waited_for_two_sales_reads_the_log_again(
    engine, uow_factory, make_uow_factory, catalog
):
    """Two sales committed during the wait: the row holds only the newest, so the log is read
    again under the lock, and the map still catches up without a rebuild."""
    _skip_unless_postgresql(engine)
    first_seller = make_uow_factory(engine, cache=SeatMapCache())
    second_seller = make_uow_factory(engine, cache=SeatMapCache())
    mine = _held_map(uow_factory, catalog)
    _held_map(first_seller, catalog)
    _held_map(second_seller, catalog)
    holding = threading.Event()

    def sell_next() -> None:
        assert holding.wait(10)
        with second_seller() as uow:
            add_seats(uow, new_order(uow), [7])  # waits for the first sale's lock
            uow.commit()

    # The first sale holds the lock until both others wait, the second one queued first.
    sellers = [
        threading.Thread(
            target=_sell_holding_the_lock,
            args=(first_seller, [3, 4], holding, lambda: _wait_for_lock_waiters(engine, 2)),
        ),
        threading.Thread(target=sell_next),
    ]
    for seller in sellers:
        seller.start()
    _wait_for_lock_waiters(engine, 1)  # the second sale is in the lock's queue before this one
    with uow_factory() as uow, statements_sent(engine, "SELECT") as sent:
        waited = uow.inventory.seat_map(catalog.performance(PERFORMANCE_ID))
        free = _free(waited, catalog)
        uow.commit()
    for seller in sellers:
        seller.join()

    assert waited is mine  # caught up in place
    assert free == [1, 2, 5, 6, 8, 9, 10]
    # One read of the log while this sale waited, its own: the second sale, which missed
    # only the first, took that change from the row.
    assert len(_change_log_reads(sent)) == 1, sent
