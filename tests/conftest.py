"""Shared fixtures: a fresh database on SQLite and on PostgreSQL, engines, units of work."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from boxoffice.domain.allocation import VenueLayout
from boxoffice.domain.catalog import (
    Area,
    AudienceSubCategory,
    CatalogNames,
    Charge,
    ChargeBasis,
    Currency,
    ExpiryPolicy,
    Institution,
    Item,
    Operator,
    Performance,
    Product,
    SalesChannel,
    Seat,
)
from boxoffice.persistence.engine import create_engine_for, create_schema
from boxoffice.persistence.inventory import SeatMapCache
from boxoffice.persistence.unit_of_work import SqlUnitOfWork, make_unit_of_work_factory

# Where the test databases are created; any role allowed to CREATE DATABASE will do.
POSTGRES_ADMIN_URL = os.environ.get(
    "BOXOFFICE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REQUIRE_POSTGRES = os.environ.get("BOXOFFICE_REQUIRE_POSTGRES") == "1"


# -- databases ------------------------------------------------------------------------------


def _admin_connection() -> psycopg.Connection[Any]:
    return psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=5)


def _require_postgres() -> None:
    where = make_url(POSTGRES_ADMIN_URL).render_as_string(hide_password=True)
    try:
        _admin_connection().close()
    except Exception as error:  # noqa: BLE001 (any failure means: no server to test on)
        message = f"PostgreSQL not reachable at {where}: {error}".strip()
        if REQUIRE_POSTGRES:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="session")
def _postgres_available() -> bool:
    _require_postgres()
    return True


def _terminate_connections(connection: Any, name: str) -> None:
    connection.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = %s AND pid <> pg_backend_pid()",
        (name,),
    )


@pytest.fixture(scope="session")
def _postgres_database(_postgres_available: bool) -> Iterator[str]:
    """One database for the session; CREATE DATABASE costs a second or two each time."""
    name = f"boxoffice_test_{uuid.uuid4().hex[:12]}"
    with _admin_connection() as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        with _admin_connection() as connection:
            _terminate_connections(connection, name)
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.fixture
def postgres_url(_postgres_database: str) -> str:
    """An empty PostgreSQL database: the session's one, emptied of every table."""
    name = _postgres_database
    url = make_url(POSTGRES_ADMIN_URL).set(database=name)
    with _admin_connection() as connection:
        _terminate_connections(connection, name)
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True) as target:
        target.execute("DROP SCHEMA public CASCADE")
        target.execute("CREATE SCHEMA public")
    return url.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)


@pytest.fixture(
    params=[
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
    ]
)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The URL of an empty database, once on SQLite (a file) and once on PostgreSQL."""
    if request.param == "sqlite":
        directory = tmp_path_factory.mktemp("sqlite")
        return f"sqlite:///{directory / 'boxoffice.db'}"
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on the test database, every table created."""
    engine = create_engine_for(database_url)
    create_schema(engine)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def one_connection_engine(postgres_url: str) -> Iterator[Engine]:
    """An engine on the test PostgreSQL database whose pool keeps one connection, every table
    created: for tests of what a connection keeps between transactions (its prepared
    statements, its backend)."""
    engine = create_engine_for(postgres_url, pool_size=1)
    create_schema(engine)
    try:
        yield engine
    finally:
        engine.dispose()


# -- a small catalog, without the catalog tables ------------------------------------------------

NOW = datetime(2030, 5, 17, 19, 30, tzinfo=UTC)
EXPIRY = ExpiryPolicy(inactivity_seconds=900, max_lifespan_seconds=3600)
CHANNEL_ID = 7
OTHER_CHANNEL_ID = 8
POINT_OF_SALES_ID = 70
VENUE_ID = 1
NUMBERED_AREA_ID = 10
STANDING_AREA_ID = 20
ITEM_ID = 30
PERFORMANCE_ID = 100
OTHER_PERFORMANCE_ID = 101
SEAT_CATEGORY_ID = 5
TARIFF_ID = 3
TICKET_FEE = Charge(charge_id=900, name="Booking fee", per=ChargeBasis.TICKET, amount=1500)
ORDER_FEE = Charge(charge_id=901, name="Order fee", per=ChargeBasis.ORDER, amount=2000)


def stage_seats() -> list[Seat]:
    """Two rows of five seats, ids 1-5 in row A and 6-10 in row B."""
    return [
        Seat(
            seat_id=row * 5 + number,
            area_id=NUMBERED_AREA_ID,
            block_id=1,
            row_number="AB"[row],
            seat_number=str(number),
            seat_category_id=SEAT_CATEGORY_ID,
        )
        for row in range(2)
        for number in range(1, 6)
    ]


class StubCatalog:
    """A CatalogRepository held in memory: one venue, two performances, one item."""

    def __init__(self, standing_capacity: int = 3, item_stock: int = 2) -> None:
        self.layout = VenueLayout(stage_seats())
        self.product = Product(product_id=50, code="SHOW", name="The Show", family="THEATRE")
        self.performances = {
            performance_id: Performance(
                performance_id=performance_id,
                product=self.product,
                venue_id=VENUE_ID,
                start=NOW,
                prices={(SEAT_CATEGORY_ID, TARIFF_ID): 45000},
                contingent_pools={1: frozenset({NUMBERED_AREA_ID, STANDING_AREA_ID})},
            )
            for performance_id in (PERFORMANCE_ID, OTHER_PERFORMANCE_ID)
        }
        self.areas = {
            NUMBERED_AREA_ID: Area(NUMBERED_AREA_ID, VENUE_ID, "Stalls", numbered=True),
            STANDING_AREA_ID: Area(
                STANDING_AREA_ID,
                VENUE_ID,
                "Pit",
                numbered=False,
                capacity=standing_capacity,
                seat_category_id=SEAT_CATEGORY_ID,
            ),
        }
        self.items = {ITEM_ID: Item(ITEM_ID, "PROG", "Programme", item_stock, {TARIFF_ID: 5000})}
        self.channels = {
            channel_id: SalesChannel(
                channel_id=channel_id,
                code=f"CH{channel_id}",
                name="Reseller",
                expiry=EXPIRY,
                contingent_ids=(1,),
                point_of_sales_ids=(POINT_OF_SALES_ID,),
                charges=(TICKET_FEE, ORDER_FEE),
            )
            for channel_id in (CHANNEL_ID, OTHER_CHANNEL_ID)
        }

    def reload(self) -> None:
        """What a catalog load does to the cached venue: a new layout object."""
        self.layout = VenueLayout(stage_seats())

    def institution(self) -> Institution:
        return Institution("TEST", "Test theatre", Currency("EUR", 2, "€"))

    def sales_channel(self, channel_id: int) -> SalesChannel | None:
        return self.channels.get(channel_id)

    def operator(self, login: str) -> Operator | None:
        return None

    def performance(self, performance_id: int) -> Performance | None:
        return self.performances.get(performance_id)

    def area(self, area_id: int) -> Area | None:
        return self.areas.get(area_id)

    def areas_of_venue(self, venue_id: int) -> Sequence[Area]:
        return [area for area in self.areas.values() if area.venue_id == venue_id]

    def audience_sub_category(self, audience_sub_category_id: int) -> AudienceSubCategory | None:
        return AudienceSubCategory(audience_sub_category_id, "Adult", 1, "ADULT")

    def item(self, item_id: int) -> Item | None:
        return self.items.get(item_id)

    def venue_layout(self, venue_id: int) -> VenueLayout:
        return self.layout

    def names(self) -> CatalogNames:
        return CatalogNames(
            seat_categories={SEAT_CATEGORY_ID: "Category 1"},
            contingents={1: "Reseller contingent"},
            audience_sub_categories={TARIFF_ID: "Adult"},
            product_families={self.product.product_id: self.product.family},
        )


@pytest.fixture
def catalog() -> StubCatalog:
    return StubCatalog()


UnitOfWorkFactory = Callable[[], SqlUnitOfWork]


@pytest.fixture
def make_uow_factory(catalog: StubCatalog) -> Callable[..., UnitOfWorkFactory]:
    """Builds a unit-of-work factory; each call with its own cache is like another process."""

    def make(
        engine: Engine, stub: StubCatalog | None = None, cache: SeatMapCache | None = None
    ) -> UnitOfWorkFactory:
        chosen = stub if stub is not None else catalog
        return make_unit_of_work_factory(
            engine, lambda _session: chosen, cache if cache is not None else SeatMapCache()
        )

    return make


@pytest.fixture
def uow_factory(
    engine: Engine, make_uow_factory: Callable[..., UnitOfWorkFactory]
) -> UnitOfWorkFactory:
    """Units of work of one process on the test database, over the stub catalog."""
    return make_uow_factory(engine)
