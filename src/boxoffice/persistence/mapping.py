"""Imperative mapping of the domain entities onto the order-side tables; the domain stays plain."""

from __future__ import annotations

import threading

from sqlalchemy.orm import registry, relationship

from boxoffice.domain.files import Contact, File
from boxoffice.domain.lines import Movement, Operation
from boxoffice.domain.model import Order, Payment
from boxoffice.persistence.tables import (
    file_contacts,
    files,
    movements,
    operations,
    orders,
    payments,
)

mapper_registry = registry(metadata=files.metadata)

_lock = threading.Lock()
_started = False


def start_mappers() -> None:
    """Maps File, Contact, Order, Payment, Operation and Movement; calling it again does nothing."""
    global _started
    with _lock:
        if _started:
            return
        _map()
        _started = True


def _map() -> None:
    mapper_registry.map_imperatively(Contact, file_contacts)
    mapper_registry.map_imperatively(
        File,
        files,
        properties={
            "contacts": relationship(
                Contact,
                order_by=file_contacts.c.contact_id,
                cascade="all, delete-orphan",
                lazy="selectin",
            ),
        },
    )
    mapper_registry.map_imperatively(Movement, movements)
    mapper_registry.map_imperatively(
        Operation,
        operations,
        properties={
            "movements": relationship(
                Movement,
                order_by=movements.c.movement_id,
                cascade="all, delete-orphan",
                lazy="selectin",
            ),
            "linked_operation": relationship(
                Operation,
                remote_side=[operations.c.operation_id],
                foreign_keys=[operations.c.linked_operation_id],
                # The linked line is always in the same order, hence already loaded.
                lazy="select",
            ),
        },
    )
    mapper_registry.map_imperatively(Payment, payments)
    mapper_registry.map_imperatively(
        Order,
        orders,
        properties={
            "file": relationship(File, lazy="joined", innerjoin=True),
            "payments": relationship(
                Payment,
                order_by=payments.c.payment_id,
                cascade="all, delete-orphan",
                lazy="selectin",
            ),
            "operations": relationship(
                Operation,
                order_by=operations.c.operation_id,
                cascade="all, delete-orphan",
                lazy="selectin",
            ),
        },
    )
