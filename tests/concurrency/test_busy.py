"""A call kept waiting on a lock past the timeout is refused as busy, and a retry goes through."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.concurrency.catalog import (
    LOGIN,
    PASSWORD,
    PERFORMANCE_ID,
    POINT_OF_SALES_ID,
    SEAT_CATEGORY_ID,
    TARIFF_ID,
)
from tests.concurrency.conftest import RaceSite
from tests.concurrency.soap_client import FACADE, Raw, SoapClient, parameters


def _add_seats(client: SoapClient, order_id: int | None) -> str | None:
    """None for a success, else the refusal's key (a success answers an empty statusDetail)."""
    answer = client.call(
        FACADE,
        "addOperation",
        parameters(
            orderId=order_id,
            operation=Raw(
                parameters(
                    kind="SEAT",
                    performanceId=PERFORMANCE_ID,
                    seatCategoryId=SEAT_CATEGORY_ID,
                    audienceSubCategoryId=TARIFF_ID,
                    quantity=2,
                )
            ),
        ),
    )
    return None if answer.status_code == "success" else answer.status_detail


@pytest.mark.concurrency
@pytest.mark.system
@pytest.mark.postgres
def test_a_sale_kept_waiting_on_the_performances_lock_is_refused_as_busy(tmp_path) -> None:
    site = RaceSite("postgresql", tmp_path)
    try:
        database_url = site.fresh_database()
        environment = site.environment(database_url, lock_timeout_ms=500)
        site.load_catalog(environment)
        [server] = site.start_servers(environment, 1)
        client = SoapClient([server.port], LOGIN, PASSWORD)
        order_id = client.call(
            FACADE, "createOrder", parameters(pointOfSalesId=POINT_OF_SALES_ID)
        ).number("orderId")
        assert _add_seats(client, order_id) is None  # a success; creates the performance's row
        plain_url = make_url(database_url).set(drivername="postgresql")
        with psycopg.connect(plain_url.render_as_string(hide_password=False)) as holder:
            # Another process in the middle of a sale on the same performance, stuck there.
            holder.execute(
                "SELECT version FROM performance_inventory WHERE performance_id = %s FOR UPDATE",
                (PERFORMANCE_ID,),
            )
            assert _add_seats(client, order_id) == "error.order.busy"
            holder.rollback()
        assert _add_seats(client, order_id) is None
        client.close()
    finally:
        site.close()
