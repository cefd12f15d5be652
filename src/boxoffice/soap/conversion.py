"""Reads the spyne request types into the service layer's plain inputs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from boxoffice.domain.errors import InvalidRequest
from boxoffice.service.requests import (
    AttachmentInput,
    AttributionGroup,
    ContactInput,
    OperationInput,
    PaymentInput,
)

# uploadDate as real clients send it (dd/MM/yyyy), or ISO 8601.
_UPLOAD_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")


def contact_input(contact: Any) -> ContactInput | None:
    if contact is None or not getattr(contact, "contactReference", None):
        return None
    return ContactInput(
        contact.contactReference, contact.firstName, contact.lastName, contact.email
    )


def contact_inputs(contacts: Any) -> tuple[ContactInput, ...]:
    converted = (contact_input(contact) for contact in contacts or ())
    return tuple(contact for contact in converted if contact is not None)


def operation_input(request: Any) -> OperationInput | None:
    if request is None:
        return None
    return OperationInput(
        kind=enum_text(request.kind) or "",
        quantity=request.quantity,
        audience_sub_category_id=request.audienceSubCategoryId,
        performance_id=request.performanceId,
        seat_category_id=request.seatCategoryId,
        area_id=request.areaId,
        item_id=request.itemId,
        contingent_id=request.contingentId,
        prefered_areas=tuple(request.preferedAreas or ()),
        seat_ids=tuple(request.seatIds or ()),
        contiguous=request.contiguous if request.contiguous is not None else True,
    )


def attribution_groups(entries: Any) -> tuple[AttributionGroup, ...]:
    return tuple(
        AttributionGroup(
            attributions=tuple(
                OperationInput(
                    kind="SEAT",
                    quantity=a.quantity,
                    audience_sub_category_id=a.audienceSubCategoryId,
                    performance_id=a.performanceId,
                    seat_category_id=a.seatCategoryId,
                    contingent_id=a.contingentId,
                )
                for a in entry.operationAttributions or ()
            ),
            prefered_areas=tuple(entry.preferedAreas or ()),
        )
        for entry in entries or ()
    )


def product_lines(entries: Any) -> tuple[OperationInput, ...]:
    return tuple(
        OperationInput(
            kind="ITEM",
            quantity=entry.quantity,
            item_id=entry.itemId,
            audience_sub_category_id=entry.audienceSubCategoryId,
        )
        for entry in entries or ()
    )


def payment_inputs(payments: Any) -> tuple[PaymentInput, ...]:
    return tuple(PaymentInput(p.paymentMethodId, p.amount) for p in payments or ())


def upload_date(text: str | None) -> datetime | None:
    text = (text or "").strip()
    if not text:
        return None
    for pattern in _UPLOAD_DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidRequest("uploadDate must be written dd/MM/yyyy.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def attachment_input(data: Any) -> AttachmentInput:
    if data is None:
        raise InvalidRequest("printableFileAttachmentData is required.")
    return AttachmentInput(
        data=data.data,
        file_name=data.fileName,
        mimetype=data.mimetype,
        upload_date=upload_date(data.uploadDate),
    )


def external_references(entries: Any) -> tuple[tuple[str, str], ...]:
    """(key, value) pairs; an absent value is an empty one (which removes the key)."""
    return tuple(((entry.key or "").strip(), entry.value or "") for entry in entries or ())


def enum_text(value: Any) -> str | None:
    """An enumeration parameter as its text; spyne gives its own value objects."""
    return None if value is None else str(value)
