"""Benchmark of best-available seat allocation: does its cost stay flat as the venue grows?

Run from the repository root:  PYTHONPATH=src python bench/bench_allocation.py [--quick]

Each venue has 4 areas of 2 seat categories, 30 seats a row; only the number of blocks and rows
grows. It is sold to 90 %: first with the allocator itself (random groups of 1-8, random
category, half of them naming a preferred area) up to 80 %, then with single seats picked at
random (manual choices scattered over the hall) up to 90 %, which leaves the free seats in short,
broken runs. Then, many times: one best_available request of 1-8 seats (random category, half
with a preferred area), then take and release of the answer so that the state never drifts.
Refusals (no row with that many seats side by side) count as answers in the timings. The small
venue is the baseline; the ratios say how the cost grows with the venue.
"""

from __future__ import annotations

import argparse
import gc
import platform
import random
import statistics
import time

from boxoffice.domain.allocation import SeatMap, VenueLayout
from boxoffice.domain.catalog import Seat
from boxoffice.domain.errors import NoAvailability

AREAS = (101, 102, 103, 104)
CATEGORIES = (1, 2)
SEATS_PER_ROW = 30
VENUES = {  # seats: (blocks per area, rows per block)
    6_000: (2, 25),
    60_000: (20, 25),
    600_000: (100, 50),
}


def build_seats(blocks: int, rows: int) -> list[Seat]:
    seats = []
    seat_id = 1
    for area_id in AREAS:
        for block in range(blocks):
            block_id = area_id * 1000 + block
            category = CATEGORIES[block % 2]
            for row in range(rows):
                for number in range(1, SEATS_PER_ROW + 1):
                    seats.append(
                        Seat(seat_id, area_id, block_id, str(row + 1), str(number), category)
                    )
                    seat_id += 1
    return seats


def request(rng: random.Random) -> dict:
    return {
        "seat_category_id": rng.choice(CATEGORIES),
        "preferred_area_ids": (rng.choice(AREAS),) if rng.random() < 0.5 else (),
    }


def sell_to_ninety_percent(seat_map: SeatMap, rng: random.Random) -> None:
    size = len(seat_map.layout)
    while seat_map.free_count() > size * 0.2:
        quantity = rng.randint(1, 8)
        try:
            groups = seat_map.best_available(
                quantity, allowed_area_ids=AREAS, contiguous=False, **request(rng)
            )
        except NoAvailability:
            continue
        seat_map.take([seat.seat_id for group in groups for seat in group])
    free = [seat.seat_id for seat in seat_map.layout.seats if seat_map.is_free(seat.seat_id)]
    scattered = rng.sample(free, seat_map.free_count() - size // 10)
    seat_map.take(scattered)


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def ratio(samples: list[float], baseline: list[float], fraction: float) -> float:
    return percentile(samples, fraction) / percentile(baseline, fraction)


class Venue:
    """One venue sold to 90 %, and the timings gathered on it."""

    def __init__(self, size: int, seed: int) -> None:
        self.size = size
        self.rng = random.Random(seed)
        blocks, rows = VENUES[size]
        seats = build_seats(blocks, rows)
        started = time.perf_counter()
        layout = VenueLayout(seats)
        self.layout_ms = (time.perf_counter() - started) * 1000
        seat_map = SeatMap(layout)
        sell_to_ninety_percent(seat_map, self.rng)
        taken = [seat.seat_id for seat in layout.seats if not seat_map.is_free(seat.seat_id)]
        gc.collect()
        # What persistence does when another process changed the seats: rebuild from the ids.
        started = time.perf_counter()
        self.seat_map = SeatMap(layout, taken)
        self.build_ms = (time.perf_counter() - started) * 1000
        self.answer_us: list[float] = []
        self.round_trip_us: list[float] = []
        self.refused = 0

    def run(self, iterations: int) -> None:
        seat_map, rng, clock = self.seat_map, self.rng, time.perf_counter_ns
        for _ in range(iterations):
            quantity = rng.randint(1, 8)
            options = request(rng)
            t0 = clock()
            try:
                groups = seat_map.best_available(quantity, allowed_area_ids=AREAS, **options)
            except NoAvailability:
                # A refusal is an answer too, and must be as quick.
                self.answer_us.append((clock() - t0) / 1000)
                self.refused += 1
                continue
            t1 = clock()
            seat_ids = [seat.seat_id for group in groups for seat in group]
            seat_map.take(seat_ids)
            seat_map.release(seat_ids)
            t2 = clock()
            self.answer_us.append((t1 - t0) / 1000)
            self.round_trip_us.append((t2 - t0) / 1000)

    @property
    def sold(self) -> float:
        return 1 - self.seat_map.free_count() / self.size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the 600,000-seat venue")
    parser.add_argument("--iterations", type=int, default=5_000, help="requests per round")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seed", type=int, default=2027)
    arguments = parser.parse_args()
    sizes = [size for size in VENUES if not (arguments.quick and size > 60_000)]

    print(
        f"Python {platform.python_version()} on {platform.machine()}, "
        f"{arguments.rounds} x {arguments.iterations} requests of 1-8 seats per venue, "
        f"rounds interleaved across venues; venues sold to 90 %"
    )
    venues = [Venue(size, arguments.seed) for size in sizes]
    for _ in range(arguments.rounds):
        # Interleaved so that a noisy neighbour on the machine hits every venue alike.
        for venue in venues:
            venue.run(arguments.iterations)

    print(
        f"{'seats':>8} {'sold':>5} {'layout ms':>9} {'SeatMap ms':>10} {'median us':>9} "
        f"{'p99 us':>7} {'+take/rel med':>13} {'p99':>7} {'refused':>8}"
    )
    for venue in venues:
        print(
            f"{venue.size:>8,} {venue.sold:>5.0%} {venue.layout_ms:>9.1f} "
            f"{venue.build_ms:>10.1f} {statistics.median(venue.answer_us):>9.1f} "
            f"{percentile(venue.answer_us, 0.99):>7.1f} "
            f"{statistics.median(venue.round_trip_us):>13.1f} "
            f"{percentile(venue.round_trip_us, 0.99):>7.1f} "
            f"{venue.refused / len(venue.answer_us):>8.1%}"
        )
    baseline = venues[0]
    for venue in venues[1:]:
        print(
            f"ratio {venue.size:,} / {baseline.size:,} seats: "
            f"median x{ratio(venue.answer_us, baseline.answer_us, 0.5):.2f}, "
            f"p99 x{ratio(venue.answer_us, baseline.answer_us, 0.99):.2f}, "
            f"with take/release median x"
            f"{ratio(venue.round_trip_us, baseline.round_trip_us, 0.5):.2f}, "
            f"SeatMap build x{venue.build_ms / baseline.build_ms:.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
