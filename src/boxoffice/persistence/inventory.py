"""Seat maps and counted stocks in the database, locked for the transaction that uses them.

Building a seat map for a 60,000-seat venue is costly, so each process keeps the last map of
every performance with the version of its `performance_inventory` row. A transaction that uses a
map bumps that version at commit; any process whose cached version differs rebuilds the map from
the live movements. Within a process a lock per performance keeps one transaction at a time on a
map, from handing it out until commit or rollback, because the map is changed in memory before the
database is.

Every wait is bounded: the process lock by `SeatMapCache.lock_timeout`, the database locks by
the engine's lock timeout; past it the unit of work refuses the call with error.order.busy.
Race tests build their server with `SeatMapCache(guarded=False)` (tests/unguarded.py), which
removes the locks and the version check so that a test can watch the double sale they prevent.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import Select, and_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from boxoffice.domain.allocation import SeatMap, VenueLayout
from boxoffice.domain.catalog import Area, Item, Performance
from boxoffice.domain.inventory import Stock
from boxoffice.domain.lines import Movement
from boxoffice.domain.states import MovementState
from boxoffice.persistence.engine import lock_timeout_seconds
from boxoffice.persistence.tables import movements, performance_inventory, stocks


class LayoutSource(Protocol):
    """The one thing this module asks of the catalog repository."""

    def venue_layout(self, venue_id: int) -> VenueLayout: ...


class SeatMapBusy(RuntimeError):
    """A performance's seat map stayed in use by another transaction for too long.

    The unit of work answers it, like a database lock timeout, with ResourceBusy.
    """


@dataclass(frozen=True)
class CachedSeatMap:
    version: int
    layout: VenueLayout
    seat_map: SeatMap


class SeatMapCache:
    """The seat maps one process keeps between transactions, and its lock per performance."""

    def __init__(self, lock_timeout: float | None = None, *, guarded: bool = True) -> None:
        # The same bound as PostgreSQL's lock_timeout: this lock is taken before the row lock.
        self.lock_timeout = lock_timeout if lock_timeout is not None else lock_timeout_seconds()
        # Off only in race tests, which build their server with it (tests/unguarded.py);
        # nothing in the environment can turn it off.
        self.guarded = guarded
        self._entries: dict[int, CachedSeatMap] = {}
        self._locks: dict[int, threading.Lock] = {}
        self._guard = threading.Lock()

    def lock_for(self, performance_id: int) -> threading.Lock:
        if not self.guarded:
            return threading.Lock()  # nobody else ever waits on it
        with self._guard:
            return self._locks.setdefault(performance_id, threading.Lock())

    def get(self, performance_id: int) -> CachedSeatMap | None:
        return self._entries.get(performance_id)

    def put(self, performance_id: int, entry: CachedSeatMap) -> None:
        self._entries[performance_id] = entry

    def drop(self, performance_id: int) -> None:
        self._entries.pop(performance_id, None)

    def clear(self) -> None:
        self._entries.clear()


@dataclass
class _HeldSeatMap:
    version: int
    layout: VenueLayout
    seat_map: SeatMap
    lock: threading.Lock
    mutations_when_handed_out: int

    @property
    def changed(self) -> bool:
        return self.seat_map.mutations != self.mutations_when_handed_out


@dataclass
class _HeldStock:
    stock: Stock
    stored_capacity: int
    stored_taken: int


class SqlInventoryRepository:
    """The InventoryRepository of the service layer, on one SQLAlchemy session."""

    def __init__(self, session: Session, catalog_repository: LayoutSource,
                 seat_map_cache: SeatMapCache) -> None:
        self.session = session
        self.catalog = catalog_repository
        self.cache = seat_map_cache
        self._seat_maps: dict[int, _HeldSeatMap] = {}
        self._stocks: dict[str, _HeldStock] = {}
        # Performances whose seat movements this transaction wrote, map or no map.
        self._touched: set[int] = set()

    # -- seats --------------------------------------------------------------------------

    def seat_map(self, performance: Performance) -> SeatMap:
        """The performance's seat availability, current and locked until the transaction ends."""
        performance_id = performance.performance_id
        held = self._seat_maps.get(performance_id)
        if held is not None:
            return held.seat_map
        if self._is_sqlite:
            # On SQLite the database lock is taken at BEGIN; take it before the process lock
            # too, so that both kinds of lock are always acquired in one order.
            self.session.connection()
        lock = self.cache.lock_for(performance_id)
        if not lock.acquire(timeout=self.cache.lock_timeout):
            raise SeatMapBusy(f"The seat map of performance {performance_id} stayed busy.")
        try:
            version = self._lock_inventory_row(performance_id)
            layout = self.catalog.venue_layout(performance.venue_id)
            cached = self.cache.get(performance_id)
            # Unguarded, a stale map is trusted: the double sale a race test must see.
            current = cached is not None and (cached.version == version or not self.cache.guarded)
            if cached is not None and current and cached.layout is layout:
                seat_map = cached.seat_map
            else:
                seat_map = SeatMap(layout, self._live_seat_ids(performance_id))
        except BaseException:
            lock.release()
            raise
        self._seat_maps[performance_id] = _HeldSeatMap(version, layout, seat_map, lock,
                                                       seat_map.mutations)
        return seat_map

    def _lock_inventory_row(self, performance_id: int) -> int:
        statement = self._for_update(
            select(performance_inventory.c.version)
            .where(performance_inventory.c.performance_id == performance_id)
        )
        version = self.session.execute(statement).scalar_one_or_none()
        if version is None:
            self._insert_missing(performance_inventory,
                                 {"performance_id": performance_id, "version": 0})
            version = self.session.execute(statement).scalar_one()
        return int(version)

    def _live_seat_ids(self, performance_id: int) -> list[int]:
        statement = select(movements.c.seat_id).where(
            and_(
                movements.c.performance_id == performance_id,
                movements.c.state != MovementState.RELEASED,
                movements.c.seat_id.is_not(None),
            )
        )
        return list(self.session.scalars(statement))

    def note_flushed(self, objects: Iterable[Any]) -> None:
        """Remembers the performances whose seats a flush is about to change."""
        for instance in objects:
            if isinstance(instance, Movement) and instance.seat_id is not None \
                    and instance.performance_id is not None:
                self._touched.add(instance.performance_id)

    # -- counted stock ------------------------------------------------------------------

    def area_stock(self, performance_id: int, area: Area) -> Stock:
        """Places of a standing area for one performance, locked until the transaction ends."""
        return self._stock(f"area:{performance_id}:{area.area_id}", area.capacity or 0)

    def item_stock(self, item: Item) -> Stock:
        """Units of an item, locked until the transaction ends."""
        return self._stock(f"item:{item.item_id}", item.stock)

    def _stock(self, key: str, capacity: int) -> Stock:
        held = self._stocks.get(key)
        if held is None:
            statement = self._for_update(
                select(stocks.c.capacity, stocks.c.taken).where(stocks.c.stock_key == key)
            )
            row = self.session.execute(statement).one_or_none()
            if row is None:
                self._insert_missing(stocks, {"stock_key": key, "capacity": capacity, "taken": 0})
                row = self.session.execute(statement).one()
            # The catalog decides the capacity; the database remembers what is taken.
            held = _HeldStock(Stock(key, capacity, row.taken), row.capacity, row.taken)
            self._stocks[key] = held
        return held.stock

    def write_stocks(self) -> None:
        """Stores what the domain took and released; the CHECK refuses going past capacity."""
        for key, held in self._stocks.items():
            stock = held.stock
            capacity = stock.capacity
            if stock.taken <= held.stored_taken:
                # Giving back must succeed even when the catalog shrank below what is sold.
                capacity = max(capacity, stock.taken)
            if (capacity, stock.taken) == (held.stored_capacity, held.stored_taken):
                continue
            self.session.execute(
                update(stocks).where(stocks.c.stock_key == key)
                .values(capacity=capacity, taken=stock.taken)
            )
            held.stored_capacity, held.stored_taken = capacity, stock.taken

    # -- the end of the transaction -----------------------------------------------------

    def before_commit(self) -> None:
        """Writes the stocks and bumps the version of every seat map this transaction changed."""
        self.write_stocks()
        if not self.cache.guarded:
            return  # no version row is locked, not even by the bump
        for performance_id in sorted(self._changed_performances()):
            self.session.execute(
                update(performance_inventory)
                .where(performance_inventory.c.performance_id == performance_id)
                .values(version=performance_inventory.c.version + 1)
            )

    def after_commit(self) -> None:
        """Keeps the committed maps for the next transactions and lets them in."""
        changed = self._changed_performances()
        for performance_id, held in self._seat_maps.items():
            version = held.version + 1 if performance_id in changed else held.version
            self.cache.put(performance_id, CachedSeatMap(version, held.layout, held.seat_map))
        self._end()

    def after_rollback(self) -> None:
        """Forgets the maps this transaction changed in memory and lets the next ones in."""
        for performance_id, held in self._seat_maps.items():
            if held.changed:
                self.cache.drop(performance_id)
            else:
                # A refusal that touched nothing keeps the map: rebuilding costs a full read.
                self.cache.put(performance_id,
                               CachedSeatMap(held.version, held.layout, held.seat_map))
        self._end()

    def _changed_performances(self) -> set[int]:
        changed = {pid for pid, held in self._seat_maps.items() if held.changed}
        return changed | self._touched

    def _end(self) -> None:
        held_maps = list(self._seat_maps.values())
        self._seat_maps.clear()
        self._stocks.clear()
        self._touched.clear()
        for held in held_maps:
            held.lock.release()

    # -- helpers ----------------------------------------------------------------------------

    @property
    def _is_sqlite(self) -> bool:
        return self.session.get_bind().dialect.name == "sqlite"

    def _for_update(self, statement: Select[Any]) -> Select[Any]:
        # SQLite has no row locks; BEGIN IMMEDIATE already made this transaction the only writer.
        if self._is_sqlite or not self.cache.guarded:
            return statement
        return statement.with_for_update()

    def _insert_missing(self, table: Any, values: dict[str, Any]) -> None:
        # Two transactions may create the same row at once; the second one simply finds it.
        dialect = postgresql if self.session.get_bind().dialect.name == "postgresql" else sqlite
        self.session.execute(dialect.insert(table).values(**values).on_conflict_do_nothing())
