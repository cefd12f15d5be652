"""The contract's types as spyne models, built once per service namespace.

Each service publishes a self-contained WSDL, so every type is created in the namespace of the
service that uses it; `wire_types(tns)` makes (and caches) one set per namespace.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace
from typing import Any

from spyne import Boolean, ComplexModel, DateTime, Enum, Integer, Long, Unicode

# Optional elements: absent, empty or xsi:nil are all accepted (contract §2).
OptionalLong = Long(min_occurs=0, nillable=True)
OptionalInteger = Integer(min_occurs=0, nillable=True)
OptionalText = Unicode(min_occurs=0, nillable=True)
OptionalBoolean = Boolean(min_occurs=0, nillable=True)
OptionalDateTime = DateTime(min_occurs=0, nillable=True)


def repeated(model: Any) -> Any:
    """A list written as repeated elements named after the field, with no wrapper."""
    return model.customize(min_occurs=0, max_occurs="unbounded", nillable=False)


def _model(tns: str, name: str, fields: list[tuple[str, Any]],
           base: type[ComplexModel] = ComplexModel) -> type[ComplexModel]:
    attributes: dict[str, Any] = {"__namespace__": tns, "__type_name__": name,
                                  "_type_info": fields}
    return type(name, (base,), attributes)


@functools.cache
def wire_types(tns: str) -> SimpleNamespace:
    operation_kind = Enum("SEAT", "AREA", "ITEM", type_name="OperationKind")
    operation_kind.__namespace__ = tns
    t = SimpleNamespace()
    t.CurrencyData = _model(tns, "CurrencyData", [
        ("currencyCode", OptionalText), ("fractionDigit", OptionalInteger),
        ("symbol", OptionalText),
    ])
    t.ContactData = _model(tns, "ContactData", [
        ("contactReference", OptionalText), ("firstName", OptionalText),
        ("lastName", OptionalText), ("email", OptionalText),
    ])
    t.PaymentData = _model(tns, "PaymentData", [
        ("paymentMethodId", OptionalLong), ("amount", OptionalLong),
    ])
    t.OperationRequest = _model(tns, "OperationRequest", [
        ("kind", operation_kind.customize(min_occurs=1, nillable=False)),
        ("performanceId", OptionalLong), ("seatCategoryId", OptionalLong),
        ("areaId", OptionalLong), ("itemId", OptionalLong),
        ("audienceSubCategoryId", OptionalLong), ("quantity", OptionalInteger),
        ("contingentId", OptionalLong), ("preferedAreas", repeated(Long)),
        ("seatIds", repeated(Long)), ("contiguous", OptionalBoolean),
    ])
    t.OperationAttribution = _model(tns, "OperationAttribution", [
        ("performanceId", OptionalLong), ("seatCategoryId", OptionalLong),
        ("audienceSubCategoryId", OptionalLong), ("quantity", OptionalInteger),
        ("contingentId", OptionalLong),
    ])
    t.SingleEntryAttributionOperation = _model(tns, "SingleEntryAttributionOperation", [
        ("operationAttributions", repeated(t.OperationAttribution)),
        ("preferedAreas", repeated(Long)),
    ])
    t.SimpleProductOperation = _model(tns, "SimpleProductOperation", [
        ("itemId", OptionalLong), ("audienceSubCategoryId", OptionalLong),
        ("quantity", OptionalInteger),
    ])
    t.ChargeOperation = _model(tns, "ChargeOperation", [
        ("chargeId", OptionalLong), ("quantity", OptionalInteger), ("amount", OptionalLong),
    ])
    t.OperationData = _model(tns, "OperationData", [
        ("operationId", OptionalLong), ("fileId", OptionalLong), ("orderId", OptionalLong),
        ("kind", OptionalText), ("productId", OptionalLong), ("productCode", OptionalText),
        ("performanceId", OptionalLong), ("seatCategoryId", OptionalLong),
        ("audienceSubCategoryId", OptionalLong), ("contingentId", OptionalLong),
        ("quantity", OptionalInteger), ("unitPrice", OptionalLong),
        ("totalAmount", OptionalLong), ("numbered", OptionalBoolean),
        ("linkedOperationId", OptionalLong),
    ])
    t.MovementData = _model(tns, "MovementData", [
        ("movementId", OptionalLong), ("operationId", OptionalLong), ("type", OptionalText),
        ("seatId", OptionalLong), ("areaId", OptionalLong), ("blockId", OptionalLong),
        ("rowNumber", OptionalText), ("seatNumber", OptionalText),
        ("seatCategoryId", OptionalLong), ("contingentId", OptionalLong),
        ("price", OptionalLong), ("movementState", OptionalText), ("barcode", OptionalText),
    ])
    t.ContiguityData = _model(tns, "ContiguityData", [
        ("movementIds", repeated(Long)), ("areaId", OptionalLong), ("rowNumber", OptionalText),
    ])
    t.OrderUpdateData = _model(tns, "OrderUpdateData", [
        ("orderId", OptionalLong), ("orderSecretId", OptionalText), ("fileId", OptionalLong),
        ("orderState", OptionalText), ("mainOperationId", OptionalLong),
        ("operationDataUpdates", repeated(t.OperationData)),
        ("movementDataUpdates", repeated(t.MovementData)),
        ("removeOperationIds", repeated(Long)), ("removeMovementIds", repeated(Long)),
        ("generatedContiguities", repeated(t.ContiguityData)),
        ("catalogCurrency", t.CurrencyData),
    ])
    t.OrderDetailsData = _model(tns, "OrderDetailsData", [
        ("orderId", OptionalLong), ("orderSecretId", OptionalText), ("fileId", OptionalLong),
        ("orderState", OptionalText), ("orderType", OptionalText),
        ("creationDateTime", OptionalDateTime), ("lastUpdateDateTime", OptionalDateTime),
        ("expirationDate", OptionalDateTime), ("salesChannelCode", OptionalText),
        ("salesChannelName", OptionalText), ("pointOfSalesId", OptionalLong),
        ("contactReference", OptionalText), ("externalReference", OptionalText),
        ("saleAmount", OptionalLong), ("paidAmount", OptionalLong),
        ("catalogCurrency", t.CurrencyData),
        ("operationDatas", repeated(t.OperationData)),
        ("movementDatas", repeated(t.MovementData)),
        ("paymentState", OptionalText),
    ])
    t.FileDetailsData = _model(tns, "FileDetailsData", [
        ("fileId", OptionalLong), ("fileState", OptionalText),
        ("lastModDateTime", OptionalDateTime), ("fileContacts", repeated(t.ContactData)),
    ])
    t.WebMethodResult = _model(tns, "WebMethodResult", [
        ("requestId", OptionalText), ("statusCode", OptionalText), ("statusDetail", OptionalText),
    ])
    t.OrderUpdateResult = _model(tns, "OrderUpdateResult", [
        ("expectedException", OptionalBoolean), ("statusMessage", OptionalText),
        ("orderUpdateData", t.OrderUpdateData),
    ], base=t.WebMethodResult)
    t.OrderDetailResult = _model(tns, "OrderDetailResult", [
        ("orderDetailsData", t.OrderDetailsData),
    ], base=t.WebMethodResult)
    t.CloseOrderResult = _model(tns, "CloseOrderResult", [
        ("orderData", t.OrderDetailsData),
    ], base=t.WebMethodResult)
    t.FileDetailResult = _model(tns, "FileDetailResult", [
        ("fileDetailsData", t.FileDetailsData),
        ("orderDetailsDatas", repeated(t.OrderDetailsData)),
    ], base=t.WebMethodResult)
    return t

