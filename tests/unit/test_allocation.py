"""Automatic and manual seat allocation on small halls whose every seat is known."""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest

from boxoffice.domain.allocation import SeatMap, VenueLayout
from boxoffice.domain.catalog import Seat
from boxoffice.domain.errors import NoAvailability, QuantityRefused, SeatNotFound, SeatUnavailable

STALLS, BALCONY, BOX = 1, 2, 3
CATEGORY_ONE, CATEGORY_TWO = 11, 12
EVERYWHERE = (STALLS, BALCONY, BOX)


def build_seats(
    rows_per_area: dict[int, int],
    seats_per_row: int = 10,
    category_of_area: dict[int, int] | None = None,
) -> list[Seat]:
    """Seat ids read area, row, seat: 1_03_07 is area 1, row 3, seat 7."""
    seats = []
    for area_id, rows in rows_per_area.items():
        category = (category_of_area or {}).get(area_id, CATEGORY_ONE)
        for row in range(1, rows + 1):
            for number in range(1, seats_per_row + 1):
                seats.append(
                    Seat(
                        area_id * 10_000 + row * 100 + number,
                        area_id,
                        area_id * 10,
                        str(row),
                        str(number),
                        category,
                    )
                )
    return seats


def hall(taken: Sequence[int] = (), **kwargs) -> SeatMap:
    rows = kwargs.pop("rows", {STALLS: 3})
    return SeatMap(VenueLayout(build_seats(rows, **kwargs)), taken)


def seat_id(area: int, row: int, number: int) -> int:
    return area * 10_000 + row * 100 + number


def row_seats(area: int, row: int, *numbers: int) -> list[int]:
    return [seat_id(area, row, number) for number in numbers]


def places(groups: list[list[Seat]]) -> list[list[tuple[int, str, str]]]:
    return [
        [(seat.area_id, seat.row_number, seat.seat_number) for seat in group] for group in groups
    ]


# -- best available ----------------------------------------------------------------


def test_a_group_gets_seats_side_by_side_in_the_first_row_of_an_empty_hall():
    groups = hall().best_available(4, allowed_area_ids={STALLS})
    assert places(groups) == [
        [(STALLS, "1", "1"), (STALLS, "1", "2"), (STALLS, "1", "3"), (STALLS, "1", "4")]
    ]


def test_a_group_too_big_for_the_free_runs_of_a_row_goes_to_the_next_row():
    seat_map = hall(taken=row_seats(STALLS, 1, 4, 8))
    groups = seat_map.best_available(4, allowed_area_ids={STALLS})
    assert places(groups) == [[(STALLS, "2", str(n)) for n in range(1, 5)]]


def test_the_best_row_with_room_is_served_first():
    full_first_row = row_seats(STALLS, 1, *range(1, 11))
    groups = hall(taken=full_first_row).best_available(2, allowed_area_ids={STALLS})
    assert places(groups) == [[(STALLS, "2", "1"), (STALLS, "2", "2")]]


def test_a_better_row_is_skipped_when_using_it_would_leave_a_single_empty_seat():
    # Row 1 keeps seats 1-3 free: a pair there would strand seat 3 (or 1).
    first_row_leaves_three = row_seats(STALLS, 1, *range(4, 11))
    groups = hall(taken=first_row_leaves_three).best_available(2, allowed_area_ids={STALLS})
    assert places(groups) == [[(STALLS, "2", "1"), (STALLS, "2", "2")]]


def test_a_single_empty_seat_is_left_only_when_no_row_can_avoid_it():
    every_row_leaves_three = [seat_id(STALLS, row, n) for row in (1, 2, 3) for n in range(4, 11)]
    groups = hall(taken=every_row_leaves_three).best_available(2, allowed_area_ids={STALLS})
    assert places(groups) == [[(STALLS, "1", "1"), (STALLS, "1", "2")]]


def test_an_exact_gap_is_filled_before_a_longer_run_of_the_same_row():
    # Row 1: seats 1-5 free, seat 6 taken, seats 7-8 free, seats 9-10 taken.
    seat_map = hall(taken=row_seats(STALLS, 1, 6, 9, 10))
    groups = seat_map.best_available(2, allowed_area_ids={STALLS})
    assert places(groups) == [[(STALLS, "1", "7"), (STALLS, "1", "8")]]


def test_a_group_sits_against_the_edge_of_its_run_so_the_rest_stays_together():
    seat_map = hall(taken=row_seats(STALLS, 1, 1, 2))
    groups = seat_map.best_available(3, allowed_area_ids={STALLS})
    assert places(groups) == [[(STALLS, "1", "3"), (STALLS, "1", "4"), (STALLS, "1", "5")]]


def test_a_group_filling_a_whole_row_is_given_that_row():
    groups = hall().best_available(10, allowed_area_ids={STALLS})
    assert places(groups) == [[(STALLS, "1", str(n)) for n in range(1, 11)]]


def test_seats_of_two_rows_are_never_joined_into_one_group():
    # Row 1 ends with 3 free seats and row 2 starts with 3: neighbours in the list, not in the hall.
    seat_map = hall(
        taken=row_seats(STALLS, 1, *range(1, 8))
        + row_seats(STALLS, 2, *range(4, 11))
        + row_seats(STALLS, 3, *range(1, 11))
    )
    with pytest.raises(NoAvailability):
        seat_map.best_available(6, allowed_area_ids={STALLS})


def test_a_contiguous_request_is_refused_when_no_row_has_room_for_the_whole_group():
    seat_map = hall(taken=[seat_id(STALLS, row, n) for row in (1, 2, 3) for n in (4, 8)])
    with pytest.raises(NoAvailability):
        seat_map.best_available(4, allowed_area_ids={STALLS})


def test_a_request_is_refused_when_the_hall_is_sold_out():
    seat_map = hall(rows={STALLS: 1}, taken=row_seats(STALLS, 1, *range(1, 11)))
    with pytest.raises(NoAvailability):
        seat_map.best_available(1, allowed_area_ids={STALLS})
    with pytest.raises(NoAvailability):
        seat_map.best_available(1, allowed_area_ids={STALLS}, contiguous=False)


@pytest.mark.parametrize("quantity", [0, -1, 41])
def test_a_quantity_outside_one_to_forty_is_refused(quantity):
    with pytest.raises(QuantityRefused):
        hall().best_available(quantity, allowed_area_ids={STALLS})


def test_best_available_only_proposes_and_takes_nothing():
    seat_map = hall()
    first = seat_map.best_available(2, allowed_area_ids={STALLS})
    again = seat_map.best_available(2, allowed_area_ids={STALLS})
    assert first == again
    assert seat_map.free_count() == 30


# -- areas, pools and categories ------------------------------------------------------


def test_only_seats_of_the_allowed_areas_are_offered():
    seat_map = hall(rows={STALLS: 2, BALCONY: 2})
    groups = seat_map.best_available(3, allowed_area_ids={BALCONY})
    assert {seat.area_id for seat in groups[0]} == {BALCONY}


def test_a_full_contingent_pool_refuses_even_when_other_areas_are_empty():
    seat_map = hall(rows={STALLS: 1, BALCONY: 2}, taken=row_seats(STALLS, 1, *range(1, 11)))
    with pytest.raises(NoAvailability):
        seat_map.best_available(1, allowed_area_ids={STALLS}, contiguous=False)


def test_preferred_areas_are_searched_first_in_the_order_given():
    seat_map = hall(rows={STALLS: 2, BALCONY: 2, BOX: 2})
    groups = seat_map.best_available(
        2, allowed_area_ids=EVERYWHERE, preferred_area_ids=(BOX, BALCONY)
    )
    assert places(groups) == [[(BOX, "1", "1"), (BOX, "1", "2")]]


def test_the_next_preferred_area_is_used_when_the_first_has_no_room():
    seat_map = hall(rows={STALLS: 1, BALCONY: 1, BOX: 1}, taken=row_seats(BOX, 1, 3, 6, 9))
    groups = seat_map.best_available(
        3, allowed_area_ids=EVERYWHERE, preferred_area_ids=(BOX, BALCONY)
    )
    assert places(groups) == [[(BALCONY, "1", "1"), (BALCONY, "1", "2"), (BALCONY, "1", "3")]]


def test_other_allowed_areas_are_used_when_the_preferred_ones_are_full():
    seat_map = hall(rows={STALLS: 1, BALCONY: 1}, taken=row_seats(BALCONY, 1, *range(1, 11)))
    groups = seat_map.best_available(
        2, allowed_area_ids={STALLS, BALCONY}, preferred_area_ids=(BALCONY,)
    )
    assert places(groups) == [[(STALLS, "1", "1"), (STALLS, "1", "2")]]


def test_a_preferred_area_wins_even_if_it_leaves_a_single_empty_seat():
    seat_map = hall(rows={STALLS: 1, BALCONY: 1}, taken=row_seats(BALCONY, 1, *range(4, 11)))
    groups = seat_map.best_available(
        2, allowed_area_ids={STALLS, BALCONY}, preferred_area_ids=(BALCONY,)
    )
    assert places(groups) == [[(BALCONY, "1", "1"), (BALCONY, "1", "2")]]


def test_a_preferred_area_outside_the_pool_is_ignored():
    seat_map = hall(rows={STALLS: 1, BALCONY: 1})
    groups = seat_map.best_available(2, allowed_area_ids={STALLS}, preferred_area_ids=(BALCONY,))
    assert {seat.area_id for seat in groups[0]} == {STALLS}


def test_only_seats_of_the_requested_category_are_offered():
    seat_map = hall(
        rows={STALLS: 2, BALCONY: 2}, category_of_area={STALLS: CATEGORY_ONE, BALCONY: CATEGORY_TWO}
    )
    groups = seat_map.best_available(
        2, allowed_area_ids={STALLS, BALCONY}, seat_category_id=CATEGORY_TWO
    )
    assert [seat.seat_category_id for seat in groups[0]] == [CATEGORY_TWO, CATEGORY_TWO]
    with pytest.raises(NoAvailability):
        seat_map.best_available(2, allowed_area_ids={STALLS}, seat_category_id=CATEGORY_TWO)


# -- without contiguity ------------------------------------------------------------------


def test_a_non_contiguous_request_still_gets_one_row_when_one_has_room():
    seat_map = hall(taken=row_seats(STALLS, 1, 5))
    groups = seat_map.best_available(4, allowed_area_ids={STALLS}, contiguous=False)
    assert places(groups) == [[(STALLS, "1", str(n)) for n in range(1, 5)]]


def test_a_non_contiguous_request_is_split_over_as_few_runs_as_possible():
    # Free: row 1 seats 1-3 and 6-7 and 10, row 2 seats 9-10, row 3 nothing.
    taken = (
        row_seats(STALLS, 1, 4, 5, 8, 9)
        + row_seats(STALLS, 2, *range(1, 9))
        + row_seats(STALLS, 3, *range(1, 11))
    )
    seat_map = hall(taken=taken)
    groups = seat_map.best_available(5, allowed_area_ids={STALLS}, contiguous=False)
    assert places(groups) == [
        [(STALLS, "1", "1"), (STALLS, "1", "2"), (STALLS, "1", "3")],
        [(STALLS, "1", "6"), (STALLS, "1", "7")],
    ]
    assert seat_map.free_count() == 8


def test_a_non_contiguous_request_is_refused_when_fewer_seats_are_free_than_asked():
    taken = [seat_id(STALLS, row, n) for row in (1, 2, 3) for n in range(1, 10)]
    with pytest.raises(NoAvailability):
        hall(taken=taken).best_available(4, allowed_area_ids={STALLS}, contiguous=False)


# -- manual choice ------------------------------------------------------------------------


def test_seats_chosen_by_hand_come_back_grouped_by_contiguity():
    seat_map = hall()
    groups = seat_map.choose(
        [
            seat_id(STALLS, 2, 1),
            seat_id(STALLS, 1, 5),
            seat_id(STALLS, 1, 4),
            seat_id(STALLS, 1, 10),
            seat_id(STALLS, 2, 2),
        ],
        allowed_area_ids={STALLS},
    )
    assert places(groups) == [
        [(STALLS, "1", "4"), (STALLS, "1", "5")],
        [(STALLS, "1", "10")],
        [(STALLS, "2", "1"), (STALLS, "2", "2")],
    ]
    assert seat_map.free_count() == 30


def test_choosing_a_taken_seat_is_refused_as_unavailable():
    seat_map = hall(taken=[seat_id(STALLS, 1, 5)])
    with pytest.raises(SeatUnavailable):
        seat_map.choose([seat_id(STALLS, 1, 4), seat_id(STALLS, 1, 5)], allowed_area_ids={STALLS})


def test_choosing_the_same_seat_twice_is_refused_as_unavailable():
    with pytest.raises(SeatUnavailable):
        hall().choose([seat_id(STALLS, 1, 4), seat_id(STALLS, 1, 4)], allowed_area_ids={STALLS})


def test_choosing_an_unknown_seat_is_refused_as_not_found():
    with pytest.raises(SeatNotFound):
        hall().choose([seat_id(STALLS, 9, 9)], allowed_area_ids={STALLS})


def test_choosing_a_seat_outside_the_contingent_pool_is_refused_as_not_found():
    seat_map = hall(rows={STALLS: 1, BALCONY: 1})
    with pytest.raises(SeatNotFound):
        seat_map.choose([seat_id(BALCONY, 1, 1)], allowed_area_ids={STALLS})


def test_choosing_a_seat_of_another_category_is_refused_as_not_found():
    seat_map = hall(
        rows={STALLS: 1, BALCONY: 1}, category_of_area={STALLS: CATEGORY_ONE, BALCONY: CATEGORY_TWO}
    )
    with pytest.raises(SeatNotFound):
        seat_map.choose(
            [seat_id(BALCONY, 1, 1)],
            allowed_area_ids={STALLS, BALCONY},
            seat_category_id=CATEGORY_ONE,
        )


# -- taking and releasing -------------------------------------------------------------------


def test_taken_seats_are_no_longer_offered_and_come_back_when_released():
    seat_map = hall()
    first = seat_map.best_available(10, allowed_area_ids={STALLS})
    first_ids = [seat.seat_id for seat in first[0]]
    seat_map.take(first_ids)
    assert not seat_map.is_free(first_ids[0])
    assert seat_map.free_count() == 20
    assert places(seat_map.best_available(10, allowed_area_ids={STALLS}))[0][0] == (
        STALLS,
        "2",
        "1",
    )

    seat_map.release(first_ids)
    assert seat_map.is_free(first_ids[0])
    assert seat_map.free_count() == 30
    assert seat_map.best_available(10, allowed_area_ids={STALLS}) == first


def test_taking_a_taken_seat_is_refused_and_changes_nothing():
    seat_map = hall(taken=[seat_id(STALLS, 1, 2)])
    with pytest.raises(SeatUnavailable):
        seat_map.take([seat_id(STALLS, 1, 1), seat_id(STALLS, 1, 2)])
    assert seat_map.is_free(seat_id(STALLS, 1, 1))
    assert seat_map.free_count() == 29


def test_taking_an_unknown_seat_is_refused():
    with pytest.raises(SeatNotFound):
        hall().take([seat_id(STALLS, 9, 9)])


def test_releasing_a_free_seat_twice_changes_nothing():
    seat_map = hall(taken=[seat_id(STALLS, 1, 2)])
    seat_map.release([seat_id(STALLS, 1, 2)])
    seat_map.release([seat_id(STALLS, 1, 2)])
    assert seat_map.free_count() == 30


def test_an_unknown_seat_is_not_free():
    assert not hall().is_free(seat_id(STALLS, 9, 9))


# -- the layout ---------------------------------------------------------------------------------


def test_a_layout_finds_its_seats_by_id_and_counts_them():
    layout = VenueLayout(build_seats({STALLS: 2}))
    assert len(layout) == 20
    assert layout.seat(seat_id(STALLS, 2, 3)).seat_number == "3"
    assert layout.seat(seat_id(STALLS, 9, 9)) is None


def test_a_layout_refuses_the_same_seat_twice():
    seats = build_seats({STALLS: 1})
    with pytest.raises(ValueError):
        VenueLayout(seats + seats[:1])


# -- the index agrees with a plain scan of every row ------------------------------------------


def reference_best(
    seat_map: SeatMap,
    quantity: int,
    allowed: set[int],
    category: int | None,
    preferred: tuple[int, ...],
) -> list[int] | None:
    """The rules spelled out naively: tiers, then clean fit, then row order, then run choice."""
    rows: dict[tuple[int, str], list[Seat]] = {}
    for seat in seat_map.layout.seats:
        rows.setdefault((seat.area_id, seat.row_number), []).append(seat)
    tiers = [{area} for area in preferred if area in allowed] + [allowed - set(preferred)]
    for tier in tiers:
        for clean in (True, False):
            for (area, _), seats in rows.items():
                if area not in tier or (category and seats[0].seat_category_id != category):
                    continue
                runs, run = [], []
                for seat in seats + [None]:
                    if seat is not None and seat_map.is_free(seat.seat_id):
                        run.append(seat.seat_id)
                    elif run:
                        runs.append(run)
                        run = []
                exact = [r for r in runs if len(r) == quantity]
                roomy = [r for r in runs if len(r) >= quantity + 2]
                loose = [r for r in runs if len(r) >= quantity]
                chosen = (exact or roomy) if clean else loose
                if chosen:
                    return chosen[0][:quantity]
    return None


def test_the_seat_index_answers_like_a_plain_scan_through_a_long_day_of_sales():
    rng = random.Random(7)
    areas = {STALLS: 6, BALCONY: 4, BOX: 3}
    seat_map = hall(
        rows=areas,
        seats_per_row=12,
        category_of_area={STALLS: CATEGORY_ONE, BALCONY: CATEGORY_TWO, BOX: CATEGORY_ONE},
    )
    held: list[list[int]] = []
    for _ in range(600):
        quantity = rng.randint(1, 8)
        allowed = set(rng.sample(sorted(areas), rng.randint(1, 3)))
        category = rng.choice([None, CATEGORY_ONE, CATEGORY_TWO])
        preferred = tuple(rng.sample(sorted(areas), rng.randint(0, 2)))
        expected = reference_best(seat_map, quantity, allowed, category, preferred)
        try:
            groups = seat_map.best_available(
                quantity,
                allowed_area_ids=allowed,
                seat_category_id=category,
                preferred_area_ids=preferred,
            )
        except NoAvailability:
            assert expected is None
        else:
            got = [seat.seat_id for seat in groups[0]]
            assert got == expected
            seat_map.take(got)
            held.append(got)
        if held and rng.random() < 0.4:
            seat_map.release(held.pop(rng.randrange(len(held))))
    rebuilt = SeatMap(
        seat_map.layout,
        [seat.seat_id for seat in seat_map.layout.seats if not seat_map.is_free(seat.seat_id)],
    )
    for quantity in range(1, 9):
        try:
            expected = seat_map.best_available(quantity, allowed_area_ids=set(areas))
        except NoAvailability:
            expected = None
        try:
            got = rebuilt.best_available(quantity, allowed_area_ids=set(areas))
        except NoAvailability:
            got = None
        assert got == expected


def test_undo_gives_the_map_back_exactly_as_it_was_when_the_journal_started():
    rng = random.Random(11)
    areas = {STALLS: 6, BALCONY: 4}
    all_ids = [seat.seat_id for seat in build_seats(areas, seats_per_row=12)]
    taken_before = rng.sample(all_ids, 40)
    seat_map = hall(taken_before, rows=areas, seats_per_row=12)
    untouched = hall(taken_before, rows=areas, seats_per_row=12)

    seat_map.start_journal()
    for _ in range(30):
        free = [s for s in all_ids if seat_map.is_free(s)]
        seat_map.take(rng.sample(free, rng.randint(1, 4)))
        # Releases mix taken seats with seats already free (which must stay free on undo).
        seat_map.release(rng.sample(all_ids, 3))
    seat_map.undo()

    assert [s for s in all_ids if seat_map.is_free(s)] == [
        s for s in all_ids if untouched.is_free(s)
    ]
    assert seat_map.free_count() == untouched.free_count()
    for quantity in range(1, 9):
        assert places(seat_map.best_available(quantity, allowed_area_ids=set(areas))) == places(
            untouched.best_available(quantity, allowed_area_ids=set(areas))
        )
    assert not seat_map.journaling
