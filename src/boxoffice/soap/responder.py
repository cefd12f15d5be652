"""Runs one service call for a SOAP method and turns its outcome into a result or a fault."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace
from typing import Any

import structlog
from spyne import ComplexModelBase, Fault

from boxoffice.calls import CALLER_KEY, OUTCOME_KEY, SUCCESS
from boxoffice.domain.errors import BusinessRefusal, InvalidRequest
from boxoffice.service.error_keys import status_detail_key
from boxoffice.service.ports import UnitOfWork
from boxoffice.service.requests import Caller
from boxoffice.soap.converter_registry import WIRE_CONVERTERS
from boxoffice.soap.converters import filled, wire_fields
from boxoffice.soap.types import wire_types

log = structlog.get_logger("boxoffice.soap")


@dataclass(frozen=True)
class Runtime:
    """What the SOAP methods need from the outside world, wired by bootstrap."""

    uow_factory: Callable[[], UnitOfWork]
    clock: Callable[[], datetime]


def log_unexpected(error: BaseException, **context: Any) -> tuple[str, str]:
    """Logs an unexpected error under a fresh correlation id; the id and the only words
    a client may see of it."""
    correlation_id = uuid.uuid4().hex
    log.error(
        "unexpected_error",
        correlation_id=correlation_id,
        error_type=type(error).__name__,
        exc_info=error,
        **context,
    )
    return correlation_id, f"Internal error; correlation id {correlation_id}."


def server_fault(error: BaseException, operation: str) -> Fault:
    correlation_id, message = log_unexpected(error, operation=operation)
    return Fault("Server", message, detail={"correlationId": correlation_id})


def respond(
    ctx: Any,
    result_type: type[ComplexModelBase],
    request_id: str | None,
    call: Callable[[UnitOfWork, Caller, datetime], Any],
    payload_field: str | None,
    fill: Callable[[Any], dict[str, Any]] | None = None,
    payload: Callable[[Any], Any] = lambda view: view,
    types: SimpleNamespace | None = None,
) -> Any:
    """Calls the service; success fills `payload_field` (from `payload(view)`, each element
    converted when the field is a list) and the fields `fill` gives, a refusal becomes
    statusCode=error. Every field of the result is written. `types`: the namespace of wire
    types the payload is built from (the order services' by default)."""
    runtime: Runtime = ctx.app.runtime
    caller: Caller = ctx.transport.req_env[CALLER_KEY]
    operation = ctx.method_request_string.rsplit("}", 1)[-1]
    values: dict[str, Any] = {name: None for name in wire_fields(result_type)}
    values.update(requestId=request_id or "", statusDetail="")
    updates = "expectedException" in values
    try:
        view = call(runtime.uow_factory(), caller, runtime.clock())
    except BusinessRefusal as refusal:
        key = status_detail_key(refusal)
        log.info("refused", operation=operation, login=caller.login, status_detail=key)
        values.update(statusCode="error", statusDetail=key)
        ctx.transport.req_env[OUTCOME_KEY] = key
        if updates:
            values.update(expectedException=True, statusMessage=refusal.message)
        return filled(result_type, **values)
    except InvalidRequest as invalid:
        raise Fault("Client.InvalidRequest", invalid.message) from None
    except Fault:
        raise
    except Exception as error:  # noqa: BLE001 (BLE001: the last guard: logged, answered Server)
        raise server_fault(error, operation) from None
    log.info("done", operation=operation, login=caller.login)
    values["statusCode"] = SUCCESS
    ctx.transport.req_env[OUTCOME_KEY] = SUCCESS
    if updates:
        values.update(expectedException=False, statusMessage="")
    if payload_field is not None:
        field_type = result_type._type_info[payload_field]
        element_type = getattr(field_type, "__orig__", None) or field_type
        namespace = types or wire_types(result_type.get_namespace())
        convert = WIRE_CONVERTERS[element_type.get_type_name()]
        if field_type.Attributes.max_occurs == 1:
            values[payload_field] = convert(namespace, payload(view))
        else:
            values[payload_field] = [convert(namespace, item) for item in payload(view)]
    if fill is not None:
        values.update(fill(view))
    return filled(result_type, **values)
