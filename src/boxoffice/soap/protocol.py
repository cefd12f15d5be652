"""spyne's SOAP 1.1, fed the envelope the gateway parsed, writing the S-360 response shape."""

from __future__ import annotations

from typing import Any

from spyne.protocol.soap import Soap11

from boxoffice.soap.envelope import rewrite_response

ENVELOPE_KEY = "boxoffice.envelope"


class S360Soap11(Soap11):
    """Reads the pre-parsed envelope (never the raw bytes) and rewrites every response."""

    def create_in_document(self, ctx: Any, charset: str | None = None) -> None:
        # The gateway parsed the body with entities, DTDs and the network disabled; parsing
        # again here with spyne's own parser would undo that care.
        ctx.in_document = (ctx.transport.req_env[ENVELOPE_KEY], {})

    def serialize(self, ctx: Any, message: Any) -> None:
        super().serialize(ctx, message)
        ctx.out_document = rewrite_response(ctx.out_document, self.app.interface.get_tns())
