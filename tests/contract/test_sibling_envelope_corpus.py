"""The sibling services' requests as real clients write them, replayed byte for byte.

Like test_envelope_corpus.py, one file per way of writing a request, including the platform's
own documented header form (wsse:Security with mustUnderstand="1", a UsernameToken with wsu:Id
and Type=PasswordText). The response is read on the paths a client turning it into JSON reads,
with requestId and statusDetail always present (contract §9.1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from boxoffice.bootstrap import Boxoffice
from boxoffice.soap.application import AVAILABILITY, CATALOG, SEATING, ServiceDefinition
from tests.contract.envelopes import post
from tests.contract.test_envelope_corpus import CORPUS as ORDER_CORPUS
from tests.contract.test_envelope_corpus import MISSING, as_json, at, replay

CORPUS = Path(__file__).resolve().parent / "sibling_envelopes"
SERVICE_OF = {
    "getCatalogDetailed": (CATALOG, "CatalogResultDetailed"),
    "getPOSConfig": (CATALOG, "POSConfigResult"),
    "isCatalogServiceAlive": (CATALOG, "WebMethodResult"),
    "getEventAvailability": (AVAILABILITY, "AvailabilityResult"),
    "getPerformanceAvailability": (AVAILABILITY, "AvailabilityResult"),
    "getProductAvailability": (AVAILABILITY, "AvailabilityResult"),
    "getSeatsAvailability": (AVAILABILITY, "SeatsAvailabilityResult"),
    "getUpdatedAvailabilities": (AVAILABILITY, "UpdatedAvailabilitiesResult"),
    "doSeatingForOperations": (SEATING, "SeatingResult"),
}
# Files of the order services' corpus: a new order, then two seats (operation 1, movements 1-2).
ORDER_WITH_SEATS = ("createOrder.jaxws-metro.xml", "addOperation.seat-best-available.xml")


@dataclass(frozen=True)
class Variant:
    client: str
    setup: tuple[str, ...] = ()
    expect: dict[str, Any] = field(default_factory=dict)
    status_detail: str = ""  # "" for a success


VARIANTS = {
    "getPOSConfig.platform-header.xml": Variant(
        "SoapUI with the platform's documented header",
        expect={
            "requestId": "pos-1",
            "posConfigData.posId": "466653735",
            "posConfigData.organizationTimeZone": "Europe/Paris",
        },
    ),
    "getCatalogDetailed.platform-header.xml": Variant(
        "SoapUI with the platform's documented header",
        expect={
            "requestId": "cat-1",
            "catalogData.seasons.0.id": "0",
            "catalogData.seasons.1.products.id": "42",
            "catalogData.seasons.1.products.event.performances.0.id": "101036924388",
        },
    ),
    "isCatalogServiceAlive.node-soap.xml": Variant(
        "node-soap, no requestId: an empty requestId comes back", expect={"requestId": None}
    ),
    "getPerformanceAvailability.platform-header.xml": Variant(
        "SoapUI: one performance, -1 for a figure per seat category",
        expect={
            "requestId": "perf-1",
            "availabilityData.0.seatCategoryId": "466681816",
            "availabilityData.0.quantity": "18",
            "availabilityData.0.level": "GOOD",
            "availabilityData.2.quantity": "3",
        },
    ),
    "getEventAvailability.node-soap.xml": Variant(
        "node-soap: an event, empty seatCategoryIds, the channel's contingent named",
        expect={
            "availabilityData.0.performanceId": "101036924388",
            "availabilityData.1.performanceId": "101036924389",
            "availabilityData.0.contingentId": "10",
            "availabilityData.0.quantity": "27",
        },
    ),
    "getProductAvailability.platform-header.xml": Variant(
        "SoapUI: a product and an item, pointOfSalesId xsi:nil",
        expect={
            "availabilityData.0.quantity": "54",
            "availabilityData.1.productId": "77",
            "availabilityData.1.quantity": "2",
        },
    ),
    "getSeatsAvailability.platform-header.xml": Variant(
        "SoapUI: the seats of one area and category",
        setup=ORDER_WITH_SEATS,
        expect={
            "requestId": "seats-1",
            "seatAvailabilityData.0.seatId": "7010101",
            "seatAvailabilityData.0.status": "FREE",
            "seatAvailabilityData.6.seatId": MISSING,
        },
    ),
    "getUpdatedAvailabilities.node-soap.xml": Variant(
        "node-soap: changes since a date with an offset",
        setup=ORDER_WITH_SEATS,
        expect={"availabilityUpdateData.productId": "42"},
    ),
    "doSeatingForOperations.platform-header.xml": Variant(
        "SoapUI with the platform's documented header: two movements to row 3",
        setup=ORDER_WITH_SEATS,
        expect={
            "requestId": "seat-1",
            "movementsData.0.seatId": "7000305",
            "movementsData.1.seatId": "7000306",
            "movementsData.1.rowNumber": "3",
        },
    ),
    "doSeatingForOperations.refused-taken-seat.xml": Variant(
        "node-soap: a seat the order's other movement holds",
        setup=ORDER_WITH_SEATS,
        status_detail="error.seat.unavailable",
    ),
}


def _url(definition: ServiceDefinition) -> str:
    return "http://localhost:8080" + definition.path


def test_every_file_of_the_sibling_corpus_has_its_expectations() -> None:
    assert sorted(path.name for path in CORPUS.glob("*.xml")) == sorted(VARIANTS)
    assert {name.split(".", 1)[0] for name in VARIANTS} == set(SERVICE_OF)
    assert all((ORDER_CORPUS / step).exists() for v in VARIANTS.values() for step in v.setup)


@pytest.mark.parametrize("file_name", sorted(VARIANTS))
def test_a_sibling_request_is_answered_as_the_platform_answers_it(
    app: Boxoffice, file_name: str
) -> None:
    variant = VARIANTS[file_name]
    for step in variant.setup:
        assert replay(app, step).status_code == 200
    operation = file_name.split(".", 1)[0]
    definition, result_name = SERVICE_OF[operation]
    response = post(app, (CORPUS / file_name).read_bytes(), _url(definition), SOAPAction='""')
    assert response.status_code == 200, response.content
    wrapper = as_json(response.content)["S:Envelope"]["S:Body"][f"ns2:{operation}Response"]
    assert wrapper["@xmlns:ns2"] == definition.tns
    result = wrapper[result_name]
    # Always present, empty when there is no value: a real harness asserts both keys.
    assert "requestId" in result and "statusDetail" in result, result
    if variant.status_detail:
        assert (result["statusCode"], result["statusDetail"]) == ("error", variant.status_detail)
    else:
        assert (result["statusCode"], result["statusDetail"]) == ("success", None), result
    for path, expected in variant.expect.items():
        actual = at(result, path)
        assert actual == expected, (path, actual, result)
