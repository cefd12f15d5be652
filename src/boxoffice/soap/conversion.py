"""Fills the spyne result types from the service layer's views, and reads request types."""

from __future__ import annotations

import functools
import re
from dataclasses import fields, is_dataclass
from typing import Any

from spyne import ComplexModelBase

from boxoffice.service.requests import (
    AttributionGroup,
    ContactInput,
    OperationInput,
    PaymentInput,
)

_CAPITAL = re.compile(r"(?<!^)(?=[A-Z])")


@functools.cache  # field names are a fixed, small set; each answer converts thousands
def snake_case(camel: str) -> str:
    return _CAPITAL.sub("_", camel).lower()


_FIELD_NAMES: dict[type, frozenset[str]] = {}


def _field_names(view: Any) -> frozenset[str]:
    """The dataclass field names of the view's type, found once per type (a handful)."""
    view_type = type(view)
    names = _FIELD_NAMES.get(view_type)
    if names is None:
        names = frozenset(f.name for f in fields(view)) if is_dataclass(view) else frozenset()
        _FIELD_NAMES[view_type] = names
    return names


def _all_fields(model: type[ComplexModelBase]) -> list[tuple[str, Any]]:
    parent = getattr(model, "__extends__", None)
    inherited = _all_fields(parent) if parent is not None else []
    return inherited + list(model._type_info.items())


def to_wire(model: type[ComplexModelBase], view: Any) -> ComplexModelBase:
    """A spyne instance whose camelCase fields take the view's snake_case attributes."""
    instance = model()
    names = _field_names(view)
    for name, field_type in _all_fields(model):
        attribute = snake_case(name)
        if attribute not in names:
            continue
        value = getattr(view, attribute)
        element_type = getattr(field_type, "__orig__", None) or field_type
        if isinstance(element_type, type) and issubclass(element_type, ComplexModelBase):
            if isinstance(value, list):
                value = [to_wire(element_type, item) for item in value]
            elif value is not None:
                value = to_wire(element_type, value)
        setattr(instance, name, value)
    return instance


def contact_input(contact: Any) -> ContactInput | None:
    if contact is None or not getattr(contact, "contactReference", None):
        return None
    return ContactInput(contact.contactReference, contact.firstName, contact.lastName,
                        contact.email)


def contact_inputs(contacts: Any) -> tuple[ContactInput, ...]:
    converted = (contact_input(contact) for contact in contacts or ())
    return tuple(contact for contact in converted if contact is not None)


def operation_input(request: Any) -> OperationInput | None:
    if request is None:
        return None
    return OperationInput(
        kind=str(request.kind) if request.kind is not None else "",
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
                    kind="SEAT", quantity=a.quantity,
                    audience_sub_category_id=a.audienceSubCategoryId,
                    performance_id=a.performanceId, seat_category_id=a.seatCategoryId,
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
        OperationInput(kind="ITEM", quantity=entry.quantity, item_id=entry.itemId,
                       audience_sub_category_id=entry.audienceSubCategoryId)
        for entry in entries or ()
    )


def payment_inputs(payments: Any) -> tuple[PaymentInput, ...]:
    return tuple(PaymentInput(p.paymentMethodId, p.amount) for p in payments or ())
