"""createOrUpdateOrder as real S-360 clients call it: many lines, all or nothing."""

from __future__ import annotations

from typing import Any

from tests.contract import catalog
from tests.contract.conftest import Reseller


def attribution(quantity: int, audience: int = catalog.ADULT, **extra: Any) -> dict[str, Any]:
    return {
        "performanceId": catalog.PERFORMANCE,
        "seatCategoryId": catalog.CATEGORY_1,
        "audienceSubCategoryId": audience,
        "quantity": quantity,
    } | extra


def call(reseller: Reseller, **parameters: Any) -> Any:
    parameters.setdefault("pointOfSalesId", catalog.POS_A)
    return reseller.facade.service.createOrUpdateOrder(**parameters)


def test_without_order_id_it_opens_an_order_with_every_line(reseller: Reseller) -> None:
    result = call(
        reseller,
        singleEntryAttributionOperations=[
            {"operationAttributions": [attribution(2), attribution(1, catalog.CHILD)]}
        ],
        simpleProductOperations=[
            {"itemId": catalog.ITEM, "audienceSubCategoryId": catalog.ADULT, "quantity": 1}
        ],
    )
    assert (result.statusCode, result.expectedException) == ("success", False)
    data = result.orderUpdateData
    assert data.orderId and data.orderSecretId and data.orderState == "RUNNING"
    lines = [op for op in data.operationDataUpdates if op.kind != "CHARGE"]
    assert sorted((op.kind, op.quantity, op.unitPrice) for op in lines) == sorted(
        [
            ("SEAT", 2, catalog.ADULT_PRICE),
            ("SEAT", 1, catalog.CHILD_PRICE),
            ("ITEM", 1, catalog.ITEM_PRICE),
        ]
    )
    assert all(op.operationId and op.fileId == data.fileId for op in data.operationDataUpdates)
    seats = [m for m in data.movementDataUpdates if m.type == "SEAT"]
    assert len(seats) == 3 and all(m.movementId for m in data.movementDataUpdates)
    # The party of three sits together although it buys two tariffs.
    [contiguity] = data.generatedContiguities
    assert sorted(contiguity.movementIds) == sorted(m.movementId for m in seats)
    assert len({m.rowNumber for m in seats}) == 1
    assert data.catalogCurrency.currencyCode == "EUR"


def test_with_order_id_it_adds_to_the_order(reseller: Reseller) -> None:
    order_id = reseller.new_order()
    result = call(
        reseller,
        orderId=order_id,
        singleEntryAttributionOperations=[
            {"operationAttributions": [attribution(2)], "preferedAreas": [catalog.NORTH]}
        ],
    )
    assert result.orderUpdateData.orderId == order_id
    assert len(reseller.details(order_id).movementDatas) == 2


def test_a_standing_category_attribution_takes_standing_places(reseller: Reseller) -> None:
    result = call(
        reseller,
        singleEntryAttributionOperations=[
            {"operationAttributions": [attribution(2, seatCategoryId=catalog.FLOOR)]}
        ],
    )
    assert result.statusCode == "success"
    movements = result.orderUpdateData.movementDataUpdates
    assert [(m.type, m.areaId, m.seatId) for m in movements] == [
        ("AREA", catalog.STANDING, None)
    ] * 2
    line = next(op for op in result.orderUpdateData.operationDataUpdates if op.kind == "AREA")
    assert line.unitPrice == catalog.STANDING_PRICE


def test_one_failing_line_refuses_the_whole_call(reseller: Reseller) -> None:
    order_id = reseller.new_order()
    result = call(
        reseller,
        orderId=order_id,
        singleEntryAttributionOperations=[
            {"operationAttributions": [attribution(2)]},
            {"operationAttributions": [attribution(7)]},
        ],
    )
    assert (result.statusCode, result.statusDetail) == ("error", "error.order.availability")
    assert reseller.details(order_id).movementDatas == []
    new_order = call(
        reseller,
        singleEntryAttributionOperations=[{"operationAttributions": [attribution(2)]}],
        simpleProductOperations=[
            {
                "itemId": catalog.ITEM,
                "audienceSubCategoryId": catalog.ADULT,
                "quantity": catalog.ITEM_STOCK + 1,
            }
        ],
    )
    assert new_order.statusDetail == "error.order.availability"
    # No order was left behind: the next one made gets the seats the refused call wanted.
    again = call(
        reseller, singleEntryAttributionOperations=[{"operationAttributions": [attribution(6)]}]
    )
    assert {m.rowNumber for m in again.orderUpdateData.movementDataUpdates} == {"1"}


def test_charges_and_resume_flags_are_refused_clearly(reseller: Reseller) -> None:
    charges = call(reseller, chargeOperations=[{"chargeId": 900, "quantity": 1}])
    assert charges.statusDetail == "error.charge.notAllowed"
    resume = call(reseller, isResumeAllOptionOperations=True)
    assert resume.statusDetail == "error.order.resumeUnsupported"
    plain = call(
        reseller,
        isResumeAllOptionOperations=False,
        isResumeAllReservationOperations=False,
        singleEntryAttributionOperations=[{"operationAttributions": [attribution(1)]}],
    )
    assert plain.statusCode == "success"


def test_every_real_parameter_is_accepted_and_kept(reseller: Reseller) -> None:
    result = call(
        reseller,
        origin="newsletter",
        externalReference="EXT-1",
        purchasersInfo=[{"contactReference": "BUYER"}],
        fileContacts=[{"contactReference": "GUEST", "firstName": "Ana"}],
        composedProductOperations=[],
        transportProductOperations=[],
        singleEntryAttributionOperations=[{"operationAttributions": [attribution(1)]}],
    )
    assert result.statusCode == "success"
    assert result.orderUpdateData.origin == "newsletter"
    order_id, file_id = result.orderUpdateData.orderId, result.orderUpdateData.fileId
    details = reseller.details(order_id)
    assert (details.orderOriginData, details.externalReference, details.contactReference) == (
        "newsletter",
        "EXT-1",
        "BUYER",
    )
    contacts = reseller.orders.service.getFileDetails(fileId=file_id).fileDetailsData
    assert [c.contactReference for c in contacts.fileContacts] == ["BUYER", "GUEST"]


def test_on_an_existing_order_purchasers_and_external_reference_update_it(
    reseller: Reseller,
) -> None:
    order_id = reseller.new_order(externalReference="OLD")
    result = call(
        reseller,
        orderId=order_id,
        externalReference="NEW",
        purchasersInfo=[{"contactReference": "LATER"}],
        simpleProductOperations=[
            {"itemId": catalog.ITEM, "audienceSubCategoryId": catalog.ADULT, "quantity": 1}
        ],
    )
    assert result.statusCode == "success"
    details = reseller.details(order_id)
    assert (details.externalReference, details.contactReference) == ("NEW", "LATER")


def test_lists_boxoffice_does_not_sell_and_no_list_are_refused_changing_nothing(
    reseller: Reseller,
) -> None:
    order_id = reseller.new_order(externalReference="KEPT")
    before = reseller.details(order_id)
    composed = call(
        reseller,
        orderId=order_id,
        externalReference="CHANGED",
        composedProductOperations=[{"productId": 5, "quantity": 1}],
        singleEntryAttributionOperations=[{"operationAttributions": [attribution(1)]}],
    )
    transport = call(
        reseller, orderId=order_id, transportProductOperations=[{"productId": 6, "quantity": 1}]
    )
    nothing = call(reseller, orderId=order_id, externalReference="CHANGED")
    assert [(r.statusCode, r.statusDetail) for r in (composed, transport, nothing)] == [
        ("error", "error.operation.unsupported"),
        ("error", "error.operation.unsupported"),
        ("error", "error.order.noOperation"),
    ]
    after = reseller.details(order_id)
    assert (after.externalReference, after.lastUpdateDateTime, list(after.operationDatas)) == (
        "KEPT",
        before.lastUpdateDateTime,
        [],
    )
    opened = call(reseller)
    assert opened.statusDetail == "error.order.noOperation"
