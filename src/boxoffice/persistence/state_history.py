"""Records every state an order enters, as the flush that writes the change happens.

The domain only sets `order.state`; listening to the flush keeps the history without a line in
the use cases, and in the same transaction as the change (a rolled-back call leaves no row).
"""

from __future__ import annotations

import threading
from itertools import chain
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from boxoffice.domain.model import Order
from boxoffice.persistence.console_tables import order_state_history

_lock = threading.Lock()
_installed = False


def install_state_history() -> None:
    """Listens to every session's flush; calling it again does nothing."""
    global _installed
    with _lock:
        if not _installed:
            event.listen(Session, "after_flush", _record_state_changes)
            _installed = True


def entered_state(order: Order) -> dict[str, Any] | None:
    """The history row of the state the order enters in this flush, or None if it keeps its
    state or no history is recorded; order_writer.py writes these rows itself for the orders
    it writes."""
    if not _installed or not inspect(order).attrs.state.history.added:
        return None
    return {"order_id": order.order_id, "state": order.state.value, "changed_at": order.updated_at}


def _record_state_changes(session: Session, _context: Any) -> None:
    # after_flush still sees the flushed objects' history, and their new ids.
    rows = [
        row
        for instance in chain(session.new, session.dirty)
        if isinstance(instance, Order) and (row := entered_state(instance)) is not None
    ]
    if rows:
        session.connection().execute(insert(order_state_history), rows)
