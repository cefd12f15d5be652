"""The most expensive requests the limits allow (soap/limits.py), for the test and the bench.

Each is as large as its maxima let it be: every repeated element at its maximum, texts at
their longest, the most places one call may take (domain/lines.py MAX_PLACES_PER_CALL).
"""

from __future__ import annotations

from typing import Any

from boxoffice.domain.lines import MAX_PLACES_PER_CALL
from boxoffice.soap import limits
from boxoffice.soap.types import EMAIL_LENGTH, NAME_LENGTH, REFERENCE_LENGTH, REQUEST_ID_LENGTH
from tests.hostile.conftest import ADULT, CATEGORY, PERFORMANCE, POS_A

AREA = 700
ATTRIBUTIONS_PER_GROUP = 2
GROUPS = MAX_PLACES_PER_CALL // ATTRIBUTIONS_PER_GROUP  # one place per attribution


def purchasers(tag: str) -> list[dict[str, Any]]:
    return [
        {
            "contactReference": f"{tag}-{n}".ljust(REFERENCE_LENGTH, "r"),
            "firstName": "F" * NAME_LENGTH,
            "lastName": "L" * NAME_LENGTH,
            "email": ("e" * (EMAIL_LENGTH - 12)) + "@example.org",
        }
        for n in range(limits.MAX_PURCHASERS)
    ]


def create_or_update_parameters(tag: str) -> dict[str, Any]:
    """A new order taking MAX_PLACES_PER_CALL seats in the most groups the limits allow."""
    group = {
        "operationAttributions": [
            {
                "performanceId": PERFORMANCE,
                "seatCategoryId": CATEGORY,
                "audienceSubCategoryId": ADULT,
                "quantity": 1,
            }
        ]
        * ATTRIBUTIONS_PER_GROUP,
        "preferedAreas": [AREA] * limits.MAX_PREFERRED_AREAS,
    }
    return {
        "requestId": "R" * REQUEST_ID_LENGTH,
        "pointOfSalesId": POS_A,
        "purchasersInfo": purchasers(tag),
        "externalReference": "X" * REFERENCE_LENGTH,
        "singleEntryAttributionOperations": [group] * GROUPS,
    }


def cancel_parameters(order_id: int) -> dict[str, Any]:
    """Every id list of cancelOperations at its maximum (ids the order does not have)."""
    return {
        "orderId": order_id,
        "operationIds": list(range(9_000_000, 9_000_000 + limits.MAX_OPERATION_IDS)),
        "movementIds": list(range(8_000_000, 8_000_000 + limits.MAX_MOVEMENT_IDS)),
    }


def to_xml(parameters: dict[str, Any]) -> str:
    """Parameters as the children of an operation element (unqualified, as the WSDL says)."""
    parts = []
    for name, value in parameters.items():
        for item in value if isinstance(value, list) else [value]:
            inner = to_xml(item) if isinstance(item, dict) else str(item)
            parts.append(f"<{name}>{inner}</{name}>")
    return "".join(parts)
