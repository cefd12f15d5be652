"""One small exception class per business refusal or bad request."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every refusal the domain can give; carries a human sentence."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BusinessRefusal(DomainError):
    """A rule said no: answered as a result with statusCode=error, never a fault."""


class InvalidRequest(DomainError):
    """The request itself is malformed: answered as a Client fault."""


class OrderNotFound(BusinessRefusal):
    """No order with that id is visible to the caller."""


class FileNotFound(BusinessRefusal):
    """No file with that id (or secret id) is visible to the caller."""


class OrderStateConflict(BusinessRefusal):
    """The order's state does not allow the requested change."""


class OrderExpired(BusinessRefusal):
    """The order went past its inactivity delay or maximum lifespan."""


class OrderEmpty(BusinessRefusal):
    """An order without any line cannot be validated or closed."""


class OperationNotFound(BusinessRefusal):
    """No live operation with that id in the order."""


class OperationNotChangeable(BusinessRefusal):
    """The operation is a system charge; it follows the lines and cannot be changed."""


class MovementNotFound(BusinessRefusal):
    """No live movement with that id in the order."""


class NoAvailability(BusinessRefusal):
    """Not enough places, seats or stock left for the request."""


class SeatUnavailable(BusinessRefusal):
    """A seat chosen by hand is already taken."""


class SeatNotFound(BusinessRefusal):
    """A seat chosen by hand does not exist in the places the caller may sell."""


class ContingentForbidden(BusinessRefusal):
    """The sales channel may not sell from the contingent it named."""


class QuantityRefused(BusinessRefusal):
    """The quantity is below one or above the per-operation limit."""


class PerformanceNotFound(BusinessRefusal):
    """No performance with that id."""


class AreaNotFound(BusinessRefusal):
    """No area with that id for the performance, or not of the right kind."""


class ItemNotFound(BusinessRefusal):
    """No item with that id."""


class ProductNotFound(BusinessRefusal):
    """No product (event) with that id on sale to the caller's channel."""


class PriceNotFound(BusinessRefusal):
    """No price for that seat category and tariff (audience sub-category)."""


class PointOfSalesNotFound(BusinessRefusal):
    """The point of sales is not one of the caller's sales channel."""


class OrderTypeUnsupported(BusinessRefusal):
    """The order type exists on the real platform but boxoffice does not sell it."""


class ManualChargeRefused(BusinessRefusal):
    """Charges are computed from the sales channel's settings; a request cannot add one."""


class ResumeUnsupported(BusinessRefusal):
    """Resuming option or reservation lines into a sale is not offered by boxoffice."""


class PaymentInsufficient(BusinessRefusal):
    """The payments given at closing add up to less than the sale amount."""


class PaymentRefused(BusinessRefusal):
    """A payment at closing has no method or a zero or negative amount."""


class FileContactLimit(BusinessRefusal):
    """The file already keeps the most purchasers a file may (50); open a new file."""


class HoldLimitReached(BusinessRefusal):
    """The channel's unclosed orders already hold its cap of that performance or item."""


class ResourceBusy(BusinessRefusal):
    """The places asked for stayed locked by other sales too long; nothing changed, retry."""


class AttachmentTooLarge(BusinessRefusal):
    """The attachment is larger than the bound a file attachment may have."""


class AttachmentsTooMany(BusinessRefusal):
    """The file already holds as many attachments as it may."""


class AttachmentNotFound(BusinessRefusal):
    """No attachment with that id is visible to the caller."""


class ExternalReferencesTooMany(BusinessRefusal):
    """More external references than an order or a file may hold."""


class ExternalReferenceKindUnsupported(BusinessRefusal):
    """External references are kept on orders and files only."""


class FileStatusUnsupported(BusinessRefusal):
    """A file's state follows its orders; it cannot be set to another value."""


class OperationListUnsupported(BusinessRefusal):
    """Composed or transport products are not sold by boxoffice."""


class OperationListMissing(BusinessRefusal):
    """createOrUpdateOrder needs at least one operation list."""
