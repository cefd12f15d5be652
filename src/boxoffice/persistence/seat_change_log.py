"""The seat change log: what each inventory version of a performance took and released.

A transaction that changes a performance's seats bumps its `performance_inventory` version and,
in the same transaction, writes one `seat_changes` row at the new version. A process whose map
is at version v catches up to the current version V by applying the rows v+1..V in order; when
any of them is missing (purged, or written by an older release) it rebuilds the map instead.
Only the last KEPT_VERSIONS rows of a performance are kept, so the log stays bounded however
many calls are made: a process further behind than that simply rebuilds.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from boxoffice.persistence.tables import performance_inventory, seat_changes

# Far more than a busy process falls behind between two of its calls on one performance.
KEPT_VERSIONS = 2048
# Purging costs one DELETE; done on one commit in PURGE_EVERY, it is nearly free.
PURGE_EVERY = 256


@dataclass(frozen=True)
class _Logged:
    """A change as the log's rows give it (seat ids still encoded)."""

    change: int
    taken: str
    released: str


@dataclass(frozen=True)
class SeatChange:
    """The seats one version took and released."""

    version: int
    taken: tuple[int, ...]
    released: tuple[int, ...]


def _encode(seat_ids: Iterable[int]) -> str:
    return ",".join(str(seat_id) for seat_id in sorted(seat_ids))


def _decode(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",")) if text else ()


def record(session: Session, performance_id: int, net: Mapping[int, bool]) -> int:
    """Bumps the performance's version and logs `net` (seat id -> taken) at it; the new version.

    On PostgreSQL both happen in one statement, so the inventory lock is held one round trip
    less; elsewhere in two.
    """
    # Parameter names differ from the columns': SQLAlchemy keeps those for VALUES and SET.
    values = log_parameters(performance_id, net)
    values["performance"] = values.pop("bump_performance_id")
    if session.get_bind().dialect.name == "postgresql":
        version = session.execute(_BUMP_AND_LOG, values).scalar_one()
    else:
        version = session.execute(_BUMP, values).scalar_one()
        session.execute(
            _LOG,
            {
                "performance_id": performance_id,
                "version": version,
                "taken": values["seats_taken"],
                "released": values["seats_released"],
            },
        )
    purge_if_due(session, performance_id, version)
    return int(version)


def purge_if_due(session: Session, performance_id: int, version: int) -> None:
    """Drops the rows older than KEPT_VERSIONS, on one version in PURGE_EVERY."""
    if version % PURGE_EVERY == 0:
        session.execute(
            delete(seat_changes).where(
                seat_changes.c.performance_id == performance_id,
                seat_changes.c.version <= version - KEPT_VERSIONS,
            )
        )


# The bump and its log row as parts (CTEs) of another PostgreSQL statement, the one that writes
# a sale's new lines (line_writer.py); the same as _BUMP_AND_LOG below. With no performance
# given (NULL) they change nothing.
BUMPED_SQL = """
    UPDATE performance_inventory SET version = version + 1, last_version = version + 1,
        last_taken = :seats_taken, last_released = :seats_released
    WHERE performance_id = :bump_performance_id
    RETURNING performance_id, version
"""
LOGGED_SQL = """
    INSERT INTO seat_changes (performance_id, version, taken, released)
    SELECT performance_id, version, :seats_taken, :seats_released FROM bumped
"""


def log_parameters(performance_id: int | None, net: Mapping[int, bool]) -> dict[str, Any]:
    """The values BUMPED_SQL and LOGGED_SQL are bound to."""
    return {
        "bump_performance_id": performance_id,
        "seats_taken": _encode(seat for seat, is_taken in net.items() if is_taken),
        "seats_released": _encode(seat for seat, is_taken in net.items() if not is_taken),
    }


# The statements a sale runs while it holds the performance's locks are built once, here:
# building and keying one each time cost a good part of running it, and every other sale of
# the performance waited for that too.
_BUMP = (
    update(performance_inventory)
    .where(performance_inventory.c.performance_id == bindparam("performance"))
    .values(
        version=performance_inventory.c.version + 1,
        last_version=performance_inventory.c.version + 1,
        last_taken=bindparam("seats_taken", type_=seat_changes.c.taken.type),
        last_released=bindparam("seats_released", type_=seat_changes.c.released.type),
    )
    .returning(performance_inventory.c.version)
)
_LOG = insert(seat_changes)
_BUMPED = _BUMP.cte("bumped")
_BUMP_AND_LOG = (
    insert(seat_changes)
    .from_select(
        ["performance_id", "version", "taken", "released"],
        select(
            bindparam("performance", type_=seat_changes.c.performance_id.type),
            _BUMPED.c.version,
            bindparam("seats_taken", type_=seat_changes.c.taken.type),
            bindparam("seats_released", type_=seat_changes.c.released.type),
        ),
    )
    .returning(seat_changes.c.version)
)


@functools.cache
def _version_and_changes(lock: bool) -> Select[Any]:
    """The version row joined to the changes after version `known` (one round trip)."""
    inventory = performance_inventory
    joined = inventory.outerjoin(
        seat_changes,
        and_(
            seat_changes.c.performance_id == inventory.c.performance_id,
            seat_changes.c.version > bindparam("known"),
        ),
    )
    statement = (
        select(
            inventory.c.version,
            inventory.c.last_version,
            inventory.c.last_taken,
            inventory.c.last_released,
            seat_changes.c.version.label("change"),
            seat_changes.c.taken,
            seat_changes.c.released,
        )
        .select_from(joined)
        .where(inventory.c.performance_id == bindparam("performance_id"))
        .order_by(seat_changes.c.version)
    )
    return statement.with_for_update(of=inventory) if lock else statement


def locked_version(
    session: Session, performance_id: int, known: int | None, *, lock: bool
) -> tuple[int | None, list[SeatChange] | None]:
    """The performance's version, locked when `lock`, and the changes since version `known`.

    One round trip for both. The version is None when the performance has no inventory row
    yet; the changes are None when `known` is None or when any of them is missing.
    """
    inventory = performance_inventory
    if known is None:
        statement = select(inventory.c.version).where(inventory.c.performance_id == performance_id)
        if lock:
            statement = statement.with_for_update()
        version = session.execute(statement).scalar_one_or_none()
        return (None if version is None else int(version)), None
    rows = session.execute(
        _version_and_changes(lock), {"performance_id": performance_id, "known": known}
    ).all()
    if not rows:
        return None, None
    newest = rows[0]
    current = int(newest.version)
    wanted = list(range(known + 1, current + 1))
    logged: Sequence[Any] = [
        row for row in rows if row.change is not None and row.change <= current
    ]
    if [row.change for row in logged] != wanted and lock:
        # After waiting for the row lock, PostgreSQL (READ COMMITTED) returns the version row
        # as the transaction it waited for committed it, but the changes joined to it come
        # from the statement's snapshot, taken before the wait: the newest are missing.
        if [row.change for row in logged] == wanted[:-1] and newest.last_version == current:
            # Only the newest, the sale waited for, which left it on the row: no more reading.
            logged = [*logged, _Logged(current, newest.last_taken, newest.last_released)]
        else:
            # Several, or a row without its newest change: a second statement takes a new
            # snapshot, with the lock now held, and sees them all; without it every sale that
            # waited would rebuild the whole map.
            logged = session.execute(
                select(
                    seat_changes.c.version.label("change"),
                    seat_changes.c.taken,
                    seat_changes.c.released,
                )
                .where(
                    seat_changes.c.performance_id == performance_id,
                    seat_changes.c.version > known,
                    seat_changes.c.version <= current,
                )
                .order_by(seat_changes.c.version)
            ).all()
    if [row.change for row in logged] != wanted:
        return current, None
    return current, [
        SeatChange(row.change, _decode(row.taken), _decode(row.released)) for row in logged
    ]
