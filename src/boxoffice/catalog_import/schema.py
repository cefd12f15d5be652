"""The keys of each object of the catalog file, their kinds, and how each kind is checked."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MAX_ID = 2**63 - 1
# Integer columns (delays, limits) are 32-bit.
MAX_INT32 = 2**31 - 1

# key -> (kind, required); kinds are checked by the walker. Lists may always be
# omitted (read as empty) so that a catalog without, say, items stays short.
ObjectSpec = dict[str, tuple[str, bool]]

SPECS: dict[str, ObjectSpec] = {
    "catalog": {
        "institution": ("any", True),
        "contingents": ("list", False),
        "salesChannels": ("list", False),
        "seatCategories": ("list", False),
        "audienceSubCategories": ("list", False),
        "venues": ("list", False),
        "products": ("list", False),
        "items": ("list", False),
        # Added by boxoffice: selling seasons; a product names its season with seasonId.
        "seasons": ("list", False),
    },
    "institution": {
        "code": ("text", True),
        "name": ("text", True),
        "currency": ("any", True),
        # Added by boxoffice: an IANA zone name (getPOSConfig's organizationTimeZone).
        "timeZone": ("timeZone", False),
    },
    # Season id 0 is the default season of products that name none.
    "season": {"id": ("positiveId", True), "code": ("text", True), "name": ("text", True)},
    "paymentMethod": {"id": ("id", True), "code": ("text", True), "name": ("text", True)},
    "currency": {
        "code": ("text", True),
        "fractionDigit": ("count", True),
        "symbol": ("text", True),
    },
    "contingent": {"id": ("id", True), "name": ("text", True)},
    "salesChannel": {
        "id": ("id", True),
        "code": ("text", True),
        "name": ("text", True),
        "orderExpiryDelaySeconds": ("positive", True),
        "orderMaxLifespanSeconds": ("positive", True),
        "contingentIds": ("list", False),
        "pointsOfSales": ("list", False),
        "operators": ("list", False),
        "charges": ("list", False),
        # Added by boxoffice: the payment methods getPOSConfig lists for the channel.
        "paymentMethods": ("list", False),
        # Added by boxoffice: calls each operator of the channel may make per minute.
        "callsPerMinute": ("positive", False),
        # Added by boxoffice: caps on what the channel's unclosed orders hold at once.
        "maxHeldPlacesPerPerformance": ("positive", False),
        "maxHeldUnitsPerItem": ("positive", False),
    },
    "pointOfSales": {"id": ("id", True), "code": ("text", True)},
    "operator": {
        "login": ("text", True),
        "password": ("text", True),
        # Added by boxoffice: this login also sees every channel in the console.
        "administrator": ("bool", False),
    },
    "charge": {
        "id": ("id", True),
        "name": ("text", True),
        "per": ("per", True),
        "amount": ("count", True),
    },
    "seatCategory": {"id": ("id", True), "name": ("text", True)},
    "audienceSubCategory": {
        "id": ("id", True),
        "name": ("text", True),
        "audienceCatId": ("id", True),
        "kind": ("text", True),
    },
    "venue": {"id": ("id", True), "name": ("text", True), "areas": ("list", False)},
    # `numbered` decides which of the two area shapes applies.
    "numberedArea": {
        "id": ("id", True),
        "name": ("text", True),
        "numbered": ("bool", True),
        "blocks": ("list", False),
    },
    "standingArea": {
        "id": ("id", True),
        "name": ("text", True),
        "numbered": ("bool", True),
        "capacity": ("count", True),
        "seatCategoryId": ("id", True),
    },
    "block": {
        "id": ("id", True),
        "name": ("text", True),
        "seatCategoryId": ("id", True),
        "rows": ("list", False),
    },
    "rangeRow": {"number": ("text", True), "seats": ("any", True), "firstSeatId": ("id", True)},
    "listRow": {"number": ("text", True), "seats": ("list", True)},
    "seatRange": {"from": ("count", True), "to": ("count", True)},
    "seat": {"id": ("id", True), "number": ("text", True)},
    "product": {
        "id": ("id", True),
        "code": ("text", True),
        "name": ("text", True),
        "family": ("text", True),
        "performances": ("list", False),
        # Added by boxoffice: the product's season (absent: the default season).
        "seasonId": ("positiveId", False),
    },
    "performance": {
        "id": ("id", True),
        "venueId": ("id", True),
        "start": ("datetime", True),
        "prices": ("list", False),
        "contingentPools": ("list", False),
    },
    "price": {
        "seatCategoryId": ("id", True),
        "audienceSubCategoryId": ("id", True),
        "amount": ("count", True),
    },
    "contingentPool": {"contingentId": ("id", True), "areaIds": ("list", False)},
    "item": {
        "id": ("id", True),
        "code": ("text", True),
        "name": ("text", True),
        "stock": ("count", True),
        "prices": ("list", False),
    },
    "itemPrice": {"audienceSubCategoryId": ("id", True), "amount": ("count", True)},
}


def join(path: str, key: str) -> str:
    """The JSON path of a key below `path` (the document root is the empty path)."""
    return f"{path}.{key}" if path else key


def _is_int(value: Any) -> bool:
    # JSON true/false decode to bool, which Python counts as an int.
    return isinstance(value, int) and not isinstance(value, bool)


def _check_time_zone(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return "expected an IANA time zone name such as 'Europe/Zurich'"
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"{value!r} is not a known time zone"
    return None


def _check_datetime(value: Any) -> str | None:
    if not isinstance(value, str):
        return "expected an ISO 8601 date-time string"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return f"{value!r} is not an ISO 8601 date-time"
    return None if parsed.tzinfo is not None else f"{value!r} has no UTC offset"


CHECKS: dict[str, Callable[[Any], str | None]] = {
    "id": lambda v: None if _is_int(v) and 0 <= v <= MAX_ID else "expected a 64-bit id (integer)",
    "count": lambda v: (
        None if _is_int(v) and 0 <= v <= MAX_ID else "expected a non-negative integer"
    ),
    "positive": lambda v: (
        None if _is_int(v) and 0 < v <= MAX_INT32 else "expected a positive integer"
    ),
    "text": lambda v: None if isinstance(v, str) and v.strip() else "expected a non-empty string",
    "bool": lambda v: None if isinstance(v, bool) else "expected true or false",
    "list": lambda v: None if isinstance(v, list) else "expected a list",
    "any": lambda v: None,
    "per": lambda v: None if v in ("TICKET", "ORDER") else "expected TICKET or ORDER",
    "datetime": _check_datetime,
    "timeZone": _check_time_zone,
    "positiveId": lambda v: (
        None if _is_int(v) and 0 < v <= MAX_ID else "expected a positive 64-bit id (integer)"
    ),
}
