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


def _record_state_changes(session: Session, _context: Any) -> None:
    # after_flush still sees the flushed objects' history, and their new ids.
    rows = []
    for instance in chain(session.new, session.dirty):
        if not isinstance(instance, Order):
            continue
        if inspect(instance).attrs.state.history.added:
            rows.append(
                {
                    "order_id": instance.order_id,
                    "state": instance.state.value,
                    "changed_at": instance.updated_at,
                }
            )
    if rows:
        session.connection().execute(insert(order_state_history), rows)
