"""boxoffice's states as the real platform's enumeration values (docs/design.md)."""

from __future__ import annotations

from boxoffice.domain.states import PaymentState

# An order closed without payments has none to report: nil on the wire. An overpayment is a
# PAID payment whose paidAmount exceeds saleAmount.
_PAYMENT_STATES: dict[str, str | None] = {
    PaymentState.NONE.value: None,
    PaymentState.PAID.value: "PAID",
    PaymentState.OVERPAID.value: "PAID",
    PaymentState.WAITING.value: "WAITING",
    PaymentState.FAILED.value: "FAILED",
    PaymentState.ABANDONED.value: "ABANDONED",
}


def wire_payment_state(state: str) -> str | None:
    return _PAYMENT_STATES[state]
