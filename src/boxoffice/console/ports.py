"""What the console reads and writes, as plain values; persistence implements it (bootstrap wires).

`channel_id=None` in a query means "every channel": only an administrator's pages pass it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

Row = dict[str, Any]


@dataclass(frozen=True)
class StoredCall:
    """One call of the call log, bodies already redacted (not indented: the call page does)."""

    channel_id: int | None
    login: str | None
    protocol: str
    service: str
    operation: str
    outcome: str
    http_status: int
    started_at: datetime
    duration_seconds: float
    order_id: int | None
    request_body: str
    response_body: str
    call_id: int | None = None


@dataclass(frozen=True)
class CallFilter:
    operation: str = ""
    outcome: str = ""
    order_id: int | None = None
    before_call_id: int | None = None  # paging: calls older than this one
    limit: int = 50


@dataclass(frozen=True)
class ConsoleSession:
    login: str
    channel_id: int
    administrator: bool
    csrf_token: str
    expires_at: datetime


@dataclass(frozen=True)
class OrderPage:
    """Everything the order page shows; rows are plain dicts of column values."""

    order: Row
    history: list[Row] = field(default_factory=list)
    lines: list[Row] = field(default_factory=list)
    charges: list[Row] = field(default_factory=list)
    movements: list[Row] = field(default_factory=list)
    payments: list[Row] = field(default_factory=list)
    # None when this database has no external-reference table yet (issue 7 adds it).
    external_references: list[Row] | None = None


@dataclass(frozen=True)
class LayoutSeat:
    seat_id: int
    area_id: int
    block_id: int
    row_number: str
    seat_number: str
    row_rank: int
    position_in_row: int


@dataclass(frozen=True)
class LayoutArea:
    area_id: int
    name: str
    numbered: bool
    capacity: int | None
    # block_id -> name, best block first
    blocks: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class VenueLayout:
    venue_id: int
    name: str
    areas: list[LayoutArea]
    seats: list[LayoutSeat]  # in area, block, row, position order


@dataclass(frozen=True)
class LiveSeat:
    """A seat some order holds (RESERVED) or bought (SOLD)."""

    seat_id: int
    state: str  # "RESERVED" or "SOLD"
    order_id: int
    channel_id: int


@dataclass(frozen=True)
class SeatStates:
    pool_area_ids: frozenset[int] | None  # None: every area (administrator)
    live: dict[int, LiveSeat]
    standing_taken: dict[int, int]  # standing area id -> places taken


class CallLog(Protocol):
    def append(self, calls: Sequence[StoredCall]) -> None: ...
    def prune(self, now: datetime, max_calls: int, max_age_seconds: float) -> int: ...
    def recent(self, channel_id: int | None, wanted: CallFilter) -> list[StoredCall]: ...
    def call(self, call_id: int, channel_id: int | None) -> StoredCall | None: ...
    def operations(self, channel_id: int | None) -> list[str]: ...


class SessionStore(Protocol):
    def open(self, token_hash: str, session: ConsoleSession, now: datetime) -> None: ...
    def find(self, token_hash: str, now: datetime) -> ConsoleSession | None: ...
    def close(self, token_hash: str, now: datetime) -> None: ...


class ConsoleReads(Protocol):
    def is_administrator(self, login: str) -> bool: ...
    def channel_names(self) -> dict[int, str]: ...
    def find_orders(self, channel_id: int | None, by: str, value: str, limit: int) -> list[Row]: ...
    def order_page(self, order_id: int, channel_id: int | None) -> OrderPage | None: ...
    def performances(self, channel_id: int | None) -> list[Row]: ...
    def performance(self, performance_id: int, channel_id: int | None) -> Row | None: ...
    def venue_layout(self, venue_id: int) -> VenueLayout: ...
    def catalog_version(self) -> int: ...
    def seat_states(self, performance_id: int, channel_id: int | None) -> SeatStates: ...
