"""Retention: deletes carts that ended without a sale, and stale failed-login rows.

An order abandoned or expired longer ago than the retention period is gone for good: nobody can
reopen it, and its places went back on sale when it ended. Its lines, places, payments, state
history and the console's logged calls naming it are deleted with it, and its file once no
other order is in it. A closed order, and any order holding a ticket (a barcode) or a live
place, is never deleted, whatever its age.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import Connection, Engine, delete, exists, or_, select

from boxoffice.domain.states import MovementState, OrderState
from boxoffice.persistence.catalog_tables import login_failures
from boxoffice.persistence.console_tables import call_log, order_state_history
from boxoffice.persistence.tables import (
    file_contacts,
    files,
    movements,
    operations,
    orders,
    payments,
)

log = structlog.get_logger("boxoffice.retention")

PURGED_STATES = (OrderState.ABANDONED, OrderState.EXPIRED)
# Orders deleted per transaction: short transactions keep the sales going during a purge.
BATCH_SIZE = 500


@dataclass
class PurgeReport:
    """How many rows a purge deleted, per kind."""

    orders: int = 0
    operations: int = 0
    movements: int = 0
    payments: int = 0
    state_history: int = 0
    logged_calls: int = 0
    files: int = 0
    contacts: int = 0
    failed_logins: int = 0

    def summary(self) -> str:
        return ", ".join(
            f"{getattr(self, field.name)} {field.name.replace('_', ' ')}" for field in fields(self)
        )

    def as_log(self) -> dict[str, int]:
        return {field.name: getattr(self, field.name) for field in fields(self)}


def purge(
    engine: Engine, now: datetime, older_than: timedelta, batch_size: int = BATCH_SIZE
) -> PurgeReport:
    """Deletes carts ended before `now - older_than`, and failed logins idle as long."""
    if older_than < timedelta(0):
        raise ValueError("The retention period must not be negative.")
    cutoff = now - older_than
    report = PurgeReport()
    while True:
        with engine.begin() as connection:
            order_ids = _ended_carts(connection, cutoff, batch_size)
            if order_ids:
                _delete_orders(connection, order_ids, report)
        if len(order_ids) < batch_size:
            break
    with engine.begin() as connection:
        report.failed_logins = _delete_stale_failed_logins(connection, now, cutoff)
    log.info("purged", older_than_days=older_than / timedelta(days=1), **report.as_log())
    return report


def _ended_carts(connection: Connection, cutoff: datetime, limit: int) -> list[int]:
    ticket_or_live_place = exists().where(
        operations.c.order_id == orders.c.order_id,
        movements.c.operation_id == operations.c.operation_id,
        or_(movements.c.barcode.is_not(None), movements.c.state != MovementState.RELEASED),
    )
    statement = (
        select(orders.c.order_id)
        .where(
            orders.c.state.in_(PURGED_STATES), orders.c.updated_at < cutoff, ~ticket_or_live_place
        )
        .order_by(orders.c.order_id)
        .limit(limit)
    )
    return list(connection.execute(statement).scalars())


def _delete_orders(connection: Connection, order_ids: Sequence[int], report: PurgeReport) -> None:
    file_ids = set(
        connection.execute(
            select(orders.c.file_id).where(orders.c.order_id.in_(order_ids))
        ).scalars()
    )
    operation_ids = select(operations.c.operation_id).where(operations.c.order_id.in_(order_ids))
    report.movements += _deleted(
        connection, delete(movements).where(movements.c.operation_id.in_(operation_ids))
    )
    report.operations += _deleted(
        connection, delete(operations).where(operations.c.order_id.in_(order_ids))
    )
    report.payments += _deleted(
        connection, delete(payments).where(payments.c.order_id.in_(order_ids))
    )
    report.state_history += _deleted(
        connection, delete(order_state_history).where(order_state_history.c.order_id.in_(order_ids))
    )
    report.logged_calls += _deleted(
        connection, delete(call_log).where(call_log.c.order_id.in_(order_ids))
    )
    report.orders += _deleted(connection, delete(orders).where(orders.c.order_id.in_(order_ids)))
    # A file goes with its last order; one that still holds another order stays.
    empty_files = select(files.c.file_id).where(
        files.c.file_id.in_(file_ids), ~exists().where(orders.c.file_id == files.c.file_id)
    )
    emptied = list(connection.execute(empty_files).scalars())
    if emptied:
        report.contacts += _deleted(
            connection, delete(file_contacts).where(file_contacts.c.file_id.in_(emptied))
        )
        report.files += _deleted(connection, delete(files).where(files.c.file_id.in_(emptied)))


def _delete_stale_failed_logins(connection: Connection, now: datetime, cutoff: datetime) -> int:
    # A row whose counting window began before the cutoff and holds no lockout still running
    # counts for nothing any more.
    now_ms, cutoff_ms = int(now.timestamp() * 1000), int(cutoff.timestamp() * 1000)
    return _deleted(
        connection,
        delete(login_failures).where(
            login_failures.c.window_started_ms < cutoff_ms,
            or_(
                login_failures.c.locked_until_ms.is_(None),
                login_failures.c.locked_until_ms < now_ms,
            ),
        ),
    )


def _deleted(connection: Connection, statement: Any) -> int:
    return int(connection.execute(statement).rowcount)
