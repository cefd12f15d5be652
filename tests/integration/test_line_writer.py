"""A sale's new lines reach the database whole, in one statement on PostgreSQL.

The order is written first (as createOrUpdateOrder does before it takes the performance's
locks); the lines added afterwards are what a sale writes under those locks. On SQLite
SQLAlchemy's flush writes them; on PostgreSQL persistence/line_writer.py does, and both must
leave the same rows and the same entities.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from boxoffice.domain.errors import HoldLimitReached, SeatUnavailable
from boxoffice.domain.lines import ChangeSet, Place
from boxoffice.domain.states import MovementState, OperationKind
from boxoffice.persistence.held_places import leave_count
from boxoffice.persistence.inventory import SeatMapCache
from boxoffice.persistence.tables import movements, operations, performance_inventory, seat_changes
from tests.conftest import (
    CHANNEL_ID,
    EXPIRY,
    NOW,
    ORDER_FEE,
    PERFORMANCE_ID,
    TICKET_FEE,
    stage_seats,
)
from tests.integration.orders_builder import (
    add_charges,
    add_seats,
    add_standing,
    new_order,
)
from tests.integration.statements import statements_sent, writes_sent

pytestmark = pytest.mark.usefixtures("engine")


def _written_order(uow) -> int:  # type: ignore[no-untyped-def]
    order = new_order(uow)
    uow.flush()
    assert order.order_id is not None
    return order.order_id


def _rows(engine, order_id: int) -> tuple[list[dict], list[dict]]:  # type: ignore[type-arg]
    with engine.connect() as connection:
        lines = connection.execute(
            select(operations)
            .where(operations.c.order_id == order_id)
            .order_by(operations.c.operation_id)
        ).mappings()
        line_rows = [dict(row) for row in lines]
        places = connection.execute(
            select(movements)
            .where(movements.c.operation_id.in_([row["operation_id"] for row in line_rows]))
            .order_by(movements.c.movement_id)
        ).mappings()
        return line_rows, [dict(row) for row in places]


def test_a_sale_s_lines_and_charges_are_stored_whole(engine, uow_factory):
    with uow_factory() as uow, writes_sent(engine) as sent:
        order_id = _written_order(uow)
        order = uow.orders.get(order_id, CHANNEL_ID)
        sent.clear()
        seats = add_seats(uow, order, [2, 3])
        standing = add_standing(uow, order, 2)
        add_charges(order)
        uow.flush()
        line_writes = [s for s in sent if "operations" in s or "movements" in s]
        if engine.dialect.name == "postgresql":
            # One statement per flush (placing the standing line flushed the seat line).
            assert len(line_writes) == 2, line_writes
            assert all(s.startswith("WITH new_operations") for s in line_writes), line_writes
        # The entities know their ids, as after any flush, and nothing is left to write.
        assert all(op.operation_id is not None for op in order.operations)
        assert all(m.movement_id is not None for op in order.operations for m in op.movements)
        assert not uow.session.new and not uow.session.dirty
        uow.commit()
        seat_ids = [m.movement_id for m in seats.movements]
        standing_id = standing.operation_id

    lines, places = _rows(engine, order_id)
    assert [row["kind"] for row in lines] == [
        OperationKind.SEAT,
        OperationKind.AREA,
        OperationKind.CHARGE,
        OperationKind.CHARGE,
        OperationKind.CHARGE,
    ]
    ids = [row["operation_id"] for row in lines]
    assert ids == sorted(ids) and lines[1]["operation_id"] == standing_id
    by_id = {row["operation_id"]: row for row in lines}
    charges = [row for row in lines if row["kind"] is OperationKind.CHARGE]
    assert {(row["charge_id"], by_id[row["linked_operation_id"]]["kind"]) for row in charges} == {
        (TICKET_FEE.charge_id, OperationKind.SEAT),
        (TICKET_FEE.charge_id, OperationKind.AREA),
        (ORDER_FEE.charge_id, OperationKind.SEAT),
    }
    assert all(row["order_id"] == order_id for row in lines)
    assert [(row["seat_id"], row["row_number"], row["seat_number"]) for row in places[:2]] == [
        (2, "A", "2"),
        (3, "A", "3"),
    ]
    assert [row["movement_id"] for row in places[:2]] == seat_ids
    assert [row["operation_id"] for row in places] == [ids[0]] * 2 + [ids[1]] * 2
    assert all(row["state"] is MovementState.RESERVED and not row["barcode"] for row in places)

    # Read back through the ORM, the order is the one that was sold.
    with uow_factory() as uow:
        order = uow.orders.get(order_id, CHANNEL_ID)
        assert [m.seat_id for m in order.line_operations[0].movements] == [2, 3]
        assert order.sale_amount == sum(row["unit_price"] * row["quantity"] for row in lines)


def test_places_added_to_a_stored_line_join_it(engine, uow_factory):
    with uow_factory() as uow:
        order_id = _written_order(uow)
        order = uow.orders.get(order_id, CHANNEL_ID)
        line = add_seats(uow, order, [2, 3])
        uow.commit()
        line_id = line.operation_id

    with uow_factory() as uow, writes_sent(engine) as sent:
        order = uow.orders.get(order_id, CHANNEL_ID)
        line = order.find_line(line_id)
        uow.inventory.seat_map(uow.catalog.performance(PERFORMANCE_ID)).take([4])
        seat = next(seat for seat in stage_seats() if seat.seat_id == 4)
        order.add_places(line, [Place.for_seat(seat)], NOW, EXPIRY, ChangeSet())
        uow.commit()
        if engine.dialect.name == "postgresql":
            assert sum("INSERT INTO movements" in s for s in sent) == 1

    _, places = _rows(engine, order_id)
    assert [(row["seat_id"], row["operation_id"]) for row in places] == [
        (2, line_id),
        (3, line_id),
        (4, line_id),
    ]
    with uow_factory() as uow:
        assert uow.orders.get(order_id, CHANNEL_ID).find_line(line_id).quantity == 3


def test_a_seat_another_order_holds_is_refused_and_nothing_is_written(engine, uow_factory):
    with uow_factory() as uow:
        first = _written_order(uow)
        add_seats(uow, uow.orders.get(first, CHANNEL_ID), [5])
        uow.commit()

    with pytest.raises(SeatUnavailable), uow_factory() as uow:
        order_id = _written_order(uow)
        order = uow.orders.get(order_id, CHANNEL_ID)
        # Written without the seat map, as a buggy caller would: the database's guard refuses.
        add_seats(uow, order, [5], use_seat_map=False)
        uow.commit()

    with engine.connect() as connection:
        live = connection.execute(
            select(movements.c.movement_id).where(
                movements.c.seat_id == 5, movements.c.state != MovementState.RELEASED.value
            )
        ).all()
    assert len(live) == 1
    with uow_factory() as uow:
        # The refused order was rolled back whole: it is not there, its lines even less.
        assert uow.orders.get(order_id, CHANNEL_ID) is None


def test_a_line_of_a_new_order_is_written_by_the_flush_as_before(engine, uow_factory):
    with uow_factory() as uow:
        order = new_order(uow)  # not written yet: the whole flush is SQLAlchemy's
        add_seats(uow, order, [6])
        uow.commit()
        assert order.operations[0].kind is OperationKind.SEAT
        assert order.operations[0].movements[0].movement_id is not None


def test_the_hold_caps_count_comes_with_the_lines_and_agrees_with_its_own_statement(
    engine, uow_factory
):
    with uow_factory() as uow:
        earlier = _written_order(uow)
        add_seats(uow, uow.orders.get(earlier, CHANNEL_ID), [7, 8, 9])
        uow.commit()

    with uow_factory() as uow:
        order = uow.orders.get(_written_order(uow), CHANNEL_ID)
        add_seats(uow, order, [4, 5])
        uow.flush()
        with statements_sent(engine, "SELECT") as reads:
            places, units = uow.orders.held_places(CHANNEL_ID, {PERFORMANCE_ID}, set())
        with statements_sent(engine, "SELECT") as reads_again:
            other = uow.orders.held_places(CHANNEL_ID, {PERFORMANCE_ID + 1}, set())
        assert places == {PERFORMANCE_ID: 5} and units == {}
        leave_count(uow.session, None)  # forgotten: the count's own statement answers
        assert uow.orders.held_places(CHANNEL_ID, {PERFORMANCE_ID}, set()) == (places, units)
        assert other == ({}, {}) and len(reads_again) == 1  # not what the write counted
        if engine.dialect.name == "postgresql":
            assert reads == []  # the write's own statement brought the count
        else:
            assert len(reads) == 1


def test_a_count_left_by_a_write_is_not_used_once_holds_changed_again(engine, uow_factory):
    with uow_factory() as uow:
        order = uow.orders.get(_written_order(uow), CHANNEL_ID)
        line = add_seats(uow, order, [9, 10])
        uow.flush()
        assert uow.orders.held_places(CHANNEL_ID, {PERFORMANCE_ID}, set())[0] == {PERFORMANCE_ID: 2}
        # A place given back is written by the next flush: the count must follow it.
        order.release_movements([(line, line.movements[0])], NOW, EXPIRY, ChangeSet())
        uow.flush()
        assert uow.orders.held_places(CHANNEL_ID, {PERFORMANCE_ID}, set())[0] == {PERFORMANCE_ID: 1}


def _version_and_log(engine) -> tuple[int, list[tuple[int, str]]]:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        version = connection.execute(
            select(performance_inventory.c.version).where(
                performance_inventory.c.performance_id == PERFORMANCE_ID
            )
        ).scalar_one()
        log = connection.execute(
            select(seat_changes.c.version, seat_changes.c.taken)
            .where(seat_changes.c.performance_id == PERFORMANCE_ID)
            .order_by(seat_changes.c.version)
        ).all()
    return version, [tuple(row) for row in log]


def _one_process_after_a_sale(engine, make_uow_factory):  # type: ignore[no-untyped-def]
    """A process's seat map cache and units of work, after its first sale (seat 1)."""
    cache = SeatMapCache()
    this_process = make_uow_factory(engine, cache=cache)
    with this_process() as uow:
        add_seats(uow, uow.orders.get(_written_order(uow), CHANNEL_ID), [1])
        uow.commit()
    return cache, this_process


def test_a_sale_bumps_its_performance_s_version_once_and_logs_its_seats(engine, make_uow_factory):
    cache, this_process = _one_process_after_a_sale(engine, make_uow_factory)
    before, _ = _version_and_log(engine)

    with this_process() as uow, writes_sent(engine) as sent:
        add_seats(uow, uow.orders.get(_written_order(uow), CHANNEL_ID), [3, 2])
        uow.commit()
    version, log = _version_and_log(engine)
    assert version == before + 1 and log[-1] == (version, "2,3")
    assert cache.get(PERFORMANCE_ID).version == version  # the map is current: no rebuild
    bumps = [s for s in sent if "UPDATE performance_inventory" in s]
    if engine.dialect.name == "postgresql":
        # In the statement that wrote the lines, not in one of its own at commit.
        assert len(bumps) == 1 and bumps[0].startswith("WITH new_operations"), sent
    else:
        assert len(bumps) == 1

    # Another process catches up by the log, seats 2 and 3 taken.
    with make_uow_factory(engine, cache=SeatMapCache())() as uow:
        seat_map = uow.inventory.seat_map(uow.catalog.performance(PERFORMANCE_ID))
        assert not any(seat_map.is_free(seat_id) for seat_id in (1, 2, 3))


def test_a_refused_sale_leaves_the_version_and_the_map_as_they_were(engine, make_uow_factory):
    cache, this_process = _one_process_after_a_sale(engine, make_uow_factory)
    before = _version_and_log(engine)
    map_before = cache.get(PERFORMANCE_ID)

    with pytest.raises(HoldLimitReached), this_process() as uow:
        add_seats(uow, uow.orders.get(_written_order(uow), CHANNEL_ID), [4, 5])
        uow.flush()  # lines, count and (PostgreSQL) version written together
        raise HoldLimitReached("past the cap")  # as check_hold_caps refuses after that flush
    assert _version_and_log(engine) == before
    kept = cache.get(PERFORMANCE_ID)
    assert kept.version == map_before.version and kept.seat_map is map_before.seat_map
    assert kept.seat_map.is_free(4) and kept.seat_map.is_free(5)
