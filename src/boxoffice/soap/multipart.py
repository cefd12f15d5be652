"""SOAP with attachments: a multipart/related request split into its envelope and its parts,
and `cid:` references in the envelope replaced by the base64 of the part they name.

Real harnesses upload file attachments this way. The whole request is already bounded by the
gateway's body limit; the number of parts is bounded here before any part is parsed.
"""

from __future__ import annotations

import base64
from email import policy
from email.message import Message
from email.parser import BytesParser
from urllib.parse import unquote

from lxml import etree

MULTIPART_RELATED = "multipart/related"
MAX_PARTS = 8
ROOT_CONTENT_TYPES = ("text/xml", "application/soap+xml", "application/xop+xml")
# The elements whose text may be a cid: reference (printableFileAttachmentData.data).
REFERENCE_ELEMENTS = ("data",)


class MultipartRefused(Exception):
    """The multipart request cannot be read; the message is safe to show to a client."""


def _header_message(content_type: str) -> Message:
    parser = BytesParser(policy=policy.HTTP)
    return parser.parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode("latin-1"))


def split_related(content_type: str, body: bytes) -> tuple[bytes, dict[str, bytes]]:
    """The root part (the SOAP envelope) and the other parts by Content-ID."""
    header = _header_message(content_type)
    boundary = header.get_param("boundary")
    if not isinstance(boundary, str) or not boundary:
        raise MultipartRefused("A multipart/related request needs a boundary.")
    if body.count(b"--" + boundary.encode("latin-1")) > MAX_PARTS + 1:
        raise MultipartRefused(f"A request may hold at most {MAX_PARTS} MIME parts.")
    message = BytesParser(policy=policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode("latin-1") + body
    )
    parts = list(message.iter_parts()) if message.is_multipart() else []
    if not parts:
        raise MultipartRefused("The multipart/related request holds no part.")
    start = _content_id(header.get_param("start"))
    root = next((p for p in parts if start and _content_id(p["Content-ID"]) == start), parts[0])
    if root.get_content_type() not in ROOT_CONTENT_TYPES:
        raise MultipartRefused("The root MIME part must be the SOAP envelope (text/xml).")
    attachments = {
        _content_id(part["Content-ID"]): _bytes(part)
        for part in parts
        if part is not root and part["Content-ID"]
    }
    return _bytes(root), attachments


def _bytes(part: Message) -> bytes:
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else b""


def _content_id(value: object) -> str:
    text = str(value or "").strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    return unquote(text)


def inline_references(envelope: etree._Element, attachments: dict[str, bytes]) -> None:
    """Replaces each `cid:` text by the base64 of its part; a part not sent is refused."""
    for element in envelope.iter():
        if (
            not isinstance(element.tag, str)
            or etree.QName(element).localname not in REFERENCE_ELEMENTS
        ):
            continue
        text = (element.text or "").strip()
        if not text.startswith("cid:"):
            continue
        part = attachments.get(_content_id(text[len("cid:") :]))
        if part is None:
            raise MultipartRefused("A cid: reference names a MIME part the request lacks.")
        element.text = base64.b64encode(part).decode("ascii")
