"""Every field of every result type has a value source: a converter per wire type, typed."""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import UTC, datetime
from typing import Any

import pytest
from spyne import ComplexModelBase

from boxoffice.soap.application import SERVICES, ServiceDefinition
from boxoffice.soap.catalog_converters import SIBLING_CONVERTERS
from boxoffice.soap.converter_registry import WIRE_CONVERTERS
from boxoffice.soap.converters import CONVERTERS, MissingValueSource, filled, wire_fields
from boxoffice.soap.types import wire_types


def _result_types() -> dict[tuple[str, str], type[ComplexModelBase]]:
    """Every complex type reachable from the results of every operation of every service,
    by (service name, type name): each service builds its types in its own namespace."""
    found: dict[tuple[str, str], type[ComplexModelBase]] = {}
    for definition in SERVICES:
        service = definition.service_class()
        pending = [method.out_message for method in service.public_methods.values()]
        while pending:
            model = pending.pop()
            for field_type in model.get_flat_type_info(model).values():
                element = getattr(field_type, "__orig__", None) or field_type
                if isinstance(element, type) and issubclass(element, ComplexModelBase):
                    key = (definition.name, element.get_type_name())
                    if key not in found:
                        found[key] = element
                        pending.append(element)
    return found


RESULT_TYPES = _result_types()
TYPE_NAMES = {name for _, name in RESULT_TYPES}
# Result wrappers are filled by soap/responder.py, which also goes through `filled`.
WRAPPERS = {key for key, model in RESULT_TYPES.items() if "statusCode" in wire_fields(model)}
DEFINITIONS: dict[str, ServiceDefinition] = {d.name: d for d in SERVICES}


def sample(annotation: Any) -> Any:
    """A value of the annotated type, with every nested view built too."""
    origin = typing.get_origin(annotation)
    if origin is list:
        return [sample(typing.get_args(annotation)[0])]
    if origin in (typing.Union, types.UnionType):
        return sample(next(a for a in typing.get_args(annotation) if a is not type(None)))
    if dataclasses.is_dataclass(annotation):
        hints = typing.get_type_hints(annotation)
        return annotation(**{f.name: sample(hints[f.name]) for f in dataclasses.fields(annotation)})
    values = {
        int: 7,
        str: "PAID",
        bool: True,
        bytes: b"data",
        datetime: datetime(2027, 1, 1, tzinfo=UTC),
    }
    return values[annotation]


@pytest.mark.parametrize(("service_name", "type_name"), sorted(set(RESULT_TYPES) - WRAPPERS))
def test_every_result_type_has_a_converter_that_fills_every_field(
    service_name: str, type_name: str
) -> None:
    assert type_name in WIRE_CONVERTERS, f"no converter for {type_name}"
    converter = WIRE_CONVERTERS[type_name]
    view_type = typing.get_type_hints(converter)["view"]
    definition = DEFINITIONS[service_name]
    converted = converter(definition.types(definition.tns), sample(view_type))
    # The very class the service answers with, in the service's own namespace.
    assert type(converted) is RESULT_TYPES[(service_name, type_name)]
    # `filled` skips spyne's constructor: the instance must hold what the constructor gives.
    values = {name: getattr(converted, name) for name in wire_fields(type(converted))}
    assert vars(type(converted)(**values)) == vars(converted)
    some_unknown = {
        name: None if i % 2 else value for i, (name, value) in enumerate(values.items())
    }
    assert vars(type(converted)(**some_unknown)) == vars(filled(type(converted), **some_unknown))


def test_the_order_and_sibling_converters_name_distinct_types() -> None:
    assert not set(CONVERTERS) & set(SIBLING_CONVERTERS)


def test_a_field_without_a_value_source_fails_loudly() -> None:
    currency = wire_types(SERVICES[0].tns).CurrencyData
    with pytest.raises(MissingValueSource, match="minAmount"):
        filled(currency, currencyCode="EUR", fractionDigit=2, symbol="€", availableCash=[])
    with pytest.raises(MissingValueSource, match="colour"):
        filled(
            currency,
            currencyCode="EUR",
            fractionDigit=2,
            symbol="€",
            minAmount=10,
            availableCash=[],
            colour="red",
        )


def test_the_walk_reaches_the_types_of_the_new_operations() -> None:
    assert {
        "OrderDetailsData",
        "FileAttachmentData",
        "PrintableFileAttachment",
        "ExternalReferencesData",
        "KeyValueData",
    } <= TYPE_NAMES
    assert {"PaymentsAndCloseOrderResult", "ExternalReferenceResult"} <= {
        name for _, name in WRAPPERS
    }


def test_the_walk_reaches_the_sibling_services_types() -> None:
    assert {
        ("CatalogService", "CatalogData"),
        ("CatalogService", "PosConfigData"),
        ("AvailabilityService", "SeatAvailabilityData"),
        ("AvailabilityService", "AvailabilityUpdateData"),
        ("ExternalSeatingService", "MovementData"),
    } <= set(RESULT_TYPES)
