"""The reseller's whole journey, end to end, by three client stacks against `boxoffice serve`.

getPOSConfig -> getCatalogDetailed -> getPerformanceAvailability -> createOrUpdateOrder ->
getSeatsAvailability -> doSeatingForOperations -> closeOrder -> getOrderDetails, each client
built from the served `?wsdl` of the five services and using only ids it read from the API
(nothing is hard-coded but the login). The customer picks the last two free seats of the
category the seat list shows, so the seating call really moves the automatically chosen seats.

Stacks: zeep in this process; node-soap (tests/clients/node/journey.js); JAX-WS RI
(tests/clients/java/Journey.java, compiled with Sale.java whose helpers it shares). Install and
skip rules are those of test_client_stacks.py (BOXOFFICE_REQUIRE_CLIENT_STACKS=1 fails a skip).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import zeep
from tests.system.test_client_stacks import (
    CLIENTS_DIR,
    NODE_DIR,
    SALE_BOUND_SECONDS,
    StartServer,
    base_url,
    build_java_client,
    jaxws_tools,  # noqa: F401 (fixture)
    node_soap,  # noqa: F401 (fixture)
    run,
    run_java_client,
    summary_of,
)
from tests.system.test_serve import LOGIN, PASSWORD, POINT_OF_SALES_ID
from zeep.transports import Transport
from zeep.wsse.username import UsernameToken

from boxoffice.soap.application import SERVICES

# One worker runs both client-stack files: they share tests/clients (npm ci, javac output).
pytestmark = [pytest.mark.system, pytest.mark.xdist_group("client_stacks")]

QUANTITY = 2
JAVA_DIR = CLIENTS_DIR / "java"
# wsimport package of each served service.
JAVA_PACKAGES = {
    "ExternalOrderFacade": "boxoffice.client.facade",
    "ExternalOrderService": "boxoffice.client.service",
    "CatalogService": "boxoffice.client.catalog",
    "AvailabilityService": "boxoffice.client.availability",
    "ExternalSeatingService": "boxoffice.client.seating",
}


def service_url(server: Any, name: str) -> str:
    (definition,) = [d for d in SERVICES if d.name == name]
    return f"{base_url(server)}{definition.path}"


# -- the checks, the same for every stack ------------------------------------------------------


def assert_journey(summary: dict[str, Any]) -> None:
    steps = (
        "getPOSConfig",
        "getCatalogDetailed",
        "getPerformanceAvailability",
        "createOrUpdateOrder",
        "getSeatsAvailability",
        "doSeatingForOperations",
        "closeOrder",
        "getOrderDetails",
    )
    for step in steps:
        assert step in summary, f"{step} was not reached: {summary}"
        assert summary[step]["statusCode"] == "success", f"{step}: {summary[step]}"
    assert summary["getPOSConfig"]["posId"] == str(POINT_OF_SALES_ID)
    assert int(summary["getPerformanceAvailability"]["quantity"]) >= QUANTITY
    created = summary["createOrUpdateOrder"]
    assert len(created["movementIds"]) == QUANTITY, created
    picked = summary["getSeatsAvailability"]["pickedSeatIds"]
    assert len(picked) == QUANTITY and not set(picked) & set(created["seatIds"]), summary
    assert sorted(summary["doSeatingForOperations"]["seatIds"]) == sorted(picked)
    assert summary["closeOrder"]["orderState"] == "CLOSED"
    details = summary["getOrderDetails"]
    assert details["orderId"] == created["orderId"]
    assert details["orderState"] == "CLOSED"
    assert sorted(details["seatIds"]) == sorted(picked)
    assert len(set(details["barcodes"])) == QUANTITY and all(details["barcodes"])


# -- zeep --------------------------------------------------------------------------------------


def zeep_journey(server: Any) -> dict[str, Any]:
    def proxy(name: str) -> Any:
        transport = Transport(timeout=SALE_BOUND_SECONDS, operation_timeout=SALE_BOUND_SECONDS)
        return zeep.Client(
            service_url(server, name) + "?wsdl",
            transport=transport,
            wsse=UsernameToken(LOGIN, PASSWORD),
        ).service

    catalog, availability = proxy("CatalogService"), proxy("AvailabilityService")
    facade, orders = proxy("ExternalOrderFacade"), proxy("ExternalOrderService")
    seating = proxy("ExternalSeatingService")
    summary: dict[str, Any] = {"stack": "zeep"}

    pos = catalog.getPOSConfig()
    pos_id = pos.posConfigData.posId
    summary["getPOSConfig"] = {"statusCode": pos.statusCode, "posId": str(pos_id)}
    catalogue = catalog.getCatalogDetailed()
    performance = catalogue.catalogData.seasons[0].products[0].event.performances[0]
    price = performance.prices[0]
    summary["getCatalogDetailed"] = {"statusCode": catalogue.statusCode}
    figures = availability.getPerformanceAvailability(
        pointOfSalesId=pos_id, performanceIds=[performance.id], seatCategoryIds=[price.seatCatId]
    )
    summary["getPerformanceAvailability"] = {
        "statusCode": figures.statusCode,
        "quantity": str(figures.availabilityData[0].quantity),
    }
    created = facade.createOrUpdateOrder(
        pointOfSalesId=pos_id,
        singleEntryAttributionOperations=[
            {
                "operationAttributions": [
                    {
                        "performanceId": performance.id,
                        "seatCategoryId": price.seatCatId,
                        "audienceSubCategoryId": price.audSubCatId,
                        "quantity": QUANTITY,
                    }
                ]
            }
        ],
    )
    update = created.orderUpdateData
    movements = [m for m in update.movementDataUpdates if m.type == "SEAT"]
    summary["createOrUpdateOrder"] = {
        "statusCode": created.statusCode,
        "orderId": str(update.orderId),
        "movementIds": [str(m.movementId) for m in movements],
        "seatIds": [str(m.seatId) for m in movements],
    }
    seats = availability.getSeatsAvailability(
        pointOfSalesId=pos_id, performanceId=performance.id, seatCategoryIds=[price.seatCatId]
    )
    picked = [s.seatId for s in seats.seatAvailabilityData if s.status == "FREE"][-QUANTITY:]
    summary["getSeatsAvailability"] = {
        "statusCode": seats.statusCode,
        "pickedSeatIds": [str(seat) for seat in picked],
    }
    seated = seating.doSeatingForOperations(
        operationIds=[movements[0].operationId],
        seatingInformation=[
            {"movementId": m.movementId, "physicalSeatId": seat}
            for m, seat in zip(movements, picked, strict=True)
        ],
    )
    summary["doSeatingForOperations"] = {
        "statusCode": seated.statusCode,
        "seatIds": [str(m.seatId) for m in seated.movementsData],
    }
    closed = orders.closeOrder(orderId=update.orderId)
    summary["closeOrder"] = {
        "statusCode": closed.statusCode,
        "orderState": closed.orderData.orderState,
    }
    details = orders.getOrderDetails(orderId=update.orderId)
    data = details.orderDetailsData
    tickets = [m for m in data.movementDatas if m.type == "SEAT"]
    summary["getOrderDetails"] = {
        "statusCode": details.statusCode,
        "orderId": str(data.orderId),
        "orderState": data.orderState,
        "seatIds": [str(m.seatId) for m in tickets],
        "barcodes": [m.barcode for m in tickets],
    }
    return summary


def test_zeep_runs_the_whole_journey(start_server: StartServer) -> None:
    assert_journey(json.loads(json.dumps(zeep_journey(start_server()))))


# -- node-soap ---------------------------------------------------------------------------------


def test_node_soap_runs_the_whole_journey(
    node_soap: str,  # noqa: F811
    start_server: StartServer,
) -> None:
    server = start_server()
    completed = run(
        [node_soap, str(NODE_DIR / "journey.js"), base_url(server)],
        SALE_BOUND_SECONDS,
        cwd=NODE_DIR,
    )
    summary = summary_of(completed)
    assert summary["stack"] == "node-soap"
    assert_journey(summary)


# -- JAX-WS RI (wsimport) ----------------------------------------------------------------------


def test_jaxws_wsimport_client_runs_the_whole_journey(
    jaxws_tools: dict[str, Any],  # noqa: F811
    start_server: StartServer,
    tmp_path: Path,
) -> None:
    server = start_server()
    classes = build_java_client(
        jaxws_tools,
        server,
        tmp_path / "java-build",
        {
            package: service_url(server, service) + "?wsdl"
            for service, package in JAVA_PACKAGES.items()
        },
        (JAVA_DIR / "Sale.java", JAVA_DIR / "Journey.java"),
    )
    summary = run_java_client(jaxws_tools, classes, "Journey", server, tmp_path)
    assert summary["stack"] == "jax-ws-ri"
    assert_journey(summary)
