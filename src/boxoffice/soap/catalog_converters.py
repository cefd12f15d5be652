"""One typed converter per wire type of the sibling services (soap/catalog_types.py).

Built like soap/converters.py, through `filled`: a field of these types without a value source
fails at once (tests/unit/test_converters.py). `t` is the namespace of the service's types
(`catalog_types(tns)` or `availability_types(tns)`).
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from spyne import ComplexModelBase

from boxoffice.service.catalog_views import (
    AreaView,
    AudienceSubCategoryView,
    AvailabilityUpdateView,
    AvailabilityView,
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
    SeatAvailabilityView,
    SeatCategoryView,
)
from boxoffice.soap.converters import filled


def seat_category_data(t: SimpleNamespace, view: SeatCategoryView) -> ComplexModelBase:
    return filled(t.SeatCategoryData, id=view.id, code=view.code, externalName=view.external_name)


def price_data(t: SimpleNamespace, view: PriceView) -> ComplexModelBase:
    return filled(
        t.PriceData, seatCatId=view.seat_cat_id, audSubCatId=view.aud_sub_cat_id, amount=view.amount
    )


def performance_data(t: SimpleNamespace, view: PerformanceView) -> ComplexModelBase:
    return filled(
        t.PerformanceData,
        id=view.id,
        state=view.state,
        start=view.start,
        duration=view.duration,
        physicalConfigurationId=view.physical_configuration_id,
        seatCategories=[seat_category_data(t, c) for c in view.seat_categories],
        prices=[price_data(t, p) for p in view.prices],
    )


def event_data(t: SimpleNamespace, view: EventView) -> ComplexModelBase:
    return filled(t.EventData, performances=[performance_data(t, p) for p in view.performances])


def product_data(t: SimpleNamespace, view: ProductView) -> ComplexModelBase:
    return filled(
        t.ProductData,
        id=view.id,
        code=view.code,
        state=view.state,
        productFamilyType=view.product_family_type,
        externalName=view.external_name,
        event=event_data(t, view.event),
    )


def season_data(t: SimpleNamespace, view: SeasonView) -> ComplexModelBase:
    return filled(
        t.SeasonData,
        id=view.id,
        code=view.code,
        externalName=view.external_name,
        products=[product_data(t, p) for p in view.products],
    )


def area_data(t: SimpleNamespace, view: AreaView) -> ComplexModelBase:
    return filled(
        t.AreaData,
        id=view.id,
        code=view.code,
        externalName=view.external_name,
        numbered=view.numbered,
        capacity=view.capacity,
    )


def physical_configuration_data(
    t: SimpleNamespace, view: PhysicalConfigurationView
) -> ComplexModelBase:
    return filled(
        t.PhysicalConfigurationData,
        id=view.id,
        externalName=view.external_name,
        areas=[area_data(t, a) for a in view.areas],
    )


def audience_sub_category_data(
    t: SimpleNamespace, view: AudienceSubCategoryView
) -> ComplexModelBase:
    return filled(
        t.AudienceSubCategoryData,
        id=view.id,
        externalName=view.external_name,
        audCatId=view.aud_cat_id,
        kind=view.kind,
    )


def item_price_data(t: SimpleNamespace, view: ItemPriceView) -> ComplexModelBase:
    return filled(t.ItemPriceData, audSubCatId=view.aud_sub_cat_id, amount=view.amount)


def item_data(t: SimpleNamespace, view: ItemView) -> ComplexModelBase:
    return filled(
        t.ItemData,
        id=view.id,
        code=view.code,
        externalName=view.external_name,
        prices=[item_price_data(t, p) for p in view.prices],
    )


def catalog_data(t: SimpleNamespace, view: CatalogView) -> ComplexModelBase:
    return filled(
        t.CatalogData,
        seasons=[season_data(t, s) for s in view.seasons],
        physicalConfigurations=[
            physical_configuration_data(t, c) for c in view.physical_configurations
        ],
        audienceSubCategories=[
            audience_sub_category_data(t, a) for a in view.audience_sub_categories
        ],
        items=[item_data(t, i) for i in view.items],
    )


def payment_method_data(t: SimpleNamespace, view: PaymentMethodView) -> ComplexModelBase:
    return filled(t.PaymentMethodData, id=view.id, code=view.code, externalName=view.external_name)


def charge_data(t: SimpleNamespace, view: ChargeView) -> ComplexModelBase:
    return filled(
        t.ChargeData, id=view.id, externalName=view.external_name, per=view.per, amount=view.amount
    )


def pos_config_data(t: SimpleNamespace, view: PosConfigView) -> ComplexModelBase:
    return filled(
        t.PosConfigData,
        posId=view.pos_id,
        posCode=view.pos_code,
        salesChannelId=view.sales_channel_id,
        salesChannelCode=view.sales_channel_code,
        currencyCode=view.currency_code,
        organizationTimeZone=view.organization_time_zone,
        paymentMethods=[payment_method_data(t, m) for m in view.payment_methods],
        charges=[charge_data(t, c) for c in view.charges],
        orderAbandonDelay=view.order_abandon_delay,
        maxSeatsPerPerformance=view.max_seats_per_performance,
        seatSelectionMode=view.seat_selection_mode,
    )


def availability_data(t: SimpleNamespace, view: AvailabilityView) -> ComplexModelBase:
    return filled(
        t.AvailabilityData,
        productId=view.product_id,
        performanceId=view.performance_id,
        seatCategoryId=view.seat_category_id,
        contingentId=view.contingent_id,
        quantity=view.quantity,
        capacity=view.capacity,
        level=view.level,
    )


def seat_availability_data(t: SimpleNamespace, view: SeatAvailabilityView) -> ComplexModelBase:
    return filled(
        t.SeatAvailabilityData,
        seatId=view.seat_id,
        areaId=view.area_id,
        blockId=view.block_id,
        rowNumber=view.row_number,
        seatNumber=view.seat_number,
        seatCategoryId=view.seat_category_id,
        status=view.status,
    )


def availability_update_data(t: SimpleNamespace, view: AvailabilityUpdateView) -> ComplexModelBase:
    return filled(t.AvailabilityUpdateData, productId=view.product_id, lastUpdate=view.last_update)


# The converter of each payload type the sibling services' results carry, by wire type name
# (their MovementData is the order services' type, converted by soap/converters.py).
SIBLING_CONVERTERS: dict[str, Callable[[SimpleNamespace, Any], ComplexModelBase]] = {
    "SeatCategoryData": seat_category_data,
    "PriceData": price_data,
    "PerformanceData": performance_data,
    "EventData": event_data,
    "ProductData": product_data,
    "SeasonData": season_data,
    "AreaData": area_data,
    "PhysicalConfigurationData": physical_configuration_data,
    "AudienceSubCategoryData": audience_sub_category_data,
    "ItemPriceData": item_price_data,
    "ItemData": item_data,
    "CatalogData": catalog_data,
    "PaymentMethodData": payment_method_data,
    "ChargeData": charge_data,
    "PosConfigData": pos_config_data,
    "AvailabilityData": availability_data,
    "SeatAvailabilityData": seat_availability_data,
    "AvailabilityUpdateData": availability_update_data,
}
