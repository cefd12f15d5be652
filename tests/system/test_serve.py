"""The real `boxoffice serve` process sells to a zeep client over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests
import zeep

pytestmark = pytest.mark.system

# start_server (tests/system/conftest.py) runs `boxoffice demo` then `boxoffice serve` and
# returns the running server; it is parametrized over SQLite and PostgreSQL by database_url.
StartServer = Callable[..., Any]

# The demo catalog (src/boxoffice/demo/demo-catalog.json), channel RESELLER_A.
LOGIN, PASSWORD = "RESELLER_A_WS", "demo-a-secret"
POINT_OF_SALES_ID = 466653735
CONTINGENT_ID = 10
PERFORMANCE_ID = 101036924388
SEAT_CATEGORY_ID = 466681816
NUMBERED_AREA_ID = 466636464
ADULT = 306159078
ADULT_PRICE = 40000
BOOKING_FEE_PER_TICKET = 1500
ORDER_FEE = 2000


class Reseller:
    """What a reseller's integration does: both services, one operator's credentials."""

    def __init__(self, server: Any, login: str = LOGIN, password: str = PASSWORD):
        self.facade = server.client("ExternalOrderFacade", login, password)
        self.service = server.client("ExternalOrderService", login, password)

    def create_order(self) -> int:
        result = self.facade.createOrder(pointOfSalesId=POINT_OF_SALES_ID)
        assert result.statusCode == "success", result
        assert result.orderUpdateData.orderState == "RUNNING"
        return int(result.orderUpdateData.orderId)

    def add_seats(self, order_id: int, quantity: int, seat_ids: list[int] | None = None) -> Any:
        operation = {
            "kind": "SEAT",
            "performanceId": PERFORMANCE_ID,
            "seatCategoryId": SEAT_CATEGORY_ID,
            "audienceSubCategoryId": ADULT,
            "quantity": quantity,
        }
        if seat_ids is not None:
            operation["seatIds"] = seat_ids
        return self.facade.addOperation(orderId=order_id, operation=operation)

    def sell(self, order_id: int, quantity: int, seat_ids: list[int] | None = None) -> Any:
        """Adds seats and closes the order; returns the CloseOrderResult."""
        added = self.add_seats(order_id, quantity, seat_ids)
        assert added.statusCode == "success", added
        closed = self.service.closeOrder(orderId=order_id)
        assert closed.statusCode == "success", closed
        return closed


def seat_ids_of(movements: list[Any]) -> list[int]:
    return sorted(int(movement.seatId) for movement in movements)


def test_serve_help_shows_host_port_threads_and_workers(
    boxoffice_cli: Callable[..., Any], tmp_path: Path
) -> None:
    completed = boxoffice_cli(["serve", "--help"], tmp_path, f"sqlite:///{tmp_path / 'x.db'}")

    assert completed.returncode == 0, completed.stderr
    for option in ("--host", "--port", "--threads", "--workers"):
        assert option in completed.stdout


def test_the_served_wsdl_names_both_services(start_server: StartServer) -> None:
    server = start_server()

    for service in ("ExternalOrderFacade", "ExternalOrderService"):
        answer = requests.get(server.endpoint(service) + "?wsdl", timeout=30)
        assert answer.status_code == 200
        assert f'name="{service}"'.encode() in answer.content


def test_a_reseller_sells_three_seats_and_gets_three_tickets(start_server: StartServer) -> None:
    reseller = Reseller(start_server())
    order_id = reseller.create_order()

    added = reseller.add_seats(order_id, 3)
    assert added.statusCode == "success", added
    seats = added.orderUpdateData.movementDataUpdates
    assert len(seats) == 3
    assert {movement.areaId for movement in seats} == {NUMBERED_AREA_ID}
    assert {movement.contingentId for movement in seats} == {CONTINGENT_ID}
    assert len({movement.rowNumber for movement in seats}) == 1, "3 seats side by side in a row"

    validated = reseller.service.validateOrder(orderId=order_id)
    assert validated.statusCode == "success", validated
    assert validated.orderUpdateData.orderState == "VALIDATED"

    closed = reseller.service.closeOrder(orderId=order_id)
    assert closed.statusCode == "success", closed
    order = closed.orderData
    assert order.orderState == "CLOSED"
    barcodes = [movement.barcode for movement in order.movementDatas]
    assert len(barcodes) == 3 and all(barcodes)
    assert len(set(barcodes)) == 3, "each ticket has its own barcode"
    expected_amount = 3 * ADULT_PRICE + 3 * BOOKING_FEE_PER_TICKET + ORDER_FEE
    assert order.saleAmount == expected_amount
    assert sum(operation.totalAmount for operation in order.operationDatas) == expected_amount
    assert seat_ids_of(order.movementDatas) == seat_ids_of(seats)

    details = reseller.service.getOrderDetails(orderId=order_id)
    assert details.statusCode == "success", details
    assert details.orderDetailsData.orderState == "CLOSED"
    assert details.orderDetailsData.saleAmount == expected_amount
    assert sorted(m.barcode for m in details.orderDetailsData.movementDatas) == sorted(barcodes)


def test_seats_of_an_abandoned_order_can_be_bought_by_a_new_order(
    start_server: StartServer,
) -> None:
    reseller = Reseller(start_server())
    first = reseller.create_order()
    held = seat_ids_of(reseller.add_seats(first, 3).orderUpdateData.movementDataUpdates)
    second = reseller.create_order()

    refused = reseller.add_seats(second, 3, seat_ids=held)
    assert refused.statusCode == "error"
    assert refused.expectedException is True
    assert refused.statusDetail == "error.seat.unavailable"

    abandoned = reseller.service.abandonOrder(orderId=first)
    assert abandoned.statusCode == "success", abandoned
    assert abandoned.orderUpdateData.orderState == "ABANDONED"
    details = reseller.service.getOrderDetails(orderId=first)
    assert details.orderDetailsData.orderState == "ABANDONED"

    closed = reseller.sell(second, 3, seat_ids=held)
    assert closed.orderData.orderState == "CLOSED"
    assert seat_ids_of(closed.orderData.movementDatas) == held


def test_a_wrong_password_is_a_client_authentication_fault(start_server: StartServer) -> None:
    server = start_server()
    intruder = Reseller(server, password="not-the-password")

    with pytest.raises(zeep.exceptions.Fault) as raised:
        intruder.facade.createOrder(pointOfSalesId=POINT_OF_SALES_ID)

    assert "Client.Authentication" in str(raised.value.code)


def test_two_worker_processes_sell_distinct_seats(start_server: StartServer) -> None:
    server = start_server("--workers", "2")
    sold: list[int] = []

    # A client per order: new connections, so both workers get to answer.
    for _ in range(4):
        reseller = Reseller(server)
        closed = reseller.sell(reseller.create_order(), 3)
        assert closed.orderData.orderState == "CLOSED"
        sold += seat_ids_of(closed.orderData.movementDatas)

    assert len(sold) == 12
    assert len(set(sold)) == 12, "no seat is sold twice across worker processes"
