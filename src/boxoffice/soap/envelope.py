"""The SOAP 1.1 envelope as the real platform's Java stack writes it: S:, ns2:, unqualified."""

from __future__ import annotations

from lxml import etree

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _copy_unqualified(source: etree._Element, parent: etree._Element) -> None:
    """Copies children under `parent`, dropping their namespace (elementFormDefault=unqualified)."""
    for child in source:
        if not isinstance(child.tag, str):
            continue
        copy = etree.SubElement(parent, _local(child.tag))
        for name, value in child.attrib.items():
            copy.set(name, value)
        copy.text = child.text
        _copy_unqualified(child, copy)


# spyne's schema faults quote the refused value; a refused megabyte is not worth sending back.
MAX_FAULT_MESSAGE = 300


def bounded_message(text: str) -> str:
    return text if len(text) <= MAX_FAULT_MESSAGE else text[: MAX_FAULT_MESSAGE - 1] + "…"


def _copy_fault(fault: etree._Element, body: etree._Element) -> None:
    new_fault = etree.SubElement(body, f"{{{SOAP_ENV}}}Fault")
    for child in fault:
        if not isinstance(child.tag, str) or child.text is None and len(child) == 0:
            continue
        copy = etree.SubElement(new_fault, _local(child.tag))
        text = child.text
        if _local(child.tag) == "faultcode" and text and ":" in text:
            text = "S:" + text.split(":", 1)[1]
        if _local(child.tag) == "faultstring" and text:
            text = bounded_message(text)
        copy.text = text
        _copy_unqualified(child, copy)


def rewrite_response(document: etree._Element, tns: str) -> etree._Element:
    """Rebuilds a response: S: on the envelope, ns2: on the wrapper, children unqualified."""
    envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"S": SOAP_ENV})
    for part in document:
        if not isinstance(part.tag, str) or _local(part.tag) not in ("Header", "Body"):
            continue
        new_part = etree.SubElement(envelope, f"{{{SOAP_ENV}}}{_local(part.tag)}")
        for payload in part:
            if payload.tag == f"{{{SOAP_ENV}}}Fault":
                _copy_fault(payload, new_part)
            elif isinstance(payload.tag, str):
                wrapper = etree.SubElement(new_part, payload.tag, nsmap={"ns2": tns})
                _copy_unqualified(payload, wrapper)
    return envelope


def fault_envelope(
    code: str, message: str, correlation_id: str | None = None, actor: str | None = None
) -> bytes:
    """A complete fault response, for refusals made before spyne sees the request; with an
    `actor` (spyne writes one, empty, for every fault a method raises) as spyne's would be."""
    envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"S": SOAP_ENV})
    body = etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body")
    fault = etree.SubElement(body, f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(fault, "faultcode").text = f"S:{code}"
    etree.SubElement(fault, "faultstring").text = message
    if actor is not None:
        etree.SubElement(fault, "faultactor").text = actor
    if correlation_id is not None:
        detail = etree.SubElement(fault, "detail")
        etree.SubElement(detail, "correlationId").text = correlation_id
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")
