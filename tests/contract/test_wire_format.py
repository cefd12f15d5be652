"""The bytes real clients read: prefixes, unqualified children, unwrapped lists, faults."""

from __future__ import annotations

import base64

import pytest
from lxml import etree

from boxoffice.bootstrap import Boxoffice
from boxoffice.soap.application import FACADE, ORDER_SERVICE
from tests.contract import catalog
from tests.contract.envelopes import (
    FACADE_URL,
    ORDER_SERVICE_URL,
    SOAP_ENV,
    envelope,
    fault_of,
    post,
    security_header,
)
from tests.contract.wsgi_transport import call_wsgi

CREATE = f"<pointOfSalesId>{catalog.POS_A}</pointOfSalesId>"


def response_root(response) -> etree._Element:
    assert response.status_code == 200, response.content
    return etree.fromstring(response.content)


def result_of(root: etree._Element, operation: str, result: str) -> etree._Element:
    body = root.find(f"{{{SOAP_ENV}}}Body")
    wrapper = body[0]
    tns = FACADE.tns if operation in ("createOrder", "addOperation") else ORDER_SERVICE.tns
    assert wrapper.tag == f"{{{tns}}}{operation}Response"
    found = wrapper.find(result)
    assert found is not None, etree.tostring(root)
    return found


def test_the_response_uses_the_java_stacks_prefixes_and_unqualified_children(
    app: Boxoffice,
) -> None:
    root = response_root(post(app, envelope("createOrder", CREATE + "<requestId>R-7</requestId>")))
    assert root.prefix == "S" and root[0].prefix == "S"
    wrapper = root[0][0]
    assert wrapper.prefix == "ns2" and etree.QName(wrapper).localname == "createOrderResponse"
    result = result_of(root, "createOrder", "OrderUpdateResult")
    assert etree.QName(result).namespace is None
    assert [etree.QName(child).namespace for child in result.iter()] == [None] * len(
        list(result.iter())
    )
    assert result.findtext("statusCode") == "success"
    assert result.findtext("requestId") == "R-7"
    assert int(result.findtext("orderUpdateData/orderId")) > 0


def test_lists_are_repeated_elements_without_a_wrapper(app: Boxoffice) -> None:
    created = result_of(
        response_root(post(app, envelope("createOrder", CREATE))),
        "createOrder",
        "OrderUpdateResult",
    )
    order_id = created.findtext("orderUpdateData/orderId")
    operation = (
        f"<orderId>{order_id}</orderId><operation><kind>SEAT</kind>"
        f"<performanceId>{catalog.PERFORMANCE}</performanceId>"
        f"<seatCategoryId>{catalog.CATEGORY_1}</seatCategoryId>"
        f"<audienceSubCategoryId>{catalog.ADULT}</audienceSubCategoryId>"
        "<quantity>2</quantity></operation>"
    )
    result = result_of(
        response_root(post(app, envelope("addOperation", operation))),
        "addOperation",
        "OrderUpdateResult",
    )
    data = result.find("orderUpdateData")
    assert len(data.findall("movementDataUpdates")) == 2
    assert all(m.find("movementId") is not None for m in data.findall("movementDataUpdates"))
    assert len(data.findall("generatedContiguities/movementIds")) == 2
    assert data.findtext("movementDataUpdates/price") == str(catalog.ADULT_PRICE)


def test_the_namespace_may_carry_a_trailing_slash_and_children_may_be_spaced(
    app: Boxoffice,
) -> None:
    body = envelope(
        "createOrder",
        f"\n   <pointOfSalesId> {catalog.POS_A} </pointOfSalesId>\n  ",
        tns=FACADE.tns + "/",
    )
    result = result_of(response_root(post(app, body)), "createOrder", "OrderUpdateResult")
    assert result.findtext("statusCode") == "success"


def test_optional_parameters_may_be_empty_or_nil(app: Boxoffice) -> None:
    parameters = (
        CREATE + '<orderType xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:nil="true"/><externalReference/><fileId xsi:nil="true" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/><contingentId/>'
        "<purchasersInfo/>"
    )
    result = result_of(
        response_root(post(app, envelope("createOrder", parameters))),
        "createOrder",
        "OrderUpdateResult",
    )
    assert result.findtext("statusCode") == "success"


def test_http_basic_authentication_is_accepted(app: Boxoffice) -> None:
    token = base64.b64encode(f"{catalog.LOGIN_A}:{catalog.PASSWORD_A}".encode()).decode()
    response = post(app, envelope("createOrder", CREATE, header=""), Authorization=f"Basic {token}")
    assert (
        result_of(response_root(response), "createOrder", "OrderUpdateResult").findtext(
            "statusCode"
        )
        == "success"
    )


@pytest.mark.parametrize(
    "header",
    [
        security_header(password="wrong"),
        security_header(login="NOBODY"),
        security_header(login=catalog.LOGIN_B, password=catalog.PASSWORD_A),
        "",
    ],
    ids=["wrong password", "unknown login", "another operator's password", "no header"],
)
def test_bad_credentials_are_one_indistinct_authentication_fault(
    app: Boxoffice, header: str
) -> None:
    response = post(app, envelope("createOrder", CREATE, header=header))
    assert response.status_code == 500
    assert fault_of(response) == ("S:Client.Authentication", "Authentication failed.")


@pytest.mark.parametrize(
    "body,code",
    [
        (b"<S:Envelope", "S:Client.XMLSyntaxError"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "boom">]>'
            + envelope("createOrder", CREATE),
            "S:Client.ForbiddenMarkup",
        ),
        (
            b'<?xml version="1.0"?><?evil run?>' + envelope("createOrder", CREATE),
            "S:Client.ForbiddenMarkup",
        ),
        (b"\xff\xfe<bad utf-8 \xc3\x28/>", "S:Client.XMLSyntaxError"),
    ],
    ids=["truncated", "doctype", "processing instruction", "invalid utf-8"],
)
def test_unsafe_or_malformed_xml_is_a_client_fault_that_leaks_nothing(
    app: Boxoffice, body: bytes, code: str
) -> None:
    response = post(app, body)
    assert response.status_code == 500
    fault_code, message = fault_of(response)
    assert fault_code == code
    assert "line" not in message and "lxml" not in message and "boom" not in message


def test_a_body_over_the_limit_is_refused_before_parsing(app: Boxoffice) -> None:
    huge = envelope(
        "createOrder", CREATE + "<externalReference>" + "x" * (1024 * 1024) + "</externalReference>"
    )
    response = post(app, huge)
    assert response.status_code == 413
    assert fault_of(response)[0] == "S:Client.RequestTooLarge"


def test_get_without_wsdl_and_a_wrong_content_type_are_refused(app: Boxoffice) -> None:
    assert call_wsgi(app, "GET", FACADE_URL).status_code == 405
    response = post(app, envelope("createOrder", CREATE), content_type="application/json")
    assert fault_of(response)[0] == "S:Client.ContentType"


def test_schema_violations_and_unknown_operations_are_client_faults(app: Boxoffice) -> None:
    wrong_type = post(app, envelope("createOrder", "<pointOfSalesId>abc</pointOfSalesId>"))
    assert fault_of(wrong_type)[0].startswith("S:Client")
    unknown = post(app, envelope("sellEverything", CREATE))
    assert fault_of(unknown)[0].startswith("S:Client")
    missing = post(app, envelope("validateOrder", "", tns=ORDER_SERVICE.tns), url=ORDER_SERVICE_URL)
    assert fault_of(missing)[0].startswith("S:Client")


def test_an_unexpected_error_is_a_server_fault_with_only_a_correlation_id(
    app: Boxoffice, monkeypatch: pytest.MonkeyPatch
) -> None:
    from boxoffice.service import orders

    def broken(*args, **kwargs):
        raise RuntimeError("SELECT secret FROM internals")

    monkeypatch.setattr(orders, "create_order", broken)
    response = post(app, envelope("createOrder", CREATE))
    assert response.status_code == 500
    code, message = fault_of(response)
    root = etree.fromstring(response.content)
    correlation = root.findtext(f".//{{{SOAP_ENV}}}Fault/detail/correlationId")
    assert code == "S:Server" and correlation and correlation in message
    assert b"SELECT" not in response.content and b"Traceback" not in response.content


def test_each_endpoint_serves_its_wsdl(app: Boxoffice) -> None:
    for definition in (FACADE, ORDER_SERVICE):
        response = call_wsgi(app, "GET", f"http://localhost:8080{definition.path}?wsdl")
        assert response.status_code == 200
        root = etree.fromstring(response.content)
        assert root.get("targetNamespace") == definition.tns
