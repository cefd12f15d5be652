"""The payment workflow (contract §9.3): payment requested, outcome notified, failure reopened."""

from __future__ import annotations

from typing import Any

from tests.contract import catalog
from tests.contract.conftest import FakeClock, Reseller
from tests.contract.test_payments import SALE, order_of_two


def request_payment(reseller: Reseller, order_id: int, *amounts: int, **extra: Any) -> Any:
    payments = [{"paymentMethodId": 7, "amount": amount} for amount in amounts or (SALE,)]
    return reseller.facade.service.createPaymentsAndCloseOrder(
        orderId=order_id, payments=payments, **extra
    )


def notify(reseller: Reseller, order_id: int, state: str) -> Any:
    return reseller.facade.service.notifyOrder(orderId=order_id, paymentState=state)


def held_seats(reseller: Reseller, order_id: int) -> list[tuple[int, str]]:
    return [(m.seatId, m.movementState) for m in reseller.details(order_id).movementDatas]


def seats_on_sale_again(reseller: Reseller, seats: list[tuple[int, str]]) -> bool:
    """Another order can take exactly those seats by hand."""
    taken = reseller.add_seats(
        reseller.new_order(), len(seats), seatIds=[seat for seat, _ in seats]
    )
    return taken.statusCode == "success"


def test_a_requested_payment_keeps_the_order_waiting_with_its_places(reseller: Reseller) -> None:
    order_id = order_of_two(reseller)
    seats = held_seats(reseller, order_id)
    result = request_payment(
        reseller,
        order_id,
        SALE - 1000,
        1000,
        paymentParams={"contactNumber": "C-1", "totalAmount": SALE},
        isConvertedReservation=False,
        createToken=False,
    )
    assert (result.statusCode, result.expectedException) == ("success", False)
    assert len(result.paymentIds) == 2 and all(i > 0 for i in result.paymentIds)
    order = result.orderData
    assert (order.orderState, order.paymentState, order.paidAmount) == ("VALIDATED", "WAITING", 0)
    assert held_seats(reseller, order_id) == seats
    again = request_payment(reseller, order_id, SALE)
    assert (again.statusCode, again.paymentIds) == ("success", result.paymentIds)


def test_a_successful_payment_closes_the_order_with_its_tickets_once(reseller: Reseller) -> None:
    order_id = order_of_two(reseller)
    request_payment(reseller, order_id)
    closed = notify(reseller, order_id, "PAID")
    assert closed.statusCode == "success"
    order = closed.orderData
    assert (order.orderState, order.paymentState, order.paidAmount) == ("CLOSED", "PAID", SALE)
    barcodes = [m.barcode for m in order.movementDatas]
    assert all(barcodes) and len(set(barcodes)) == 2
    repeated = notify(reseller, order_id, "AUTHORIZED")
    assert [m.barcode for m in repeated.orderData.movementDatas] == barcodes
    assert request_payment(reseller, order_id).orderData.orderState == "CLOSED"


def test_a_failed_payment_is_reopened_for_a_new_attempt(reseller: Reseller) -> None:
    order_id = order_of_two(reseller)
    seats = held_seats(reseller, order_id)
    request_payment(reseller, order_id)
    failed = notify(reseller, order_id, "FAILED_REJECTED").orderData
    assert (failed.orderState, failed.paymentState) == ("VALIDATED", "FAILED")
    assert notify(reseller, order_id, "FAILED").orderData.paymentState == "FAILED"
    assert held_seats(reseller, order_id) == seats
    refused = request_payment(reseller, order_id)
    assert (refused.statusCode, refused.statusDetail) == ("error", "error.order.state")
    reopened = reseller.facade.service.reopenOrder(orderId=order_id)
    assert reopened.statusCode == "success"
    assert (reopened.orderDetailsData.orderState, reopened.orderDetailsData.paymentState) == (
        "RUNNING",
        None,
    )
    assert reseller.facade.service.reopenOrder(orderId=order_id).statusCode == "success"
    second = request_payment(reseller, order_id)
    assert second.orderData.paymentState == "WAITING"
    assert notify(reseller, order_id, "PAID").orderData.orderState == "CLOSED"


def test_an_abandoned_payment_releases_the_places(reseller: Reseller) -> None:
    order_id = order_of_two(reseller)
    seats = held_seats(reseller, order_id)
    request_payment(reseller, order_id)
    assert not seats_on_sale_again(reseller, seats)
    abandoned = notify(reseller, order_id, "ABANDONED").orderData
    assert (abandoned.orderState, abandoned.paymentState) == ("ABANDONED", "ABANDONED")
    assert seats_on_sale_again(reseller, seats)
    assert notify(reseller, order_id, "ABANDONED").orderData.orderState == "ABANDONED"


def test_a_pending_notification_changes_nothing(reseller: Reseller) -> None:
    order_id = order_of_two(reseller)
    request_payment(reseller, order_id)
    pending = notify(reseller, order_id, "IN_PROGRESS").orderData
    assert (pending.orderState, pending.paymentState) == ("VALIDATED", "WAITING")


def test_a_waiting_order_still_expires(reseller: Reseller, clock: FakeClock) -> None:
    order_id = order_of_two(reseller)
    seats = held_seats(reseller, order_id)
    request_payment(reseller, order_id)
    clock.advance(catalog.INACTIVITY_SECONDS + 1)
    assert notify(reseller, order_id, "PAID").statusDetail == "error.order.expired"
    details = reseller.details(order_id)
    assert (details.orderState, details.paymentState) == ("EXPIRED", "ABANDONED")
    assert seats_on_sale_again(reseller, seats)


def test_refused_payment_steps_change_nothing(reseller: Reseller) -> None:
    order_id = order_of_two(reseller)
    before = reseller.details(order_id)
    refusals = [
        (request_payment(reseller, order_id, SALE - 1), "error.payment.insufficient"),
        (
            request_payment(reseller, order_id, SALE, paymentParams={"totalAmount": SALE + 1}),
            "error.payment.invalid",
        ),
        (notify(reseller, order_id, "PAID"), "error.order.state"),
        (reseller.facade.service.reopenOrder(orderId=order_id), None),
    ]
    for answer, key in refusals:
        if key is not None:
            assert (answer.statusCode, answer.statusDetail) == ("error", key)
    after = reseller.details(order_id)
    assert (after.orderState, after.paymentState, after.lastUpdateDateTime) == (
        before.orderState,
        before.paymentState,
        before.lastUpdateDateTime,
    )
    assert held_seats(reseller, order_id) == [
        (m.seatId, m.movementState) for m in before.movementDatas
    ]
    request_payment(reseller, order_id)
    close = reseller.orders.service.closeOrder(orderId=order_id)
    assert (close.statusCode, close.statusDetail) == ("error", "error.order.state")
    assert reseller.details(order_id).paymentState == "WAITING"


def test_another_channels_order_answers_as_a_missing_one(
    reseller: Reseller, other_reseller: Reseller
) -> None:
    order_id = order_of_two(reseller)
    for order in (order_id, order_id + 10_000):
        answers = [
            request_payment(other_reseller, order),
            notify(other_reseller, order, "PAID"),
            other_reseller.facade.service.reopenOrder(orderId=order),
        ]
        assert {(a.statusCode, a.statusDetail) for a in answers} == {
            ("error", "error.order.notFound")
        }
    assert reseller.details(order_id).orderState == "RUNNING"


def test_granularity_trims_the_detail_of_the_answer(reseller: Reseller) -> None:
    line = {
        "operationAttributions": [
            {
                "performanceId": catalog.PERFORMANCE,
                "seatCategoryId": catalog.CATEGORY_1,
                "audienceSubCategoryId": catalog.ADULT,
                "quantity": 1,
            }
        ]
    }
    answers = {}
    for granularity in ("ORDER", "OPERATION", "MOVEMENT"):
        result = reseller.facade.service.createOrUpdateOrderWithGranularity(
            pointOfSalesId=catalog.POS_A,
            singleEntryAttributionOperations=[line],
            granularity=granularity,
        )
        assert result.statusCode == "success"
        data = result.orderUpdateData
        answers[granularity] = (bool(data.operationDataUpdates), bool(data.movementDataUpdates))
    assert answers == {
        "ORDER": (False, False),
        "OPERATION": (True, False),
        "MOVEMENT": (True, True),
    }
