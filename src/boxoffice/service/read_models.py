"""Turns entities into the plain views the faces return; runs before the session closes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from boxoffice.domain.catalog import CatalogNames, Currency, SalesChannel
from boxoffice.domain.files import File
from boxoffice.domain.lines import (
    ChangeSet,
    Movement,
    MovementReading,
    Operation,
    OperationReading,
)
from boxoffice.domain.model import Order, OrderReading
from boxoffice.domain.records import Attachment, ExternalReference
from boxoffice.domain.states import LIVE_ORDER_STATES, FileState, OrderState, OrderType
from boxoffice.service.views import (
    AttachmentEntryView,
    ContactView,
    ContiguityView,
    CurrencyView,
    FileDetailsView,
    KeyValueView,
    MovementView,
    OperationView,
    OrderDetailsView,
    OrderUpdateView,
)

# Every order a reseller makes through this API is an external sale on the real platform.
ORDER_ORIGINATOR = "EXTERNAL_SALE"


def _id(value: int | None) -> int:
    # Every entity is flushed before its view is built; a missing id is a programming error.
    assert value is not None, "entity not flushed before building its view"
    return value


def currency_view(currency: Currency) -> CurrencyView:
    # Amounts are in thousandths: two fraction digits make 10 the smallest amount.
    min_amount = 10 ** max(3 - currency.fraction_digit, 0)
    return CurrencyView(currency.code, currency.fraction_digit, currency.symbol, min_amount)


def operation_view(
    order: OrderReading[Any], operation: OperationReading, names: CatalogNames
) -> OperationView:
    linked = operation.linked_operation
    tariff = operation.audience_sub_category_id
    return OperationView(
        operation_id=_id(operation.operation_id),
        file_id=_id(order.file.file_id),
        order_id=_id(order.order_id),
        kind=operation.kind.value,
        product_id=operation.product_id,
        product_code=operation.product_code,
        performance_id=operation.performance_id,
        seat_category_id=operation.seat_category_id,
        audience_sub_category_id=tariff,
        contingent_id=operation.contingent_id,
        quantity=operation.quantity,
        unit_price=operation.unit_price,
        total_amount=operation.total_amount,
        numbered=operation.numbered,
        linked_operation_id=linked.operation_id if linked is not None else None,
        base_price=operation.unit_price,
        item_id=operation.item_id,
        product_family_type=(
            names.product_families.get(operation.product_id)
            if operation.product_id is not None and not operation.is_charge
            else None
        ),
        operation_number=order.operations.index(operation) + 1,
        audience_sub_category=names.audience_sub_categories.get(tariff) if tariff else None,
    )


def movement_view(
    operation: OperationReading, movement: MovementReading, names: CatalogNames
) -> MovementView:
    category, contingent = movement.seat_category_id, movement.contingent_id
    return MovementView(
        movement_id=_id(movement.movement_id),
        operation_id=_id(operation.operation_id),
        type=movement.kind.value,
        seat_id=movement.seat_id,
        area_id=movement.area_id,
        block_id=movement.block_id,
        row_number=movement.row_number,
        seat_number=movement.seat_number,
        seat_category_id=category,
        contingent_id=contingent,
        price=movement.price,
        movement_state=movement.state.value,
        barcode=movement.barcode,
        seat_category=names.seat_categories.get(category) if category else None,
        contingent=names.contingents.get(contingent) if contingent else None,
        instance_number=operation.movements.index(movement) + 1,
    )


def _owner_of(order: Order) -> dict[int, Operation]:
    return {id(m): op for op in order.operations for m in op.movements}


def _movement_views(
    order: Order, movements: Iterable[Movement], names: CatalogNames
) -> list[MovementView]:
    owner = _owner_of(order)
    return [movement_view(owner[id(movement)], movement, names) for movement in movements]


def order_update_view(
    order: Order, changes: ChangeSet, currency: Currency, names: CatalogNames
) -> OrderUpdateView:
    return OrderUpdateView(
        order_id=_id(order.order_id),
        order_secret_id=order.secret_id,
        file_id=_id(order.file.file_id),
        order_state=order.state.value,
        main_operation_id=(
            changes.main_operation.operation_id if changes.main_operation is not None else None
        ),
        catalog_currency=currency_view(currency),
        operation_data_updates=[operation_view(order, op, names) for op in changes.operations],
        movement_data_updates=_movement_views(order, changes.movements, names),
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
        origin=order.origin,
    )


def _amount_of_type(order: OrderReading[Any], order_type: OrderType) -> int:
    return order.sale_amount if order.order_type is order_type else 0


def order_details_view(
    order: OrderReading[Any],
    channel: SalesChannel,
    currency: Currency,
    references: Sequence[ExternalReference],
    names: CatalogNames,
) -> OrderDetailsView:
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
        operation_datas=[operation_view(order, op, names) for op in live_operations],
        movement_datas=[
            movement_view(op, movement, names)
            for op in live_operations
            for movement in op.movements
        ],
        payment_state=order.payment_state.value,
        option_amount=_amount_of_type(order, OrderType.OPTION),
        reservation_amount=_amount_of_type(order, OrderType.RESERVATION),
        # No pre-sales and no customer account balances in boxoffice.
        pre_sale_amount=0,
        waiting_account_balance_amount=0,
        order_origin_data=order.origin,
        order_originator=ORDER_ORIGINATOR,
        # Prices are those of the moment the order was opened.
        reference_date=order.created_at,
        external_references=[KeyValueView(r.key, r.value) for r in references],
    )


def file_state(orders: Sequence[OrderDetailsView]) -> FileState:
    states = {OrderState(order.order_state) for order in orders}
    if not states or states & LIVE_ORDER_STATES:
        return FileState.RUNNING
    return FileState.SOLDED if OrderState.CLOSED in states else FileState.ABANDONNED


def file_details_view(
    file: File, orders: list[OrderDetailsView], attachments: Sequence[Attachment]
) -> FileDetailsView:
    last_change = max([file.updated_at, *(order.last_update_date_time for order in orders)])
    return FileDetailsView(
        file_id=_id(file.file_id),
        file_state=file_state(orders).value,
        last_mod_date_time=last_change,
        file_contacts=[
            ContactView(c.contact_reference, c.first_name, c.last_name, c.email)
            for c in file.contacts
        ],
        orders=orders,
        file_attachments=[
            AttachmentEntryView(_id(a.attachment_id), a.name, a.upload_date) for a in attachments
        ],
    )
