"""Builds orders the way the service layer does, through the domain and a unit of work."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from sqlalchemy import Connection, insert

from boxoffice.domain.files import Contact, File
from boxoffice.domain.lines import ChangeSet, Operation, Place
from boxoffice.domain.model import Order
from boxoffice.domain.states import OperationKind, OrderType
from boxoffice.persistence.tables import files, movements, operations, orders
from boxoffice.persistence.unit_of_work import SqlUnitOfWork
from tests.conftest import (
    CHANNEL_ID,
    EXPIRY,
    ITEM_ID,
    NOW,
    ORDER_FEE,
    OTHER_CHANNEL_ID,
    PERFORMANCE_ID,
    POINT_OF_SALES_ID,
    SEAT_CATEGORY_ID,
    STANDING_AREA_ID,
    TARIFF_ID,
    TICKET_FEE,
    stage_seats,
)

SEAT_PRICE = 45000
ITEM_PRICE = 5000


def new_order(
    uow: SqlUnitOfWork,
    *,
    channel_id: int = CHANNEL_ID,
    now: datetime = NOW,
    file: File | None = None,
) -> Order:
    if file is None:
        file = File(channel_id, now)
        file.add_contacts([Contact("C-1", "Ada", "Lovelace", "ada@example.org")], now)
        uow.orders.add_file(file)
    order = Order(
        file=file,
        channel_id=channel_id,
        point_of_sales_id=POINT_OF_SALES_ID,
        order_type=OrderType.SALE,
        secret_id=uuid.uuid4().hex,
        now=now,
        expiry=EXPIRY,
        contact_reference="C-1",
        external_reference="EXT-1",
    )
    uow.orders.add(order)
    return order


def insert_sold_orders(
    connection: Connection, count: int, *, performance_id: int = PERFORMANCE_ID
) -> None:
    """`count` orders of one two-seat line each, straight into the tables, as an on-sale leaves
    them: the 2nd, 4th, ... are another reseller's open carts, the 3rd, 5th, ... this channel's
    closed sales, the 1st this channel's open cart. Seats 2, 3 (the 1st), 4, 5, ... are held;
    the ids come from the tables' own sequences, so that later orders get theirs as usual."""
    numbers = range(1, count + 1)
    channels = [OTHER_CHANNEL_ID if number % 2 == 0 else CHANNEL_ID for number in numbers]
    file_ids = connection.scalars(  # one file each, as a sale opens its own
        insert(files).returning(files.c.file_id, sort_by_parameter_order=True),
        [{"channel_id": channel, "created_at": NOW, "updated_at": NOW} for channel in channels],
    ).all()
    order_ids = connection.scalars(
        insert(orders).returning(orders.c.order_id, sort_by_parameter_order=True),
        [
            {
                "file_id": file_id,
                "channel_id": channel,
                "point_of_sales_id": POINT_OF_SALES_ID,
                "order_type": "SALE",
                "secret_id": f"bulk-{uuid.uuid4().hex}",
                "state": "CLOSED" if number % 2 and number > 1 else "RUNNING",
                "created_at": NOW,
                "updated_at": NOW,
                "expires_at": NOW + timedelta(hours=1),
            }
            for number, channel, file_id in zip(numbers, channels, file_ids, strict=True)
        ],
    ).all()
    line = {"kind": "SEAT", "state": "ACTIVE", "unit_price": 1000, "quantity": 2}
    operation_ids = connection.scalars(
        insert(operations).returning(operations.c.operation_id, sort_by_parameter_order=True),
        [{"order_id": order_id, **line} for order_id in order_ids],
    ).all()
    connection.execute(
        insert(movements),
        [
            {
                "operation_id": operation_id,
                "kind": "SEAT",
                "performance_id": performance_id,
                "seat_id": 2 * number + seat,
                "price": 1000,
                "state": "SOLD" if number % 2 and number > 1 else "RESERVED",
            }
            for number, operation_id in zip(numbers, operation_ids, strict=True)
            for seat in (0, 1)
        ],
    )


def add_seats(
    uow: SqlUnitOfWork,
    order: Order,
    seat_ids: Sequence[int],
    *,
    performance_id: int = PERFORMANCE_ID,
    now: datetime = NOW,
    use_seat_map: bool = True,
) -> Operation:
    """A seat line; without the seat map it writes the movements as a buggy caller would."""
    performance = uow.catalog.performance(performance_id)
    assert performance is not None
    if use_seat_map:
        uow.inventory.seat_map(performance).take(seat_ids)
    seats = {seat.seat_id: seat for seat in stage_seats()}
    operation = _ticket_line(OperationKind.SEAT, performance_id, SEAT_PRICE)
    order.add_operation(
        operation,
        [Place.for_seat(seats[seat_id]) for seat_id in seat_ids],
        now,
        EXPIRY,
        ChangeSet(),
    )
    return operation


def add_standing(
    uow: SqlUnitOfWork,
    order: Order,
    quantity: int,
    *,
    performance_id: int = PERFORMANCE_ID,
    now: datetime = NOW,
) -> Operation:
    area = uow.catalog.area(STANDING_AREA_ID)
    assert area is not None
    uow.inventory.area_stock(performance_id, area).take(quantity)
    operation = _ticket_line(OperationKind.AREA, performance_id, SEAT_PRICE)
    operation.area_id = STANDING_AREA_ID
    order.add_operation(
        operation,
        [Place(OperationKind.AREA, area_id=STANDING_AREA_ID)] * quantity,
        now,
        EXPIRY,
        ChangeSet(),
    )
    return operation


def add_items(uow: SqlUnitOfWork, order: Order, quantity: int, *, now: datetime = NOW) -> Operation:
    item = uow.catalog.item(ITEM_ID)
    assert item is not None
    uow.inventory.item_stock(item).take(quantity)
    operation = Operation(
        kind=OperationKind.ITEM,
        unit_price=ITEM_PRICE,
        product_id=ITEM_ID,
        product_code="PROG",
        item_id=ITEM_ID,
        audience_sub_category_id=TARIFF_ID,
    )
    order.add_operation(
        operation, [Place(OperationKind.ITEM, item_id=ITEM_ID)] * quantity, now, EXPIRY, ChangeSet()
    )
    return operation


def add_charges(order: Order) -> None:
    order.recompute_charges([TICKET_FEE, ORDER_FEE], ChangeSet())


def barcodes() -> Callable[[], str]:
    """A source of unique barcodes, as the service gives Order.close."""
    counter = iter(range(1, 1_000_000))
    return lambda: f"BC{uuid.uuid4().hex[:8]}{next(counter):06d}"


def _ticket_line(kind: OperationKind, performance_id: int, unit_price: int) -> Operation:
    return Operation(
        kind=kind,
        unit_price=unit_price,
        product_id=50,
        product_code="SHOW",
        performance_id=performance_id,
        seat_category_id=SEAT_CATEGORY_ID,
        audience_sub_category_id=TARIFF_ID,
        contingent_id=1,
    )
