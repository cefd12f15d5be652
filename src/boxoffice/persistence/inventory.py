"""Seat maps and counted stocks in the database, locked for the transaction that uses them.

Building a seat map for a 60,000-seat venue is costly, so each process keeps the last map of
every performance with the version of its `performance_inventory` row. A transaction that
changes seats bumps that version at commit and logs the seats it took and released at the new
version (persistence/seat_change_log.py); a process whose cached map is older applies the
logged changes since its version, and rebuilds from the live movements only at first use,
after a catalog change, or when the log no longer reaches back to its version. Closing an order
changes no seat, so it leaves every map current.

Places an order gives back reach the inventory in one place: the unit of work's flush hook
hands every movement turned RELEASED to `note_flushed`, which puts its seat, standing place or
item unit back on sale. Use cases never release places themselves.

Within a process a lock per performance keeps one transaction at a time on a map, from handing
it out until commit or rollback, because the map is changed in memory before the database is.
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
from sqlalchemy.orm.attributes import get_history

from boxoffice.domain.allocation import SeatMap, VenueLayout
from boxoffice.domain.catalog import Area, Item, Performance
from boxoffice.domain.inventory import Stock
from boxoffice.domain.lines import Movement
from boxoffice.domain.states import MovementState, OperationKind
from boxoffice.persistence import seat_change_log
from boxoffice.persistence.engine import lock_timeout_seconds
from boxoffice.persistence.fair_lock import FairLock
from boxoffice.persistence.tables import movements, performance_inventory, stocks


class CatalogSource(Protocol):
    """What this module asks of the catalog repository: layouts, and the places to give back."""

    def venue_layout(self, venue_id: int) -> VenueLayout: ...
    def performance(self, performance_id: int) -> Performance | None: ...
    def area(self, area_id: int) -> Area | None: ...
    def item(self, item_id: int) -> Item | None: ...


class PerformanceLock(Protocol):
    """The in-process lock of one performance's seat map."""

    def acquire(self, blocking: bool = ..., timeout: float = ...) -> bool: ...
    def release(self) -> None: ...


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
        self._locks: dict[int, FairLock] = {}
        self._guard = threading.Lock()

    def lock_for(self, performance_id: int) -> PerformanceLock:
        if not self.guarded:
            return threading.Lock()  # nobody else ever waits on it
        with self._guard:
            lock = self._locks.get(performance_id)
            if lock is None:
                # First come, first served: a hot on-sale queues many threads on one map.
                lock = self._locks[performance_id] = FairLock()
            return lock

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
    lock: PerformanceLock
    mutations_when_handed_out: int
    # The version and changes the statement writing new lines logged (line_writer.py).
    logged: tuple[int, dict[int, bool]] | None = None

    @property
    def changed(self) -> bool:
        return self.seat_map.mutations != self.mutations_when_handed_out

    def settle(self, version: int, net: dict[int, bool]) -> None:
        """The map now says exactly what the log says at `version`, seats written without it
        included."""
        self.seat_map.apply(
            [s for s, taken in net.items() if taken], [s for s, taken in net.items() if not taken]
        )
        self.version = version


@dataclass
class _HeldStock:
    stock: Stock
    stored_capacity: int
    stored_taken: int


class SqlInventoryRepository:
    """The InventoryRepository of the service layer, on one SQLAlchemy session."""

    def __init__(
        self, session: Session, catalog_repository: CatalogSource, seat_map_cache: SeatMapCache
    ) -> None:
        self.session = session
        self.catalog = catalog_repository
        self.cache = seat_map_cache
        self._seat_maps: dict[int, _HeldSeatMap] = {}
        self._stocks: dict[str, _HeldStock] = {}
        # Per performance, the seats this transaction's flushes took (True) or released (False).
        self._seat_changes: dict[int, dict[int, bool]] = {}

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
            layout = self.catalog.venue_layout(performance.venue_id)
            cached = self.cache.get(performance_id)
            if cached is not None and cached.layout is not layout:
                cached = None  # the catalog changed: a map of the old layout is of no use
            version, changes = self._lock_inventory_row(
                performance_id, cached.version if cached is not None else None
            )
            seat_map = self._current_map(performance_id, version, layout, cached, changes)
        except BaseException:
            # A catch-up stopped half way leaves the cached map neither old nor new.
            self.cache.drop(performance_id)
            lock.release()
            raise
        self._seat_maps[performance_id] = _HeldSeatMap(
            version, layout, seat_map, lock, seat_map.mutations
        )
        if self.cache.guarded:  # unguarded, several transactions may hold one map at once
            seat_map.start_journal()
        return seat_map

    def _current_map(
        self,
        performance_id: int,
        version: int,
        layout: VenueLayout,
        cached: CachedSeatMap | None,
        changes: list[seat_change_log.SeatChange] | None,
    ) -> SeatMap:
        """The cached map brought up to `version` by the change log, else a fresh one."""
        if cached is not None:
            if cached.version == version or not self.cache.guarded:
                # Unguarded, a stale map is trusted: the double sale a race test must see.
                return cached.seat_map
            if changes is not None and cached.version < version:
                for change in changes:
                    cached.seat_map.apply(change.taken, change.released)
                return cached.seat_map
        return SeatMap(layout, self._live_seat_ids(performance_id))

    def _lock_inventory_row(
        self,
        performance_id: int,
        known: int | None,
    ) -> tuple[int, list[seat_change_log.SeatChange] | None]:
        """Locks the performance's version row: its version, and the changes since `known`."""
        lock = not self._is_sqlite and self.cache.guarded
        version, changes = seat_change_log.locked_version(
            self.session, performance_id, known, lock=lock
        )
        if version is None:
            self._insert_missing(
                performance_inventory, {"performance_id": performance_id, "version": 0}
            )
            version, changes = seat_change_log.locked_version(
                self.session, performance_id, known, lock=lock
            )
            assert version is not None
        return version, changes

    def _live_seat_ids(self, performance_id: int) -> list[int]:
        statement = select(movements.c.seat_id).where(
            and_(
                movements.c.performance_id == performance_id,
                movements.c.state != MovementState.RELEASED,
                movements.c.seat_id.is_not(None),
            )
        )
        return list(self.session.scalars(statement))

    def note_flushed(self, new: Iterable[Any], dirty: Iterable[Any]) -> None:
        """Called before each flush: logs the seats it changes, gives released places back.

        A new live movement takes its seat; a movement whose state turns RELEASED gives its
        seat, standing place or item unit back, here and nowhere else in the code.
        """
        released: list[Movement] = []
        for instance in new:
            if isinstance(instance, Movement) and instance.live:
                self._note_seat(instance, True)
        for instance in dirty:
            if not isinstance(instance, Movement):
                continue
            if not instance.live and get_history(instance, "state").deleted:
                self._note_seat(instance, False)
                released.append(instance)
            elif instance.live:
                # A live movement moved to another seat (doSeatingForOperations): the use case
                # changed this process's map; other processes learn of it from the log.
                moved = get_history(instance, "seat_id")
                for seat_id in moved.deleted or ():
                    self._note_seat_id(instance.performance_id, seat_id, False)
                for seat_id in moved.added or ():
                    self._note_seat_id(instance.performance_id, seat_id, True)
        if released:
            self._give_back(released)

    def may_log_with_lines(self, performance_id: int) -> bool:
        """Whether the statement writing new lines may bump and log this performance's version
        itself (line_writer.py): this transaction holds the map and has no other change of it
        to log, so the log row says exactly what that statement writes."""
        held = self._seat_maps.get(performance_id)
        return (
            self.cache.guarded
            and held is not None
            and held.logged is None
            and not self._seat_changes.get(performance_id)
        )

    def note_logged(self, performance_id: int, version: int, net: dict[int, bool]) -> None:
        """The statement writing new lines bumped the version to `version` and logged `net`;
        the map takes that version at commit, and keeps its own if the transaction fails."""
        self._seat_maps[performance_id].logged = (version, net)

    def _note_seat(self, movement: Movement, taken: bool) -> None:
        self._note_seat_id(movement.performance_id, movement.seat_id, taken)

    def _note_seat_id(self, performance_id: int | None, seat_id: int | None, taken: bool) -> None:
        if seat_id is not None and performance_id is not None:
            self._seat_changes.setdefault(performance_id, {})[seat_id] = taken

    def _give_back(self, released: list[Movement]) -> None:
        # Locks are always taken in ascending order of what they guard, so two never deadlock.
        seats: dict[int, list[int]] = {}
        for movement in sorted(released, key=_place_order):
            if movement.kind is OperationKind.SEAT and movement.seat_id is not None:
                seats.setdefault(movement.performance_id or 0, []).append(movement.seat_id)
            elif movement.kind is OperationKind.AREA and movement.area_id is not None:
                area = self.catalog.area(movement.area_id)
                if area is not None:
                    self.area_stock(movement.performance_id or 0, area).release(1)
            elif movement.kind is OperationKind.ITEM and movement.item_id is not None:
                item = self.catalog.item(movement.item_id)
                if item is not None:
                    self.item_stock(item).release(1)
        for performance_id, seat_ids in sorted(seats.items()):
            performance = self.catalog.performance(performance_id)
            if performance is not None:
                self.seat_map(performance).release(seat_ids)

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
                update(stocks)
                .where(stocks.c.stock_key == key)
                .values(capacity=capacity, taken=stock.taken)
            )
            held.stored_capacity, held.stored_taken = capacity, stock.taken

    # -- the end of the transaction -----------------------------------------------------

    def before_commit(self) -> None:
        """Writes the stocks; bumps and logs the version of each performance whose seats moved."""
        self.write_stocks()
        if not self.cache.guarded:
            return  # no version row is locked, not even by the bump
        for held in self._seat_maps.values():
            if held.logged is not None:  # logged already, by the statement writing new lines
                held.settle(*held.logged)
        for performance_id, net in sorted(self._seat_changes.items()):
            version = seat_change_log.record(self.session, performance_id, net)
            changed = self._seat_maps.get(performance_id)
            if changed is not None:
                changed.settle(version, net)

    def after_commit(self) -> None:
        """Keeps the committed maps for the next transactions and lets them in."""
        for performance_id, held in self._seat_maps.items():
            held.seat_map.stop_journal()
            stored = performance_id in self._seat_changes or held.logged is not None
            if held.changed and not stored:
                # Changed in memory with nothing stored: the database's truth is rebuilt later.
                self.cache.drop(performance_id)
            else:
                self.cache.put(
                    performance_id, CachedSeatMap(held.version, held.layout, held.seat_map)
                )
        self._end()

    def after_rollback(self, *, refused: bool = False) -> None:
        """Gives back or forgets the maps this transaction changed and lets the next ones in.

        After a business refusal (`refused`) the map's own takes and releases are undone:
        the database holds none of them, and rebuilding the map would cost a full read of
        the performance. After anything else (a constraint the database enforced against the
        map, a failed commit) the map may disagree with the database and is forgotten.
        """
        try:
            for performance_id, held in self._seat_maps.items():
                seat_map = held.seat_map
                if held.changed and not (refused and seat_map.journaling):
                    seat_map.stop_journal()
                    self.cache.drop(performance_id)
                    continue
                try:
                    seat_map.undo()  # nothing to undo when unchanged
                except Exception:
                    self.cache.drop(performance_id)  # half undone: rebuilt by the next call
                    raise
                self.cache.put(performance_id, CachedSeatMap(held.version, held.layout, seat_map))
        finally:
            self._end()  # the seat map locks are let go whatever happened above

    def _end(self) -> None:
        held_maps = list(self._seat_maps.values())
        self._seat_maps.clear()
        self._stocks.clear()
        self._seat_changes.clear()
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


def _place_order(movement: Movement) -> tuple[int, int, int]:
    return (movement.performance_id or 0, movement.area_id or 0, movement.item_id or 0)
