"""The unit of work on SQLAlchemy: one transaction, database refusals told as domain errors."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from types import TracebackType
from typing import TYPE_CHECKING, Any, NoReturn

from sqlalchemy import Engine, event
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from boxoffice.domain.errors import DomainError, NoAvailability, ResourceBusy, SeatUnavailable
from boxoffice.persistence.engine import ONE_STATEMENT, READ_ONLY_OPTION, lock_timeout_seconds
from boxoffice.persistence.inventory import SeatMapBusy, SeatMapCache, SqlInventoryRepository
from boxoffice.persistence.line_writer import write_new_lines
from boxoffice.persistence.mapping import start_mappers
from boxoffice.persistence.order_writer import settle_unchanged, write_changed_rows, write_new_order
from boxoffice.persistence.records import SqlRecordRepository
from boxoffice.persistence.repository import SqlOrderRepository
from boxoffice.persistence.tables import LIVE_SEAT_INDEX, STOCK_CHECK

if TYPE_CHECKING:
    # Only for the checker: the unit of work fits the service's ports structurally.
    from boxoffice.service.ports import (
        CatalogRepository,
        InventoryRepository,
        OrderRepository,
        RecordRepository,
    )

# Any callable taking the session and answering a CatalogRepository (service/ports.py).
CatalogFactory = Callable[[Session], Any]

# How SQLite names the live-seat index in its message; PostgreSQL gives the index name.
_SQLITE_LIVE_SEAT = "movements.performance_id, movements.seat_id"

# PostgreSQL's lock_timeout (lock_not_available) and the victim of a deadlock it broke.
_POSTGRES_BUSY_STATES = {"55P03", "40P01"}


class SqlUnitOfWork:
    """One business transaction: `with uow:` opens it, commit() ends it, leaving rolls back.

    `with uow.read_only():` opens a transaction that only reads: orders unlocked, one snapshot
    (PostgreSQL REPEATABLE READ READ ONLY; SQLite a deferred BEGIN, which in WAL mode never
    takes the write lock), so that readers never make a writer wait. `with
    uow.one_statement_read():` reads the same way without opening a transaction at all, for a
    block whose only read is one statement.
    """

    def __init__(
        self,
        session_factory: Callable[[], Session],
        catalog_factory: CatalogFactory,
        seat_map_cache: SeatMapCache,
    ) -> None:
        self._session_factory = session_factory
        self._catalog_factory = catalog_factory
        self._seat_map_cache = seat_map_cache
        # The execution options of the next `with` block's reads, when it only reads.
        self._reading_next: Callable[[Session], dict[str, Any]] | None = None
        # True inside a `with uow.read_only():` block: order reads lock nothing, commit refused.
        self._read_only = False

    catalog: CatalogRepository
    orders: OrderRepository
    inventory: InventoryRepository
    records: RecordRepository

    def read_only(self) -> SqlUnitOfWork:
        """Makes the next `with` block a lock-free, read-only transaction (commit() refused).

        Both `with uow.read_only():` and `with uow.read_only() as reading:` work: it is the
        same unit of work.
        """
        self._reading_next = read_only_options
        return self

    def one_statement_read(self) -> SqlUnitOfWork:
        """Makes the next `with` block a read-only one outside any transaction.

        One statement always reads one consistent snapshot, so a block whose only read is one
        statement (the order snapshot of getOrderDetails: order, lines, references and
        catalog version together) needs no BEGIN and ROLLBACK round trips around it. A further
        read in the block sees its own, possibly newer, snapshot; the only one allowed is the
        catalog built into the process's cache on a miss, for the version the statement read.
        """
        self._reading_next = one_statement_options
        return self

    def __enter__(self) -> SqlUnitOfWork:
        reading, self._reading_next = self._reading_next, None
        read_only = self._read_only = reading is not None
        self.session = self._session_factory()
        if reading is not None:
            self.session.connection(execution_options=reading(self.session))
        self.catalog = self._catalog_factory(self.session)
        self.orders = SqlOrderRepository(self.session, locking=not read_only)
        self.records = SqlRecordRepository(self.session)
        self._inventory = SqlInventoryRepository(self.session, self.catalog, self._seat_map_cache)
        self.inventory = self._inventory
        self.session.info[_INVENTORY] = self._inventory
        if not read_only and self.session.get_bind().dialect.name == "postgresql":
            self.session.info[_LINES_AT_ONCE] = True
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if self._read_only and exc is None:
                # A transaction that only read ends the same with COMMIT as with ROLLBACK, but
                # psycopg forgets every statement it prepared on the connection at each
                # rollback (and sends DEALLOCATE ALL): the expiry sweep's read, once a second
                # in each worker, made the sale's next statements parse and plan again.
                self.session.commit()
            # A business refusal leaves the seat maps to be given back as they were.
            self.rollback(refused=exc is None or isinstance(exc, DomainError))
        finally:
            self.session.close()
            self.session.info.pop(_INVENTORY, None)  # no cycle left for the collector
        # A refusal surfacing from an autoflush inside the block is still a refusal.
        if isinstance(exc, IntegrityError):
            refusal = refusal_for(exc)
            if refusal is not None:
                raise refusal from exc
        # A lock waited on too long: rolled back above, so the caller may simply retry.
        busy = busy_refusal_for(exc)
        if busy is not None:
            raise busy from exc

    def flush(self) -> None:
        """Writes pending changes so that new entities get their ids."""
        try:
            self.session.flush()
            self._inventory.write_stocks()
        except IntegrityError as error:
            self._fail(error)

    def commit(self) -> None:
        if self._read_only:
            raise RuntimeError("A read-only unit of work cannot commit.")
        try:
            self.session.flush()
            self._inventory.before_commit()
            self.session.commit()
        except IntegrityError as error:
            self._fail(error)
        except BaseException:
            self.rollback()
            raise
        self._inventory.after_commit()

    def rollback(self, *, refused: bool = False) -> None:
        try:
            self.session.rollback()
        finally:
            self._inventory.after_rollback(refused=refused)

    def _fail(self, error: IntegrityError) -> NoReturn:
        self.rollback()
        refusal = refusal_for(error)
        if refusal is None:
            raise error
        raise refusal from error


# Where a session keeps its unit of work's inventory, for the flush hook below.
_INVENTORY = "boxoffice.inventory"
# Set on a writing session of PostgreSQL: the flush hook writes new lines, a new order and
# changed rows in one statement each (line_writer.py, order_writer.py).
_LINES_AT_ONCE = "boxoffice.lines_at_once"


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    # Listened to once on the session factory: adding a listener to each new session cost
    # every call, reads included, about 2 % of its CPU.
    inventory = session.info.get(_INVENTORY)
    if inventory is not None:
        # Lines written here are persistent for the flush, which no longer sees them as new;
        # those whose seats that write logged itself are not among `written`.
        lines_at_once = session.info.get(_LINES_AT_ONCE)
        written = write_new_lines(session, inventory) if lines_at_once else []
        inventory.note_flushed([*session.new, *written], session.dirty)
        # After the inventory read the places' changes: these writes leave nothing changed.
        if lines_at_once:
            if not write_new_order(session):
                write_changed_rows(session)
            settle_unchanged(session)


def read_only_options(session: Session) -> dict[str, Any]:
    """Execution options of a transaction that reads one snapshot and locks nothing."""
    if session.get_bind().dialect.name == "postgresql":
        return {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
    # Read by the engine's begin hook (persistence/engine.py): a plain, deferred BEGIN.
    return {READ_ONLY_OPTION: True}


def one_statement_options(session: Session) -> dict[str, Any]:
    """Execution options of reads outside any transaction, each statement its own snapshot."""
    if session.get_bind().dialect.name == "postgresql":
        # psycopg then sends no BEGIN, and its rollback at the end sends nothing either.
        return {"isolation_level": "AUTOCOMMIT"}
    # Read by the engine's begin hook: no BEGIN at all; SQLite runs the statement in its own
    # implicit read transaction, which in WAL mode never waits for a writer.
    return {READ_ONLY_OPTION: ONE_STATEMENT}


def refusal_for(error: IntegrityError) -> DomainError | None:
    """The business refusal a database guard stands for, or None for a plain bug."""
    constraint = getattr(getattr(error.orig, "diag", None), "constraint_name", None)
    message = str(error.orig)
    if constraint == LIVE_SEAT_INDEX or _SQLITE_LIVE_SEAT in message:
        return SeatUnavailable("A seat asked for was taken by another order meanwhile.")
    if constraint == STOCK_CHECK or STOCK_CHECK in message:
        return NoAvailability("The places asked for were taken by another order meanwhile.")
    return None


def busy_refusal_for(error: BaseException | None) -> ResourceBusy | None:
    """The retryable refusal for a lock wait that lasted too long, or None for anything else."""
    if isinstance(error, SeatMapBusy):
        return ResourceBusy("The seats asked for are busy with other sales; retry.")
    if isinstance(error, DBAPIError) and not isinstance(error, IntegrityError):
        state = getattr(error.orig, "sqlstate", None)
        # SQLite: another writer kept the database past the busy timeout.
        if state in _POSTGRES_BUSY_STATES or "database is locked" in str(error.orig):
            return ResourceBusy("The places asked for are busy with other sales; retry.")
    return None


def make_unit_of_work_factory(
    engine: Engine,
    catalog_factory: CatalogFactory,
    seat_map_cache: SeatMapCache | None = None,
) -> Callable[[], SqlUnitOfWork]:
    """Unit-of-work factory for one process: the seat map cache is shared by all it makes."""
    start_mappers()
    session_factory = sessionmaker(bind=engine, expire_on_commit=False)
    event.listen(session_factory, "before_flush", _before_flush)
    if seat_map_cache is None:
        # The backend's own bound (README: 5 s on PostgreSQL, 30 s on SQLite).
        seat_map_cache = SeatMapCache(lock_timeout_seconds(engine.dialect.name))
    return partial(SqlUnitOfWork, session_factory, catalog_factory, seat_map_cache)
