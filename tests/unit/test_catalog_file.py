"""Checking catalog documents: every problem named with its JSON path, ranges expanded, ids kept."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from boxoffice.catalog_import import CatalogError, parse_catalog, read_catalog
from boxoffice.passwords import hash_password, verify_password

EXAMPLE: dict[str, Any] = {
    "institution": {
        "code": "DEMO",
        "name": "Demo Arena",
        "currency": {"code": "EUR", "fractionDigit": 2, "symbol": "€"},
    },
    "contingents": [{"id": 10, "name": "Reseller quota"}],
    "salesChannels": [
        {
            "id": 1,
            "code": "RESELLER_A",
            "name": "Reseller A",
            "orderExpiryDelaySeconds": 1200,
            "orderMaxLifespanSeconds": 7200,
            "contingentIds": [10],
            "pointsOfSales": [{"id": 466653735, "code": "RA_WEB"}],
            "operators": [{"login": "RESELLER_A_WS", "password": "change-me"}],
            "charges": [
                {"id": 900, "name": "Booking fee", "per": "TICKET", "amount": 1500},
                {"id": 901, "name": "Order fee", "per": "ORDER", "amount": 2000},
            ],
        }
    ],
    "seatCategories": [{"id": 466681816, "name": "Category 1"}],
    "audienceSubCategories": [
        {"id": 306159078, "name": "Adult", "audienceCatId": 1, "kind": "FULL"},
        {"id": 306159079, "name": "Child", "audienceCatId": 1, "kind": "REDUCED"},
    ],
    "venues": [
        {
            "id": 5,
            "name": "Main hall",
            "areas": [
                {
                    "id": 466636464,
                    "name": "North stand",
                    "numbered": True,
                    "blocks": [
                        {
                            "id": 700,
                            "name": "N1",
                            "seatCategoryId": 466681816,
                            "rows": [
                                {
                                    "number": "1",
                                    "seats": {"from": 1, "to": 30},
                                    "firstSeatId": 1000001,
                                },
                                {
                                    "number": "2",
                                    "seats": [
                                        {"id": 1000101, "number": "1"},
                                        {"id": 1000102, "number": "2"},
                                    ],
                                },
                            ],
                        },
                    ],
                },
                {
                    "id": 466636465,
                    "name": "Standing floor",
                    "numbered": False,
                    "capacity": 2000,
                    "seatCategoryId": 466681816,
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
            "performances": [
                {
                    "id": 101036924388,
                    "venueId": 5,
                    "start": "2027-03-01T20:00:00+01:00",
                    "prices": [
                        {
                            "seatCategoryId": 466681816,
                            "audienceSubCategoryId": 306159078,
                            "amount": 40000,
                        },
                        {
                            "seatCategoryId": 466681816,
                            "audienceSubCategoryId": 306159079,
                            "amount": 20000,
                        },
                    ],
                    "contingentPools": [{"contingentId": 10, "areaIds": [466636464, 466636465]}],
                }
            ],
        }
    ],
    "items": [
        {
            "id": 77,
            "code": "PARKING",
            "name": "Parking ticket",
            "stock": 300,
            "prices": [{"audienceSubCategoryId": 306159078, "amount": 8000}],
        }
    ],
}


def example() -> dict[str, Any]:
    return copy.deepcopy(EXAMPLE)


def problems_of(document: Any) -> list[str]:
    with pytest.raises(CatalogError) as refused:
        parse_catalog(document)
    return refused.value.problems


def test_the_documented_example_reads_with_its_ids_kept() -> None:
    rows = parse_catalog(example()).rows

    assert [row["point_of_sales_id"] for row in rows["points_of_sales"]] == [466653735]
    assert rows["performances"][0]["performance_id"] == 101036924388
    assert rows["performances"][0]["start"] == datetime(2027, 3, 1, 19, tzinfo=UTC)
    assert rows["institution"][0]["currency_symbol"] == "€"


def test_a_seat_range_expands_to_consecutive_ids_numbered_as_strings() -> None:
    seats = parse_catalog(example()).rows["seats"]

    first_row = [(seat["seat_id"], seat["seat_number"]) for seat in seats[:30]]
    assert first_row == [(1000001 + n, str(n + 1)) for n in range(30)]
    assert [seat["seat_id"] for seat in seats[30:]] == [1000101, 1000102]
    assert [seat["quality_order"] for seat in seats] == list(range(32))
    assert (seats[30]["row_rank"], seats[31]["position_in_row"]) == (1, 1)


def test_an_unknown_key_is_named_with_its_path() -> None:
    document = example()
    document["salesChannels"][0]["pointsOfSales"].append({"id": 2, "code": "X", "colour": "red"})

    assert problems_of(document) == ["salesChannels[0].pointsOfSales[1].colour: unknown key"]


def test_an_unknown_top_level_key_is_named() -> None:
    document = example()
    document["salesChannel"] = []

    assert problems_of(document) == ["salesChannel: unknown key"]


def test_a_missing_required_key_is_named_with_its_path() -> None:
    document = example()
    del document["venues"][0]["areas"][1]["capacity"]

    assert problems_of(document) == ["venues[0].areas[1].capacity: missing required key"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["items"][0].update(stock="300"),
            "items[0].stock: expected a non-negative integer",
        ),
        (
            lambda d: d["items"][0]["prices"][0].update(amount=-1),
            "items[0].prices[0].amount: expected a non-negative integer",
        ),
        (
            lambda d: d["salesChannels"][0]["charges"][1].update(per="MONTH"),
            "salesChannels[0].charges[1].per: expected TICKET or ORDER",
        ),
        (
            lambda d: d["contingents"][0].update(id=True),
            "contingents[0].id: expected a 64-bit id (integer)",
        ),
        (
            lambda d: d["venues"][0]["areas"][0].update(numbered="yes"),
            "venues[0].areas[0].numbered: expected true or false",
        ),
        (
            lambda d: d["products"][0]["performances"][0].update(start="2027-03-01T20:00:00"),
            "products[0].performances[0].start: '2027-03-01T20:00:00' has no UTC offset",
        ),
        (
            lambda d: d["venues"][0]["areas"][0]["blocks"][0]["rows"][0].update(
                seats={"from": 5, "to": 1}
            ),
            "venues[0].areas[0].blocks[0].rows[0].seats: range 5..1 is empty or longer than "
            "10000 seats",
        ),
    ],
)
def test_a_value_of_the_wrong_type_is_named_with_its_path(change: Any, expected: str) -> None:
    document = example()
    change(document)

    # An unreadable id also leaves its references dangling; the cause comes first.
    assert problems_of(document)[0] == expected


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["venues"][0]["areas"][0]["blocks"][0].update(seatCategoryId=4),
            "venues[0].areas[0].blocks[0].seatCategoryId: seat category 4 is not defined",
        ),
        (
            lambda d: d["salesChannels"][0].update(contingentIds=[11]),
            "salesChannels[0].contingentIds[0]: contingent 11 is not defined",
        ),
        (
            lambda d: d["products"][0]["performances"][0].update(venueId=6),
            "products[0].performances[0].venueId: venue 6 is not defined",
        ),
        (
            lambda d: d["products"][0]["performances"][0]["contingentPools"][0]["areaIds"].append(
                12
            ),
            "products[0].performances[0].contingentPools[0].areaIds[2]: area 12 is not defined",
        ),
        (
            lambda d: d["items"][0]["prices"][0].update(audienceSubCategoryId=3),
            "items[0].prices[0].audienceSubCategoryId: audience sub-category 3 is not defined",
        ),
    ],
)
def test_a_reference_to_an_undefined_id_names_the_path_and_the_id(
    change: Any, expected: str
) -> None:
    document = example()
    change(document)

    assert problems_of(document) == [expected]


def test_a_pool_area_of_another_venue_is_refused() -> None:
    document = example()
    document["venues"].append(
        {
            "id": 6,
            "name": "Annex",
            "areas": [
                {
                    "id": 88,
                    "name": "Annex floor",
                    "numbered": False,
                    "capacity": 10,
                    "seatCategoryId": 466681816,
                }
            ],
        }
    )
    document["products"][0]["performances"][0]["contingentPools"][0]["areaIds"] = [88]

    assert problems_of(document) == [
        "products[0].performances[0].contingentPools[0].areaIds[0]: area 88 is not in venue 5"
    ]


def test_duplicate_ids_are_refused() -> None:
    document = example()
    document["items"].append(copy.deepcopy(document["items"][0]))
    rows = document["venues"][0]["areas"][0]["blocks"][0]["rows"]
    rows[1]["seats"][0]["id"] = 1000030  # already the 30th seat of row 1

    problems = problems_of(document)

    assert "items[1]: duplicate item id 77 (first defined at items[0])" in problems
    assert any(
        problem.startswith(
            "venues[0].areas[0].blocks[0].rows[1].seats[0]: duplicate seat id 1000030"
        )
        for problem in problems
    )


def test_every_problem_is_reported_at_once() -> None:
    document = example()
    document["institution"]["currency"]["colour"] = "gold"
    document["seatCategories"][0]["name"] = ""
    document["items"][0]["prices"][0]["audienceSubCategoryId"] = 1

    assert len(problems_of(document)) == 3


def test_a_file_that_is_not_json_is_refused_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    path.write_text('{"institution": }', encoding="utf-8")

    with pytest.raises(CatalogError, match="not valid JSON at line 1 column 17"):
        read_catalog(path)


def test_a_catalog_file_reads_from_its_path(tmp_path: Path) -> None:
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(example()), encoding="utf-8")

    assert len(read_catalog(path).rows["seats"]) == 32


def test_a_password_hash_is_salted_and_verifies_only_the_right_password() -> None:
    first, second = hash_password("demo-a-secret"), hash_password("demo-a-secret")

    assert first != second and "demo-a-secret" not in first
    assert verify_password(first, "demo-a-secret") and verify_password(second, "demo-a-secret")
    assert not verify_password(first, "demo-b-secret")


@pytest.mark.parametrize("bad_hash", ["", "plain-text", "$argon2id$v=19$broken"])
def test_verifying_against_an_unreadable_hash_says_no_without_raising(bad_hash: str) -> None:
    assert not verify_password(bad_hash, "demo-a-secret")


def test_seasons_time_zone_and_payment_methods_are_read() -> None:
    document = example()
    document["institution"]["timeZone"] = "Europe/Paris"
    document["seasons"] = [{"id": 2027, "code": "S2027", "name": "Season 2027"}]
    document["products"][0]["seasonId"] = 2027
    document["salesChannels"][0]["paymentMethods"] = [{"id": 31, "code": "CARD", "name": "Card"}]
    rows = parse_catalog(document).rows

    assert rows["institution"][0]["time_zone"] == "Europe/Paris"
    assert rows["seasons"] == [{"season_id": 2027, "code": "S2027", "name": "Season 2027"}]
    assert rows["products"][0]["season_id"] == 2027
    assert rows["payment_methods"] == [
        {"channel_id": 1, "payment_method_id": 31, "code": "CARD", "name": "Card", "position": 0}
    ]


def test_without_a_season_or_time_zone_the_defaults_apply() -> None:
    rows = parse_catalog(example()).rows

    assert rows["products"][0]["season_id"] is None
    assert rows["institution"][0]["time_zone"] is None
    assert rows.get("seasons", []) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["products"][0].update(seasonId=9),
            "products[0].seasonId: season 9 is not defined",
        ),
        (
            lambda d: d.update(seasons=[{"id": 0, "code": "Z", "name": "Zero"}]),
            "seasons[0].id: expected a positive 64-bit id (integer)",
        ),
        (
            lambda d: d["institution"].update(timeZone="Mars/Olympus"),
            "institution.timeZone: 'Mars/Olympus' is not a known time zone",
        ),
    ],
)
def test_a_bad_season_or_time_zone_is_named(change: Any, expected: str) -> None:
    document = example()
    change(document)

    assert problems_of(document) == [expected]
