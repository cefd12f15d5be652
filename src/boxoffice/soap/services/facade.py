"""The ExternalOrderFacade service: opening carts and adding lines."""

from __future__ import annotations

from types import SimpleNamespace

from spyne import ServiceBase, rpc

from boxoffice.domain.errors import ManualChargeRefused, ResumeUnsupported
from boxoffice.service import orders
from boxoffice.service.requests import OrderInput
from boxoffice.soap import limits
from boxoffice.soap.conversion import (
    attribution_groups,
    contact_inputs,
    operation_input,
    product_lines,
)
from boxoffice.soap.limits import repeated
from boxoffice.soap.responder import respond
from boxoffice.soap.services.common import RequiredLong, returns
from boxoffice.soap.types import OptionalBoolean, OptionalLong


def build_facade(types: SimpleNamespace) -> type[ServiceBase]:
    class ExternalOrderFacade(ServiceBase):
        @rpc(types.RequestId, RequiredLong, types.OrderType, OptionalLong,
             repeated(types.ContactData, limits.MAX_PURCHASERS), types.Reference,
             OptionalLong,
             **returns(types.OrderUpdateResult))
        def createOrder(ctx, requestId, pointOfSalesId, orderType, fileId,  # noqa: N802,N803
                        purchasersInfo, externalReference, contingentId):  # noqa: N803
            request = OrderInput(
                point_of_sales_id=pointOfSalesId, order_type=orderType, file_id=fileId,
                purchasers=contact_inputs(purchasersInfo),
                external_reference=externalReference, contingent_id=contingentId,
            )
            return respond(ctx, types.OrderUpdateResult, requestId,
                           lambda uow, caller, now: orders.create_order(uow, caller, now, request),
                           "orderUpdateData")

        @rpc(types.RequestId, RequiredLong,
             types.OperationRequest.customize(min_occurs=1, nillable=False),
             **returns(types.OrderUpdateResult))
        def addOperation(ctx, requestId, orderId, operation):  # noqa: N802,N803
            request = operation_input(operation)
            return respond(ctx, types.OrderUpdateResult, requestId,
                           lambda uow, caller, now: orders.add_operation(
                               uow, caller, now, orderId, request),
                           "orderUpdateData")

        @rpc(types.RequestId, RequiredLong, OptionalLong, OptionalLong, types.OrderType,
             repeated(types.ContactData, limits.MAX_PURCHASERS), types.Reference,
             repeated(types.SingleEntryAttributionOperation, limits.MAX_ATTRIBUTION_GROUPS),
             repeated(types.SimpleProductOperation, limits.MAX_PRODUCT_LINES),
             repeated(types.ChargeOperation, limits.MAX_CHARGE_LINES),
             OptionalBoolean, OptionalBoolean, **returns(types.OrderUpdateResult))
        def createOrUpdateOrder(ctx, requestId, pointOfSalesId, orderId, fileId,  # noqa: N802,N803
                                orderType, purchasersInfo, externalReference,  # noqa: N803
                                singleEntryAttributionOperations,  # noqa: N803
                                simpleProductOperations, chargeOperations,  # noqa: N803
                                isResumeAllOptionOperations,  # noqa: N803
                                isResumeAllReservationOperations):  # noqa: N803
            request = OrderInput(
                point_of_sales_id=pointOfSalesId, order_type=orderType, file_id=fileId,
                purchasers=contact_inputs(purchasersInfo), external_reference=externalReference,
            )
            groups = attribution_groups(singleEntryAttributionOperations)
            products = product_lines(simpleProductOperations)

            def call(uow, caller, now):  # type: ignore[no-untyped-def]
                if chargeOperations:
                    raise ManualChargeRefused(
                        "Charges are computed from the sales channel; send none.")
                if isResumeAllOptionOperations or isResumeAllReservationOperations:
                    raise ResumeUnsupported(
                        "Resuming option or reservation lines is not offered here.")
                return orders.create_or_update_order(uow, caller, now, orderId, request,
                                                     groups, products)

            return respond(ctx, types.OrderUpdateResult, requestId, call, "orderUpdateData")

    return ExternalOrderFacade
