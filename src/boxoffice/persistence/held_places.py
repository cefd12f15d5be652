"""What a sales channel's live orders hold, counted for the hold caps (service/hold_caps.py).

Every sale counts it under its performance's locks, after its new lines are written. On
PostgreSQL the count rides along in the statement that writes those lines (line_writer.py),
which leaves it in the session for the repository to answer from: one round trip fewer while
every other sale of the performance waits. Elsewhere, or when something else was written
after it, the count is a statement of its own. Both forms of the count are defined here, side
by side, and tests/integration/test_line_writer.py checks they agree.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from sqlalchemy import bindparam, func, or_, select, text
from sqlalchemy.orm import Session

from boxoffice.domain.states import MovementState
from boxoffice.persistence.tables import LIVE_ORDER_PREDICATE, movements, operations, orders

# The statement of its own, built once.
HELD_PLACES = (
    select(movements.c.performance_id, movements.c.item_id, func.count())
    .join(operations, operations.c.operation_id == movements.c.operation_id)
    .join(orders, orders.c.order_id == operations.c.order_id)
    .where(
        orders.c.channel_id == bindparam("channel_id"),
        # Literal states: only so do both databases know the partial index of live orders
        # covers the count (tables.py).
        text(f"orders.{LIVE_ORDER_PREDICATE}"),
        movements.c.state != MovementState.RELEASED.value,
        or_(
            movements.c.performance_id.in_(bindparam("performance_ids", expanding=True)),
            movements.c.item_id.in_(bindparam("item_ids", expanding=True)),
        ),
    )
    .group_by(movements.c.performance_id, movements.c.item_id)
)

# The same count as a part of another PostgreSQL statement (ids as arrays); it sees the
# database as it was before that statement's own writes.
HELD_PLACES_SQL = f"""
    SELECT place.performance_id, place.item_id, count(*) AS held
    FROM movements AS place
    JOIN operations AS line ON line.operation_id = place.operation_id
    JOIN orders AS held_by ON held_by.order_id = line.order_id
    WHERE held_by.channel_id = :channel_id
      AND held_by.{LIVE_ORDER_PREDICATE}
      AND place.state <> '{MovementState.RELEASED.value}'
      AND (place.performance_id = ANY(CAST(:performance_ids AS bigint[]))
           OR place.item_id = ANY(CAST(:item_ids AS bigint[])))
    GROUP BY place.performance_id, place.item_id
"""  # noqa: S608 (constants of this module only; values are bound)


@dataclass
class HeldPlaces:
    """Places per performance and units per item that one channel's live orders hold."""

    channel_id: int
    performance_ids: frozenset[int]  # what was counted, held or not
    item_ids: frozenset[int]
    places: dict[int, int] = field(default_factory=dict)
    units: dict[int, int] = field(default_factory=dict)

    def add(self, performance_id: int | None, item_id: int | None, count: int) -> None:
        if item_id is not None:
            self.units[item_id] = self.units.get(item_id, 0) + count
        elif performance_id is not None:
            self.places[performance_id] = self.places.get(performance_id, 0) + count

    def answers(
        self, channel_id: int, performance_ids: Iterable[int], item_ids: Iterable[int]
    ) -> bool:
        return (
            channel_id == self.channel_id
            and self.performance_ids.issuperset(performance_ids)
            and self.item_ids.issuperset(item_ids)
        )


def count_held_places(
    session: Session, channel_id: int, performance_ids: Collection[int], item_ids: Collection[int]
) -> HeldPlaces:
    """The count, from what the last write of the session left, else by a statement."""
    known = session.info.get(_LEFT_BY_LAST_WRITE)
    if isinstance(known, HeldPlaces) and known.answers(channel_id, performance_ids, item_ids):
        return known
    held = HeldPlaces(channel_id, frozenset(performance_ids), frozenset(item_ids))
    rows = session.execute(
        HELD_PLACES,
        {
            "channel_id": channel_id,
            "performance_ids": list(performance_ids),
            "item_ids": list(item_ids),
        },
    )
    for performance_id, item_id, count in rows:
        held.add(performance_id, item_id, count)
    return held


# Where the session keeps the count its last write left (line_writer.py).
_LEFT_BY_LAST_WRITE = "boxoffice.held_places"


def leave_count(session: Session, held: HeldPlaces | None) -> None:
    """Keeps `held` as the count for the next reader, or forgets any (None)."""
    if held is None:
        session.info.pop(_LEFT_BY_LAST_WRITE, None)
    else:
        session.info[_LEFT_BY_LAST_WRITE] = held
