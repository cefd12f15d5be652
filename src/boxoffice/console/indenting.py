"""Indents a stored call's bodies for the console's call page.

Indenting happens here, when someone reads a call, rather than when the call log stores it:
parsing and pretty-printing every request and answer was most of the call log writer's CPU
under load, for pages rarely read. Bodies come from callers, so the parser refuses entities,
DTDs and the network like redaction's.
"""

from __future__ import annotations

import json

from lxml import etree

from boxoffice.console.redaction import was_cut

# Bodies are stored as str: a declaration naming another encoding than UTF-8 is overridden.
_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    huge_tree=False,
    remove_blank_text=True,
    load_dtd=False,
    encoding="utf-8",
)


def indented(body: str) -> str:
    """The stored body indented for reading; as stored if cut, or not XML or JSON that parses."""
    if was_cut(body):
        return body
    start = body.lstrip()[:1]
    if start in ("{", "["):
        try:
            return json.dumps(json.loads(body), indent=2, ensure_ascii=False)
        except (ValueError, RecursionError):  # RecursionError: arrays nested thousands deep
            return body
    if start == "<" and "<!DOCTYPE" not in body.upper() and "<!ENTITY" not in body.upper():
        try:
            root = etree.fromstring(body.encode("utf-8"), _PARSER)
        except etree.XMLSyntaxError:
            return body
        text: str = etree.tostring(root, pretty_print=True, encoding="unicode")
        return text
    return body
