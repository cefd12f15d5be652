"""CatalogService v1_33: the channel's catalogue and point-of-sale configuration."""

from __future__ import annotations

from tests.contract import catalog
from tests.contract.siblings import Siblings


def test_the_catalogue_lists_seasons_products_performances_and_prices(seller: Siblings) -> None:
    result = seller.catalog.service.getCatalogDetailed(requestId="cat-1")
    assert (result.requestId, result.statusCode, result.statusDetail or "") == (
        "cat-1",
        "success",
        "",
    )
    data = result.catalogData
    seasons = {s.id: s for s in data.seasons}
    assert set(seasons) == {0, catalog.SEASON}
    assert seasons[catalog.SEASON].code == "S2027"
    assert [p.id for p in seasons[0].products] == [catalog.A_ONLY_PRODUCT]
    (concert,) = seasons[catalog.SEASON].products
    assert (concert.code, concert.productFamilyType, concert.externalName) == (
        "CONCERT",
        "SINGLE_ENTRY",
        "Concert",
    )
    performances = {p.id: p for p in concert.event.performances}
    assert set(performances) == {catalog.PERFORMANCE, catalog.OTHER_PERFORMANCE}
    first = performances[catalog.PERFORMANCE]
    assert first.start.isoformat() == "2027-03-01T19:00:00+00:00"
    assert {c.id: c.externalName for c in first.seatCategories} == {
        catalog.CATEGORY_1: "Category 1",
        catalog.CATEGORY_2: "Category 2",
        catalog.FLOOR: "Floor",
    }
    assert {(p.seatCatId, p.audSubCatId): p.amount for p in first.prices}[
        (catalog.CATEGORY_1, catalog.CHILD)
    ] == catalog.CHILD_PRICE
    (venue,) = data.physicalConfigurations
    assert {a.id for a in venue.areas} == {catalog.NORTH, catalog.STANDING}
    assert {a.id: a.externalName for a in data.audienceSubCategories}[catalog.ADULT] == "Adult"
    assert [(i.id, i.prices[0].amount) for i in data.items] == [(catalog.ITEM, catalog.ITEM_PRICE)]


def test_another_channel_sees_only_what_its_contingent_sells(other_seller: Siblings) -> None:
    data = other_seller.catalog.service.getCatalogDetailed().catalogData
    products = [p.id for s in data.seasons for p in s.products]
    assert products == [42]
    (venue,) = data.physicalConfigurations
    assert [a.id for a in venue.areas] == [catalog.SOUTH]


def test_the_point_of_sale_configuration_is_the_callers(
    seller: Siblings, other_seller: Siblings
) -> None:
    result = seller.catalog.service.getPOSConfig()
    assert (result.requestId or "", result.statusCode, result.statusDetail or "") == (
        "",
        "success",
        "",
    )
    pos = result.posConfigData
    assert (pos.posId, pos.posCode, pos.salesChannelId, pos.salesChannelCode) == (
        catalog.POS_A,
        "RESELLER_A_WEB",
        1,
        "RESELLER_A",
    )
    assert (pos.currencyCode, pos.organizationTimeZone) == ("EUR", "Europe/Paris")
    assert [(m.id, m.code) for m in pos.paymentMethods] == [(catalog.PAYMENT_METHOD, "INVOICE")]
    assert [(c.id, c.per, c.amount) for c in pos.charges] == [
        (900, "TICKET", catalog.TICKET_FEE),
        (901, "ORDER", catalog.ORDER_FEE),
    ]
    assert pos.orderAbandonDelay == catalog.INACTIVITY_SECONDS
    assert pos.maxSeatsPerPerformance == 40
    assert other_seller.catalog.service.getPOSConfig().posConfigData.posId == catalog.POS_B


def test_the_catalogue_service_answers_that_it_is_alive(seller: Siblings) -> None:
    result = seller.catalog.service.isCatalogServiceAlive(requestId="ping")
    assert (result.requestId, result.statusCode, result.statusDetail or "") == (
        "ping",
        "success",
        "",
    )
