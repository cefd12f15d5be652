"""The address a request comes from, which failed-login budgets are counted per.

By default the TCP peer (WSGI REMOTE_ADDR). Behind a reverse proxy every request would seem
to come from the proxy, so BOXOFFICE_CLIENT_ADDRESS_HEADER may name the header the proxy
sets (X-Forwarded-For, X-Real-IP): its last entry is the one the proxy itself added. Set it
only when every request passes through that proxy, or clients could name any address.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

MAX_ADDRESS_CHARS = 64


def client_address(environ: Mapping[str, Any], header: str | None = None) -> str:
    """The request's source address: the trusted header's last entry, else REMOTE_ADDR."""
    if header:
        value = environ.get("HTTP_" + header.upper().replace("-", "_"), "")
        last = value.rsplit(",", 1)[-1].strip()
        if last:
            return last[:MAX_ADDRESS_CHARS]
    return str(environ.get("REMOTE_ADDR") or "")
