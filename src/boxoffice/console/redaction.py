"""Hides every password and token of a request or answer body, then pretty-prints it.

Runs before a call is stored: the call log must never hold a secret. An element or JSON key
whose name looks secret keeps its place and loses its value, so the reader still sees that it
was sent. A body that does not parse is redacted by pattern instead, never stored as sent.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from lxml import etree

MASK = "***"
_HIDDEN_NAMES = (
    r"(password|passwd|passphrase|pwd|secret|token|nonce|credential|apikey|api_key|"
    r"authorization|cookie)"
)
# Matched against a local element name or a JSON key, ignoring case.
SECRET_NAME = re.compile(_HIDDEN_NAMES + "$", re.IGNORECASE)
# A tag whose name ends like a secret's, searched in the lower-cased bytes. Most answers have
# none (orderSecretId does not end so): they are pretty-printed without walking their elements
# one by one, which cost the call log's writer as much as the rest of storing them. The search
# runs on a lower-cased copy because re.IGNORECASE made it try every alternative at every byte:
# 240 µs for a 5 KB answer against 40 µs, and a sixth of a worker's time under read load.
_MAY_NAME_A_SECRET = re.compile(_HIDDEN_NAMES.encode() + rb"[\s/>]")
# Bodies longer than this are cut before storing (the call log must stay small).
MAX_STORED_CHARS = 64 * 1024

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, remove_blank_text=True, load_dtd=False
)
# The whole content of a secret element without child elements is masked: its text, CDATA
# sections and comments alike.
_XML_SECRET = re.compile(
    rb"(<(?:[\w.-]+:)?([\w.-]*(?:password|passwd|pwd|secret|token|nonce|credential|apikey))"
    rb"(?:\s[^>]*)?>)(?:[^<]|<!\[CDATA\[.*?\]\]>|<!--.*?-->)*(</)",
    re.IGNORECASE | re.DOTALL,
)
_JSON_SECRET = re.compile(
    r'("[^"]*(?:password|passwd|pwd|secret|token|nonce|credential|apikey)"\s*:\s*)'
    r'("(?:[^"\\]|\\.)*"|[^,}\]\s]+)',
    re.IGNORECASE,
)


def is_secret(name: str) -> bool:
    return bool(SECRET_NAME.search(name))


@functools.lru_cache(maxsize=4096)
def _is_secret_tag(tag: str) -> bool:
    # Answers repeat the same few dozen tags: each is matched once, not once per element.
    return is_secret(tag.rpartition("}")[2])


def redact_body(body: bytes) -> str:
    """The body as readable text: secrets replaced by ***, indented, cut to MAX_STORED_CHARS."""
    stripped = body.lstrip()
    if not stripped:
        return ""
    # A body that will be cut anyway is redacted by pattern: walking every element of a
    # megabyte costs the worker's interpreter as much as the call itself did.
    whole = len(body) <= MAX_STORED_CHARS
    if whole and stripped[:1] in (b"{", b"["):
        text = _redact_json(body)
    elif whole and stripped[:1] == b"<":
        text = _redact_xml(body)
    else:
        text = _redact_json_text(body.decode("utf-8", "replace"))
        text = _XML_SECRET.sub(rb"\1" + MASK.encode() + rb"\3", text.encode("utf-8")).decode(
            "utf-8", "replace"
        )
    if len(text) > MAX_STORED_CHARS:
        text = text[:MAX_STORED_CHARS] + f"\n... ({len(text) - MAX_STORED_CHARS} more characters)"
    return text


def _redact_xml(body: bytes) -> str:
    if b"<!DOCTYPE" in body.upper() or b"<!ENTITY" in body.upper():
        return _XML_SECRET.sub(rb"\1" + MASK.encode() + rb"\3", body).decode("utf-8", "replace")
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError:
        return _XML_SECRET.sub(rb"\1" + MASK.encode() + rb"\3", body).decode("utf-8", "replace")
    if _MAY_NAME_A_SECRET.search(body.lower()):
        _mask_secret_elements(root)
    text: str = etree.tostring(root, pretty_print=True, encoding="unicode")
    return text


def _mask_secret_elements(root: etree._Element) -> None:
    for element in list(root.iter(etree.Element)):  # the loop removes comments from secrets
        # A comment inside a password is a child too: only child elements make a container.
        if _is_secret_tag(element.tag) and not any(isinstance(child.tag, str) for child in element):
            for child in list(element):
                element.remove(child)
            element.text = MASK


def _redact_json(body: bytes) -> str:
    try:
        document = json.loads(body)
    except ValueError:
        return _redact_json_text(body.decode("utf-8", "replace"))
    return json.dumps(_redact_value(document), indent=2, ensure_ascii=False)


def _redact_value(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: (
                MASK
                if is_secret(str(key)) and not isinstance(inner, (dict, list))
                else _redact_value(inner)
            )
            for key, inner in value.items()
        }
    if isinstance(value, list):
        return [_redact_value(inner) for inner in value]
    return value


def _redact_json_text(text: str) -> str:
    return _JSON_SECRET.sub(lambda match: f'{match.group(1)}"{MASK}"', text)
