"""Opening an order or file for a caller: visibility, the channel, and expiry on access."""

from __future__ import annotations

from datetime import datetime

from boxoffice.domain.catalog import SalesChannel
from boxoffice.domain.errors import InvalidRequest, OrderExpired, OrderNotFound
from boxoffice.domain.lines import ChangeSet
from boxoffice.domain.model import Order
from boxoffice.service.hold_caps import check_hold_caps
from boxoffice.service.placement import release_places
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


def open_order(uow: UnitOfWork, caller: Caller, order_id: int | None, now: datetime, *,
               refuse_expired: bool = True) -> tuple[Order, SalesChannel]:
    """The caller's order, locked; an order found past its deadline is expired first.

    Expiring commits on its own, so the places go back on sale even though the call that
    noticed it is then refused with error.order.expired.
    """
    order = uow.orders.get(require_id(order_id, "orderId"), caller.channel_id)
    if order is None:
        # Another channel's order answers exactly as a missing one.
        raise OrderNotFound(f"No order {order_id}.")
    channel = channel_of(uow, caller)
    if order.is_due_to_expire(now):
        changes = order.expire(now)
        release_places(uow, changes.removed_movements)
        uow.commit()
        if refuse_expired:
            raise OrderExpired(f"Order {order_id} has expired; its places were released.")
    return order, channel


def expire_due_orders(uow: UnitOfWork, now: datetime, limit: int = 100) -> list[int]:
    """Expires live orders past their deadline, one transaction each; the ids expired."""
    with uow:
        due = list(uow.orders.due_to_expire(now, limit))
    expired = []
    for order_id in due:
        with uow:
            order = uow.orders.get_unscoped(order_id)
            if order is None or not order.is_due_to_expire(now):
                continue
            changes = order.expire(now)
            release_places(uow, changes.removed_movements)
            uow.commit()
            expired.append(order_id)
    return expired



def finish_update(uow: UnitOfWork, order: Order, changes: ChangeSet) -> OrderUpdateView:
    """Flushes (so new lines get ids), checks the channel's hold caps, answers, commits."""
    uow.flush()
    channel = uow.catalog.sales_channel(order.channel_id)
    if channel is not None:
        check_hold_caps(uow, channel, order, changes)
    view = order_update_view(order, changes, uow.catalog.institution().currency,
                             uow.catalog.names())
    uow.commit()
    return view
