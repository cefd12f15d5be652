"""Writes tests/hostile/cases/* and expected.csv: run it after changing a case, review the diff.

    PYTHONPATH=src python -m tests.hostile.make_corpus

Placeholders filled when a case is replayed (test_corpus.py): {{LOGIN}} and {{PASSWORD}} (the
credentials of the row's `as` column), {{POS_A}}, {{POS_B}}, {{ORDER_A}}, {{OPERATION_A}},
{{MOVEMENT_A}}, {{FILE_A}}, {{SECRET_A}} (a RUNNING order of reseller A with two seats),
{{MISSING}} (an id nobody has), {{PERFORMANCE}}, {{CATEGORY}}, {{ADULT}}, {{CONTINGENT_A}}.
"""

from __future__ import annotations

import base64
import csv
import json
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from tests.hostile.injections import INJECTIONS

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
FACADE_NS = "http://v1_33.ExternalOrderFacade.service.secutix.com"
SERVICE_NS = "http://v1_33.ExternalOrderService.service.secutix.com"
FACADE_OPS = {
    "createOrder",
    "addOperation",
    "createOrUpdateOrder",
    "createOrUpdateOrderWithGranularity",
    "createPaymentsAndCloseOrder",
    "notifyOrder",
    "reopenOrder",
}
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
HEADER = (
    f'<S:Header><wsse:Security xmlns:wsse="{WSSE}"><wsse:UsernameToken>'
    "<wsse:Username>{{LOGIN}}</wsse:Username><wsse:Password>{{PASSWORD}}</wsse:Password>"
    "</wsse:UsernameToken></wsse:Security></S:Header>"
)
COLUMNS = ["case", "target", "method", "content_type", "as", "status", "answer", "state", "stored"]
XML = "text/xml; charset=utf-8"
JSON = "application/json"
VALIDATION = "fault:Client.ValidationError"
rows: list[dict[str, str]] = []
REPEATED = {
    "purchasersInfo",
    "operationIds",
    "movementIds",
    "seatIds",
    "payments",
    "preferedAreas",
    "operationAttributions",
    "singleEntryAttributionOperations",
    "simpleProductOperations",
    "chargeOperations",
}


def soap(operation: str, parameters: str, header: str = HEADER) -> bytes:
    tns = FACADE_NS if operation in FACADE_OPS else SERVICE_NS
    return (
        f'<S:Envelope xmlns:S="{SOAP_ENV}">{header}<S:Body>'
        f'<ns:{operation} xmlns:ns="{tns}">{parameters}</ns:{operation}>'
        "</S:Body></S:Envelope>"
    ).encode()


def target_of(operation: str) -> str:
    return "soap:facade" if operation in FACADE_OPS else "soap:service"


def case(
    name: str,
    body: bytes,
    target: str,
    status: int,
    answer: str,
    *,
    state: str = "same",
    who: str = "A",
    method: str = "POST",
    content_type: str | None = None,
    stored: str = "",
) -> None:
    json_case = target.startswith("json:")
    suffix = ".json" if json_case else ".xml"
    # Bodies over the size limit are made when the case is replayed (test_corpus.py).
    generated = "oversize" in name
    if not generated:
        (CASES / f"{name}{suffix}").write_bytes(body)
    rows.append(
        {
            "case": f"gen:{name}" if generated else f"{name}{suffix}",
            "target": target,
            "method": method,
            "content_type": content_type or (JSON if json_case else XML),
            "as": who,
            "status": str(status),
            "answer": answer,
            "state": state,
            "stored": stored,
        }
    )


def soap_case(
    name: str,
    operation: str,
    parameters: str,
    status: int,
    answer: str,
    header: str = HEADER,
    **options: Any,
) -> None:
    case(name, soap(operation, parameters, header), target_of(operation), status, answer, **options)


def json_case(
    name: str, operation: str, document: Any, status: int, answer: str, **options: Any
) -> None:
    service = "facade" if operation in FACADE_OPS else "service"
    body = document if isinstance(document, bytes) else json.dumps(document).encode()
    case(name, body, f"json:{service}/{operation}", status, answer, **options)


POS = "<pointOfSalesId>{{POS_A}}</pointOfSalesId>"
# One seat: createOrUpdateOrder needs at least one operation list with a line.
LINE = (
    "<singleEntryAttributionOperations><operationAttributions>"
    "<performanceId>{{PERFORMANCE}}</performanceId><seatCategoryId>{{CATEGORY}}</seatCategoryId>"
    "<audienceSubCategoryId>{{ADULT}}</audienceSubCategoryId><quantity>1</quantity>"
    "</operationAttributions></singleEntryAttributionOperations>"
)
SEAT_OP = (
    "<kind>SEAT</kind><performanceId>{{PERFORMANCE}}</performanceId>"
    "<seatCategoryId>{{CATEGORY}}</seatCategoryId>"
    "<audienceSubCategoryId>{{ADULT}}</audienceSubCategoryId>"
)


def xml_markup_cases() -> None:
    body = soap("getOrderDetails", "<orderId>{{ORDER_A}}</orderId>")
    root_at = body.index(b"<S:Envelope")
    forbidden = "fault:Client.ForbiddenMarkup"
    syntax = "fault:Client.XMLSyntaxError"
    case("xml-malformed-unclosed", body.replace(b"</S:Envelope>", b""), "soap:service", 500, syntax)
    case("xml-not-xml", b"orderId=1&login=admin", "soap:service", 500, syntax)
    case("xml-empty-body", b"", "soap:service", 500, syntax)
    case(
        "xml-mismatched-tags",
        body.replace(b"</orderId>", b"</orderID>"),
        "soap:service",
        500,
        syntax,
    )
    doctype = b'<?xml version="1.0"?>\n<!DOCTYPE S:Envelope [<!ELEMENT a ANY>]>\n'
    case("xml-doctype", doctype + body[root_at:], "soap:service", 500, forbidden)
    xxe_file = b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    case(
        "xml-xxe-file",
        xxe_file + body[root_at:].replace(b"{{ORDER_A}}", b"&xxe;"),
        "soap:service",
        500,
        forbidden,
    )
    xxe_http = b'<!DOCTYPE r [<!ENTITY xxe SYSTEM "http://127.0.0.1:9/evil.dtd">]>'
    case(
        "xml-xxe-http",
        xxe_http + body[root_at:].replace(b"{{ORDER_A}}", b"&xxe;"),
        "soap:service",
        500,
        forbidden,
    )
    case(
        "xml-xxe-parameter-entity",
        b'<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd"> %p;]>' + body[root_at:],
        "soap:service",
        500,
        forbidden,
    )
    laughs = [b'<!ENTITY lol "lol">'] + [
        f'<!ENTITY lol{i} "{"&lol" + (str(i - 1) if i > 1 else "") + ";"}'.encode()
        + (f"&lol{i - 1};" if i > 1 else "&lol;").encode() * 9
        + b'">'
        for i in range(1, 10)
    ]
    case(
        "xml-billion-laughs",
        b"<!DOCTYPE r ["
        + b"".join(laughs)
        + b"]>"
        + body[root_at:].replace(b"{{ORDER_A}}", b"&lol9;"),
        "soap:service",
        500,
        forbidden,
    )
    case(
        "xml-entity-no-doctype", body.replace(b"{{ORDER_A}}", b"&lol;"), "soap:service", 500, syntax
    )
    case(
        "xml-pi-in-body",
        body.replace(b"<orderId>", b'<?php system("id"); ?><orderId>'),
        "soap:service",
        500,
        forbidden,
    )
    case(
        "xml-pi-stylesheet",
        b'<?xml-stylesheet type="text/xsl" href="http://127.0.0.1:9/x"?>' + body,
        "soap:service",
        500,
        forbidden,
    )
    utf16 = (
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY x "1">]>'
        + body[root_at:].decode()
    ).encode("utf-16")
    case("xml-doctype-utf16", utf16, "soap:service", 500, forbidden)
    case(
        "xml-xinclude",
        body.replace(
            b"<orderId>{{ORDER_A}}</orderId>",
            b'<orderId xmlns:xi="http://www.w3.org/2001/XInclude">{{ORDER_A}}'
            b'<xi:include href="file:///etc/passwd" parse="text"/></orderId>',
        ),
        "soap:service",
        200,
        "success",
    )
    case(
        "xml-deep-nesting",
        soap(
            "getOrderDetails", "<orderId>{{ORDER_A}}</orderId>" + "<a>" * 10_000 + "</a>" * 10_000
        ),
        "soap:service",
        500,
        syntax,
    )
    case(
        "xml-invalid-utf8",
        body.replace(b"{{ORDER_A}}", b"\xff\xfe\xc3("),
        "soap:service",
        500,
        syntax,
    )
    case("xml-nul-char-ref", body.replace(b"{{ORDER_A}}", b"1&#0;"), "soap:service", 500, syntax)
    case("oversize", b"", "soap:service", 413, "fault:Client.RequestTooLarge")
    case("oversize-chunked", b"", "soap:service", 413, "fault:Client.RequestTooLarge")
    case(
        "wrong-content-type-json",
        body,
        "soap:service",
        500,
        "fault:Client.ContentType",
        content_type=JSON,
    )
    case(
        "wrong-content-type-form",
        body,
        "soap:service",
        500,
        "fault:Client.ContentType",
        content_type="application/x-www-form-urlencoded",
    )
    case("get-endpoint", b"", "soap:service", 405, "fault:Client.MethodNotAllowed", method="GET")
    case("put-endpoint", body, "soap:service", 405, "fault:Client.MethodNotAllowed", method="PUT")
    soap_case(
        "unknown-operation",
        "dropAllOrders",
        "<orderId>1</orderId>",
        500,
        "fault:Client.ResourceNotFound",
    )
    case(
        "soap12-envelope",
        body.replace(SOAP_ENV.encode(), b"http://www.w3.org/2003/05/soap-envelope"),
        "soap:service",
        500,
        "fault:Client.InvalidEnvelope",
    )
    case(
        "no-body",
        body[: body.index(b"<S:Body>")] + b"</S:Envelope>",
        "soap:service",
        500,
        "fault:Client.InvalidEnvelope",
    )
    case(
        "empty-body-element",
        body[: body.index(b"<S:Body>")] + b"<S:Body/></S:Envelope>",
        "soap:service",
        500,
        "fault:Client.InvalidEnvelope",
    )
    case(
        "two-operations",
        body.replace(
            b"</S:Body>", body[body.index(b"<ns:") : body.index(b"</S:Body>")] + b"</S:Body>"
        ),
        "soap:service",
        500,
        "fault:Client.InvalidEnvelope",
    )
    case(
        "not-an-envelope",
        b"<getOrderDetails><orderId>1</orderId></getOrderDetails>",
        "soap:service",
        500,
        "fault:Client.InvalidEnvelope",
    )


def wrong_value_cases() -> None:
    order = "<orderId>{{ORDER_A}}</orderId>"
    for name, value in (
        ("text", "abc"),
        ("decimal", "1.5"),
        ("empty", ""),
        ("2p63", str(2**63)),
        ("2p64", str(2**64)),
        ("exp", "1e3"),
        ("sql", "1 OR 1=1"),
    ):
        soap_case(
            f"orderId-{name}", "getOrderDetails", f"<orderId>{value}</orderId>", 500, VALIDATION
        )
    soap_case("orderId-missing", "getOrderDetails", "", 500, VALIDATION)
    soap_case(
        "orderId-negative",
        "getOrderDetails",
        "<orderId>-1</orderId>",
        200,
        "key:error.order.notFound",
    )
    soap_case(
        "orderId-zero", "getOrderDetails", "<orderId>0</orderId>", 200, "key:error.order.notFound"
    )
    soap_case(
        "orderId-max",
        "getOrderDetails",
        f"<orderId>{2**63 - 1}</orderId>",
        200,
        "key:error.order.notFound",
    )
    soap_case(
        "orderId-unknown",
        "getOrderDetails",
        "<orderId>{{MISSING}}</orderId>",
        200,
        "key:error.order.notFound",
    )
    soap_case("orderId-twice", "getOrderDetails", order + order, 500, VALIDATION)
    soap_case(
        "kind-unknown",
        "addOperation",
        order + "<operation><kind>BOGUS</kind><quantity>1</quantity></operation>",
        500,
        VALIDATION,
    )
    soap_case(
        "contiguous-not-boolean",
        "addOperation",
        order + f"<operation>{SEAT_OP}<quantity>1</quantity>"
        "<contiguous>maybe</contiguous></operation>",
        500,
        VALIDATION,
    )
    for name, quantity in (
        ("0", "0"),
        ("minus1", "-1"),
        ("41", "41"),
        ("2p31", str(2**31)),
        ("2p63", str(2**63)),
        ("2p64", str(2**64)),
    ):
        soap_case(
            f"quantity-{name}",
            "addOperation",
            order + f"<operation>{SEAT_OP}<quantity>{quantity}</quantity></operation>",
            200,
            "key:error.operation.quantity",
        )
        soap_case(
            f"update-quantity-{name}",
            "updateOperation",
            order + f"<operationId>{{{{OPERATION_A}}}}</operationId>"
            f"<quantity>{quantity}</quantity>",
            200,
            "key:error.operation.quantity",
        )
        soap_case(
            f"attribution-quantity-{name}",
            "createOrUpdateOrder",
            POS + "<singleEntryAttributionOperations><operationAttributions>"
            "<performanceId>{{PERFORMANCE}}</performanceId>"
            "<seatCategoryId>{{CATEGORY}}</seatCategoryId>"
            "<audienceSubCategoryId>{{ADULT}}</audienceSubCategoryId>"
            f"<quantity>{quantity}</quantity></operationAttributions>"
            "</singleEntryAttributionOperations>",
            200,
            "key:error.operation.quantity",
        )
        soap_case(
            f"item-quantity-{name}",
            "createOrUpdateOrder",
            POS + "<simpleProductOperations><itemId>77</itemId>"
            f"<quantity>{quantity}</quantity></simpleProductOperations>",
            200,
            "key:error.operation.quantity",
        )
    soap_case(
        "quantity-text",
        "addOperation",
        order + f"<operation>{SEAT_OP}<quantity>two</quantity></operation>",
        500,
        VALIDATION,
    )
    soap_case(
        "performance-unknown",
        "addOperation",
        order + "<operation><kind>SEAT</kind><performanceId>{{MISSING}}</performanceId>"
        "<seatCategoryId>{{CATEGORY}}</seatCategoryId>"
        "<audienceSubCategoryId>{{ADULT}}</audienceSubCategoryId>"
        "<quantity>1</quantity></operation>",
        200,
        "key:error.performance.notFound",
    )
    soap_case(
        "seat-unknown",
        "addOperation",
        order + f"<operation>{SEAT_OP}<seatIds>{{{{MISSING}}}}</seatIds></operation>",
        200,
        "key:error.seat.notFound",
    )
    soap_case(
        "item-unknown",
        "addOperation",
        order + "<operation><kind>ITEM</kind><itemId>{{MISSING}}</itemId>"
        "<audienceSubCategoryId>{{ADULT}}</audienceSubCategoryId>"
        "<quantity>1</quantity></operation>",
        200,
        "key:error.item.notFound",
    )
    soap_case(
        "tariff-unknown",
        "addOperation",
        order + "<operation><kind>SEAT</kind><performanceId>{{PERFORMANCE}}</performanceId>"
        "<seatCategoryId>{{CATEGORY}}</seatCategoryId>"
        "<audienceSubCategoryId>{{MISSING}}</audienceSubCategoryId>"
        "<quantity>1</quantity></operation>",
        200,
        "key:error.tariff.notFound",
    )
    soap_case(
        "operation-unknown",
        "updateOperation",
        order + "<operationId>{{MISSING}}</operationId><quantity>1</quantity>",
        200,
        "key:error.operation.notFound",
    )
    soap_case(
        "cancel-operation-unknown",
        "cancelOperations",
        order + "<operationIds>{{OPERATION_A}}</operationIds>"
        "<operationIds>{{MISSING}}</operationIds>",
        200,
        "key:error.operation.notFound",
    )
    soap_case(
        "movement-unknown",
        "abandonMovements",
        order + "<movementIds>{{MOVEMENT_A}}</movementIds><movementIds>{{MISSING}}</movementIds>",
        200,
        "key:error.movement.notFound",
    )
    soap_case(
        "file-unknown",
        "getFileDetails",
        "<fileId>{{MISSING}}</fileId>",
        200,
        "key:error.file.notFound",
    )
    soap_case(
        "create-in-unknown-file",
        "createOrder",
        POS + "<fileId>{{MISSING}}</fileId>",
        200,
        "key:error.file.notFound",
    )
    soap_case(
        "pos-unknown",
        "createOrder",
        "<pointOfSalesId>{{MISSING}}</pointOfSalesId>",
        200,
        "key:error.pointOfSales.notFound",
    )
    soap_case(
        "pos-negative",
        "createOrder",
        "<pointOfSalesId>-1</pointOfSalesId>",
        200,
        "key:error.pointOfSales.notFound",
    )
    soap_case(
        "contingent-unknown",
        "createOrder",
        POS + "<contingentId>{{MISSING}}</contingentId>",
        200,
        "key:error.contingent.forbidden",
    )
    soap_case(
        "payment-huge",
        "closeOrder",
        order + f"<payments><paymentMethodId>1</paymentMethodId><amount>{2**63}</amount>"
        "</payments>",
        500,
        VALIDATION,
    )
    soap_case(
        "payment-negative",
        "closeOrder",
        order + "<payments><paymentMethodId>1</paymentMethodId><amount>-1</amount></payments>",
        200,
        "key:error.payment.invalid",
    )
    soap_case(
        "payments-overflowing-sum",
        "closeOrder",
        order
        + (f"<payments><paymentMethodId>1</paymentMethodId><amount>{2**63 - 1}</amount></payments>")
        * 2,
        500,
        VALIDATION,
    )
    soap_case(
        "charge-operations",
        "createOrUpdateOrder",
        POS + "<chargeOperations><chargeId>900</chargeId><quantity>-5</quantity>"
        "<amount>-1000</amount></chargeOperations>",
        200,
        "key:error.charge.notAllowed",
    )
    # An element inside a text parameter is not text: the parameter reads as absent.
    soap_case(
        "raw-markup-in-text",
        "createOrder",
        POS + "<externalReference><script>alert(1)</script></externalReference>",
        200,
        "success",
        state="changed",
    )


# (operation, field, parameters around {value}, answer when accepted, state when accepted)
TEXT_FIELDS = [
    (
        "getOrderDetails",
        "requestId",
        "<requestId>{value}</requestId><orderId>{{{{ORDER_A}}}}</orderId>",
        "success",
        "same",
        255,
    ),
    (
        "createOrder",
        "externalReference",
        POS.replace("{", "{{").replace("}", "}}")
        + "<externalReference>{value}</externalReference>",
        "success",
        "changed",
        128,
    ),
    (
        "createOrder",
        "contactReference",
        POS.replace("{", "{{").replace("}", "}}")
        + "<purchasersInfo><contactReference>{value}</contactReference></purchasersInfo>",
        "success",
        "changed",
        128,
    ),
    (
        "createOrder",
        "firstName",
        POS.replace("{", "{{").replace("}", "}}") + "<purchasersInfo><contactReference>C-1"
        "</contactReference><firstName>{value}</firstName></purchasersInfo>",
        "success",
        "changed",
        200,
    ),
    (
        "createOrder",
        "lastName",
        POS.replace("{", "{{").replace("}", "}}") + "<purchasersInfo><contactReference>C-1"
        "</contactReference><lastName>{value}</lastName></purchasersInfo>",
        "success",
        "changed",
        200,
    ),
    (
        "createOrder",
        "email",
        POS.replace("{", "{{").replace("}", "}}") + "<purchasersInfo><contactReference>C-1"
        "</contactReference><email>{value}</email></purchasersInfo>",
        "success",
        "changed",
        320,
    ),
    (
        "createOrUpdateOrder",
        "externalReference",
        POS.replace("{", "{{").replace("}", "}}")
        + "<externalReference>{value}</externalReference>"
        + LINE.replace("{", "{{").replace("}", "}}"),
        "success",
        "changed",
        128,
    ),
    (
        "createOrder",
        "orderType",
        POS.replace("{", "{{").replace("}", "}}") + "<orderType>{value}</orderType>",
        "key:error.orderType.unsupported",
        "same",
        32,
    ),
    (
        "closeOrder",
        "orderType",
        "<orderId>{{{{MISSING}}}}</orderId><orderType>{value}</orderType>",
        "key:error.order.notFound",
        "same",
        32,
    ),
    (
        "closeOrder",
        "purchaserInfo",
        "<orderId>{{{{MISSING}}}}</orderId><purchaserInfo><contactReference>{value}"
        "</contactReference><firstName>{value}</firstName></purchaserInfo>",
        "key:error.order.notFound",
        "same",
        128,
    ),
    (
        "getFileDetailsFromOrderSecretId",
        "orderSecretId",
        "<orderSecretId>{value}</orderSecretId>",
        "key:error.file.notFound",
        "same",
        64,
    ),
]


def text_cases() -> None:
    for operation, field, template, answer, state, limit in TEXT_FIELDS:
        for name, value in INJECTIONS.items():
            over = len(value) > limit
            expected, status = (VALIDATION, 500) if over else (answer, 200)
            stored = name if not over and state == "changed" else ""
            case_name = f"text-{operation}-{field}-{name}"
            soap_case(
                case_name,
                operation,
                template.format(value=escape(value)),
                status,
                expected,
                state="same" if over else state,
                stored=stored,
            )
            json_value = json.dumps(value)[1:-1]
            json_template = _json_template(template)
            json_case(
                f"json-{case_name[5:]}",
                operation,
                json_template.replace("@VALUE@", json_value).encode(),
                400 if over else 200,
                expected,
                state="same" if over else state,
                stored=stored,
            )
        exact = "B" * limit
        soap_case(
            f"text-{operation}-{field}-at-limit",
            operation,
            template.format(value=exact),
            200,
            answer,
            state=state,
        )


def _json_template(xml_template: str) -> str:
    """The JSON twin of one TEXT_FIELDS template: hand-written, keyed by the XML shape."""
    from lxml import etree

    filled = xml_template.format(value="@VALUE@")
    root = etree.fromstring(f"<r>{filled}</r>")

    def convert(element: Any) -> Any:
        if len(element) == 0:
            text = element.text or ""
            if (text.startswith("{{") and "SECRET" not in text) or text.isdigit():
                return f"@NUM{text}@"
            return text
        result: dict[str, Any] = {}
        for child in element:
            value = convert(child)
            if child.tag in REPEATED:
                result.setdefault(child.tag, []).append(value)
            else:
                result[child.tag] = value
        return result

    document = json.dumps(convert(root))
    # Numbers and placeholders are written bare: "@NUM{{ORDER_A}}@" -> {{ORDER_A}}.
    import re

    return re.sub(r'"@NUM(.*?)@"', r"\1", document)


def auth_cases() -> None:
    details = "<orderId>{{ORDER_A}}</orderId>"
    fault = "fault:Client.Authentication"
    soap_case("auth-wrong-password", "getOrderDetails", details, 500, fault, who="wrong-password")
    soap_case("auth-unknown-login", "getOrderDetails", details, 500, fault, who="unknown-login")
    soap_case("auth-empty-password", "getOrderDetails", details, 500, fault, who="empty-password")
    soap_case("auth-sql-login", "getOrderDetails", details, 500, fault, who="sql-login")
    soap_case("auth-no-header", "getOrderDetails", details, 500, fault, header="")
    soap_case("auth-empty-header", "getOrderDetails", details, 500, fault, header="<S:Header/>")
    soap_case(
        "auth-no-password-element",
        "getOrderDetails",
        details,
        500,
        fault,
        header=HEADER.replace("<wsse:Password>{{PASSWORD}}</wsse:Password>", ""),
    )
    soap_case(
        "auth-digest",
        "getOrderDetails",
        details,
        500,
        fault,
        header=HEADER.replace(
            "<wsse:Password>",
            '<wsse:Password Type="http://docs.oasis-open.org/wss/2004/'
            '01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">',
        ),
    )
    soap_case(
        "auth-long-login",
        "getOrderDetails",
        details,
        500,
        fault,
        header=HEADER.replace("{{LOGIN}}", "L" * 100_000),
    )
    soap_case(
        "auth-basic-wrong", "getOrderDetails", details, 500, fault, header="", who="basic-wrong"
    )
    soap_case(
        "auth-basic-garbage", "getOrderDetails", details, 500, fault, header="", who="basic-garbage"
    )
    json_case(
        "json-auth-none", "getOrderDetails", b'{"orderId": {{ORDER_A}}}', 401, fault, who="none"
    )
    json_case(
        "json-auth-wrong-password",
        "getOrderDetails",
        b'{"orderId": {{ORDER_A}}}',
        401,
        fault,
        who="basic-wrong",
    )
    json_case(
        "json-auth-garbage",
        "getOrderDetails",
        b'{"orderId": {{ORDER_A}}}',
        401,
        fault,
        who="basic-garbage",
    )


def isolation_cases() -> None:
    """Reseller B reaching for A's order, file, secret and contingent, by every operation.

    Each runs twice: on A's id and on an id nobody has; both must answer the same."""
    pos_b = "<pointOfSalesId>{{POS_B}}</pointOfSalesId>"
    op, mv = "<operationId>{{OPERATION_A}}</operationId>", "{{MOVEMENT_A}}"
    by_operation = {
        "getOrderDetails": ("<orderId>@O@</orderId>", "error.order.notFound"),
        "validateOrder": ("<orderId>@O@</orderId>", "error.order.notFound"),
        "abandonOrder": ("<orderId>@O@</orderId>", "error.order.notFound"),
        "closeOrder": ("<orderId>@O@</orderId>", "error.order.notFound"),
        "updateOperation": (
            "<orderId>@O@</orderId>" + op + "<quantity>1</quantity>",
            "error.order.notFound",
        ),
        "cancelOperations": (
            "<orderId>@O@</orderId>" + op.replace("operationId", "operationIds"),
            "error.order.notFound",
        ),
        "abandonMovements": (
            f"<orderId>@O@</orderId><movementIds>{mv}</movementIds>",
            "error.order.notFound",
        ),
        "addOperation": (
            "<orderId>@O@</orderId><operation>" + SEAT_OP + "<quantity>1</quantity></operation>",
            "error.order.notFound",
        ),
        "createOrUpdateOrder": (pos_b + "<orderId>@O@</orderId>" + LINE, "error.order.notFound"),
        "getFileDetails": ("<fileId>@F@</fileId>", "error.file.notFound"),
        "getFileDetailsFromOrderSecretId": (
            "<orderSecretId>@S@</orderSecretId>",
            "error.file.notFound",
        ),
    }
    foreign = {"@O@": "{{ORDER_A}}", "@F@": "{{FILE_A}}", "@S@": "{{SECRET_A}}"}
    missing = {"@O@": "{{MISSING}}", "@F@": "{{MISSING}}", "@S@": "no-such-secret-id"}
    for operation, (template, key) in by_operation.items():
        for label, ids in (("foreign", foreign), ("missing", missing)):
            parameters = template
            for marker, value in ids.items():
                parameters = parameters.replace(marker, value)
            soap_case(
                f"isolation-{operation}-{label}", operation, parameters, 200, f"key:{key}", who="B"
            )
            json_case(
                f"json-isolation-{operation}-{label}",
                operation,
                _json_template(parameters.replace("{", "{{").replace("}", "}}")).encode(),
                200,
                f"key:{key}",
                who="B",
            )
    for label, file_id in (("foreign", "{{FILE_A}}"), ("missing", "{{MISSING}}")):
        for operation in ("createOrder", "createOrUpdateOrder"):
            line = LINE if operation == "createOrUpdateOrder" else ""
            soap_case(
                f"isolation-{operation}-file-{label}",
                operation,
                pos_b + f"<fileId>{file_id}</fileId>" + line,
                200,
                "key:error.file.notFound",
                who="B",
            )
    contingent = "<contingentId>{{CONTINGENT_A}}</contingentId>"
    soap_case(
        "isolation-createOrder-contingent",
        "createOrder",
        pos_b + contingent,
        200,
        "key:error.contingent.forbidden",
        who="B",
    )
    soap_case(
        "isolation-createOrder-pos",
        "createOrder",
        POS,
        200,
        "key:error.pointOfSales.notFound",
        who="B",
    )
    soap_case(
        "isolation-createOrUpdateOrder-contingent",
        "createOrUpdateOrder",
        pos_b + "<singleEntryAttributionOperations><operationAttributions>"
        "<performanceId>{{PERFORMANCE}}</performanceId>"
        "<seatCategoryId>{{CATEGORY}}</seatCategoryId>"
        "<audienceSubCategoryId>{{ADULT}}</audienceSubCategoryId><quantity>1</quantity>"
        f"{contingent}</operationAttributions></singleEntryAttributionOperations>",
        200,
        "key:error.contingent.forbidden",
        who="B",
    )
    json_case(
        "json-isolation-createOrder-contingent",
        "createOrder",
        b'{"pointOfSalesId": {{POS_B}}, "contingentId": {{CONTINGENT_A}}}',
        200,
        "key:error.contingent.forbidden",
        who="B",
    )


def json_cases() -> None:
    syntax = "fault:Client.JsonSyntaxError"
    json_case("json-malformed", "getOrderDetails", b'{"orderId": ', 400, syntax)
    json_case("json-array", "getOrderDetails", b"[1, 2]", 400, syntax)
    json_case("json-string", "getOrderDetails", b'"orderId"', 400, syntax)
    json_case("json-deep-nesting", "getOrderDetails", b"[" * 10_000 + b"]" * 10_000, 400, syntax)
    json_case(
        "json-deep-object",
        "getOrderDetails",
        b'{"orderId": {{ORDER_A}}, "x": ' + b'{"a": ' * 10_000 + b"1" + b"}" * 10_001,
        400,
        syntax,
    )
    json_case(
        "json-invalid-utf8",
        "getOrderDetails",
        b'{"requestId": "\xff\xfe", "orderId": 1}',
        400,
        syntax,
    )
    json_case(
        "json-nul",
        "createOrder",
        b'{"pointOfSalesId": {{POS_A}}, "externalReference": "a\\u0000b"}',
        400,
        VALIDATION,
    )
    json_case(
        "json-lone-surrogate",
        "createOrder",
        b'{"pointOfSalesId": {{POS_A}}, "externalReference": "a\\ud800b"}',
        400,
        VALIDATION,
    )
    json_case(
        "json-control-char",
        "createOrder",
        b'{"pointOfSalesId": {{POS_A}}, "externalReference": "a\\u0007b"}',
        400,
        VALIDATION,
    )
    case("json-oversize", b"", "json:service/getOrderDetails", 413, "fault:Client.RequestTooLarge")
    json_case(
        "json-get", "getOrderDetails", b"", 405, "fault:Client.MethodNotAllowed", method="GET"
    )
    case(
        "json-unknown-operation",
        b'{"orderId": 1}',
        "json:service/dropAllOrders",
        404,
        "fault:Client.ResourceNotFound",
    )
    case(
        "json-path-traversal",
        b'{"orderId": 1}',
        "json:service/../../etc/passwd",
        404,
        "fault:Client.ResourceNotFound",
    )
    json_case(
        "json-xml-body",
        "getOrderDetails",
        soap("getOrderDetails", "<orderId>{{ORDER_A}}</orderId>"),
        400,
        syntax,
        content_type=XML,
    )
    for name, value in (
        ("text", '"abc"'),
        ("decimal", "1.5"),
        ("true", "true"),
        ("list", "[1]"),
        ("object", '{"a": 1}'),
        ("2p63", str(2**63)),
        ("2p64", str(2**64)),
        ("null", "null"),
    ):
        json_case(
            f"json-orderId-{name}",
            "getOrderDetails",
            f'{{"orderId": {value}}}'.encode(),
            400,
            VALIDATION,
        )
    json_case(
        "json-orderId-unknown",
        "getOrderDetails",
        b'{"orderId": {{MISSING}}}',
        200,
        "key:error.order.notFound",
    )
    json_case(
        "json-orderId-string-number",
        "getOrderDetails",
        b'{"orderId": "{{ORDER_A}}"}',
        400,
        VALIDATION,
    )
    json_case(
        "json-scalar-for-list",
        "cancelOperations",
        b'{"orderId": {{ORDER_A}}, "operationIds": {{OPERATION_A}}}',
        400,
        VALIDATION,
    )
    json_case(
        "json-list-for-scalar", "getOrderDetails", b'{"orderId": [{{ORDER_A}}]}', 400, VALIDATION
    )
    json_case(
        "json-object-for-list-item",
        "closeOrder",
        b'{"orderId": {{ORDER_A}}, "payments": [1, 2]}',
        400,
        VALIDATION,
    )
    json_case(
        "json-payments-overflowing-sum",
        "closeOrder",
        (
            '{"orderId": {{ORDER_A}}, "payments": ['
            + ", ".join([f'{{"paymentMethodId": 1, "amount": {2**63 - 1}}}'] * 2)
            + "]}"
        ).encode(),
        400,
        VALIDATION,
    )
    for name, quantity in (
        ("0", "0"),
        ("minus1", "-1"),
        ("2p63", str(2**63)),
        ("2p64", str(2**64)),
    ):
        json_case(
            f"json-quantity-{name}",
            "addOperation",
            (
                '{"orderId": {{ORDER_A}}, "operation": {"kind": "SEAT", '
                '"performanceId": {{PERFORMANCE}}, "seatCategoryId": {{CATEGORY}}, '
                f'"audienceSubCategoryId": {{{{ADULT}}}}, "quantity": {quantity}}}}}'
            ).encode(),
            200,
            "key:error.operation.quantity",
        )
    json_case(
        "json-kind-unknown",
        "addOperation",
        b'{"orderId": {{ORDER_A}}, "operation": {"kind": "DROP", "quantity": 1}}',
        400,
        VALIDATION,
    )
    json_case(
        "json-unknown-parameter",
        "getOrderDetails",
        b'{"orderId": {{ORDER_A}}, "__proto__": {"admin": true}}',
        400,
        VALIDATION,
    )


SIBLINGS = {  # operation -> (target key, namespace) of the sibling services (contract §9.4)
    "getCatalogDetailed": ("catalog", "http://v1_33.CatalogService.service.secutix.com"),
    "getPerformanceAvailability": (
        "availability",
        "http://v1_33.AvailabilityService.service.secutix.com",
    ),
    "getUpdatedAvailabilities": (
        "availability",
        "http://v1_33.AvailabilityService.service.secutix.com",
    ),
    "doSeatingForOperations": ("seating", "http://v1_0.ExternalSeatingService.service.secutix.com"),
}


def sibling_case(
    name: str, operation: str, parameters: str, status: int, answer: str, **options: Any
) -> None:
    key, tns = SIBLINGS[operation]
    body = (
        f'<S:Envelope xmlns:S="{SOAP_ENV}">{HEADER}<S:Body>'
        f'<ns:{operation} xmlns:ns="{tns}">{parameters}</ns:{operation}>'
        "</S:Body></S:Envelope>"
    ).encode()
    case(name, body, f"soap:{key}", status, answer, **options)


def sibling_cases() -> None:
    """The catalogue, availability and seating services take the same hostile input."""
    sibling_case(
        "sibling-catalog-unknown-login",
        "getCatalogDetailed",
        "",
        500,
        "fault:Client.Authentication",
        who="unknown-login",
    )
    sibling_case(
        "sibling-performanceIds-text",
        "getPerformanceAvailability",
        "<performanceIds>abc</performanceIds>",
        500,
        VALIDATION,
    )
    sibling_case(
        "sibling-referenceDate-text",
        "getUpdatedAvailabilities",
        "<referenceDate>yesterday</referenceDate>",
        500,
        VALIDATION,
    )
    sibling_case(
        "sibling-other-contingent",
        "getPerformanceAvailability",
        "<performanceIds>{{PERFORMANCE}}</performanceIds><contingentIds>20</contingentIds>",
        200,
        "key:error.contingent.forbidden",
    )
    # soap/limits.py MAX_AVAILABILITY_IDS (200), MAX_CONTINGENT_IDS (20), MAX_SEATING_LINES
    # (80) and MAX_REQUEST_ELEMENTS (5,000).
    sibling_case(
        "sibling-many-repeated-ids",
        "getPerformanceAvailability",
        "<performanceIds>{{PERFORMANCE}}</performanceIds>" * 10_000,
        500,
        VALIDATION,
    )
    sibling_case(
        "sibling-performanceIds-at-bound",
        "getPerformanceAvailability",
        "<performanceIds>{{PERFORMANCE}}</performanceIds>" * 200,
        200,
        "success",
    )
    sibling_case(
        "sibling-performanceIds-over-bound",
        "getPerformanceAvailability",
        "<performanceIds>{{PERFORMANCE}}</performanceIds>" * 201,
        500,
        VALIDATION,
    )
    sibling_case(
        "sibling-contingentIds-over-bound",
        "getPerformanceAvailability",
        "<performanceIds>{{PERFORMANCE}}</performanceIds>"
        + "<contingentIds>20</contingentIds>" * 21,
        500,
        VALIDATION,
    )
    sibling_case(
        "sibling-seating-over-bound",
        "doSeatingForOperations",
        "<operationIds>{{OPERATION_A}}</operationIds>"
        + "<seatingInformation><movementId>1</movementId><physicalSeatId>1"
        "</physicalSeatId></seatingInformation>" * 81,
        500,
        VALIDATION,
    )
    sibling_case(
        "isolation-doSeatingForOperations",
        "doSeatingForOperations",
        "<operationIds>{{OPERATION_A}}</operationIds><seatingInformation><movementId>"
        "{{MOVEMENT_A}}</movementId><physicalSeatId>1</physicalSeatId>"
        "</seatingInformation>",
        200,
        "key:error.operation.notFound",
        who="B",
    )
    sibling_case(
        "sibling-seating-without-movement",
        "doSeatingForOperations",
        "<operationIds>{{OPERATION_A}}</operationIds><seatingInformation>"
        "<physicalSeatId>1</physicalSeatId></seatingInformation>",
        500,
        VALIDATION,
    )
    case(
        "json-sibling-performanceId-text",
        b'{"performanceId": "x"}',
        "json:availability/getSeatsAvailability",
        400,
        VALIDATION,
    )


# domain/records.py MAX_ATTACHMENT_BYTES and MAX_EXTERNAL_REFERENCES_PER_OWNER.
ATTACHMENT_LIMIT = 512 * 1024
REFERENCES_LIMIT = 50
BOUNDARY = "uuid:0b7f3c1e-hostile"


def _attachment(data: str) -> str:
    return (
        "<fileId>{{FILE_A}}</fileId><printableFileAttachmentData>"
        f"<data>{data}</data><fileName>f.pdf</fileName><mimetype>application/pdf</mimetype>"
        "<uploadDate>03/12/2026</uploadDate></printableFileAttachmentData>"
    )


def _references(count: int) -> str:
    return "<id>{{ORDER_A}}</id><externalReferenceKind>ORDER</externalReferenceKind>" + "".join(
        f"<externalReference><key>k{i}</key><value>v</value></externalReference>"
        for i in range(count)
    )


def record_cases() -> None:
    """Attachments and external references (contract §9.2): bounded, and refused cleanly."""
    oversized = base64.b64encode(b"x" * (ATTACHMENT_LIMIT + 1)).decode()
    soap_case(
        "attachment-too-large",
        "uploadFileAttachment",
        _attachment(oversized),
        200,
        "key:error.attachment.tooLarge",
    )
    soap_case(
        "attachment-bad-base64",
        "uploadFileAttachment",
        _attachment("not*base64!"),
        500,
        "fault:Client.InvalidRequest",
    )
    soap_case(
        "attachment-cid-without-multipart",
        "uploadFileAttachment",
        _attachment("cid:part-1"),
        500,
        "fault:Client.MissingAttachment",
    )
    envelope = soap("uploadFileAttachment", _attachment("cid:absent-part"))
    multipart = (
        (
            f"--{BOUNDARY}\r\nContent-Type: text/xml; charset=UTF-8\r\nContent-ID: <root>\r\n\r\n"
        ).encode()
        + envelope
        + (
            f"\r\n--{BOUNDARY}\r\nContent-Type: application/pdf\r\nContent-ID: <other>\r\n\r\n"
            f"%PDF\r\n--{BOUNDARY}--\r\n"
        ).encode()
    )
    case(
        "attachment-missing-mime-part",
        multipart,
        "soap:service",
        500,
        "fault:Client.MissingAttachment",
        content_type=f'multipart/related; type="text/xml"; boundary="{BOUNDARY}"; start="<root>"',
    )
    case(
        "attachment-multipart-no-boundary",
        multipart,
        "soap:service",
        500,
        "fault:Client.InvalidMultipart",
        content_type='multipart/related; type="text/xml"',
    )
    soap_case(
        "external-references-10000",
        "updateExternalReferences",
        _references(10_000),
        500,
        VALIDATION,
    )
    soap_case(
        "external-references-over-bound",
        "updateExternalReferences",
        _references(REFERENCES_LIMIT + 1),
        500,
        VALIDATION,
    )
    soap_case(
        "external-references-kind",
        "updateExternalReferences",
        "<id>{{ORDER_A}}</id><externalReferenceKind>CONTACT</externalReferenceKind>"
        "<externalReference><key>k</key><value>v</value></externalReference>",
        200,
        "key:error.externalReference.kind",
    )
    entries = ", ".join(['{"key": "k", "value": "v"}'] * 10_000)
    json_case(
        "json-external-references-10000",
        "updateExternalReferences",
        (
            '{"id": {{ORDER_A}}, "externalReferenceKind": "ORDER", '
            f'"externalReference": [{entries}]}}'
        ).encode(),
        400,
        VALIDATION,
    )
    json_case(
        "json-attachment-bad-base64",
        "uploadFileAttachment",
        b'{"fileId": {{FILE_A}}, "printableFileAttachmentData": {"data": "not*base64!", '
        b'"fileName": "f.pdf"}}',
        400,
        "fault:Client.InvalidRequest",
    )
    soap_case(
        "notify-unknown-payment-state",
        "notifyOrder",
        "<orderId>{{ORDER_A}}</orderId><paymentState>STOLEN</paymentState>",
        500,
        VALIDATION,
    )
    soap_case(
        "payments-without-any",
        "createPaymentsAndCloseOrder",
        "<orderId>{{ORDER_A}}</orderId>",
        200,
        "key:error.payment.invalid",
    )
    soap_case(
        "create-or-update-composed",
        "createOrUpdateOrder",
        "<pointOfSalesId>{{POS_A}}</pointOfSalesId><orderId>{{ORDER_A}}</orderId>"
        "<composedProductOperations><productId>1</productId><quantity>1</quantity>"
        "</composedProductOperations>",
        200,
        "key:error.operation.unsupported",
    )
    soap_case(
        "create-or-update-no-list",
        "createOrUpdateOrder",
        "<pointOfSalesId>{{POS_A}}</pointOfSalesId><orderId>{{ORDER_A}}</orderId>",
        200,
        "key:error.order.noOperation",
    )


def record_isolation_cases() -> None:
    """Reseller B reaching for A's file and order by the §9.2 and §9.3 operations."""
    by_operation = {
        "updateFileStatus": (
            "<fileId>@F@</fileId><fileStatusIC></fileStatusIC>",
            "error.file.notFound",
        ),
        "uploadFileAttachment": (
            _attachment("cGRm").replace("{{FILE_A}}", "@F@"),
            "error.file.notFound",
        ),
        "updateExternalReferences": (
            "<id>@O@</id><externalReferenceKind>ORDER"
            "</externalReferenceKind><externalReference><key>k</key>"
            "<value>v</value></externalReference>",
            "error.order.notFound",
        ),
        "getExternalReference": (
            "<id>@F@</id><externalReferenceKind>FILE</externalReferenceKind>",
            "error.file.notFound",
        ),
        "createPaymentsAndCloseOrder": (
            "<orderId>@O@</orderId><payments><paymentMethodId>1"
            "</paymentMethodId><amount>1000</amount></payments>",
            "error.order.notFound",
        ),
        "notifyOrder": (
            "<orderId>@O@</orderId><paymentState>PAID</paymentState>",
            "error.order.notFound",
        ),
        "reopenOrder": ("<orderId>@O@</orderId>", "error.order.notFound"),
        "createOrUpdateOrderWithGranularity": (
            "<pointOfSalesId>{{POS_B}}</pointOfSalesId><orderId>@O@</orderId>"
            "<simpleProductOperations><itemId>1</itemId><quantity>1</quantity>"
            "</simpleProductOperations>",
            "error.order.notFound",
        ),
    }
    for operation, (template, key) in by_operation.items():
        for label, order, file_ in (
            ("foreign", "{{ORDER_A}}", "{{FILE_A}}"),
            ("missing", "{{MISSING}}", "{{MISSING}}"),
        ):
            parameters = template.replace("@O@", order).replace("@F@", file_)
            soap_case(
                f"isolation-{operation}-{label}", operation, parameters, 200, f"key:{key}", who="B"
            )
    # Attachment ids: one nobody has answers as another channel's (tests/contract covers both).
    for operation in ("getFileAttachment", "deleteFileAttachment"):
        soap_case(
            f"isolation-{operation}-missing",
            operation,
            "<fileAttachmentId>{{MISSING}}</fileAttachmentId>",
            200,
            "key:error.attachment.notFound",
            who="B",
        )


def main() -> None:
    for old in CASES.iterdir():
        old.unlink()
    xml_markup_cases()
    wrong_value_cases()
    text_cases()
    auth_cases()
    isolation_cases()
    json_cases()
    sibling_cases()
    record_cases()
    record_isolation_cases()
    names = [row["case"] for row in rows]
    assert len(names) == len(set(names)), "duplicate case names"
    with (HERE / "expected.csv").open("w", newline="") as table:
        writer = csv.DictWriter(table, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} cases")


if __name__ == "__main__":
    main()
