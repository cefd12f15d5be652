"""The sibling services' JSON twins: same operations, names and error keys as over SOAP."""

from __future__ import annotations

from boxoffice.bootstrap import Boxoffice
from tests.contract import catalog
from tests.contract.test_json_twin import BASE, call

CATALOG = f"{BASE}/catalogService/v1_33"
AVAILABILITY = f"{BASE}/availabilityService/v1_33"
SEATING = f"{BASE}/externalSeatingService/v1_0"


def test_the_journey_runs_over_json(app: Boxoffice) -> None:
    status, pos = call(app, f"{CATALOG}/getPOSConfig", {"requestId": "J-pos"})
    assert status == 200 and pos["statusCode"] == "success"
    assert (pos["requestId"], pos["statusDetail"]) == ("J-pos", "")
    pos_id = pos["posConfigData"]["posId"]
    _, catalogue = call(app, f"{CATALOG}/getCatalogDetailed", {})
    concert = catalogue["catalogData"]["seasons"][1]["products"][0]
    performance = concert["event"]["performances"][0]
    _, figures = call(
        app,
        f"{AVAILABILITY}/getPerformanceAvailability",
        {"pointOfSalesId": pos_id, "performanceIds": [performance["id"]]},
    )
    assert figures["availabilityData"][0]["quantity"] == 27
    _, created = call(
        app,
        f"{BASE}/externalOrderFacade/v1_33/createOrUpdateOrder",
        {
            "pointOfSalesId": pos_id,
            "singleEntryAttributionOperations": [
                {
                    "operationAttributions": [
                        {
                            "performanceId": performance["id"],
                            "seatCategoryId": performance["prices"][0]["seatCatId"],
                            "audienceSubCategoryId": performance["prices"][0]["audSubCatId"],
                            "quantity": 1,
                        }
                    ]
                }
            ],
        },
    )
    assert created["statusCode"] == "success", created
    movement = created["orderUpdateData"]["movementDataUpdates"][0]
    _, seats = call(
        app, f"{AVAILABILITY}/getSeatsAvailability", {"performanceId": performance["id"]}
    )
    free = next(
        s["seatId"]
        for s in seats["seatAvailabilityData"]
        if s["status"] == "FREE" and s["seatCategoryId"] == movement["seatCategoryId"]
    )
    _, seated = call(
        app,
        f"{SEATING}/doSeatingForOperations",
        {
            "operationIds": [movement["operationId"]],
            "seatingInformation": [{"movementId": movement["movementId"], "physicalSeatId": free}],
        },
    )
    assert seated["statusCode"] == "success", seated
    assert seated["movementsData"][0]["seatId"] == free


def test_a_refusal_has_the_same_key_over_json(app: Boxoffice) -> None:
    _, refused = call(
        app,
        f"{AVAILABILITY}/getPerformanceAvailability",
        {"performanceIds": [catalog.PERFORMANCE], "contingentIds": [catalog.CONTINGENT_B]},
    )
    assert (refused["statusCode"], refused["statusDetail"]) == (
        "error",
        "error.contingent.forbidden",
    )
