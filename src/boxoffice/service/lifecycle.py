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
from boxoffice.service.access import channel_of, finish_update, open_order, require_id
from boxoffice.service.details import file_details, order_details
from boxoffice.service.orders import parse_order_type
from boxoffice.service.placement import release_places
from boxoffice.service.ports import UnitOfWork
from boxoffice.service.requests import Caller, ContactInput, PaymentInput
from boxoffice.service.views import FileDetailsView, OrderDetailsView, OrderUpdateView

# 18 random digits: fits the 64-bit range scanners expect and makes a guess hopeless.
BARCODE_DIGITS = 18


def new_barcode() -> str:
    return f"{secrets.randbelow(10**BARCODE_DIGITS):0{BARCODE_DIGITS}d}"


def validate_order(uow: UnitOfWork, caller: Caller, now: datetime,
                   order_id: int | None) -> OrderUpdateView:
    """Phase 1 of the 2-phase commit: the order is frozen until closed or abandoned."""
    with uow:
        order, channel = open_order(uow, caller, order_id, now)
        order.validate(now, channel.expiry)
        return finish_update(uow, order, ChangeSet())


def abandon_order(uow: UnitOfWork, caller: Caller, now: datetime,
                  order_id: int | None) -> OrderUpdateView:
    """Gives every place back at once; repeating it answers the same."""
    with uow:
        order, _ = open_order(uow, caller, order_id, now)
        changes = order.abandon(now)
        if changes is not None:
            release_places(uow, changes.removed_movements)
        return finish_update(uow, order, changes or ChangeSet())


def close_order(uow: UnitOfWork, caller: Caller, now: datetime, order_id: int | None, *,
                purchaser: ContactInput | None = None, generate_barcodes: bool = True,
                order_type: str | None = None,
                payments: Sequence[PaymentInput] = ()) -> OrderDetailsView:
    """Makes the sale final with one ticket per movement; a retry returns the same tickets."""
    with uow:
        order, channel = open_order(uow, caller, order_id, now)
        if order.state is not OrderState.CLOSED:
            if order_type:
                order.order_type = parse_order_type(order_type)
            barcodes = new_barcode if generate_barcodes else None
            order.close(now, barcodes, [payment_of(payment) for payment in payments])
            if purchaser:
                record_purchaser(order, purchaser, now)
        view = order_details(uow, order, channel)
        uow.commit()
        return view


def payment_of(payment: PaymentInput) -> Payment:
    if payment.payment_method_id is None or payment.amount is None:
        raise PaymentRefused("Each payment needs a paymentMethodId and an amount.")
    return Payment(payment.payment_method_id, payment.amount)


def record_purchaser(order: Order, purchaser: ContactInput, now: datetime) -> None:
    order.file.add_contacts(
        [Contact(purchaser.contact_reference, purchaser.first_name, purchaser.last_name,
                 purchaser.email)],
        now,
    )
    order.contact_reference = purchaser.contact_reference


def get_order_details(uow: UnitOfWork, caller: Caller, now: datetime,
                      order_id: int | None) -> OrderDetailsView:
    """The truth about an order at any moment, expired ones included."""
    with uow.read_only() as reading:
        order = reading.orders.get(require_id(order_id, "orderId"), caller.channel_id)
        if order is None:
            raise OrderNotFound(f"No order {order_id}.")
        if not order.is_due_to_expire(now):
            return order_details(reading, order, channel_of(reading, caller))
    # Only an order found past its deadline needs the write lock: it is expired first.
    with uow:
        order, channel = open_order(uow, caller, order_id, now, refuse_expired=False)
        view = order_details(uow, order, channel)
        uow.commit()
        return view


def get_file_details(uow: UnitOfWork, caller: Caller, now: datetime,
                     file_id: int | None) -> FileDetailsView:
    with uow.read_only() as reading:
        file = reading.orders.file(require_id(file_id, "fileId"), caller.channel_id)
        if file is None:
            raise FileNotFound(f"No file {file_id}.")
        view = _current_file_view(reading, caller, now, file.file_id)
    if view is not None:
        return view
    with uow:
        return _file_view(uow, caller, now, file.file_id)


def get_file_details_from_order_secret_id(uow: UnitOfWork, caller: Caller, now: datetime,
                                          order_secret_id: str | None) -> FileDetailsView:
    if not order_secret_id:
        raise InvalidRequest("orderSecretId is required.")
    with uow.read_only() as reading:
        order = reading.orders.get_by_secret(order_secret_id, caller.channel_id)
        if order is None:
            raise FileNotFound("No file for that order secret id.")
        file_id = order.file.file_id
        view = _current_file_view(reading, caller, now, file_id)
    if view is not None:
        return view
    with uow:
        return _file_view(uow, caller, now, file_id)


def _current_file_view(reading: UnitOfWork, caller: Caller, now: datetime,
                       file_id: int | None) -> FileDetailsView | None:
    """The file's view read without the write lock; None when one of its orders is due to
    expire, which only a writing transaction may do (_file_view)."""
    assert file_id is not None
    file = reading.orders.file(file_id, caller.channel_id)
    assert file is not None
    orders = list(reading.orders.orders_of_file(file_id))
    if any(order.is_due_to_expire(now) for order in orders):
        return None
    return file_details(reading, file, orders, channel_of(reading, caller))


def _file_view(uow: UnitOfWork, caller: Caller, now: datetime,
               file_id: int | None) -> FileDetailsView:
    """Reads a file's orders, expiring those found past their deadline first."""
    assert file_id is not None
    file = uow.orders.file(file_id, caller.channel_id)
    assert file is not None
    orders = []
    for listed in uow.orders.orders_of_file(file_id):
        order, _ = open_order(uow, caller, listed.order_id, now, refuse_expired=False)
        orders.append(order)
    view = file_details(uow, file, orders, channel_of(uow, caller))
    uow.commit()
    return view
