"""The seat map picture: every seat drawn once in its state's colour, laid out deterministically."""

from __future__ import annotations

import re

from boxoffice.console.ports import LayoutArea, LayoutSeat, LiveSeat, SeatStates, VenueLayout
from boxoffice.console.seatmap import PITCH, counts, layout, render_svg, state_codes

NORTH, FLOOR, SOUTH = 1, 2, 3


def venue() -> VenueLayout:
    seats = []
    seat_id = 100
    for area_id, blocks in ((NORTH, (10, 11)), (SOUTH, (30,))):
        for block_id in blocks:
            for rank in range(3):
                for position in range(4):
                    seats.append(
                        LayoutSeat(
                            seat_id,
                            area_id,
                            block_id,
                            str(rank + 1),
                            str(position + 1),
                            rank,
                            position,
                        )
                    )
                    seat_id += 1
    return VenueLayout(
        5,
        "Hall",
        [
            LayoutArea(NORTH, "North <stand>", True, None, [(10, "Left & co"), (11, "Right")]),
            LayoutArea(FLOOR, "Floor", False, 500, []),
            LayoutArea(SOUTH, "South", True, None, [(30, "S")]),
        ],
        seats,
    )


def squares(svg: str, code: str) -> list[tuple[int, int]]:
    match = re.search(rf'<path class="{code}" data-state="{code}" d="([^"]*)"', svg)
    if match is None:
        return []
    return [(int(x), int(y)) for x, y in re.findall(r"M(\d+) (\d+)h", match.group(1))]


def test_each_seat_is_coloured_by_its_state_and_the_counts_add_up() -> None:
    hall = venue()
    states = SeatStates(
        pool_area_ids=frozenset({NORTH, FLOOR}),
        live={
            100: LiveSeat(100, "SOLD", 9, 1),
            101: LiveSeat(101, "SOLD", 9, 1),
            102: LiveSeat(102, "RESERVED", 8, 1),
            124: LiveSeat(124, "SOLD", 7, 2),
        },
        standing_taken={FLOOR: 3},
    )

    codes = state_codes(hall, states)
    svg = render_svg(hall, layout(hall), codes, "Hall", standalone=True)

    assert codes[:4] == "sshf" and set(codes[24:]) == {"o"}  # seat 124 is in South: outside
    assert counts(codes) == {"free": 21, "held": 1, "sold": 2, "outside your contingent": 12}
    assert (
        len(squares(svg, "s")),
        len(squares(svg, "h")),
        len(squares(svg, "f")),
        len(squares(svg, "o")),
    ) == (2, 1, 21, 12)
    assert "sold: 2" in svg and "outside your contingent: 12" in svg  # the legend
    assert "North &lt;stand&gt;" in svg and "Left &amp; co" in svg and "<stand>" not in svg
    assert "Floor" in svg and "capacity 500" in svg


def test_blocks_sit_side_by_side_rows_are_lines_and_every_seat_has_its_own_cell() -> None:
    hall = venue()
    geometry = layout(hall)
    xy = geometry.seat_xy

    left, right = xy[0:12], xy[12:24]
    assert max(x for x, _ in left) < min(x for x, _ in right)  # side by side
    assert {y for _, y in left} == {y for _, y in right}  # same rows, same lines
    for row in range(3):
        line = xy[row * 4 : (row + 1) * 4]
        assert len({y for _, y in line}) == 1 and [x for x, _ in line] == sorted(x for x, _ in line)
    south = xy[24:]
    assert min(y for _, y in south) > max(y for _, y in left)  # the next area is below
    assert len(set(xy)) == len(xy)
    assert all(x % PITCH == 0 and y % PITCH == 0 for x, y in xy)  # on the grid
    assert layout(hall) == geometry  # the same venue is drawn the same way every time


def test_an_administrator_sees_no_seat_outside_a_contingent() -> None:
    hall = venue()
    codes = state_codes(hall, SeatStates(None, {124: LiveSeat(124, "SOLD", 7, 2)}, {}))

    assert "o" not in codes and codes[24] == "s"
