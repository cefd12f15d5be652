"""The AvailabilityService service: what the calling channel's contingent can still sell."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from spyne import DateTime, ServiceBase, rpc

from boxoffice.service import availability
from boxoffice.soap.responder import respond
from boxoffice.soap.services.common import returns
from boxoffice.soap.types import OptionalLong


def build_availability_service(types: SimpleNamespace) -> type[ServiceBase]:
    figures = returns(types.AvailabilityResult)
    ids, categories, contingents = types.Ids, types.SeatCategoryIds, types.ContingentIds

    def performance_figures(
        ctx: Any,
        request_id: str | None,
        point_of_sales_id: int | None,
        performance_ids: Any,
        seat_category_ids: Any,
        contingent_ids: Any,
        product_ids: Any = (),
    ) -> Any:
        return respond(
            ctx,
            types.AvailabilityResult,
            request_id,
            lambda uow, caller, now: availability.performance_availability(
                uow,
                caller,
                now,
                point_of_sales_id=point_of_sales_id,
                performance_ids=list(performance_ids or ()),
                product_ids=list(product_ids or ()),
                seat_category_ids=list(seat_category_ids or ()),
                contingent_ids=list(contingent_ids or ()),
            ),
            "availabilityData",
            types=types,
        )

    class AvailabilityService(ServiceBase):
        @rpc(types.RequestId, OptionalLong, ids, ids, categories, contingents, **figures)
        def getEventAvailability(
            ctx,
            requestId,
            pointOfSalesId,
            eventIds,
            performanceIds,
            seatCategoryIds,
            contingentIds,
        ):
            return performance_figures(
                ctx,
                requestId,
                pointOfSalesId,
                performanceIds,
                seatCategoryIds,
                contingentIds,
                eventIds,
            )

        @rpc(types.RequestId, OptionalLong, ids, categories, contingents, **figures)
        def getPerformanceAvailability(
            ctx,
            requestId,
            pointOfSalesId,
            performanceIds,
            seatCategoryIds,
            contingentIds,
        ):
            return performance_figures(
                ctx, requestId, pointOfSalesId, performanceIds, seatCategoryIds, contingentIds
            )

        @rpc(types.RequestId, OptionalLong, ids, categories, contingents, **figures)
        def getProductAvailability(
            ctx,
            requestId,
            pointOfSalesId,
            productIds,
            seatCategoryIds,
            contingentIds,
        ):
            return respond(
                ctx,
                types.AvailabilityResult,
                requestId,
                lambda uow, caller, now: availability.product_availability(
                    uow,
                    caller,
                    now,
                    point_of_sales_id=pointOfSalesId,
                    product_ids=list(productIds or ()),
                    seat_category_ids=list(seatCategoryIds or ()),
                    contingent_ids=list(contingentIds or ()),
                ),
                "availabilityData",
                types=types,
            )

        @rpc(
            types.RequestId,
            OptionalLong,
            OptionalLong,
            categories,
            ids,
            OptionalLong,
            **returns(types.SeatsAvailabilityResult),
        )
        def getSeatsAvailability(
            ctx,
            requestId,
            pointOfSalesId,
            performanceId,
            seatCategoryIds,
            areaIds,
            contingentId,
        ):
            return respond(
                ctx,
                types.SeatsAvailabilityResult,
                requestId,
                lambda uow, caller, now: availability.seats_availability(
                    uow,
                    caller,
                    now,
                    point_of_sales_id=pointOfSalesId,
                    performance_id=performanceId,
                    seat_category_ids=list(seatCategoryIds or ()),
                    area_ids=list(areaIds or ()),
                    contingent_id=contingentId,
                ),
                "seatAvailabilityData",
                types=types,
            )

        @rpc(
            types.RequestId,
            OptionalLong,
            ids,
            DateTime(min_occurs=0, nillable=True),
            **returns(types.UpdatedAvailabilitiesResult),
        )
        def getUpdatedAvailabilities(
            ctx,
            requestId,
            pointOfSalesId,
            productIds,
            referenceDate,
        ):
            return respond(
                ctx,
                types.UpdatedAvailabilitiesResult,
                requestId,
                lambda uow, caller, now: availability.updated_availabilities(
                    uow,
                    caller,
                    now,
                    point_of_sales_id=pointOfSalesId,
                    product_ids=list(productIds or ()),
                    reference_date=referenceDate,
                ),
                "availabilityUpdateData",
                types=types,
            )

    return AvailabilityService
