"""Hand-written SOAP requests, as clients that never saw our WSDL write them."""

from __future__ import annotations

from typing import Any

from lxml import etree

from boxoffice.soap.application import FACADE, ORDER_SERVICE
from tests.contract import catalog
from tests.contract.wsgi_transport import call_wsgi

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
FACADE_URL = "http://localhost:8080" + FACADE.path
ORDER_SERVICE_URL = "http://localhost:8080" + ORDER_SERVICE.path


def security_header(login: str = catalog.LOGIN_A, password: str = catalog.PASSWORD_A) -> str:
    return (
        f'<wsse:Security xmlns:wsse="{WSSE}" S:mustUnderstand="1"><wsse:UsernameToken>'
        f"<wsse:Username>{login}</wsse:Username>"
        f"<wsse:Password>{password}</wsse:Password>"
        "</wsse:UsernameToken></wsse:Security>"
    )


def envelope(
    operation: str, parameters: str, *, tns: str = FACADE.tns, header: str | None = None
) -> bytes:
    header = security_header() if header is None else header
    return (
        f'<S:Envelope xmlns:S="{SOAP_ENV}"><S:Header>{header}</S:Header><S:Body>'
        f'<ns:{operation} xmlns:ns="{tns}">{parameters}</ns:{operation}>'
        "</S:Body></S:Envelope>"
    ).encode()


def post(
    app: Any,
    body: bytes,
    url: str = FACADE_URL,
    content_type: str = "text/xml; charset=utf-8",
    **headers: str,
) -> Any:
    return call_wsgi(app, "POST", url, body, {"Content-Type": content_type, **headers})


def fault_of(response: Any) -> tuple[str, str]:
    root = etree.fromstring(response.content)
    fault = root.find(f"{{{SOAP_ENV}}}Body/{{{SOAP_ENV}}}Fault")
    assert fault is not None, response.content
    return fault.findtext("faultcode"), fault.findtext("faultstring")
