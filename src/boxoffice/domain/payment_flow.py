"""The payment workflow: a payment is requested, its outcome notified, a failure reopened.

The order waits VALIDATED (frozen, places held, its deadline still running) with payment state
WAITING until the payment provider's outcome is notified. Every step answers the same when
repeated, since a payment provider and a reseller both retry.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from datetime import datetime

from boxoffice.domain.catalog import ExpiryPolicy
from boxoffice.domain.errors import OrderStateConflict
from boxoffice.domain.lines import ChangeSet
from boxoffice.domain.model import Order, Payment
from boxoffice.domain.states import OrderState, PaymentState


class PaymentOutcome(enum.Enum):
    """What notifyOrder reports, read from the real platform's payment states."""

    SUCCEEDED = "SUCCEEDED"  # PAID, AUTHORIZED
    FAILED = "FAILED"  # FAILED, FAILED_REJECTED, CANCELLED_BY_USER: the order may be reopened
    ABANDONED = "ABANDONED"  # ABANDONED: the order is given up, its places released
    PENDING = "PENDING"  # WAITING, IN_PROGRESS, WAITING_MANUAL_VALIDATION: nothing changes


def request_payment(
    order: Order, payments: Sequence[Payment], now: datetime, expiry: ExpiryPolicy
) -> list[Payment]:
    """Freezes the order and records the payments as awaited; the awaited payments.

    Asked again while the payment is awaited, or once the order is closed, it changes
    nothing and answers the payments already recorded.
    """
    if order.state is OrderState.CLOSED:
        return [p for p in order.payments if p.state is PaymentState.PAID]
    if order.payment_state is PaymentState.WAITING:
        return order.waiting_payments
    if order.payment_state is PaymentState.FAILED:
        raise OrderStateConflict(
            f"Order {order.order_id}'s last payment failed: reopen the order first."
        )
    order.check_payments_cover(payments)
    order.validate(now, expiry)
    for payment in payments:
        payment.state = PaymentState.WAITING
    order.payments.extend(payments)
    order.payment_state = PaymentState.WAITING
    return list(payments)


def settle(
    order: Order, outcome: PaymentOutcome, now: datetime, new_barcode: Callable[[], str] | None
) -> ChangeSet | None:
    """Applies a payment outcome; the places to give back when it abandons the order."""
    if _already_settled(order, outcome) or outcome is PaymentOutcome.PENDING:
        _refuse_without_payment(order)
        return None
    if order.payment_state is not PaymentState.WAITING and not (
        outcome is PaymentOutcome.ABANDONED and order.payment_state is PaymentState.FAILED
    ):
        raise OrderStateConflict(
            f"Order {order.order_id} awaits no payment (payment state {order.payment_state.value})."
        )
    if outcome is PaymentOutcome.SUCCEEDED:
        waiting = order.waiting_payments
        order.record_paid(waiting)
        order.close(now, new_barcode)
        return None
    if outcome is PaymentOutcome.FAILED:
        for payment in order.waiting_payments:
            payment.state = PaymentState.FAILED
        order.payment_state = PaymentState.FAILED
        order.updated_at = now
        return None
    for payment in order.payments:
        if payment.state in (PaymentState.WAITING, PaymentState.FAILED):
            payment.state = PaymentState.ABANDONED
    order.payment_state = PaymentState.ABANDONED
    return order.abandon(now)


def _already_settled(order: Order, outcome: PaymentOutcome) -> bool:
    return (
        (outcome is PaymentOutcome.SUCCEEDED and order.state is OrderState.CLOSED)
        or (outcome is PaymentOutcome.FAILED and order.payment_state is PaymentState.FAILED)
        or (outcome is PaymentOutcome.ABANDONED and order.state is OrderState.ABANDONED)
    )


def _refuse_without_payment(order: Order) -> None:
    if order.payment_state is PaymentState.NONE and order.state is not OrderState.CLOSED:
        raise OrderStateConflict(f"Order {order.order_id} awaits no payment.")


def reopen(order: Order, now: datetime, expiry: ExpiryPolicy) -> bool:
    """A validated order whose payment failed runs again for a new attempt; False when it
    already runs without an awaited payment."""
    order.refuse_if_ended()
    if order.state is OrderState.RUNNING and order.payment_state is PaymentState.NONE:
        return False
    if order.payment_state is not PaymentState.FAILED:
        raise OrderStateConflict(
            f"Order {order.order_id} can be reopened only after a failed payment."
        )
    order.state = OrderState.RUNNING
    order.payment_state = PaymentState.NONE
    order.touch(now, expiry)
    return True
