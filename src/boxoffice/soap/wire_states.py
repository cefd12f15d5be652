"""boxoffice's states as the real platform's enumeration values (docs/design.md)."""

from __future__ import annotations

# An order closed without payments has none to report: nil on the wire. An overpayment is a
# PAID payment whose paidAmount exceeds saleAmount.
# Keys: the values of domain/states.py PaymentState, as the service's views carry them.
_PAYMENT_STATES: dict[str, str | None] = {
    "NONE": None,
    "PAID": "PAID",
    "OVERPAID": "PAID",
    "WAITING": "WAITING",
    "FAILED": "FAILED",
    "ABANDONED": "ABANDONED",
}


def wire_payment_state(state: str) -> str | None:
    return _PAYMENT_STATES[state]
