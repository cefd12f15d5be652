"""Builds the order and file details a reader sees, with what is pinned to them."""

from __future__ import annotations

from typing import Any

from boxoffice.domain.catalog import SalesChannel
from boxoffice.domain.files import File
from boxoffice.domain.model import Order, OrderDetailsReading, OrderReading
from boxoffice.domain.records import ExternalReference, ReferenceOwnerKind
from boxoffice.service.ports import UnitOfWork
from boxoffice.service.read_models import file_details_view, order_details_view
from boxoffice.service.views import FileDetailsView, OrderDetailsView


def order_details(uow: UnitOfWork, order: Order, channel: SalesChannel) -> OrderDetailsView:
    """The order's details; flushes first so that new lines have their ids."""
    return details_with(uow, order, channel, pinned_references(uow, order))


def snapshot_details(
    uow: UnitOfWork, order: OrderDetailsReading[Any], channel: SalesChannel
) -> OrderDetailsView:
    """The details of an order read as a snapshot (OrderRepository.snapshot), which holds its
    references: nothing to flush, nothing more to read."""
    return details_with(uow, order, channel, order.references)


def pinned_references(uow: UnitOfWork, order: Order) -> list[ExternalReference]:
    """The external references pinned to the order; flushes first so that it has its id."""
    uow.flush()
    assert order.order_id is not None
    return list(uow.records.references(ReferenceOwnerKind.ORDER, order.order_id))


def details_with(
    uow: UnitOfWork,
    order: OrderReading[Any],
    channel: SalesChannel,
    references: list[ExternalReference],
) -> OrderDetailsView:
    """The order's details from what is in memory (the catalog is cached): a use case may
    build them after its commit, outside the inventory's and the order's locks."""
    return order_details_view(
        order, channel, uow.catalog.institution().currency, references, uow.catalog.names()
    )


def file_details(
    uow: UnitOfWork, file: File, orders: list[Order], channel: SalesChannel
) -> FileDetailsView:
    assert file.file_id is not None
    return file_details_view(
        file,
        [order_details(uow, order, channel) for order in orders],
        uow.records.attachments_of_file(file.file_id),
    )
