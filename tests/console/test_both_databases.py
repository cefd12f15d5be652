"""The console's tables and reads on SQLite and on PostgreSQL: a sale's calls, history, seats."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from boxoffice.bootstrap import Boxoffice, build
from boxoffice.persistence.catalog_loader import load_catalog
from boxoffice.settings import Settings
from tests.console.conftest import Browser, console_catalog, written
from tests.console.test_pages import logged_in, sell_two_seats
from tests.contract import catalog
from tests.contract.conftest import FakeClock, clients


@pytest.fixture
def live_app(database_url: str) -> Iterator[Boxoffice]:
    application = build(Settings(database_url=database_url), FakeClock())
    load_catalog(application.engine, console_catalog())
    yield application
    application.engine.dispose()


def test_a_sale_is_logged_with_its_history_and_seats_for_its_channel_only(
    live_app: Boxoffice,
) -> None:
    order_id = sell_two_seats(clients(live_app, catalog.LOGIN_A, catalog.PASSWORD_A))
    written(live_app)
    own = logged_in(live_app, catalog.LOGIN_A, catalog.PASSWORD_A)
    other = logged_in(live_app, catalog.LOGIN_B, catalog.PASSWORD_B)

    calls = own.get(f"/calls?order={order_id}").text
    assert re.findall(r"<td>(\w+) <small>", calls) == [
        "closeOrder",
        "validateOrder",
        "addOperation",
        "createOrder",
    ]
    page = own.get(f"/orders/{order_id}").text
    assert re.findall(r"<td>(RUNNING|VALIDATED|CLOSED)</td>", page) == [
        "RUNNING",
        "VALIDATED",
        "CLOSED",
    ]
    assert own.get(f"/api/seats/{catalog.PERFORMANCE}").json()["counts"]["sold"] == 2
    assert other.get(f"/orders/{order_id}").status_code == 404
    assert other.get(f"/api/seats/{catalog.PERFORMANCE}").json()["counts"]["sold"] == 0
    assert Browser(live_app).get("/calls").status_code == 303
