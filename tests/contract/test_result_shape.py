"""Contract §9.1: every field of a result is written, empty or nil when unknown, never left
out, and carries the real platform's values (names, originator, amounts, enumerations)."""

from __future__ import annotations

from typing import Any

from lxml import etree
from spyne import ComplexModelBase
from zeep import Client
from zeep.plugins import HistoryPlugin
from zeep.wsse.username import UsernameToken

from boxoffice.bootstrap import Boxoffice
from boxoffice.soap.application import FACADE, ORDER_SERVICE
from boxoffice.soap.converters import wire_fields
from boxoffice.soap.types import wire_types
from tests.contract import catalog
from tests.contract.conftest import WSDL_DIR
from tests.contract.wsgi_transport import WsgiTransport


def recording_client(app: Boxoffice, wsdl: str) -> tuple[Any, HistoryPlugin]:
    history = HistoryPlugin()
    client = Client(
        str(WSDL_DIR / wsdl),
        wsse=UsernameToken(catalog.LOGIN_A, catalog.PASSWORD_A),
        transport=WsgiTransport(app),
        plugins=[history],
    )
    return client, history


def missing_fields(element: etree._Element, model: type[ComplexModelBase]) -> list[str]:
    """Fields of `model` (recursively) with no element under `element`."""
    missing = []
    for name in wire_fields(model):
        field_type = model.get_flat_type_info(model)[name]
        children = element.findall(name)
        repeated = field_type.Attributes.max_occurs != 1
        if not children and not repeated:
            missing.append(name)
        nested = getattr(field_type, "__orig__", None) or field_type
        if isinstance(nested, type) and issubclass(nested, ComplexModelBase):
            for child in children:
                if child.get("{http://www.w3.org/2001/XMLSchema-instance}nil") != "true":
                    missing += [f"{name}.{inner}" for inner in missing_fields(child, nested)]
    return missing


def result_element(history: HistoryPlugin) -> etree._Element:
    body = history.last_received["envelope"].find("{http://schemas.xmlsoap.org/soap/envelope/}Body")
    return body[0][0]


def test_every_result_writes_every_field_of_its_type(app: Boxoffice) -> None:
    facade, facade_history = recording_client(app, "ExternalOrderFacade.wsdl")
    service, service_history = recording_client(app, "ExternalOrderService.wsdl")
    facade_types, service_types = wire_types(FACADE.tns), wire_types(ORDER_SERVICE.tns)

    def check(history: HistoryPlugin, model: type[ComplexModelBase]) -> None:
        element = result_element(history)
        assert etree.QName(element).localname == model.get_type_name()
        assert missing_fields(element, model) == []

    created = facade.service.createOrder(
        pointOfSalesId=catalog.POS_A, purchasersInfo=[{"contactReference": "ONLY-REF"}]
    )
    check(facade_history, facade_types.OrderUpdateResult)
    order_id = created.orderUpdateData.orderId
    facade.service.addOperation(
        orderId=order_id,
        operation={
            "kind": "SEAT",
            "performanceId": catalog.PERFORMANCE,
            "seatCategoryId": catalog.CATEGORY_1,
            "audienceSubCategoryId": catalog.ADULT,
            "quantity": 2,
        },
    )
    check(facade_history, facade_types.OrderUpdateResult)
    service.service.getOrderDetails(orderId=order_id)
    check(service_history, service_types.OrderDetailResult)
    service.service.getOrderDetails(orderId=order_id + 999)
    check(service_history, service_types.OrderDetailResult)
    closed = service.service.closeOrder(orderId=order_id)
    check(service_history, service_types.CloseOrderResult)
    service.service.getFileDetails(fileId=closed.orderData.fileId)
    check(service_history, service_types.FileDetailResult)
    service.service.updateFileStatus(fileId=closed.orderData.fileId, fileStatusIC="")
    check(service_history, service_types.WebMethodResult)
    service.service.getExternalReference(id=order_id, externalReferenceKind="ORDER")
    check(service_history, service_types.ExternalReferenceResult)


def test_the_real_values_are_filled_where_boxoffice_knows_them(app: Boxoffice) -> None:
    facade, _ = recording_client(app, "ExternalOrderFacade.wsdl")
    service, _ = recording_client(app, "ExternalOrderService.wsdl")
    created = facade.service.createOrder(pointOfSalesId=catalog.POS_A, orderType="RESERVATION")
    order_id = created.orderUpdateData.orderId
    added = facade.service.addOperation(
        orderId=order_id,
        operation={
            "kind": "SEAT",
            "performanceId": catalog.PERFORMANCE,
            "seatCategoryId": catalog.CATEGORY_1,
            "audienceSubCategoryId": catalog.ADULT,
            "quantity": 2,
        },
    ).orderUpdateData
    assert added.catalogCurrency.minAmount == 10
    details = service.service.getOrderDetails(orderId=order_id).orderDetailsData
    assert details.orderOriginator == "EXTERNAL_SALE"
    assert details.referenceDate == details.creationDateTime
    assert (details.reservationAmount, details.optionAmount, details.preSaleAmount) == (
        details.saleAmount,
        0,
        0,
    )
    [line] = [op for op in details.operationDatas if op.kind == "SEAT"]
    assert (line.basePrice, line.operationNumber, line.productFamilyType) == (
        catalog.ADULT_PRICE,
        1,
        "SINGLE_ENTRY",
    )
    assert line.audienceSubCategory
    movement = details.movementDatas[0]
    assert movement.seatCategory and movement.contingent
    assert sorted(m.instanceNumber for m in details.movementDatas) == [1, 2]
