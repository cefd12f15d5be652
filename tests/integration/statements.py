"""What an engine or a driver connection sends: the SQL text of each statement, recorded inside
a block."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import psycopg
from sqlalchemy import Engine, event


@contextmanager
def statements_sent(engine: Engine, *starts: str) -> Iterator[list[str]]:
    """The statements the engine sends inside the block, whitespace folded; with `starts`,
    only those beginning with one of them (case ignored)."""
    sent: list[str] = []
    wanted = tuple(start.upper() for start in starts)

    def record(_connection, _cursor, statement, *_rest):  # type: ignore[no-untyped-def]
        if not wanted or statement.lstrip().upper().startswith(wanted):
            sent.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def prepared_statements(engine: Engine) -> list[str]:
    """The statements prepared on the connection the engine hands out next (the only one, with
    `one_connection_engine`). Read in a committed transaction: at a rollback psycopg forgets
    them."""
    with engine.begin() as connection:
        prepared = connection.exec_driver_sql("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in prepared]


def writes_sent(engine: Engine) -> AbstractContextManager[list[str]]:
    """The writing statements the engine sends inside the block (a writer's CTE included)."""
    return statements_sent(engine, "INSERT", "UPDATE", "WITH")


_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')


@contextmanager
def wire_statements(driver_connection: Any) -> Iterator[list[str]]:
    """The statements a psycopg connection sends inside the block, as the server receives
    them (libpq's trace of the protocol): the text of each simple query and of each execution
    of a prepared one, whether SQLAlchemy or the driver's own cursor sent it."""
    sent: list[str] = []
    pgconn = driver_connection.pgconn
    with tempfile.TemporaryFile() as trace:
        pgconn.trace(trace.fileno())
        pgconn.set_trace_flags(psycopg.pq.Trace.SUPPRESS_TIMESTAMPS)
        try:
            yield sent
        finally:
            pgconn.untrace()
            trace.seek(0)
            prepared: dict[str, str] = {}
            bound = ""
            # One message per record; a statement's own line breaks continue its record.
            records = re.split(r"\n(?=[FB]\t)", trace.read().decode("utf-8", "replace"))
            for record in records:
                direction, _length, message, *rest = record.split("\t", 3)
                if direction != "F":
                    continue  # what the server answered
                texts = _QUOTED.findall(rest[0]) if rest else []
                if message == "Query":
                    sent.append(" ".join(texts[0].split()))
                elif message == "Parse":
                    prepared[texts[0]] = " ".join(texts[1].split())
                elif message == "Bind":
                    bound = prepared.get(texts[1], "")
                elif message == "Execute":
                    sent.append(bound)
