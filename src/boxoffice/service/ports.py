"""What the service layer needs from storage: repositories and the unit of work."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from boxoffice.domain.catalog import (
    Area,
    AudienceSubCategory,
    CatalogNames,
    Institution,
    Item,
    Operator,
    Performance,
    SalesChannel,
    Season,
    SeatCategory,
)
from boxoffice.domain.files import File
from boxoffice.domain.inventory import Stock
from boxoffice.domain.model import Order, OrderDetailsReading
from boxoffice.domain.records import Attachment, ExternalReference, ReferenceOwnerKind
from boxoffice.domain.states import MovementState

if TYPE_CHECKING:
    from boxoffice.domain.allocation import SeatMap, VenueLayout


class CatalogRepository(Protocol):
    def institution(self) -> Institution: ...
    def sales_channel(self, channel_id: int) -> SalesChannel | None: ...
    def operator(self, login: str) -> Operator | None: ...
    def performance(self, performance_id: int) -> Performance | None: ...
    def area(self, area_id: int) -> Area | None: ...
    def areas_of_venue(self, venue_id: int) -> Sequence[Area]: ...
    def audience_sub_category(
        self, audience_sub_category_id: int
    ) -> AudienceSubCategory | None: ...
    def item(self, item_id: int) -> Item | None: ...
    def names(self) -> CatalogNames: ...
    def venue_layout(self, venue_id: int) -> VenueLayout: ...
    def seasons(self) -> Sequence[Season]: ...
    def seat_categories(self) -> Sequence[SeatCategory]: ...
    def audience_sub_categories(self) -> Sequence[AudienceSubCategory]: ...
    def performances(self) -> Sequence[Performance]:
        """Every performance, by product then start."""

    def items(self) -> Sequence[Item]: ...
    def venue_name(self, venue_id: int) -> str | None: ...


class OrderRepository(Protocol):
    def add_file(self, file: File) -> None: ...
    def add(self, order: Order) -> None: ...
    def get(self, order_id: int, channel_id: int) -> Order | None:
        """The order, locked for this transaction; None when absent or of another channel."""

    def snapshot(self, order_id: int, channel_id: int) -> OrderDetailsReading[Any] | None:
        """The order as its details show it, with its external references, read-only and
        unlocked in one statement: for answers that change nothing. None when absent or of
        another channel."""

    def get_unscoped(self, order_id: int) -> Order | None:
        """The order whatever its channel, locked: for system work such as the expiry sweep."""

    def get_by_secret(self, secret_id: str, channel_id: int) -> Order | None: ...
    def file(self, file_id: int, channel_id: int) -> File | None: ...
    def orders_of_file(self, file_id: int) -> Sequence[Order]: ...
    def due_to_expire(self, now: datetime, limit: int) -> Sequence[int]:
        """Ids of live orders whose deadline has passed, oldest deadline first."""

    def order_id_of_operation(self, operation_id: int, channel_id: int) -> int | None:
        """The order holding an operation, when that order is of the channel."""

    def live_seat_states(self, performance_id: int) -> Mapping[int, MovementState]:
        """Seat id -> state of every live seat movement of a performance."""

    def changed_products(self, since: datetime) -> Mapping[int, datetime]:
        """Product id -> the last change after `since` of an order holding that product."""

    def held_places(
        self, channel_id: int, performance_ids: Collection[int], item_ids: Collection[int]
    ) -> tuple[dict[int, int], dict[int, int]]:
        """(places per performance, units per item) held by the channel's live orders."""


class InventoryRepository(Protocol):
    def seat_map(self, performance: Performance) -> SeatMap:
        """The performance's seat availability, current and locked until the transaction ends."""

    def area_stock(self, performance_id: int, area: Area) -> Stock:
        """Places of a standing area for one performance, locked until the transaction ends."""

    def item_stock(self, item: Item) -> Stock:
        """Units of an item, locked until the transaction ends."""


class RecordRepository(Protocol):
    """Attachments of files and external references of orders and files."""

    def add_attachment(self, attachment: Attachment) -> int: ...
    def count_attachments(self, file_id: int) -> int: ...
    def attachments_of_file(self, file_id: int) -> Sequence[Attachment]:
        """The file's attachments without their data, oldest first."""

    def attachment(self, attachment_id: int, channel_id: int) -> Attachment | None:
        """The attachment with its data; None when absent or in another channel's file."""

    def delete_attachment(self, attachment_id: int) -> None: ...
    def references(self, kind: ReferenceOwnerKind, owner_id: int) -> list[ExternalReference]: ...
    def replace_references(
        self, kind: ReferenceOwnerKind, owner_id: int, references: dict[str, str]
    ) -> None: ...


class UnitOfWork(Protocol):
    catalog: CatalogRepository
    orders: OrderRepository
    inventory: InventoryRepository
    records: RecordRepository

    def __enter__(self) -> UnitOfWork: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...
    def read_only(self) -> UnitOfWork:
        """The next `with` block reads without taking any lock a writer waits on.

        Orders are read unlocked from one snapshot (never the SQLite write lock); nothing may
        be changed, and commit() is refused.
        """

    def one_statement_read(self) -> UnitOfWork:
        """As read_only, for a block whose only read is one statement (orders.snapshot): no
        transaction is opened around it, since one statement reads one snapshot anyway."""

    def flush(self) -> None:
        """Writes pending changes so that new entities get their ids.

        Movements turned RELEASED give their places back to the inventory here (and at
        commit): no use case releases places itself.
        """

    def commit(self) -> None:
        """Ends the transaction. Only use cases commit, once, at their end: helpers never do."""

    def rollback(self) -> None: ...
