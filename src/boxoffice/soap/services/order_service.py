"""The ExternalOrderService service: changing, validating, closing and reading orders."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from spyne import Long, ServiceBase, rpc

from boxoffice.service import lifecycle, orders
from boxoffice.soap import limits
from boxoffice.soap.conversion import contact_input, payment_inputs
from boxoffice.soap.converters import order_details_data
from boxoffice.soap.limits import repeated
from boxoffice.soap.responder import respond
from boxoffice.soap.services.common import RequiredLong, check_payment_total, returns
from boxoffice.soap.services.file_records import file_record_operations
from boxoffice.soap.types import OptionalBoolean, OptionalInteger, OptionalLong


def build_order_service(types: SimpleNamespace) -> type[ServiceBase]:
    update = returns(types.OrderUpdateResult)

    class Operations:
        @rpc(types.RequestId, RequiredLong, RequiredLong, OptionalInteger, OptionalLong, **update)
        def updateOperation(
            ctx,
            requestId,
            orderId,
            operationId,
            quantity,
            audienceSubCategoryId,
        ):
            return respond(
                ctx,
                types.OrderUpdateResult,
                requestId,
                lambda uow, caller, now: orders.update_operation(
                    uow, caller, now, orderId, operationId, quantity, audienceSubCategoryId
                ),
                "orderUpdateData",
            )

        @rpc(
            types.RequestId,
            RequiredLong,
            repeated(Long, limits.MAX_OPERATION_IDS),
            repeated(Long, limits.MAX_MOVEMENT_IDS),
            **update,
        )
        def cancelOperations(ctx, requestId, orderId, operationIds, movementIds):
            return respond(
                ctx,
                types.OrderUpdateResult,
                requestId,
                lambda uow, caller, now: orders.cancel_operations(
                    uow, caller, now, orderId, list(operationIds or ()), list(movementIds or ())
                ),
                "orderUpdateData",
            )

        @rpc(types.RequestId, RequiredLong, repeated(Long, limits.MAX_MOVEMENT_IDS), **update)
        def abandonMovements(ctx, requestId, orderId, movementIds):
            return respond(
                ctx,
                types.OrderUpdateResult,
                requestId,
                lambda uow, caller, now: orders.abandon_movements(
                    uow, caller, now, orderId, list(movementIds or ())
                ),
                "orderUpdateData",
            )

        @rpc(types.RequestId, RequiredLong, **update)
        def validateOrder(ctx, requestId, orderId):
            return respond(
                ctx,
                types.OrderUpdateResult,
                requestId,
                lambda uow, caller, now: lifecycle.validate_order(uow, caller, now, orderId),
                "orderUpdateData",
            )

        @rpc(types.RequestId, RequiredLong, **update)
        def abandonOrder(ctx, requestId, orderId):
            return respond(
                ctx,
                types.OrderUpdateResult,
                requestId,
                lambda uow, caller, now: lifecycle.abandon_order(uow, caller, now, orderId),
                "orderUpdateData",
            )

        # The real order of closeOrder's parameters (contract §9.1); payments come after them.
        @rpc(
            types.RequestId,
            types.ContactData.customize(min_occurs=0),
            RequiredLong,
            OptionalBoolean,
            OptionalInteger,
            types.OrderType,
            repeated(types.PaymentData, limits.MAX_PAYMENTS),
            **returns(types.CloseOrderResult),
        )
        def closeOrder(
            ctx,
            requestId,
            purchaserInfo,
            orderId,
            generateBarCodes,
            maxWaitingTime,
            orderType,
            payments,
        ):
            # maxWaitingTime: closing never waits on an outside system here, so it never runs out.
            check_payment_total(payments)
            return respond(
                ctx,
                types.CloseOrderResult,
                requestId,
                lambda uow, caller, now: lifecycle.close_order(
                    uow,
                    caller,
                    now,
                    orderId,
                    purchaser=contact_input(purchaserInfo),
                    generate_barcodes=generateBarCodes is not False,
                    order_type=orderType,
                    payments=payment_inputs(payments),
                ),
                "orderData",
            )

        @rpc(types.RequestId, RequiredLong, **returns(types.OrderDetailResult))
        def getOrderDetails(ctx, requestId, orderId):
            return respond(
                ctx,
                types.OrderDetailResult,
                requestId,
                lambda uow, caller, now: lifecycle.get_order_details(uow, caller, now, orderId),
                "orderDetailsData",
            )

        @rpc(types.RequestId, RequiredLong, **returns(types.FileDetailResult))
        def getFileDetails(ctx, requestId, fileId):
            return respond(
                ctx,
                types.FileDetailResult,
                requestId,
                lambda uow, caller, now: lifecycle.get_file_details(uow, caller, now, fileId),
                "fileDetailsData",
                fill=_file_orders(types),
            )

        @rpc(types.RequestId, types.SecretId, **returns(types.FileDetailResult))
        def getFileDetailsFromOrderSecretId(ctx, requestId, orderSecretId):
            return respond(
                ctx,
                types.FileDetailResult,
                requestId,
                lambda uow, caller, now: lifecycle.get_file_details_from_order_secret_id(
                    uow, caller, now, orderSecretId
                ),
                "fileDetailsData",
                fill=_file_orders(types),
            )

    # The operations of contract §9.2 live in their own module; one class serves them all.
    methods = {name: value for name, value in vars(Operations).items() if not name.startswith("__")}
    return type(
        "ExternalOrderService", (ServiceBase,), {**methods, **file_record_operations(types)}
    )


def _file_orders(types: SimpleNamespace) -> Any:
    return lambda view: {
        "orderDetailsDatas": [order_details_data(types, order) for order in view.orders]
    }
