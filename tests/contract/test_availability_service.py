"""AvailabilityService v1_33: figures of the calling channel's contingent, as the sale sees it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from zeep.exceptions import Fault

from tests.contract import catalog
from tests.contract.conftest import FakeClock
from tests.contract.siblings import Siblings

# Contingent A: North (18 seats of category 1, 6 of category 2) and 3 standing places.
A_SEATS_CATEGORY_1, A_SEATS_CATEGORY_2 = 18, 6
A_CAPACITY = A_SEATS_CATEGORY_1 + A_SEATS_CATEGORY_2 + catalog.STANDING_CAPACITY


def test_a_performance_counts_every_place_of_the_callers_contingent(seller: Siblings) -> None:
    (figure,) = seller.figures()
    assert (figure.productId, figure.performanceId, figure.contingentId) == (
        42,
        catalog.PERFORMANCE,
        catalog.CONTINGENT_A,
    )
    assert (figure.quantity, figure.capacity, figure.level) == (A_CAPACITY, A_CAPACITY, "GOOD")
    assert figure.seatCategoryId is None


def test_minus_one_gives_one_figure_per_seat_category(seller: Siblings) -> None:
    figures = seller.figures(seatCategoryIds=[-1])
    assert {f.seatCategoryId: (f.quantity, f.capacity) for f in figures} == {
        catalog.CATEGORY_1: (A_SEATS_CATEGORY_1, A_SEATS_CATEGORY_1),
        catalog.CATEGORY_2: (A_SEATS_CATEGORY_2, A_SEATS_CATEGORY_2),
        catalog.FLOOR: (catalog.STANDING_CAPACITY, catalog.STANDING_CAPACITY),
    }
    (floor,) = seller.figures(seatCategoryIds=[catalog.FLOOR])
    assert floor.quantity == catalog.STANDING_CAPACITY


def test_levels_follow_what_is_left(seller: Siblings) -> None:
    order_id = seller.orders.new_order()
    for _ in range(2):
        assert (
            seller.orders.add(
                order_id,
                kind="AREA",
                performanceId=catalog.PERFORMANCE,
                areaId=catalog.STANDING,
                audienceSubCategoryId=catalog.ADULT,
                quantity=1,
            ).statusCode
            == "success"
        )
    (floor,) = seller.figures(seatCategoryIds=[catalog.FLOOR])
    assert (floor.quantity, floor.level) == (1, "LIMITED")
    seller.orders.add(
        order_id,
        kind="AREA",
        performanceId=catalog.PERFORMANCE,
        areaId=catalog.STANDING,
        audienceSubCategoryId=catalog.ADULT,
        quantity=1,
    )
    (floor,) = seller.figures(seatCategoryIds=[catalog.FLOOR])
    assert (floor.quantity, floor.level) == (0, "SOLD_OUT")
    refused = seller.orders.add(
        order_id,
        kind="AREA",
        performanceId=catalog.PERFORMANCE,
        areaId=catalog.STANDING,
        audienceSubCategoryId=catalog.ADULT,
        quantity=1,
    )
    assert refused.statusDetail == "error.order.availability"


def test_figures_follow_a_sale_an_abandon_and_an_expiry(
    seller: Siblings, clock: FakeClock, app: object
) -> None:
    def category_1() -> int:
        return seller.free(seatCategoryIds=[catalog.CATEGORY_1])

    sold = seller.orders.new_order()
    assert seller.orders.add_seats(sold, 4).statusCode == "success"
    assert seller.orders.orders.service.closeOrder(orderId=sold).statusCode == "success"
    assert category_1() == A_SEATS_CATEGORY_1 - 4
    abandoned = seller.orders.new_order()
    seller.orders.add_seats(abandoned, 3)
    assert category_1() == A_SEATS_CATEGORY_1 - 7
    seller.orders.orders.service.abandonOrder(orderId=abandoned)
    assert category_1() == A_SEATS_CATEGORY_1 - 4
    expiring = seller.orders.new_order()
    seller.orders.add_seats(expiring, 5)
    assert category_1() == A_SEATS_CATEGORY_1 - 9
    clock.advance(catalog.INACTIVITY_SECONDS + 1)
    # Touching the order expires it (the sweeper would too); its seats are back on sale.
    assert (
        seller.orders.orders.service.getOrderDetails(orderId=expiring).orderDetailsData.orderState
        == "EXPIRED"
    )
    left = category_1()
    assert left == A_SEATS_CATEGORY_1 - 4
    # What is announced can be sold, and not one seat more.
    buyer = seller.orders.new_order()
    assert seller.orders.add_seats(buyer, left, contiguous=False).statusCode == "success"
    assert category_1() == 0
    assert seller.orders.add_seats(buyer, 1).statusDetail == "error.order.availability"


def test_an_event_and_a_product_sum_their_performances(seller: Siblings) -> None:
    events = seller.availability.service.getEventAvailability(eventIds=[42])
    assert [f.performanceId for f in events.availabilityData] == [
        catalog.PERFORMANCE,
        catalog.OTHER_PERFORMANCE,
    ]
    products = seller.availability.service.getProductAvailability(productIds=[42, catalog.ITEM])
    concert, item = products.availabilityData
    assert (concert.productId, concert.quantity, concert.capacity) == (
        42,
        2 * A_CAPACITY,
        2 * A_CAPACITY,
    )
    assert (item.productId, item.quantity, item.level) == (catalog.ITEM, catalog.ITEM_STOCK, "GOOD")


def test_seats_are_given_one_by_one(seller: Siblings) -> None:
    order_id = seller.orders.new_order()
    held = seller.orders.add(
        order_id,
        kind="SEAT",
        performanceId=catalog.PERFORMANCE,
        audienceSubCategoryId=catalog.ADULT,
        quantity=1,
        seatIds=[catalog.seat_id(1, 1)],
    )
    assert held.statusCode == "success"
    closed = seller.orders.new_order()
    seller.orders.add(
        closed,
        kind="SEAT",
        performanceId=catalog.PERFORMANCE,
        audienceSubCategoryId=catalog.ADULT,
        quantity=1,
        seatIds=[catalog.seat_id(1, 2)],
    )
    seller.orders.orders.service.closeOrder(orderId=closed)
    states = seller.seat_states()
    assert states[catalog.seat_id(1, 1)] == "HELD"
    assert states[catalog.seat_id(1, 2)] == "SOLD"
    assert states[catalog.seat_id(1, 3)] == "FREE"
    assert states[7100101] == "NOT_IN_CONTINGENT"  # South belongs to contingent B
    assert len(states) == 4 * 6 + 6
    assert list(states.values()).count("FREE") == A_SEATS_CATEGORY_1 + A_SEATS_CATEGORY_2 - 2


def test_updated_availabilities_name_the_products_changed_since_a_date(
    seller: Siblings, clock: FakeClock
) -> None:
    before = clock.now
    clock.advance(60)
    nothing = seller.availability.service.getUpdatedAvailabilities(referenceDate=before)
    assert nothing.statusCode == "success" and not nothing.availabilityUpdateData
    order_id = seller.orders.new_order()
    seller.orders.add_seats(order_id, 2)
    changed = seller.availability.service.getUpdatedAvailabilities(referenceDate=before)
    assert [(u.productId, u.lastUpdate) for u in changed.availabilityUpdateData] == [
        (42, clock.now)
    ]
    later = seller.availability.service.getUpdatedAvailabilities(
        referenceDate=clock.now + timedelta(seconds=1)
    )
    assert not later.availabilityUpdateData
    only_item = seller.availability.service.getUpdatedAvailabilities(
        referenceDate=before, productIds=[catalog.ITEM]
    )
    assert not only_item.availabilityUpdateData


def test_another_channels_contingent_is_refused(seller: Siblings) -> None:
    result = seller.availability.service.getPerformanceAvailability(
        performanceIds=[catalog.PERFORMANCE], contingentIds=[catalog.CONTINGENT_B]
    )
    assert (result.statusCode, result.statusDetail) == ("error", "error.contingent.forbidden")
    assert not result.availabilityData


def test_a_performance_the_channel_does_not_sell_answers_as_a_missing_one(
    other_seller: Siblings,
) -> None:
    service = other_seller.availability.service
    for performance_id in (catalog.A_ONLY_PERFORMANCE, 999):
        assert (
            service.getPerformanceAvailability(performanceIds=[performance_id]).statusDetail
            == "error.performance.notFound"
        )
        assert (
            service.getSeatsAvailability(performanceId=performance_id).statusDetail
            == "error.performance.notFound"
        )
    for product_id in (catalog.A_ONLY_PRODUCT, 999):
        assert (
            service.getEventAvailability(eventIds=[product_id]).statusDetail
            == "error.product.notFound"
        )
        assert (
            service.getProductAvailability(productIds=[product_id]).statusDetail
            == "error.product.notFound"
        )


def test_another_channels_point_of_sales_is_refused(seller: Siblings) -> None:
    result = seller.availability.service.getPerformanceAvailability(
        pointOfSalesId=catalog.POS_B, performanceIds=[catalog.PERFORMANCE]
    )
    assert result.statusDetail == "error.pointOfSales.notFound"


def test_a_seat_list_is_bounded(seller: Siblings, monkeypatch: pytest.MonkeyPatch) -> None:
    from boxoffice.service import availability

    monkeypatch.setattr(availability, "MAX_SEATS_PER_ANSWER", 10)
    with pytest.raises(Fault) as refused:
        seller.availability.service.getSeatsAvailability(performanceId=catalog.PERFORMANCE)
    assert refused.value.code.endswith("Client.InvalidRequest")
    assert "areaIds" in refused.value.message
    only_side = seller.availability.service.getSeatsAvailability(
        performanceId=catalog.PERFORMANCE, seatCategoryIds=[catalog.CATEGORY_2]
    )
    assert len(only_side.seatAvailabilityData) == 6
