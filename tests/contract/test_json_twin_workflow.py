"""The JSON twin of contract §9.2 and §9.3: the payment workflow, an attachment round trip and
external references, with the same names and keys as SOAP."""

from __future__ import annotations

import base64

from boxoffice.bootstrap import Boxoffice
from tests.contract import catalog
from tests.contract.test_json_twin import FACADE, SERVICE, call
from tests.contract.test_payments import SALE


def new_order_with_seats(app: Boxoffice) -> tuple[int, int]:
    _, created = call(
        app,
        f"{FACADE}/createOrUpdateOrder",
        {
            "pointOfSalesId": catalog.POS_A,
            "externalReference": "EXT-1",
            "origin": "newsletter",
            "singleEntryAttributionOperations": [
                {
                    "operationAttributions": [
                        {
                            "performanceId": catalog.PERFORMANCE,
                            "seatCategoryId": catalog.CATEGORY_1,
                            "audienceSubCategoryId": catalog.ADULT,
                            "quantity": 2,
                        }
                    ]
                }
            ],
        },
    )
    assert created["statusCode"] == "success", created
    data = created["orderUpdateData"]
    return data["orderId"], data["fileId"]


def test_the_payment_workflow_over_json(app: Boxoffice) -> None:
    order_id, _ = new_order_with_seats(app)
    payments = [{"paymentMethodId": 7, "amount": SALE}]
    _, requested = call(
        app,
        f"{FACADE}/createPaymentsAndCloseOrder",
        {"orderId": order_id, "payments": payments, "paymentParams": {"totalAmount": SALE}},
    )
    assert (requested["statusCode"], requested["orderData"]["paymentState"]) == (
        "success",
        "WAITING",
    )
    assert len(requested["paymentIds"]) == 1
    _, failed = call(app, f"{FACADE}/notifyOrder", {"orderId": order_id, "paymentState": "FAILED"})
    assert failed["orderData"]["paymentState"] == "FAILED"
    _, reopened = call(app, f"{FACADE}/reopenOrder", {"orderId": order_id})
    assert reopened["orderDetailsData"]["orderState"] == "RUNNING"
    call(app, f"{FACADE}/createPaymentsAndCloseOrder", {"orderId": order_id, "payments": payments})
    _, paid = call(app, f"{FACADE}/notifyOrder", {"orderId": order_id, "paymentState": "PAID"})
    order = paid["orderData"]
    assert (order["orderState"], order["paidAmount"], order["orderOriginator"]) == (
        "CLOSED",
        SALE,
        "EXTERNAL_SALE",
    )
    assert order["orderOriginData"] == "newsletter" and order["externalReference"] == "EXT-1"
    assert all(m["barcode"] for m in order["movementDatas"])


def test_attachments_and_references_over_json(app: Boxoffice) -> None:
    order_id, file_id = new_order_with_seats(app)
    _, uploaded = call(
        app,
        f"{SERVICE}/uploadFileAttachment",
        {
            "fileId": file_id,
            "contactReference": "C-1",
            "printableFileAttachmentData": {
                "data": base64.b64encode(b"voucher").decode(),
                "fileName": "v.txt",
                "mimetype": "text/plain",
                "uploadDate": "03/12/2026",
            },
        },
    )
    assert (uploaded["statusCode"], uploaded["statusDetail"]) == ("success", "")
    _, details = call(app, f"{SERVICE}/getFileDetails", {"fileId": file_id})
    [listed] = details["fileDetailsData"]["fileAttachments"]
    _, got = call(
        app, f"{SERVICE}/getFileAttachment", {"fileAttachmentId": listed["fileAttachmentId"]}
    )
    assert base64.b64decode(got["fileAttachment"]["data"]) == b"voucher"
    _, updated = call(
        app,
        f"{SERVICE}/updateExternalReferences",
        {
            "id": order_id,
            "externalReferenceKind": "ORDER",
            "externalReference": [{"key": "crm", "value": "42"}],
        },
    )
    assert updated["statusCode"] == "success"
    _, read = call(
        app, f"{SERVICE}/getExternalReference", {"id": order_id, "externalReferenceKind": "ORDER"}
    )
    assert read["externalReferences"]["externalReferences"] == [{"key": "crm", "value": "42"}]
    # externalReference is a text in createOrder and a list in updateExternalReferences.
    status, single = call(
        app,
        f"{FACADE}/createOrder",
        {"pointOfSalesId": catalog.POS_A, "externalReference": "EXT-2"},
    )
    assert (status, single["statusCode"]) == (200, "success")
