"""closeOrder with payments: the paid amount and payment state follow what was paid."""

from __future__ import annotations

from tests.contract import catalog
from tests.contract.conftest import Reseller

# Two adult seats with the channel's per-ticket and per-order charges.
SALE = 2 * catalog.ADULT_PRICE + 2 * catalog.TICKET_FEE + catalog.ORDER_FEE


def order_of_two(reseller: Reseller) -> int:
    order_id = reseller.new_order()
    reseller.add_seats(order_id, 2)
    return order_id


def close(reseller: Reseller, order_id: int, *amounts: int, **extra) -> object:
    payments = [{"paymentMethodId": 7, "amount": amount} for amount in amounts]
    return reseller.orders.service.closeOrder(orderId=order_id, payments=payments, **extra)


def test_payments_covering_the_sale_mark_it_paid(reseller: Reseller) -> None:
    order_id = order_of_two(reseller)
    result = close(reseller, order_id, SALE - 5000, 5000)
    assert result.statusCode == "success"
    order = result.orderData
    assert (order.orderState, order.saleAmount, order.paidAmount, order.paymentState) == (
        "CLOSED",
        SALE,
        SALE,
        "PAID",
    )


def test_an_overpayment_is_recorded_as_such(reseller: Reseller) -> None:
    order = close(reseller, order_of_two(reseller), SALE + 1000).orderData
    # The real platform has no OVERPAID state: a PAID payment above the sale amount.
    assert (order.paidAmount, order.paymentState) == (SALE + 1000, "PAID")


def test_an_underpayment_is_refused_and_the_order_stays_open(reseller: Reseller) -> None:
    order_id = order_of_two(reseller)
    result = close(reseller, order_id, SALE - 1)
    assert (result.statusCode, result.statusDetail) == ("error", "error.payment.insufficient")
    details = reseller.details(order_id)
    assert (details.orderState, details.paidAmount, details.paymentState) == ("RUNNING", 0, None)
    assert all(m.barcode is None for m in details.movementDatas)


def test_invalid_payments_are_refused(reseller: Reseller) -> None:
    order_id = order_of_two(reseller)
    assert close(reseller, order_id, SALE, 0).statusDetail == "error.payment.invalid"
    assert close(reseller, order_id, SALE + 10, -10).statusDetail == "error.payment.invalid"
    missing = reseller.orders.service.closeOrder(orderId=order_id, payments=[{"amount": SALE}])
    assert missing.statusDetail == "error.payment.invalid"
    assert reseller.details(order_id).orderState == "RUNNING"


def test_closing_without_payments_leaves_settlement_to_the_reseller(reseller: Reseller) -> None:
    order = reseller.orders.service.closeOrder(orderId=order_of_two(reseller)).orderData
    assert (order.orderState, order.paidAmount, order.paymentState) == ("CLOSED", 0, None)


def test_a_retried_close_does_not_take_the_payments_twice(reseller: Reseller) -> None:
    order_id = order_of_two(reseller)
    first = close(reseller, order_id, SALE).orderData
    second = close(reseller, order_id, SALE).orderData
    assert second.paidAmount == first.paidAmount == SALE
    assert [m.barcode for m in second.movementDatas] == [m.barcode for m in first.movementDatas]


def test_close_may_turn_a_reservation_into_a_sale(reseller: Reseller) -> None:
    order_id = reseller.new_order(orderType="RESERVATION")
    reseller.add_seats(order_id, 1)
    closed = reseller.orders.service.closeOrder(
        orderId=order_id, orderType="SALE", maxWaitingTime=30
    )
    assert (closed.orderData.orderType, closed.orderData.orderState) == ("SALE", "CLOSED")
    bad = reseller.new_order()
    reseller.add_seats(bad, 1)
    refused = reseller.orders.service.closeOrder(orderId=bad, orderType="EXCHANGE")
    assert refused.statusDetail == "error.orderType.unsupported"
    assert reseller.details(bad).orderState == "RUNNING"
