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
    """An order's payment situation; also the state of each payment (docs/design.md maps
    these onto the real platform's payment states)."""

    # Closed without payments: the reseller settles the sale outside this API (invoicing).
    NONE = "NONE"
    PAID = "PAID"
    OVERPAID = "OVERPAID"
    # The payment workflow (createPaymentsAndCloseOrder, notifyOrder, reopenOrder).
    WAITING = "WAITING"
    FAILED = "FAILED"
    ABANDONED = "ABANDONED"


class FileState(enum.Enum):
    """The real platform's file states that boxoffice's files can be in (spelling kept)."""

    RUNNING = "RUNNING"  # an order of the file is still running or validated (or none yet)
    SOLDED = "SOLDED"  # every order ended and at least one was sold
    ABANDONNED = "ABANDONNED"  # every order ended (abandoned or expired) and none was sold


LIVE_ORDER_STATES = frozenset({OrderState.RUNNING, OrderState.VALIDATED})
