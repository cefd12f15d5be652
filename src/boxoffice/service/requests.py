"""Plain input values the service layer takes, free of any wire format."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Caller:
    """The authenticated operator and the sales channel it acts for."""

    login: str
    channel_id: int
    # The channel's callsPerMinute (service/rate_limits.py); None: no limit.
    calls_per_minute: int | None = None


@dataclass(frozen=True)
class ContactInput:
    contact_reference: str
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class PaymentInput:
    payment_method_id: int | None
    amount: int | None


@dataclass(frozen=True)
class OperationInput:
    """One line to add: seats (automatic or chosen), standing places or item units."""

    kind: str
    quantity: int | None
    audience_sub_category_id: int | None = None
    performance_id: int | None = None
    seat_category_id: int | None = None
    area_id: int | None = None
    item_id: int | None = None
    contingent_id: int | None = None
    prefered_areas: tuple[int, ...] = ()
    seat_ids: tuple[int, ...] = ()
    contiguous: bool = True


@dataclass(frozen=True)
class OrderInput:
    """What opens an order: where it is sold, for whom, into which file."""

    point_of_sales_id: int | None
    order_type: str | None = None
    file_id: int | None = None
    purchasers: tuple[ContactInput, ...] = field(default_factory=tuple)
    external_reference: str | None = None
    contingent_id: int | None = None
    origin: str | None = None
    # fileContacts: contacts of the file that are not purchasers of this order.
    file_contacts: tuple[ContactInput, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class AttributionGroup:
    """Tariffs of one party for one performance, seated together when they can be."""

    attributions: tuple[OperationInput, ...]
    prefered_areas: tuple[int, ...] = ()


@dataclass(frozen=True)
class AttachmentInput:
    """printableFileAttachmentData: data as base64 text (a cid: part already inlined)."""

    data: str | None
    file_name: str | None
    mimetype: str | None
    upload_date: datetime | None
