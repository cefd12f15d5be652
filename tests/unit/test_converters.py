"""Every field of every result type has a value source: a converter per wire type, typed."""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import UTC, datetime
from typing import Any

import pytest
from spyne import ComplexModelBase

from boxoffice.soap.application import SERVICES
from boxoffice.soap.converters import CONVERTERS, MissingValueSource, filled, wire_fields
from boxoffice.soap.types import wire_types


def _result_types() -> dict[str, type[ComplexModelBase]]:
    """Every complex type reachable from the results of every operation of every service."""
    found: dict[str, type[ComplexModelBase]] = {}
    for definition in SERVICES:
        service = definition.service_class()
        pending = [method.out_message for method in service.public_methods.values()]
        while pending:
            model = pending.pop()
            for field_type in model.get_flat_type_info(model).values():
                element = getattr(field_type, "__orig__", None) or field_type
                if isinstance(element, type) and issubclass(element, ComplexModelBase):
                    name = element.get_type_name()
                    if name not in found:
                        found[name] = element
                        pending.append(element)
    return found


RESULT_TYPES = _result_types()
# Result wrappers are filled by soap/responder.py, which also goes through `filled`.
WRAPPERS = {name for name, model in RESULT_TYPES.items() if "statusCode" in wire_fields(model)}


def sample(annotation: Any) -> Any:
    """A value of the annotated type, with every nested view built too."""
    origin = typing.get_origin(annotation)
    if origin is list:
        return [sample(typing.get_args(annotation)[0])]
    if origin in (typing.Union, types.UnionType):
        return sample(next(a for a in typing.get_args(annotation) if a is not type(None)))
    if dataclasses.is_dataclass(annotation):
        hints = typing.get_type_hints(annotation)
        return annotation(**{f.name: sample(hints[f.name])
                             for f in dataclasses.fields(annotation)})
    values = {int: 7, str: "PAID", bool: True, bytes: b"data",
              datetime: datetime(2027, 1, 1, tzinfo=UTC)}
    return values[annotation]


@pytest.mark.parametrize("type_name", sorted(set(RESULT_TYPES) - WRAPPERS))
def test_every_result_type_has_a_converter_that_fills_every_field(type_name: str) -> None:
    assert type_name in CONVERTERS, f"no converter for {type_name}"
    converter = CONVERTERS[type_name]
    view_type = typing.get_type_hints(converter)["view"]
    converted = converter(wire_types(SERVICES[0].tns), sample(view_type))
    assert converted.get_type_name() == type_name


def test_a_field_without_a_value_source_fails_loudly() -> None:
    currency = wire_types(SERVICES[0].tns).CurrencyData
    with pytest.raises(MissingValueSource, match="minAmount"):
        filled(currency, currencyCode="EUR", fractionDigit=2, symbol="€", availableCash=[])
    with pytest.raises(MissingValueSource, match="colour"):
        filled(currency, currencyCode="EUR", fractionDigit=2, symbol="€", minAmount=10,
               availableCash=[], colour="red")


def test_the_walk_reaches_the_types_of_the_new_operations() -> None:
    assert {"OrderDetailsData", "FileAttachmentData", "PrintableFileAttachment",
            "ExternalReferencesData", "KeyValueData"} <= set(RESULT_TYPES)
    assert {"PaymentsAndCloseOrderResult", "ExternalReferenceResult"} <= WRAPPERS
