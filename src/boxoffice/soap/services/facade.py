"""The ExternalOrderFacade service: opening carts, adding lines, and the payment workflow."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from spyne import ServiceBase, rpc

from boxoffice.domain.errors import ManualChargeRefused, PaymentRefused, ResumeUnsupported
from boxoffice.service import orders
from boxoffice.service import payments as payment_workflow
from boxoffice.service.requests import OrderInput
from boxoffice.soap import limits
from boxoffice.soap.conversion import (
    attribution_groups,
    contact_inputs,
    enum_text,
    operation_input,
    payment_inputs,
    product_lines,
)
from boxoffice.soap.limits import repeated
from boxoffice.soap.responder import respond
from boxoffice.soap.services.common import RequiredLong, check_payment_total, returns
from boxoffice.soap.types import OptionalBoolean, OptionalInteger, OptionalLong


def build_facade(types: SimpleNamespace) -> type[ServiceBase]:
    # createOrUpdateOrder's parameters as the real platform orders them (contract §5, §9.3).
    order_parameters = (
        types.RequestId,
        RequiredLong,
        OptionalLong,
        OptionalLong,
        types.OrderType,
        repeated(types.ContactData, limits.MAX_PURCHASERS),
        types.Reference,
        repeated(types.SingleEntryAttributionOperation, limits.MAX_ATTRIBUTION_GROUPS),
        repeated(types.SimpleProductOperation, limits.MAX_PRODUCT_LINES),
        repeated(types.ChargeOperation, limits.MAX_CHARGE_LINES),
        OptionalBoolean,
        OptionalBoolean,
        repeated(types.ComposedProductOperation, limits.MAX_PRODUCT_LINES),
        repeated(types.TransportProductOperation, limits.MAX_PRODUCT_LINES),
        types.Reference,
        repeated(types.ContactData, limits.MAX_PURCHASERS),
    )
    order_names = (
        "requestId",
        "pointOfSalesId",
        "orderId",
        "fileId",
        "orderType",
        "purchasersInfo",
        "externalReference",
        "singleEntryAttributionOperations",
        "simpleProductOperations",
        "chargeOperations",
        "isResumeAllOptionOperations",
        "isResumeAllReservationOperations",
        "composedProductOperations",
        "transportProductOperations",
        "origin",
        "fileContacts",
    )
    updated = returns(types.OrderUpdateResult)

    class ExternalOrderFacade(ServiceBase):
        @rpc(
            types.RequestId,
            RequiredLong,
            types.OrderType,
            OptionalLong,
            repeated(types.ContactData, limits.MAX_PURCHASERS),
            types.Reference,
            OptionalLong,
            **updated,
        )
        def createOrder(
            ctx,
            requestId,
            pointOfSalesId,
            orderType,
            fileId,
            purchasersInfo,
            externalReference,
            contingentId,
        ):
            request = OrderInput(
                point_of_sales_id=pointOfSalesId,
                order_type=orderType,
                file_id=fileId,
                purchasers=contact_inputs(purchasersInfo),
                external_reference=externalReference,
                contingent_id=contingentId,
            )
            return respond(
                ctx,
                types.OrderUpdateResult,
                requestId,
                lambda uow, caller, now: orders.create_order(uow, caller, now, request),
                "orderUpdateData",
            )

        @rpc(
            types.RequestId,
            RequiredLong,
            types.OperationRequest.customize(min_occurs=1, nillable=False),
            **updated,
        )
        def addOperation(ctx, requestId, orderId, operation):
            request = operation_input(operation)
            return respond(
                ctx,
                types.OrderUpdateResult,
                requestId,
                lambda uow, caller, now: orders.add_operation(uow, caller, now, orderId, request),
                "orderUpdateData",
            )

        @rpc(*order_parameters, _args=order_names, **updated)
        def createOrUpdateOrder(ctx, requestId, *parameters):
            return _create_or_update(ctx, types, requestId, parameters, None)

        @rpc(*order_parameters, types.Granularity, _args=(*order_names, "granularity"), **updated)
        def createOrUpdateOrderWithGranularity(ctx, requestId, *parameters):
            return _create_or_update(ctx, types, requestId, parameters[:-1], parameters[-1])

        # isConvertedReservation and createToken are accepted as real clients send them;
        # boxoffice converts no reservation and keeps no payment token.
        @rpc(
            types.RequestId,
            RequiredLong,
            OptionalBoolean,
            OptionalBoolean,
            repeated(types.PaymentData, limits.MAX_PAYMENTS),
            types.PaymentParams,
            types.OrderType,
            OptionalInteger,
            repeated(types.ContactData, limits.MAX_PURCHASERS),
            **returns(types.PaymentsAndCloseOrderResult),
        )
        def createPaymentsAndCloseOrder(
            ctx,
            requestId,
            orderId,
            isConvertedReservation,
            createToken,
            payments,
            paymentParams,
            orderType,
            maxWaitingTime,
            purchasersInfo,
        ):
            check_payment_total(payments)
            given = payment_inputs(payments)
            total = getattr(paymentParams, "totalAmount", None)

            def call(uow, caller, now):  # type: ignore[no-untyped-def]
                if total is not None and total != sum(p.amount or 0 for p in given):
                    raise PaymentRefused("paymentParams.totalAmount differs from the payments.")
                return payment_workflow.create_payments_and_close_order(
                    uow,
                    caller,
                    now,
                    orderId,
                    given,
                    order_type=orderType,
                    purchasers=contact_inputs(purchasersInfo),
                )

            return respond(
                ctx,
                types.PaymentsAndCloseOrderResult,
                requestId,
                call,
                "orderData",
                fill=lambda view: {"paymentIds": list(view.payment_ids)},
                payload=lambda view: view.order,
            )

        @rpc(
            types.RequestId,
            RequiredLong,
            types.PaymentStateName,
            OptionalBoolean,
            **returns(types.CloseOrderResult),
        )
        def notifyOrder(
            ctx,
            requestId,
            orderId,
            paymentState,
            generateBarCodes,
        ):
            return respond(
                ctx,
                types.CloseOrderResult,
                requestId,
                lambda uow, caller, now: payment_workflow.notify_order(
                    uow,
                    caller,
                    now,
                    orderId,
                    enum_text(paymentState),
                    generate_barcodes=generateBarCodes is not False,
                ),
                "orderData",
            )

        @rpc(types.RequestId, RequiredLong, **returns(types.OrderDetailResult))
        def reopenOrder(ctx, requestId, orderId):
            return respond(
                ctx,
                types.OrderDetailResult,
                requestId,
                lambda uow, caller, now: payment_workflow.reopen_order(uow, caller, now, orderId),
                "orderDetailsData",
            )

    return ExternalOrderFacade


def _create_or_update(
    ctx: Any,
    types: SimpleNamespace,
    request_id: str | None,
    parameters: tuple[Any, ...],
    granularity: str | None,
) -> Any:
    (
        point_of_sales_id,
        order_id,
        file_id,
        order_type,
        purchasers,
        external_reference,
        attributions,
        simple_products,
        charges,
        resume_options,
        resume_reservations,
        composed,
        transport,
        origin,
        file_contacts,
    ) = parameters
    request = OrderInput(
        point_of_sales_id=point_of_sales_id,
        order_type=order_type,
        file_id=file_id,
        purchasers=contact_inputs(purchasers),
        external_reference=external_reference,
        origin=origin,
        file_contacts=contact_inputs(file_contacts),
    )
    groups = attribution_groups(attributions)
    products = product_lines(simple_products)
    unsupported = [
        name
        for name, given in (("composed products", composed), ("transport products", transport))
        if given
    ]
    any_list = any((attributions, simple_products, charges, composed, transport))

    def call(uow, caller, now):  # type: ignore[no-untyped-def]
        if charges:
            raise ManualChargeRefused("Charges are computed from the sales channel; send none.")
        if resume_options or resume_reservations:
            raise ResumeUnsupported("Resuming option or reservation lines is not offered here.")
        view = orders.create_or_update_order(
            uow, caller, now, order_id, request, groups, products, unsupported, any_list
        )
        return orders.with_granularity(view, enum_text(granularity))

    return respond(ctx, types.OrderUpdateResult, request_id, call, "orderUpdateData")
