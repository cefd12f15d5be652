"""Use cases of the catalogue service: what the calling channel may sell, and its point of sale.

Everything is read through the catalog repository's domain values; a performance is shown only
when one of the channel's contingents has a pool in it (contract §3: nothing of anyone else).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from itertools import groupby

from boxoffice.domain.catalog import (
    DEFAULT_SEASON,
    Performance,
    SalesChannel,
    Season,
    SeatCategory,
)
from boxoffice.domain.errors import PointOfSalesNotFound
from boxoffice.domain.lines import MAX_OPERATION_QUANTITY
from boxoffice.service.access import channel_of
from boxoffice.service.catalog_views import (
    AreaView,
    AudienceSubCategoryView,
    CatalogView,
    ChargeView,
    EventView,
    ItemPriceView,
    ItemView,
    PaymentMethodView,
    PerformanceView,
    PhysicalConfigurationView,
    PosConfigView,
    PriceView,
    ProductView,
    SeasonView,
    SeatCategoryView,
)
from boxoffice.service.ports import UnitOfWork
from boxoffice.service.requests import Caller

# boxoffice sells what its catalog lists, nothing is drafted or closed: one state for all.
ON_SALE = "ON_SALE"
# Seats are chosen best-available (automatic) or by seat id (manual, or doSeatingForOperations).
SEAT_SELECTION_MODE = "BEST_AVAILABLE_AND_MANUAL"


def check_point_of_sales(channel: SalesChannel, point_of_sales_id: int | None) -> None:
    """A point of sales, when given, must be one of the caller's channel."""
    if point_of_sales_id is not None and point_of_sales_id not in channel.point_of_sales_ids:
        raise PointOfSalesNotFound(f"No point of sales {point_of_sales_id} for this channel.")


def sold_by(channel: SalesChannel, performance: Performance) -> bool:
    """Whether one of the channel's contingents has a pool in this performance."""
    return any(performance.pool_areas(contingent_id) for contingent_id in channel.contingent_ids)


def channel_performances(uow: UnitOfWork, channel: SalesChannel) -> list[Performance]:
    """The performances the channel sells, by product then start."""
    return [p for p in uow.catalog.performances() if sold_by(channel, p)]


def channel_pool_areas(channel: SalesChannel, performance: Performance) -> frozenset[int]:
    areas: frozenset[int] = frozenset()
    for contingent_id in channel.contingent_ids:
        areas |= performance.pool_areas(contingent_id)
    return areas


def get_catalog_detailed(uow: UnitOfWork, caller: Caller, now: datetime) -> CatalogView:
    with uow:
        channel = channel_of(uow, caller)
        performances = channel_performances(uow, channel)
        categories = {c.seat_category_id: c for c in uow.catalog.seat_categories()}
        seasons = {season.season_id: season for season in uow.catalog.seasons()}
        by_season: dict[int, list[ProductView]] = {}
        for _, group in groupby(performances, key=lambda p: p.product.product_id):
            shown = list(group)
            product = shown[0].product
            season_id = product.season_id if product.season_id is not None else 0
            by_season.setdefault(season_id, []).append(
                ProductView(
                    id=product.product_id,
                    code=product.code,
                    state=ON_SALE,
                    product_family_type=product.family,
                    external_name=product.name,
                    event=EventView([_performance_view(p, categories) for p in shown]),
                )
            )
        view = CatalogView(
            seasons=[
                _season_view(seasons.get(season_id, DEFAULT_SEASON), products)
                for season_id, products in sorted(by_season.items())
            ],
            physical_configurations=_physical_configurations(uow, channel, performances),
            audience_sub_categories=[
                AudienceSubCategoryView(
                    a.audience_sub_category_id, a.name, a.audience_category_id, a.kind
                )
                for a in uow.catalog.audience_sub_categories()
            ],
            items=[
                ItemView(
                    item.item_id,
                    item.code,
                    item.name,
                    [ItemPriceView(aud, amount) for aud, amount in sorted(item.prices.items())],
                )
                for item in uow.catalog.items()
            ],
        )
        uow.commit()
        return view


def _season_view(season: Season, products: list[ProductView]) -> SeasonView:
    return SeasonView(season.season_id, season.code, season.name, products)


def _performance_view(
    performance: Performance, categories: Mapping[int, SeatCategory]
) -> PerformanceView:
    category_ids = sorted({category for category, _ in performance.prices})
    return PerformanceView(
        id=performance.performance_id,
        state=ON_SALE,
        start=performance.start,
        duration=None,
        physical_configuration_id=performance.venue_id,
        seat_categories=[
            SeatCategoryView(
                category_id, _name(categories, category_id), _name(categories, category_id)
            )
            for category_id in category_ids
        ],
        prices=[
            PriceView(category, audience, amount)
            for (category, audience), amount in sorted(performance.prices.items())
        ],
    )


def _name(categories: Mapping[int, SeatCategory], category_id: int) -> str:
    category = categories.get(category_id)
    return category.name if category is not None else str(category_id)


def _physical_configurations(
    uow: UnitOfWork, channel: SalesChannel, performances: Sequence[Performance]
) -> list[PhysicalConfigurationView]:
    """Each venue the channel sells in, with only the areas its contingents' pools list."""
    pooled: dict[int, set[int]] = {}
    for performance in performances:
        pooled.setdefault(performance.venue_id, set()).update(
            channel_pool_areas(channel, performance)
        )
    views = []
    for venue_id, area_ids in sorted(pooled.items()):
        areas = [a for a in uow.catalog.areas_of_venue(venue_id) if a.area_id in area_ids]
        views.append(
            PhysicalConfigurationView(
                venue_id,
                _venue_name(uow, venue_id),
                [
                    AreaView(a.area_id, str(a.area_id), a.name, a.numbered, a.capacity)
                    for a in areas
                ],
            )
        )
    return views


def _venue_name(uow: UnitOfWork, venue_id: int) -> str:
    name = uow.catalog.venue_name(venue_id)
    return name if name is not None else str(venue_id)


def get_pos_config(uow: UnitOfWork, caller: Caller, now: datetime) -> PosConfigView:
    """The calling operator's point of sale: the first one its channel lists."""
    with uow:
        channel = channel_of(uow, caller)
        institution = uow.catalog.institution()
        pos = channel.points_of_sales[0] if channel.points_of_sales else None
        view = PosConfigView(
            pos_id=pos.point_of_sales_id if pos else 0,
            pos_code=pos.code if pos else "",
            sales_channel_id=channel.channel_id,
            sales_channel_code=channel.code,
            currency_code=institution.currency.code,
            organization_time_zone=institution.time_zone,
            payment_methods=[
                PaymentMethodView(m.payment_method_id, m.code, m.name)
                for m in channel.payment_methods
            ],
            charges=[
                ChargeView(c.charge_id, c.name, c.per.value, c.amount) for c in channel.charges
            ],
            order_abandon_delay=channel.expiry.inactivity_seconds,
            max_seats_per_performance=MAX_OPERATION_QUANTITY,
            seat_selection_mode=SEAT_SELECTION_MODE,
        )
        uow.commit()
        return view


def is_alive(uow: UnitOfWork, caller: Caller, now: datetime) -> None:
    """Reads the institution: the catalog is loaded and the database answers."""
    with uow:
        uow.catalog.institution()
        uow.commit()
