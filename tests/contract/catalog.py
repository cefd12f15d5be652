"""A small catalog for contract tests: few enough places that running out is easy to reach."""

from __future__ import annotations

from typing import Any

POS_A, POS_B = 466653735, 466653736
CONTINGENT_A, CONTINGENT_B = 10, 20
PERFORMANCE, OTHER_PERFORMANCE = 101036924388, 101036924389
# Sold by channel A only, in a product of no season (the default season).
A_ONLY_PRODUCT, A_ONLY_PERFORMANCE = 43, 101036924390
CATEGORY_1, CATEGORY_2, FLOOR = 466681816, 466681817, 466681818
ADULT, CHILD = 306159078, 306159079
NORTH, STANDING, SOUTH = 466636464, 466636465, 466636466
BLOCK_GOOD, BLOCK_SIDE = 700, 701
ITEM = 77
ADULT_PRICE, CHILD_PRICE, SIDE_PRICE, STANDING_PRICE, ITEM_PRICE = 40000, 20000, 30000, 25000, 8000
TICKET_FEE, ORDER_FEE = 1500, 2000
INACTIVITY_SECONDS, LIFESPAN_SECONDS = 1200, 7200
STANDING_CAPACITY, ITEM_STOCK = 3, 2

SEASON = 2027
PAYMENT_METHOD = 31

LOGIN_A, PASSWORD_A = "RESELLER_A_WS", "secret-a"
LOGIN_B, PASSWORD_B = "RESELLER_B_WS", "secret-b"


def seat_id(row: int, number: int) -> int:
    """Seat ids of the good block: row r, seat n -> 7000000 + r * 100 + n."""
    return 7000000 + row * 100 + number


def contract_catalog() -> dict[str, Any]:
    def channel(
        id_: int,
        code: str,
        pos: int,
        contingent: int,
        login: str,
        password: str,
        charges: list[dict[str, Any]],
    ) -> dict[str, Any]:
        return {
            "id": id_,
            "code": code,
            "name": code.title(),
            "orderExpiryDelaySeconds": INACTIVITY_SECONDS,
            "orderMaxLifespanSeconds": LIFESPAN_SECONDS,
            "contingentIds": [contingent],
            "pointsOfSales": [{"id": pos, "code": code + "_WEB"}],
            "operators": [{"login": login, "password": password}],
            "charges": charges,
            "paymentMethods": [{"id": PAYMENT_METHOD, "code": "INVOICE", "name": "Invoice"}],
        }

    def prices() -> list[dict[str, Any]]:
        return [
            {"seatCategoryId": CATEGORY_1, "audienceSubCategoryId": ADULT, "amount": ADULT_PRICE},
            {"seatCategoryId": CATEGORY_1, "audienceSubCategoryId": CHILD, "amount": CHILD_PRICE},
            {"seatCategoryId": CATEGORY_2, "audienceSubCategoryId": ADULT, "amount": SIDE_PRICE},
            {"seatCategoryId": FLOOR, "audienceSubCategoryId": ADULT, "amount": STANDING_PRICE},
        ]

    rows = [
        {"number": str(row), "seats": {"from": 1, "to": 6}, "firstSeatId": seat_id(row, 1)}
        for row in (1, 2, 3)
    ]
    return {
        "institution": {
            "code": "TEST",
            "name": "Test hall",
            "timeZone": "Europe/Paris",
            "currency": {"code": "EUR", "fractionDigit": 2, "symbol": "€"},
        },
        "seasons": [{"id": SEASON, "code": "S2027", "name": "Season 2027"}],
        "contingents": [{"id": CONTINGENT_A, "name": "A"}, {"id": CONTINGENT_B, "name": "B"}],
        "salesChannels": [
            channel(
                1,
                "RESELLER_A",
                POS_A,
                CONTINGENT_A,
                LOGIN_A,
                PASSWORD_A,
                [
                    {"id": 900, "name": "Booking fee", "per": "TICKET", "amount": TICKET_FEE},
                    {"id": 901, "name": "Order fee", "per": "ORDER", "amount": ORDER_FEE},
                ],
            ),
            channel(2, "RESELLER_B", POS_B, CONTINGENT_B, LOGIN_B, PASSWORD_B, []),
        ],
        "seatCategories": [
            {"id": CATEGORY_1, "name": "Category 1"},
            {"id": CATEGORY_2, "name": "Category 2"},
            {"id": FLOOR, "name": "Floor"},
        ],
        "audienceSubCategories": [
            {"id": ADULT, "name": "Adult", "audienceCatId": 1, "kind": "FULL"},
            {"id": CHILD, "name": "Child", "audienceCatId": 1, "kind": "REDUCED"},
        ],
        "venues": [
            {
                "id": 5,
                "name": "Hall",
                "areas": [
                    {
                        "id": NORTH,
                        "name": "North",
                        "numbered": True,
                        "blocks": [
                            {
                                "id": BLOCK_GOOD,
                                "name": "Good",
                                "seatCategoryId": CATEGORY_1,
                                "rows": rows,
                            },
                            {
                                "id": BLOCK_SIDE,
                                "name": "Side",
                                "seatCategoryId": CATEGORY_2,
                                "rows": [
                                    {
                                        "number": "1",
                                        "seats": {"from": 1, "to": 6},
                                        "firstSeatId": 7010101,
                                    }
                                ],
                            },
                        ],
                    },
                    {
                        "id": STANDING,
                        "name": "Floor",
                        "numbered": False,
                        "capacity": STANDING_CAPACITY,
                        "seatCategoryId": FLOOR,
                    },
                    {
                        "id": SOUTH,
                        "name": "South",
                        "numbered": True,
                        "blocks": [
                            {
                                "id": 710,
                                "name": "S",
                                "seatCategoryId": CATEGORY_1,
                                "rows": [
                                    {
                                        "number": "1",
                                        "seats": {"from": 1, "to": 6},
                                        "firstSeatId": 7100101,
                                    }
                                ],
                            }
                        ],
                    },
                ],
            }
        ],
        "products": [
            {
                "id": 42,
                "code": "CONCERT",
                "name": "Concert",
                "family": "SINGLE_ENTRY",
                "seasonId": SEASON,
                "performances": [
                    {
                        "id": perf,
                        "venueId": 5,
                        "start": start,
                        "prices": prices(),
                        "contingentPools": [
                            {"contingentId": CONTINGENT_A, "areaIds": [NORTH, STANDING]},
                            {"contingentId": CONTINGENT_B, "areaIds": [SOUTH]},
                        ],
                    }
                    for perf, start in (
                        (PERFORMANCE, "2027-03-01T20:00:00+01:00"),
                        (OTHER_PERFORMANCE, "2027-03-02T20:00:00+01:00"),
                    )
                ],
            },
            {
                "id": A_ONLY_PRODUCT,
                "code": "RECITAL",
                "name": "Recital",
                "family": "SINGLE_ENTRY",
                "performances": [
                    {
                        "id": A_ONLY_PERFORMANCE,
                        "venueId": 5,
                        "start": "2027-04-01T20:00:00+02:00",
                        "prices": prices(),
                        "contingentPools": [{"contingentId": CONTINGENT_A, "areaIds": [NORTH]}],
                    }
                ],
            },
        ],
        "items": [
            {
                "id": ITEM,
                "code": "PARKING",
                "name": "Parking",
                "stock": ITEM_STOCK,
                "prices": [{"audienceSubCategoryId": ADULT, "amount": ITEM_PRICE}],
            }
        ],
    }
