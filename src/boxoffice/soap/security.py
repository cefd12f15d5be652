"""Reads the caller's credentials: a WS-Security UsernameToken in any shape, or HTTP Basic."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from lxml import etree

from boxoffice.soap.envelope import SOAP_ENV


def _local(tag: Any) -> str | None:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else None


def _child(element: etree._Element, name: str) -> etree._Element | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def username_token(envelope: etree._Element) -> tuple[str, str] | None:
    """Login and clear password of the first UsernameToken, whatever its prefix or extras.

    Prefixes, mustUnderstand, wsu:Id, wsu:Created and Nonce vary between client stacks and
    are not looked at; only a digest password is refused, since a slow stored hash cannot
    check one.
    """
    header = _child(envelope, "Header") if envelope.tag == f"{{{SOAP_ENV}}}Envelope" else None
    if header is None:
        return None
    for security in header:
        if _local(security.tag) != "Security":
            continue
        token = _child(security, "UsernameToken")
        if token is None:
            continue
        username, password = _child(token, "Username"), _child(token, "Password")
        if username is None or password is None:
            return None
        if (password.get("Type") or "").endswith("#PasswordDigest"):
            return None
        return (username.text or "").strip(), password.text or ""
    return None


def http_basic(environ: Mapping[str, Any]) -> tuple[str, str] | None:
    header = environ.get("HTTP_AUTHORIZATION", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    login, separator, password = decoded.partition(":")
    return (login, password) if separator else None
