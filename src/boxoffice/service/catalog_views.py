"""Plain read objects of the catalogue, point-of-sale and availability services.

Field names are the wire's, in snake_case, so that each converts to its wire type by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SeatCategoryView:
    id: int
    code: str
    external_name: str


@dataclass(frozen=True)
class PriceView:
    seat_cat_id: int
    aud_sub_cat_id: int
    amount: int


@dataclass(frozen=True)
class PerformanceView:
    id: int
    state: str
    start: datetime
    # The catalog file gives no duration; left empty, never guessed.
    duration: int | None
    physical_configuration_id: int
    seat_categories: list[SeatCategoryView]
    prices: list[PriceView]


@dataclass(frozen=True)
class EventView:
    performances: list[PerformanceView]


@dataclass(frozen=True)
class ProductView:
    id: int
    code: str
    state: str
    product_family_type: str
    external_name: str
    event: EventView


@dataclass(frozen=True)
class SeasonView:
    id: int
    code: str
    external_name: str
    products: list[ProductView]


@dataclass(frozen=True)
class AreaView:
    id: int
    code: str
    external_name: str
    numbered: bool
    capacity: int | None


@dataclass(frozen=True)
class PhysicalConfigurationView:
    id: int
    external_name: str
    areas: list[AreaView]


@dataclass(frozen=True)
class AudienceSubCategoryView:
    id: int
    external_name: str
    aud_cat_id: int
    kind: str


@dataclass(frozen=True)
class ItemPriceView:
    aud_sub_cat_id: int
    amount: int


@dataclass(frozen=True)
class ItemView:
    id: int
    code: str
    external_name: str
    prices: list[ItemPriceView]


@dataclass(frozen=True)
class CatalogView:
    seasons: list[SeasonView]
    physical_configurations: list[PhysicalConfigurationView]
    audience_sub_categories: list[AudienceSubCategoryView]
    items: list[ItemView]


@dataclass(frozen=True)
class PaymentMethodView:
    id: int
    code: str
    external_name: str


@dataclass(frozen=True)
class ChargeView:
    id: int
    external_name: str
    per: str
    amount: int


@dataclass(frozen=True)
class PosConfigView:
    pos_id: int
    pos_code: str
    sales_channel_id: int
    sales_channel_code: str
    currency_code: str
    organization_time_zone: str
    payment_methods: list[PaymentMethodView]
    charges: list[ChargeView]
    # Seconds of inactivity before a running order expires.
    order_abandon_delay: int
    max_seats_per_performance: int
    seat_selection_mode: str


@dataclass(frozen=True)
class AvailabilityView:
    product_id: int
    performance_id: int | None
    seat_category_id: int | None
    contingent_id: int | None
    quantity: int
    capacity: int
    level: str


@dataclass(frozen=True)
class SeatAvailabilityView:
    seat_id: int
    area_id: int
    block_id: int
    row_number: str
    seat_number: str
    seat_category_id: int
    status: str


@dataclass(frozen=True)
class AvailabilityUpdateView:
    product_id: int
    last_update: datetime
