"""Turns entities into the plain views the faces return; runs before the session closes."""

from __future__ import annotations

from collections.abc import Iterable

from boxoffice.domain.catalog import Currency, SalesChannel
from boxoffice.domain.files import File
from boxoffice.domain.lines import ChangeSet, Movement, Operation
from boxoffice.domain.model import Order
from boxoffice.domain.states import LIVE_ORDER_STATES, FileState
from boxoffice.service.views import (
    ContactView,
    ContiguityView,
    CurrencyView,
    FileDetailsView,
    MovementView,
    OperationView,
    OrderDetailsView,
    OrderUpdateView,
)


def _id(value: int | None) -> int:
    # Every entity is flushed before its view is built; a missing id is a programming error.
    assert value is not None, "entity not flushed before building its view"
    return value


def currency_view(currency: Currency) -> CurrencyView:
    return CurrencyView(currency.code, currency.fraction_digit, currency.symbol)


def operation_view(order: Order, operation: Operation) -> OperationView:
    linked = operation.linked_operation
    return OperationView(
        operation_id=_id(operation.operation_id),
        file_id=_id(order.file.file_id),
        order_id=_id(order.order_id),
        kind=operation.kind.value,
        product_id=operation.product_id,
        product_code=operation.product_code,
        performance_id=operation.performance_id,
        seat_category_id=operation.seat_category_id,
        audience_sub_category_id=operation.audience_sub_category_id,
        contingent_id=operation.contingent_id,
        quantity=operation.quantity,
        unit_price=operation.unit_price,
        total_amount=operation.total_amount,
        numbered=operation.numbered,
        linked_operation_id=linked.operation_id if linked is not None else None,
    )


def movement_view(operation: Operation, movement: Movement) -> MovementView:
    return MovementView(
        movement_id=_id(movement.movement_id),
        operation_id=_id(operation.operation_id),
        type=movement.kind.value,
        seat_id=movement.seat_id,
        area_id=movement.area_id,
        block_id=movement.block_id,
        row_number=movement.row_number,
        seat_number=movement.seat_number,
        seat_category_id=movement.seat_category_id,
        contingent_id=movement.contingent_id,
        price=movement.price,
        movement_state=movement.state.value,
        barcode=movement.barcode,
    )


def _owner_of(order: Order) -> dict[int, Operation]:
    return {id(m): op for op in order.operations for m in op.movements}


def _movement_views(order: Order, movements: Iterable[Movement]) -> list[MovementView]:
    owner = _owner_of(order)
    return [movement_view(owner[id(movement)], movement) for movement in movements]


def order_update_view(order: Order, changes: ChangeSet, currency: Currency) -> OrderUpdateView:
    return OrderUpdateView(
        order_id=_id(order.order_id),
        order_secret_id=order.secret_id,
        file_id=_id(order.file.file_id),
        order_state=order.state.value,
        main_operation_id=(
            changes.main_operation.operation_id if changes.main_operation is not None else None
        ),
        catalog_currency=currency_view(currency),
        operation_data_updates=[operation_view(order, op) for op in changes.operations],
        movement_data_updates=_movement_views(order, changes.movements),
        remove_operation_ids=[_id(op.operation_id) for op in changes.removed_operations],
        remove_movement_ids=[_id(m.movement_id) for m in changes.removed_movements],
        generated_contiguities=[
            ContiguityView(
                movement_ids=[_id(m.movement_id) for m in group],
                area_id=group[0].area_id,
                row_number=group[0].row_number,
            )
            for group in changes.contiguities
            if group
        ],
    )


def order_details_view(order: Order, channel: SalesChannel, currency: Currency) -> OrderDetailsView:
    live_operations = order.live_operations
    return OrderDetailsView(
        order_id=_id(order.order_id),
        order_secret_id=order.secret_id,
        file_id=_id(order.file.file_id),
        order_state=order.state.value,
        order_type=order.order_type.value,
        creation_date_time=order.created_at,
        last_update_date_time=order.updated_at,
        expiration_date=order.expires_at if order.state in LIVE_ORDER_STATES else None,
        sales_channel_code=channel.code,
        sales_channel_name=channel.name,
        point_of_sales_id=order.point_of_sales_id,
        contact_reference=order.contact_reference,
        external_reference=order.external_reference,
        sale_amount=order.sale_amount,
        paid_amount=order.paid_amount,
        catalog_currency=currency_view(currency),
        operation_datas=[operation_view(order, op) for op in live_operations],
        movement_datas=[
            movement_view(op, movement) for op in live_operations for movement in op.movements
        ],
        payment_state=order.payment_state.value,
    )


def file_details_view(file: File, orders: list[Order], channel: SalesChannel,
                      currency: Currency) -> FileDetailsView:
    open_file = any(order.state in LIVE_ORDER_STATES for order in orders)
    last_change = max([file.updated_at, *(order.updated_at for order in orders)])
    return FileDetailsView(
        file_id=_id(file.file_id),
        file_state=(FileState.OPEN if open_file else FileState.CLOSED).value,
        last_mod_date_time=last_change,
        file_contacts=[
            ContactView(c.contact_reference, c.first_name, c.last_name, c.email)
            for c in file.contacts
        ],
        orders=[order_details_view(order, channel, currency) for order in orders],
    )
