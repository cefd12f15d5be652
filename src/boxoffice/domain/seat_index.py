"""The seat index: a venue's rows and zones, and per zone a bitmask of the rows where n seats fit.

A *row* here is a maximal stretch of the quality-ordered seat sequence sharing area, block, row
number and seat category; its seats are side by side in that order. A *zone* is every row of one
area that sells as one seat category, best row first. For each zone and each group size n in
1..MAX_OPERATION_QUANTITY the index keeps two Python ints whose bit i says that the zone's i-th
row has a free run fitting n seats: ``clean`` (a run of exactly n, or of n + 2 or more, so no
single empty seat is left) and ``fit`` (any run of n or more). The lowest set bit is the best
row, so finding it costs the same in a 600-seat hall and a 60,000-seat stadium; taking or
releasing a seat recomputes only that seat's row.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from boxoffice.domain.catalog import Seat
from boxoffice.domain.lines import MAX_OPERATION_QUANTITY

_LARGEST = MAX_OPERATION_QUANTITY
_TAKEN = 1
_TAKEN_BYTE = b"\x01"
# Search patterns, by group size: n free seats, and exactly n free seats between two taken ones.
_FREE = tuple(b"\x00" * size for size in range(_LARGEST + 3))
_EXACT = tuple(_TAKEN_BYTE + free + _TAKEN_BYTE for free in _FREE)


class Zone:
    """The rows of one area that sell as one seat category, best row first."""

    __slots__ = ("area_id", "seat_category_id", "rows")

    def __init__(self, area_id: int, seat_category_id: int) -> None:
        self.area_id = area_id
        self.seat_category_id = seat_category_id
        self.rows: list[int] = []


class VenueLayout:
    """Static seat layout of one venue, seats in quality order."""

    def __init__(self, seats: Sequence[Seat]) -> None:
        self.seats: tuple[Seat, ...] = tuple(seats)
        self.position_of: dict[int, int] = {}
        self.row_start: list[int] = []
        self.row_end: list[int] = []
        self.row_zone: list[int] = []
        self.row_local: list[int] = []
        self.row_of_position: list[int] = []
        self.zones: list[Zone] = []
        self.zones_by_area: dict[int, list[int]] = {}
        zone_of_key: dict[tuple[int, int], int] = {}
        previous: tuple[int, int, str, int] | None = None
        for position, seat in enumerate(self.seats):
            if seat.seat_id in self.position_of:
                raise ValueError(f"Seat {seat.seat_id} appears twice in the layout.")
            self.position_of[seat.seat_id] = position
            key = (seat.area_id, seat.block_id, seat.row_number, seat.seat_category_id)
            if key != previous:
                previous = key
                zone_key = (seat.area_id, seat.seat_category_id)
                zone = zone_of_key.get(zone_key)
                if zone is None:
                    zone = zone_of_key[zone_key] = len(self.zones)
                    self.zones.append(Zone(seat.area_id, seat.seat_category_id))
                    self.zones_by_area.setdefault(seat.area_id, []).append(zone)
                self._open_row(position, zone)
        self._close_row(len(self.seats))

    def _open_row(self, position: int, zone: int) -> None:
        self._close_row(position)
        row = len(self.row_start)
        self.row_start.append(position)
        self.row_zone.append(zone)
        self.row_local.append(len(self.zones[zone].rows))
        self.zones[zone].rows.append(row)

    def _close_row(self, position: int) -> None:
        if len(self.row_end) < len(self.row_start):
            self.row_end.append(position)
            self.row_of_position.extend([len(self.row_end) - 1] * (position - self.row_start[-1]))

    def seat(self, seat_id: int) -> Seat | None:
        position = self.position_of.get(seat_id)
        return None if position is None else self.seats[position]

    def sells_numbered(self, area_ids: Collection[int], seat_category_id: int | None) -> bool:
        """Whether any of these areas has numbered seats of that category."""
        return any(
            self.zones[zone].seat_category_id == seat_category_id
            for area_id in area_ids
            for zone in self.zones_by_area.get(area_id, ())
        )

    def __len__(self) -> int:
        return len(self.seats)

    @property
    def row_count(self) -> int:
        return len(self.row_start)


def _fit_sets(segment: bytes) -> tuple[int, int]:
    """Bit n set when n seats fit the row: (without leaving a single seat, at all)."""
    longest = 0
    clean = 0
    for run in segment.split(_TAKEN_BYTE):
        length = len(run)
        if length:
            if length <= _LARGEST:
                clean |= 1 << length
            if length > longest:
                longest = length
    if not longest:
        return 0, 0
    if longest >= 3:
        clean |= (1 << (min(longest - 2, _LARGEST) + 1)) - 2
    return clean, (1 << (min(longest, _LARGEST) + 1)) - 2


class SeatIndex:
    """Which seats of a layout are taken, with the per-zone row masks kept in step."""

    def __init__(self, layout: VenueLayout, taken_positions: Iterable[int]) -> None:
        self.layout = layout
        self.taken = bytearray(len(layout))
        for position in taken_positions:
            self.taken[position] = _TAKEN
        self.free_total = len(layout) - sum(self.taken)
        self.zone_free = [0] * len(layout.zones)
        self.row_clean = [0] * layout.row_count
        self.row_fit = [0] * layout.row_count
        zone_count = len(layout.zones)
        self.clean_masks = [[0] * (_LARGEST + 1) for _ in range(zone_count)]
        self.fit_masks = [[0] * (_LARGEST + 1) for _ in range(zone_count)]
        self._build()

    def _build(self) -> None:
        layout, taken = self.layout, self.taken
        for zone_number, zone in enumerate(layout.zones):
            # Bits are gathered in bytearrays, then turned into ints once: far cheaper than
            # growing each int bit by bit.
            width = len(zone.rows) // 8 + 1
            clean_bits = [bytearray(width) for _ in range(_LARGEST + 1)]
            fit_bits = [bytearray(width) for _ in range(_LARGEST + 1)]
            free = 0
            for local, row in enumerate(zone.rows):
                segment = bytes(taken[layout.row_start[row] : layout.row_end[row]])
                free += len(segment) - segment.count(_TAKEN_BYTE)
                clean, fit = _fit_sets(segment)
                self.row_clean[row], self.row_fit[row] = clean, fit
                byte, bit = local >> 3, 1 << (local & 7)
                for sizes, bits in ((clean, clean_bits), (fit, fit_bits)):
                    while sizes:
                        lowest = sizes & -sizes
                        bits[lowest.bit_length() - 1][byte] |= bit
                        sizes ^= lowest
            self.zone_free[zone_number] = free
            self.clean_masks[zone_number] = [int.from_bytes(b, "little") for b in clean_bits]
            self.fit_masks[zone_number] = [int.from_bytes(b, "little") for b in fit_bits]

    # -- changes ---------------------------------------------------------------

    def set_taken(self, positions: Iterable[int], taken: bool) -> None:
        """Marks the positions (already checked by the caller) and refreshes their rows."""
        layout, value = self.layout, _TAKEN if taken else 0
        step = -1 if taken else 1
        rows: set[int] = set()
        for position in positions:
            if self.taken[position] == value:
                continue
            self.taken[position] = value
            row = layout.row_of_position[position]
            self.zone_free[layout.row_zone[row]] += step
            self.free_total += step
            rows.add(row)
        for row in rows:
            self._refresh_row(row)

    def _refresh_row(self, row: int) -> None:
        layout = self.layout
        clean, fit = _fit_sets(bytes(self.taken[layout.row_start[row] : layout.row_end[row]]))
        zone, bit = layout.row_zone[row], 1 << layout.row_local[row]
        for new, olds, masks in (
            (clean, self.row_clean, self.clean_masks[zone]),
            (fit, self.row_fit, self.fit_masks[zone]),
        ):
            changed = new ^ olds[row]
            olds[row] = new
            while changed:
                lowest = changed & -changed
                masks[lowest.bit_length() - 1] ^= bit
                changed ^= lowest

    # -- questions -------------------------------------------------------------

    def best_row(self, zones: Sequence[int], quantity: int, clean: bool) -> int:
        """The best row of those zones where quantity seats fit (cleanly), or -1."""
        all_masks = self.clean_masks if clean else self.fit_masks
        zone_rows = self.layout.zones
        best = -1
        for zone in zones:
            mask = all_masks[zone][quantity]
            if mask:
                row = zone_rows[zone].rows[(mask & -mask).bit_length() - 1]
                if best < 0 or row < best:
                    best = row
        return best

    def fits_anywhere(self, zones: Sequence[int], quantity: int) -> bool:
        return any(self.fit_masks[zone][quantity] for zone in zones)

    def place(self, row: int, quantity: int) -> int:
        """First position of the group in the row, or -1 when it does not fit.

        An exact run is used first, then the first run leaving at least two seats, then any run;
        the group starts at the edge of its run so what is left of the run stays whole.
        """
        start = self.layout.row_start[row]
        # Walled by a taken seat at each end, so a run at the row's edge looks like any other.
        segment = _TAKEN_BYTE + bytes(self.taken[start : self.layout.row_end[row]]) + _TAKEN_BYTE
        offset = segment.find(_EXACT[quantity])
        if offset < 0:
            offset = segment.find(_FREE[quantity + 2])
            if offset < 0:
                offset = segment.find(_FREE[quantity])
                if offset < 0:
                    return -1
            offset -= 1
        return start + offset
