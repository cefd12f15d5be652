"""`boxoffice purge` on a served database: the abandoned cart goes; the sale and tickets stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, update
from tests.system.conftest import StartServer, run_boxoffice
from tests.system.test_serve import Reseller

from boxoffice.persistence.tables import orders

pytestmark = pytest.mark.system


def _backdate_every_order(database_url: str, days: int) -> None:
    engine = create_engine(database_url)
    try:
        with engine.begin() as connection:
            connection.execute(
                update(orders).values(updated_at=datetime.now(UTC) - timedelta(days=days))
            )
    finally:
        engine.dispose()


def test_purge_deletes_the_old_abandoned_cart_and_keeps_the_sale(
    database_url: str, start_server: StartServer, tmp_path: Path
) -> None:
    # The server's own daily purge is on, with a cutoff the backdated cart never reaches, so it
    # cannot race the command for the cart (the thread is tested in test_retention.py).
    server = start_server(environment={"BOXOFFICE_PURGE_AFTER_DAYS": "400"})
    reseller = Reseller(server)
    sold = reseller.create_order()
    tickets = sorted(m.barcode for m in reseller.sell(sold, 2).orderData.movementDatas)
    cart = reseller.create_order()
    assert reseller.add_seats(cart, 2).statusCode == "success"
    assert reseller.service.abandonOrder(orderId=cart).statusCode == "success"
    _backdate_every_order(database_url, days=31)

    kept = run_boxoffice(["purge", "--older-than", "32"], tmp_path, database_url)
    assert kept.returncode == 0, kept.stderr
    assert "Purged: 0 orders" in kept.stdout
    purged = run_boxoffice(["purge", "--older-than", "30"], tmp_path, database_url)
    assert purged.returncode == 0, purged.stderr
    # The seat line and its two fee lines, two seats, two states, the cart's own file (the
    # logged calls naming it are written by a queue: how many are in yet varies).
    assert purged.stdout.startswith(
        "Purged: 1 orders, 3 operations, 2 movements, 0 payments, 2 state history, "
    ), purged.stdout
    assert " 1 files, " in purged.stdout

    gone = reseller.service.getOrderDetails(orderId=cart)
    assert (gone.statusCode, gone.statusDetail) == ("error", "error.order.notFound")
    details = reseller.service.getOrderDetails(orderId=sold)
    assert details.orderDetailsData.orderState == "CLOSED"
    assert sorted(m.barcode for m in details.orderDetailsData.movementDatas) == tickets
    # The server was told to purge daily as well.
    assert "purger_started" in server.output()


def test_purge_refuses_a_negative_or_missing_period(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'purge.db'}"
    for arguments in (
        ["purge"],
        ["purge", "--older-than", "-1"],
        ["purge", "--older-than", "soon"],
    ):
        refused = run_boxoffice(arguments, tmp_path, url)
        assert refused.returncode == 2, arguments
        assert "--older-than" in refused.stderr
