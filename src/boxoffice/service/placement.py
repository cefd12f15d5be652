"""Finds the places a line asks for: seats, standing places, item units.

Giving places back is not done here: the unit of work releases the place of every movement
turned RELEASED when it flushes (persistence/inventory.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from boxoffice.domain.catalog import Area, Performance, SalesChannel, Seat
from boxoffice.domain.errors import (
    AreaNotFound,
    InvalidRequest,
    ItemNotFound,
    PerformanceNotFound,
    QuantityRefused,
)
from boxoffice.domain.lines import Operation, Place, check_quantity
from boxoffice.domain.states import OperationKind
from boxoffice.service.ports import UnitOfWork
from boxoffice.service.requests import OperationInput


@dataclass
class PlacedLine:
    """An operation not yet in the order, the places found for it, and how they group."""

    operation: Operation
    places: list[Place]
    # Seat ids given side by side; a group may span several lines of one call.
    contiguities: list[list[int]]


def performance_of(uow: UnitOfWork, performance_id: int | None) -> Performance:
    if performance_id is None:
        raise InvalidRequest("performanceId is required for this kind of operation.")
    performance = uow.catalog.performance(performance_id)
    if performance is None:
        raise PerformanceNotFound(f"No performance {performance_id}.")
    return performance


def place_line(uow: UnitOfWork, channel: SalesChannel, request: OperationInput) -> PlacedLine:
    """Chooses and holds the places of a new line, or refuses without holding any."""
    try:
        kind = OperationKind(request.kind)
    except ValueError:
        raise InvalidRequest(f"Unknown operation kind {request.kind!r}.") from None
    if kind is OperationKind.SEAT:
        return _place_seats(uow, channel, request)
    if kind is OperationKind.AREA:
        return _place_standing(uow, channel, request)
    if kind is OperationKind.ITEM:
        return _place_items(uow, request)
    raise InvalidRequest("Charges are added by the system, not requested.")


def _place_seats(uow: UnitOfWork, channel: SalesChannel, request: OperationInput) -> PlacedLine:
    performance = performance_of(uow, request.performance_id)
    contingent_id = channel.resolve_contingent(request.contingent_id)
    pool = performance.pool_areas(contingent_id)
    seat_map = uow.inventory.seat_map(performance)
    if request.seat_ids:
        if request.quantity is not None and request.quantity != len(request.seat_ids):
            raise QuantityRefused(
                f"quantity {request.quantity} does not match the "
                f"{len(request.seat_ids)} seats chosen."
            )
        check_quantity(len(request.seat_ids))
        groups = seat_map.choose(
            list(request.seat_ids), allowed_area_ids=pool, seat_category_id=request.seat_category_id
        )
    else:
        quantity = check_quantity(request.quantity)
        if request.seat_category_id is None:
            raise InvalidRequest("seatCategoryId is required to choose seats automatically.")
        groups = seat_map.best_available(
            quantity,
            allowed_area_ids=pool,
            seat_category_id=request.seat_category_id,
            preferred_area_ids=list(request.prefered_areas),
            contiguous=request.contiguous,
        )
    seats: list[Seat] = [seat for group in groups for seat in group]
    seat_category_id = request.seat_category_id or seats[0].seat_category_id
    unit_price = performance.price(seat_category_id, _audience(request))
    seat_map.take(seat.seat_id for seat in seats)
    operation = _ticket_operation(
        OperationKind.SEAT, performance, request, contingent_id, seat_category_id, unit_price
    )
    return PlacedLine(operation, [Place.for_seat(seat) for seat in seats], _seat_ids(groups))


def _seat_ids(groups: list[list[Seat]]) -> list[list[int]]:
    return [[seat.seat_id for seat in group] for group in groups]


def _place_standing(uow: UnitOfWork, channel: SalesChannel, request: OperationInput) -> PlacedLine:
    performance = performance_of(uow, request.performance_id)
    contingent_id = channel.resolve_contingent(request.contingent_id)
    quantity = check_quantity(request.quantity)
    area = _standing_area(uow, performance, performance.pool_areas(contingent_id), request)
    assert area.seat_category_id is not None
    unit_price = performance.price(area.seat_category_id, _audience(request))
    uow.inventory.area_stock(performance.performance_id, area).take(quantity)
    operation = _ticket_operation(
        OperationKind.AREA, performance, request, contingent_id, area.seat_category_id, unit_price
    )
    operation.area_id = area.area_id
    places = [Place(OperationKind.AREA, area_id=area.area_id)] * quantity
    return PlacedLine(operation, places, [])


def _standing_area(
    uow: UnitOfWork, performance: Performance, pool: frozenset[int], request: OperationInput
) -> Area:
    """The standing area asked for, or the first of the pool selling the asked category."""
    if request.area_id is not None:
        area = uow.catalog.area(request.area_id)
        if (
            area is None
            or area.numbered
            or area.area_id not in pool
            or area.venue_id != performance.venue_id
        ):
            raise AreaNotFound(f"No standing area {request.area_id} on sale to this channel.")
        return area
    for area in uow.catalog.areas_of_venue(performance.venue_id):
        if (
            not area.numbered
            and area.area_id in pool
            and area.seat_category_id == request.seat_category_id
        ):
            return area
    raise AreaNotFound("No standing area of that seat category on sale to this channel.")


def _place_items(uow: UnitOfWork, request: OperationInput) -> PlacedLine:
    if request.item_id is None:
        raise InvalidRequest("itemId is required for an ITEM operation.")
    item = uow.catalog.item(request.item_id)
    if item is None:
        raise ItemNotFound(f"No item {request.item_id}.")
    quantity = check_quantity(request.quantity)
    unit_price = item.price(request.audience_sub_category_id)
    uow.inventory.item_stock(item).take(quantity)
    operation = Operation(
        kind=OperationKind.ITEM,
        unit_price=unit_price,
        product_id=item.item_id,
        product_code=item.code,
        item_id=item.item_id,
        audience_sub_category_id=request.audience_sub_category_id,
    )
    return PlacedLine(operation, [Place(OperationKind.ITEM, item_id=item.item_id)] * quantity, [])


def _audience(request: OperationInput) -> int:
    if request.audience_sub_category_id is None:
        raise InvalidRequest("audienceSubCategoryId is required for a ticket.")
    return request.audience_sub_category_id


def _ticket_operation(
    kind: OperationKind,
    performance: Performance,
    request: OperationInput,
    contingent_id: int | None,
    seat_category_id: int,
    unit_price: int,
) -> Operation:
    return Operation(
        kind=kind,
        unit_price=unit_price,
        product_id=performance.product.product_id,
        product_code=performance.product.code,
        performance_id=performance.performance_id,
        seat_category_id=seat_category_id,
        audience_sub_category_id=request.audience_sub_category_id,
        contingent_id=contingent_id,
    )


def more_places(uow: UnitOfWork, operation: Operation, quantity: int) -> PlacedLine:
    """Places for raising an existing line's quantity, chosen as for a new line of its kind."""
    request = OperationInput(
        kind=operation.kind.value,
        quantity=quantity,
        audience_sub_category_id=operation.audience_sub_category_id,
        performance_id=operation.performance_id,
        seat_category_id=operation.seat_category_id,
        area_id=operation.area_id,
        item_id=operation.item_id,
        contingent_id=operation.contingent_id,
        contiguous=False,
    )
    if operation.kind is OperationKind.ITEM:
        return _place_items(uow, request)
    performance = performance_of(uow, operation.performance_id)
    pool = performance.pool_areas(operation.contingent_id)
    if operation.kind is OperationKind.AREA:
        area = _standing_area(uow, performance, pool, request)
        uow.inventory.area_stock(performance.performance_id, area).take(quantity)
        return PlacedLine(
            operation, [Place(OperationKind.AREA, area_id=area.area_id)] * quantity, []
        )
    seat_map = uow.inventory.seat_map(performance)
    groups = seat_map.best_available(
        quantity,
        allowed_area_ids=pool,
        seat_category_id=operation.seat_category_id,
        contiguous=False,
    )
    seats = [seat for group in groups for seat in group]
    seat_map.take(seat.seat_id for seat in seats)
    return PlacedLine(operation, [Place.for_seat(seat) for seat in seats], [])


def place_attribution_group(
    uow: UnitOfWork,
    channel: SalesChannel,
    attributions: Sequence[OperationInput],
    preferred_area_ids: Sequence[int],
) -> list[PlacedLine]:
    """One entry of createOrUpdateOrder: its tariffs seated together, one line per tariff.

    Attributions of one performance and seat category share one contiguous block of seats;
    anything else (mixed categories, standing categories) is placed line by line.
    """
    first = attributions[0]
    performance = performance_of(uow, first.performance_id)
    contingent_id = channel.resolve_contingent(first.contingent_id)
    pool = performance.pool_areas(contingent_id)
    together = all(
        (a.performance_id, a.seat_category_id, a.contingent_id)
        == (first.performance_id, first.seat_category_id, first.contingent_id)
        for a in attributions
    )
    standing = _standing_category(uow, performance, pool, first.seat_category_id)
    if not together or standing or first.seat_category_id is None:
        return [
            place_line(
                uow, channel, _as_line(uow, performance, pool, attribution, preferred_area_ids)
            )
            for attribution in attributions
        ]
    quantities = [check_quantity(attribution.quantity) for attribution in attributions]
    prices = [performance.price(first.seat_category_id, _audience(a)) for a in attributions]
    seat_map = uow.inventory.seat_map(performance)
    groups = seat_map.best_available(
        check_quantity(sum(quantities)),
        allowed_area_ids=pool,
        seat_category_id=first.seat_category_id,
        preferred_area_ids=preferred_area_ids,
    )
    seats = [seat for group in groups for seat in group]
    seat_map.take(seat.seat_id for seat in seats)
    lines, start = [], 0
    for attribution, quantity, price in zip(attributions, quantities, prices, strict=True):
        operation = _ticket_operation(
            OperationKind.SEAT,
            performance,
            attribution,
            contingent_id,
            first.seat_category_id,
            price,
        )
        places = [Place.for_seat(seat) for seat in seats[start : start + quantity]]
        lines.append(PlacedLine(operation, places, []))
        start += quantity
    lines[0].contiguities = _seat_ids(groups)
    return lines


def _standing_category(
    uow: UnitOfWork, performance: Performance, pool: frozenset[int], seat_category_id: int | None
) -> bool:
    """Sold standing when the pool has no numbered seat of the category but a standing area."""
    layout = uow.catalog.venue_layout(performance.venue_id)
    if layout.sells_numbered(pool, seat_category_id):
        return False
    return any(
        not area.numbered and area.area_id in pool and area.seat_category_id == seat_category_id
        for area in uow.catalog.areas_of_venue(performance.venue_id)
    )


def _as_line(
    uow: UnitOfWork,
    performance: Performance,
    pool: frozenset[int],
    attribution: OperationInput,
    preferred_area_ids: Sequence[int],
) -> OperationInput:
    kind = (
        OperationKind.AREA
        if _standing_category(uow, performance, pool, attribution.seat_category_id)
        else OperationKind.SEAT
    )
    return replace(attribution, kind=kind.value, prefered_areas=tuple(preferred_area_ids))
