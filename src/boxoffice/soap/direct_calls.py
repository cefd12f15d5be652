"""The reads a reseller repeats most, answered without spyne's request machinery.

Under read load, spyne's own work around a getOrderDetails (its method context and events,
reading the parameters into objects, building the WSGI answer) was about a tenth of the call's
CPU. A direct call runs the same service method with the same arguments and writes its answer
with the same AnswerWriter and the same serialisation, so the bytes are those spyne would send
(tests/contract/test_direct_calls.py compares both ways on answers, refusals and faults).

It only takes requests it reads with certainty: parameters that are plain text within their
length or plain digits, each at most once, no attribute, no child element, nothing unknown.
Anything else (a negative or signed number, an xsi:nil, an extra element spyne would ignore, a
text too long) is left to spyne whole, which answers it as it always did. So is an answer the
writer leaves to spyne, before the method runs: the method runs once either way.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from lxml import etree
from spyne import Application, Fault
from spyne.model.primitive import Integer, Unicode

from boxoffice.soap.answer_writer import AnswerWriter
from boxoffice.soap.envelope import bounded_message, fault_envelope
from boxoffice.soap.parsing import operation_element

# The operations answered directly: reads, which change nothing a retry would repeat.
DIRECT_OPERATIONS = ("getOrderDetails",)

# An unsigned number of at most 18 digits: always within a Long, read the same by spyne.
_DIGITS = re.compile(r"[0-9]{1,18}")


@dataclass(frozen=True)
class _Parameter:
    name: str
    required: bool
    # The value of an element's text, or None when spyne must read it.
    read: Callable[[str], Any]


def _text_reader(max_len: int | None) -> Callable[[str], Any]:
    def read(text: str) -> str | None:
        return text if max_len is None or len(text) <= max_len else None

    return read


def _integer(text: str) -> int | None:
    return int(text) if _DIGITS.fullmatch(text) else None


def _parameters(in_message: Any) -> tuple[_Parameter, ...] | None:
    """How to read each parameter, or None when one is of a type read only by spyne."""
    parameters = []
    for name, member in in_message._type_info.items():
        attributes = member.Attributes
        if attributes.max_occurs != 1 or getattr(attributes, "pattern", None) is not None:
            return None
        if issubclass(member, Unicode):
            read = _text_reader(attributes.max_len if attributes.max_len != float("inf") else None)
        elif issubclass(member, Integer):
            read = _integer
        else:
            return None
        parameters.append(_Parameter(name, attributes.min_occurs > 0, read))
    return tuple(parameters)


class DirectCall:
    """One operation of one application, read and answered without spyne's machinery."""

    def __init__(self, application: Application, descriptor: Any) -> None:
        self._application = application
        self._descriptor = descriptor
        self._protocol = application.out_protocol
        self._writer: AnswerWriter = self._protocol.answers
        self.parameters = _parameters(descriptor.in_message)
        self._tns = application.interface.get_tns()
        self._request_string = f"{{{self._tns}}}{descriptor.operation_name}"

    def arguments(self, operation: etree._Element) -> list[Any] | None:
        """The method's arguments in their declared order, or None to leave the call to spyne."""
        if self.parameters is None or operation.attrib:
            return None
        values: dict[str, Any] = {}
        for child in operation:
            name = etree.QName(child).localname
            if name in values or child.attrib or len(child):
                return None
            parameter = next((p for p in self.parameters if p.name == name), None)
            if parameter is None:
                return None
            value = parameter.read(child.text or "")
            if value is None:
                return None
            values[name] = value
        if any(p.required and p.name not in values for p in self.parameters):
            return None
        return [values.get(p.name) for p in self.parameters]

    def answer(self, environ: dict[str, Any], arguments: Sequence[Any]) -> tuple[str, bytes]:
        """The HTTP status and body: the method's answer, or the fault it raised."""
        context = SimpleNamespace(
            app=self._application,
            transport=SimpleNamespace(req_env=environ),
            method_request_string=self._request_string,
        )
        try:
            result = self._descriptor.function(context, *arguments)
        except Fault as fault:
            # As spyne writes the faults respond() raises and soap/envelope.py rewrites them:
            # S: code, bounded text, spyne's actor, the correlation id as the only detail.
            detail = fault.detail if isinstance(fault.detail, dict) else {}
            body = fault_envelope(
                str(fault.faultcode).split(":", 1)[-1],
                bounded_message(str(fault.faultstring)),
                detail.get("correlationId"),
                actor=fault.faultactor,
            )
            return "500 Internal Server Error", body
        answer = self._writer.serialised(self._descriptor, (result,), self._tns)
        if answer is not None:
            return "200 OK", answer
        document = self._writer.envelope(self._descriptor, (result,), self._tns)
        if document is None:
            # Values of a form only spyne takes: the service's answers never are (respond
            # builds them); reaching here is a defect, answered by bootstrap's last guard.
            raise RuntimeError(f"the answer of {self._request_string} needs spyne's writer")
        protocol = self._protocol
        body = etree.tostring(
            document,
            encoding=protocol.encoding,
            pretty_print=protocol.pretty_print,
            xml_declaration=protocol.xml_declaration,
        )
        return "200 OK", body


def direct_calls(application: Application) -> dict[str, DirectCall]:
    """The direct calls of the application, by the operation element's qualified name: the
    operations of DIRECT_OPERATIONS whose parameters and answers are read and written here."""
    calls = {}
    tns = application.interface.get_tns()
    for name in DIRECT_OPERATIONS:
        methods = application.interface.service_method_map.get(f"{{{tns}}}{name}")
        if not methods:
            continue
        call = DirectCall(application, methods[0])
        if call.parameters is not None and application.out_protocol.answers.writes(methods[0]):
            calls[f"{{{tns}}}{name}"] = call
    return calls


def direct_answer(
    calls: dict[str, DirectCall], envelope: etree._Element, environ: dict[str, Any]
) -> tuple[str, bytes] | None:
    """The status and body of the envelope's operation answered directly, or None for spyne."""
    if not calls:
        return None
    operation = operation_element(envelope)
    call = calls.get(operation.tag)
    if call is None:
        return None
    arguments = call.arguments(operation)
    if arguments is None:
        return None
    return call.answer(environ, arguments)
