"""Use cases of the payment workflow: request a payment, notify its outcome, reopen."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from boxoffice.domain.errors import InvalidRequest, PaymentRefused
from boxoffice.domain.payment_flow import PaymentOutcome, reopen, request_payment, settle
from boxoffice.domain.states import PaymentState
from boxoffice.service.access import expiry_refusal, open_order
from boxoffice.service.details import order_details
from boxoffice.service.lifecycle import new_barcode, payment_of, record_purchaser
from boxoffice.service.orders import parse_order_type
from boxoffice.service.ports import UnitOfWork
from boxoffice.service.requests import Caller, ContactInput, PaymentInput
from boxoffice.service.views import OrderDetailsView, PaymentsView

# The real platform's payment states (contract §9.1) as the outcome notifyOrder reports.
OUTCOME_OF_PAYMENT_STATE = {
    "PAID": PaymentOutcome.SUCCEEDED,
    "AUTHORIZED": PaymentOutcome.SUCCEEDED,
    "FAILED": PaymentOutcome.FAILED,
    "FAILED_REJECTED": PaymentOutcome.FAILED,
    "CANCELLED_BY_USER": PaymentOutcome.FAILED,
    "ABANDONED": PaymentOutcome.ABANDONED,
    "WAITING": PaymentOutcome.PENDING,
    "IN_PROGRESS": PaymentOutcome.PENDING,
    "WAITING_MANUAL_VALIDATION": PaymentOutcome.PENDING,
}


def create_payments_and_close_order(
    uow: UnitOfWork,
    caller: Caller,
    now: datetime,
    order_id: int | None,
    payments: Sequence[PaymentInput],
    *,
    order_type: str | None = None,
    purchasers: Sequence[ContactInput] = (),
) -> PaymentsView:
    """Freezes the order and awaits the payments' outcome; a repeat answers the same ids."""
    if not payments:
        raise PaymentRefused("Name at least one payment.")
    with uow:
        order, channel = open_order(uow, caller, order_id, now)
        if (expired := expiry_refusal(order)) is not None:
            uow.commit()  # keeps the expiry open_order just made: the places sell again
            raise expired
        if order_type and order.payment_state is PaymentState.NONE:
            order.order_type = parse_order_type(order_type)
        recorded = request_payment(order, [payment_of(p) for p in payments], now, channel.expiry)
        for purchaser in purchasers[:1]:
            record_purchaser(order, purchaser, now)
        view = order_details(uow, order, channel)
        payment_ids = [p.payment_id for p in recorded if p.payment_id is not None]
        uow.commit()
        return PaymentsView(payment_ids=payment_ids, order=view)


def notify_order(
    uow: UnitOfWork,
    caller: Caller,
    now: datetime,
    order_id: int | None,
    payment_state: str | None,
    generate_barcodes: bool = True,
) -> OrderDetailsView:
    """Applies the payment provider's outcome; notifying the same outcome again changes
    nothing."""
    outcome = OUTCOME_OF_PAYMENT_STATE.get((payment_state or "").strip())
    if outcome is None:
        raise InvalidRequest(
            "paymentState must be one of " + ", ".join(OUTCOME_OF_PAYMENT_STATE) + "."
        )
    with uow:
        order, channel = open_order(uow, caller, order_id, now)
        if (expired := expiry_refusal(order)) is not None:
            uow.commit()  # keeps the expiry open_order just made: the places sell again
            raise expired
        # A failed or abandoned payment releases the places; they go back on sale when the
        # unit of work flushes.
        settle(order, outcome, now, new_barcode if generate_barcodes else None)
        view = order_details(uow, order, channel)
        uow.commit()
        return view


def reopen_order(
    uow: UnitOfWork, caller: Caller, now: datetime, order_id: int | None
) -> OrderDetailsView:
    """A failed payment's order runs again, places still held, for a new attempt."""
    with uow:
        order, channel = open_order(uow, caller, order_id, now)
        if (expired := expiry_refusal(order)) is not None:
            uow.commit()  # keeps the expiry open_order just made: the places sell again
            raise expired
        reopen(order, now, channel.expiry)
        view = order_details(uow, order, channel)
        uow.commit()
        return view
