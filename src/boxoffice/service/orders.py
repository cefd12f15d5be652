"""Use cases that open an order and change its lines."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from boxoffice.domain.catalog import SalesChannel
from boxoffice.domain.errors import (
    FileNotFound,
    InvalidRequest,
    OperationListMissing,
    OperationListUnsupported,
    OrderTypeUnsupported,
    PointOfSalesNotFound,
    QuantityRefused,
)
from boxoffice.domain.files import Contact, File
from boxoffice.domain.lines import MAX_PLACES_PER_CALL, ChangeSet, Operation, check_quantity
from boxoffice.domain.model import Order
from boxoffice.domain.states import OrderType
from boxoffice.service.access import (
    channel_of,
    check_update,
    expiry_refusal,
    open_order,
    require_id,
    update_view,
)
from boxoffice.service.placement import (
    PlacedLine,
    more_places,
    performance_of,
    place_attribution_group,
    place_line,
)
from boxoffice.service.ports import UnitOfWork
from boxoffice.service.requests import (
    AttributionGroup,
    Caller,
    ContactInput,
    OperationInput,
    OrderInput,
)
from boxoffice.service.views import OrderUpdateView


def parse_order_type(value: str | None) -> OrderType:
    value = (value or "").strip()
    if not value:
        return OrderType.SALE
    try:
        return OrderType(value)
    except ValueError:
        raise OrderTypeUnsupported(
            f"Order type {value!r} is not sold here; use SALE, RESERVATION or OPTION."
        ) from None


def create_order(
    uow: UnitOfWork, caller: Caller, now: datetime, request: OrderInput
) -> OrderUpdateView:
    """Opens an empty order (the cart) in a new file or in one of the caller's files."""
    with uow:
        order = open_new_order(uow, caller, now, request)
        uow.commit()
        return update_view(uow, order, ChangeSet())


def open_new_order(uow: UnitOfWork, caller: Caller, now: datetime, request: OrderInput) -> Order:
    channel = channel_of(uow, caller)
    point_of_sales_id = require_id(request.point_of_sales_id, "pointOfSalesId")
    if point_of_sales_id not in channel.point_of_sales_ids:
        raise PointOfSalesNotFound(f"No point of sales {point_of_sales_id} for this channel.")
    order_type = parse_order_type(request.order_type)
    # Checked now so that a forbidden contingent is refused before anything is created.
    channel.resolve_contingent(request.contingent_id)
    if request.file_id is not None:
        file = uow.orders.file(request.file_id, caller.channel_id)
        if file is None:
            raise FileNotFound(f"No file {request.file_id}.")
    else:
        file = File(caller.channel_id, now)
        uow.orders.add_file(file)
    contacts = _contacts(request.purchasers)
    file.add_contacts([*contacts, *_contacts(request.file_contacts)], now)
    order = Order(
        file=file,
        channel_id=caller.channel_id,
        point_of_sales_id=point_of_sales_id,
        order_type=order_type,
        secret_id=secrets.token_urlsafe(24),
        now=now,
        expiry=channel.expiry,
        contact_reference=contacts[0].contact_reference if contacts else None,
        external_reference=request.external_reference,
        origin=request.origin,
    )
    uow.orders.add(order)
    return order


def _contacts(inputs: Sequence[ContactInput]) -> list[Contact]:
    return [Contact(p.contact_reference, p.first_name, p.last_name, p.email) for p in inputs]


def _update_existing(order: Order, request: OrderInput, now: datetime) -> None:
    """On an existing order, purchasers, file contacts, externalReference and origin given
    update it; those absent stay."""
    contacts = _contacts(request.purchasers)
    order.file.add_contacts([*contacts, *_contacts(request.file_contacts)], now)
    if contacts:
        order.contact_reference = contacts[0].contact_reference
    if request.external_reference:
        order.external_reference = request.external_reference
    if request.origin:
        order.origin = request.origin


def add_lines(
    uow: UnitOfWork,
    caller: Caller,
    order: Order,
    now: datetime,
    requests: Sequence[OperationInput],
    changes: ChangeSet,
) -> None:
    """Adds every line or, by raising, none: the caller's transaction is rolled back."""
    channel = channel_of(uow, caller)
    order.check_changeable()
    attach_lines(
        order, [place_line(uow, channel, request) for request in requests], now, channel, changes
    )


def attach_lines(
    order: Order,
    lines: Sequence[PlacedLine],
    now: datetime,
    channel: SalesChannel,
    changes: ChangeSet,
) -> None:
    """Puts placed lines into the order, reports their seat groups, recomputes charges."""
    movement_of_seat = {}
    for line in lines:
        for movement in order.add_operation(
            line.operation, line.places, now, channel.expiry, changes
        ):
            movement_of_seat[movement.seat_id] = movement
    for line in lines:
        for group in line.contiguities:
            changes.contiguities.append([movement_of_seat[seat_id] for seat_id in group])
    order.recompute_charges(channel.charges, changes)


def create_or_update_order(
    uow: UnitOfWork,
    caller: Caller,
    now: datetime,
    order_id: int | None,
    request: OrderInput,
    groups: Sequence[AttributionGroup],
    products: Sequence[OperationInput],
    unsupported_lists: Sequence[str] = (),
    any_list_given: bool = True,
) -> OrderUpdateView:
    """Opens an order (no orderId) or adds to one; every line of the call or none.

    `unsupported_lists` names the operation lists given with lines boxoffice does not sell
    (composed and transport products); `any_list_given` is False when no list was sent.
    """
    if unsupported_lists:
        raise OperationListUnsupported(
            f"boxoffice does not sell {' or '.join(unsupported_lists)}; send none."
        )
    if not any_list_given:
        raise OperationListMissing("Send at least one operation list.")
    with uow:
        if order_id is None:
            order = open_new_order(uow, caller, now, request)
        else:
            order, _ = open_order(uow, caller, order_id, now)
            if (expired := expiry_refusal(order)) is not None:
                uow.commit()  # keeps the expiry open_order just made: the places sell again
                raise expired
            order.check_changeable()
            _update_existing(order, request, now)
        order.check_changeable()
        channel = channel_of(uow, caller)
        asked = sum(
            max(line.quantity or 0, 0) for group in groups for line in group.attributions
        ) + sum(max(p.quantity or 0, 0) for p in products)
        if asked > MAX_PLACES_PER_CALL:
            raise QuantityRefused(
                f"One call may take at most {MAX_PLACES_PER_CALL} places, not {asked}."
            )
        # The new file and order (or the changed one) are written now, before placing the
        # lines takes the performance's locks: otherwise the first statement under those locks
        # flushes them, and every other sale of the performance waits for these inserts too.
        uow.flush()
        lines: list[PlacedLine] = []
        for group in groups:
            if group.attributions:
                lines += place_attribution_group(
                    uow, channel, group.attributions, group.prefered_areas
                )
        lines += [place_line(uow, channel, product) for product in products]
        changes = ChangeSet()
        attach_lines(order, lines, now, channel, changes)
        check_update(uow, order, changes)
        uow.commit()
        return update_view(uow, order, changes)


def add_operation(
    uow: UnitOfWork,
    caller: Caller,
    now: datetime,
    order_id: int | None,
    request: OperationInput | None,
) -> OrderUpdateView:
    if request is None:
        raise InvalidRequest("operation is required.")
    with uow:
        order, _ = open_order(uow, caller, order_id, now)
        if (expired := expiry_refusal(order)) is not None:
            uow.commit()  # keeps the expiry open_order just made: the places sell again
            raise expired
        changes = ChangeSet()
        add_lines(uow, caller, order, now, [request], changes)
        check_update(uow, order, changes)
        uow.commit()
        return update_view(uow, order, changes)


def update_operation(
    uow: UnitOfWork,
    caller: Caller,
    now: datetime,
    order_id: int | None,
    operation_id: int | None,
    quantity: int | None,
    audience_sub_category_id: int | None,
) -> OrderUpdateView:
    """Changes a line's quantity (taking or giving back places) and/or its tariff."""
    with uow:
        order, channel = open_order(uow, caller, order_id, now)
        if (expired := expiry_refusal(order)) is not None:
            uow.commit()  # keeps the expiry open_order just made: the places sell again
            raise expired
        order.check_changeable()
        operation = order.find_line(require_id(operation_id, "operationId"))
        changes = ChangeSet(main_operation=operation)
        if (
            audience_sub_category_id is not None
            and audience_sub_category_id != operation.audience_sub_category_id
        ):
            price = _price_for(uow, operation, audience_sub_category_id)
            order.reprice_operation(
                operation, audience_sub_category_id, price, now, channel.expiry, changes
            )
        if quantity is not None:
            delta = check_quantity(quantity) - operation.quantity
            if delta > 0:
                placed = more_places(uow, operation, delta)
                order.add_places(operation, placed.places, now, channel.expiry, changes)
            elif delta < 0:
                surplus = operation.live_movements[delta:]
                # Their places go back on sale when the unit of work flushes.
                order.release_movements(
                    [(operation, m) for m in surplus], now, channel.expiry, changes
                )
        order.recompute_charges(channel.charges, changes)
        check_update(uow, order, changes)
        uow.commit()
        return update_view(uow, order, changes)


def _price_for(uow: UnitOfWork, operation: Operation, audience_sub_category_id: int) -> int:
    if operation.item_id is not None:
        item = uow.catalog.item(operation.item_id)
        if item is None:
            raise InvalidRequest(f"Item {operation.item_id} left the catalog.")
        return item.price(audience_sub_category_id)
    performance = performance_of(uow, operation.performance_id)
    assert operation.seat_category_id is not None
    return performance.price(operation.seat_category_id, audience_sub_category_id)


def cancel_operations(
    uow: UnitOfWork,
    caller: Caller,
    now: datetime,
    order_id: int | None,
    operation_ids: Sequence[int],
    movement_ids: Sequence[int],
) -> OrderUpdateView:
    """Removes whole lines and single movements; their places go back on sale at once."""
    if not operation_ids and not movement_ids:
        raise InvalidRequest("Name at least one operationIds or movementIds.")
    with uow:
        order, channel = open_order(uow, caller, order_id, now)
        if (expired := expiry_refusal(order)) is not None:
            uow.commit()  # keeps the expiry open_order just made: the places sell again
            raise expired
        order.check_changeable()
        # Every id is looked up before anything changes, so one bad id refuses the whole call.
        operations = [order.find_operation(operation_id) for operation_id in operation_ids]
        movements = [order.find_movement(movement_id) for movement_id in movement_ids]
        changes = ChangeSet()
        order.cancel_operations(operations, now, channel.expiry, changes)
        # Their places go back on sale when the unit of work flushes.
        order.release_movements(movements, now, channel.expiry, changes)
        order.recompute_charges(channel.charges, changes)
        check_update(uow, order, changes)
        uow.commit()
        return update_view(uow, order, changes)


def abandon_movements(
    uow: UnitOfWork,
    caller: Caller,
    now: datetime,
    order_id: int | None,
    movement_ids: Sequence[int],
) -> OrderUpdateView:
    if not movement_ids:
        raise InvalidRequest("Name at least one movementIds.")
    return cancel_operations(uow, caller, now, order_id, [], movement_ids)


# How much of the change createOrUpdateOrderWithGranularity answers; createOrUpdateOrder is
# MOVEMENT (everything).
GRANULARITIES = ("ORDER", "OPERATION", "MOVEMENT")


def with_granularity(view: OrderUpdateView, granularity: str | None) -> OrderUpdateView:
    """ORDER: the order alone; OPERATION: and its operations; MOVEMENT: and its movements."""
    level = (granularity or "MOVEMENT").strip() or "MOVEMENT"
    if level not in GRANULARITIES:
        raise InvalidRequest(f"granularity must be one of {', '.join(GRANULARITIES)}.")
    if level == "MOVEMENT":
        return view
    trimmed = replace(
        view, movement_data_updates=[], remove_movement_ids=[], generated_contiguities=[]
    )
    if level == "OPERATION":
        return trimmed
    return replace(trimmed, operation_data_updates=[], remove_operation_ids=[])
