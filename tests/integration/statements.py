"""What an engine sends: the SQL text of each statement, recorded inside a block."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

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
