"""Raw SOAP posts to running servers: lighter than zeep on a small machine, one session each."""

from __future__ import annotations

import time
from dataclasses import dataclass
from xml.sax.saxutils import escape

import requests
from lxml import etree

from boxoffice.serving.limits import ServingLimits
from tests.system.conftest import ENDPOINT_PREFIX

FACADE, SERVICE = "ExternalOrderFacade", "ExternalOrderService"
CALL_TIMEOUT_SECONDS = 60
# A server closes a kept-alive connection idle for keep_alive_seconds (5 s). A request sent on it
# just as the server closes it is reset unread (ConnectionResetError), so, like any well-behaved
# client, this one never reuses a connection idle for nearly that long: it opens a new one. A
# buyer alternating between two servers idles one connection while a call on the other runs; one
# waiting out a lock (5 s too, BOXOFFICE_LOCK_TIMEOUT_MS) can make it idle just that long.
REUSE_IDLE_SECONDS = ServingLimits().keep_alive_seconds - 2
_SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
_WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"


def parameters(**values: object) -> str:
    """Unqualified parameter elements; a list value repeats its element, None leaves it out."""
    parts = []
    for name, value in values.items():
        for one in value if isinstance(value, list | tuple) else [value]:
            if one is None:
                continue
            inner = (
                one
                if isinstance(one, Raw)
                else escape(str(one).lower() if isinstance(one, bool) else str(one))
            )
            parts.append(f"<{name}>{inner}</{name}>")
    return "".join(parts)


class Raw(str):
    """Already-built XML, put in as it is."""


@dataclass
class Answer:
    http_status: int
    status_code: str | None  # success / error; None for a fault
    status_detail: str | None
    tree: etree._Element | None

    def text(self, name: str) -> str | None:
        found = self.all_text(name)
        return found[0] if found else None

    def all_text(self, name: str) -> list[str]:
        if self.tree is None:
            return []
        return [element.text or "" for element in self.tree.iter(name)]

    def number(self, name: str) -> int | None:
        value = self.text(name)
        return int(value) if value else None

    @property
    def fault(self) -> bool:
        return self.status_code is None


class SoapClient:
    """One buyer's connection to the servers; calls go to the servers in turn."""

    def __init__(self, ports: list[int], login: str, password: str) -> None:
        self.ports = ports
        # One session (one kept-alive connection) per server, and when each last answered.
        self.sessions = {port: requests.Session() for port in ports}
        self.answered: dict[int, float] = {}
        self.header = (
            f'<soapenv:Header><wsse:Security xmlns:wsse="{_WSSE}"><wsse:UsernameToken>'
            f"<wsse:Username>{escape(login)}</wsse:Username>"
            f"<wsse:Password>{escape(password)}</wsse:Password>"
            "</wsse:UsernameToken></wsse:Security></soapenv:Header>"
        )
        self.turn = 0

    def call(self, service: str, operation: str, body: str) -> Answer:
        port = self.ports[self.turn % len(self.ports)]
        self.turn += 1
        namespace = f"http://v1_33.{service}.service.secutix.com"
        envelope = (
            f'<soapenv:Envelope xmlns:soapenv="{_SOAP_ENV}" xmlns:v1="{namespace}">'
            f"{self.header}<soapenv:Body><v1:{operation}>{body}</v1:{operation}>"
            "</soapenv:Body></soapenv:Envelope>"
        )
        url = f"http://127.0.0.1:{port}{ENDPOINT_PREFIX}{service}.webservice"
        session = self.sessions[port]
        if time.monotonic() - self.answered.get(port, time.monotonic()) > REUSE_IDLE_SECONDS:
            session.close()  # the server may be closing that connection right now
        response = session.post(
            url,
            data=envelope.encode(),
            timeout=CALL_TIMEOUT_SECONDS,
            headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'},
        )
        self.answered[port] = time.monotonic()
        tree = etree.fromstring(response.content) if response.content else None
        if response.status_code != 200 or tree is None:
            return Answer(response.status_code, None, None, tree)
        answer = Answer(200, None, None, tree)
        answer.status_code = answer.text("statusCode")
        answer.status_detail = answer.text("statusDetail")
        return answer

    def close(self) -> None:
        for session in self.sessions.values():
            session.close()
