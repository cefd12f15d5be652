"""An operator sees and changes only its own channel's orders and files."""

from __future__ import annotations

from tests.contract import catalog
from tests.contract.conftest import Reseller


def test_another_channels_order_answers_exactly_as_a_missing_one(
    reseller: Reseller, other_reseller: Reseller
) -> None:
    order_id = reseller.new_order()
    line = reseller.add_seats(order_id, 2).orderUpdateData
    file_id = line.fileId
    missing = order_id + 10_000
    service = other_reseller.orders.service
    for order in (order_id, missing):
        answers = [
            service.getOrderDetails(orderId=order),
            service.validateOrder(orderId=order),
            service.closeOrder(orderId=order),
            service.abandonOrder(orderId=order),
            service.updateOperation(orderId=order, operationId=line.mainOperationId, quantity=1),
            service.cancelOperations(orderId=order, operationIds=[line.mainOperationId]),
            service.abandonMovements(
                orderId=order, movementIds=[line.movementDataUpdates[0].movementId]
            ),
            other_reseller.add_seats(order, 1),
        ]
        assert {(a.statusCode, a.statusDetail) for a in answers} == {
            ("error", "error.order.notFound")
        }
    assert service.getFileDetails(fileId=file_id).statusDetail == "error.file.notFound"
    secret = reseller.details(order_id).orderSecretId
    assert (
        service.getFileDetailsFromOrderSecretId(orderSecretId=secret).statusDetail
        == "error.file.notFound"
    )
    joined = other_reseller.facade.service.createOrder(pointOfSalesId=catalog.POS_B, fileId=file_id)
    assert joined.statusDetail == "error.file.notFound"
    assert reseller.details(order_id).orderState == "RUNNING"
    assert len(reseller.details(order_id).movementDatas) == 2


def test_each_channel_sells_only_from_its_own_contingent(
    reseller: Reseller, other_reseller: Reseller
) -> None:
    order_id = other_reseller.new_order(pos=catalog.POS_B)
    result = other_reseller.add_seats(order_id, 3)
    assert result.statusCode == "success"
    assert {m.areaId for m in result.orderUpdateData.movementDataUpdates} == {catalog.SOUTH}
    assert {m.contingentId for m in result.orderUpdateData.movementDataUpdates} == {
        catalog.CONTINGENT_B
    }
    # Channel B has no pool with a standing area and no charges.
    standing = other_reseller.add(
        order_id,
        kind="AREA",
        performanceId=catalog.PERFORMANCE,
        areaId=catalog.STANDING,
        audienceSubCategoryId=catalog.ADULT,
        quantity=1,
    )
    assert standing.statusDetail == "error.area.notFound"
    assert other_reseller.details(order_id).saleAmount == 3 * catalog.ADULT_PRICE


def test_file_details_list_the_files_orders_and_contacts(reseller: Reseller) -> None:
    created = reseller.facade.service.createOrder(
        pointOfSalesId=catalog.POS_A,
        purchasersInfo=[{"contactReference": "C-9", "firstName": "Ada"}],
    )
    file_id = created.orderUpdateData.fileId
    second = reseller.new_order(fileId=file_id)
    reseller.add_seats(second, 1)
    result = reseller.orders.service.getFileDetails(fileId=file_id)
    assert result.statusCode == "success"
    assert result.fileDetailsData.fileId == file_id
    assert result.fileDetailsData.fileState == "RUNNING"
    assert [c.contactReference for c in result.fileDetailsData.fileContacts] == ["C-9"]
    assert sorted(o.orderId for o in result.orderDetailsDatas) == sorted(
        [created.orderUpdateData.orderId, second]
    )
    by_secret = reseller.orders.service.getFileDetailsFromOrderSecretId(
        orderSecretId=created.orderUpdateData.orderSecretId
    )
    assert by_secret.fileDetailsData.fileId == file_id
