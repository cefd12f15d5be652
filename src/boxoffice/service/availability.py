"""Use cases of the availability service: what the calling channel's contingent can still sell.

Every figure comes from the inventory the sale itself uses (the performance's seat map, the
standing areas' and items' stocks), read under the same locks, so an answer never counts a
place that createOrUpdateOrder would refuse at that moment, nor misses one it would sell.

Levels (documented in docs/integration-guide.md): SOLD_OUT when nothing is left, LIMITED when
what is left is at most LIMITED_SHARE of the capacity (at least one place), GOOD otherwise.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import datetime

from boxoffice.domain.catalog import Performance, SalesChannel
from boxoffice.domain.errors import InvalidRequest, PerformanceNotFound, ProductNotFound
from boxoffice.domain.states import MovementState
from boxoffice.service.access import channel_of
from boxoffice.service.catalog_reads import (
    channel_performances,
    check_point_of_sales,
    sold_by,
)
from boxoffice.service.catalog_views import (
    AvailabilityUpdateView,
    AvailabilityView,
    SeatAvailabilityView,
)
from boxoffice.service.ports import UnitOfWork
from boxoffice.service.requests import Caller

LIMITED_SHARE = 0.10
# Seats one getSeatsAvailability answer may list: a seat costs about half a millisecond to write
# as SOAP, so a whole stadium would keep a server thread busy for half a minute. Larger venues
# are asked area by area (areaIds) or category by category.
MAX_SEATS_PER_ANSWER = 20_000
# seatCategoryIds holding this value asks for one figure per seat category (contract §9.4).
EACH_CATEGORY = -1

GOOD, LIMITED, SOLD_OUT = "GOOD", "LIMITED", "SOLD_OUT"
FREE, HELD, SOLD, NOT_IN_CONTINGENT = "FREE", "HELD", "SOLD", "NOT_IN_CONTINGENT"


def _end_read(uow: UnitOfWork) -> None:
    """Ends a read without writing: the stock and inventory rows a first read creates on the
    way are left for the first sale to create, so that asking never changes the database."""
    uow.rollback()


def level(free: int, capacity: int) -> str:
    if free <= 0:
        return SOLD_OUT
    if free <= max(1, math.ceil(capacity * LIMITED_SHARE)):
        return LIMITED
    return GOOD


def _contingents(channel: SalesChannel, contingent_ids: Sequence[int]) -> list[int | None]:
    """The contingents asked for, each one the channel may use; none asked: its default."""
    if not contingent_ids:
        return [channel.resolve_contingent(None)]
    return [channel.resolve_contingent(c) for c in dict.fromkeys(contingent_ids)]


def _visible_performance(
    uow: UnitOfWork, channel: SalesChannel, performance_id: int
) -> Performance:
    performance = uow.catalog.performance(performance_id)
    # A performance the channel does not sell answers exactly as one that does not exist.
    if performance is None or not sold_by(channel, performance):
        raise PerformanceNotFound(f"No performance {performance_id}.")
    return performance


def _categories(
    uow: UnitOfWork,
    performance: Performance,
    pool: frozenset[int],
    seat_category_ids: Sequence[int],
) -> Sequence[int | None]:
    if not seat_category_ids:
        return [None]
    if EACH_CATEGORY not in seat_category_ids:
        return list(dict.fromkeys(seat_category_ids))
    seat_map = uow.inventory.seat_map(performance)
    found = seat_map.seat_categories(pool)
    found |= {
        area.seat_category_id
        for area in uow.catalog.areas_of_venue(performance.venue_id)
        if not area.numbered and area.area_id in pool and area.seat_category_id
    }
    return sorted(c for c in found if c is not None)


def _count(
    uow: UnitOfWork, performance: Performance, pool: frozenset[int], seat_category_id: int | None
) -> tuple[int, int]:
    """(free, capacity) of the pool: numbered seats from the seat map, standing from stocks."""
    free, capacity = uow.inventory.seat_map(performance).counts(pool, seat_category_id)
    for area in uow.catalog.areas_of_venue(performance.venue_id):
        if area.numbered or area.area_id not in pool:
            continue
        if seat_category_id is not None and area.seat_category_id != seat_category_id:
            continue
        stock = uow.inventory.area_stock(performance.performance_id, area)
        free += max(stock.available, 0)
        capacity += stock.capacity
    return free, capacity


def _performance_figures(
    uow: UnitOfWork,
    channel: SalesChannel,
    performance: Performance,
    contingents: Sequence[int | None],
    seat_category_ids: Sequence[int],
) -> list[AvailabilityView]:
    views = []
    for contingent_id in contingents:
        pool = performance.pool_areas(contingent_id)
        for category in _categories(uow, performance, pool, seat_category_ids):
            free, capacity = _count(uow, performance, pool, category)
            views.append(
                AvailabilityView(
                    product_id=performance.product.product_id,
                    performance_id=performance.performance_id,
                    seat_category_id=category,
                    contingent_id=contingent_id,
                    quantity=free,
                    capacity=capacity,
                    level=level(free, capacity),
                )
            )
    return views


def _figures_in_lock_order(
    uow: UnitOfWork,
    channel: SalesChannel,
    performances: Sequence[Performance],
    contingents: Sequence[int | None],
    seat_category_ids: Sequence[int],
) -> dict[int, list[AvailabilityView]]:
    """Figures per performance id; seat maps are locked in ascending performance order, as
    every use case that sells locks them, so that two calls never wait on each other in a
    circle."""
    by_id = {p.performance_id: p for p in performances}
    return {
        performance_id: _performance_figures(
            uow, channel, by_id[performance_id], contingents, seat_category_ids
        )
        for performance_id in sorted(by_id)
    }


def _product_performances(
    uow: UnitOfWork, channel: SalesChannel, product_ids: Iterable[int]
) -> list[Performance]:
    sold = channel_performances(uow, channel)
    chosen = []
    for product_id in dict.fromkeys(product_ids):
        performances = [p for p in sold if p.product.product_id == product_id]
        if not performances:
            raise ProductNotFound(f"No product {product_id}.")
        chosen += performances
    return chosen


def performance_availability(
    uow: UnitOfWork,
    caller: Caller,
    now: datetime,
    *,
    point_of_sales_id: int | None,
    performance_ids: Sequence[int] = (),
    product_ids: Sequence[int] = (),
    seat_category_ids: Sequence[int] = (),
    contingent_ids: Sequence[int] = (),
) -> list[AvailabilityView]:
    """One figure per performance (and contingent, and category when asked), events included."""
    with uow:
        channel = channel_of(uow, caller)
        check_point_of_sales(channel, point_of_sales_id)
        contingents = _contingents(channel, contingent_ids)
        asked = [
            _visible_performance(uow, channel, performance_id)
            for performance_id in dict.fromkeys(performance_ids)
        ]
        asked += _product_performances(uow, channel, product_ids)
        if not asked:
            raise InvalidRequest("Name at least one performance or event.")
        figures = _figures_in_lock_order(uow, channel, asked, contingents, seat_category_ids)
        _end_read(uow)
        return [
            view
            for performance_id in dict.fromkeys(p.performance_id for p in asked)
            for view in figures[performance_id]
        ]


def product_availability(
    uow: UnitOfWork,
    caller: Caller,
    now: datetime,
    *,
    point_of_sales_id: int | None,
    product_ids: Sequence[int],
    seat_category_ids: Sequence[int] = (),
    contingent_ids: Sequence[int] = (),
) -> list[AvailabilityView]:
    """One figure per product: its performances summed (per category when asked), or an item's
    stock."""
    if not product_ids:
        raise InvalidRequest("Name at least one product.")
    with uow:
        channel = channel_of(uow, caller)
        check_point_of_sales(channel, point_of_sales_id)
        contingents = _contingents(channel, contingent_ids)
        sold = channel_performances(uow, channel)
        chosen = {
            product_id: [p for p in sold if p.product.product_id == product_id]
            for product_id in dict.fromkeys(product_ids)
        }
        figures = _figures_in_lock_order(
            uow, channel, [p for ps in chosen.values() for p in ps], contingents, seat_category_ids
        )
        views = []
        for product_id, performances in chosen.items():
            item = uow.catalog.item(product_id) if not performances else None
            if item is not None:
                stock = uow.inventory.item_stock(item)
                free = max(stock.available, 0)
                views.append(
                    AvailabilityView(
                        product_id,
                        None,
                        None,
                        None,
                        free,
                        stock.capacity,
                        level(free, stock.capacity),
                    )
                )
            elif not performances:
                raise ProductNotFound(f"No product {product_id}.")
            else:
                views += _summed(
                    product_id, [view for p in performances for view in figures[p.performance_id]]
                )
        _end_read(uow)
        return views


def _summed(product_id: int, figures: Sequence[AvailabilityView]) -> list[AvailabilityView]:
    """A product's figures: its performances added up per contingent and category."""
    totals: dict[tuple[int | None, int | None], list[int]] = {}
    for view in figures:
        total = totals.setdefault((view.contingent_id, view.seat_category_id), [0, 0])
        total[0] += view.quantity
        total[1] += view.capacity
    return [
        AvailabilityView(
            product_id, None, category, contingent, free, capacity, level(free, capacity)
        )
        for (contingent, category), (free, capacity) in totals.items()
    ]


def seats_availability(
    uow: UnitOfWork,
    caller: Caller,
    now: datetime,
    *,
    point_of_sales_id: int | None,
    performance_id: int | None,
    seat_category_ids: Sequence[int] = (),
    area_ids: Sequence[int] = (),
    contingent_id: int | None = None,
) -> list[SeatAvailabilityView]:
    """Every seat of the performance's venue (of those areas and categories when given)."""
    if performance_id is None:
        raise InvalidRequest("performanceId is required.")
    with uow:
        channel = channel_of(uow, caller)
        check_point_of_sales(channel, point_of_sales_id)
        performance = _visible_performance(uow, channel, performance_id)
        pool = performance.pool_areas(channel.resolve_contingent(contingent_id))
        seat_map = uow.inventory.seat_map(performance)
        states = uow.orders.live_seat_states(performance_id)
        categories, areas = set(seat_category_ids), set(area_ids)
        chosen = [
            seat
            for seat in seat_map.layout.seats
            if (not categories or seat.seat_category_id in categories)
            and (not areas or seat.area_id in areas)
        ]
        if len(chosen) > MAX_SEATS_PER_ANSWER:
            raise InvalidRequest(
                f"{len(chosen)} seats asked; at most {MAX_SEATS_PER_ANSWER} per answer: "
                "name areaIds or seatCategoryIds."
            )
        views = []
        for seat in chosen:
            if seat.area_id not in pool:
                status = NOT_IN_CONTINGENT
            elif seat_map.is_free(seat.seat_id):
                status = FREE
            else:
                status = SOLD if states.get(seat.seat_id) is MovementState.SOLD else HELD
            views.append(
                SeatAvailabilityView(
                    seat.seat_id,
                    seat.area_id,
                    seat.block_id,
                    seat.row_number,
                    seat.seat_number,
                    seat.seat_category_id,
                    status,
                )
            )
        _end_read(uow)
        return views


def updated_availabilities(
    uow: UnitOfWork,
    caller: Caller,
    now: datetime,
    *,
    point_of_sales_id: int | None,
    product_ids: Sequence[int],
    reference_date: datetime | None,
) -> list[AvailabilityUpdateView]:
    """The channel's products (and items) whose places changed after the reference date."""
    if reference_date is None:
        raise InvalidRequest("referenceDate is required.")
    with uow:
        channel = channel_of(uow, caller)
        check_point_of_sales(channel, point_of_sales_id)
        visible = {p.product.product_id for p in channel_performances(uow, channel)}
        visible |= {item.item_id for item in uow.catalog.items()}
        for product_id in product_ids:
            if product_id not in visible:
                raise ProductNotFound(f"No product {product_id}.")
        wanted = set(product_ids) or visible
        changes = uow.orders.changed_products(reference_date)
        views = [
            AvailabilityUpdateView(product_id, last)
            for product_id, last in sorted(changes.items())
            if product_id in wanted
        ]
        _end_read(uow)
        return views
