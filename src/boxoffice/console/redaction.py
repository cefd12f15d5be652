"""Hides every password and token of a request or answer body before the call log stores it.

Runs on the call log's writer thread: the call log must never hold a secret. An element or JSON
key whose name looks secret keeps its place and loses its value, so the reader still sees that
it was sent. A body that does not parse is redacted by pattern instead, never stored as sent.
Bodies are stored as they came, not indented: the console indents the one call it shows
(console/indenting.py).
"""

from __future__ import annotations

import codecs
import functools
import json
import re
from typing import Any

from lxml import etree

MASK = "***"
_HIDDEN_WORDS = (
    r"password|passwd|passphrase|pwd|secret|token|nonce|credential|apikey|api_key|"
    r"authorization|cookie"
)
_HIDDEN_NAMES = f"({_HIDDEN_WORDS})"
# Matched against a local element name or a JSON key, ignoring case.
SECRET_NAME = re.compile(_HIDDEN_NAMES + "$", re.IGNORECASE)
# The name of each start tag: a body none of whose names ends like a secret's (most answers:
# orderSecretId does not end so) is stored as it came, without being parsed at all (parsing and
# re-serialising was most of the writer's CPU under read load). Collecting the names and judging
# each distinct one once (cached) costs 30 µs over a 4 KB answer, where a pattern of the secret
# words cost 50: such a pattern tries each alternative at every byte. Names are whole here: XML
# has no entity in a tag's name, and a body whose encoding could spell one otherwise is parsed
# whatever its bytes (_DECLARED_ENCODING).
_START_TAG_NAME = re.compile(rb"<([^\s/>!?]+)")
# Bodies longer than this are cut before storing (the call log must stay small).
MAX_STORED_CHARS = 64 * 1024
_CUT_TAIL = re.compile(r"\n\.\.\. \(\d+ more characters\)\Z")

# Blank text is kept: the body is stored as it came, only its secrets masked.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False)
# A body declared in another encoding than these is parsed whatever its bytes: in some (UTF-16,
# EBCDIC, UTF-7) a secret's tag is not spelt in ASCII bytes, and the search above would miss it.
_DECLARED_ENCODING = re.compile(rb"\s*<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)")
_ASCII_ENCODINGS = frozenset((b"utf-8", b"utf8", b"us-ascii", b"ascii"))
# UTF-32's marks first: its little-endian one begins with UTF-16's.
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# The whole content of a secret element without child elements is masked: its text, CDATA
# sections and comments alike.
_XML_SECRET = re.compile(
    rb"(<(?:[\w.-]+:)?([\w.-]*(?:" + _HIDDEN_WORDS.encode() + rb"))"
    rb"(?:\s[^>]*)?>)(?:[^<]|<!\[CDATA\[.*?\]\]>|<!--.*?-->)*(</)",
    re.IGNORECASE | re.DOTALL,
)
_JSON_SECRET = re.compile(
    r'("[^"]*(?:' + _HIDDEN_WORDS + r')"\s*:\s*)'
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
    """The body as text with its secrets replaced by ***, cut to MAX_STORED_CHARS; not indented."""
    if b"\x00" in body:
        body = _without_nul(body)
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


def _without_nul(body: bytes) -> bytes:
    """The body in UTF-8 without NUL: UTF-16 and UTF-32 decoded, any other NUL replaced.

    In UTF-16 and UTF-32 a NUL byte sits between the letters of every tag, where neither the
    search for a secret's name nor the patterns would see one; and PostgreSQL refuses a NUL in
    text, which would lose the whole batch of calls written with it.
    """
    codec = next((codec for bom, codec in _BYTE_ORDER_MARKS if body.startswith(bom)), None)
    if codec is None:  # no mark: the NULs around the first character tell (XML 1.0, appendix F)
        head = body[:4]
        if head[:3] == b"\x00\x00\x00":
            codec = "utf-32-be"
        elif head[1:4] == b"\x00\x00\x00":
            codec = "utf-32-le"
        elif head[:1] == b"\x00":
            codec = "utf-16-be"
        elif head[1:2] == b"\x00":
            codec = "utf-16-le"
        else:
            codec = "utf-8"
    return body.decode(codec, "replace").replace("\x00", "\ufffd").encode("utf-8")


def was_cut(text: str) -> bool:
    """True for a stored body that redact_body cut to MAX_STORED_CHARS."""
    return len(text) > MAX_STORED_CHARS and _CUT_TAIL.match(text, MAX_STORED_CHARS) is not None


def _redact_xml(body: bytes) -> str:
    if _names_no_secret(body):
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            pass  # not UTF-8: read by the parser, else masked by pattern, as below
    upper = body.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        return _XML_SECRET.sub(rb"\1" + MASK.encode() + rb"\3", body).decode("utf-8", "replace")
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError:
        return _XML_SECRET.sub(rb"\1" + MASK.encode() + rb"\3", body).decode("utf-8", "replace")
    _mask_secret_elements(root)
    text: str = etree.tostring(root, encoding="unicode")
    return text


def _names_no_secret(body: bytes) -> bool:
    """True if no tag of this XML body can be a secret's, read from its bytes without parsing."""
    declared = _DECLARED_ENCODING.match(body)
    if declared and declared.group(1).lower() not in _ASCII_ENCODINGS:
        return False
    names = set(_START_TAG_NAME.findall(body))
    return not any(_is_secret_tag(name.decode("utf-8", "replace")) for name in names)


def _mask_secret_elements(root: etree._Element) -> None:
    for element in list(root.iter(etree.Element)):  # the loop removes comments from secrets
        # A comment inside a password is a child too: only child elements make a container.
        if _is_secret_tag(element.tag) and not any(isinstance(child.tag, str) for child in element):
            for child in list(element):
                element.remove(child)
            element.text = MASK


def _redact_json(body: bytes) -> str:
    try:
        return json.dumps(_redact_value(json.loads(body)), ensure_ascii=False)
    except (ValueError, RecursionError):  # RecursionError: arrays nested thousands deep
        return _redact_json_text(body.decode("utf-8", "replace"))


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
