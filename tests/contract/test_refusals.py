"""Every business refusal answers statusCode=error with its key, and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from zeep.helpers import serialize_object

from boxoffice.service.error_keys import STATUS_DETAIL_KEYS
from tests.contract import catalog
from tests.contract.catalog import seat_id
from tests.contract.conftest import Reseller


def snapshot(reseller: Reseller, order_id: int) -> dict[str, Any]:
    return serialize_object(reseller.details(order_id), dict)


def order_with_seats(reseller: Reseller, quantity: int = 2) -> tuple[int, Any]:
    order_id = reseller.new_order()
    data = reseller.add_seats(order_id, quantity).orderUpdateData
    return order_id, data


def seat_line(data: Any) -> Any:
    return next(op for op in data.operationDataUpdates if op.kind == "SEAT")


def charge_line(data: Any) -> Any:
    return next(op for op in data.operationDataUpdates if op.kind == "CHARGE")


# Each case: (key, call) where call(reseller, order_id, data) makes the refused request on an
# order that already holds two seats of the best row.
Case = Callable[[Reseller, int, Any], Any]
CASES: list[tuple[str, str, Case]] = [
    ("seats beyond any row", "error.order.availability", lambda r, o, d: r.add_seats(o, 7)),
    (
        "standing over capacity",
        "error.order.availability",
        lambda r, o, d: r.add(
            o,
            kind="AREA",
            performanceId=catalog.PERFORMANCE,
            areaId=catalog.STANDING,
            audienceSubCategoryId=catalog.ADULT,
            quantity=catalog.STANDING_CAPACITY + 1,
        ),
    ),
    (
        "item over stock",
        "error.order.availability",
        lambda r, o, d: r.add(
            o,
            kind="ITEM",
            itemId=catalog.ITEM,
            audienceSubCategoryId=catalog.ADULT,
            quantity=catalog.ITEM_STOCK + 1,
        ),
    ),
    (
        "a seat already held",
        "error.seat.unavailable",
        lambda r, o, d: r.add_seats(o, None, seatIds=[d.movementDataUpdates[0].seatId]),
    ),
    (
        "a seat outside the channel's pool",
        "error.seat.notFound",
        lambda r, o, d: r.add_seats(o, None, seatIds=[7100101]),
    ),
    ("an unknown seat", "error.seat.notFound", lambda r, o, d: r.add_seats(o, None, seatIds=[999])),
    (
        "another channel's contingent",
        "error.contingent.forbidden",
        lambda r, o, d: r.add_seats(o, 1, contingentId=catalog.CONTINGENT_B),
    ),
    ("quantity zero", "error.operation.quantity", lambda r, o, d: r.add_seats(o, 0)),
    ("negative quantity", "error.operation.quantity", lambda r, o, d: r.add_seats(o, -3)),
    ("huge quantity", "error.operation.quantity", lambda r, o, d: r.add_seats(o, 2**31 - 1)),
    (
        "unknown performance",
        "error.performance.notFound",
        lambda r, o, d: r.add_seats(o, 1, performanceId=123),
    ),
    (
        "a numbered area as standing",
        "error.area.notFound",
        lambda r, o, d: r.add(
            o,
            kind="AREA",
            performanceId=catalog.PERFORMANCE,
            areaId=catalog.NORTH,
            audienceSubCategoryId=catalog.ADULT,
            quantity=1,
        ),
    ),
    (
        "unknown item",
        "error.item.notFound",
        lambda r, o, d: r.add(
            o, kind="ITEM", itemId=4242, audienceSubCategoryId=catalog.ADULT, quantity=1
        ),
    ),
    (
        "a tariff without price",
        "error.tariff.notFound",
        lambda r, o, d: r.add_seats(
            o, 1, seatCategoryId=catalog.CATEGORY_2, audienceSubCategoryId=catalog.CHILD
        ),
    ),
    (
        "unknown operation",
        "error.operation.notFound",
        lambda r, o, d: r.orders.service.updateOperation(orderId=o, operationId=987654, quantity=1),
    ),
    (
        "cancel an unknown operation next to a good one",
        "error.operation.notFound",
        lambda r, o, d: r.orders.service.cancelOperations(
            orderId=o, operationIds=[seat_line(d).operationId, 987654]
        ),
    ),
    (
        "update a charge",
        "error.operation.notChangeable",
        lambda r, o, d: r.orders.service.updateOperation(
            orderId=o, operationId=charge_line(d).operationId, quantity=5
        ),
    ),
    (
        "cancel a charge",
        "error.operation.notChangeable",
        lambda r, o, d: r.orders.service.cancelOperations(
            orderId=o, operationIds=[charge_line(d).operationId]
        ),
    ),
    (
        "unknown movement",
        "error.movement.notFound",
        lambda r, o, d: r.orders.service.abandonMovements(orderId=o, movementIds=[424242]),
    ),
    (
        "raise a line beyond what is left",
        "error.order.availability",
        lambda r, o, d: r.orders.service.updateOperation(
            orderId=o, operationId=seat_line(d).operationId, quantity=19
        ),
    ),
]


@pytest.mark.parametrize(
    "key,call", [(key, call) for _, key, call in CASES], ids=[name for name, _, _ in CASES]
)
def test_a_refused_line_answers_its_key_and_leaves_the_order_as_it_was(
    reseller: Reseller, key: str, call: Case
) -> None:
    order_id, data = order_with_seats(reseller)
    before = snapshot(reseller, order_id)
    result = call(reseller, order_id, data)
    assert (result.statusCode, result.statusDetail, result.expectedException) == (
        "error",
        key,
        True,
    )
    assert result.statusMessage and "Traceback" not in result.statusMessage
    assert snapshot(reseller, order_id) == before


def test_a_held_seat_stays_with_its_first_buyer(reseller: Reseller) -> None:
    first, data = order_with_seats(reseller)
    taken = [m.seatId for m in data.movementDataUpdates]
    second = reseller.new_order()
    refused = reseller.add_seats(second, None, seatIds=[taken[0], seat_id(3, 1)])
    assert refused.statusDetail == "error.seat.unavailable"
    # The free seat asked beside the taken one was not kept either.
    assert reseller.details(second).movementDatas == []
    assert reseller.add_seats(second, None, seatIds=[seat_id(3, 1)]).statusCode == "success"


def test_seats_run_out_with_availability_refusal(reseller: Reseller) -> None:
    order_id = reseller.new_order()
    for _ in range(3):
        assert reseller.add_seats(order_id, 6).statusCode == "success"
    result = reseller.add_seats(order_id, 1)
    assert (result.statusCode, result.statusDetail) == ("error", "error.order.availability")


def test_unknown_order_and_unknown_file_are_not_found(reseller: Reseller) -> None:
    assert (
        reseller.orders.service.getOrderDetails(orderId=999).statusDetail == "error.order.notFound"
    )
    assert reseller.orders.service.validateOrder(orderId=999).statusDetail == "error.order.notFound"
    created = reseller.facade.service.createOrder(pointOfSalesId=catalog.POS_A, fileId=999)
    assert created.statusDetail == "error.file.notFound"
    assert reseller.orders.service.getFileDetails(fileId=999).statusDetail == "error.file.notFound"


def test_create_order_refuses_a_foreign_point_of_sales_and_unknown_order_types(
    reseller: Reseller,
) -> None:
    foreign = reseller.facade.service.createOrder(pointOfSalesId=catalog.POS_B)
    assert foreign.statusDetail == "error.pointOfSales.notFound"
    exchange = reseller.facade.service.createOrder(
        pointOfSalesId=catalog.POS_A, orderType="EXCHANGE"
    )
    assert exchange.statusDetail == "error.orderType.unsupported"
    forbidden = reseller.facade.service.createOrder(
        pointOfSalesId=catalog.POS_A, contingentId=catalog.CONTINGENT_B
    )
    assert forbidden.statusDetail == "error.contingent.forbidden"
    for order_type in ("SALE", "RESERVATION", "OPTION"):
        created = reseller.facade.service.createOrder(
            pointOfSalesId=catalog.POS_A, orderType=order_type
        )
        assert created.statusCode == "success"
        assert reseller.details(created.orderUpdateData.orderId).orderType == order_type


def test_an_empty_order_cannot_be_validated_or_closed(reseller: Reseller) -> None:
    order_id = reseller.new_order()
    assert (
        reseller.orders.service.validateOrder(orderId=order_id).statusDetail == "error.order.empty"
    )
    assert reseller.orders.service.closeOrder(orderId=order_id).statusDetail == "error.order.empty"
    assert reseller.details(order_id).orderState == "RUNNING"


def test_a_validated_order_is_frozen_until_closed_or_abandoned(reseller: Reseller) -> None:
    order_id, data = order_with_seats(reseller)
    reseller.orders.service.validateOrder(orderId=order_id)
    before = snapshot(reseller, order_id)
    line = seat_line(data)
    refusals = [
        reseller.add_seats(order_id, 1),
        reseller.orders.service.updateOperation(
            orderId=order_id, operationId=line.operationId, quantity=1
        ),
        reseller.orders.service.cancelOperations(orderId=order_id, operationIds=[line.operationId]),
        reseller.orders.service.abandonMovements(
            orderId=order_id, movementIds=[data.movementDataUpdates[0].movementId]
        ),
    ]
    assert {(r.statusCode, r.statusDetail) for r in refusals} == {("error", "error.order.state")}
    assert snapshot(reseller, order_id) == before
    again = reseller.orders.service.validateOrder(orderId=order_id)
    assert (again.statusCode, again.orderUpdateData.orderState) == ("success", "VALIDATED")
    assert reseller.orders.service.closeOrder(orderId=order_id).orderData.orderState == "CLOSED"


def test_ended_orders_refuse_what_their_state_forbids(reseller: Reseller) -> None:
    closed, _ = order_with_seats(reseller)
    reseller.orders.service.closeOrder(orderId=closed)
    assert reseller.orders.service.abandonOrder(orderId=closed).statusDetail == "error.order.state"
    assert reseller.add_seats(closed, 1).statusDetail == "error.order.state"
    abandoned, _ = order_with_seats(reseller)
    reseller.orders.service.abandonOrder(orderId=abandoned)
    assert reseller.orders.service.closeOrder(orderId=abandoned).statusDetail == "error.order.state"
    assert (
        reseller.orders.service.validateOrder(orderId=abandoned).statusDetail == "error.order.state"
    )
    assert reseller.details(closed).orderState == "CLOSED"
    assert reseller.details(abandoned).orderState == "ABANDONED"


def test_every_documented_key_is_exercised_by_this_suite() -> None:
    exercised = {key for _, key, _ in CASES} | {
        "error.order.notFound",
        "error.file.notFound",
        "error.pointOfSales.notFound",
        "error.orderType.unsupported",
        "error.order.empty",
        "error.order.state",
        "error.order.expired",  # tests/contract/test_expiry.py
        "error.charge.notAllowed",
        "error.order.resumeUnsupported",  # createOrUpdateOrder tests
        "error.payment.insufficient",
        "error.payment.invalid",  # test_payments.py
        "error.order.busy",  # tests/concurrency/test_busy.py, tests/integration/test_inventory.py
        "error.product.notFound",  # test_availability_service.py
        "error.operation.unsupported",
        "error.order.noOperation",  # createOrUpdateOrder tests
        "error.attachment.tooLarge",
        "error.attachment.tooMany",
        "error.attachment.notFound",
        "error.externalReference.tooMany",
        "error.externalReference.kind",
        "error.file.status",  # test_file_records.py
        "error.order.holdLimit",  # tests/hostile/test_abuse_holds.py
        "error.file.contactLimit",  # tests/hostile/test_abuse_sizes.py
    }
    assert set(STATUS_DETAIL_KEYS.values()) <= exercised
