"""The database's schema: created new at the current revision, checked, or upgraded (Alembic).

Every command that opens the database for work (serve, demo, catalog load, ...) calls
`create_schema`: an empty database gets every table at once and is stamped with the newest
revision; a database at the newest revision is used as it is; any other is refused with a
message naming `boxoffice db upgrade`, which runs the migrations (`upgrade_database`).
A database made before migrations existed (release 0.1.0 and the builds after it) carries no
revision: it is taken to be at 0001 and upgraded from there.
"""

from __future__ import annotations

import enum
import functools
import logging
from dataclasses import dataclass
from pathlib import Path

import structlog
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import ResolutionError
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, MetaData, inspect, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.schema import AddConstraint

from boxoffice.persistence.metadata import metadata

log = structlog.get_logger("boxoffice.persistence")
# Alembic logs each context it opens at INFO; our own events say what was done.
logging.getLogger("alembic").setLevel(logging.WARNING)

UPGRADE_COMMAND = "boxoffice db upgrade"
MIGRATIONS_DIRECTORY = Path(__file__).parent / "migrations"
# The revision of release 0.1.0's schema: where a database without a revision starts.
BASE_REVISION = "0001"
# Serialises schema work on PostgreSQL: workers starting together create the tables once.
_SCHEMA_LOCK_KEY = 0x626F78_5343484D  # "box" "SCHM"


class SchemaNotCurrent(RuntimeError):
    """The database is not at the schema this version uses; the message says what to do."""


class SchemaState(enum.Enum):
    EMPTY = "empty"
    UNVERSIONED = "created before migrations"
    CURRENT = "current"
    BEHIND = "behind"
    UNKNOWN = "unknown revision"


@dataclass(frozen=True)
class SchemaStatus:
    state: SchemaState
    revision: str | None
    head: str

    def describe(self) -> str:
        revision = self.revision or "none"
        return f"revision {revision}, current {self.head} ({self.state.value})"


def table_metadata() -> MetaData:
    """The one MetaData with every table of the application in it."""
    # Tables join the shared metadata when their module is imported; bring them all in.
    import boxoffice.persistence.catalog_tables
    import boxoffice.persistence.console_tables
    import boxoffice.persistence.record_tables
    import boxoffice.persistence.tables  # noqa: F401  (F401: imported for its tables)

    return metadata


def alembic_config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, built here: the migrations ship inside the package."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIRECTORY))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.cache
def _scripts() -> ScriptDirectory:
    # Read once per process: the readiness probe asks for the head on every call.
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = _scripts().get_current_head()
    assert head is not None, "the migrations directory has no revision"
    return head


def schema_status(connection: Connection) -> SchemaStatus:
    head = head_revision()
    tables = set(inspect(connection).get_table_names()) - {"alembic_version"}
    revision = MigrationContext.configure(connection).get_current_revision()
    if not tables:
        state = SchemaState.EMPTY
    elif revision is None:
        state = SchemaState.UNVERSIONED
    elif revision == head:
        state = SchemaState.CURRENT
    elif _known(revision):
        state = SchemaState.BEHIND
    else:
        state = SchemaState.UNKNOWN
    return SchemaStatus(state, revision, head)


def create_schema(engine: Engine) -> SchemaStatus:
    """Creates a new database at the current schema, or checks an existing one is current.

    Raises SchemaNotCurrent, naming `boxoffice db upgrade`, for a database that is behind.
    A missing guard against double sales (the live-seat index) is put back.
    """
    with engine.begin() as connection:
        _lock_schema(connection)
        status = schema_status(connection)
        if status.state is SchemaState.EMPTY:
            _create_current(connection)
        elif status.state is not SchemaState.CURRENT:
            raise SchemaNotCurrent(_refusal(status))
        restore_guards(connection)
        return schema_status(connection)


def upgrade_database(engine: Engine) -> tuple[SchemaStatus, SchemaStatus]:
    """Brings the database to the current schema in one transaction; (before, after)."""
    with engine.begin() as connection:
        _lock_schema(connection)
        before = schema_status(connection)
        if before.state is SchemaState.UNKNOWN:
            raise SchemaNotCurrent(
                f"The database is at revision {before.revision}, which this version of "
                "boxoffice does not know: it was upgraded by a newer version. Run that one."
            )
        if before.state is SchemaState.EMPTY:
            _create_current(connection)
        else:
            if before.state is SchemaState.UNVERSIONED:
                MigrationContext.configure(connection).stamp(_scripts(), BASE_REVISION)
            command.upgrade(alembic_config(connection), "head")
        restore_guards(connection)
        after = schema_status(connection)
    log.info("schema_upgraded", before=before.revision, after=after.revision)
    return before, after


def restore_guards(connection: Connection) -> None:
    """Puts back the database's guards against a double sale if an old version dropped them.

    Versions before 0.2 dropped the live-seat unique index (and on PostgreSQL the stock CHECK)
    when a test-only switch was set, and nothing put them back.
    """
    from boxoffice.persistence.tables import LIVE_SEAT_INDEX, STOCK_CHECK, movements, stocks

    inspector = inspect(connection)
    if LIVE_SEAT_INDEX not in {index["name"] for index in inspector.get_indexes("movements")}:
        (index,) = (index for index in movements.indexes if index.name == LIVE_SEAT_INDEX)
        try:
            with connection.begin_nested():
                index.create(connection)
        except IntegrityError as error:
            raise SchemaNotCurrent(
                f"The unique index {LIVE_SEAT_INDEX} is missing and cannot be put back: some "
                "seat is held or sold twice. Resolve the duplicates, then start again."
            ) from error
        log.warning("seat_guard_restored", index=LIVE_SEAT_INDEX)
    if connection.dialect.name != "postgresql":
        return  # SQLite cannot drop a CHECK: it was never lost there.
    checks = {check["name"] for check in inspector.get_check_constraints("stocks")}
    if STOCK_CHECK not in checks:
        (check,) = (c for c in stocks.constraints if c.name == STOCK_CHECK)
        connection.execute(AddConstraint(check))
        log.warning("seat_guard_restored", constraint=STOCK_CHECK)


def _create_current(connection: Connection) -> None:
    table_metadata().create_all(connection)
    MigrationContext.configure(connection).stamp(_scripts(), "head")
    log.info("schema_created", revision=head_revision())


def _known(revision: str) -> bool:
    try:
        return _scripts().get_revision(revision) is not None
    except (ResolutionError, CommandError):
        return False


def _lock_schema(connection: Connection) -> None:
    # SQLite: the engine's BEGIN IMMEDIATE already holds the one write lock.
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK_KEY})


def _refusal(status: SchemaStatus) -> str:
    if status.state is SchemaState.UNKNOWN:
        return (
            f"The database is at revision {status.revision}, newer than this version of "
            f"boxoffice knows (current: {status.head}). Run the newer version."
        )
    return (
        f"The database schema is behind ({status.describe()}). "
        f"Back it up, then run `{UPGRADE_COMMAND}` (same BOXOFFICE_DATABASE_URL) and start again."
    )
