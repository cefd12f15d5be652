"""How many times each repeated request element may appear, and the check made before dispatch.

Every list a request may carry has a maximum decided here (docs/design.md, "Limits"): it is
the WSDL's maxOccurs, and `first_excess` enforces it on the raw request, SOAP or JSON, before
spyne reads a single value, so that a request of half a million ids costs a count, not a
parse. A request over a maximum is answered with a Client.ValidationError fault.
"""

from __future__ import annotations

import math
from typing import Any

from lxml import etree
from spyne import ComplexModelBase

# Purchasers named in one call (createOrder, createOrUpdateOrder).
MAX_PURCHASERS = 10
# Seats chosen by id in one line: no more than a line's quantity (domain/lines.py).
MAX_SEAT_IDS = 40
MAX_PREFERRED_AREAS = 20
# Lines of one createOrUpdateOrder: seat groups, their tariffs, products, charges.
MAX_ATTRIBUTION_GROUPS = 20
MAX_ATTRIBUTIONS_PER_GROUP = 10
MAX_PRODUCT_LINES = 20
MAX_CHARGE_LINES = 10
# Ids named by one cancelOperations / abandonMovements.
MAX_OPERATION_IDS = 100
MAX_MOVEMENT_IDS = 200
MAX_PAYMENTS = 10
# Key/value pairs of one createPaymentsAndCloseOrder's paymentParams.
MAX_PAYMENT_PARAMETERS = 20
# Ids one availability call asks about (eventIds, performanceIds, productIds; areaIds of
# getSeatsAvailability): a reseller's page of dates, not the whole catalogue at once.
MAX_AVAILABILITY_IDS = 200
# seatCategoryIds and contingentIds of one availability call: a venue has a handful of each.
MAX_SEAT_CATEGORY_IDS = 50
MAX_CONTINGENT_IDS = 20
# Seats picked in one doSeatingForOperations: one per movement of an order, which holds at most
# 80 places (domain/lines.py MAX_ORDER_PLACES).
MAX_SEATING_LINES = 80
# Elements (SOAP) or values (JSON) in one request's parameters, whatever their names: the
# largest request the maxima above allow has about 1,700; unknown elements count too.
MAX_REQUEST_ELEMENTS = 5000


def repeated(model: Any, max_occurs: int | str = "unbounded") -> Any:
    """A list written as repeated elements named after the field, with no wrapper.

    Request fields name their `max_occurs`; answers leave it unbounded (the server bounds
    what it writes).
    """
    return model.customize(min_occurs=0, max_occurs=max_occurs, nillable=False)


def _bounded(field_type: Any) -> int | None:
    maximum = field_type.Attributes.max_occurs
    if maximum in (None, "unbounded") or (isinstance(maximum, float) and math.isinf(maximum)):
        return None
    return int(maximum)


def _fields(model: Any) -> dict[str, Any]:
    return dict(model.get_flat_type_info(model))


def _local(tag: Any) -> str | None:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else None


def first_excess_xml(model: Any, element: etree._Element) -> str | None:
    """The first field of `element` (read as `model`) repeated past its maxOccurs, or None."""
    if sum(1 for _ in element.iter()) > MAX_REQUEST_ELEMENTS:
        return f"A request may hold at most {MAX_REQUEST_ELEMENTS} elements."
    pending = [(model, element)]
    while pending:
        current_model, current = pending.pop()
        fields = _fields(current_model)
        counts: dict[str, int] = {}
        for child in current:
            name = _local(child.tag) or ""
            field_type = fields.get(name)
            if field_type is None:
                continue
            counts[name] = counts.get(name, 0) + 1
            maximum = _bounded(field_type)
            if maximum is not None and counts[name] > maximum:
                return f"{name} may appear at most {maximum} times."
            if issubclass(field_type, ComplexModelBase):
                pending.append((field_type, child))
    return None


def first_excess_json(model: Any, document: Any) -> str | None:
    """The same check on a JSON twin's parameters: a list longer than its field's maximum."""
    if _values_in(document) > MAX_REQUEST_ELEMENTS:
        return f"A request may hold at most {MAX_REQUEST_ELEMENTS} values."
    pending = [(model, document)]
    while pending:
        current_model, current = pending.pop()
        if not isinstance(current, dict):
            continue
        fields = _fields(current_model)
        for name, value in current.items():
            field_type = fields.get(name)
            if field_type is None:
                continue
            values = value if isinstance(value, list) else [value]
            maximum = _bounded(field_type)
            if maximum is not None and len(values) > maximum:
                return f"{name} may hold at most {maximum} values."
            if issubclass(field_type, ComplexModelBase):
                pending.extend((field_type, item) for item in values)
    return None


def _values_in(document: Any) -> int:
    """How many values (objects, lists and scalars) a JSON document holds, stopping early."""
    count, pending = 0, [document]
    while pending and count <= MAX_REQUEST_ELEMENTS:
        value = pending.pop()
        count += 1
        if isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return count
