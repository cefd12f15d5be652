"""Caps on what one sales channel's unclosed orders hold (issue 10, item 7).

Without them one reseller could hold a whole stock shared with other channels in unpaid
carts until they expire. Checked after a call's new places are flushed, so they count too;
past a cap the call is refused (error.order.holdLimit) and rolled back, holding nothing.
On PostgreSQL the places of a performance or an item are taken under its lock (inventory), so
two calls of one channel count each other's places once the first commits.
"""

from __future__ import annotations

from boxoffice.domain.catalog import SalesChannel
from boxoffice.domain.errors import HoldLimitReached, QuantityRefused
from boxoffice.domain.lines import MAX_ORDER_PLACES, ChangeSet
from boxoffice.domain.model import Order
from boxoffice.service.ports import UnitOfWork


def check_hold_caps(
    uow: UnitOfWork, channel: SalesChannel, order: Order, changes: ChangeSet
) -> None:
    """Refuses the call when the order, or a performance or item it added to, is now held
    past its cap."""
    if changes.movements and len(order.live_movements) > MAX_ORDER_PLACES:
        raise QuantityRefused(
            f"One order may hold at most {MAX_ORDER_PLACES} places; open another order for more."
        )
    performance_ids = {
        m.performance_id
        for m in changes.movements
        if m.performance_id is not None and m.item_id is None
    }
    item_ids = {m.item_id for m in changes.movements if m.item_id is not None}
    if not performance_ids and not item_ids:
        return
    places, units = uow.orders.held_places(channel.channel_id, performance_ids, item_ids)
    for performance_id in sorted(performance_ids):
        if places.get(performance_id, 0) > channel.max_held_places:
            raise HoldLimitReached(
                f"This channel's unclosed orders may hold at most {channel.max_held_places} "
                f"places of performance {performance_id}; close or release some first."
            )
    for item_id in sorted(item_ids):
        if units.get(item_id, 0) > channel.max_held_units:
            raise HoldLimitReached(
                f"This channel's unclosed orders may hold at most {channel.max_held_units} "
                f"units of item {item_id}; close or release some first."
            )
