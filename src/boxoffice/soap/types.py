"""The contract's types as spyne models, built once per service namespace.

Each service publishes a self-contained WSDL, so every type is created in the namespace of the
service that uses it; `wire_types(tns)` makes (and caches) one set per namespace.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace
from typing import Any

from spyne import Boolean, ComplexModel, DateTime, Enum, Integer, Long, Unicode

from boxoffice.soap import limits
from boxoffice.soap.limits import repeated

# Optional elements: absent, empty or xsi:nil are all accepted (contract §2).
OptionalLong = Long(min_occurs=0, nillable=True)
OptionalInteger = Integer(min_occurs=0, nillable=True)
OptionalText = Unicode(min_occurs=0, nillable=True)
OptionalBoolean = Boolean(min_occurs=0, nillable=True)


def _strict_boolean(cls: Any, value: str | None) -> bool:
    # spyne reads any word but 'true' and '1' as false; xs:boolean has exactly four spellings.
    return value is None or value.strip() in ("true", "false", "1", "0")


# Set on the customised class only: the WSDL still says xs:boolean.
OptionalBoolean.validate_string = staticmethod(_strict_boolean)

# Texts are bounded by the columns that keep them (persistence/tables.py), so that an over-long
# value is a Client.ValidationError fault rather than a database error.
REFERENCE_LENGTH = 128  # externalReference, contactReference
NAME_LENGTH = 200  # firstName, lastName
EMAIL_LENGTH = 320
SECRET_ID_LENGTH = 64  # orderSecretId
# Not stored as text, but echoed back: bounded so that nobody sends megabytes to read them back.
REQUEST_ID_LENGTH = 255
ORDER_TYPE_LENGTH = 32


def bounded_text(tns: str, type_name: str, max_len: int, *, required: bool = False) -> Any:
    """A text parameter of at most `max_len` characters, as a simple type named in `tns`.

    Named explicitly: spyne otherwise names a restricted type after the first method that
    uses it, which depends on the order applications are built and breaks the snapshot.
    """
    model = Unicode(
        max_len=max_len, min_occurs=1 if required else 0, nillable=not required, type_name=type_name
    )
    model.__namespace__ = tns
    return model


# Result fields: always written, xsi:nil when unknown (contract §9.1: real harnesses assert
# that every key exists). minOccurs=1 keeps JAX-WS getters plain (no JAXBElement wrapper).
ResultLong = Long(min_occurs=1, nillable=True)
ResultInteger = Integer(min_occurs=1, nillable=True)
ResultText = Unicode(min_occurs=1, nillable=True)
ResultBoolean = Boolean(min_occurs=1, nillable=True)
ResultDateTime = DateTime(min_occurs=1, nillable=True)


def result(model: Any) -> Any:
    """A nested result object: always written, xsi:nil when there is none (a refusal)."""
    return model.customize(min_occurs=1, nillable=True)


def model(
    tns: str, name: str, fields: list[tuple[str, Any]], base: type[ComplexModel] = ComplexModel
) -> type[ComplexModel]:
    attributes: dict[str, Any] = {"__namespace__": tns, "__type_name__": name, "_type_info": fields}
    return type(name, (base,), attributes)


@functools.cache
def wire_types(tns: str) -> SimpleNamespace:
    operation_kind = Enum("SEAT", "AREA", "ITEM", type_name="OperationKind")
    operation_kind.__namespace__ = tns
    t = SimpleNamespace()
    t.RequestId = bounded_text(tns, "RequestIdText", REQUEST_ID_LENGTH)
    t.OrderType = bounded_text(tns, "OrderTypeText", ORDER_TYPE_LENGTH)
    t.Reference = bounded_text(tns, "ReferenceText", REFERENCE_LENGTH)
    t.SecretId = bounded_text(tns, "SecretIdText", SECRET_ID_LENGTH, required=True)
    name = bounded_text(tns, "NameText", NAME_LENGTH)
    email = bounded_text(tns, "EmailText", EMAIL_LENGTH)
    t.CurrencyData = model(
        tns,
        "CurrencyData",
        [
            ("currencyCode", ResultText),
            ("fractionDigit", ResultInteger),
            ("symbol", ResultText),
            ("minAmount", ResultLong),
            ("availableCash", repeated(Long)),
        ],
    )
    t.KeyValueData = model(tns, "KeyValueData", [("key", ResultText), ("value", ResultText)])
    t.ContactData = model(
        tns,
        "ContactData",
        [
            ("contactReference", t.Reference),
            ("firstName", name),
            ("lastName", name),
            ("email", email),
        ],
    )
    # ContactData as a result writes every field (nil when unknown); as a request each
    # field stays optional, hence a type of its own.
    t.FileContactData = model(
        tns,
        "FileContactData",
        [
            ("contactReference", ResultText),
            ("firstName", ResultText),
            ("lastName", ResultText),
            ("email", ResultText),
        ],
    )
    t.PaymentData = model(
        tns,
        "PaymentData",
        [
            ("paymentMethodId", OptionalLong),
            ("amount", OptionalLong),
        ],
    )
    t.OperationRequest = model(
        tns,
        "OperationRequest",
        [
            ("kind", operation_kind.customize(min_occurs=1, nillable=False)),
            ("performanceId", OptionalLong),
            ("seatCategoryId", OptionalLong),
            ("areaId", OptionalLong),
            ("itemId", OptionalLong),
            ("audienceSubCategoryId", OptionalLong),
            ("quantity", OptionalInteger),
            ("contingentId", OptionalLong),
            ("preferedAreas", repeated(Long, limits.MAX_PREFERRED_AREAS)),
            ("seatIds", repeated(Long, limits.MAX_SEAT_IDS)),
            ("contiguous", OptionalBoolean),
        ],
    )
    t.OperationAttribution = model(
        tns,
        "OperationAttribution",
        [
            ("performanceId", OptionalLong),
            ("seatCategoryId", OptionalLong),
            ("audienceSubCategoryId", OptionalLong),
            ("quantity", OptionalInteger),
            ("contingentId", OptionalLong),
        ],
    )
    t.SingleEntryAttributionOperation = model(
        tns,
        "SingleEntryAttributionOperation",
        [
            (
                "operationAttributions",
                repeated(t.OperationAttribution, limits.MAX_ATTRIBUTIONS_PER_GROUP),
            ),
            ("preferedAreas", repeated(Long, limits.MAX_PREFERRED_AREAS)),
        ],
    )
    t.SimpleProductOperation = model(
        tns,
        "SimpleProductOperation",
        [
            ("itemId", OptionalLong),
            ("audienceSubCategoryId", OptionalLong),
            ("quantity", OptionalInteger),
        ],
    )
    t.ChargeOperation = model(
        tns,
        "ChargeOperation",
        [
            ("chargeId", OptionalLong),
            ("quantity", OptionalInteger),
            ("amount", OptionalLong),
        ],
    )
    t.OperationData = model(
        tns,
        "OperationData",
        [
            ("operationId", ResultLong),
            ("fileId", ResultLong),
            ("orderId", ResultLong),
            ("kind", ResultText),
            ("productId", ResultLong),
            ("productCode", ResultText),
            ("performanceId", ResultLong),
            ("seatCategoryId", ResultLong),
            ("audienceSubCategoryId", ResultLong),
            ("contingentId", ResultLong),
            ("quantity", ResultInteger),
            ("unitPrice", ResultLong),
            ("totalAmount", ResultLong),
            ("numbered", ResultBoolean),
            ("linkedOperationId", ResultLong),
            ("basePrice", ResultLong),
            ("itemId", ResultLong),
            ("productFamilyType", ResultText),
            ("operationNumber", ResultInteger),
            ("audienceSubCategory", ResultText),
        ],
    )
    t.MovementData = model(
        tns,
        "MovementData",
        [
            ("movementId", ResultLong),
            ("operationId", ResultLong),
            ("type", ResultText),
            ("seatId", ResultLong),
            ("areaId", ResultLong),
            ("blockId", ResultLong),
            ("rowNumber", ResultText),
            ("seatNumber", ResultText),
            ("seatCategoryId", ResultLong),
            ("contingentId", ResultLong),
            ("price", ResultLong),
            ("movementState", ResultText),
            ("barcode", ResultText),
            ("seatCategory", ResultText),
            ("contingent", ResultText),
            ("instanceNumber", ResultInteger),
        ],
    )
    t.ContiguityData = model(
        tns,
        "ContiguityData",
        [
            ("movementIds", repeated(Long)),
            ("areaId", ResultLong),
            ("rowNumber", ResultText),
        ],
    )
    t.OrderUpdateData = model(
        tns,
        "OrderUpdateData",
        [
            ("orderId", ResultLong),
            ("orderSecretId", ResultText),
            ("fileId", ResultLong),
            ("orderState", ResultText),
            ("mainOperationId", ResultLong),
            ("operationDataUpdates", repeated(t.OperationData)),
            ("movementDataUpdates", repeated(t.MovementData)),
            ("removeOperationIds", repeated(Long)),
            ("removeMovementIds", repeated(Long)),
            ("generatedContiguities", repeated(t.ContiguityData)),
            ("catalogCurrency", result(t.CurrencyData)),
            ("generatedContactQualities", repeated(t.KeyValueData)),
            ("origin", ResultText),
        ],
    )
    t.OrderDetailsData = model(
        tns,
        "OrderDetailsData",
        [
            ("orderId", ResultLong),
            ("orderSecretId", ResultText),
            ("fileId", ResultLong),
            ("orderState", ResultText),
            ("orderType", ResultText),
            ("creationDateTime", ResultDateTime),
            ("lastUpdateDateTime", ResultDateTime),
            ("expirationDate", ResultDateTime),
            ("salesChannelCode", ResultText),
            ("salesChannelName", ResultText),
            ("pointOfSalesId", ResultLong),
            ("contactReference", ResultText),
            ("externalReference", ResultText),
            ("saleAmount", ResultLong),
            ("paidAmount", ResultLong),
            ("catalogCurrency", result(t.CurrencyData)),
            ("operationDatas", repeated(t.OperationData)),
            ("movementDatas", repeated(t.MovementData)),
            ("paymentState", ResultText),
            ("optionAmount", ResultLong),
            ("orderOriginData", ResultText),
            ("orderOriginator", ResultText),
            ("preSaleAmount", ResultLong),
            ("referenceDate", ResultDateTime),
            ("reservationAmount", ResultLong),
            ("waitingAccountBalanceAmount", ResultLong),
            ("externalReferences", repeated(t.KeyValueData)),
        ],
    )
    t.FileAttachmentData = model(
        tns,
        "FileAttachmentData",
        [
            ("fileAttachmentId", ResultLong),
            ("name", ResultText),
            ("uploadDate", ResultDateTime),
        ],
    )
    t.FileDetailsData = model(
        tns,
        "FileDetailsData",
        [
            ("fileId", ResultLong),
            ("fileState", ResultText),
            ("lastModDateTime", ResultDateTime),
            ("fileContacts", repeated(t.FileContactData)),
            ("fileAttachments", repeated(t.FileAttachmentData)),
        ],
    )
    t.WebMethodResult = model(
        tns,
        "WebMethodResult",
        [
            ("requestId", ResultText),
            ("statusCode", ResultText),
            ("statusDetail", ResultText),
        ],
    )
    t.OrderUpdateResult = model(
        tns,
        "OrderUpdateResult",
        [
            ("expectedException", ResultBoolean),
            ("statusMessage", ResultText),
            ("orderUpdateData", result(t.OrderUpdateData)),
        ],
        base=t.WebMethodResult,
    )
    t.OrderDetailResult = model(
        tns,
        "OrderDetailResult",
        [
            ("orderDetailsData", result(t.OrderDetailsData)),
        ],
        base=t.WebMethodResult,
    )
    t.CloseOrderResult = model(
        tns,
        "CloseOrderResult",
        [
            ("orderData", result(t.OrderDetailsData)),
        ],
        base=t.WebMethodResult,
    )
    t.FileDetailResult = model(
        tns,
        "FileDetailResult",
        [
            ("fileDetailsData", result(t.FileDetailsData)),
            ("orderDetailsDatas", repeated(t.OrderDetailsData)),
        ],
        base=t.WebMethodResult,
    )
    # Imported here: record_types builds on this module's field types.
    from boxoffice.soap.record_types import add_record_types

    add_record_types(tns, t)
    return t
