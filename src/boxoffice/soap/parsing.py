"""Parses a request body as XML that can hurt nobody: no DTD, no entity, no network, no PI."""

from __future__ import annotations

import re

from lxml import etree

# Checked on the raw bytes first, so a DOCTYPE is refused before any parser reads it.
_FORBIDDEN_MARKUP = re.compile(rb"<!DOCTYPE|<!ENTITY|<\?(?!xml[\s?])", re.IGNORECASE)
_PARSER_OPTIONS = dict(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    dtd_validation=False,
    huge_tree=False,
    remove_comments=True,
)


class UnsafeXml(Exception):
    """The body holds a DOCTYPE, an entity declaration or a processing instruction."""


class MalformedXml(Exception):
    """The body is not well-formed XML."""


def parse_envelope(body: bytes) -> etree._Element:
    if _FORBIDDEN_MARKUP.search(body):
        raise UnsafeXml()
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    try:
        root = etree.fromstring(body, parser)
    except (etree.XMLSyntaxError, ValueError):
        raise MalformedXml() from None
    # Encodings such as UTF-16 hide markup from the byte check; look at the parsed tree too.
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise UnsafeXml()
    siblings = [*root.itersiblings(preceding=True), *root.itersiblings()]
    if root.xpath("//processing-instruction()") or any(
        isinstance(node, etree._ProcessingInstruction) for node in siblings
    ):
        raise UnsafeXml()
    return root


SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"


def has_one_operation(root: etree._Element) -> bool:
    """True for a SOAP 1.1 Envelope whose Body holds exactly one element (the operation)."""
    if root.tag != f"{{{SOAP_ENV}}}Envelope":
        return False
    bodies = [child for child in root if child.tag == f"{{{SOAP_ENV}}}Body"]
    if len(bodies) != 1:
        return False
    return len([child for child in bodies[0] if isinstance(child.tag, str)]) == 1


def operation_element(root: etree._Element) -> etree._Element:
    """The operation element of an envelope has_one_operation accepted."""
    body = next(child for child in root if child.tag == f"{{{SOAP_ENV}}}Body")
    return next(child for child in body if isinstance(child.tag, str))


def operation_name(root: etree._Element) -> str:
    """The local name of the operation element of an envelope has_one_operation accepted."""
    return str(etree.QName(operation_element(root)).localname)[:100]


def normalize_request(root: etree._Element, tns: str) -> None:
    """Brings the shapes real clients send to one form before spyne reads them.

    The target namespace comes with or without a trailing '/'; an optional parameter may be
    absent, empty or xsi:nil, and all three mean absent (an empty number is not a zero).
    """
    variants = {tns + "/", tns.rstrip("/")}
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.startswith("{"):
            namespace, local = element.tag[1:].split("}", 1)
            if namespace in variants and namespace != tns:
                element.tag = f"{{{tns}}}{local}"
    body = next(
        (child for child in root if isinstance(child.tag, str) and child.tag.endswith("}Body")),
        None,
    )
    operation = (
        next((child for child in body if isinstance(child.tag, str)), None)
        if body is not None
        else None
    )
    if operation is None:
        return
    empty = [
        element
        for element in operation.iterdescendants()
        if isinstance(element.tag, str) and len(element) == 0 and not (element.text or "").strip()
    ]
    for element in empty:
        element.getparent().remove(element)
