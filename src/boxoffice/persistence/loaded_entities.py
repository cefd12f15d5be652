"""Entities whose rows a writer stored itself, put back in their session as if just loaded.

line_writer.py and order_writer.py write rows in statements of their own, then must leave the
session as SQLAlchemy's flush would: the entities persistent, with their identity and nothing
left to write, or the flush writes them again (new ones) or walks them for nothing (changed
ones). Only SQLAlchemy's public functions are used.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session, make_transient, make_transient_to_detached


def attach_as_loaded(session: Session, instances: Sequence[Any]) -> None:
    """Puts `instances` in the session as loaded and unchanged: pending ones whose rows were
    written and keys set, or persistent ones with nothing left to write.

    All leave the session before any comes back: adding one cascades to its relations, which
    by then must have their identity, or they would be added as new again.
    """
    for instance in instances:
        make_transient(instance)  # out of the session, without cascading to its relations
    for instance in instances:
        make_transient_to_detached(instance)  # its identity from its key, every value committed
    for instance in instances:
        session.add(instance)
