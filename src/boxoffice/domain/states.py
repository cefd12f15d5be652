"""The states and kinds of orders, lines, movements, payments and files."""

from __future__ import annotations

import enum


class OrderState(enum.Enum):
    RUNNING = "RUNNING"
    VALIDATED = "VALIDATED"
    CLOSED = "CLOSED"
    ABANDONED = "ABANDONED"
    EXPIRED = "EXPIRED"


class OrderType(enum.Enum):
    SALE = "SALE"
    RESERVATION = "RESERVATION"
    OPTION = "OPTION"


class OperationKind(enum.Enum):
    SEAT = "SEAT"
    AREA = "AREA"
    ITEM = "ITEM"
    CHARGE = "CHARGE"


class OperationState(enum.Enum):
    ACTIVE = "ACTIVE"
    CANCELLED = "CANCELLED"


class MovementState(enum.Enum):
    RESERVED = "RESERVED"
    SOLD = "SOLD"
    RELEASED = "RELEASED"


class PaymentState(enum.Enum):
    # Closed without payments: the reseller settles the sale outside this API (invoicing).
    NONE = "NONE"
    PAID = "PAID"
    OVERPAID = "OVERPAID"


class FileState(enum.Enum):
    OPEN = "OPEN"
    CLOSED = "CLOSED"


LIVE_ORDER_STATES = frozenset({OrderState.RUNNING, OrderState.VALIDATED})
