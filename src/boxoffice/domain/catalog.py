"""The catalog as the domain reads it: immutable value objects, ids kept as the file gives them."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from boxoffice.domain.errors import ContingentForbidden, PriceNotFound


@dataclass(frozen=True)
class Currency:
    code: str
    fraction_digit: int
    symbol: str


# Where the catalog gives no time zone: the platform's home (documented in catalog-format.md).
DEFAULT_TIME_ZONE = "Europe/Zurich"


@dataclass(frozen=True)
class Institution:
    code: str
    name: str
    currency: Currency
    time_zone: str = DEFAULT_TIME_ZONE


@dataclass(frozen=True)
class Season:
    """A selling season grouping products; products the file puts in none go to the default."""

    season_id: int
    code: str
    name: str


# Products without a season are listed under this one (catalog-format.md).
DEFAULT_SEASON = Season(0, "DEFAULT", "Default season")


@dataclass(frozen=True)
class SeatCategory:
    seat_category_id: int
    name: str


@dataclass(frozen=True)
class PointOfSales:
    point_of_sales_id: int
    code: str


@dataclass(frozen=True)
class PaymentMethod:
    """A payment method a channel offers its resellers (listed by getPOSConfig)."""

    payment_method_id: int
    code: str
    name: str


class ChargeBasis(enum.Enum):
    TICKET = "TICKET"
    ORDER = "ORDER"


@dataclass(frozen=True)
class Charge:
    charge_id: int
    name: str
    per: ChargeBasis
    amount: int


@dataclass(frozen=True)
class ExpiryPolicy:
    """How long an order may stay idle, and how long it may live at all."""

    inactivity_seconds: int
    max_lifespan_seconds: int


# What a sales channel's unclosed orders may hold when its catalog entry names no cap: enough
# for a busy reseller's customers choosing at once, while a shared stock stays open to others.
DEFAULT_MAX_HELD_PLACES = 200
DEFAULT_MAX_HELD_UNITS = 200


@dataclass(frozen=True)
class SalesChannel:
    channel_id: int
    code: str
    name: str
    expiry: ExpiryPolicy
    contingent_ids: tuple[int, ...]
    point_of_sales_ids: tuple[int, ...]
    charges: tuple[Charge, ...] = ()
    points_of_sales: tuple[PointOfSales, ...] = ()
    payment_methods: tuple[PaymentMethod, ...] = ()
    # Calls per minute each operator of the channel may make; None: no limit.
    calls_per_minute: int | None = None
    # Places the channel's unclosed orders may hold at once on one performance, and units of
    # one item (catalog keys maxHeldPlacesPerPerformance, maxHeldUnitsPerItem).
    max_held_places: int = DEFAULT_MAX_HELD_PLACES
    max_held_units: int = DEFAULT_MAX_HELD_UNITS

    def resolve_contingent(self, requested: int | None) -> int | None:
        """The default resolver: the named contingent if allowed, else the channel's only one."""
        if requested is not None:
            if requested not in self.contingent_ids:
                raise ContingentForbidden(
                    f"The sales channel may not sell from contingent {requested}."
                )
            return requested
        return self.contingent_ids[0] if self.contingent_ids else None


@dataclass(frozen=True)
class Operator:
    login: str
    password_hash: str
    channel_id: int


@dataclass(frozen=True)
class AudienceSubCategory:
    audience_sub_category_id: int
    name: str
    audience_category_id: int
    kind: str


@dataclass(frozen=True)
class Area:
    area_id: int
    venue_id: int
    name: str
    numbered: bool
    # Standing areas only: how many places, and which category they sell as.
    capacity: int | None = None
    seat_category_id: int | None = None


@dataclass(frozen=True)
class Product:
    product_id: int
    code: str
    name: str
    family: str
    season_id: int | None = None


@dataclass(frozen=True)
class Performance:
    performance_id: int
    product: Product
    venue_id: int
    start: datetime
    # (seat category id, audience sub-category id) -> amount in thousandths
    prices: Mapping[tuple[int, int], int]
    # contingent id -> the areas it may sell for this performance
    contingent_pools: Mapping[int, frozenset[int]] = field(default_factory=dict)

    def price(self, seat_category_id: int, audience_sub_category_id: int) -> int:
        try:
            return self.prices[(seat_category_id, audience_sub_category_id)]
        except KeyError:
            raise PriceNotFound(
                f"Performance {self.performance_id} has no price for seat category "
                f"{seat_category_id} and audience sub-category {audience_sub_category_id}."
            ) from None

    def pool_areas(self, contingent_id: int | None) -> frozenset[int]:
        """The areas a contingent may sell from; none when it has no pool here."""
        if contingent_id is None:
            return frozenset()
        return self.contingent_pools.get(contingent_id, frozenset())


@dataclass(frozen=True)
class Item:
    item_id: int
    code: str
    name: str
    stock: int
    # audience sub-category id -> amount in thousandths
    prices: Mapping[int, int]

    def price(self, audience_sub_category_id: int | None) -> int:
        if audience_sub_category_id is None and len(self.prices) == 1:
            return next(iter(self.prices.values()))
        try:
            return self.prices[audience_sub_category_id]  # type: ignore[index]
        except KeyError:
            raise PriceNotFound(
                f"Item {self.item_id} has no price for audience sub-category "
                f"{audience_sub_category_id}."
            ) from None


@dataclass(frozen=True)
class Seat:
    """One numbered seat of a venue, where it stands and what category it sells as."""

    seat_id: int
    area_id: int
    block_id: int
    row_number: str
    seat_number: str
    seat_category_id: int


@dataclass(frozen=True)
class CatalogNames:
    """The names and families results show beside ids, read once per catalog version."""

    seat_categories: Mapping[int, str]
    contingents: Mapping[int, str]
    audience_sub_categories: Mapping[int, str]
    product_families: Mapping[int, str]
