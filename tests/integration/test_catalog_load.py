"""Loading catalog files into SQLite and PostgreSQL, and reading them back as domain objects."""

from __future__ import annotations

import copy
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import pytest
from sqlalchemy import Engine, func, insert, select
from sqlalchemy.orm import Session

from boxoffice.catalog_import import CatalogError
from boxoffice.passwords import verify_password
from boxoffice.persistence import catalog_tables as t
from boxoffice.persistence import tables
from boxoffice.persistence.catalog_loader import load_catalog
from boxoffice.persistence.catalog_repository import CatalogCache, SqlCatalogRepository
from boxoffice.persistence.metadata import metadata

PERFORMANCE = 101036924388
SECOND_PERFORMANCE = 101036924389
NORTH, FLOOR, SOUTH = 466636464, 466636465, 466636466
FIRST_SEAT = 7000101  # block 700, row 1, seat 1
CAT1, ADULT = 466681816, 306159078
NOW = datetime(2027, 1, 1, tzinfo=UTC)


def demo_document() -> dict[str, Any]:
    text = resources.files("boxoffice.demo").joinpath("demo-catalog.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


@pytest.fixture
def catalog_engine(engine: Engine) -> Iterator[Engine]:
    """The shared test database with the catalog tables created too."""
    metadata.create_all(engine)
    yield engine


def count(engine: Engine, table: Any) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(table)).scalar_one())


def version(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(t.catalog_meta.c.version)).scalar_one())


@contextmanager
def repository(engine: Engine, cache: CatalogCache) -> Iterator[SqlCatalogRepository]:
    """A repository over one short transaction (SQLite writers wait for open ones)."""
    with Session(engine) as session:
        yield SqlCatalogRepository(session, cache)


def hold(
    engine: Engine,
    *,
    seat_id: int | None,
    area_id: int,
    performance_id: int = PERFORMANCE,
    state: str = "RESERVED",
) -> None:
    """Puts one movement of a live order on a place, as the order side would."""
    with engine.begin() as connection:
        file_id = connection.execute(
            insert(tables.files).values(channel_id=1, created_at=NOW, updated_at=NOW)
        ).inserted_primary_key[0]
        order_id = connection.execute(
            insert(tables.orders).values(
                file_id=file_id,
                channel_id=1,
                point_of_sales_id=466653735,
                order_type="SALE",
                secret_id=f"secret-{file_id}",
                state="RUNNING",
                created_at=NOW,
                updated_at=NOW,
                expires_at=NOW,
                paid_amount=0,
            )
        ).inserted_primary_key[0]
        operation_id = connection.execute(
            insert(tables.operations).values(
                order_id=order_id,
                kind="SEAT" if seat_id else "AREA",
                state="ACTIVE",
                performance_id=performance_id,
                unit_price=40000,
                quantity=1,
            )
        ).inserted_primary_key[0]
        connection.execute(
            insert(tables.movements).values(
                operation_id=operation_id,
                kind="SEAT" if seat_id else "AREA",
                performance_id=performance_id,
                seat_id=seat_id,
                area_id=area_id,
                price=40000,
                state=state,
            )
        )


def without_first_north_row(document: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    del changed["venues"][0]["areas"][0]["blocks"][0]["rows"][0]
    return changed


def without_area(document: dict[str, Any], area_id: int) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    venue = changed["venues"][0]
    venue["areas"] = [area for area in venue["areas"] if area["id"] != area_id]
    for performance in changed["products"][0]["performances"]:
        for pool in performance["contingentPools"]:
            pool["areaIds"] = [area for area in pool["areaIds"] if area != area_id]
    return changed


def without_second_performance(document: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    del changed["products"][0]["performances"][1]
    return changed


def test_ids_are_kept_as_given_and_seat_ranges_expand(catalog_engine: Engine) -> None:
    report = load_catalog(catalog_engine, demo_document())

    assert report.added["seats"] == 3 * 10 * 20 + 2 * 8 * 15
    with catalog_engine.connect() as connection:
        row = connection.execute(select(t.seats).where(t.seats.c.seat_id == FIRST_SEAT + 19)).one()
        performance_ids = set(connection.execute(select(t.performances.c.performance_id)).scalars())
        pos_ids = set(connection.execute(select(t.points_of_sales.c.point_of_sales_id)).scalars())
    assert (row.area_id, row.block_id, row.row_number, row.seat_number) == (NORTH, 700, "1", "20")
    assert performance_ids == {PERFORMANCE, SECOND_PERFORMANCE}
    assert pos_ids == {466653735, 466653736}


def test_loading_the_same_file_twice_changes_nothing(catalog_engine: Engine) -> None:
    load_catalog(catalog_engine, demo_document())
    with catalog_engine.connect() as connection:
        hashes = dict(
            connection.execute(select(t.operators.c.login, t.operators.c.password_hash)).all()
        )

    report = load_catalog(catalog_engine, demo_document())

    assert not report.changed
    assert report.unchanged["seats"] == 840
    assert version(catalog_engine) == 1
    with catalog_engine.connect() as connection:
        assert (
            dict(connection.execute(select(t.operators.c.login, t.operators.c.password_hash)).all())
            == hashes
        )


def test_a_changed_price_and_capacity_are_updated_and_seen_by_the_next_transaction(
    catalog_engine: Engine,
) -> None:
    load_catalog(catalog_engine, demo_document())
    cache = CatalogCache()
    with repository(catalog_engine, cache) as before:
        old_layout = before.venue_layout(5)
        assert before.performance(PERFORMANCE).price(CAT1, ADULT) == 40000  # type: ignore[union-attr]
    changed = demo_document()
    changed["products"][0]["performances"][0]["prices"][0]["amount"] = 45000
    changed["venues"][0]["areas"][1]["capacity"] = 650

    report = load_catalog(catalog_engine, changed)

    assert (report.updated["prices"], report.updated["areas"]) == (1, 1)
    assert report.version == 2
    with repository(catalog_engine, cache) as after:
        assert after.performance(PERFORMANCE).price(CAT1, ADULT) == 45000  # type: ignore[union-attr]
        assert after.area(FLOOR).capacity == 650  # type: ignore[union-attr]
        assert after.venue_layout(5) is not old_layout


@pytest.mark.parametrize(
    ("change", "seat_id", "area_id", "performance_id", "named"),
    [
        pytest.param(
            without_first_north_row, FIRST_SEAT, NORTH, PERFORMANCE, f"seat {FIRST_SEAT}", id="seat"
        ),
        pytest.param(
            lambda d: without_area(d, FLOOR), None, FLOOR, PERFORMANCE, f"area {FLOOR}", id="area"
        ),
        pytest.param(
            without_second_performance,
            FIRST_SEAT,
            NORTH,
            SECOND_PERFORMANCE,
            f"performance {SECOND_PERFORMANCE}",
            id="performance",
        ),
    ],
)
def test_removing_a_place_a_live_order_holds_is_refused_and_changes_nothing(
    catalog_engine: Engine,
    change: Any,
    seat_id: int | None,
    area_id: int,
    performance_id: int,
    named: str,
) -> None:
    load_catalog(catalog_engine, demo_document())
    hold(catalog_engine, seat_id=seat_id, area_id=area_id, performance_id=performance_id)
    changed = change(demo_document())
    changed["items"][0]["stock"] = 1  # an unrelated change that must not be applied either

    with pytest.raises(CatalogError) as refused:
        load_catalog(catalog_engine, changed)

    assert named in str(refused.value) and "held by live orders" in str(refused.value)
    assert count(catalog_engine, t.seats) == 840
    assert count(catalog_engine, t.areas) == 4
    assert count(catalog_engine, t.performances) == 2
    assert version(catalog_engine) == 1
    with catalog_engine.connect() as connection:
        assert connection.execute(select(t.items.c.stock)).scalar_one() == 300


def test_removing_places_only_released_movements_held_works(catalog_engine: Engine) -> None:
    load_catalog(catalog_engine, demo_document())
    hold(catalog_engine, seat_id=FIRST_SEAT, area_id=NORTH, state="RELEASED")
    hold(catalog_engine, seat_id=None, area_id=FLOOR, state="RELEASED")

    report = load_catalog(
        catalog_engine, without_area(without_first_north_row(demo_document()), FLOOR)
    )

    assert (report.removed["seats"], report.removed["areas"]) == (20, 1)
    assert count(catalog_engine, t.seats) == 820
    assert version(catalog_engine) == 2


def test_removing_an_unheld_performance_removes_its_prices_and_pools(
    catalog_engine: Engine,
) -> None:
    load_catalog(catalog_engine, demo_document())
    hold(catalog_engine, seat_id=FIRST_SEAT, area_id=NORTH, performance_id=PERFORMANCE)

    report = load_catalog(catalog_engine, without_second_performance(demo_document()))

    assert report.removed["performances"] == 1
    assert report.removed["prices"] == 4 and report.removed["contingent_pools"] == 4
    with repository(catalog_engine, CatalogCache()) as catalog:
        assert catalog.performance(SECOND_PERFORMANCE) is None


def test_passwords_are_stored_hashed_and_verify(catalog_engine: Engine) -> None:
    load_catalog(catalog_engine, demo_document())

    with repository(catalog_engine, CatalogCache()) as catalog:
        operator = catalog.operator("RESELLER_A_WS")

    assert operator is not None and operator.channel_id == 1
    assert "demo-a-secret" not in operator.password_hash
    assert verify_password(operator.password_hash, "demo-a-secret")
    assert not verify_password(operator.password_hash, "demo-b-secret")


def test_a_changed_password_is_hashed_again_and_the_old_one_stops_working(
    catalog_engine: Engine,
) -> None:
    load_catalog(catalog_engine, demo_document())
    changed = demo_document()
    changed["salesChannels"][0]["operators"][0]["password"] = "rotated"

    report = load_catalog(catalog_engine, changed)

    with repository(catalog_engine, CatalogCache()) as catalog:
        operator = catalog.operator("RESELLER_A_WS")
    assert report.updated["operators"] == 1 and operator is not None
    assert verify_password(operator.password_hash, "rotated")
    assert not verify_password(operator.password_hash, "demo-a-secret")


def test_an_invalid_file_changes_nothing(catalog_engine: Engine) -> None:
    load_catalog(catalog_engine, demo_document())
    broken = demo_document()
    broken["items"][0]["stock"] = 5
    broken["items"][0]["prices"][0]["audienceSubCategoryId"] = 1

    with pytest.raises(CatalogError, match=r"items\[0\]\.prices\[0\]\.audienceSubCategoryId"):
        load_catalog(catalog_engine, broken)

    with catalog_engine.connect() as connection:
        assert connection.execute(select(t.items.c.stock)).scalar_one() == 300


def test_the_demo_catalog_reads_back_as_domain_objects(catalog_engine: Engine) -> None:
    load_catalog(catalog_engine, demo_document())

    with repository(catalog_engine, CatalogCache()) as catalog:
        channel = catalog.sales_channel(1)
        performance = catalog.performance(PERFORMANCE)
        item = catalog.item(77)
        areas = [area.area_id for area in catalog.areas_of_venue(5)]
        adult = catalog.audience_sub_category(ADULT)
        missing = (catalog.sales_channel(999), catalog.operator("nobody"))
        currency = catalog.institution().currency

    assert (currency.code, currency.fraction_digit, currency.symbol) == ("EUR", 2, "€")
    assert channel is not None and channel.code == "RESELLER_A"
    assert (channel.expiry.inactivity_seconds, channel.expiry.max_lifespan_seconds) == (1200, 7200)
    assert channel.contingent_ids == (10,) and channel.point_of_sales_ids == (466653735,)
    assert [(c.per.value, c.amount) for c in channel.charges] == [("TICKET", 1500), ("ORDER", 2000)]
    assert performance is not None and performance.product.code == "CONCERT"
    assert performance.start == datetime(2027, 3, 1, 19, tzinfo=UTC)
    assert performance.pool_areas(10) == frozenset({NORTH, FLOOR})
    assert item is not None and item.price(None) == 8000
    assert areas == [NORTH, FLOOR, SOUTH, 466636467]
    assert adult is not None and (adult.name, adult.kind) == ("Adult", "FULL")
    assert missing == (None, None)


def test_the_venue_layout_lists_seats_best_first(catalog_engine: Engine) -> None:
    load_catalog(catalog_engine, demo_document())

    with repository(catalog_engine, CatalogCache()) as catalog:
        seats = catalog.venue_layout(5).seats

    assert len(seats) == 840
    assert [seat.seat_id for seat in seats[:2]] == [FIRST_SEAT, FIRST_SEAT + 1]
    assert (seats[20].row_number, seats[200].block_id, seats[600].area_id) == ("2", 701, SOUTH)


def test_the_layout_is_built_once_per_version_even_by_concurrent_threads(
    catalog_engine: Engine,
) -> None:
    load_catalog(catalog_engine, demo_document())
    cache = CatalogCache()
    layouts: list[Any] = []

    def read() -> None:
        with repository(catalog_engine, cache) as catalog:
            layouts.append(catalog.venue_layout(5))

    threads = [threading.Thread(target=read) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(layouts) == 8 and all(layout is layouts[0] for layout in layouts)


def stadium(areas: int = 4, blocks: int = 10, rows: int = 30, seats: int = 50) -> dict[str, Any]:
    """The demo catalog with its venue replaced by a stadium of areas x blocks x rows x seats."""
    document = demo_document()
    stands = [
        {
            "id": 9000 + a,
            "name": f"Stand {a}",
            "numbered": True,
            "blocks": [
                {
                    "id": 90000 + a * 100 + b,
                    "name": f"B{b}",
                    "seatCategoryId": CAT1,
                    "rows": [
                        {
                            "number": str(r + 1),
                            "seats": {"from": 1, "to": seats},
                            "firstSeatId": 10**9 + ((a * blocks + b) * rows + r) * seats,
                        }
                        for r in range(rows)
                    ],
                }
                for b in range(blocks)
            ],
        }
        for a in range(areas)
    ]
    document["venues"][0]["areas"] = stands
    for performance in document["products"][0]["performances"]:
        performance["contingentPools"] = [
            {"contingentId": 10, "areaIds": [9000, 9001]},
            {"contingentId": 20, "areaIds": [9002, 9003]},
        ]
    return document


def test_a_60000_seat_stadium_loads_and_reloads(
    catalog_engine: Engine, record_property: Any
) -> None:
    document = stadium()

    started = time.perf_counter()
    report = load_catalog(catalog_engine, document)
    first = time.perf_counter() - started
    again = load_catalog(catalog_engine, document)
    second = time.perf_counter() - started - first
    with repository(catalog_engine, CatalogCache()) as catalog:
        layout = catalog.venue_layout(5)
    third = time.perf_counter() - started - first - second

    assert report.added["seats"] == 60_000 and not again.changed
    assert len(layout.seats) == 60_000
    dialect = catalog_engine.dialect.name
    timings = f"first load {first:.2f}s, same file again {second:.2f}s, layout {third:.2f}s"
    record_property(f"stadium_{dialect}", timings)
    print(f"\n60,000-seat stadium on {dialect}: {timings}")


def test_reordering_the_stands_of_a_stadium_reranks_every_seat(catalog_engine: Engine) -> None:
    document = stadium()
    load_catalog(catalog_engine, document)
    areas = document["venues"][0]["areas"]
    areas[0], areas[1] = areas[1], areas[0]

    report = load_catalog(catalog_engine, document)

    with repository(catalog_engine, CatalogCache()) as catalog:
        seats = catalog.venue_layout(5).seats
    assert report.updated["seats"] == 30_000
    assert (seats[0].area_id, seats[15_000].area_id, seats[30_000].area_id) == (9001, 9000, 9002)
