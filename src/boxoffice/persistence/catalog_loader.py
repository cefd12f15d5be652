"""Loads a catalog file into the database in one transaction, writing only what changed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, and_, bindparam, inspect, select, text, tuple_
from sqlalchemy.exc import IntegrityError
from sqlalchemy.types import TypeDecorator

from boxoffice.catalog_import import CatalogError, ParsedCatalog, read_catalog
from boxoffice.passwords import hash_password, verify_password
from boxoffice.persistence.catalog_tables import CATALOG_TABLES, catalog_meta, operators

# Keys per statement when deleting or checking holds: well under every driver's parameter limit.
CHUNK = 500
# Above this many rows PostgreSQL gets COPY instead of a statement per row.
BULK_ROWS = 1000
# Any constant shared by all loaders: PostgreSQL serializes concurrent loads on it.
LOAD_LOCK_KEY = 0x0B0C_A7A1


@dataclass
class LoadReport:
    """How many rows of each table a load added, updated, removed or left unchanged."""

    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    version: int = 0

    @property
    def changed(self) -> bool:
        return any(self.added.values()) or any(self.updated.values()) or any(self.removed.values())

    def __str__(self) -> str:
        return self.summary()

    def summary(self) -> str:
        """One line per table that has rows, for the command line."""
        lines = [f"catalog version {self.version}" + ("" if self.changed else " (unchanged)")]
        for table in CATALOG_TABLES:
            name = table.name
            counts = (
                self.added.get(name, 0),
                self.updated.get(name, 0),
                self.removed.get(name, 0),
                self.unchanged.get(name, 0),
            )
            if any(counts):
                lines.append(
                    f"  {name}: {counts[0]} added, {counts[1]} updated, "
                    f"{counts[2]} removed, {counts[3]} unchanged"
                )
        return "\n".join(lines)


@dataclass
class _Diff:
    table: Table
    inserts: list[dict[str, Any]]
    updates: list[dict[str, Any]]
    deletes: list[tuple[Any, ...]]
    unchanged: int


def load_catalog(engine: Engine, path_or_document: str | Path | Mapping[str, Any]) -> LoadReport:
    """Reads, checks and applies a catalog; raises CatalogError and changes nothing if refused."""
    parsed = read_catalog(path_or_document)
    try:
        with engine.begin() as connection:
            return apply_catalog(connection, parsed)
    except IntegrityError as error:
        # Rows of the order side may still point at something the file no longer has.
        first_line = str(error.orig).splitlines()[0] if error.orig else "constraint violated"
        raise CatalogError([f"the database refused the change: {first_line}"]) from error


def apply_catalog(connection: Connection, parsed: ParsedCatalog) -> LoadReport:
    """Applies parsed rows inside the caller's transaction (which must roll back on error)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOAD_LOCK_KEY})
    diffs = [
        _diff(connection, table, _desired(connection, table, parsed)) for table in CATALOG_TABLES
    ]
    by_name = {diff.table.name: diff for diff in diffs}
    _refuse_removing_held_places(connection, by_name)
    report = LoadReport()
    for diff in diffs:
        name = diff.table.name
        report.added[name] = len(diff.inserts)
        report.updated[name] = len(diff.updates)
        report.removed[name] = len(diff.deletes)
        report.unchanged[name] = diff.unchanged
        _write(connection, diff)
    # Children go before their parents, so that no foreign key is left dangling.
    for diff in reversed(diffs):
        _delete(connection, diff)
    report.version = _bump_version(connection, report.changed)
    return report


def _key_columns(table: Table) -> list[str]:
    return [column.name for column in table.primary_key.columns]


def _desired(connection: Connection, table: Table, parsed: ParsedCatalog) -> list[dict[str, Any]]:
    rows = parsed.rows.get(table.name, [])
    if table is not operators:
        return rows
    # A password the stored hash still verifies keeps that hash: no needless new salt.
    stored = dict(connection.execute(select(operators.c.login, operators.c.password_hash)).all())
    result = []
    for row in rows:
        old_hash = stored.get(row["login"])
        keep = old_hash is not None and verify_password(old_hash, row["password"])
        result.append(
            {
                "login": row["login"],
                "channel_id": row["channel_id"],
                "password_hash": old_hash if keep else hash_password(row["password"]),
                "administrator": row.get("administrator", False),
            }
        )
    return result


def _diff(connection: Connection, table: Table, desired: list[dict[str, Any]]) -> _Diff:
    keys = _key_columns(table)
    values = [column.name for column in table.columns if column.name not in keys]
    existing = {
        tuple(row[: len(keys)]): tuple(row[len(keys) :])
        for row in connection.execute(
            select(*[table.c[name] for name in keys], *[table.c[name] for name in values])
        )
    }
    inserts, updates, unchanged = [], [], 0
    for row in desired:
        key = tuple(row[name] for name in keys)
        old = existing.pop(key, None)
        if old is None:
            inserts.append(row)
        elif old != tuple(row[name] for name in values):
            updates.append(row)
        else:
            unchanged += 1
    return _Diff(table, inserts, updates, list(existing), unchanged)


def _write(connection: Connection, diff: _Diff) -> None:
    table = diff.table
    dialect = connection.dialect.name
    bulk = dialect == "postgresql"
    if diff.inserts:
        if bulk and len(diff.inserts) > BULK_ROWS:
            _copy(connection, table.name, diff.inserts)
        elif dialect == "sqlite" and len(diff.inserts) > BULK_ROWS and _plain(table):
            _insert_plain(connection, table.name, diff.inserts)
        else:
            connection.execute(table.insert(), diff.inserts)
    if diff.updates:
        if bulk and len(diff.updates) > BULK_ROWS:
            _bulk_update(connection, table, diff.updates)
        else:
            _update(connection, table, diff.updates)


def _update(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    keys = _key_columns(table)
    # Bound names differ from column names: SQLAlchemy reserves those for SET.
    statement = (
        table.update()
        .where(and_(*[table.c[name] == bindparam(f"key_{name}") for name in keys]))
        .values(
            {
                column.name: bindparam(f"new_{column.name}")
                for column in table.columns
                if column.name not in keys
            }
        )
    )
    connection.execute(
        statement,
        [
            {f"{'key' if name in keys else 'new'}_{name}": value for name, value in row.items()}
            for row in rows
        ],
    )


def _copy(connection: Connection, table_name: str, rows: list[dict[str, Any]]) -> None:
    # PostgreSQL runs executemany one row at a time; COPY takes 60,000 seats in under a second.
    quote = connection.dialect.identifier_preparer.quote
    columns = list(rows[0])
    statement = f"COPY {quote(table_name)} ({', '.join(map(quote, columns))}) FROM STDIN"
    driver_connection: Any = connection.connection.driver_connection
    with driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([row[name] for name in columns])


def _plain(table: Table) -> bool:
    """True when no column converts its values, so the driver may take them as they are."""
    return not any(isinstance(column.type, TypeDecorator) for column in table.columns)


def _insert_plain(connection: Connection, table_name: str, rows: list[dict[str, Any]]) -> None:
    # SQLAlchemy's per-row parameter handling costs more than SQLite's own insert here.
    quote = connection.dialect.identifier_preparer.quote
    columns = list(rows[0])
    # Names come from the table definitions, quoted: nothing a caller sends.
    connection.exec_driver_sql(
        f"INSERT INTO {quote(table_name)} ({', '.join(map(quote, columns))}) "  # noqa: S608
        f"VALUES ({', '.join('?' for _ in columns)})",
        [tuple(row[name] for name in columns) for row in rows],
    )


def _bulk_update(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    quote = connection.dialect.identifier_preparer.quote
    staging = f"catalog_staging_{table.name}"
    keys = _key_columns(table)
    connection.exec_driver_sql(
        f"CREATE TEMPORARY TABLE {quote(staging)} (LIKE {quote(table.name)}) ON COMMIT DROP"
    )
    _copy(connection, staging, rows)
    assignments = ", ".join(
        f"{quote(column.name)} = staged.{quote(column.name)}"
        for column in table.columns
        if column.name not in keys
    )
    matches = " AND ".join(f"target.{quote(name)} = staged.{quote(name)}" for name in keys)
    # Names come from the table definitions, quoted: nothing a caller sends.
    connection.exec_driver_sql(
        f"UPDATE {quote(table.name)} AS target SET {assignments} "  # noqa: S608
        f"FROM {quote(staging)} AS staged WHERE {matches}"
    )
    connection.exec_driver_sql(f"DROP TABLE {quote(staging)}")


def _delete(connection: Connection, diff: _Diff) -> None:
    if not diff.deletes:
        return
    key_columns = [diff.table.c[name] for name in _key_columns(diff.table)]
    for chunk in _chunks(diff.deletes):
        if len(key_columns) == 1:
            condition = key_columns[0].in_([key[0] for key in chunk])
        else:
            condition = tuple_(*key_columns).in_(chunk)
        connection.execute(diff.table.delete().where(condition))


def _refuse_removing_held_places(connection: Connection, diffs: Mapping[str, _Diff]) -> None:
    """Raises CatalogError when a seat, area or performance to remove is held by a live order."""
    targets = [
        ("seat", "seat_id", [key[0] for key in diffs["seats"].deletes]),
        ("area", "area_id", [key[0] for key in diffs["areas"].deletes]),
        ("performance", "performance_id", [key[0] for key in diffs["performances"].deletes]),
    ]
    if not any(ids for _, _, ids in targets):
        return
    if not inspect(connection).has_table("movements"):
        return
    if connection.dialect.name == "postgresql":
        # No order may take one of these places between the check and the removal.
        connection.execute(text("LOCK TABLE movements IN SHARE MODE"))
    problems: list[str] = []
    for label, column, ids in targets:
        held = sorted(_held(connection, column, ids))
        if held:
            listed = ", ".join(str(key) for key in held[:20])
            more = f" and {len(held) - 20} more" if len(held) > 20 else ""
            problems.append(
                f"cannot remove {label} {listed}{more}: held by live orders "
                f"(release or close those orders first, or keep the {label} in the file)"
            )
    if problems:
        raise CatalogError(problems)


def _held(connection: Connection, column: str, ids: Sequence[int]) -> set[int]:
    # Plain SQL: the movements table belongs to the order side, not to the catalog.
    # `column` is one of this module's own constants.
    statement = text(
        f"SELECT DISTINCT {column} FROM movements "  # noqa: S608
        f"WHERE state <> 'RELEASED' AND {column} IN :ids"
    ).bindparams(bindparam("ids", expanding=True))
    held: set[int] = set()
    for chunk in _chunks(ids):
        held.update(connection.execute(statement, {"ids": list(chunk)}).scalars())
    return held


def _bump_version(connection: Connection, changed: bool) -> int:
    current = connection.execute(
        select(catalog_meta.c.version).where(catalog_meta.c.meta_key == 1)
    ).scalar_one_or_none()
    if current is None:
        connection.execute(catalog_meta.insert().values(meta_key=1, version=1))
        return 1
    if changed:
        connection.execute(
            catalog_meta.update()
            .where(catalog_meta.c.meta_key == 1)
            .values(version=catalog_meta.c.version + 1)
        )
        return int(current) + 1
    return int(current)


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]
