"""Seat allocation: best available and manual choice of numbered seats for one performance.

Rules of the automatic choice (contract 7.2), strongest first:

1. Only seats of the allowed areas (the contingent's pool) and, when given, of the requested seat
   category are candidates.
2. Preferred areas are searched first, one after the other in the order given; then all the
   other allowed areas together. A customer who names an area gets it whenever the group fits
   there, even at the price of a single empty seat (rule 4) or a worse row (rule 5). Preferred
   areas outside the allowed ones are ignored.
3. With ``contiguous`` (the default) every seat of the group is side by side in one row, or the
   request is refused with NoAvailability.
4. Orphan avoidance outranks row quality: within one search tier a row where the group fits
   without leaving a single empty seat (a free run of exactly n seats, or of n + 2 or more) wins
   over a better row where it would leave one (a run of n + 1). The lone seat is almost unsellable
   while the next row back is nearly as good.
5. Best rows first, in the layout's quality order. Within the chosen row an exact run is used
   before a longer one, and the group starts at the edge of its run so the rest stays whole.

Without ``contiguous`` the contiguous answer is still given when one exists; otherwise the group
is filled piece by piece, the biggest piece that still fits somewhere first (ties go to the
earlier tier, a clean fit, then the better row), so the party is split as little as possible.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from boxoffice.domain.catalog import Seat
from boxoffice.domain.errors import NoAvailability, SeatNotFound, SeatUnavailable
from boxoffice.domain.lines import check_quantity
from boxoffice.domain.seat_index import SeatIndex, VenueLayout

__all__ = ["SeatMap", "VenueLayout"]


class SeatMap:
    """Availability of one performance's seats; mutated by take/release."""

    def __init__(self, layout: VenueLayout, taken_seat_ids: Iterable[int] = ()) -> None:
        self.layout = layout
        # Counts take/release calls, so a holder can tell whether it changed the map.
        self.mutations = 0
        # While a transaction holds the map: what it took (True) and released (False), so
        # that a refusal can give the map back as it was instead of having it rebuilt.
        self._journal: list[tuple[list[int], bool]] | None = None
        position_of = layout.position_of
        # A seat no longer in the layout cannot be sold again; it is simply not counted.
        taken = [position_of[seat_id] for seat_id in taken_seat_ids if seat_id in position_of]
        self._index = SeatIndex(layout, taken)

    def is_free(self, seat_id: int) -> bool:
        position = self.layout.position_of.get(seat_id)
        return position is not None and not self._index.taken[position]

    def free_count(self) -> int:
        return self._index.free_total

    def counts(
        self, area_ids: Collection[int], seat_category_id: int | None = None
    ) -> tuple[int, int]:
        """(free, total) seats of those areas, of one seat category when given.

        Read from the per-zone counters the allocator keeps, so it costs the same for a
        600-seat hall and a 60,000-seat stadium.
        """
        layout = self.layout
        zones = self._zones(area_ids, seat_category_id)
        free = sum(self._index.zone_free[zone] for zone in zones)
        total = sum(
            layout.row_end[row] - layout.row_start[row]
            for zone in zones
            for row in layout.zones[zone].rows
        )
        return free, total

    def seat_categories(self, area_ids: Collection[int]) -> set[int]:
        """The seat categories of those areas' numbered seats."""
        return {self.layout.zones[zone].seat_category_id for zone in self._zones(area_ids, None)}

    # -- automatic choice ------------------------------------------------------------

    def best_available(
        self,
        quantity: int,
        *,
        allowed_area_ids: Collection[int],
        seat_category_id: int | None = None,
        preferred_area_ids: Sequence[int] = (),
        contiguous: bool = True,
    ) -> list[list[Seat]]:
        """The best seats for a group, best group first; marks nothing taken."""
        check_quantity(quantity)
        tiers = self._tiers(allowed_area_ids, seat_category_id, preferred_area_ids)
        row = self._best_row(tiers, quantity)
        if row >= 0:
            return [self._seats(self._place(row, quantity))]
        if contiguous:
            raise NoAvailability(f"No row has {quantity} free seats side by side.")
        free = sum(self._index.zone_free[zone] for tier in tiers for zone in tier)
        if free < quantity:
            raise NoAvailability(f"Only {free} free seats left, {quantity} asked.")
        return self._fill(tiers, quantity)

    def _tiers(
        self,
        allowed_area_ids: Collection[int],
        seat_category_id: int | None,
        preferred_area_ids: Sequence[int],
    ) -> list[list[int]]:
        allowed = set(allowed_area_ids)
        preferred = [area for area in dict.fromkeys(preferred_area_ids) if area in allowed]
        tiers = [self._zones((area,), seat_category_id) for area in preferred]
        tiers.append(self._zones(allowed.difference(preferred), seat_category_id))
        return [tier for tier in tiers if tier]

    def _zones(self, area_ids: Iterable[int], seat_category_id: int | None) -> list[int]:
        zones = self.layout.zones
        return [
            zone
            for area_id in area_ids
            for zone in self.layout.zones_by_area.get(area_id, ())
            if seat_category_id is None or zones[zone].seat_category_id == seat_category_id
        ]

    def _best_row(self, tiers: list[list[int]], quantity: int) -> int:
        for tier in tiers:
            for clean in (True, False):
                row = self._index.best_row(tier, quantity, clean)
                if row >= 0:
                    return row
        return -1

    def _place(self, row: int, quantity: int) -> range:
        start = self._index.place(row, quantity)
        if start < 0:
            raise AssertionError("the seat index promised a fitting run in this row")
        return range(start, start + quantity)

    def _fill(self, tiers: list[list[int]], quantity: int) -> list[list[Seat]]:
        """Splits the group over as few runs as possible; the index is restored afterwards."""
        every_zone = [zone for tier in tiers for zone in tier]
        pieces: list[range] = []
        remaining = quantity
        try:
            while remaining:
                size = next(
                    size
                    for size in range(remaining, 0, -1)
                    if self._index.fits_anywhere(every_zone, size)
                )
                piece = self._place(self._best_row(tiers, size), size)
                self._index.set_taken(piece, True)
                pieces.append(piece)
                remaining -= size
        finally:
            for piece in pieces:
                self._index.set_taken(piece, False)
        pieces.sort(key=lambda piece: piece.start)
        return [self._seats(piece) for piece in pieces]

    # -- manual choice ---------------------------------------------------------------

    def choose(
        self,
        seat_ids: Sequence[int],
        *,
        allowed_area_ids: Collection[int],
        seat_category_id: int | None = None,
    ) -> list[list[Seat]]:
        """Checks seats chosen by hand and groups them side by side; marks nothing taken."""
        check_quantity(len(seat_ids))
        allowed = set(allowed_area_ids)
        positions: list[int] = []
        for seat_id in seat_ids:
            position = self.layout.position_of.get(seat_id, -1)
            seat = self.layout.seats[position] if position >= 0 else None
            if (
                seat is None
                or seat.area_id not in allowed
                or (seat_category_id is not None and seat.seat_category_id != seat_category_id)
            ):
                raise SeatNotFound(f"Seat {seat_id} is not one of the seats you may sell here.")
            if position in positions:
                raise SeatUnavailable(f"Seat {seat_id} is asked for twice.")
            if self._index.taken[position]:
                raise SeatUnavailable(f"Seat {seat_id} is already taken.")
            positions.append(position)
        return self._contiguities(positions)

    def _contiguities(self, positions: Iterable[int]) -> list[list[Seat]]:
        row_of = self.layout.row_of_position
        groups: list[list[int]] = []
        for position in sorted(positions):
            follows = groups and groups[-1][-1] == position - 1
            if follows and row_of[position - 1] == row_of[position]:
                groups[-1].append(position)
            else:
                groups.append([position])
        return [self._seats(group) for group in groups]

    # -- changes -----------------------------------------------------------------------

    def take(self, seat_ids: Iterable[int]) -> None:
        """Marks seats taken, all or none; a seat already taken is refused."""
        positions: set[int] = set()
        for seat_id in seat_ids:
            position = self.layout.position_of.get(seat_id)
            if position is None:
                raise SeatNotFound(f"Seat {seat_id} does not exist in this venue.")
            if self._index.taken[position] or position in positions:
                raise SeatUnavailable(f"Seat {seat_id} is already taken.")
            positions.add(position)
        self.mutations += 1
        self._index.set_taken(positions, True)
        if self._journal is not None:
            self._journal.append((list(positions), True))

    def release(self, seat_ids: Iterable[int]) -> None:
        """Puts seats back on sale; free or unknown seats are left as they are."""
        self.mutations += 1
        position_of, taken = self.layout.position_of, self._index.taken
        positions = [
            position_of[seat_id]
            for seat_id in seat_ids
            if seat_id in position_of and taken[position_of[seat_id]]
        ]
        self._index.set_taken(positions, False)
        if self._journal is not None:
            self._journal.append((positions, False))

    def start_journal(self) -> None:
        """From now on, remembers each take and release until `undo` or `stop_journal`."""
        self._journal = []

    @property
    def journaling(self) -> bool:
        return self._journal is not None

    def stop_journal(self) -> None:
        self._journal = None

    def undo(self) -> None:
        """Reverts every take and release since `start_journal`, newest first."""
        for positions, taken in reversed(self._journal or []):
            self._index.set_taken(positions, not taken)
        self._journal = None

    def apply(self, taken_seat_ids: Iterable[int], released_seat_ids: Iterable[int]) -> None:
        """Brings the map up to changes already stored (another process's sale, say).

        Unlike take and release it refuses nothing and counts as no change of this holder:
        the seats are taken or free in the database already. Unknown seats are ignored.
        """
        position_of = self.layout.position_of
        self._index.set_taken(
            (position_of[seat_id] for seat_id in released_seat_ids if seat_id in position_of), False
        )
        self._index.set_taken(
            (position_of[seat_id] for seat_id in taken_seat_ids if seat_id in position_of), True
        )

    def _seats(self, positions: Iterable[int]) -> list[Seat]:
        seats = self.layout.seats
        return [seats[position] for position in positions]
