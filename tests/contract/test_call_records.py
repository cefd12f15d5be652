"""Every finished API call, SOAP or JSON, answered or refused, reaches the call observers."""

from __future__ import annotations

import base64
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from zeep import Client
from zeep.wsse.username import UsernameToken

from boxoffice.bootstrap import Boxoffice, build
from boxoffice.calls import CallRecord
from boxoffice.settings import Settings
from tests.contract import catalog
from tests.contract.conftest import WSDL_DIR, FakeClock
from tests.contract.wsgi_transport import WsgiTransport, call_wsgi

JSON_FACADE = "http://localhost:8080/tnseb/backend-apis/externalOrderFacade/v1_33"


@pytest.fixture
def recorded(
    tmp_path: Path, clock: FakeClock, template_database: Path
) -> Iterator[tuple[Boxoffice, list[CallRecord]]]:
    database = tmp_path / "contract.db"
    shutil.copyfile(template_database, database)
    records: list[CallRecord] = []
    application = build(
        Settings(database_url=f"sqlite:///{database}"), clock, observers=[records.append]
    )
    yield application, records
    application.engine.dispose()


def _facade(app: Boxoffice, password: str) -> Client:
    return Client(
        str(WSDL_DIR / "ExternalOrderFacade.wsdl"),
        wsse=UsernameToken(catalog.LOGIN_A, password),
        transport=WsgiTransport(app),
    ).service


def test_a_soap_success_a_refusal_and_a_fault_are_each_recorded_with_their_outcome(
    recorded: tuple[Boxoffice, list[CallRecord]],
) -> None:
    app, records = recorded
    facade = _facade(app, catalog.PASSWORD_A)
    created = facade.createOrder(pointOfSalesId=catalog.POS_A, requestId="R-1")
    facade.addOperation(
        orderId=created.orderUpdateData.orderId + 1000,
        operation={"kind": "SEAT", "performanceId": catalog.PERFORMANCE, "quantity": 1},
    )
    with pytest.raises(Exception, match="Authentication failed"):
        _facade(app, "wrong").createOrder(pointOfSalesId=catalog.POS_A)

    success, refusal, fault = records
    assert (success.protocol, success.service, success.operation) == (
        "soap",
        "ExternalOrderFacade",
        "createOrder",
    )
    assert (success.outcome, success.http_status, success.login) == (
        "success",
        200,
        catalog.LOGIN_A,
    )
    assert b"R-1" in success.request_body and b"OrderUpdateResult" in success.response_body
    assert (refusal.operation, refusal.outcome) == ("addOperation", "error.order.notFound")
    assert (fault.outcome, fault.http_status, fault.login) == ("Client.Authentication", 500, None)


def test_a_json_call_is_recorded_like_a_soap_one(
    recorded: tuple[Boxoffice, list[CallRecord]],
) -> None:
    app, records = recorded
    authorization = (
        "Basic " + base64.b64encode(f"{catalog.LOGIN_A}:{catalog.PASSWORD_A}".encode()).decode()
    )
    response = call_wsgi(
        app,
        "POST",
        f"{JSON_FACADE}/createOrder",
        json.dumps({"pointOfSalesId": catalog.POS_A}).encode(),
        {"Content-Type": "application/json", "Authorization": authorization},
    )
    assert response.status_code == 200
    (record,) = records
    assert (record.protocol, record.service, record.operation, record.outcome) == (
        "json",
        "ExternalOrderFacade",
        "createOrder",
        "success",
    )
    assert record.response_body == response.content
