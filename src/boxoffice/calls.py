"""What every finished API call reports to its observers: metrics, the console's call log.

The gateways build one CallRecord per request, SOAP or JSON, refused or answered, and hand it
to each observer after the answer is complete. An observer must be quick and must never fail
the call: the gateway logs and swallows whatever an observer raises.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog

log = structlog.get_logger("boxoffice.calls")

# The environ key under which the responder leaves a call's business outcome.
OUTCOME_KEY = "boxoffice.outcome"
SUCCESS = "success"
_FAULT_CODE = re.compile(rb"<faultcode>(?:[A-Za-z0-9_]+:)?([^<]{1,100})</faultcode>")
_JSON_FAULT_CODE = re.compile(rb'"faultcode":\s*"([^"]{1,100})"')


@dataclass(frozen=True)
class CallRecord:
    """One API call as its caller saw it."""

    protocol: str  # "soap" or "json"
    service: str  # ExternalOrderFacade, ...; "" when the path named none
    operation: str  # createOrder, ...; "" when the request never named one readably
    login: str | None  # None when authentication failed or was never reached
    channel_id: int | None
    # "success", a business key (error.order.notFound), or a fault code (Client.Authentication)
    outcome: str
    http_status: int
    started_at: datetime
    duration_seconds: float
    request_body: bytes
    response_body: bytes


CallObserver = Callable[[CallRecord], None]


def fault_code(response_body: bytes) -> str:
    """The fault code of a SOAP or JSON fault answer, without its namespace prefix."""
    match = _FAULT_CODE.search(response_body) or _JSON_FAULT_CODE.search(response_body)
    return match.group(1).decode("ascii", "replace") if match else "Server"


def outcome_of(environ: dict[str, Any], http_status: int, response_body: bytes) -> str:
    """What the responder recorded, else the fault code the answer carries."""
    recorded = environ.get(OUTCOME_KEY)
    if isinstance(recorded, str) and http_status == 200:
        return recorded
    return SUCCESS if http_status == 200 else fault_code(response_body)


def notify(observers: Sequence[CallObserver], record: CallRecord) -> None:
    for observer in observers:
        try:
            observer(record)
        except Exception as error:  # noqa: BLE001 (an observer never fails the call it observes)
            log.warning(
                "call_observer_failed", observer=repr(observer), error_type=type(error).__name__
            )


# What the gateways leave in the WSGI environ as they learn it, for the record.
CALLER_KEY = "boxoffice.caller"
SERVICE_KEY = "boxoffice.service"
OPERATION_KEY = "boxoffice.operation"
REQUEST_BODY_KEY = "boxoffice.request_body"
# Where bootstrap puts the client's address (client_address.py) for the gateways and console.
CLIENT_ADDRESS_KEY = "boxoffice.client_address"


def source_of(environ: Mapping[str, Any]) -> str:
    """The address bootstrap recorded for this request (REMOTE_ADDR if it recorded none)."""
    return str(environ.get(CLIENT_ADDRESS_KEY) or environ.get("REMOTE_ADDR") or "")


Handler = Callable[[dict[str, Any], Callable[..., Any]], Any]


def observed(
    handler: Handler,
    protocol: str,
    observers: Sequence[CallObserver],
    environ: dict[str, Any],
    start_response: Callable[..., Any],
    clock: Callable[[], datetime],
) -> Any:
    """Runs `handler` and, once its answer is complete, reports the call to `observers`."""
    if not observers:
        return handler(environ, start_response)
    started_at, started = clock(), time.perf_counter()
    statuses: list[str] = []

    def capturing(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
        statuses.append(status)
        return start_response(status, headers, *exc_info)

    response_body = b"".join(handler(environ, capturing))
    http_status = int(statuses[-1].split(" ", 1)[0]) if statuses else 500
    caller = environ.get(CALLER_KEY)
    notify(
        observers,
        CallRecord(
            protocol=protocol,
            service=str(environ.get(SERVICE_KEY, "")),
            operation=str(environ.get(OPERATION_KEY, "")),
            login=getattr(caller, "login", None),
            channel_id=getattr(caller, "channel_id", None),
            outcome=outcome_of(environ, http_status, response_body),
            http_status=http_status,
            started_at=started_at,
            duration_seconds=time.perf_counter() - started,
            request_body=bytes(environ.get(REQUEST_BODY_KEY, b"")),
            response_body=response_body,
        ),
    )
    return [response_body]
