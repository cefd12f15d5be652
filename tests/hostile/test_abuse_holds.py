"""Issue 10, item 7 against a running server: a channel's unclosed orders hold only so much."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import requests

from boxoffice.catalog_import import read_catalog
from boxoffice.domain.catalog import DEFAULT_MAX_HELD_PLACES, DEFAULT_MAX_HELD_UNITS
from boxoffice.persistence.engine import create_engine_for
from tests.hostile.conftest import (
    ADULT,
    CATEGORY,
    LOGIN_B,
    PASSWORD_B,
    PERFORMANCE,
    POS_A,
    POS_B,
    Target,
    hostile_catalog,
)
from tests.system.conftest import StartServer

PLACES_CAP, UNITS_CAP, ITEM = 6, 5, 77


def capped_catalog(path: Path) -> Path:
    document = json.loads(path.read_text())
    document["salesChannels"][0].update(
        maxHeldPlacesPerPerformance=PLACES_CAP, maxHeldUnitsPerItem=UNITS_CAP
    )
    path.write_text(json.dumps(document))
    return path


def new_order(
    target: Target, login: str | None = None, password: str | None = None, pos: int = POS_A
) -> int:
    credentials = (login, password) if login and password else ()
    created = target.json("facade/createOrder", {"pointOfSalesId": pos}, *credentials).json()
    return int(created["orderUpdateData"]["orderId"])


def add(target: Target, order_id: int, operation: dict[str, Any], *credentials: str) -> str:
    answer = target.json(
        "facade/addOperation", {"orderId": order_id, "operation": operation}, *credentials
    ).json()
    return str(
        answer["statusCode"] if answer["statusCode"] == "success" else answer["statusDetail"]
    )


def seats(quantity: int) -> dict[str, Any]:
    return {
        "kind": "SEAT",
        "performanceId": PERFORMANCE,
        "seatCategoryId": CATEGORY,
        "audienceSubCategoryId": ADULT,
        "quantity": quantity,
    }


def units(quantity: int) -> dict[str, Any]:
    return {"kind": "ITEM", "itemId": ITEM, "audienceSubCategoryId": ADULT, "quantity": quantity}


def test_places_and_units_past_the_channels_caps_are_refused_and_nothing_is_held(
    start_server: StartServer, database_url: str, tmp_path: Path
) -> None:
    server = start_server(catalog=capped_catalog(hostile_catalog(tmp_path)))
    engine = create_engine_for(database_url)
    with requests.Session() as session:
        target = Target(server, engine, session)
        first, second = new_order(target), new_order(target)
        assert add(target, first, seats(4)) == "success"
        before = target.snapshot()
        assert add(target, second, seats(4)) == "error.order.holdLimit"  # 8 > 6, two carts
        assert target.snapshot() == before  # refused whole: no seat, no line held
        assert add(target, second, seats(2)) == "success"
        assert add(target, second, units(UNITS_CAP)) == "success"
        assert add(target, first, units(1)) == "error.order.holdLimit"
        # Another channel is held to its own (default) caps, not to channel 1's.
        other = new_order(target, LOGIN_B, PASSWORD_B, POS_B)
        assert add(target, other, units(UNITS_CAP + 3), LOGIN_B, PASSWORD_B) == "success"
    engine.dispose()


def test_a_catalog_without_the_keys_gets_the_documented_defaults(tmp_path: Path) -> None:
    rows = read_catalog(hostile_catalog(tmp_path)).table("sales_channels")
    assert len(rows) == 3
    assert {(row["max_held_places"], row["max_held_units"]) for row in rows} == {
        (DEFAULT_MAX_HELD_PLACES, DEFAULT_MAX_HELD_UNITS)
    }
