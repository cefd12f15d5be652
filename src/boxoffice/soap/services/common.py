"""What every spyne service class shares: required ids and the result element's name."""

from __future__ import annotations

from typing import Any

from spyne import Fault, Long

RequiredLong = Long(min_occurs=1, nillable=False)
MAX_LONG = 2**63 - 1


def returns(result_type: Any) -> dict[str, Any]:
    """The response holds one element named after the result class, as on the real platform."""
    return {"_returns": result_type, "_out_variable_name": result_type.get_type_name()}


def check_payment_total(payments: Any) -> None:
    """Each amount fits a Long; their sum must too, since it is stored as one."""
    if sum(max(p.amount or 0, 0) for p in payments or ()) > MAX_LONG:
        raise Fault("Client.ValidationError", "The payments add up to more than a 64-bit amount.")
