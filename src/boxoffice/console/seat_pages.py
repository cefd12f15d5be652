"""The seat-map pages: the performances a channel sells, and one performance's map."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from html import escape
from typing import Any

from boxoffice.console.html import column, link, table, text
from boxoffice.console.ports import SeatStates, VenueLayout
from boxoffice.console.seatmap import FREE, HELD, OUTSIDE, SOLD, STATE_NAMES, counts

# Your own occupied seats listed under the map (keyboard-reachable); a full stadium is cut here.
MAX_LISTED_SEATS = 500


def performances_page(rows: Sequence[dict[str, Any]]) -> str:
    return table(
        "Performances you sell",
        ["Performance", "Product", "Venue", "Start"],
        rows,
        [
            lambda p: link(f"/console/seats/{p['performance_id']}", text(p["performance_id"])),
            column("product"),
            column("venue"),
            column("start"),
        ],
        empty="Your channel sells no performance.",
    )


def seat_map_page(
    performance: dict[str, Any],
    venue: VenueLayout,
    svg: str,
    codes: str,
    states: SeatStates,
    channel_id: int | None,
    version: int,
) -> str:
    performance_id = performance["performance_id"]
    number = counts(codes)
    legend = "".join(
        f'<li><span class="swatch {code}" aria-hidden="true"></span>{escape(STATE_NAMES[code])}: '
        f'<strong data-count="{code}">{number[STATE_NAMES[code]]:,}</strong></li>'
        for code in (FREE, HELD, SOLD, OUTSIDE)
    )
    intro = (
        f'<p class="subtitle">{text(performance["product"])} · {text(performance["venue"])}'
        f" · {text(performance['start'])} · performance {text(performance_id)}</p>"
    )
    controls = (
        '<div class="map-controls"><ul class="legend" aria-label="Legend and counts">'
        f'{legend}</ul><button type="button" id="zoom" aria-pressed="false">Actual size'
        '</button><span id="live" class="live-status" aria-live="polite">Live</span></div>'
    )
    root = (
        f'<div id="seatmap-root" class="map-frame" tabindex="0" '
        'aria-label="Seat map: arrow keys move from seat to seat, the panel shows the seat" '
        f'data-states-url="/console/api/seats/{performance_id}" '
        f'data-seat-url="/console/api/seats/{performance_id}/seat" '
        f'data-layout-url="/console/api/seats/{performance_id}/layout" '
        f'data-version="{version}" data-codes="{codes}">{svg}</div>'
    )
    panel = (
        '<aside id="seat-detail" class="seat-detail" aria-live="polite">'
        "<h2>Seat</h2><p>Point at a seat, or click it, to see its order.</p></aside>"
    )
    return (
        intro
        + controls
        + '<div class="map-layout">'
        + root
        + panel
        + "</div>"
        + _area_counts(venue, codes, states)
        + _own_seats(venue, states, channel_id)
    )


def _area_counts(venue: VenueLayout, codes: str, states: SeatStates) -> str:
    per_area: dict[int, Counter[str]] = {}
    for seat, code in zip(venue.seats, codes, strict=True):
        per_area.setdefault(seat.area_id, Counter())[code] += 1
    rows = []
    for area in venue.areas:
        if area.numbered:
            counted = per_area.get(area.area_id, Counter())
            rows.append(
                {
                    "area": area.name,
                    "kind": "seated",
                    **{STATE_NAMES[c]: counted.get(c, 0) for c in (FREE, HELD, SOLD, OUTSIDE)},
                }
            )
        else:
            outside = states.pool_area_ids is not None and area.area_id not in states.pool_area_ids
            taken = states.standing_taken.get(area.area_id, 0)
            capacity = area.capacity or 0
            rows.append(
                {
                    "area": area.name,
                    "kind": "standing",
                    "free": "" if outside else capacity - taken,
                    "held": "",
                    "sold": "" if outside else f"{taken} taken",
                    "outside your contingent": capacity if outside else 0,
                }
            )
    names = [STATE_NAMES[c] for c in (FREE, HELD, SOLD, OUTSIDE)]
    return table(
        "Counts by area",
        ["Area", "Kind", "Free", "Held", "Sold", "Outside"],
        rows,
        [column("area"), column("kind")] + [column(name) for name in names],
    )


def _own_seats(venue: VenueLayout, states: SeatStates, channel_id: int | None) -> str:
    blocks = {block_id: name for area in venue.areas for block_id, name in area.blocks}
    area_names = {area.area_id: area.name for area in venue.areas}
    rows = []
    for seat in venue.seats:
        live = states.live.get(seat.seat_id)
        if live is None or (channel_id is not None and live.channel_id != channel_id):
            continue
        rows.append(
            {
                "area": area_names.get(seat.area_id, ""),
                "block": blocks.get(seat.block_id, ""),
                "row": seat.row_number,
                "seat": seat.seat_number,
                "state": "sold" if live.state == "SOLD" else "held",
                "order_id": live.order_id,
            }
        )
    shown = rows[:MAX_LISTED_SEATS]
    caption = "Held and sold seats" if channel_id is None else "Seats your orders hold"
    listing = table(
        caption,
        ["Area", "Block", "Row", "Seat", "State", "Order"],
        shown,
        [
            column("area"),
            column("block"),
            column("row"),
            column("seat"),
            column("state"),
            lambda r: link(f"/console/orders/{r['order_id']}", text(r["order_id"])),
        ],
        empty="No seat of this performance is held or sold by your orders.",
    )
    if len(rows) > len(shown):
        listing += (
            f'<p class="hint">{len(shown)} of {len(rows):,} seats listed; '
            "search an order for the rest.</p>"
        )
    return listing
