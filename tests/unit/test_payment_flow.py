"""The payment workflow in the domain: each step's states, and each step safe to repeat."""

from __future__ import annotations

import pytest
from tests.unit.test_order_states import NOW, POLICY, PRICE, add_seats, new_barcode_maker, new_order

from boxoffice.domain.errors import OrderStateConflict, PaymentInsufficient
from boxoffice.domain.model import Payment
from boxoffice.domain.payment_flow import PaymentOutcome, reopen, request_payment, settle
from boxoffice.domain.states import MovementState, OrderState, PaymentState


def waiting_order():  # type: ignore[no-untyped-def]
    order = new_order()
    add_seats(order, 2)
    request_payment(order, [Payment(7, 2 * PRICE)], NOW, POLICY)
    return order


def test_a_payment_request_freezes_the_order_and_keeps_its_places() -> None:
    order = waiting_order()
    assert (order.state, order.payment_state) == (OrderState.VALIDATED, PaymentState.WAITING)
    assert {m.state for m in order.live_movements} == {MovementState.RESERVED}
    again = request_payment(order, [Payment(7, 1)], NOW, POLICY)
    assert [p.amount for p in again] == [2 * PRICE] and len(order.payments) == 1


def test_a_request_that_does_not_cover_the_sale_changes_nothing() -> None:
    order = new_order()
    add_seats(order, 2)
    with pytest.raises(PaymentInsufficient):
        request_payment(order, [Payment(7, PRICE)], NOW, POLICY)
    assert (order.state, order.payment_state, order.payments) == (
        OrderState.RUNNING,
        PaymentState.NONE,
        [],
    )


def test_success_closes_once_with_tickets() -> None:
    order = waiting_order()
    settle(order, PaymentOutcome.SUCCEEDED, NOW, new_barcode_maker())
    barcodes = [m.barcode for m in order.live_movements]
    assert (order.state, order.payment_state, order.paid_amount) == (
        OrderState.CLOSED,
        PaymentState.PAID,
        2 * PRICE,
    )
    settle(order, PaymentOutcome.SUCCEEDED, NOW, new_barcode_maker())
    assert [m.barcode for m in order.live_movements] == barcodes


def test_failure_keeps_the_places_until_reopened() -> None:
    order = waiting_order()
    settle(order, PaymentOutcome.FAILED, NOW, None)
    settle(order, PaymentOutcome.FAILED, NOW, None)
    assert (order.state, order.payment_state) == (OrderState.VALIDATED, PaymentState.FAILED)
    assert [p.state for p in order.payments] == [PaymentState.FAILED]
    with pytest.raises(OrderStateConflict):
        request_payment(order, [Payment(7, 2 * PRICE)], NOW, POLICY)
    with pytest.raises(OrderStateConflict):
        settle(order, PaymentOutcome.SUCCEEDED, NOW, None)
    assert reopen(order, NOW, POLICY) is True
    assert reopen(order, NOW, POLICY) is False
    assert (order.state, order.payment_state) == (OrderState.RUNNING, PaymentState.NONE)


def test_abandoning_releases_everything_and_the_payment() -> None:
    order = waiting_order()
    changes = settle(order, PaymentOutcome.ABANDONED, NOW, None)
    assert changes is not None and len(changes.removed_movements) == 2
    assert (order.state, order.payment_state) == (OrderState.ABANDONED, PaymentState.ABANDONED)
    assert settle(order, PaymentOutcome.ABANDONED, NOW, None) is None


def test_a_pending_outcome_or_a_closing_while_waiting_changes_nothing() -> None:
    order = waiting_order()
    assert settle(order, PaymentOutcome.PENDING, NOW, None) is None
    with pytest.raises(OrderStateConflict):
        order.close(NOW, new_barcode_maker())
    assert (order.state, order.payment_state) == (OrderState.VALIDATED, PaymentState.WAITING)


def test_expiry_abandons_the_awaited_payment() -> None:
    order = waiting_order()
    order.expire(NOW)
    assert (order.state, order.payment_state) == (OrderState.EXPIRED, PaymentState.ABANDONED)
    assert [p.state for p in order.payments] == [PaymentState.ABANDONED]
