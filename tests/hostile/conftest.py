"""A real `boxoffice serve` on the demo catalog plus one small channel for limits, and the
tools to replay raw requests at it and to photograph the order-side tables."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import Engine, MetaData, select

from boxoffice.persistence.engine import create_engine_for
from boxoffice.soap.application import AVAILABILITY, CATALOG, FACADE, ORDER_SERVICE, SEATING
from tests.system.conftest import RunningServer, StartServer, boxoffice_cli, start_server

__all__ = ["boxoffice_cli", "start_server"]

# The `target` keys of expected.csv: soap:{key} and json:{key}/{operation}.
SERVICES_BY_KEY = {
    "facade": FACADE,
    "service": ORDER_SERVICE,
    "catalog": CATALOG,
    "availability": AVAILABILITY,
    "seating": SEATING,
}
FACADE_NS = "http://v1_33.ExternalOrderFacade.service.secutix.com"
SERVICE_NS = "http://v1_33.ExternalOrderService.service.secutix.com"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
LOGIN_A, PASSWORD_A = "RESELLER_A_WS", "demo-a-secret"
LOGIN_B, PASSWORD_B = "RESELLER_B_WS", "demo-b-secret"
# Channel 3 (added for these tests): two operators held to LIMIT calls per minute.
LIMITED_1, LIMITED_2, LIMITED_PASSWORD, LIMIT = "LIMITED_1_WS", "LIMITED_2_WS", "limited-pw", 30
# An operator of channel 1 kept for the lockout test, so that locking it bothers nobody else.
LOCKOUT_LOGIN, LOCKOUT_PASSWORD = "LOCKOUT_WS", "lockout-pw"
POS_A, POS_B, POS_C = 466653735, 466653736, 466653737
PERFORMANCE, CATEGORY, ADULT, CONTINGENT_A = 101036924388, 466681816, 306159078, 10
MISSING = 8_999_999_999
# What a snapshot compares: every table a sale writes.
STATE_TABLES = (
    "files",
    "file_contacts",
    "orders",
    "payments",
    "operations",
    "movements",
    "stocks",
    "file_attachments",
    "external_references",
)


def hostile_catalog(directory: Path) -> Path:
    """The demo catalog, one operator more on channel 1 and a third, rate-limited channel."""
    text = resources.files("boxoffice.demo").joinpath("demo-catalog.json").read_text()
    document = json.loads(text)
    document["salesChannels"][0]["operators"].append(
        {"login": LOCKOUT_LOGIN, "password": LOCKOUT_PASSWORD}
    )
    document["salesChannels"].append(
        {
            "id": 3,
            "code": "RESELLER_C",
            "name": "Reseller C",
            "orderExpiryDelaySeconds": 1200,
            "orderMaxLifespanSeconds": 7200,
            "contingentIds": [20],
            "callsPerMinute": LIMIT,
            "pointsOfSales": [{"id": POS_C, "code": "RC_WEB"}],
            "operators": [
                {"login": LIMITED_1, "password": LIMITED_PASSWORD},
                {"login": LIMITED_2, "password": LIMITED_PASSWORD},
            ],
        }
    )
    path = directory / "hostile-catalog.json"
    path.write_text(json.dumps(document))
    return path


def basic(login: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{login}:{password}".encode()).decode()


def envelope(
    operation: str, parameters: str, login: str = LOGIN_A, password: str = PASSWORD_A
) -> bytes:
    tns = (
        FACADE_NS
        if operation in ("createOrder", "addOperation", "createOrUpdateOrder")
        else SERVICE_NS
    )
    return (
        f'<S:Envelope xmlns:S="{SOAP_ENV}"><S:Header><wsse:Security xmlns:wsse="{WSSE}">'
        f"<wsse:UsernameToken><wsse:Username>{login}</wsse:Username>"
        f"<wsse:Password>{password}</wsse:Password></wsse:UsernameToken></wsse:Security>"
        f'</S:Header><S:Body><ns:{operation} xmlns:ns="{tns}">{parameters}</ns:{operation}>'
        "</S:Body></S:Envelope>"
    ).encode()


@dataclass
class Target:
    """The running server, its database, and plain HTTP calls at it."""

    server: RunningServer
    engine: Engine
    session: requests.Session
    metadata: MetaData | None = None

    def soap_url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.server.port}{SERVICES_BY_KEY[service].path}"

    def json_url(self, route: str) -> str:
        service, operation = route.split("/", 1)
        return (
            f"http://127.0.0.1:{self.server.port}/tnseb/backend-apis/"
            f"{SERVICES_BY_KEY[service].json_route}/{operation}"
        )

    def soap(
        self, operation: str, parameters: str, login: str = LOGIN_A, password: str = PASSWORD_A
    ) -> requests.Response:
        service = (
            "facade"
            if operation in ("createOrder", "addOperation", "createOrUpdateOrder")
            else "service"
        )
        return self.session.post(
            self.soap_url(service),
            data=envelope(operation, parameters, login, password),
            headers={"Content-Type": "text/xml; charset=utf-8"},
            timeout=60,
        )

    def json(
        self, route: str, parameters: Any, login: str = LOGIN_A, password: str = PASSWORD_A
    ) -> requests.Response:
        return self.session.post(
            self.json_url(route),
            data=json.dumps(parameters),
            headers={"Content-Type": "application/json", "Authorization": basic(login, password)},
            timeout=60,
        )

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        if self.metadata is None:
            self.metadata = MetaData()
            self.metadata.reflect(self.engine, only=STATE_TABLES)
        metadata = self.metadata
        with self.engine.connect() as connection:
            return {
                name: sorted(
                    tuple(row) for row in connection.execute(select(metadata.tables[name]))
                )
                for name in STATE_TABLES
            }


@pytest.fixture
def target(start_server: StartServer, database_url: str, tmp_path: Path) -> Iterator[Target]:
    server = start_server(catalog=hostile_catalog(tmp_path))
    engine = create_engine_for(database_url)
    with requests.Session() as session:
        yield Target(server, engine, session)
    engine.dispose()
