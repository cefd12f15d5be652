"""Opening an order or file for a caller: visibility, the channel, and expiry on access."""

from __future__ import annotations

from datetime import datetime

from boxoffice.domain.catalog import SalesChannel
from boxoffice.domain.errors import InvalidRequest, OrderExpired, OrderNotFound
from boxoffice.domain.lines import ChangeSet
from boxoffice.domain.model import Order
from boxoffice.domain.states import OrderState
from boxoffice.service.hold_caps import check_hold_caps
from boxoffice.service.ports import UnitOfWork
from boxoffice.service.read_models import order_update_view
from boxoffice.service.requests import Caller
from boxoffice.service.views import OrderUpdateView


def channel_of(uow: UnitOfWork, caller: Caller) -> SalesChannel:
    channel = uow.catalog.sales_channel(caller.channel_id)
    if channel is None:
        # The operator's channel vanished from the catalog after login: nothing is visible.
        raise OrderNotFound("No such order.")
    return channel


def require_id(value: int | None, name: str) -> int:
    if value is None:
        raise InvalidRequest(f"{name} is required.")
    return value


def open_order(
    uow: UnitOfWork, caller: Caller, order_id: int | None, now: datetime
) -> tuple[Order, SalesChannel]:
    """The caller's order, locked, with the caller's channel; one past its deadline is expired.

    Nothing is committed here. A use case that changes the order calls `expiry_refusal` next,
    and commits before refusing, so that the places go back on sale although the call is
    refused with error.order.expired.
    """
    order = uow.orders.get(require_id(order_id, "orderId"), caller.channel_id)
    if order is None:
        # Another channel's order answers exactly as a missing one.
        raise OrderNotFound(f"No order {order_id}.")
    channel = channel_of(uow, caller)
    if order.is_due_to_expire(now):
        # Its places go back on sale when the unit of work flushes the released movements.
        order.expire(now)
    return order, channel


def expiry_refusal(order: Order) -> OrderExpired | None:
    """The refusal for an order that has expired (now or before), or None for a live one."""
    if order.state is OrderState.EXPIRED:
        return OrderExpired(f"Order {order.order_id} has expired; its places were released.")
    return None


def expire_due_orders(uow: UnitOfWork, now: datetime, limit: int = 100) -> list[int]:
    """Expires live orders past their deadline, one transaction each; the ids expired."""
    with uow.read_only():
        due = list(uow.orders.due_to_expire(now, limit))
    expired = []
    for order_id in due:
        with uow:
            order = uow.orders.get_unscoped(order_id)
            if order is None or not order.is_due_to_expire(now):
                continue
            order.expire(now)
            uow.commit()
            expired.append(order_id)
    return expired


def check_update(uow: UnitOfWork, order: Order, changes: ChangeSet) -> None:
    """Flushes (so new lines get ids and count) and checks the channel's hold caps.

    Called by a use case that changed an order, before it commits; a refusal rolls the whole
    call back.
    """
    uow.flush()
    channel = uow.catalog.sales_channel(order.channel_id)
    if channel is not None:
        check_hold_caps(uow, channel, order, changes)


def update_view(uow: UnitOfWork, order: Order, changes: ChangeSet) -> OrderUpdateView:
    """The answer to a call that changed an order, built after the use case committed.

    Building it after the commit keeps it out of the time the inventory and the order are
    locked; the entities keep their values (and new ids) after the commit.
    """
    return order_update_view(
        order, changes, uow.catalog.institution().currency, uow.catalog.names()
    )
