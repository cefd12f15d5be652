"""The two SOAP services; method and parameter names are the contract's, exactly."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from spyne import Fault, Long, ServiceBase, rpc

from boxoffice.domain.errors import ManualChargeRefused, ResumeUnsupported
from boxoffice.service import lifecycle, orders
from boxoffice.service.requests import OrderInput
from boxoffice.soap.conversion import (
    attribution_groups,
    contact_input,
    contact_inputs,
    operation_input,
    payment_inputs,
    product_lines,
    to_wire,
)
from boxoffice.soap.responder import respond
from boxoffice.soap.types import (
    OptionalBoolean,
    OptionalInteger,
    OptionalLong,
    repeated,
)

RequiredLong = Long(min_occurs=1, nillable=False)
MAX_LONG = 2**63 - 1


def _returns(result_type: Any) -> dict[str, Any]:
    # The response holds one element named after the result class, as on the real platform.
    return {"_returns": result_type, "_out_variable_name": result_type.get_type_name()}


def build_facade(types: SimpleNamespace) -> type[ServiceBase]:
    class ExternalOrderFacade(ServiceBase):
        @rpc(types.RequestId, RequiredLong, types.OrderType, OptionalLong,
             repeated(types.ContactData), types.Reference, OptionalLong,
             **_returns(types.OrderUpdateResult))
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
             **_returns(types.OrderUpdateResult))
        def addOperation(ctx, requestId, orderId, operation):  # noqa: N802,N803
            request = operation_input(operation)
            return respond(ctx, types.OrderUpdateResult, requestId,
                           lambda uow, caller, now: orders.add_operation(
                               uow, caller, now, orderId, request),
                           "orderUpdateData")

        @rpc(types.RequestId, RequiredLong, OptionalLong, OptionalLong, types.OrderType,
             repeated(types.ContactData), types.Reference,
             repeated(types.SingleEntryAttributionOperation),
             repeated(types.SimpleProductOperation), repeated(types.ChargeOperation),
             OptionalBoolean, OptionalBoolean, **_returns(types.OrderUpdateResult))
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


def build_order_service(types: SimpleNamespace) -> type[ServiceBase]:
    update = _returns(types.OrderUpdateResult)

    class ExternalOrderService(ServiceBase):
        @rpc(types.RequestId, RequiredLong, RequiredLong, OptionalInteger, OptionalLong, **update)
        def updateOperation(ctx, requestId, orderId, operationId, quantity,  # noqa: N802,N803
                            audienceSubCategoryId):  # noqa: N803
            return respond(ctx, types.OrderUpdateResult, requestId,
                           lambda uow, caller, now: orders.update_operation(
                               uow, caller, now, orderId, operationId, quantity,
                               audienceSubCategoryId),
                           "orderUpdateData")

        @rpc(types.RequestId, RequiredLong, repeated(Long), repeated(Long), **update)
        def cancelOperations(ctx, requestId, orderId, operationIds, movementIds):  # noqa: N802,N803
            return respond(ctx, types.OrderUpdateResult, requestId,
                           lambda uow, caller, now: orders.cancel_operations(
                               uow, caller, now, orderId, list(operationIds or ()),
                               list(movementIds or ())),
                           "orderUpdateData")

        @rpc(types.RequestId, RequiredLong, repeated(Long), **update)
        def abandonMovements(ctx, requestId, orderId, movementIds):  # noqa: N802,N803
            return respond(ctx, types.OrderUpdateResult, requestId,
                           lambda uow, caller, now: orders.abandon_movements(
                               uow, caller, now, orderId, list(movementIds or ())),
                           "orderUpdateData")

        @rpc(types.RequestId, RequiredLong, **update)
        def validateOrder(ctx, requestId, orderId):  # noqa: N802,N803
            return respond(ctx, types.OrderUpdateResult, requestId,
                           lambda uow, caller, now: lifecycle.validate_order(
                               uow, caller, now, orderId),
                           "orderUpdateData")

        @rpc(types.RequestId, RequiredLong, **update)
        def abandonOrder(ctx, requestId, orderId):  # noqa: N802,N803
            return respond(ctx, types.OrderUpdateResult, requestId,
                           lambda uow, caller, now: lifecycle.abandon_order(
                               uow, caller, now, orderId),
                           "orderUpdateData")

        @rpc(types.RequestId, RequiredLong, types.ContactData.customize(min_occurs=0),
             OptionalBoolean, OptionalInteger, types.OrderType, repeated(types.PaymentData),
             **_returns(types.CloseOrderResult))
        def closeOrder(ctx, requestId, orderId, purchaserInfo, generateBarCodes,  # noqa: N802,N803
                       maxWaitingTime, orderType, payments):  # noqa: N803
            # maxWaitingTime: closing never waits on an outside system here, so it never runs out.
            if sum(max(p.amount or 0, 0) for p in payments or ()) > MAX_LONG:
                # Each amount fits a Long; their sum must too, since it is stored as one.
                raise Fault("Client.ValidationError",
                            "The payments add up to more than a 64-bit amount.")
            return respond(ctx, types.CloseOrderResult, requestId,
                           lambda uow, caller, now: lifecycle.close_order(
                               uow, caller, now, orderId,
                               purchaser=contact_input(purchaserInfo),
                               generate_barcodes=generateBarCodes is not False,
                               order_type=orderType, payments=payment_inputs(payments)),
                           "orderData")

        @rpc(types.RequestId, RequiredLong, **_returns(types.OrderDetailResult))
        def getOrderDetails(ctx, requestId, orderId):  # noqa: N802,N803
            return respond(ctx, types.OrderDetailResult, requestId,
                           lambda uow, caller, now: lifecycle.get_order_details(
                               uow, caller, now, orderId),
                           "orderDetailsData")

        @rpc(types.RequestId, RequiredLong, **_returns(types.FileDetailResult))
        def getFileDetails(ctx, requestId, fileId):  # noqa: N802,N803
            return respond(ctx, types.FileDetailResult, requestId,
                           lambda uow, caller, now: lifecycle.get_file_details(
                               uow, caller, now, fileId),
                           "fileDetailsData", fill=_file_orders(types))

        @rpc(types.RequestId, types.SecretId,
             **_returns(types.FileDetailResult))
        def getFileDetailsFromOrderSecretId(ctx, requestId, orderSecretId):  # noqa: N802,N803
            return respond(ctx, types.FileDetailResult, requestId,
                           lambda uow, caller, now: lifecycle.get_file_details_from_order_secret_id(
                               uow, caller, now, orderSecretId),
                           "fileDetailsData", fill=_file_orders(types))

    return ExternalOrderService


def _file_orders(types: SimpleNamespace) -> Any:
    return lambda view: {
        "orderDetailsDatas": [to_wire(types.OrderDetailsData, order) for order in view.orders]
    }



