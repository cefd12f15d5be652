"""The types of the payment workflow, attachments, external references and the real
platform's other operation lists (contract §9.2, §9.3), in the namespace of `wire_types`."""

from __future__ import annotations

from types import SimpleNamespace

from spyne import Enum, Long, Unicode

from boxoffice.service.orders import GRANULARITIES
from boxoffice.service.payments import OUTCOME_OF_PAYMENT_STATE
from boxoffice.service.records import (
    ATTACHMENT_NAME_LENGTH,
    MAX_EXTERNAL_REFERENCES_PER_OWNER,
    MIMETYPE_LENGTH,
    REFERENCE_KEY_LENGTH,
    REFERENCE_VALUE_LENGTH,
)
from boxoffice.soap import limits
from boxoffice.soap.limits import repeated
from boxoffice.soap.types import (
    OptionalInteger,
    OptionalLong,
    ResultLong,
    ResultText,
    bounded_text,
    model,
    result,
)

UPLOAD_DATE_LENGTH = 32


def _enum(tns: str, name: str, values: tuple[str, ...]) -> type:
    enum = Enum(*values, type_name=name)
    enum.__namespace__ = tns
    return enum.customize(min_occurs=0, nillable=True)


def add_record_types(tns: str, t: SimpleNamespace) -> None:
    key = bounded_text(tns, "ReferenceKeyText", REFERENCE_KEY_LENGTH)
    value = bounded_text(tns, "ReferenceValueText", REFERENCE_VALUE_LENGTH)
    t.Granularity = _enum(tns, "OrderUpdateGranularity", GRANULARITIES)
    t.PaymentStateName = _enum(tns, "PaymentState", tuple(OUTCOME_OF_PAYMENT_STATE))
    t.ReferenceKind = bounded_text(tns, "ExternalReferenceKindText", 32)
    t.FileStatus = bounded_text(tns, "FileStatusText", 32)
    t.ExternalReference = model(tns, "ExternalReference", [("key", key), ("value", value)])
    # Bounded in the WSDL as in storage: a longer list is refused before anything reads it.
    t.ExternalReferences = t.ExternalReference.customize(
        min_occurs=0, max_occurs=MAX_EXTERNAL_REFERENCES_PER_OWNER, nillable=False
    )
    t.PrintableFileAttachmentData = model(
        tns,
        "PrintableFileAttachmentData",
        [
            # Base64, or cid:<id> of a MIME part (inlined by the gateway before this is read).
            ("data", Unicode(min_occurs=0, nillable=True)),
            ("fileName", bounded_text(tns, "FileNameText", ATTACHMENT_NAME_LENGTH)),
            ("mimetype", bounded_text(tns, "MimetypeText", MIMETYPE_LENGTH)),
            ("uploadDate", bounded_text(tns, "UploadDateText", UPLOAD_DATE_LENGTH)),
        ],
    )
    t.PrintableFileAttachment = model(
        tns,
        "PrintableFileAttachment",
        [
            ("data", ResultText),
            ("fileName", ResultText),
            ("mimetype", ResultText),
            ("uploadDate", ResultText),
        ],
    )
    t.PrintableFileAttachmentResult = model(
        tns,
        "PrintableFileAttachmentResult",
        [
            ("fileAttachment", result(t.PrintableFileAttachment)),
        ],
        base=t.WebMethodResult,
    )
    t.ExternalReferencesData = model(
        tns,
        "ExternalReferencesData",
        [
            ("id", ResultLong),
            ("externalReferences", repeated(t.KeyValueData)),
        ],
    )
    t.ExternalReferenceResult = model(
        tns,
        "ExternalReferenceResult",
        [
            ("externalReferences", result(t.ExternalReferencesData)),
        ],
        base=t.WebMethodResult,
    )
    t.PaymentParameter = model(tns, "PaymentParameter", [("key", key), ("value", value)])
    t.PaymentParams = model(
        tns,
        "PaymentParams",
        [
            ("contactNumber", t.Reference),
            ("totalAmount", OptionalLong),
            ("paymentParametersMap", repeated(t.PaymentParameter, limits.MAX_PAYMENT_PARAMETERS)),
        ],
    )
    t.PaymentsAndCloseOrderResult = model(
        tns,
        "PaymentsAndCloseOrderResult",
        [
            ("expectedException", t.OrderUpdateResult._type_info["expectedException"]),
            ("statusMessage", ResultText),
            ("paymentIds", repeated(Long)),
            ("orderData", result(t.OrderDetailsData)),
        ],
        base=t.WebMethodResult,
    )
    # Lines of products boxoffice does not sell: accepted on the wire, refused by name.
    product_line = [
        ("productId", OptionalLong),
        ("audienceSubCategoryId", OptionalLong),
        ("quantity", OptionalInteger),
    ]
    t.ComposedProductOperation = model(tns, "ComposedProductOperation", product_line)
    t.TransportProductOperation = model(tns, "TransportProductOperation", product_line)
