"""Writes a successful answer straight in the S-360 shape, in one pass over a compiled plan.

spyne builds an answer's tree through a generic dispatch per element, and `rewrite_response`
then copies that tree into the S-360 shape: for an order's details the two took a third of
the call. This writer compiles, once per answer class, the list of its fields and how each is
written, then builds the final tree directly with the lxml calls the copy makes, so that the
bytes are the same (tests/unit/test_answer_writer.py compares both on every answer type).

A class using anything the plan does not cover (XML attributes, defaults, sub-protocols, any
handler but spyne's text, enum and complex ones) is left to spyne, whole; so is an answer
whose values are not plain instances (spyne also accepts lists and dicts for a complex value),
and an answer the writer fails on for any reason, so that spyne gives its own answer or error.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lxml import etree
from spyne import BODY_STYLE_WRAPPED, ComplexModelBase
from spyne.const.xml import DEFAULT_NS
from spyne.protocol.xml import XmlDocument

from boxoffice.soap.envelope import SOAP_ENV, XSI

_NIL = f"{{{XSI}}}nil"
_ENVELOPE = f"{{{SOAP_ENV}}}Envelope"
_BODY = f"{{{SOAP_ENV}}}Body"
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_PLAIN_SERIALIZATION_INSTANCE = ComplexModelBase.get_serialization_instance.__func__  # type: ignore[attr-defined]


class _Unsupported(Exception):
    """The class or value needs a part of spyne this writer does not reproduce."""


@dataclass(frozen=True)
class _Field:
    attribute: str
    tag: str
    many: bool  # written once per element of a sequence
    required: bool  # written as xsi:nil when None (minOccurs > 0)
    # The text of a simple value; None for a complex one.
    text: Callable[[Any], str] | None
    members: tuple[_Field, ...] | None  # the fields of a complex value
    complex_class: type | None


class AnswerWriter:
    """The S-360 envelope of a wrapped answer, or None when spyne must write it."""

    def __init__(self, protocol: XmlDocument) -> None:
        self._protocol = protocol
        self._plans: dict[type, tuple[_Field, ...] | None] = {}

    def writes(self, descriptor: Any) -> bool:
        """True when the answers of the method `descriptor` describes are written here (unless
        their values are of a form only spyne takes)."""
        if descriptor.body_style is not BODY_STYLE_WRAPPED or self._protocol.polymorphic:
            return False
        body_class = descriptor.out_message
        attributes = self._protocol.get_cls_attrs(body_class)
        return self._plan(body_class) is not None and attributes.sub_ns in (None, DEFAULT_NS)

    def serialised(self, descriptor: Any, values: Any, tns: str) -> bytes | None:
        """The bytes `etree.tostring` gives of envelope() with the protocol's settings, written
        as text in one pass; None where envelope() must build the tree (see the text form below)."""
        protocol = self._protocol
        if (
            not self.writes(descriptor)
            or protocol.pretty_print
            or str(protocol.encoding).upper() != "UTF-8"
            or descriptor.out_message.get_namespace() != tns
        ):
            return None
        wrapped = self._wrapped(descriptor, values)
        if wrapped is None:
            return None
        plan, by_name, name = wrapped
        parts = [
            _DECLARATION if protocol.xml_declaration else "",
            _OPENING,
            name,
            _TNS,
            tns,
            '"',
            ">",
        ]
        try:
            _text_members(plan, by_name.get, parts)
        except Exception:  # noqa: BLE001 (the tree gives lxml's own answer, or leaves it to spyne)
            return None
        if len(parts) == 7:
            parts[6] = "/>"  # no member written: lxml closes the wrapper at once
        else:
            parts += ("</ns2:", name, ">")
        parts.append(_CLOSING)
        return "".join(parts).encode("utf-8")

    def _wrapped(
        self, descriptor: Any, values: Any
    ) -> tuple[tuple[_Field, ...], dict[str, Any], str] | None:
        """The plan of the answer's wrapper, its members' values by name, and its element name."""
        body_class = descriptor.out_message
        plan = self._plan(body_class)
        assert plan is not None  # writes() said so
        attributes = self._protocol.get_cls_attrs(body_class)
        # The wrapper's members come positionally, as spyne assigns them; missing ones are None.
        names = list(body_class._type_info)
        given = list(values or ())
        if len(given) > len(names):
            return None
        by_name = dict(zip(names, given, strict=False))
        return plan, by_name, attributes.sub_name or body_class.get_type_name()

    def envelope(self, descriptor: Any, values: Any, tns: str) -> etree._Element | None:
        """The envelope of `values`, the answer of the method `descriptor` describes."""
        if not self.writes(descriptor):
            return None
        wrapped = self._wrapped(descriptor, values)
        if wrapped is None:
            return None
        plan, by_name, name = wrapped
        namespace = descriptor.out_message.get_namespace()
        envelope = etree.Element(_ENVELOPE, nsmap={"S": SOAP_ENV})
        body = etree.SubElement(envelope, _BODY)
        wrapper = etree.SubElement(body, f"{{{namespace}}}{name}", nsmap={"ns2": tns})
        try:
            _write_members(plan, by_name.get, wrapper)
        except Exception:  # noqa: BLE001 (spyne writes it instead, or raises its own error)
            return None
        return envelope

    def _plan(self, cls: type) -> tuple[_Field, ...] | None:
        if cls in self._plans:
            return self._plans[cls]
        self._plans[cls] = None  # a type holding itself is left to spyne
        try:
            plan: tuple[_Field, ...] | None = self._compile(cls)
        except _Unsupported:
            plan = None
        self._plans[cls] = plan
        return plan

    def _compile(self, cls: type) -> tuple[_Field, ...]:
        chain = []
        current: Any = cls
        while current is not None:
            chain.append(current)
            current = getattr(current, "__extends__", None)
        fields = []
        for owner in reversed(chain):  # inherited fields first, as spyne writes them
            for attribute, member in owner._type_info.items():
                field = self._field(attribute, member)
                if field is not None:
                    fields.append(field)
        return tuple(fields)

    def _field(self, attribute: str, member: Any) -> _Field | None:
        protocol = self._protocol
        attributes = protocol.get_cls_attrs(member)
        if attributes.exc:
            return None  # spyne leaves it out
        if attributes.prot is not None or attributes.default is not None:
            raise _Unsupported(member)
        handler = getattr(protocol.serialization_handlers[member], "__func__", None)
        tag = member.Attributes.sub_name or attribute
        if not _PLAIN_NAME.fullmatch(tag):
            raise _Unsupported(tag)  # written as text as it stands: a plain, unprefixed name
        many = member.Attributes.max_occurs > 1
        required = member.Attributes.min_occurs > 0
        if handler is XmlDocument.complex_to_parent:
            if attributes.sub_name is not None:
                tag = attributes.sub_name
                if not _PLAIN_NAME.fullmatch(tag):
                    raise _Unsupported(tag)
            serialization = getattr(member.get_serialization_instance, "__func__", None)
            members = self._plan(member)
            if serialization is not _PLAIN_SERIALIZATION_INSTANCE or members is None:
                raise _Unsupported(member)
            original = getattr(member, "__orig__", None) or member
            return _Field(attribute, tag, many, required, None, members, original)
        if handler is XmlDocument.modelbase_to_parent:
            return _Field(attribute, tag, many, required, _text_of(protocol, member), None, None)
        if handler is XmlDocument.enum_to_parent:
            text = _text_of(protocol, member)
            return _Field(attribute, tag, many, required, lambda v: text(str(v)), None, None)
        raise _Unsupported(member)


def _text_of(protocol: XmlDocument, member: Any) -> Callable[[Any], str]:
    def text(value: Any) -> str:
        written: str = protocol.to_unicode(member, value)
        return written

    # Most values of an answer are integers and strings without a format: spyne's own
    # conversion of those is str() after a check, and the string itself. Doing just that here
    # (same result, without spyne's per-value dispatch) halves the cost of writing an answer.
    handler = getattr(protocol._to_unicode_handlers[member], "__func__", None)
    attributes = protocol.get_cls_attrs(member)
    if attributes.str_format is not None or attributes.format is not None:
        return text
    if handler is XmlDocument.integer_to_unicode:

        def integer_text(value: Any) -> str:
            int(value)  # spyne's check: refuses what is not a number
            return str(value)

        return integer_text
    if handler is XmlDocument.unicode_to_unicode:
        return lambda value: value if type(value) is str else text(value)
    return text


def _write_members(
    fields: tuple[_Field, ...], value_of: Callable[[str], Any], parent: etree._Element
) -> None:
    subelement = etree.SubElement
    for field in fields:
        value = value_of(field.attribute)
        if field.many and value is not None:
            for item in value:
                _write_value(field, item, parent, subelement)
        elif value is not None or field.required:
            _write_value(field, value, parent, subelement)


def _write_value(field: _Field, value: Any, parent: etree._Element, subelement: Any) -> None:
    element = subelement(parent, field.tag)
    if value is None:
        element.set(_NIL, "true")
    elif field.members is None:
        element.text = field.text(value)  # type: ignore[misc]
    else:
        if not isinstance(value, field.complex_class):  # type: ignore[arg-type]
            raise _Unsupported(type(value))  # spyne also takes a list or dict: left to it
        _write_members(field.members, lambda name: getattr(value, name, None), element)


# The text form of what lxml writes for the tree above (tests/unit/test_answer_writer.py
# compares both on every answer type). Writing the tree and serialising it was a sixth of a
# worker's time under read load; joining the text is a fraction of it. Only what lxml writes
# the same way every time is written here: text that lxml would refuse (control characters,
# surrogates) sends the answer back to the tree, which refuses it as before.
_DECLARATION = "<?xml version='1.0' encoding='UTF-8'?>\n"
_OPENING = f'<S:Envelope xmlns:S="{SOAP_ENV}"><S:Body><ns2:'
_TNS = ' xmlns:ns2="'
_CLOSING = "</S:Body></S:Envelope>"
# lxml declares the xsi prefix on each nil element: no ancestor declares it.
_NIL_END = f' xmlns:xsi="{XSI}" xsi:nil="true"/>'
# Characters text escapes (lxml writes a carriage return as a reference) or refuses.
_REFUSED_CHARACTERS = "\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
_SPECIAL = re.compile(f"[&<>\r{_REFUSED_CHARACTERS}]")
_REFUSED = re.compile(f"[{_REFUSED_CHARACTERS}]")


def _escaped(text: str) -> str:
    if _SPECIAL.search(text) is None:
        return text
    if _REFUSED.search(text) is not None:
        raise _Unsupported(text)
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _text_members(
    fields: tuple[_Field, ...], value_of: Callable[[str], Any], parts: list[str]
) -> None:
    for field in fields:
        value = value_of(field.attribute)
        if field.many and value is not None:
            for item in value:
                _text_value(field, item, parts)
        elif value is not None or field.required:
            _text_value(field, value, parts)


def _text_value(field: _Field, value: Any, parts: list[str]) -> None:
    tag = field.tag
    if value is None:
        parts += ("<", tag, _NIL_END)
    elif field.members is None:
        parts += ("<", tag, ">", _escaped(field.text(value)), "</", tag, ">")  # type: ignore[misc]
    else:
        if not isinstance(value, field.complex_class):  # type: ignore[arg-type]
            raise _Unsupported(type(value))
        start = len(parts)
        parts += ("<", tag, ">")
        _text_members(field.members, lambda name: getattr(value, name, None), parts)
        if len(parts) == start + 3:
            parts[start + 2] = "/>"  # no child: lxml closes the element at once
        else:
            parts += ("</", tag, ">")
