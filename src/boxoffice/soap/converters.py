"""One typed converter per wire type, from the service layer's views.

Every converter builds its instance through `filled`, which refuses to leave a WSDL field
without a value source: adding a field to a type without saying where its value comes from
fails at once (tests/unit/test_converters.py walks every result type), instead of the field
going out silently empty.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from spyne import ComplexModelBase

from boxoffice.service.views import (
    AttachmentEntryView,
    AttachmentView,
    ContactView,
    ContiguityView,
    CurrencyView,
    ExternalReferencesView,
    FileDetailsView,
    KeyValueView,
    MovementView,
    OperationView,
    OrderDetailsView,
    OrderUpdateView,
)
from boxoffice.soap.wire_states import wire_payment_state

# The upload date of an attachment as real clients write and read it.
UPLOAD_DATE_FORMAT = "%d/%m/%Y"


class MissingValueSource(LookupError):
    """A wire type has a field that its converter gives no value (not even an explicit None)."""


# Per wire class, computed once: the types are built once per namespace and never change.
_FIELDS: dict[Any, tuple[str, ...]] = {}
_PLAIN: dict[Any, bool] = {}


def wire_fields(wire_class: type[ComplexModelBase]) -> tuple[str, ...]:
    """Every field of the type, inherited ones first, in WSDL order."""
    known = _FIELDS.get(wire_class)
    if known is None:
        parent = getattr(wire_class, "__extends__", None)
        inherited = wire_fields(parent) if parent is not None else ()
        known = _FIELDS[wire_class] = inherited + tuple(wire_class._type_info)
    return known


def _plain(wire_class: type[ComplexModelBase]) -> bool:
    """True when spyne's constructor, given every field, only sets each one: no field has a
    default, a default factory or is read-only, and the class maps no XML body."""
    known = _PLAIN.get(wire_class)
    if known is None:
        known = _PLAIN[wire_class] = _only_sets_fields(wire_class)
    return known


def _only_sets_fields(wire_class: type[ComplexModelBase]) -> bool:
    if (
        wire_class.Attributes._xml_tag_body_as is not None
        or getattr(wire_class, "__orig__", None) is not None
        or hasattr(wire_class, "_sa_class_manager")  # SQLAlchemy-mapped: spyne defers to it
    ):
        return False
    types = wire_class.get_flat_type_info(wire_class)
    return all(
        field.Attributes.default is None
        and field.Attributes.default_factory is None
        and not field.Attributes.read_only
        for field in types.values()
    )


def filled(wire_class: type[ComplexModelBase], **values: Any) -> ComplexModelBase:
    """An instance with every field set from `values`; a field missing or unknown raises."""
    names = wire_fields(wire_class)
    if len(values) != len(names) or not all(name in values for name in names):
        missing = [name for name in names if name not in values]
        if missing:
            raise MissingValueSource(
                f"{wire_class.get_type_name()}: no value source for {', '.join(missing)}"
            )
        unknown = sorted(set(values) - set(names))
        raise MissingValueSource(f"{wire_class.get_type_name()} has no field {', '.join(unknown)}")
    if not _plain(wire_class):
        return wire_class(**values)
    # What spyne's constructor would do field by field, at a tenth of its cost: an order's
    # details build over a hundred of these.
    instance: ComplexModelBase = object.__new__(wire_class)
    instance.__dict__.update(values)
    return instance


def currency_data(t: SimpleNamespace, view: CurrencyView) -> ComplexModelBase:
    return filled(
        t.CurrencyData,
        currencyCode=view.currency_code,
        fractionDigit=view.fraction_digit,
        symbol=view.symbol,
        minAmount=view.min_amount,
        availableCash=list(view.available_cash),
    )


def key_value_data(t: SimpleNamespace, view: KeyValueView) -> ComplexModelBase:
    return filled(t.KeyValueData, key=view.key, value=view.value)


def operation_data(t: SimpleNamespace, view: OperationView) -> ComplexModelBase:
    return filled(
        t.OperationData,
        operationId=view.operation_id,
        fileId=view.file_id,
        orderId=view.order_id,
        kind=view.kind,
        productId=view.product_id,
        productCode=view.product_code,
        performanceId=view.performance_id,
        seatCategoryId=view.seat_category_id,
        audienceSubCategoryId=view.audience_sub_category_id,
        contingentId=view.contingent_id,
        quantity=view.quantity,
        unitPrice=view.unit_price,
        totalAmount=view.total_amount,
        numbered=view.numbered,
        linkedOperationId=view.linked_operation_id,
        basePrice=view.base_price,
        itemId=view.item_id,
        productFamilyType=view.product_family_type,
        operationNumber=view.operation_number,
        audienceSubCategory=view.audience_sub_category,
    )


def movement_data(t: SimpleNamespace, view: MovementView) -> ComplexModelBase:
    return filled(
        t.MovementData,
        movementId=view.movement_id,
        operationId=view.operation_id,
        type=view.type,
        seatId=view.seat_id,
        areaId=view.area_id,
        blockId=view.block_id,
        rowNumber=view.row_number,
        seatNumber=view.seat_number,
        seatCategoryId=view.seat_category_id,
        contingentId=view.contingent_id,
        price=view.price,
        movementState=view.movement_state,
        barcode=view.barcode,
        seatCategory=view.seat_category,
        contingent=view.contingent,
        instanceNumber=view.instance_number,
    )


def contiguity_data(t: SimpleNamespace, view: ContiguityView) -> ComplexModelBase:
    return filled(
        t.ContiguityData,
        movementIds=list(view.movement_ids),
        areaId=view.area_id,
        rowNumber=view.row_number,
    )


def order_update_data(t: SimpleNamespace, view: OrderUpdateView) -> ComplexModelBase:
    return filled(
        t.OrderUpdateData,
        orderId=view.order_id,
        orderSecretId=view.order_secret_id,
        fileId=view.file_id,
        orderState=view.order_state,
        mainOperationId=view.main_operation_id,
        operationDataUpdates=[operation_data(t, o) for o in view.operation_data_updates],
        movementDataUpdates=[movement_data(t, m) for m in view.movement_data_updates],
        removeOperationIds=list(view.remove_operation_ids),
        removeMovementIds=list(view.remove_movement_ids),
        generatedContiguities=[contiguity_data(t, c) for c in view.generated_contiguities],
        catalogCurrency=currency_data(t, view.catalog_currency),
        generatedContactQualities=[key_value_data(t, q) for q in view.generated_contact_qualities],
        origin=view.origin,
    )


def order_details_data(t: SimpleNamespace, view: OrderDetailsView) -> ComplexModelBase:
    return filled(
        t.OrderDetailsData,
        orderId=view.order_id,
        orderSecretId=view.order_secret_id,
        fileId=view.file_id,
        orderState=view.order_state,
        orderType=view.order_type,
        creationDateTime=view.creation_date_time,
        lastUpdateDateTime=view.last_update_date_time,
        expirationDate=view.expiration_date,
        salesChannelCode=view.sales_channel_code,
        salesChannelName=view.sales_channel_name,
        pointOfSalesId=view.point_of_sales_id,
        contactReference=view.contact_reference,
        externalReference=view.external_reference,
        saleAmount=view.sale_amount,
        paidAmount=view.paid_amount,
        catalogCurrency=currency_data(t, view.catalog_currency),
        operationDatas=[operation_data(t, o) for o in view.operation_datas],
        movementDatas=[movement_data(t, m) for m in view.movement_datas],
        paymentState=wire_payment_state(view.payment_state),
        optionAmount=view.option_amount,
        orderOriginData=view.order_origin_data,
        orderOriginator=view.order_originator,
        preSaleAmount=view.pre_sale_amount,
        referenceDate=view.reference_date,
        reservationAmount=view.reservation_amount,
        waitingAccountBalanceAmount=view.waiting_account_balance_amount,
        externalReferences=[key_value_data(t, r) for r in view.external_references],
    )


def contact_data(t: SimpleNamespace, view: ContactView) -> ComplexModelBase:
    return filled(
        t.FileContactData,
        contactReference=view.contact_reference,
        firstName=view.first_name,
        lastName=view.last_name,
        email=view.email,
    )


def file_attachment_data(t: SimpleNamespace, view: AttachmentEntryView) -> ComplexModelBase:
    return filled(
        t.FileAttachmentData,
        fileAttachmentId=view.file_attachment_id,
        name=view.name,
        uploadDate=view.upload_date,
    )


def file_details_data(t: SimpleNamespace, view: FileDetailsView) -> ComplexModelBase:
    return filled(
        t.FileDetailsData,
        fileId=view.file_id,
        fileState=view.file_state,
        lastModDateTime=view.last_mod_date_time,
        fileContacts=[contact_data(t, c) for c in view.file_contacts],
        fileAttachments=[file_attachment_data(t, a) for a in view.file_attachments],
    )


def printable_file_attachment(t: SimpleNamespace, view: AttachmentView) -> ComplexModelBase:
    return filled(
        t.PrintableFileAttachment,
        data=base64.b64encode(view.data).decode("ascii"),
        fileName=view.file_name,
        mimetype=view.mimetype,
        uploadDate=upload_date_text(view.upload_date),
    )


def external_references_data(t: SimpleNamespace, view: ExternalReferencesView) -> ComplexModelBase:
    return filled(
        t.ExternalReferencesData,
        id=view.id,
        externalReferences=[key_value_data(t, r) for r in view.external_references],
    )


def upload_date_text(moment: datetime) -> str:
    return moment.strftime(UPLOAD_DATE_FORMAT)


# The converter of each payload type a result carries, by wire type name.
CONVERTERS: dict[str, Callable[[SimpleNamespace, Any], ComplexModelBase]] = {
    "OrderUpdateData": order_update_data,
    "OrderDetailsData": order_details_data,
    "FileDetailsData": file_details_data,
    "PrintableFileAttachment": printable_file_attachment,
    "ExternalReferencesData": external_references_data,
    "CurrencyData": currency_data,
    "OperationData": operation_data,
    "MovementData": movement_data,
    "ContiguityData": contiguity_data,
    "KeyValueData": key_value_data,
    "FileContactData": contact_data,
    "FileAttachmentData": file_attachment_data,
}
