"""The JSON twin (S-360's REST_RPC): POST a JSON object of SOAP parameters, get the result as JSON.

It serves the very service classes of the SOAP face under spyne's JSON protocol, so names,
results and error keys are the same by construction.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import structlog
from spyne import Application, Boolean, ComplexModelBase
from spyne.protocol.json import JsonDocument
from spyne.server.wsgi import WsgiApplication

from boxoffice.calls import (
    CALLER_KEY,
    OPERATION_KEY,
    REQUEST_BODY_KEY,
    SERVICE_KEY,
    CallObserver,
    observed,
    source_of,
)
from boxoffice.service.authentication import AuthenticationFailed, Authenticator
from boxoffice.soap.application import SERVICES, ServiceDefinition
from boxoffice.soap.gateway import rate_limited, read_limited_body
from boxoffice.soap.limits import first_excess_json
from boxoffice.soap.responder import Runtime
from boxoffice.soap.security import http_basic

PREFIX = "/tnseb/backend-apis/"
ROUTES = {definition.json_route: definition for definition in SERVICES}
StartResponse = Callable[..., Any]
log = structlog.get_logger("boxoffice.rest")
# The characters XML 1.0 forbids, so that the JSON twin accepts the same texts as SOAP.
_FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _json_application(definition: ServiceDefinition, runtime: Runtime) -> WsgiApplication:
    service = definition.service_class()
    application = Application(
        [service],
        tns=definition.tns,
        name=definition.name + "Json",
        in_protocol=JsonDocument(validator="soft"),
        out_protocol=JsonDocument(),
    )
    application.runtime = runtime
    return WsgiApplication(application)


def _answer(
    start_response: StartResponse,
    status: str,
    payload: dict[str, Any],
    extra_headers: tuple[tuple[str, str], ...] = (),
) -> list[bytes]:
    body = json.dumps(payload).encode()
    start_response(
        status,
        [("Content-Type", "application/json"), ("Content-Length", str(len(body))), *extra_headers],
    )
    return [body]


def json_fault(
    start_response: StartResponse,
    status: str,
    code: str,
    message: str,
    extra_headers: tuple[tuple[str, str], ...] = (),
) -> list[bytes]:
    return _answer(
        start_response, status, {"faultcode": code, "faultstring": message}, extra_headers
    )


FieldKinds = tuple[frozenset[str], frozenset[str]]


def _field_kinds(in_message: Any) -> FieldKinds:
    """Names of the repeated fields and of the boolean fields of one operation's request.

    Per operation: one name may be a list in one operation and a single value in another
    (externalReference: a text in createOrder, a list in updateExternalReferences).
    """
    repeated, booleans = set(), set()
    models = [in_message]
    while models:
        model = models.pop()
        for name, field_type in model.get_flat_type_info(model).items():
            if field_type.Attributes.max_occurs != 1:
                repeated.add(name)
            if issubclass(field_type, Boolean):
                booleans.add(name)
            if issubclass(field_type, ComplexModelBase):
                models.append(field_type)
    return frozenset(repeated), frozenset(booleans)


def _operation_field_kinds() -> dict[tuple[str, str], FieldKinds]:
    kinds = {}
    for route, definition in ROUTES.items():
        service = definition.service_class()
        for name, method in service.public_methods.items():
            kinds[(route, name)] = _field_kinds(method.in_message)
    return kinds


def _refusal(
    document: dict[str, Any], repeated: frozenset[str], booleans: frozenset[str]
) -> str | None:
    """What spyne's JSON reader would let through or choke on, found before it reads.

    Text XML could never carry and a database cannot store (NUL and the other C0 controls but
    tab, line feed and carriage return, lone surrogates); true/false where a number is
    expected (spyne would read 1/0); one value where a list is expected (spyne would fail).
    """
    pending: list[tuple[str, Any]] = [("", document)]
    while pending:
        key, value = pending.pop()
        if isinstance(value, dict):
            pending.extend((str(k), v) for k, v in value.items())
            pending.extend(("", k) for k in value)
        elif isinstance(value, list):
            if key and key not in repeated:
                return f"{key} takes one value, not a list."
            pending.extend(("", item) for item in value)
            continue
        elif isinstance(value, str) and _FORBIDDEN_CHARACTERS.search(value):
            return "A text value holds a control character or an unpaired surrogate."
        elif isinstance(value, bool) and key and key not in booleans:
            return f"{key} takes a number or a text, not true or false."
        if key in repeated and value is not None:
            return f"{key} takes a list."
    return None


class JsonGateway:
    """Routes /tnseb/backend-apis/{service}/v1_33/{operation} to the JSON applications."""

    def __init__(
        self,
        runtime: Runtime,
        authenticator: Authenticator,
        max_body_bytes: int,
        observers: Sequence[CallObserver] = (),
    ) -> None:
        self.observers = list(observers)
        self.clock = runtime.clock if runtime is not None else (lambda: datetime.now(UTC))
        self.applications = {
            route: _json_application(definition, runtime) for route, definition in ROUTES.items()
        }
        self.operations = {
            route: {key.rsplit("}", 1)[-1] for key in wsgi.app.interface.service_method_map}
            for route, wsgi in self.applications.items()
        }
        self.authenticator = authenticator
        self.max_body_bytes = max_body_bytes
        self.field_kinds = _operation_field_kinds()
        # Each operation's request type, whose repeated fields have maxima (soap/limits.py).
        self.input_models = {
            route: {
                key.rsplit("}", 1)[-1]: methods[0].in_message
                for key, methods in wsgi.app.interface.service_method_map.items()
            }
            for route, wsgi in self.applications.items()
        }

    def handles(self, path: str) -> bool:
        return path.startswith(PREFIX)

    @staticmethod
    def _authentication_failed(start_response: StartResponse) -> list[bytes]:
        return json_fault(
            start_response,
            "401 Unauthorized",
            "Client.Authentication",
            "Authentication failed.",
            (("WWW-Authenticate", 'Basic realm="boxoffice"'),),
        )

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        route, _, operation = environ.get("PATH_INFO", "")[len(PREFIX) :].rpartition("/")
        if route not in self.applications or operation not in self.operations[route]:
            return json_fault(
                start_response, "404 Not Found", "Client.ResourceNotFound", "No such operation."
            )
        if self.authenticator.source_refused(source_of(environ)):
            # Over its failed-login budget: refused before reading, logging or recording.
            return self._authentication_failed(start_response)
        environ[SERVICE_KEY], environ[OPERATION_KEY] = ROUTES[route].name, operation
        return observed(self._call, "json", self.observers, environ, start_response, self.clock)

    def _call(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        route, _, operation = environ.get("PATH_INFO", "")[len(PREFIX) :].rpartition("/")
        if environ.get("REQUEST_METHOD") != "POST":
            return json_fault(
                start_response,
                "405 Method Not Allowed",
                "Client.MethodNotAllowed",
                "Send the parameters as a JSON object with POST.",
                (("Allow", "POST"),),
            )
        credentials = http_basic(environ)
        try:
            login, password = credentials or (None, None)
            caller = self.authenticator.authenticate(login, password, source_of(environ))
        except AuthenticationFailed:
            return self._authentication_failed(start_response)
        environ[CALLER_KEY] = caller
        retry_after = self.authenticator.admit(caller)
        if retry_after is not None:
            log.info("rate_limited", login=caller.login)
            status, message, headers = rate_limited(retry_after)
            return json_fault(start_response, status, "Client.RateLimited", message, headers)
        body = read_limited_body(environ, self.max_body_bytes)
        if body is None:
            return json_fault(
                start_response,
                "413 Payload Too Large",
                "Client.RequestTooLarge",
                f"The request is larger than {self.max_body_bytes} bytes.",
            )
        environ[REQUEST_BODY_KEY] = body
        try:
            parameters = json.loads(body or b"{}")
        except (ValueError, UnicodeDecodeError, RecursionError):
            parameters = None
        if not isinstance(parameters, dict):
            return json_fault(
                start_response,
                "400 Bad Request",
                "Client.JsonSyntaxError",
                "The body must be one JSON object of parameters.",
            )
        # Lengths first: a list past its maximum is refused before its values are looked at.
        refusal = first_excess_json(self.input_models[route][operation], parameters) or _refusal(
            parameters, *self.field_kinds[(route, operation)]
        )
        if refusal is not None:
            return json_fault(start_response, "400 Bad Request", "Client.ValidationError", refusal)
        wrapped = json.dumps({operation: parameters}).encode()
        environ["wsgi.input"] = io.BytesIO(wrapped)
        environ["CONTENT_LENGTH"] = str(len(wrapped))
        environ["CONTENT_TYPE"] = "application/json"
        # An error escaping spyne reaches bootstrap's last guard: a Server fault with an id.
        return self.applications[route](environ, start_response)
