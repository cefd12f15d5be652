"""A call's new order, or its changed rows, written in one PostgreSQL statement.

Beside line_writer.py, which writes a sale's new lines under its performance's locks, the
rest of a sale was written by SQLAlchemy's flush, one statement per table: the create's file,
order and state history, the close's places, order and state history. Each is a round trip,
and the flush around them cost a quarter of a worker's interpreter during the stadium sale
(docs/performance.md, "Where the CPU goes"). Here the two common shapes are each written by
one statement, and the entities are left as if a flush had written them:

- a new order, in a new file or in one already written, with no lines, payments or contacts;
- changed columns of entities already written (files, orders, lines, places, payments), with
  nothing new or deleted in the session.

Anything else (new contacts or payments, a collection changed, a key changed) is left to
SQLAlchemy's flush, as is everything on SQLite. The statement also writes the state history
rows (state_history.py) of the orders it writes, whose history the flush then no longer sees.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import Column, Dialect, Select, Table, bindparam, insert, inspect, select, text
from sqlalchemy.orm import ColumnProperty, Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.sql.elements import TextClause
from sqlalchemy.sql.schema import ScalarElementColumnDefault

from boxoffice.domain.model import Order
from boxoffice.persistence.console_tables import order_state_history
from boxoffice.persistence.loaded_entities import attach_as_loaded
from boxoffice.persistence.metadata import metadata
from boxoffice.persistence.state_history import entered_state
from boxoffice.persistence.tables import files, movements, orders

_HISTORY_COLUMNS = ("order_id", "state", "changed_at")


def _values(table: Table, prefix: str) -> dict[str, Any]:
    """A typed placeholder for every column but the key, so that the columns' own bind
    processing (UTC datetimes, enums as their values) applies as in a flush."""
    return {
        column.name: bindparam(f"{prefix}{column.name}", type_=column.type)
        for column in table.columns
        if not column.primary_key
    }


@cache
def _new_order_statement(with_file: bool) -> Select[Any]:
    """The order's (and its new file's) INSERT with its history row; answers the new ids."""
    order_values = _values(orders, "order_")
    ctes = []
    if with_file:
        new_file = insert(files).values(_values(files, "file_")).returning(files.c.file_id)
        file_cte = new_file.cte("new_file")
        order_values["file_id"] = select(file_cte.c.file_id).scalar_subquery()
        ctes.append(file_cte)
    new_order = (
        insert(orders)
        .values(order_values)
        .returning(orders.c.order_id, orders.c.file_id)
        .cte("new_order")
    )
    history = insert(order_state_history).from_select(
        list(_HISTORY_COLUMNS),
        select(
            new_order.c.order_id,
            bindparam("history_state", type_=order_state_history.c.state.type),
            bindparam("history_changed_at", type_=order_state_history.c.changed_at.type),
        ),
    )
    return select(new_order.c.order_id, new_order.c.file_id).add_cte(*ctes, history.cte("history"))


def write_new_order(session: Session) -> bool:
    """Writes the session's new order (and new file) in one statement, if that is all that is
    new; answers whether it did."""
    new = list(session.new)
    if len(new) > 2 or session.deleted:
        return False
    order = next((instance for instance in new if isinstance(instance, Order)), None)
    if order is None or order.operations or order.payments:
        return False
    file = order.file
    file_is_new = any(instance is file for instance in new)
    if len(new) != 1 + file_is_new or (file_is_new and file.contacts):
        return False
    if not file_is_new and file.file_id is None:
        return False
    history = entered_state(order)
    if history is None:
        return False
    parameters = {f"order_{name}": value for name, value in _column_values(order, orders).items()}
    parameters["order_file_id"] = file.file_id
    if file_is_new:
        parameters.update(
            (f"file_{name}", value) for name, value in _column_values(file, files).items()
        )
    parameters["history_state"] = history["state"]
    parameters["history_changed_at"] = history["changed_at"]
    with session.no_autoflush:
        row = session.execute(_new_order_statement(file_is_new), parameters).one()
    written: list[Any] = [file, order] if file_is_new else [order]
    file.file_id = row.file_id
    order.order_id = row.order_id
    order.file_id = row.file_id  # type: ignore[attr-defined]  # mapped column
    attach_as_loaded(session, written)
    return True


def _column_values(instance: Any, table: Table) -> dict[str, Any]:
    """The instance's values of the table's columns but the key; a column left unset takes
    its scalar default, which is also set on the instance (a flush would do the same)."""
    values = {}
    for column in table.columns:
        if column.primary_key:
            continue
        value = getattr(instance, column.name, None)
        if value is None and isinstance(column.default, ScalarElementColumnDefault):
            value = column.default.arg
            setattr(instance, column.name, value)
        values[column.name] = value
    return values


# -- changed rows ----------------------------------------------------------------------------

Shape = tuple[tuple[str, tuple[str, ...]], ...]  # (table, changed columns) per group of rows


def write_changed_rows(session: Session) -> bool:
    """Writes the changed columns of the session's entities in one statement, if nothing is
    new or deleted and only columns changed; answers whether it did."""
    if session.new or session.deleted:
        return False
    dialect = session.get_bind().dialect
    groups: dict[tuple[str, tuple[str, ...]], list[tuple[Any, dict[str, Any]]]] = {}
    history = []
    for instance in session.dirty:
        changed = _changed_columns(instance)
        if changed is None:
            return False
        if not changed:
            continue
        table = inspect(instance).mapper.local_table
        assert isinstance(table, Table)
        key = _key_column(table)
        row = {key.name: getattr(instance, key.name)}
        for name in changed:
            row[name] = _bound(table.columns[name], getattr(instance, name), dialect)
        groups.setdefault((table.name, tuple(sorted(changed))), []).append((instance, row))
        if isinstance(instance, Order) and (entered := entered_state(instance)) is not None:
            history.append(
                {
                    name: _bound(order_state_history.columns[name], entered[name], dialect)
                    for name in _HISTORY_COLUMNS
                }
            )
    if not groups:
        return False
    shape: Shape = tuple(sorted(groups))
    try:
        parameters: dict[str, Any] = {}
        for index, group in enumerate(shape):
            rows = [row for _, row in groups[group]]
            key_name = _key_column(metadata.tables[group[0]]).name
            parameters[f"rows_{index}"] = json.dumps(rows, default=_json_value)
            parameters[f"keys_{index}"] = [row[key_name] for row in rows]
        parameters["history"] = json.dumps(history, default=_json_value)
    except TypeError:
        return False  # a value JSON cannot carry as it is: the flush writes it
    with session.no_autoflush:
        counts = session.execute(_update_statement(shape, dialect), parameters).one()
    for index, group in enumerate(shape):
        if counts[index] != len(groups[group]):
            raise StaleDataError(
                f"{group[0]}: {counts[index]} rows updated, {len(groups[group])} expected"
            )
    for (_, names), written in groups.items():
        for instance, _ in written:
            for name in names:
                # Committed as written: the flush that follows sees nothing changed.
                set_committed_value(instance, name, getattr(instance, name))
    return True


def _changed_columns(instance: Any) -> list[str] | None:
    """The columns whose value changed, or None when anything else changed: a collection or
    reference, the key, or an entity that is not a mapped row of a table of ours."""
    state = inspect(instance)
    mapper = state.mapper
    table = mapper.local_table
    if not isinstance(table, Table) or table.metadata is not metadata:
        return None
    changed = []
    for key in _changed_keys(instance):
        attribute = mapper.attrs[key]
        if not isinstance(attribute, ColumnProperty):
            return None  # a collection or a reference
        column = attribute.columns[0]
        if column.primary_key or column.table is not table or column.name != attribute.key:
            return None
        if column is movements.c.seat_id:
            # A place moved to another seat: the live-seat index is checked row by row, and the
            # flush's order (a seat freed before it is taken) is then what makes it pass.
            return None
        changed.append(column.name)
    return changed


def _key_column(table: Table) -> Column[Any]:
    (key,) = table.primary_key.columns
    return key


def _bound(column: Column[Any], value: Any, dialect: Dialect) -> Any:
    """The value as a flush would send it (the column type's bind processing)."""
    process = _processor(column, dialect)
    return process(value) if process is not None and value is not None else value


@lru_cache(maxsize=256)
def _processor(column: Column[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    return column.type.bind_processor(dialect)


def _json_value(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not written by order_writer")


@lru_cache(maxsize=64)
def _update_statement(shape: Shape, dialect: Dialect) -> TextClause:
    """One UPDATE per group of rows, each reading its rows from a JSON array, and the history
    rows' INSERT; answers how many rows each UPDATE wrote. A shape is a set of changed columns
    per table, so that few statements are ever built (at most 64 are kept)."""
    quote = dialect.identifier_preparer.quote
    # Every name below is one of our tables' or columns', quoted; the values are all bound.
    updates = []
    for index, (table_name, names) in enumerate(shape):
        table = metadata.tables[table_name]
        key_column = _key_column(table)
        key = quote(key_column.name)
        key_type = key_column.type.compile(dialect=dialect)
        record = ", ".join(
            f"{quote(name)} {table.columns[name].type.compile(dialect=dialect)}"
            for name in (key_column.name, *names)
        )
        assignments = ", ".join(f"{quote(name)} = given.{quote(name)}" for name in names)
        updates.append(
            f"updated_{index} AS (UPDATE {quote(table_name)} AS target SET {assignments}"  # noqa: S608
            f" FROM jsonb_to_recordset(CAST(:rows_{index} AS jsonb)) AS given({record})"
            f" WHERE target.{key} = given.{key}"
            # The keys again, as an array the primary key index is searched by: joined to
            # the JSON rows alone, whose count the planner cannot know, the table was read
            # whole (a hash join) until it outgrew what the statistics said of it.
            f" AND target.{key} = ANY(CAST(:keys_{index} AS {key_type}[])) RETURNING 1)"
        )
    columns = ", ".join(_HISTORY_COLUMNS)
    history_record = ", ".join(
        f"{name} {order_state_history.columns[name].type.compile(dialect=dialect)}"
        for name in _HISTORY_COLUMNS
    )
    updates.append(
        f"history AS (INSERT INTO order_state_history ({columns}) SELECT {columns}"  # noqa: S608
        f" FROM jsonb_to_recordset(CAST(:history AS jsonb)) AS given({history_record}))"
    )
    counts = ", ".join(
        f"(SELECT count(*) FROM updated_{index})"  # noqa: S608
        for index in range(len(shape))
    )
    return text(f"WITH {', '.join(updates)} SELECT {counts}")


def settle_unchanged(session: Session) -> None:
    """Marks clean the entities the writers left with nothing to write.

    An entity the domain touched stays flagged as modified after its columns were written and
    committed as written (or when it was set back to what it was), and SQLAlchemy's flush then
    walks it through its whole unit of work to find nothing to write: about a tenth of a sale's
    profiled CPU (docs/performance.md, stop 28). Attached again as loaded, as the writers
    attach the entities they wrote, it loses the flag, so that the flush has nothing to do.
    """
    attach_as_loaded(
        session, [instance for instance in session.dirty if not _changed_keys(instance)]
    )


def _changed_keys(instance: Any) -> list[str]:
    """The attributes whose value differs from the stored one."""
    state = inspect(instance)
    # Only the attributes set since the load are in committed_state: the rest cannot differ;
    # one set back to what it was has no change.
    return [key for key in state.committed_state if state.attrs[key].history.has_changes()]
