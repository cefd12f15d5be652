"""What every spyne service class shares: required ids and the result element's name."""

from __future__ import annotations

from typing import Any

from spyne import Long

RequiredLong = Long(min_occurs=1, nillable=False)
MAX_LONG = 2**63 - 1


def returns(result_type: Any) -> dict[str, Any]:
    """The response holds one element named after the result class, as on the real platform."""
    return {"_returns": result_type, "_out_variable_name": result_type.get_type_name()}
