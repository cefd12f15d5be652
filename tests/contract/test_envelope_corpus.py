"""Hand-written requests, one file per way real clients write them, replayed byte for byte.

Each file under `envelopes/` is POSTed exactly as stored (no templating: ids are those a fresh
database gives, the first order and file being 1), with the SOAPAction header its client
sends. The response is turned into a dict the way real clients turn it into JSON (keys are
the qualified names as written, `'S:Envelope'` -> `'S:Body'` -> `'ns2:createOrderResponse'`
-> `'OrderUpdateResult'` -> `'statusCode'`) and checked on those exact paths.

`VARIANTS` is the one table of expectations: who writes a request that way, the calls that
must run first (other files of the corpus, by name), and the values expected in the result.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from boxoffice.bootstrap import Boxoffice
from boxoffice.soap.application import FACADE, ORDER_SERVICE
from tests.contract import catalog
from tests.contract.envelopes import FACADE_URL, ORDER_SERVICE_URL, post

CORPUS = Path(__file__).resolve().parent / "envelopes"
FACADE_OPERATIONS = (
    "createOrder",
    "addOperation",
    "createOrUpdateOrder",
    "createOrUpdateOrderWithGranularity",
    "createPaymentsAndCloseOrder",
    "notifyOrder",
    "reopenOrder",
)
RESULT_ELEMENT = {
    "createOrder": "OrderUpdateResult",
    "addOperation": "OrderUpdateResult",
    "createOrUpdateOrder": "OrderUpdateResult",
    "updateOperation": "OrderUpdateResult",
    "cancelOperations": "OrderUpdateResult",
    "abandonMovements": "OrderUpdateResult",
    "validateOrder": "OrderUpdateResult",
    "abandonOrder": "OrderUpdateResult",
    "closeOrder": "CloseOrderResult",
    "getOrderDetails": "OrderDetailResult",
    "getFileDetails": "FileDetailResult",
    "createOrUpdateOrderWithGranularity": "OrderUpdateResult",
    "createPaymentsAndCloseOrder": "PaymentsAndCloseOrderResult",
    "notifyOrder": "CloseOrderResult",
    "reopenOrder": "OrderDetailResult",
    "updateFileStatus": "WebMethodResult",
    "uploadFileAttachment": "WebMethodResult",
    "getFileAttachment": "PrintableFileAttachmentResult",
    "deleteFileAttachment": "WebMethodResult",
    "updateExternalReferences": "WebMethodResult",
    "getExternalReference": "ExternalReferenceResult",
}
# The id a successful result of each kind must carry.
ID_PATH = {
    "OrderUpdateResult": "orderUpdateData.orderId",
    "CloseOrderResult": "orderData.orderId",
    "OrderDetailResult": "orderDetailsData.orderId",
    "FileDetailResult": "fileDetailsData.fileId",
    "PaymentsAndCloseOrderResult": "orderData.orderId",
    "ExternalReferenceResult": "externalReferences.id",
}

ID = object()  # expected value: a positive integer
TEXT = object()  # expected value: any non-blank text
MISSING = object()  # expected value: no such element (an empty list)
BASIC_A = "Basic " + base64.b64encode(f"{catalog.LOGIN_A}:{catalog.PASSWORD_A}".encode()).decode()

NEW_ORDER = ("createOrder.jaxws-metro.xml",)
ORDER_WITH_SEATS = (*NEW_ORDER, "addOperation.seat-best-available.xml")
PAYMENT_WAITING = (*ORDER_WITH_SEATS, "createPaymentsAndCloseOrder.soapui.xml")
ATTACHMENT_STORED = (*NEW_ORDER, "uploadFileAttachment.soapui-inline-base64.xml")


@dataclass(frozen=True)
class Variant:
    client: str
    soap_action: str | None = '""'  # None: no SOAPAction header at all
    authorization: str | None = None
    setup: tuple[str, ...] = ()
    expect: Mapping[str, Any] = field(default_factory=dict)  # dotted path in the result
    status_detail: str | None = None  # a business refusal: statusCode=error with this key
    fault: str | None = None  # a SOAP fault with this faultcode
    known_gap: str | None = None  # refused today though a real client sends it: strict xfail
    content_type: str = "text/xml; charset=utf-8"


VARIANTS: dict[str, Variant] = {
    # --- createOrder: every client stack's envelope and WS-Security shape ---
    "createOrder.soapui.xml": Variant(
        "SoapUI: soapenv:, v1: prefix, <!--Optional:--> comments, 3-space indentation; wsse: "
        "token with mustUnderstand=1, wsu:Id, Type=PasswordText, Nonce, wsu:Created",
        soap_action='"createOrder"',
        expect={
            "requestId": "soapui-1",
            "orderUpdateData.orderId": "1",
            "orderUpdateData.fileId": "1",
            "orderUpdateData.orderState": "RUNNING",
            "orderUpdateData.orderSecretId": TEXT,
        },
    ),
    "createOrder.wcf.xml": Variant(
        ".NET WCF: s: envelope, o: security prefix, u:Timestamp before the token, operation "
        'in a default namespace, parameters xmlns="", one line, no XML declaration',
        soap_action='"createOrder"',
        expect={
            "requestId": "wcf-1",
            "orderUpdateData.orderId": "1",
            "orderUpdateData.catalogCurrency.currencyCode": "EUR",
            "orderUpdateData.catalogCurrency.fractionDigit": "2",
        },
    ),
    "createOrder.jaxws-metro.xml": Variant(
        "JAX-WS RI (Metro): <?xml version='1.0'?> in single quotes, S: and ns2: prefixes, "
        "wsse: token with Type=PasswordText, no wsu:Id",
        soap_action='"createOrder"',
        expect={"orderUpdateData.orderId": "1", "orderUpdateData.fileId": "1"},
    ),
    "createOrder.cxf-mustunderstand-true.xml": Variant(
        'Apache CXF/WSS4J: soap: prefix, mustUnderstand="true", wsu:Id, Nonce, wsu:Created',
        expect={"requestId": "cxf-1", "orderUpdateData.orderId": "1"},
    ),
    "createOrder.php-soapclient.xml": Variant(
        "PHP SoapClient + SoapHeader: SOAP-ENV:, ns1:, security in ns2: without Type "
        "attribute, XML declaration then a line break",
        soap_action='"createOrder"',
        expect={"requestId": "php-1", "orderUpdateData.orderId": "1"},
    ),
    "createOrder.node-soap.xml": Variant(
        "node-soap WSSecurity: soap: and tns: prefixes, wsu:Timestamp, token with its own "
        "xmlns:wsu, wsu:Id and wsu:Created",
        soap_action='"createOrder"',
        expect={"requestId": "node-1", "orderUpdateData.orderId": "1"},
    ),
    "createOrder.trailing-slash-namespace.xml": Variant(
        "hand-written: target namespace with a trailing '/', token without mustUnderstand "
        "nor Type, indented",
        soap_action=None,
        expect={"orderUpdateData.orderId": "1"},
    ),
    "createOrder.crlf-line-endings.xml": Variant(
        "Windows editor / .NET hand-built: CRLF line endings, default-namespace operation",
        expect={"requestId": "crlf-1", "orderUpdateData.orderId": "1"},
    ),
    "createOrder.utf8-bom.xml": Variant(
        "UTF-8 byte order mark before the XML declaration, non-ASCII text",
        soap_action='"http://v1_33.ExternalOrderFacade.service.secutix.com/createOrder"',
        expect={"requestId": "bom-1", "orderUpdateData.orderId": "1"},
    ),
    "createOrder.iso-8859-1-declaration.xml": Variant(
        "PHP SoapClient with encoding ISO-8859-1: Latin-1 bytes and declaration, no mustUnderstand",
        soap_action='"createOrder"',
        expect={"requestId": "latin1-1", "orderUpdateData.orderId": "1"},
    ),
    "createOrder.empty-and-nil-optionals.xml": Variant(
        "optional parameters empty (<requestId/>, <externalReference></externalReference>) "
        "or xsi:nil (orderType, fileId, contingentId)",
        expect={"requestId": None, "orderUpdateData.orderId": "1"},
    ),
    "createOrder.empty-long-elements.xml": Variant(
        "optional numeric and text parameters as empty elements (<fileId/>, "
        "<contingentId></contingentId>, <orderType></orderType>)",
        expect={"orderUpdateData.orderId": "1", "orderUpdateData.fileId": "1"},
    ),
    "createOrder.whitespace-everywhere.xml": Variant(
        "blank lines before the root, spaces around '=' and before '>', tabs, a line-broken "
        "username and id, single-quoted xmlns",
        expect={"requestId": "ws-1", "orderUpdateData.orderId": "1"},
    ),
    "createOrder.http-basic-empty-header.xml": Variant(
        "SoapUI with HTTP Basic authentication: empty <soapenv:Header/>",
        soap_action='"createOrder"',
        authorization=BASIC_A,
        expect={"orderUpdateData.orderId": "1"},
    ),
    "createOrder.http-basic-no-header.xml": Variant(
        "curl with HTTP Basic: no SOAP Header at all, default namespace with trailing '/'",
        soap_action=None,
        authorization=BASIC_A,
        expect={"orderUpdateData.orderId": "1"},
    ),
    "createOrder.purchasers-contingent-file.xml": Variant(
        "every createOrder parameter: purchasersInfo twice, fileId of an existing file, "
        "contingentId, externalReference; wsu:Timestamp and wsu:Id",
        setup=NEW_ORDER,
        expect={
            "requestId": "second-order-same-file",
            "orderUpdateData.orderId": "2",
            "orderUpdateData.fileId": "1",
        },
    ),
    # --- createOrUpdateOrder ---
    "createOrUpdateOrder.new-order-lines.xml": Variant(
        "no orderId: a new order with two seat groups (two tariffs, preferedAreas) and an "
        "item line; isResume booleans left out",
        expect={
            "requestId": "coupo-1",
            "orderUpdateData.orderId": "1",
            "orderUpdateData.mainOperationId": ID,
            "orderUpdateData.operationDataUpdates.0.operationId": ID,
            "orderUpdateData.operationDataUpdates.0.fileId": "1",
            "orderUpdateData.movementDataUpdates.0.movementId": ID,
            "orderUpdateData.generatedContiguities.0.movementIds.0": ID,
            "orderUpdateData.catalogCurrency.currencyCode": "EUR",
        },
    ),
    "createOrUpdateOrder.wcf-default-namespace.xml": Variant(
        '.NET WCF: default-namespace operation, xmlns="" on each parameter, nested '
        "children inherit the empty namespace",
        soap_action='"createOrUpdateOrder"',
        expect={
            "requestId": "wcf-coupo",
            "orderUpdateData.orderId": "1",
            "orderUpdateData.operationDataUpdates.0.kind": "SEAT",
            "orderUpdateData.operationDataUpdates.0.quantity": "2",
            "orderUpdateData.operationDataUpdates.0.contingentId": "10",
            "orderUpdateData.movementDataUpdates.1.movementId": "2",
        },
    ),
    "createOrUpdateOrder.isresume-false-and-zero.xml": Variant(
        "PHP SoapClient sending the isResume booleans as 'false' and '0'",
        soap_action='"createOrUpdateOrder"',
        expect={
            "orderUpdateData.operationDataUpdates.0.kind": "ITEM",
            "orderUpdateData.operationDataUpdates.0.totalAmount": "16000",
        },
    ),
    "createOrUpdateOrder.existing-order.xml": Variant(
        "orderId given: lines added to order 1; namespace with trailing '/'",
        setup=NEW_ORDER,
        expect={
            "orderUpdateData.orderId": "1",
            "orderUpdateData.mainOperationId": "1",
            "orderUpdateData.operationDataUpdates.0.unitPrice": "30000",
            "orderUpdateData.movementDataUpdates.0.blockId": "701",
        },
    ),
    "createOrUpdateOrder.nil-order-id.xml": Variant(
        "orderId, fileId, requestId, isResume... as xsi:nil or empty; token with wsu:Created "
        "and no Type",
        expect={
            "requestId": None,
            "orderUpdateData.orderId": "1",
            "orderUpdateData.operationDataUpdates.0.kind": "AREA",
            "orderUpdateData.operationDataUpdates.0.quantity": "3",
        },
    ),
    # --- addOperation ---
    "addOperation.seat-best-available.xml": Variant(
        "JAX-WS: automatic best-available seats, contiguous and preferedAreas left out",
        soap_action='"addOperation"',
        setup=NEW_ORDER,
        expect={
            "orderUpdateData.operationDataUpdates.0.operationId": "1",
            "orderUpdateData.operationDataUpdates.0.totalAmount": "80000",
            "orderUpdateData.movementDataUpdates.0.movementId": "1",
            "orderUpdateData.movementDataUpdates.1.movementId": "2",
            "orderUpdateData.movementDataUpdates.0.price": "40000",
            "orderUpdateData.generatedContiguities.movementIds": ["1", "2"],
        },
    ),
    "addOperation.seat-manual-seat-ids.xml": Variant(
        "SoapUI: seats chosen by seatIds (repeated, one with line breaks around the value)",
        soap_action='"addOperation"',
        setup=NEW_ORDER,
        expect={
            "requestId": "manual-seats",
            "orderUpdateData.movementDataUpdates.0.seatId": str(catalog.seat_id(2, 3)),
            "orderUpdateData.movementDataUpdates.1.seatId": str(catalog.seat_id(2, 4)),
            "orderUpdateData.movementDataUpdates.0.rowNumber": "2",
        },
    ),
    "addOperation.area-wcf.xml": Variant(
        '.NET WCF: standing area (AREA), the operation element xmlns=""',
        soap_action='"addOperation"',
        setup=NEW_ORDER,
        expect={
            "orderUpdateData.operationDataUpdates.0.kind": "AREA",
            "orderUpdateData.operationDataUpdates.0.numbered": "false",
            "orderUpdateData.movementDataUpdates.0.areaId": str(catalog.STANDING),
        },
    ),
    "addOperation.item-empty-and-nil.xml": Variant(
        "PHP: ITEM with the unused fields present but empty or xsi:nil",
        soap_action='"addOperation"',
        setup=NEW_ORDER,
        expect={
            "orderUpdateData.operationDataUpdates.0.kind": "ITEM",
            "orderUpdateData.movementDataUpdates.type": "ITEM",
        },
    ),
    "addOperation.seat-preferred-area-not-contiguous.xml": Variant(
        "node-soap: preferedAreas, contiguous=false, contingentId, namespace with '/'",
        soap_action='"addOperation"',
        setup=NEW_ORDER,
        expect={
            "requestId": "node-add",
            "orderUpdateData.operationDataUpdates.0.quantity": "3",
            "orderUpdateData.movementDataUpdates.2.areaId": str(catalog.NORTH),
        },
    ),
    # --- ExternalOrderService ---
    "updateOperation.jaxws-metro.xml": Variant(
        "JAX-WS: quantity 2 -> 3",
        soap_action='"updateOperation"',
        setup=ORDER_WITH_SEATS,
        expect={"orderUpdateData.operationDataUpdates.0.quantity": "3"},
    ),
    "updateOperation.tariff-change-nil-quantity.xml": Variant(
        "hand-written: quantity xsi:nil, tariff changed, namespace with '/'",
        setup=ORDER_WITH_SEATS,
        expect={
            "orderUpdateData.operationDataUpdates.0.audienceSubCategoryId": str(catalog.CHILD),
            "orderUpdateData.operationDataUpdates.0.quantity": "2",
        },
    ),
    "cancelOperations.repeated-ids.xml": Variant(
        "PHP: operationIds as a repeated element, movementIds left out",
        soap_action='"cancelOperations"',
        setup=ORDER_WITH_SEATS,
        expect={
            "orderUpdateData.removeOperationIds": ["1", "2", "3"],
            "orderUpdateData.removeMovementIds": ["1", "2"],
        },
    ),
    "cancelOperations.empty-movement-ids.xml": Variant(
        "SoapUI template with the repeated movementIds left empty (<movementIds/>)",
        soap_action='"cancelOperations"',
        setup=ORDER_WITH_SEATS,
        expect={
            "orderUpdateData.removeOperationIds": ["1", "2", "3"],
            "orderUpdateData.removeMovementIds": ["1", "2"],
        },
    ),
    "abandonMovements.wcf.xml": Variant(
        ".NET WCF: one movementIds element",
        soap_action='"abandonMovements"',
        setup=ORDER_WITH_SEATS,
        expect={"orderUpdateData.removeMovementIds": "2"},
    ),
    "validateOrder.soapui.xml": Variant(
        "SoapUI with the full token (wsu:Id, Nonce, Created) and comments",
        soap_action='"validateOrder"',
        setup=ORDER_WITH_SEATS,
        expect={"requestId": "validate-1", "orderUpdateData.orderState": "VALIDATED"},
    ),
    "closeOrder.real-shape-payments.xml": Variant(
        "closeOrder in the real shape: purchaserInfo, generateBarCodes, maxWaitingTime, "
        "orderType, two payments covering the sale; Nonce without EncodingType",
        setup=(*ORDER_WITH_SEATS, "validateOrder.soapui.xml"),
        expect={
            "requestId": "close-1",
            "orderData.orderState": "CLOSED",
            "orderData.saleAmount": "85000",
            "orderData.paidAmount": "85000",
            "orderData.paymentState": "PAID",
            "orderData.movementDatas.0.barcode": TEXT,
        },
    ),
    "closeOrder.minimal-node-soap.xml": Variant(
        "node-soap: only orderId (closing without validateOrder first)",
        soap_action='"closeOrder"',
        setup=ORDER_WITH_SEATS,
        expect={"orderData.orderState": "CLOSED", "orderData.movementDatas.1.barcode": TEXT},
    ),
    "closeOrder.no-barcodes-nil-optionals.xml": Variant(
        "generateBarCodes=false; purchaserInfo and orderType xsi:nil, maxWaitingTime empty",
        setup=ORDER_WITH_SEATS,
        expect={
            "orderData.orderState": "CLOSED",
            "orderData.movementDatas.0.movementState": "SOLD",
            "orderData.movementDatas.0.barcode": None,
            "orderData.movementDatas.1.barcode": None,
            "orderData.paidAmount": "0",
        },
    ),
    "getOrderDetails.jaxws-metro.xml": Variant(
        "JAX-WS",
        soap_action='"getOrderDetails"',
        setup=ORDER_WITH_SEATS,
        expect={
            "requestId": "details-1",
            "orderDetailsData.orderState": "RUNNING",
            "orderDetailsData.saleAmount": "85000",
            "orderDetailsData.fileId": "1",
            "orderDetailsData.salesChannelCode": "RESELLER_A",
            "orderDetailsData.pointOfSalesId": str(catalog.POS_A),
            "orderDetailsData.creationDateTime": TEXT,
        },
    ),
    "getOrderDetails.crlf-bom-php.xml": Variant(
        "PHP on Windows: BOM, CRLF, line breaks between header and body, namespace with '/'",
        soap_action='"getOrderDetails"',
        setup=NEW_ORDER,
        expect={"orderDetailsData.orderId": "1", "orderDetailsData.orderType": "SALE"},
    ),
    "abandonOrder.node-soap.xml": Variant(
        "node-soap",
        soap_action='"abandonOrder"',
        setup=ORDER_WITH_SEATS,
        expect={"requestId": "abandon-1", "orderUpdateData.orderState": "ABANDONED"},
    ),
    "getFileDetails.soapui.xml": Variant(
        "SoapUI",
        soap_action='"getFileDetails"',
        setup=(*NEW_ORDER, "createOrder.purchasers-contingent-file.xml"),
        expect={
            "requestId": "file-1",
            "fileDetailsData.fileId": "1",
            "fileDetailsData.fileContacts.0.contactReference": "CUST-0042",
            "orderDetailsDatas.0.orderId": "1",
            "orderDetailsDatas.1.orderId": "2",
        },
    ),
    # --- refusals ---
    "createOrder.refused-password-digest.xml": Variant(
        "SoapUI/WSS4J PasswordDigest token: a stored hash cannot check a digest",
        soap_action='"createOrder"',
        fault="S:Client.Authentication",
    ),
    "createOrder.refused-wrong-password.xml": Variant(
        "JAX-WS with another operator's password", fault="S:Client.Authentication"
    ),
    "validateOrder.refused-no-credentials.xml": Variant(
        "SoapUI without any credential", fault="S:Client.Authentication"
    ),
    "getOrderDetails.refused-other-channel.xml": Variant(
        "another channel's operator reading order 1: answered as an unknown order",
        setup=NEW_ORDER,
        status_detail="error.order.notFound",
        expect={"requestId": "peek"},
    ),
    "addOperation.refused-item-out-of-stock.xml": Variant(
        "more items than the stock holds",
        setup=NEW_ORDER,
        status_detail="error.order.availability",
        expect={"requestId": "too-many"},
    ),
    # --- contract §9.2 and §9.3, as SoapUI writes them from the WSDL ---
    "createOrUpdateOrderWithGranularity.soapui.xml": Variant(
        "SoapUI: createOrUpdateOrder's parameters, an empty composedProductOperations, origin and "
        "granularity OPERATION (operations answered, movements not)",
        soap_action='"createOrUpdateOrderWithGranularity"',
        expect={
            "requestId": "soapui-gran-1",
            "orderUpdateData.orderId": "1",
            "orderUpdateData.origin": "soapui-campaign",
            "orderUpdateData.operationDataUpdates.0.kind": "SEAT",
            "orderUpdateData.movementDataUpdates": MISSING,
        },
    ),
    "createPaymentsAndCloseOrder.soapui.xml": Variant(
        "SoapUI: every parameter of the real operation, paymentParams with a parameters map",
        soap_action='"createPaymentsAndCloseOrder"',
        setup=ORDER_WITH_SEATS,
        expect={
            "requestId": "soapui-pay-1",
            "paymentIds": "1",
            "orderData.orderState": "VALIDATED",
            "orderData.paymentState": "WAITING",
        },
    ),
    "notifyOrder.soapui-paid.xml": Variant(
        "SoapUI: the payment provider's PAID outcome closes the order with its tickets",
        soap_action='"notifyOrder"',
        setup=(*PAYMENT_WAITING,),
        expect={
            "requestId": "soapui-notify-1",
            "orderData.orderState": "CLOSED",
            "orderData.paymentState": "PAID",
            "orderData.movementDatas.0.barcode": TEXT,
        },
    ),
    "notifyOrder.soapui-failed.xml": Variant(
        "SoapUI: a FAILED outcome keeps the order and its places for a new attempt",
        soap_action='"notifyOrder"',
        setup=(*PAYMENT_WAITING,),
        expect={"orderData.orderState": "VALIDATED", "orderData.paymentState": "FAILED"},
    ),
    "reopenOrder.soapui.xml": Variant(
        "SoapUI: a failed payment's order reopened",
        soap_action='"reopenOrder"',
        setup=(*PAYMENT_WAITING, "notifyOrder.soapui-failed.xml"),
        expect={
            "requestId": "soapui-reopen-1",
            "orderDetailsData.orderState": "RUNNING",
            "orderDetailsData.paymentState": None,
        },
    ),
    "updateFileStatus.soapui-empty-status.xml": Variant(
        "SoapUI: fileStatusIC sent empty, as real clients send it",
        soap_action='"updateFileStatus"',
        setup=NEW_ORDER,
        expect={"requestId": "soapui-file-1", "statusCode": "success"},
    ),
    "uploadFileAttachment.soapui-inline-base64.xml": Variant(
        "SoapUI: data inline as base64, uploadDate dd/MM/yyyy",
        soap_action='"uploadFileAttachment"',
        setup=NEW_ORDER,
        expect={"statusCode": "success"},
    ),
    "uploadFileAttachment.soapui-multipart-related.mime": Variant(
        "SoapUI/CXF SOAP with attachments: multipart/related, data = cid: of the PDF part, "
        "binary transfer encoding, a leading CRLF before the first boundary",
        soap_action='"uploadFileAttachment"',
        setup=NEW_ORDER,
        content_type=(
            'multipart/related; type="text/xml"; start="<rootpart@soapui.org>"; '
            'boundary="----=_Part_7_1325113231.1768471207000"'
        ),
        expect={"statusCode": "success"},
    ),
    "getFileAttachment.soapui.xml": Variant(
        "SoapUI: the attachment read back",
        soap_action='"getFileAttachment"',
        setup=ATTACHMENT_STORED,
        expect={
            "fileAttachment.fileName": "confirmation.pdf",
            "fileAttachment.mimetype": "application/pdf",
            "fileAttachment.uploadDate": "15/01/2027",
            "fileAttachment.data": TEXT,
        },
    ),
    "deleteFileAttachment.soapui.xml": Variant(
        "SoapUI: the attachment deleted",
        soap_action='"deleteFileAttachment"',
        setup=ATTACHMENT_STORED,
        expect={"statusCode": "success"},
    ),
    "updateExternalReferences.soapui.xml": Variant(
        "SoapUI: two key/value pairs on an order",
        soap_action='"updateExternalReferences"',
        setup=NEW_ORDER,
        expect={"statusCode": "success"},
    ),
    "getExternalReference.soapui.xml": Variant(
        "SoapUI: an order's references read back, sorted by key",
        soap_action='"getExternalReference"',
        setup=(*NEW_ORDER, "updateExternalReferences.soapui.xml"),
        expect={
            "requestId": "soapui-ref-1",
            "externalReferences.id": "1",
            "externalReferences.externalReferences.0.key": "campaign",
            "externalReferences.externalReferences.1.value": "CRM-7",
        },
    ),
}


def xml_to_dict(element: etree._Element) -> Any:
    """The element as real clients' xml-to-JSON converters give it.

    Keys are qualified names as written (`S:Envelope`, `ns2:createOrderResponse`); namespace
    declarations and attributes become `@name` keys; a repeated child becomes a list; a leaf
    without attributes is its text (None when empty).
    """
    parent = element.getparent()
    inherited = parent.nsmap if parent is not None else {}
    attributes = {
        f"@xmlns:{prefix}" if prefix else "@xmlns": uri
        for prefix, uri in element.nsmap.items()
        if inherited.get(prefix) != uri
    }
    for name, value in element.attrib.items():
        qname = etree.QName(name)
        prefix = (
            element.prefix
            if qname.namespace is None
            else next((p for p, uri in element.nsmap.items() if uri == qname.namespace and p), None)
        )
        attributes[
            "@" + (f"{prefix}:{qname.localname}" if qname.namespace and prefix else qname.localname)
        ] = value
    children = [child for child in element if isinstance(child.tag, str)]
    if not children:
        text = element.text if element.text else None
        return {**attributes, "#text": text} if attributes and text else attributes or text
    result: dict[str, Any] = dict(attributes)
    for child in children:
        key = qualified_name(child)
        value = xml_to_dict(child)
        if key in result:
            existing = result[key]
            result[key] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            result[key] = value
    return result


def qualified_name(element: etree._Element) -> str:
    local = etree.QName(element).localname
    return f"{element.prefix}:{local}" if element.prefix else local


def as_json(content: bytes) -> dict[str, Any]:
    root = etree.fromstring(content)
    return {qualified_name(root): xml_to_dict(root)}


def at(document: Any, path: str) -> Any:
    """The value at a dotted path (MISSING if absent); a number indexes a repeated element."""
    value = document
    for step in path.split("."):
        if step.isdigit():
            items = value if isinstance(value, list) else [value]
            if int(step) >= len(items):
                return MISSING
            value = items[int(step)]
        elif isinstance(value, dict) and step in value:
            value = value[step]
        else:
            return MISSING
    return value


def operation_of(file_name: str) -> str:
    return file_name.split(".", 1)[0]


def replay(app: Boxoffice, file_name: str) -> Any:
    variant = VARIANTS[file_name]
    operation = operation_of(file_name)
    headers = {}
    if variant.soap_action is not None:
        headers["SOAPAction"] = variant.soap_action
    if variant.authorization is not None:
        headers["Authorization"] = variant.authorization
    url = FACADE_URL if operation in FACADE_OPERATIONS else ORDER_SERVICE_URL
    return post(
        app, (CORPUS / file_name).read_bytes(), url, content_type=variant.content_type, **headers
    )


def result_of(response: Any, operation: str) -> dict[str, Any]:
    assert response.status_code == 200, response.content
    document = as_json(response.content)
    wrapper = document["S:Envelope"]["S:Body"][f"ns2:{operation}Response"]
    tns = FACADE.tns if operation in FACADE_OPERATIONS else ORDER_SERVICE.tns
    assert wrapper["@xmlns:ns2"] == tns
    result: dict[str, Any] = wrapper[RESULT_ELEMENT[operation]]
    return result


def test_every_file_of_the_corpus_has_its_expectations() -> None:
    stored = [*CORPUS.glob("*.xml"), *CORPUS.glob("*.mime")]
    assert sorted(path.name for path in stored) == sorted(VARIANTS)
    for name, variant in VARIANTS.items():
        assert operation_of(name) in RESULT_ELEMENT, name
        assert all(step in VARIANTS for step in variant.setup), name


@pytest.mark.parametrize(
    "file_name",
    [
        pytest.param(
            name, marks=pytest.mark.xfail(strict=True, reason=str(VARIANTS[name].known_gap))
        )
        if VARIANTS[name].known_gap
        else name
        for name in sorted(VARIANTS)
    ],
)
def test_a_real_client_request_is_answered_as_the_platform_answers_it(
    app: Boxoffice, file_name: str
) -> None:
    variant = VARIANTS[file_name]
    for step in variant.setup:
        prepared = result_of(replay(app, step), operation_of(step))
        assert prepared["statusCode"] == "success", (step, prepared)

    response = replay(app, file_name)

    if variant.fault is not None:
        assert response.status_code == 500, response.content
        fault = as_json(response.content)["S:Envelope"]["S:Body"]["S:Fault"]
        assert fault["faultcode"] == variant.fault
        assert fault["faultstring"] == "Authentication failed."
        return
    operation = operation_of(file_name)
    result = result_of(response, operation)
    if variant.status_detail is not None:
        assert result["statusCode"] == "error", result
        assert result["statusDetail"] == variant.status_detail
        if RESULT_ELEMENT[operation] == "OrderUpdateResult":
            assert result["expectedException"] == "true" and result["statusMessage"]
    else:
        assert result["statusCode"] == "success", result
        # Contract §9.1: a real harness asserts both keys exist after a success.
        assert result["statusDetail"] is None and "requestId" in result
        if "expectedException" in result:
            assert result["expectedException"] == "false"
        if RESULT_ELEMENT[operation] in ID_PATH:
            assert int(at(result, ID_PATH[RESULT_ELEMENT[operation]])) > 0
    for path, expected in variant.expect.items():
        actual = at(result, path)
        if expected is ID:
            assert isinstance(actual, str) and int(actual) > 0, (path, actual, result)
        elif expected is TEXT:
            assert isinstance(actual, str) and actual.strip(), (path, actual, result)
        elif expected is None:  # absent, empty or nil: a client reads null
            nil = isinstance(actual, dict) and actual.get("@xsi:nil") == "true"
            assert nil or actual in (None, MISSING), (path, actual)
        else:
            assert actual == expected, (path, actual, expected)


def test_the_byte_level_variants_are_stored_as_their_clients_send_them() -> None:
    crlf = (CORPUS / "createOrder.crlf-line-endings.xml").read_bytes()
    assert crlf.count(b"\r\n") == crlf.count(b"\n") > 10
    assert (CORPUS / "createOrder.utf8-bom.xml").read_bytes().startswith(b"\xef\xbb\xbf<?xml")
    assert (CORPUS / "getOrderDetails.crlf-bom-php.xml").read_bytes().startswith(b"\xef\xbb\xbf")
    latin1 = (CORPUS / "createOrder.iso-8859-1-declaration.xml").read_bytes()
    assert b'encoding="ISO-8859-1"' in latin1 and "Théâtre".encode("latin-1") in latin1
    for name in VARIANTS:
        assert b"{{" not in (CORPUS / name).read_bytes(), f"{name} must not be a template"
