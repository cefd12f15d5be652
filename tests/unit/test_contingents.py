"""Contingents: which pool of places a sales channel sells from, and nothing outside it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from boxoffice.domain.allocation import SeatMap, VenueLayout
from boxoffice.domain.catalog import ExpiryPolicy, Performance, Product, SalesChannel, Seat
from boxoffice.domain.errors import ContingentForbidden, NoAvailability, SeatNotFound

RESELLER_QUOTA, BOX_OFFICE_QUOTA = 10, 20
NORTH, SOUTH = 466636464, 466636466


def channel(*contingent_ids: int) -> SalesChannel:
    return SalesChannel(
        channel_id=1,
        code="RESELLER_A",
        name="Reseller A",
        expiry=ExpiryPolicy(1200, 7200),
        contingent_ids=contingent_ids,
        point_of_sales_ids=(466653735,),
    )


PERFORMANCE = Performance(
    performance_id=101036924388,
    product=Product(42, "CONCERT", "Concert", "SINGLE_ENTRY"),
    venue_id=5,
    start=datetime(2027, 3, 1, 19, 0, tzinfo=UTC),
    prices={},
    contingent_pools={
        RESELLER_QUOTA: frozenset({NORTH}),
        BOX_OFFICE_QUOTA: frozenset({NORTH, SOUTH}),
    },
)


def seat_map() -> SeatMap:
    seats = [
        Seat(area * 100 + number, area, 700, "1", str(number), 11)
        for area in (SOUTH, NORTH)
        for number in range(1, 5)
    ]
    return SeatMap(VenueLayout(seats))


def test_a_request_naming_no_contingent_uses_the_channels_only_one():
    assert channel(RESELLER_QUOTA).resolve_contingent(None) == RESELLER_QUOTA


def test_a_request_naming_an_allowed_contingent_gets_it():
    assert channel(RESELLER_QUOTA, BOX_OFFICE_QUOTA).resolve_contingent(BOX_OFFICE_QUOTA) == (
        BOX_OFFICE_QUOTA
    )


def test_a_request_naming_a_contingent_of_another_channel_is_forbidden():
    with pytest.raises(ContingentForbidden):
        channel(RESELLER_QUOTA).resolve_contingent(BOX_OFFICE_QUOTA)


def test_a_channel_without_contingent_resolves_to_none_and_sells_from_no_pool():
    contingent = channel().resolve_contingent(None)
    assert contingent is None
    assert PERFORMANCE.pool_areas(contingent) == frozenset()


def test_a_contingent_sells_only_the_areas_of_its_pool_for_the_performance():
    assert PERFORMANCE.pool_areas(RESELLER_QUOTA) == {NORTH}
    assert PERFORMANCE.pool_areas(BOX_OFFICE_QUOTA) == {NORTH, SOUTH}
    assert PERFORMANCE.pool_areas(99) == frozenset()


def test_seats_are_allocated_from_the_resolved_contingents_pool_only():
    pool = PERFORMANCE.pool_areas(channel(RESELLER_QUOTA).resolve_contingent(None))
    groups = seat_map().best_available(2, allowed_area_ids=pool)
    assert {seat.area_id for seat in groups[0]} == {NORTH}


def test_a_full_pool_refuses_even_when_seats_are_free_outside_it():
    seats = seat_map()
    pool = PERFORMANCE.pool_areas(RESELLER_QUOTA)
    seats.take([NORTH * 100 + number for number in range(1, 5)])
    with pytest.raises(NoAvailability):
        seats.best_available(1, allowed_area_ids=pool, contiguous=False)


def test_a_seat_outside_the_pool_cannot_be_chosen_by_hand():
    with pytest.raises(SeatNotFound):
        seat_map().choose(
            [SOUTH * 100 + 1], allowed_area_ids=PERFORMANCE.pool_areas(RESELLER_QUOTA)
        )
