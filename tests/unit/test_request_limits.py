"""Every list a request may carry, in every operation of every service, has a maximum."""

from __future__ import annotations

import math
from typing import Any

from spyne import ComplexModelBase

from boxoffice.soap.application import SERVICES


def _unbounded_request_lists() -> list[str]:
    found: list[str] = []
    for definition in SERVICES:
        service = definition.service_class()
        for method_name, method in service.public_methods.items():
            pending: list[tuple[str, Any]] = [(method_name, method.in_message)]
            seen: set[Any] = set()
            while pending:
                path, model = pending.pop()
                if model in seen:
                    continue
                seen.add(model)
                for name, field_type in model.get_flat_type_info(model).items():
                    maximum = field_type.Attributes.max_occurs
                    if maximum == "unbounded" or (
                        isinstance(maximum, float) and math.isinf(maximum)
                    ):
                        found.append(f"{definition.name}.{path}.{name}")
                    if issubclass(field_type, ComplexModelBase):
                        pending.append((f"{path}.{name}", field_type))
    return found


def test_no_request_list_is_unbounded() -> None:
    assert _unbounded_request_lists() == []


def test_the_sibling_services_lists_are_bounded_too() -> None:
    availability = next(d for d in SERVICES if d.name == "AvailabilityService")
    method = availability.service_class().public_methods["getPerformanceAvailability"]
    fields = method.in_message.get_flat_type_info(method.in_message)
    assert fields["performanceIds"].Attributes.max_occurs == 200
    assert fields["seatCategoryIds"].Attributes.max_occurs == 50
