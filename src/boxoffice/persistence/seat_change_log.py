"""The seat change log: what each inventory version of a performance took and released.

A transaction that changes a performance's seats bumps its `performance_inventory` version and,
in the same transaction, writes one `seat_changes` row at the new version. A process whose map
is at version v catches up to the current version V by applying the rows v+1..V in order; when
any of them is missing (purged, or written by an older release) it rebuilds the map instead.
Only the last KEPT_VERSIONS rows of a performance are kept, so the log stays bounded however
many calls are made: a process further behind than that simply rebuilds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from boxoffice.persistence.tables import performance_inventory, seat_changes

# Far more than a busy process falls behind between two of its calls on one performance.
KEPT_VERSIONS = 2048
# Purging costs one DELETE; done on one commit in PURGE_EVERY, it is nearly free.
PURGE_EVERY = 256


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
    """Bumps the performance's version and logs `net` (seat id -> taken) at it; the new version."""
    version = session.execute(
        update(performance_inventory)
        .where(performance_inventory.c.performance_id == performance_id)
        .values(version=performance_inventory.c.version + 1)
        .returning(performance_inventory.c.version)
    ).scalar_one()
    session.execute(insert(seat_changes).values(
        performance_id=performance_id, version=version,
        taken=_encode(seat for seat, taken in net.items() if taken),
        released=_encode(seat for seat, taken in net.items() if not taken),
    ))
    if version % PURGE_EVERY == 0:
        session.execute(delete(seat_changes).where(
            seat_changes.c.performance_id == performance_id,
            seat_changes.c.version <= version - KEPT_VERSIONS,
        ))
    return int(version)


def changes_since(session: Session, performance_id: int, known: int,
                  current: int) -> list[SeatChange] | None:
    """The changes from version `known` to `current`, in order; None when any is missing."""
    rows = session.execute(
        select(seat_changes.c.version, seat_changes.c.taken, seat_changes.c.released)
        .where(seat_changes.c.performance_id == performance_id,
               seat_changes.c.version > known, seat_changes.c.version <= current)
        .order_by(seat_changes.c.version)
    ).all()
    if [row.version for row in rows] != list(range(known + 1, current + 1)):
        return None
    return [SeatChange(row.version, _decode(row.taken), _decode(row.released)) for row in rows]
