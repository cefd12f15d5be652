"""Availability agrees with the sale across server processes, after buyers raced on both.

Rounds of concurrent buyers (holding, closing, abandoning on two servers of one database) are
each followed by a quiet check: one process answers getPerformanceAvailability, the other sells
exactly that many seats and is refused one more, then the order is abandoned; and the other way
round. Nothing else sells in between, so any difference is a stale or wrong availability.

As the other races, the run first switches the seat guard off (each process then trusts its
cached seat map) and must see a difference; only then does a clean guarded run prove anything.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from boxoffice.domain.lines import MAX_OPERATION_QUANTITY, MAX_ORDER_PLACES
from boxoffice.persistence.tables import movements
from boxoffice.soap.application import AVAILABILITY
from tests.concurrency.buyers import run_buyers
from tests.concurrency.catalog import (
    ALL_SEAT_IDS,
    LOGIN,
    PASSWORD,
    PERFORMANCE_ID,
    POINT_OF_SALES_ID,
    SEAT_CATEGORY_ID,
    TARIFF_ID,
)
from tests.concurrency.conftest import FIGURES, RaceSite
from tests.concurrency.soap_client import FACADE, SERVICE, Raw, SoapClient, parameters

ROUNDS = 3
BUYERS, ORDERS_EACH = 12, 2
BURST_SECONDS = 30


def announced(client: SoapClient, port: int) -> int:
    """The seats getPerformanceAvailability announces, asked of the server on `port`."""
    envelope = (
        '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
        f'xmlns:v1="{AVAILABILITY.tns}">{client.header}<soapenv:Body>'
        "<v1:getPerformanceAvailability>"
        + parameters(
            pointOfSalesId=POINT_OF_SALES_ID,
            performanceIds=PERFORMANCE_ID,
            seatCategoryIds=SEAT_CATEGORY_ID,
        )
        + "</v1:getPerformanceAvailability></soapenv:Body></soapenv:Envelope>"
    )
    response = client.sessions[port].post(
        f"http://127.0.0.1:{port}{AVAILABILITY.path}",
        data=envelope.encode(),
        timeout=60,
        headers={"Content-Type": "text/xml; charset=utf-8"},
    )
    assert response.status_code == 200, response.text
    quantity = response.text.split("<quantity>", 1)[1].split("<", 1)[0]
    return int(quantity)


def live_seats(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(
            connection.execute(
                select(func.count()).where(
                    movements.c.performance_id == PERFORMANCE_ID,
                    movements.c.state != "RELEASED",
                    movements.c.seat_id.is_not(None),
                )
            ).scalar_one()
        )


class Seller:
    """Sells seats (not side by side) on one server in lines of at most 40, in as many orders
    as it takes (an order holds at most 80 places); abandons them all at the end."""

    def __init__(self, client: SoapClient) -> None:
        self.client = client
        self.orders: list[int] = []
        self.room = 0

    def sell(self, quantity: int) -> str | None:
        """The refusal, if any, of adding `quantity` more seats."""
        while quantity > 0:
            if self.room == 0:
                created = self.client.call(
                    FACADE, "createOrder", parameters(pointOfSalesId=POINT_OF_SALES_ID)
                )
                order_id = created.number("orderId")
                assert order_id is not None, created
                self.orders.append(order_id)
                self.room = MAX_ORDER_PLACES
            line = min(quantity, MAX_OPERATION_QUANTITY, self.room)
            added = self.client.call(
                FACADE,
                "addOperation",
                parameters(
                    orderId=self.orders[-1],
                    operation=Raw(
                        parameters(
                            kind="SEAT",
                            performanceId=PERFORMANCE_ID,
                            seatCategoryId=SEAT_CATEGORY_ID,
                            audienceSubCategoryId=TARIFF_ID,
                            quantity=line,
                            contiguous=False,
                        )
                    ),
                ),
            )
            if added.status_code != "success":
                return added.status_detail or "fault"
            quantity -= line
            self.room -= line
        return None

    def abandon(self) -> None:
        for order_id in self.orders:
            self.client.call(SERVICE, "abandonOrder", parameters(orderId=order_id))


def quiet_check(ports: list[int], engine: Engine) -> list[str]:
    problems = []
    clients = [SoapClient([port], LOGIN, PASSWORD) for port in ports]
    try:
        for reader, seller in ((0, 1), (1, 0)):
            promised = announced(clients[reader], ports[reader])
            truth = len(ALL_SEAT_IDS) - live_seats(engine)
            if promised != truth:
                problems.append(f"server {reader} announced {promised} seats, {truth} are free")
            seller_of = Seller(clients[seller])
            refusal = seller_of.sell(promised)
            if refusal is not None:
                problems.append(
                    f"server {seller} refused ({refusal}) a seat that server "
                    f"{reader} announced ({promised})"
                )
            elif seller_of.sell(1) is None:
                problems.append(
                    f"server {seller} sold one seat more than the {promised} "
                    f"announced by server {reader}"
                )
            seller_of.abandon()
    finally:
        for client in clients:
            client.close()
    return problems


def _run(site: RaceSite, *, guarded: bool) -> list[str]:
    database_url = site.fresh_database()
    environment = site.environment(database_url)
    site.load_catalog(environment)
    ports = [server.port for server in site.start_servers(environment, 2, guarded=guarded)]
    engine = site.engine(database_url)
    problems: list[str] = []
    for round_number in range(ROUNDS):
        run_buyers(
            lambda: SoapClient(ports, LOGIN, PASSWORD),
            clients=BUYERS,
            orders_each=ORDERS_EACH,
            seed=100 + round_number,
            bound_seconds=BURST_SECONDS,
        )
        problems += [f"round {round_number}: {p}" for p in quiet_check(ports, engine)]
    site.stop_servers()
    return problems


@pytest.mark.concurrency
@pytest.mark.system
def test_no_availability_answer_promises_a_seat_the_next_sale_refuses(race_site: RaceSite) -> None:
    unguarded = _run(race_site, guarded=False)
    FIGURES.append(
        f"{race_site.backend:10} availability guard off: {len(unguarded)} "
        f"disagreements {unguarded[:3]}"
    )
    print(FIGURES[-1])
    assert unguarded, "with the seat guard off no answer disagreed: this test proves nothing"
    guarded = _run(race_site, guarded=True)
    FIGURES.append(f"{race_site.backend:10} availability guard on: {len(guarded)} disagreements")
    print(FIGURES[-1])
    assert guarded == []
