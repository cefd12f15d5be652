"""The whole sale process over SOAP, as a reseller's zeep client drives it."""

from __future__ import annotations

from tests.contract import catalog
from tests.contract.catalog import seat_id
from tests.contract.conftest import Reseller


def live_seats(details) -> list[int]:
    return sorted(
        m.seatId
        for m in details.movementDatas
        if m.seatId is not None and m.movementState != "RELEASED"
    )


def test_create_order_opens_an_empty_running_order_in_a_new_file(reseller: Reseller) -> None:
    result = reseller.facade.service.createOrder(
        requestId="req-1",
        pointOfSalesId=catalog.POS_A,
        externalReference="EXT-1",
        purchasersInfo=[{"contactReference": "C-1", "lastName": "Doe"}],
    )
    assert (result.requestId, result.statusCode, result.expectedException) == (
        "req-1",
        "success",
        False,
    )
    data = result.orderUpdateData
    assert data.orderState == "RUNNING" and data.orderId > 0 and data.fileId > 0
    assert data.orderSecretId and data.operationDataUpdates == []
    assert data.catalogCurrency.currencyCode == "EUR"
    assert data.catalogCurrency.fractionDigit == 2
    details = reseller.details(data.orderId)
    assert (details.orderType, details.externalReference, details.contactReference) == (
        "SALE",
        "EXT-1",
        "C-1",
    )
    assert (details.salesChannelCode, details.pointOfSalesId) == ("RESELLER_A", catalog.POS_A)
    assert details.saleAmount == 0


def test_a_second_order_can_join_an_existing_file(reseller: Reseller) -> None:
    first = reseller.facade.service.createOrder(pointOfSalesId=catalog.POS_A)
    file_id = first.orderUpdateData.fileId
    second = reseller.facade.service.createOrder(pointOfSalesId=catalog.POS_A, fileId=file_id)
    assert second.orderUpdateData.fileId == file_id
    assert second.orderUpdateData.orderId != first.orderUpdateData.orderId


def test_automatic_seats_are_side_by_side_in_the_best_row(reseller: Reseller) -> None:
    order_id = reseller.new_order()
    result = reseller.add_seats(order_id, 3)
    assert result.statusCode == "success"
    data = result.orderUpdateData
    movements = data.movementDataUpdates
    assert len(movements) == 3
    assert {m.rowNumber for m in movements} == {"1"}
    numbers = sorted(int(m.seatNumber) for m in movements)
    assert numbers == list(range(numbers[0], numbers[0] + 3))
    assert all(m.areaId == catalog.NORTH and m.blockId == catalog.BLOCK_GOOD for m in movements)
    assert all(m.price == catalog.ADULT_PRICE and m.movementState == "RESERVED" for m in movements)
    [contiguity] = data.generatedContiguities
    assert sorted(contiguity.movementIds) == sorted(m.movementId for m in movements)
    assert contiguity.rowNumber == "1" and contiguity.areaId == catalog.NORTH
    seat_line = next(op for op in data.operationDataUpdates if op.kind == "SEAT")
    assert data.mainOperationId == seat_line.operationId
    assert (seat_line.quantity, seat_line.unitPrice, seat_line.totalAmount, seat_line.numbered) == (
        3,
        catalog.ADULT_PRICE,
        3 * catalog.ADULT_PRICE,
        True,
    )
    assert seat_line.fileId == data.fileId and seat_line.orderId == order_id
    assert seat_line.contingentId == catalog.CONTINGENT_A


def test_charges_are_linked_operations_recomputed_when_lines_change(reseller: Reseller) -> None:
    order_id = reseller.new_order()
    data = reseller.add_seats(order_id, 2).orderUpdateData
    seat_line = next(op for op in data.operationDataUpdates if op.kind == "SEAT")
    charges = {op.productId: op for op in data.operationDataUpdates if op.kind == "CHARGE"}
    assert charges[900].linkedOperationId == seat_line.operationId
    assert (charges[900].quantity, charges[900].totalAmount) == (2, 2 * catalog.TICKET_FEE)
    assert (charges[901].quantity, charges[901].totalAmount) == (1, catalog.ORDER_FEE)
    assert reseller.details(order_id).saleAmount == (
        2 * catalog.ADULT_PRICE + 2 * catalog.TICKET_FEE + catalog.ORDER_FEE
    )

    updated = reseller.orders.service.updateOperation(
        orderId=order_id, operationId=seat_line.operationId, quantity=4
    )
    assert updated.statusCode == "success"
    fee = next(op for op in updated.orderUpdateData.operationDataUpdates if op.productId == 900)
    assert fee.operationId == charges[900].operationId and fee.quantity == 4
    assert len(updated.orderUpdateData.movementDataUpdates) == 2
    assert reseller.details(order_id).saleAmount == (
        4 * catalog.ADULT_PRICE + 4 * catalog.TICKET_FEE + catalog.ORDER_FEE
    )

    cancelled = reseller.orders.service.cancelOperations(
        orderId=order_id, operationIds=[seat_line.operationId]
    )
    removed = set(cancelled.orderUpdateData.removeOperationIds)
    assert removed == {seat_line.operationId, charges[900].operationId, charges[901].operationId}
    assert len(cancelled.orderUpdateData.removeMovementIds) == 4
    details = reseller.details(order_id)
    assert details.saleAmount == 0 and details.operationDatas == []


def test_manual_seats_are_held_exactly_as_chosen(reseller: Reseller) -> None:
    order_id = reseller.new_order()
    chosen = [seat_id(2, 3), seat_id(2, 4)]
    result = reseller.add_seats(order_id, None, seatIds=chosen)
    assert result.statusCode == "success"
    assert sorted(m.seatId for m in result.orderUpdateData.movementDataUpdates) == chosen
    assert live_seats(reseller.details(order_id)) == chosen


def test_a_standing_area_sells_places_by_count(reseller: Reseller) -> None:
    order_id = reseller.new_order()
    result = reseller.add(
        order_id,
        kind="AREA",
        performanceId=catalog.PERFORMANCE,
        areaId=catalog.STANDING,
        audienceSubCategoryId=catalog.ADULT,
        quantity=2,
    )
    assert result.statusCode == "success"
    movements = result.orderUpdateData.movementDataUpdates
    assert [(m.type, m.areaId, m.seatId) for m in movements] == [
        ("AREA", catalog.STANDING, None)
    ] * 2
    line = next(op for op in result.orderUpdateData.operationDataUpdates if op.kind == "AREA")
    assert (line.numbered, line.quantity, line.unitPrice) == (False, 2, catalog.STANDING_PRICE)


def test_an_item_sells_units_against_its_stock(reseller: Reseller) -> None:
    order_id = reseller.new_order()
    result = reseller.add(
        order_id, kind="ITEM", itemId=catalog.ITEM, audienceSubCategoryId=catalog.ADULT, quantity=2
    )
    assert result.statusCode == "success"
    line = next(op for op in result.orderUpdateData.operationDataUpdates if op.kind == "ITEM")
    assert (line.productId, line.productCode, line.totalAmount) == (
        catalog.ITEM,
        "PARKING",
        2 * catalog.ITEM_PRICE,
    )
    # Items are not tickets: only the order fee is charged.
    assert {
        op.productId for op in result.orderUpdateData.operationDataUpdates if op.kind == "CHARGE"
    } == {901}


def test_update_operation_lowers_the_quantity_and_changes_the_tariff(reseller: Reseller) -> None:
    order_id = reseller.new_order()
    data = reseller.add_seats(order_id, 3).orderUpdateData
    line = next(op for op in data.operationDataUpdates if op.kind == "SEAT")
    result = reseller.orders.service.updateOperation(
        orderId=order_id,
        operationId=line.operationId,
        quantity=2,
        audienceSubCategoryId=catalog.CHILD,
    )
    assert result.statusCode == "success"
    assert len(result.orderUpdateData.removeMovementIds) == 1
    updated = next(
        op
        for op in result.orderUpdateData.operationDataUpdates
        if op.operationId == line.operationId
    )
    assert (updated.quantity, updated.unitPrice, updated.audienceSubCategoryId) == (
        2,
        catalog.CHILD_PRICE,
        catalog.CHILD,
    )
    details = reseller.details(order_id)
    assert len(live_seats(details)) == 2
    assert all(m.price == catalog.CHILD_PRICE for m in details.movementDatas)


def test_abandon_movements_gives_single_seats_back(reseller: Reseller) -> None:
    order_id = reseller.new_order()
    movements = reseller.add_seats(order_id, 2).orderUpdateData.movementDataUpdates
    dropped = movements[0]
    result = reseller.orders.service.abandonMovements(
        orderId=order_id, movementIds=[dropped.movementId]
    )
    assert result.statusCode == "success"
    assert result.orderUpdateData.removeMovementIds == [dropped.movementId]
    assert live_seats(reseller.details(order_id)) == [movements[1].seatId]
    again = reseller.add_seats(reseller.new_order(), None, seatIds=[dropped.seatId])
    assert again.statusCode == "success"


def test_validate_then_close_issues_one_ticket_per_movement(reseller: Reseller) -> None:
    order_id = reseller.new_order()
    reseller.add_seats(order_id, 2)
    reseller.add(
        order_id, kind="ITEM", itemId=catalog.ITEM, audienceSubCategoryId=catalog.ADULT, quantity=1
    )
    validated = reseller.orders.service.validateOrder(orderId=order_id)
    assert (validated.statusCode, validated.orderUpdateData.orderState) == ("success", "VALIDATED")
    closed = reseller.orders.service.closeOrder(orderId=order_id)
    assert closed.statusCode == "success"
    order = closed.orderData
    assert order.orderState == "CLOSED" and order.expirationDate is None
    barcodes = [m.barcode for m in order.movementDatas]
    assert len(barcodes) == 3 and len(set(barcodes)) == 3 and all(barcodes)
    assert {m.movementState for m in order.movementDatas} == {"SOLD"}
    assert order.saleAmount == (
        2 * catalog.ADULT_PRICE + catalog.ITEM_PRICE + 2 * catalog.TICKET_FEE + catalog.ORDER_FEE
    )


def test_closing_twice_returns_the_same_tickets(reseller: Reseller) -> None:
    order_id = reseller.new_order()
    reseller.add_seats(order_id, 2)
    first = reseller.orders.service.closeOrder(orderId=order_id)
    second = reseller.orders.service.closeOrder(orderId=order_id)
    assert second.statusCode == "success"
    assert [m.barcode for m in second.orderData.movementDatas] == [
        m.barcode for m in first.orderData.movementDatas
    ]


def test_closing_without_validation_and_without_barcodes_is_allowed(reseller: Reseller) -> None:
    order_id = reseller.new_order()
    reseller.add_seats(order_id, 1)
    closed = reseller.orders.service.closeOrder(
        orderId=order_id,
        generateBarCodes=False,
        purchaserInfo={"contactReference": "BUYER-9", "email": "b@example.org"},
    )
    assert closed.orderData.orderState == "CLOSED"
    assert [m.barcode for m in closed.orderData.movementDatas] == [None]
    assert closed.orderData.contactReference == "BUYER-9"


def test_abandoning_an_order_puts_every_place_back_on_sale(reseller: Reseller) -> None:
    order_id = reseller.new_order()
    seats = [m.seatId for m in reseller.add_seats(order_id, 6).orderUpdateData.movementDataUpdates]
    reseller.add(
        order_id,
        kind="AREA",
        performanceId=catalog.PERFORMANCE,
        areaId=catalog.STANDING,
        audienceSubCategoryId=catalog.ADULT,
        quantity=catalog.STANDING_CAPACITY,
    )
    abandoned = reseller.orders.service.abandonOrder(orderId=order_id)
    assert (abandoned.statusCode, abandoned.orderUpdateData.orderState) == ("success", "ABANDONED")
    assert reseller.orders.service.abandonOrder(orderId=order_id).statusCode == "success"
    buyer = reseller.new_order()
    assert reseller.add_seats(buyer, None, seatIds=seats).statusCode == "success"
    standing = reseller.add(
        buyer,
        kind="AREA",
        performanceId=catalog.PERFORMANCE,
        areaId=catalog.STANDING,
        audienceSubCategoryId=catalog.ADULT,
        quantity=catalog.STANDING_CAPACITY,
    )
    assert standing.statusCode == "success"
