"""The JSON twin (S-360's REST_RPC): POST a JSON object of SOAP parameters, get the result as JSON.

It serves the very service classes of the SOAP face under spyne's JSON protocol, so names,
results and error keys are the same by construction.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from typing import Any

import structlog
from spyne import Application
from spyne.protocol.json import JsonDocument
from spyne.server.wsgi import WsgiApplication

from boxoffice.service.authentication import AuthenticationFailed, Authenticator
from boxoffice.soap.application import FACADE, ORDER_SERVICE, ServiceDefinition
from boxoffice.soap.gateway import read_limited_body
from boxoffice.soap.responder import CALLER_KEY, Runtime
from boxoffice.soap.security import http_basic
from boxoffice.soap.services import build_facade, build_order_service
from boxoffice.soap.types import wire_types

PREFIX = "/tnseb/backend-apis/"
ROUTES = {"externalOrderFacade/v1_33": FACADE, "externalOrderService/v1_33": ORDER_SERVICE}
StartResponse = Callable[..., Any]
log = structlog.get_logger("boxoffice.rest")


def _json_application(definition: ServiceDefinition, runtime: Runtime) -> WsgiApplication:
    types = wire_types(definition.tns)
    service = build_facade(types) if definition is FACADE else build_order_service(types)
    application = Application(
        [service], tns=definition.tns, name=definition.name + "Json",
        in_protocol=JsonDocument(validator="soft"), out_protocol=JsonDocument(),
    )
    application.runtime = runtime
    return WsgiApplication(application)


def _answer(start_response: StartResponse, status: str, payload: dict[str, Any],
            extra_headers: tuple[tuple[str, str], ...] = ()) -> list[bytes]:
    body = json.dumps(payload).encode()
    start_response(status, [("Content-Type", "application/json"),
                            ("Content-Length", str(len(body))), *extra_headers])
    return [body]


def _fault(start_response: StartResponse, status: str, code: str, message: str,
           extra_headers: tuple[tuple[str, str], ...] = ()) -> list[bytes]:
    return _answer(start_response, status, {"faultcode": code, "faultstring": message},
                   extra_headers)


class JsonGateway:
    """Routes /tnseb/backend-apis/{service}/v1_33/{operation} to the JSON applications."""

    def __init__(self, runtime: Runtime, authenticator: Authenticator,
                 max_body_bytes: int) -> None:
        self.applications = {route: _json_application(definition, runtime)
                             for route, definition in ROUTES.items()}
        self.operations = {
            route: {key.rsplit("}", 1)[-1] for key in wsgi.app.interface.service_method_map}
            for route, wsgi in self.applications.items()
        }
        self.authenticator = authenticator
        self.max_body_bytes = max_body_bytes

    def handles(self, path: str) -> bool:
        return path.startswith(PREFIX)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        route, _, operation = environ.get("PATH_INFO", "")[len(PREFIX):].rpartition("/")
        if route not in self.applications or operation not in self.operations[route]:
            return _fault(start_response, "404 Not Found", "Client.ResourceNotFound",
                          "No such operation.")
        if environ.get("REQUEST_METHOD") != "POST":
            return _fault(start_response, "405 Method Not Allowed", "Client.MethodNotAllowed",
                          "Send the parameters as a JSON object with POST.",
                          (("Allow", "POST"),))
        credentials = http_basic(environ)
        try:
            caller = self.authenticator.authenticate(*(credentials or (None, None)))
        except AuthenticationFailed:
            return _fault(start_response, "401 Unauthorized", "Client.Authentication",
                          "Authentication failed.",
                          (("WWW-Authenticate", 'Basic realm="boxoffice"'),))
        body = read_limited_body(environ, self.max_body_bytes)
        if body is None:
            return _fault(start_response, "413 Payload Too Large", "Client.RequestTooLarge",
                          f"The request is larger than {self.max_body_bytes} bytes.")
        try:
            parameters = json.loads(body or b"{}")
        except (ValueError, UnicodeDecodeError):
            parameters = None
        if not isinstance(parameters, dict):
            return _fault(start_response, "400 Bad Request", "Client.JsonSyntaxError",
                          "The body must be one JSON object of parameters.")
        wrapped = json.dumps({operation: parameters}).encode()
        environ[CALLER_KEY] = caller
        environ["wsgi.input"] = io.BytesIO(wrapped)
        environ["CONTENT_LENGTH"] = str(len(wrapped))
        environ["CONTENT_TYPE"] = "application/json"
        return self.applications[route](environ, start_response)
