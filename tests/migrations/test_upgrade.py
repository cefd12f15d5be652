"""Migrations: a release 0.1.0 database upgrades with every order intact; the migrations and
the table definitions agree (CI fails when they do not); an old database is refused."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, MetaData, inspect, text

from boxoffice.domain.states import OrderState
from boxoffice.persistence.catalog_repository import CatalogCache, SqlCatalogRepository
from boxoffice.persistence.engine import create_engine_for
from boxoffice.persistence.schema import (
    BASE_REVISION,
    SchemaNotCurrent,
    SchemaState,
    alembic_config,
    create_schema,
    head_revision,
    schema_status,
    table_metadata,
    upgrade_database,
)
from boxoffice.persistence.tables import LIVE_SEAT_INDEX
from boxoffice.persistence.unit_of_work import make_unit_of_work_factory
from tests.migrations.release_0_1_0 import (
    create_release_0_1_0_schema,
    release_0_1_0_columns,
    write_orders,
)

# What each order of the 0.1.0 database must still be: state, paid amount, barcodes.
EXPECTED_ORDERS = {
    1: (OrderState.CLOSED, 90000, ["BC00100001", "BC00100002"]),
    2: (OrderState.CLOSED, 45000, ["BC00200003"]),
    3: (OrderState.RUNNING, 0, []),
    4: (OrderState.ABANDONED, 0, []),
    5: (OrderState.EXPIRED, 0, []),
}


@pytest.fixture
def engine_on(database_url: str) -> Iterator[Engine]:
    engine = create_engine_for(database_url)
    try:
        yield engine
    finally:
        engine.dispose()


def differences(engine: Engine, metadata: MetaData) -> list[object]:
    """What Alembic's autogenerate would write to turn the database into `metadata`."""
    with engine.connect() as connection:
        return list(compare_metadata(MigrationContext.configure(connection), metadata))


def test_a_release_0_1_0_database_upgrades_and_every_order_reads_back_unchanged(
    database_url: str, engine_on: Engine
) -> None:
    create_release_0_1_0_schema(database_url)
    write_orders(engine_on)
    before = release_0_1_0_columns(engine_on)

    with pytest.raises(SchemaNotCurrent, match="boxoffice db upgrade"):
        create_schema(engine_on)
    old, new = upgrade_database(engine_on)

    assert (old.state, old.revision) == (SchemaState.UNVERSIONED, None)
    assert (new.state, new.revision) == (SchemaState.CURRENT, head_revision())
    assert release_0_1_0_columns(engine_on) == before
    uow_factory = make_unit_of_work_factory(
        engine_on, lambda session: SqlCatalogRepository(session, CatalogCache())
    )
    with uow_factory() as uow:
        for order_id, (state, paid, barcodes) in EXPECTED_ORDERS.items():
            order = uow.orders.get_unscoped(order_id)
            assert order is not None
            assert (order.state, order.paid_amount) == (state, paid)
            assert (
                sorted(m.barcode for op in order.operations for m in op.movements if m.barcode)
                == barcodes
            )
    with engine_on.connect() as connection:
        administrators = connection.execute(text("SELECT administrator FROM operators")).all()
    assert [bool(row[0]) for row in administrators] == [False]
    assert differences(engine_on, table_metadata()) == []
    create_schema(engine_on)  # now accepted


def test_migrations_from_an_empty_database_match_the_table_definitions(engine_on: Engine) -> None:
    with engine_on.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    assert differences(engine_on, table_metadata()) == []


def test_migration_0001_creates_exactly_the_schema_of_release_0_1_0(
    database_url: str, engine_on: Engine, tmp_path_factory: pytest.TempPathFactory
) -> None:
    with engine_on.begin() as connection:
        command.upgrade(alembic_config(connection), BASE_REVISION)
    migrated = MetaData()
    migrated.reflect(engine_on)
    migrated.remove(migrated.tables["alembic_version"])
    with engine_on.begin() as connection:
        connection.execute(text("DROP TABLE alembic_version"))
        for table in reversed(migrated.sorted_tables):
            connection.execute(text(f"DROP TABLE {table.name}"))
    create_release_0_1_0_schema(database_url)
    # The 0.1.0 database, compared against what migration 0001 created: nothing to change.
    assert differences(engine_on, migrated) == []
    assert set(migrated.tables) == set(inspect(engine_on).get_table_names())


def test_a_current_database_missing_the_seat_index_gets_it_back(engine_on: Engine) -> None:
    create_schema(engine_on)
    with engine_on.begin() as connection:
        connection.execute(text(f"DROP INDEX {LIVE_SEAT_INDEX}"))
    create_schema(engine_on)
    assert LIVE_SEAT_INDEX in {
        index["name"] for index in inspect(engine_on).get_indexes("movements")
    }


def test_an_upgrade_puts_back_the_seat_index_an_old_version_dropped(
    database_url: str, engine_on: Engine
) -> None:
    create_release_0_1_0_schema(database_url)
    with engine_on.begin() as connection:
        connection.execute(text(f"DROP INDEX {LIVE_SEAT_INDEX}"))
    upgrade_database(engine_on)
    assert LIVE_SEAT_INDEX in {
        index["name"] for index in inspect(engine_on).get_indexes("movements")
    }
    assert differences(engine_on, table_metadata()) == []


def test_a_database_at_an_unknown_revision_is_refused(engine_on: Engine) -> None:
    create_schema(engine_on)
    with engine_on.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        assert schema_status(connection).state is SchemaState.UNKNOWN
    with pytest.raises(SchemaNotCurrent, match="newer"):
        create_schema(engine_on)
    with pytest.raises(SchemaNotCurrent, match="newer"):
        upgrade_database(engine_on)
