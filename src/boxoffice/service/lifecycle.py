"""Use cases that end a sale (validate, close, abandon) and read orders and files."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime

from boxoffice.domain.errors import FileNotFound, InvalidRequest, OrderNotFound, PaymentRefused
from boxoffice.domain.files import Contact
from boxoffice.domain.lines import ChangeSet
from boxoffice.domain.model import Order, Payment
from boxoffice.domain.states import OrderState
from boxoffice.service.access import (
    channel_of,
    check_update,
    expiry_refusal,
    open_order,
    require_id,
    update_view,
)
from boxoffice.service.details import (
    details_with,
    file_details,
    order_details,
    pinned_references,
    snapshot_details,
)
from boxoffice.service.orders import parse_order_type
from boxoffice.service.ports import UnitOfWork
from boxoffice.service.requests import Caller, ContactInput, PaymentInput
from boxoffice.service.views import FileDetailsView, OrderDetailsView, OrderUpdateView

# 18 random digits: fits the 64-bit range scanners expect and makes a guess hopeless.
BARCODE_DIGITS = 18


def new_barcode() -> str:
    return f"{secrets.randbelow(10**BARCODE_DIGITS):0{BARCODE_DIGITS}d}"


def validate_order(
    uow: UnitOfWork, caller: Caller, now: datetime, order_id: int | None
) -> OrderUpdateView:
    """Phase 1 of the 2-phase commit: the order is frozen until closed or abandoned."""
    with uow:
        order, channel = open_order(uow, caller, order_id, now)
        if (expired := expiry_refusal(order)) is not None:
            uow.commit()  # keeps the expiry open_order just made: the places sell again
            raise expired
        order.validate(now, channel.expiry)
        check_update(uow, order, ChangeSet())
        uow.commit()
        return update_view(uow, order, ChangeSet())


def abandon_order(
    uow: UnitOfWork, caller: Caller, now: datetime, order_id: int | None
) -> OrderUpdateView:
    """Gives every place back at once; repeating it answers the same."""
    with uow:
        order, _ = open_order(uow, caller, order_id, now)
        if (expired := expiry_refusal(order)) is not None:
            uow.commit()  # keeps the expiry open_order just made: the places sell again
            raise expired
        # The places released go back on sale when the unit of work flushes.
        changes = order.abandon(now) or ChangeSet()
        check_update(uow, order, changes)
        uow.commit()
        return update_view(uow, order, changes)


def close_order(
    uow: UnitOfWork,
    caller: Caller,
    now: datetime,
    order_id: int | None,
    *,
    purchaser: ContactInput | None = None,
    generate_barcodes: bool = True,
    order_type: str | None = None,
    payments: Sequence[PaymentInput] = (),
) -> OrderDetailsView:
    """Makes the sale final with one ticket per movement; a retry returns the same tickets."""
    with uow:
        order, channel = open_order(uow, caller, order_id, now)
        if (expired := expiry_refusal(order)) is not None:
            uow.commit()  # keeps the expiry open_order just made: the places sell again
            raise expired
        if order.state is not OrderState.CLOSED:
            if order_type:
                order.order_type = parse_order_type(order_type)
            barcodes = new_barcode if generate_barcodes else None
            order.close(now, barcodes, [payment_of(payment) for payment in payments])
            if purchaser:
                record_purchaser(order, purchaser, now)
        references = pinned_references(uow, order)
        uow.commit()
        # Built after the commit: the inventory and the order's lock are already let go.
        return details_with(uow, order, channel, references)


def payment_of(payment: PaymentInput) -> Payment:
    if payment.payment_method_id is None or payment.amount is None:
        raise PaymentRefused("Each payment needs a paymentMethodId and an amount.")
    return Payment(payment.payment_method_id, payment.amount)


def record_purchaser(order: Order, purchaser: ContactInput, now: datetime) -> None:
    order.file.add_contacts(
        [
            Contact(
                purchaser.contact_reference,
                purchaser.first_name,
                purchaser.last_name,
                purchaser.email,
            )
        ],
        now,
    )
    order.contact_reference = purchaser.contact_reference


def get_order_details(
    uow: UnitOfWork, caller: Caller, now: datetime, order_id: int | None
) -> OrderDetailsView:
    """The truth about an order at any moment, expired ones included; read without a lock, in
    one statement (OrderRepository.snapshot) outside any transaction."""
    with uow.one_statement_read() as reading:
        snapshot = reading.orders.snapshot(require_id(order_id, "orderId"), caller.channel_id)
        if snapshot is None:
            raise OrderNotFound(f"No order {order_id}.")
        if not snapshot.is_due_to_expire(now):
            return snapshot_details(reading, snapshot, channel_of(reading, caller))
    # Only an order found past its deadline needs the write lock: it is expired first.
    with uow:
        order, channel = open_order(uow, caller, order_id, now)
        view = order_details(uow, order, channel)
        uow.commit()
        return view


def get_file_details(
    uow: UnitOfWork, caller: Caller, now: datetime, file_id: int | None
) -> FileDetailsView:
    file_id = require_id(file_id, "fileId")
    with uow.read_only() as reading:
        if reading.orders.file(file_id, caller.channel_id) is None:
            raise FileNotFound(f"No file {file_id}.")
    return _file_view(uow, caller, now, file_id)


def get_file_details_from_order_secret_id(
    uow: UnitOfWork, caller: Caller, now: datetime, order_secret_id: str | None
) -> FileDetailsView:
    if not order_secret_id:
        raise InvalidRequest("orderSecretId is required.")
    with uow.read_only() as reading:
        order = reading.orders.get_by_secret(order_secret_id, caller.channel_id)
        if order is None:
            raise FileNotFound("No file for that order secret id.")
        file_id = order.file.file_id
    assert file_id is not None
    return _file_view(uow, caller, now, file_id)


def _file_view(uow: UnitOfWork, caller: Caller, now: datetime, file_id: int) -> FileDetailsView:
    """Reads a file's orders without a lock; when one is past its deadline, expires it first
    in a writing transaction (only that one may)."""
    with uow.read_only() as reading:
        view, due = _read_file(reading, caller, now, file_id)
        if not due:
            return view
    with uow:
        for order_id in due:
            open_order(uow, caller, order_id, now)
        view, _ = _read_file(uow, caller, now, file_id)
        uow.commit()
        return view


def _read_file(
    uow: UnitOfWork, caller: Caller, now: datetime, file_id: int
) -> tuple[FileDetailsView, list[int]]:
    """The file's answer, and the ids of its orders found past their deadline."""
    file = uow.orders.file(file_id, caller.channel_id)
    assert file is not None
    orders = list(uow.orders.orders_of_file(file_id))
    due = [
        order.order_id
        for order in orders
        if order.is_due_to_expire(now) and order.order_id is not None
    ]
    return file_details(uow, file, orders, channel_of(uow, caller)), due
