"""Wire types of the sibling services (contract §9.4): catalogue, availability and seating.

Built once per service namespace, like soap/types.py; field names are the platform's.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace
from typing import Any

from spyne import ComplexModel, Long

from boxoffice.soap import limits
from boxoffice.soap.limits import repeated
from boxoffice.soap.services.common import RequiredLong
from boxoffice.soap.types import (
    ResultBoolean,
    ResultDateTime,
    ResultInteger,
    ResultLong,
    ResultText,
    model,
    result,
    wire_types,
)


def _result(tns: str, name: str, fields: list[tuple[str, Any]]) -> type[ComplexModel]:
    """A result whose first fields are requestId, statusCode and statusDetail (contract §4)."""
    return model(
        tns,
        name,
        [
            ("requestId", ResultText),
            ("statusCode", ResultText),
            ("statusDetail", ResultText),
            *fields,
        ],
    )


@functools.cache
def catalog_types(tns: str) -> SimpleNamespace:
    t = SimpleNamespace(RequestId=wire_types(tns).RequestId)
    t.SeatCategoryData = model(
        tns,
        "SeatCategoryData",
        [("id", ResultLong), ("code", ResultText), ("externalName", ResultText)],
    )
    t.PriceData = model(
        tns,
        "PriceData",
        [("seatCatId", ResultLong), ("audSubCatId", ResultLong), ("amount", ResultLong)],
    )
    t.PerformanceData = model(
        tns,
        "PerformanceData",
        [
            ("id", ResultLong),
            ("state", ResultText),
            ("start", ResultDateTime),
            ("duration", ResultInteger),
            ("physicalConfigurationId", ResultLong),
            ("seatCategories", repeated(t.SeatCategoryData)),
            ("prices", repeated(t.PriceData)),
        ],
    )
    t.EventData = model(tns, "EventData", [("performances", repeated(t.PerformanceData))])
    t.ProductData = model(
        tns,
        "ProductData",
        [
            ("id", ResultLong),
            ("code", ResultText),
            ("state", ResultText),
            ("productFamilyType", ResultText),
            ("externalName", ResultText),
            ("event", result(t.EventData)),
        ],
    )
    t.SeasonData = model(
        tns,
        "SeasonData",
        [
            ("id", ResultLong),
            ("code", ResultText),
            ("externalName", ResultText),
            ("products", repeated(t.ProductData)),
        ],
    )
    t.AreaData = model(
        tns,
        "AreaData",
        [
            ("id", ResultLong),
            ("code", ResultText),
            ("externalName", ResultText),
            ("numbered", ResultBoolean),
            ("capacity", ResultInteger),
        ],
    )
    t.PhysicalConfigurationData = model(
        tns,
        "PhysicalConfigurationData",
        [("id", ResultLong), ("externalName", ResultText), ("areas", repeated(t.AreaData))],
    )
    t.AudienceSubCategoryData = model(
        tns,
        "AudienceSubCategoryData",
        [
            ("id", ResultLong),
            ("externalName", ResultText),
            ("audCatId", ResultLong),
            ("kind", ResultText),
        ],
    )
    t.ItemPriceData = model(
        tns, "ItemPriceData", [("audSubCatId", ResultLong), ("amount", ResultLong)]
    )
    t.ItemData = model(
        tns,
        "ItemData",
        [
            ("id", ResultLong),
            ("code", ResultText),
            ("externalName", ResultText),
            ("prices", repeated(t.ItemPriceData)),
        ],
    )
    t.CatalogData = model(
        tns,
        "CatalogData",
        [
            ("seasons", repeated(t.SeasonData)),
            ("physicalConfigurations", repeated(t.PhysicalConfigurationData)),
            ("audienceSubCategories", repeated(t.AudienceSubCategoryData)),
            ("items", repeated(t.ItemData)),
        ],
    )
    t.CatalogResultDetailed = _result(
        tns, "CatalogResultDetailed", [("catalogData", result(t.CatalogData))]
    )
    t.PaymentMethodData = model(
        tns,
        "PaymentMethodData",
        [("id", ResultLong), ("code", ResultText), ("externalName", ResultText)],
    )
    t.ChargeData = model(
        tns,
        "ChargeData",
        [
            ("id", ResultLong),
            ("externalName", ResultText),
            ("per", ResultText),
            ("amount", ResultLong),
        ],
    )
    t.PosConfigData = model(
        tns,
        "PosConfigData",
        [
            ("posId", ResultLong),
            ("posCode", ResultText),
            ("salesChannelId", ResultLong),
            ("salesChannelCode", ResultText),
            ("currencyCode", ResultText),
            ("organizationTimeZone", ResultText),
            ("paymentMethods", repeated(t.PaymentMethodData)),
            ("charges", repeated(t.ChargeData)),
            ("orderAbandonDelay", ResultInteger),
            ("maxSeatsPerPerformance", ResultInteger),
            ("seatSelectionMode", ResultText),
        ],
    )
    t.POSConfigResult = _result(
        tns, "POSConfigResult", [("posConfigData", result(t.PosConfigData))]
    )
    t.WebMethodResult = _result(tns, "WebMethodResult", [])
    return t


@functools.cache
def availability_types(tns: str) -> SimpleNamespace:
    t = SimpleNamespace(RequestId=wire_types(tns).RequestId)
    t.AvailabilityData = model(
        tns,
        "AvailabilityData",
        [
            ("productId", ResultLong),
            ("performanceId", ResultLong),
            ("seatCategoryId", ResultLong),
            ("contingentId", ResultLong),
            ("quantity", ResultInteger),
            ("capacity", ResultInteger),
            ("level", ResultText),
        ],
    )
    t.AvailabilityResult = _result(
        tns, "AvailabilityResult", [("availabilityData", repeated(t.AvailabilityData))]
    )
    t.SeatAvailabilityData = model(
        tns,
        "SeatAvailabilityData",
        [
            ("seatId", ResultLong),
            ("areaId", ResultLong),
            ("blockId", ResultLong),
            ("rowNumber", ResultText),
            ("seatNumber", ResultText),
            ("seatCategoryId", ResultLong),
            ("status", ResultText),
        ],
    )
    t.SeatsAvailabilityResult = _result(
        tns, "SeatsAvailabilityResult", [("seatAvailabilityData", repeated(t.SeatAvailabilityData))]
    )
    t.AvailabilityUpdateData = model(
        tns, "AvailabilityUpdateData", [("productId", ResultLong), ("lastUpdate", ResultDateTime)]
    )
    t.UpdatedAvailabilitiesResult = _result(
        tns,
        "UpdatedAvailabilitiesResult",
        [("availabilityUpdateData", repeated(t.AvailabilityUpdateData))],
    )
    # Request lists, each with its maximum (soap/limits.py).
    t.Ids = repeated(Long, limits.MAX_AVAILABILITY_IDS)
    t.SeatCategoryIds = repeated(Long, limits.MAX_SEAT_CATEGORY_IDS)
    t.ContingentIds = repeated(Long, limits.MAX_CONTINGENT_IDS)
    return t


@functools.cache
def seating_types(tns: str) -> SimpleNamespace:
    order_types = wire_types(tns)
    t = SimpleNamespace(RequestId=order_types.RequestId, MovementData=order_types.MovementData)
    t.OperationIds = repeated(Long, limits.MAX_OPERATION_IDS)
    t.SeatingInformation = model(
        tns, "SeatingInformation", [("movementId", RequiredLong), ("physicalSeatId", RequiredLong)]
    )
    t.SeatingLines = repeated(t.SeatingInformation, limits.MAX_SEATING_LINES)
    t.SeatingResult = _result(tns, "SeatingResult", [("movementsData", repeated(t.MovementData))])
    return t
