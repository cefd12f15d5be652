"""Results of the sibling services: requestId and statusDetail always present (contract §9.1).

A real harness turns the XML into JSON and asserts both keys exist after a success, so an
unknown value is an empty element, never a missing one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from spyne import ComplexModelBase

from boxoffice.service.ports import UnitOfWork
from boxoffice.service.requests import Caller
from boxoffice.soap.conversion import to_wire
from boxoffice.soap.responder import respond


def respond_in_full(ctx: Any, result_type: type[ComplexModelBase], request_id: str | None,
                    call: Callable[[UnitOfWork, Caller, datetime], Any],
                    payload_field: str | None = None,
                    list_field: tuple[str, Any] | None = None) -> Any:
    """As `respond`; `list_field` (name, element type) fills a repeated field from a list view."""
    fill = None
    if list_field is not None:
        name, element_type = list_field
        fill = lambda views: {name: [to_wire(element_type, view) for view in views]}  # noqa: E731
    result = respond(ctx, result_type, request_id, call, payload_field, fill=fill)
    if result.requestId is None:
        result.requestId = ""
    if result.statusDetail is None:
        result.statusDetail = ""
    return result
