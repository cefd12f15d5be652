"""Draws a performance's seats as SVG from the venue layout, coloured by state.

The catalog has no seat coordinates, so the picture is laid out from its structure, the same
way every time: areas stacked top to bottom in venue order, an area's blocks side by side
(best first), a block's rows as lines (best row nearest the stage), seats along their row by
their position. Everything sits on a grid of PITCH units, so a point maps back to its seat.

Seats of one state are drawn as one `<path>` (four elements for any venue): a 60,000-seat
stadium is then a few megabytes of path data, not 60,000 elements for the browser to build. The
page recolours a seat whose state changed by laying a small square over it (`<g id="changes">`),
by its index in venue quality order, which is also the order of the state string it polls.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from html import escape

from boxoffice.console.ports import ConsoleReads, SeatStates, VenueLayout

PITCH = 10  # distance between seat centres
SEAT = 8  # seat square side
# Every offset is a multiple of PITCH, so seats sit on the grid (the page finds them by point).
MARGIN = 20
ROW_LABEL = 30  # room left of a block's rows for the row numbers
BLOCK_GAP = 30
AREA_TITLE = 30
BLOCK_TITLE = 20
STANDING_HEIGHT = 60
STAGE = 40

FREE, HELD, SOLD, OUTSIDE = "f", "h", "s", "o"
STATE_NAMES = {FREE: "free", HELD: "held", SOLD: "sold", OUTSIDE: "outside your contingent"}
COLOURS = {FREE: "#2f9e5b", HELD: "#e8a317", SOLD: "#c0392b", OUTSIDE: "#d5d8dc"}
STYLE = (
    "text{font-family:system-ui,sans-serif;fill:#1f2933}"
    ".area-title{font-size:16px;font-weight:600}.block-title{font-size:11px;font-weight:600}"
    ".row-label{font-size:8px;fill:#52606d}.stage{fill:#52606d}.stage-label{fill:#fff;"
    "font-size:12px}.standing{fill:#eef2f7;stroke:#9aa5b1}.standing-label{font-size:13px}"
    + "".join(f".{code}{{fill:{colour}}}" for code, colour in COLOURS.items())
)


@dataclass(frozen=True)
class Geometry:
    """Where everything of one venue goes; computed once per venue and catalog version."""

    width: int
    height: int
    seat_xy: list[tuple[int, int]]
    labels_svg: str  # area and block titles, row numbers, standing areas, stage


def layout(venue: VenueLayout) -> Geometry:
    by_block: dict[int, list[int]] = {}
    for index, seat in enumerate(venue.seats):
        by_block.setdefault(seat.block_id, []).append(index)
    seat_xy: list[tuple[int, int]] = [(0, 0)] * len(venue.seats)
    parts: list[str] = []
    y, width = MARGIN, 2 * MARGIN + 200
    stage_y = y
    y += STAGE
    for area in venue.areas:
        parts.append(
            f'<text class="area-title" x="{MARGIN}" y="{y + 18}">{escape(area.name)}</text>'
        )
        y += AREA_TITLE
        if not area.numbered:
            parts.append(
                f'<rect class="standing" x="{MARGIN}" y="{y}" width="320" '
                f'height="{STANDING_HEIGHT - 12}" rx="6"/>'
                f'<text class="standing-label" data-area="{area.area_id}" '
                f'x="{MARGIN + 12}" y="{y + 27}">Standing, capacity '
                f"{area.capacity or 0}</text>"
            )
            y += STANDING_HEIGHT
            width = max(width, MARGIN + 340)
            continue
        x, tallest = MARGIN, 0
        for block_id, block_name in area.blocks:
            indexes = by_block.get(block_id, [])
            if not indexes:
                continue
            ranks = sorted({venue.seats[i].row_rank for i in indexes})
            row_of = {rank: line for line, rank in enumerate(ranks)}
            first = min(venue.seats[i].position_in_row for i in indexes)
            columns = max(venue.seats[i].position_in_row for i in indexes) - first + 1
            top = y + BLOCK_TITLE
            parts.append(
                f'<text class="block-title" x="{x + ROW_LABEL}" y="{y + 12}">'
                f"{escape(block_name)}</text>"
            )
            labelled: set[int] = set()
            for i in indexes:
                seat = venue.seats[i]
                line = row_of[seat.row_rank]
                seat_xy[i] = (
                    x + ROW_LABEL + (seat.position_in_row - first) * PITCH,
                    top + line * PITCH,
                )
                if line not in labelled:
                    labelled.add(line)
                    parts.append(
                        f'<text class="row-label" x="{x + 2}" '
                        f'y="{top + line * PITCH + SEAT - 1}">'
                        f"{escape(seat.row_number)}</text>"
                    )
            x += ROW_LABEL + columns * PITCH + BLOCK_GAP
            tallest = max(tallest, BLOCK_TITLE + len(ranks) * PITCH)
        width = max(width, x - BLOCK_GAP + MARGIN)
        y += tallest + 20
    stage_width = width - 2 * MARGIN
    parts.insert(
        0,
        f'<rect class="stage" x="{MARGIN}" y="{stage_y}" width="{stage_width}" '
        f'height="22" rx="4"/><text class="stage-label" '
        f'x="{MARGIN + stage_width // 2 - 18}" y="{stage_y + 15}">Stage</text>',
    )
    return Geometry(width, y + MARGIN, seat_xy, "".join(parts))


def state_codes(venue: VenueLayout, states: SeatStates) -> str:
    """One letter per seat, in layout order: f free, h held, s sold, o outside the contingent."""
    pool, live = states.pool_area_ids, states.live
    codes = []
    for seat in venue.seats:
        if pool is not None and seat.area_id not in pool:
            codes.append(OUTSIDE)
            continue
        taken = live.get(seat.seat_id)
        codes.append(FREE if taken is None else SOLD if taken.state == "SOLD" else HELD)
    return "".join(codes)


def counts(codes: str) -> dict[str, int]:
    counted = Counter(codes)
    return {STATE_NAMES[code]: counted.get(code, 0) for code in (FREE, HELD, SOLD, OUTSIDE)}


def seat_paths(geometry: Geometry, codes: str) -> dict[str, str]:
    """Path data per state code: one small square per seat."""
    parts: dict[str, list[str]] = {FREE: [], HELD: [], SOLD: [], OUTSIDE: []}
    for (x, y), code in zip(geometry.seat_xy, codes, strict=True):
        parts[code].append(f"M{x} {y}h{SEAT}v{SEAT}h-{SEAT}z")
    return {code: "".join(squares) for code, squares in parts.items()}


def render_svg(
    venue: VenueLayout, geometry: Geometry, codes: str, title: str, *, standalone: bool
) -> str:
    """The picture. `standalone` adds the colours and a legend with counts (for a file)."""
    height = geometry.height + (40 if standalone else 0)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="seatmap" role="img" '
        f'aria-labelledby="seatmap-title" viewBox="0 0 {geometry.width} {height}" '
        f'width="{geometry.width}" height="{height}">'
        f'<title id="seatmap-title">{escape(title)}</title>'
    )
    # A file gets its own white page; on the console the frame around it gives one.
    style = (
        f'<style>{STYLE}</style><rect width="100%" height="100%" fill="#fff"/>'
        if standalone
        else ""
    )
    seats = "".join(
        f'<path class="{code}" data-state="{code}" d="{data}"/>'
        for code, data in seat_paths(geometry, codes).items()
        if data
    )
    legend = _legend(codes, geometry) if standalone else ""
    return (
        f'{head}{style}<g class="labels">{geometry.labels_svg}</g>'
        f'<g id="seats">{seats}</g><g id="changes"></g>{legend}</svg>'
    )


def _legend(codes: str, geometry: Geometry) -> str:
    parts, x, y = ['<g class="legend">'], MARGIN, geometry.height
    for code, (name, number) in zip(
        (FREE, HELD, SOLD, OUTSIDE), counts(codes).items(), strict=True
    ):
        label = f"{name}: {number:,}"
        parts.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" class="{code}"/>'
            f'<text x="{x + 18}" y="{y + 11}" font-size="13">{escape(label)}</text>'
        )
        x += 30 + 8 * len(label)
    parts.append("</g>")
    return "".join(parts)


def draw_performance(
    reads: ConsoleReads, performance_id: int, channel_id: int | None
) -> tuple[str, dict[str, int]] | None:
    """A standalone SVG of the performance as `channel_id` sees it (None: every channel)."""
    performance = reads.performance(performance_id, channel_id)
    if performance is None:
        return None
    venue = reads.venue_layout(performance["venue_id"])
    codes = state_codes(venue, reads.seat_states(performance_id, channel_id))
    title = (
        f"{performance['product']}, {venue.name}, {performance['start']:%Y-%m-%d %H:%M} "
        f"UTC (performance {performance_id})"
    )
    return render_svg(venue, layout(venue), codes, title, standalone=True), counts(codes)
