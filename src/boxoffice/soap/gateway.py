"""The WSGI front of the SOAP services: size limit, safe parsing, authentication, WSDL, routing."""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import structlog
from lxml import etree
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
from boxoffice.service.rate_limits import retry_after_header
from boxoffice.soap.application import ServiceDefinition, build_application, render_wsdl
from boxoffice.soap.direct_calls import direct_answer, direct_calls
from boxoffice.soap.envelope import fault_envelope
from boxoffice.soap.limits import first_excess_xml
from boxoffice.soap.multipart import (
    MULTIPART_RELATED,
    MultipartRefused,
    inline_references,
    split_related,
)
from boxoffice.soap.parsing import (
    MalformedXml,
    UnsafeXml,
    has_one_operation,
    normalize_request,
    operation_element,
    operation_name,
    parse_envelope,
)
from boxoffice.soap.protocol import ENVELOPE_KEY
from boxoffice.soap.responder import Runtime
from boxoffice.soap.security import http_basic, username_token

DEFAULT_MAX_BODY_BYTES = 1024 * 1024
AUTHENTICATION_FAULT = fault_envelope("Client.Authentication", "Authentication failed.")
AUTHENTICATION_FAULT_HEADERS = [
    ("Content-Type", "text/xml; charset=utf-8"),
    ("Content-Length", str(len(AUTHENTICATION_FAULT))),
]
SOAP_CONTENT_TYPES = ("text/xml", "application/soap+xml", "application/xml")
StartResponse = Callable[..., Any]
log = structlog.get_logger("boxoffice.gateway")


# The base the one cached WSDL of an endpoint is rendered with, replaced by each request's own.
_PLACEHOLDER_BASE = b"http://boxoffice-base-url.invalid"
# A host name or IPv4 address, or a bracketed IPv6 address, and an optional port.
_HOST = re.compile(
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]{2,45}\])"
    r"(?::[0-9]{1,5})?"
)
MAX_HOST_CHARS = 261


class _Endpoint:
    def __init__(self, definition: ServiceDefinition, runtime: Runtime) -> None:
        self.definition = definition
        self.application = build_application(definition, runtime)
        self.wsgi = WsgiApplication(self.application)
        self.direct_calls = direct_calls(self.application)
        self._wsdl: bytes | None = None
        self._lock = threading.Lock()

    def first_excess(self, envelope: etree._Element) -> str | None:
        """A repeated element past its maxOccurs (soap/limits.py), counted before spyne reads."""
        operation = operation_element(envelope)
        methods = self.application.interface.service_method_map.get(
            f"{{{self.definition.tns}}}{etree.QName(operation).localname}"
        )
        if not methods:
            return None  # spyne answers an unknown operation itself
        return first_excess_xml(methods[0].in_message, operation)

    def wsdl(self, base_url: str) -> bytes:
        """The WSDL with its addresses under `base_url`: one document cached, whatever the base.

        Caching per base would let every forged Host header keep a document in memory.
        """
        with self._lock:
            if self._wsdl is None:
                self._wsdl = render_wsdl(
                    self.application, _PLACEHOLDER_BASE.decode() + self.definition.path
                )
            document = self._wsdl
        return document.replace(_PLACEHOLDER_BASE, base_url.encode("ascii"))


def _xml_answer(
    start_response: StartResponse,
    status: str,
    body: bytes,
    extra_headers: tuple[tuple[str, str], ...] = (),
) -> list[bytes]:
    start_response(
        status,
        [
            ("Content-Type", "text/xml; charset=utf-8"),
            ("Content-Length", str(len(body))),
            *extra_headers,
        ],
    )
    return [body]


def _fault(
    start_response: StartResponse,
    code: str,
    message: str,
    status: str = "500 Internal Server Error",
    extra_headers: tuple[tuple[str, str], ...] = (),
) -> list[bytes]:
    return _xml_answer(start_response, status, fault_envelope(code, message), extra_headers)


def rate_limited(retry_after: float) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """HTTP status, fault message and headers of a call over the channel's callsPerMinute."""
    seconds = retry_after_header(retry_after)
    # 509, as the real platform answers (contract §9.1); real harnesses accept 200 or 509.
    return (
        "509 Bandwidth Limit Exceeded",
        f"Too many calls for this operator; retry after {seconds} s.",
        (("Retry-After", seconds),),
    )


def request_base_url(environ: dict[str, Any]) -> str | None:
    """scheme://host[:port] of the request, or None when its Host header is not a host."""
    host = environ.get("HTTP_HOST") or f"{environ['SERVER_NAME']}:{environ['SERVER_PORT']}"
    if len(host) > MAX_HOST_CHARS or not _HOST.fullmatch(host):
        return None
    scheme = "https" if environ.get("wsgi.url_scheme") == "https" else "http"
    return f"{scheme}://{host}"


class SoapGateway:
    """Routes each endpoint path to its spyne application once the request is proven safe."""

    def __init__(
        self,
        definitions: Iterable[ServiceDefinition],
        runtime: Runtime,
        authenticator: Authenticator,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        observers: Sequence[CallObserver] = (),
        public_url: str | None = None,
    ) -> None:
        self.endpoints = {d.path: _Endpoint(d, runtime) for d in definitions}
        # BOXOFFICE_PUBLIC_URL: the base the WSDL documents give, whatever Host a caller sends.
        self.public_url = public_url.rstrip("/") if public_url else None
        self.authenticator = authenticator
        self.max_body_bytes = max_body_bytes
        self.observers = list(observers)
        self.clock = runtime.clock if runtime is not None else (lambda: datetime.now(UTC))

    def handles(self, path: str) -> bool:
        return path in self.endpoints

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        endpoint = self.endpoints[environ.get("PATH_INFO", "")]
        method = environ.get("REQUEST_METHOD", "GET")
        if method == "GET" and environ.get("QUERY_STRING", "").lower().split("=")[0] == "wsdl":
            base_url = self.public_url or request_base_url(environ)
            if base_url is None:
                body = b"The Host header is not a host name.\n"
                start_response(
                    "400 Bad Request",
                    [
                        ("Content-Type", "text/plain; charset=utf-8"),
                        ("Content-Length", str(len(body))),
                    ],
                )
                return [body]
            document = endpoint.wsdl(base_url)
            start_response(
                "200 OK",
                [
                    ("Content-Type", "text/xml; charset=utf-8"),
                    ("Content-Length", str(len(document))),
                ],
            )
            return [document]
        if self.authenticator.source_refused(source_of(environ)):
            # Over its failed-login budget: refused before reading, logging or recording, with
            # the very bytes of any other authentication failure, built once.
            start_response("500 Internal Server Error", AUTHENTICATION_FAULT_HEADERS)
            return [AUTHENTICATION_FAULT]
        environ[SERVICE_KEY] = endpoint.definition.name
        return observed(self._call, "soap", self.observers, environ, start_response, self.clock)

    def _call(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        endpoint = self.endpoints[environ.get("PATH_INFO", "")]
        method = environ.get("REQUEST_METHOD", "GET")
        if method != "POST":
            return _fault(
                start_response,
                "Client.MethodNotAllowed",
                "Send SOAP requests with POST; GET serves only ?wsdl.",
                "405 Method Not Allowed",
                (("Allow", "GET, POST"),),
            )
        full_content_type = environ.get("CONTENT_TYPE", "")
        content_type = full_content_type.split(";")[0].strip().lower()
        if content_type not in (*SOAP_CONTENT_TYPES, MULTIPART_RELATED):
            return _fault(
                start_response,
                "Client.ContentType",
                "A SOAP 1.1 request must have Content-Type text/xml.",
            )
        body = self._read_body(environ)
        if body is None:
            return _fault(
                start_response,
                "Client.RequestTooLarge",
                f"The request is larger than {self.max_body_bytes} bytes.",
                "413 Payload Too Large",
            )
        environ[REQUEST_BODY_KEY] = body
        attachments: dict[str, bytes] = {}
        if content_type == MULTIPART_RELATED:
            try:
                body, attachments = split_related(full_content_type, body)
            except MultipartRefused as refused:
                return _fault(start_response, "Client.InvalidMultipart", str(refused))
            environ["CONTENT_TYPE"] = "text/xml; charset=utf-8"
        try:
            envelope = parse_envelope(body)
        except UnsafeXml:
            return _fault(
                start_response,
                "Client.ForbiddenMarkup",
                "DOCTYPE, entity declarations and processing instructions are refused.",
            )
        except MalformedXml:
            return _fault(
                start_response, "Client.XMLSyntaxError", "The request is not well-formed XML."
            )
        if not has_one_operation(envelope):
            return _fault(
                start_response,
                "Client.InvalidEnvelope",
                "The request must be a SOAP 1.1 Envelope whose Body holds one operation.",
            )
        # Counted first: a list past its maximum costs no more than this count (soap/limits.py).
        excess = endpoint.first_excess(envelope)
        if excess is not None:
            return _fault(start_response, "Client.ValidationError", excess)
        normalize_request(envelope, endpoint.definition.tns)
        try:
            inline_references(envelope, attachments)
        except MultipartRefused as refused:
            return _fault(start_response, "Client.MissingAttachment", str(refused))
        environ[OPERATION_KEY] = operation_name(envelope)
        credentials = username_token(envelope) or http_basic(environ)
        try:
            login, password = credentials or (None, None)
            caller = self.authenticator.authenticate(login, password, source_of(environ))
        except AuthenticationFailed:
            log.info("authentication_failed", path=environ.get("PATH_INFO"))
            start_response("500 Internal Server Error", AUTHENTICATION_FAULT_HEADERS)
            return [AUTHENTICATION_FAULT]
        environ[CALLER_KEY] = caller
        retry_after = self.authenticator.admit(caller)
        if retry_after is not None:
            log.info("rate_limited", login=caller.login)
            status, message, headers = rate_limited(retry_after)
            return _fault(start_response, "Client.RateLimited", message, status, headers)
        direct = direct_answer(endpoint.direct_calls, envelope, environ)
        if direct is not None:
            return _xml_answer(start_response, *direct)
        environ[ENVELOPE_KEY] = envelope
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        # An error escaping spyne reaches bootstrap's last guard: a Server fault with an id.
        return endpoint.wsgi(environ, start_response)

    def _read_body(self, environ: dict[str, Any]) -> bytes | None:
        return read_limited_body(environ, self.max_body_bytes)


def read_limited_body(environ: dict[str, Any], limit: int) -> bytes | None:
    """The body, or None when it is over the limit (never reading more than limit + 1)."""
    try:
        declared = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return None
    stream = environ["wsgi.input"]
    body = stream.read(limit + 1) if declared <= 0 else stream.read(declared)
    return None if len(body) > limit else body
