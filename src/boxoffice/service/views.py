"""Plain read objects the service layer returns, built before the session closes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class CurrencyView:
    currency_code: str
    fraction_digit: int
    symbol: str
    # The smallest amount the currency can express, in thousandths (10 for cents).
    min_amount: int
    available_cash: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class OperationView:
    operation_id: int
    file_id: int
    order_id: int
    kind: str
    product_id: int | None
    product_code: str | None
    performance_id: int | None
    seat_category_id: int | None
    audience_sub_category_id: int | None
    contingent_id: int | None
    quantity: int
    unit_price: int
    total_amount: int
    numbered: bool
    linked_operation_id: int | None
    # The tariff price of one unit before any charge (charges are operations of their own).
    base_price: int
    item_id: int | None
    product_family_type: str | None
    # 1, 2, ... in the order the operations were added to the order.
    operation_number: int
    audience_sub_category: str | None


@dataclass(frozen=True)
class MovementView:
    movement_id: int
    operation_id: int
    type: str
    seat_id: int | None
    area_id: int | None
    block_id: int | None
    row_number: str | None
    seat_number: str | None
    seat_category_id: int | None
    contingent_id: int | None
    price: int
    movement_state: str
    barcode: str | None
    seat_category: str | None
    contingent: str | None
    # 1, 2, ... within its operation.
    instance_number: int


@dataclass(frozen=True)
class ContiguityView:
    movement_ids: list[int]
    area_id: int | None
    row_number: str | None


@dataclass(frozen=True)
class KeyValueView:
    key: str
    value: str


@dataclass(frozen=True)
class OrderUpdateView:
    order_id: int
    order_secret_id: str
    file_id: int
    order_state: str
    main_operation_id: int | None
    catalog_currency: CurrencyView
    operation_data_updates: list[OperationView] = field(default_factory=list)
    movement_data_updates: list[MovementView] = field(default_factory=list)
    remove_operation_ids: list[int] = field(default_factory=list)
    remove_movement_ids: list[int] = field(default_factory=list)
    generated_contiguities: list[ContiguityView] = field(default_factory=list)
    origin: str | None = None
    # Contact qualities the platform derives from a sale; boxoffice derives none.
    generated_contact_qualities: list[KeyValueView] = field(default_factory=list)


@dataclass(frozen=True)
class OrderDetailsView:
    order_id: int
    order_secret_id: str
    file_id: int
    order_state: str
    order_type: str
    creation_date_time: datetime
    last_update_date_time: datetime
    expiration_date: datetime | None
    sales_channel_code: str
    sales_channel_name: str
    point_of_sales_id: int
    contact_reference: str | None
    external_reference: str | None
    sale_amount: int
    paid_amount: int
    catalog_currency: CurrencyView
    operation_datas: list[OperationView]
    movement_datas: list[MovementView]
    payment_state: str
    option_amount: int
    reservation_amount: int
    pre_sale_amount: int
    waiting_account_balance_amount: int
    order_origin_data: str | None
    order_originator: str
    reference_date: datetime
    external_references: list[KeyValueView]


@dataclass(frozen=True)
class ContactView:
    contact_reference: str
    first_name: str | None
    last_name: str | None
    email: str | None


@dataclass(frozen=True)
class FileDetailsView:
    file_id: int
    file_state: str
    last_mod_date_time: datetime
    file_contacts: list[ContactView]
    orders: list[OrderDetailsView]
    file_attachments: list[AttachmentEntryView]


@dataclass(frozen=True)
class AttachmentEntryView:
    """An attachment as getFileDetails lists it, without its data."""

    file_attachment_id: int
    name: str
    upload_date: datetime


@dataclass(frozen=True)
class AttachmentView:
    """An attachment as getFileAttachment returns it."""

    data: bytes
    file_name: str
    mimetype: str
    upload_date: datetime


@dataclass(frozen=True)
class ExternalReferencesView:
    id: int
    external_references: list[KeyValueView]


@dataclass(frozen=True)
class PaymentsView:
    """The payments a payment request recorded, and the order waiting for their outcome."""

    payment_ids: list[int]
    order: OrderDetailsView
