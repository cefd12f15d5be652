"""The JSON twin: the same operations, names, results and error keys as SOAP, over HTTP Basic."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from zeep.helpers import serialize_object

from boxoffice.bootstrap import Boxoffice
from tests.contract import catalog
from tests.contract.conftest import Reseller
from tests.contract.wsgi_transport import call_wsgi

BASE = "http://localhost:8080/tnseb/backend-apis"
FACADE = f"{BASE}/externalOrderFacade/v1_33"
SERVICE = f"{BASE}/externalOrderService/v1_33"


def basic(login: str = catalog.LOGIN_A, password: str = catalog.PASSWORD_A) -> str:
    return "Basic " + base64.b64encode(f"{login}:{password}".encode()).decode()


def call(
    app: Boxoffice,
    url: str,
    parameters: Any,
    *,
    authorization: str | None = None,
    method: str = "POST",
) -> tuple[int, Any]:
    body = parameters if isinstance(parameters, bytes) else json.dumps(parameters).encode()
    response = call_wsgi(
        app,
        method,
        url,
        body,
        {"Content-Type": "application/json", "Authorization": authorization or basic()},
    )
    return response.status_code, json.loads(response.content)


def test_a_whole_sale_over_json(app: Boxoffice) -> None:
    status, created = call(
        app, f"{FACADE}/createOrder", {"pointOfSalesId": catalog.POS_A, "requestId": "J-1"}
    )
    assert status == 200 and (created["requestId"], created["statusCode"]) == ("J-1", "success")
    order_id = created["orderUpdateData"]["orderId"]
    _, added = call(
        app,
        f"{FACADE}/addOperation",
        {
            "orderId": order_id,
            "operation": {
                "kind": "SEAT",
                "performanceId": catalog.PERFORMANCE,
                "seatCategoryId": catalog.CATEGORY_1,
                "audienceSubCategoryId": catalog.ADULT,
                "quantity": 2,
            },
        },
    )
    assert added["statusCode"] == "success"
    assert len(added["orderUpdateData"]["movementDataUpdates"]) == 2
    _, validated = call(app, f"{SERVICE}/validateOrder", {"orderId": order_id})
    assert validated["orderUpdateData"]["orderState"] == "VALIDATED"
    _, closed = call(app, f"{SERVICE}/closeOrder", {"orderId": order_id})
    assert closed["orderData"]["orderState"] == "CLOSED"
    assert len({m["barcode"] for m in closed["orderData"]["movementDatas"]}) == 2
    assert closed["orderData"]["saleAmount"] == (
        2 * catalog.ADULT_PRICE + 2 * catalog.TICKET_FEE + catalog.ORDER_FEE
    )


def test_json_and_soap_give_the_same_result_for_the_same_order(
    app: Boxoffice, reseller: Reseller
) -> None:
    order_id = reseller.new_order()
    reseller.add_seats(order_id, 3)
    soap = serialize_object(reseller.orders.service.getOrderDetails(orderId=order_id), dict)
    _, json_result = call(app, f"{SERVICE}/getOrderDetails", {"orderId": order_id})
    soap_details, json_details = soap["orderDetailsData"], json_result["orderDetailsData"]
    for key in ("orderId", "orderSecretId", "fileId", "orderState", "saleAmount"):
        assert json_details[key] == soap_details[key]
    assert [m["seatId"] for m in json_details["movementDatas"]] == [
        m["seatId"] for m in soap_details["movementDatas"]
    ]
    assert [op["operationId"] for op in json_details["operationDatas"]] == [
        op["operationId"] for op in soap_details["operationDatas"]
    ]


def test_a_refusal_carries_the_same_key_as_over_soap(app: Boxoffice) -> None:
    status, refused = call(app, f"{SERVICE}/getOrderDetails", {"orderId": 424242})
    assert status == 200
    assert (refused["statusCode"], refused["statusDetail"]) == ("error", "error.order.notFound")
    _, created = call(app, f"{FACADE}/createOrder", {"pointOfSalesId": catalog.POS_A})
    _, too_many = call(
        app,
        f"{FACADE}/addOperation",
        {
            "orderId": created["orderUpdateData"]["orderId"],
            "operation": {
                "kind": "ITEM",
                "itemId": catalog.ITEM,
                "audienceSubCategoryId": catalog.ADULT,
                "quantity": 3,
            },
        },
    )
    assert (too_many["statusDetail"], too_many["expectedException"]) == (
        "error.order.availability",
        True,
    )


@pytest.mark.parametrize(
    "authorization", [basic(password="wrong"), basic(login="NOBODY"), "Bearer token", "Basic !!!"]
)
def test_bad_credentials_are_refused_without_detail(app: Boxoffice, authorization: str) -> None:
    status, fault = call(
        app, f"{FACADE}/createOrder", {"pointOfSalesId": catalog.POS_A}, authorization=authorization
    )
    assert status == 401
    assert fault == {"faultcode": "Client.Authentication", "faultstring": "Authentication failed."}


def test_malformed_requests_are_client_faults(app: Boxoffice) -> None:
    status, fault = call(app, f"{FACADE}/createOrder", b"{not json")
    assert (status, fault["faultcode"]) == (400, "Client.JsonSyntaxError")
    status, fault = call(app, f"{FACADE}/createOrder", [1, 2])
    assert (status, fault["faultcode"]) == (400, "Client.JsonSyntaxError")
    status, fault = call(app, f"{FACADE}/createOrder", {"pointOfSalesId": "abc"})
    assert status == 400 and fault["faultcode"].startswith("Client.")
    status, fault = call(app, f"{FACADE}/sellEverything", {})
    assert (status, fault["faultcode"]) == (404, "Client.ResourceNotFound")
    status, fault = call(app, f"{FACADE}/createOrder", {}, method="GET")
    assert status == 405


def test_another_channels_order_is_not_found_over_json(app: Boxoffice, reseller: Reseller) -> None:
    order_id = reseller.new_order()
    _, answer = call(
        app,
        f"{SERVICE}/getOrderDetails",
        {"orderId": order_id},
        authorization=basic(catalog.LOGIN_B, catalog.PASSWORD_B),
    )
    assert answer["statusDetail"] == "error.order.notFound"
