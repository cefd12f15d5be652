"""The small catalog the races run on: a few hundred seats, a small standing area, few items."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

LOGIN, PASSWORD = "RACE_WS", "race-secret"
POINT_OF_SALES_ID = 9001
PERFORMANCE_ID = 5001
SEAT_CATEGORY_ID = 301
STANDING_CATEGORY_ID = 302
TARIFF_ID = 401
NUMBERED_AREA_IDS = (2001, 2002)
STANDING_AREA_ID = 2003
STANDING_CAPACITY = 20
ITEM_ID = 7001
ITEM_STOCK = 15
ROWS_PER_AREA, SEATS_PER_ROW = 6, 20


def seat_ids_of_area(area_id: int) -> list[int]:
    return [
        area_id * 1000 + row * 100 + seat
        for row in range(1, ROWS_PER_AREA + 1)
        for seat in range(1, SEATS_PER_ROW + 1)
    ]


ALL_SEAT_IDS = [seat for area in NUMBERED_AREA_IDS for seat in seat_ids_of_area(area)]


def _area(area_id: int) -> dict[str, Any]:
    rows = [
        {
            "number": str(row),
            "seats": {"from": 1, "to": SEATS_PER_ROW},
            "firstSeatId": area_id * 1000 + row * 100 + 1,
        }
        for row in range(1, ROWS_PER_AREA + 1)
    ]
    return {
        "id": area_id,
        "name": f"Stand {area_id}",
        "numbered": True,
        "blocks": [
            {
                "id": area_id * 10,
                "name": f"Block {area_id}",
                "seatCategoryId": SEAT_CATEGORY_ID,
                "rows": rows,
            }
        ],
    }


def catalog_document() -> dict[str, Any]:
    return {
        "institution": {
            "code": "RACE",
            "name": "Race hall",
            "currency": {"code": "EUR", "fractionDigit": 2, "symbol": "€"},
        },
        "contingents": [{"id": 11, "name": "Everything"}],
        "salesChannels": [
            {
                "id": 1,
                "code": "RACER",
                "name": "Racing reseller",
                "orderExpiryDelaySeconds": 3600,
                "orderMaxLifespanSeconds": 7200,
                "contingentIds": [11],
                "pointsOfSales": [{"id": POINT_OF_SALES_ID, "code": "RACE_WEB"}],
                "operators": [{"login": LOGIN, "password": PASSWORD}],
                "charges": [],
                # The races sell the whole venue through this one channel's open carts.
                "maxHeldPlacesPerPerformance": 1000,
                "maxHeldUnitsPerItem": 1000,
            }
        ],
        "seatCategories": [
            {"id": SEAT_CATEGORY_ID, "name": "Seated"},
            {"id": STANDING_CATEGORY_ID, "name": "Standing"},
        ],
        "audienceSubCategories": [
            {"id": TARIFF_ID, "name": "Adult", "audienceCatId": 1, "kind": "FULL"}
        ],
        "venues": [
            {
                "id": 1,
                "name": "Race hall",
                "areas": [
                    *(_area(area_id) for area_id in NUMBERED_AREA_IDS),
                    {
                        "id": STANDING_AREA_ID,
                        "name": "Pit",
                        "numbered": False,
                        "capacity": STANDING_CAPACITY,
                        "seatCategoryId": STANDING_CATEGORY_ID,
                    },
                ],
            }
        ],
        "products": [
            {
                "id": 60,
                "code": "RACE",
                "name": "Race night",
                "family": "SINGLE_ENTRY",
                "performances": [
                    {
                        "id": PERFORMANCE_ID,
                        "venueId": 1,
                        "start": "2031-03-01T20:00:00+01:00",
                        "prices": [
                            {
                                "seatCategoryId": SEAT_CATEGORY_ID,
                                "audienceSubCategoryId": TARIFF_ID,
                                "amount": 30000,
                            },
                            {
                                "seatCategoryId": STANDING_CATEGORY_ID,
                                "audienceSubCategoryId": TARIFF_ID,
                                "amount": 10000,
                            },
                        ],
                        "contingentPools": [
                            {"contingentId": 11, "areaIds": [*NUMBERED_AREA_IDS, STANDING_AREA_ID]}
                        ],
                    }
                ],
            }
        ],
        "items": [
            {
                "id": ITEM_ID,
                "code": "SCARF",
                "name": "Scarf",
                "stock": ITEM_STOCK,
                "prices": [{"audienceSubCategoryId": TARIFF_ID, "amount": 5000}],
            }
        ],
    }


def write_catalog(directory: Path) -> Path:
    path = directory / "race-catalog.json"
    path.write_text(json.dumps(catalog_document(), indent=1))
    return path
