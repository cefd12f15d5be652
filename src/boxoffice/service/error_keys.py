"""The one table from domain refusals to the contract's stable statusDetail keys."""

from __future__ import annotations

from boxoffice.domain import errors

STATUS_DETAIL_KEYS: dict[type[errors.BusinessRefusal], str] = {
    errors.OrderNotFound: "error.order.notFound",
    errors.FileNotFound: "error.file.notFound",
    errors.OrderStateConflict: "error.order.state",
    errors.OrderExpired: "error.order.expired",
    errors.OrderEmpty: "error.order.empty",
    errors.OperationNotFound: "error.operation.notFound",
    errors.OperationNotChangeable: "error.operation.notChangeable",
    errors.MovementNotFound: "error.movement.notFound",
    errors.NoAvailability: "error.order.availability",
    errors.SeatUnavailable: "error.seat.unavailable",
    errors.SeatNotFound: "error.seat.notFound",
    errors.ContingentForbidden: "error.contingent.forbidden",
    errors.QuantityRefused: "error.operation.quantity",
    errors.PerformanceNotFound: "error.performance.notFound",
    errors.AreaNotFound: "error.area.notFound",
    errors.ItemNotFound: "error.item.notFound",
    errors.ProductNotFound: "error.product.notFound",
    errors.PriceNotFound: "error.tariff.notFound",
    errors.PointOfSalesNotFound: "error.pointOfSales.notFound",
    errors.OrderTypeUnsupported: "error.orderType.unsupported",
    errors.ManualChargeRefused: "error.charge.notAllowed",
    errors.ResumeUnsupported: "error.order.resumeUnsupported",
    errors.PaymentInsufficient: "error.payment.insufficient",
    errors.PaymentRefused: "error.payment.invalid",
    errors.ResourceBusy: "error.order.busy",
    errors.AttachmentTooLarge: "error.attachment.tooLarge",
    errors.AttachmentsTooMany: "error.attachment.tooMany",
    errors.AttachmentNotFound: "error.attachment.notFound",
    errors.ExternalReferencesTooMany: "error.externalReference.tooMany",
    errors.ExternalReferenceKindUnsupported: "error.externalReference.kind",
    errors.FileStatusUnsupported: "error.file.status",
    errors.OperationListUnsupported: "error.operation.unsupported",
    errors.OperationListMissing: "error.order.noOperation",
    errors.HoldLimitReached: "error.order.holdLimit",
    errors.FileContactLimit: "error.file.contactLimit",
}


def status_detail_key(refusal: errors.BusinessRefusal) -> str:
    """The key of a refusal; a subclass answers with its nearest listed ancestor's key."""
    for cls in type(refusal).__mro__:
        key = STATUS_DETAIL_KEYS.get(cls)
        if key is not None:
            return key
    raise LookupError(f"no statusDetail key for {type(refusal).__name__}")


def documented_keys() -> list[tuple[str, str]]:
    """(key, meaning) pairs for the WSDL documentation and the docs."""
    return sorted(
        (key, (refusal.__doc__ or "").strip()) for refusal, key in STATUS_DETAIL_KEYS.items()
    )
