"""The one-pass answer writer gives byte for byte what spyne plus the S-360 rewrite give.

Every operation of every service, with answers filled at random (values, nil, empty and
repeated lists, nested results), is written both ways and compared. The writer must also
really take every answer: one left to spyne would be correct but slow, silently.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from lxml import etree
from spyne import Boolean, ComplexModelBase, Date, DateTime, Integer, Long, Unicode
from spyne.model.enum import EnumBase
from spyne.protocol.soap import Soap11

from boxoffice.soap.application import SERVICES, build_application
from boxoffice.soap.envelope import rewrite_response

OPERATIONS = [
    (definition, name)
    for definition in SERVICES
    for name in sorted(definition.service_class().public_methods)
]


def _value(field_type: Any, chance: random.Random, depth: int) -> Any:
    if chance.random() < 0.25:
        return None
    element = getattr(field_type, "__orig__", None) or field_type
    if field_type.Attributes.max_occurs > 1 and depth >= 0:
        return [_value(field_type, chance, -depth - 1) for _ in range(chance.choice((0, 1, 3)))]
    depth = abs(depth)
    if issubclass(element, ComplexModelBase):
        if depth > 4:
            return None
        types = element.get_flat_type_info(element)
        return element(**{name: _value(t, chance, depth + 1) for name, t in types.items()})
    if issubclass(element, EnumBase):
        return chance.choice(list(element.Attributes.values))
    if issubclass(element, Boolean):
        return chance.choice((True, False))
    if issubclass(element, (Long, Integer)):
        return chance.choice((0, -3, 7, 2**53))
    if issubclass(element, DateTime):
        return datetime(2027, 3, 1, 20, chance.randrange(60), tzinfo=UTC)
    if issubclass(element, Date):
        return date(2027, 3, chance.randrange(1, 28))
    if issubclass(element, Unicode):
        return chance.choice(("", "Tribune Nord", "<&>\"' é €", "  spaced  ", "a\r\nb\t😀"))
    raise AssertionError(f"no sample for {element}")


def _both_ways(application: Any, method: str, values: list[Any]) -> tuple[bytes, bytes | None]:
    protocol = application.out_protocol
    descriptor = application.interface.service_method_map[f"{{{application.tns}}}{method}"][0]
    ctx = SimpleNamespace(descriptor=descriptor, out_object=values, out_error=None, out_header=None)
    Soap11.serialize(protocol, ctx, protocol.RESPONSE)  # spyne alone, then the rewrite
    expected = etree.tostring(
        rewrite_response(ctx.out_document, application.interface.get_tns()),
        xml_declaration=True,
        encoding="UTF-8",
    )
    tns = application.interface.get_tns()
    written = protocol.answers.envelope(descriptor, values, tns)
    if written is None:
        return expected, None
    tree = etree.tostring(written, xml_declaration=True, encoding="UTF-8")
    # The text form gives the tree's very bytes, or leaves the answer to the tree.
    text = protocol.answers.serialised(descriptor, values, tns)
    assert text == tree, method
    return expected, tree


@pytest.mark.parametrize(
    ("definition", "method"), OPERATIONS, ids=[f"{d.name}.{m}" for d, m in OPERATIONS]
)
def test_every_answer_is_written_as_spyne_and_the_rewrite_write_it(
    definition: Any, method: str
) -> None:
    application = build_application(definition, None)
    out_message = definition.service_class().public_methods[method].out_message
    chance = random.Random(f"{definition.name}.{method}")
    for _ in range(40):
        values = [
            _value(field_type, chance, 0)
            for field_type in out_message.get_flat_type_info(out_message).values()
        ]
        expected, written = _both_ways(application, method, values)
        assert written is not None, f"{method}: the answer was left to spyne"
        assert written == expected


def test_a_value_the_writer_does_not_know_is_left_to_spyne() -> None:
    """spyne also takes a list for a complex value; the writer gives that case back."""
    definition = next(d for d in SERVICES if d.name == "ExternalOrderService")
    application = build_application(definition, None)
    out_message = definition.service_class().public_methods["getOrderDetails"].out_message
    (result_type,) = out_message.get_flat_type_info(out_message).values()
    as_list = [None] * len(result_type.get_flat_type_info(result_type))
    expected, written = _both_ways(application, "getOrderDetails", [as_list])
    assert written is None
    assert b"OrderDetailResult" in expected


def test_text_lxml_refuses_leaves_the_answer_to_spyne_both_ways() -> None:
    """A control character cannot be written in XML 1.0: neither form writes the answer."""
    definition = next(d for d in SERVICES if d.name == "ExternalOrderService")
    application = build_application(definition, None)
    protocol = application.out_protocol
    tns = application.interface.get_tns()
    descriptor = application.interface.service_method_map[f"{{{tns}}}getOrderDetails"][0]
    (result_type,) = descriptor.out_message.get_flat_type_info(descriptor.out_message).values()
    for text, written in (("bell\x07", False), ("fine\r\n", True)):
        result = result_type(requestId=text, statusCode="success")
        serialised = protocol.answers.serialised(descriptor, [result], tns)
        tree = protocol.answers.envelope(descriptor, [result], tns)
        assert (serialised is not None, tree is not None) == (written, written)
        if written:
            assert serialised == etree.tostring(tree, xml_declaration=True, encoding="UTF-8")
            assert b"<requestId>fine&#13;\n</requestId>" in serialised
