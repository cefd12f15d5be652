"""The console's pages and JSON endpoints for one logged-in operator, scoped to its channel.

Every read passes `scope`: the operator's channel id, or None for an administrator. Another
channel's call, order or seat is answered exactly like one that does not exist.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from boxoffice.console import pages, seat_pages
from boxoffice.console.html import page
from boxoffice.console.ports import CallFilter, CallLog, ConsoleReads, ConsoleSession, VenueLayout
from boxoffice.console.responses import Response, json_response, redirect
from boxoffice.console.seatmap import (
    PITCH,
    SEAT,
    Geometry,
    counts,
    layout,
    render_svg,
    state_codes,
)

MAX_ID = 2**63 - 1


def _id(value: str | None) -> int | None:
    if value is None or not value.strip().isdigit() or len(value.strip()) > 19:
        return None
    number = int(value.strip())
    return number if 0 < number <= MAX_ID else None


class GeometryCache:
    """Each venue's layout and drawing, per catalog version (a catalog load may change it)."""

    def __init__(self, reads: ConsoleReads, size: int = 4) -> None:
        self._reads = reads
        self._size = size
        self._cached: dict[tuple[int, int], tuple[VenueLayout, Geometry]] = {}
        self._lock = threading.Lock()

    def get(self, venue_id: int) -> tuple[VenueLayout, Geometry, int]:
        version = self._reads.catalog_version()
        key = (venue_id, version)
        with self._lock:
            cached = self._cached.get(key)
        if cached is None:
            venue = self._reads.venue_layout(venue_id)
            cached = (venue, layout(venue))
            with self._lock:
                if len(self._cached) >= self._size:
                    self._cached.clear()
                self._cached[key] = cached
        return cached[0], cached[1], version


class Views:
    def __init__(
        self,
        reads: ConsoleReads,
        call_log: CallLog,
        geometries: GeometryCache,
        session: ConsoleSession,
    ) -> None:
        self.reads = reads
        self.call_log = call_log
        self.geometries = geometries
        self.session = session
        self.scope = None if session.administrator else session.channel_id

    def dispatch(self, parts: list[str], parameters: dict[str, str]) -> Response:
        routes: dict[tuple[str, int], Callable[..., Response]] = {
            ("calls", 1): self.calls,
            ("calls", 2): self.call,
            ("orders", 1): self.orders,
            ("orders", 2): self.order,
            ("seats", 1): self.performances,
            ("seats", 2): self.seat_map,
        }
        if not parts:
            return redirect("/console/calls")
        if parts[0] == "api" and len(parts) in (3, 4) and parts[1] == "seats":
            if len(parts) == 3:
                return self.seat_states(parts[2])
            if parts[3] == "seat":
                return self.seat(parts[2], parameters)
            if parts[3] == "layout":
                return self.seat_layout(parts[2])
            return json_response({"error": "not found"}, "404 Not Found")
        handler = routes.get((parts[0], len(parts)))
        if handler is None:
            return self.not_found()
        return handler(*parts[1:], parameters)

    def html(
        self,
        title: str,
        body: str,
        section: str,
        scripts: tuple[str, ...] = (),
        status: str = "200 OK",
    ) -> Response:
        channel = self.reads.channel_names().get(self.session.channel_id, "")
        return Response(
            status,
            page(title, body, self.session, section=section, channel_name=channel, scripts=scripts),
        )

    def not_found(self, what: str = "page") -> Response:
        return self.html(
            "Not found", f"<p>No such {what} for your login.</p>", "", status="404 Not Found"
        )

    # -- calls -------------------------------------------------------------------------

    def calls(self, parameters: dict[str, str]) -> Response:
        wanted = CallFilter(
            operation=parameters.get("operation", "")[:100],
            outcome=parameters.get("outcome", "").strip()[:100],
            order_id=_id(parameters.get("order")),
            before_call_id=_id(parameters.get("before")),
        )
        found = self.call_log.recent(self.scope, wanted)
        body = pages.calls_page(
            found, wanted, self.call_log.operations(self.scope), show_channel=self.scope is None
        )
        return self.html("Calls", body, "calls")

    def call(self, call_id: str, parameters: dict[str, str]) -> Response:
        number = _id(call_id)
        found = self.call_log.call(number, self.scope) if number else None
        if found is None:
            return self.not_found("call")
        return self.html(
            f"Call {number}: {found.operation or 'unnamed'}", pages.call_page(found), "calls"
        )

    # -- orders ------------------------------------------------------------------------

    def orders(self, parameters: dict[str, str]) -> Response:
        by = parameters.get("by", "order")
        by = by if by in ("order", "file", "reference") else "order"
        value = parameters.get("q", "")[:128]
        found = self.reads.find_orders(self.scope, by, value, limit=50)
        if value.strip() and by == "order" and len(found) == 1:
            return redirect(f"/console/orders/{found[0]['order_id']}")
        return self.html(
            "Orders", pages.orders_page(found, by, value, bool(value.strip())), "orders"
        )

    def order(self, order_id: str, parameters: dict[str, str]) -> Response:
        number = _id(order_id)
        found = self.reads.order_page(number, self.scope) if number else None
        if found is None:
            return self.not_found("order")
        channel = self.reads.channel_names().get(found.order["channel_id"], "")
        return self.html(f"Order {number}", pages.order_page(found, channel), "orders")

    # -- seats -------------------------------------------------------------------------

    def performances(self, parameters: dict[str, str]) -> Response:
        return self.html(
            "Seat maps", seat_pages.performances_page(self.reads.performances(self.scope)), "seats"
        )

    def _performance(self, performance_id: str) -> dict[str, Any] | None:
        number = _id(performance_id)
        return self.reads.performance(number, self.scope) if number else None

    def seat_map(self, performance_id: str, parameters: dict[str, str]) -> Response:
        performance = self._performance(performance_id)
        if performance is None:
            return self.not_found("performance")
        venue, geometry, version = self.geometries.get(performance["venue_id"])
        states = self.reads.seat_states(performance["performance_id"], self.scope)
        codes = state_codes(venue, states)
        title = f"Seat map of {venue.name}, performance {performance['performance_id']}"
        svg = render_svg(venue, geometry, codes, title, standalone=False)
        body = seat_pages.seat_map_page(performance, venue, svg, codes, states, self.scope, version)
        return self.html(
            f"{performance['product']}: seat map", body, "seats", scripts=("seatmap.js",)
        )

    def seat_states(self, performance_id: str) -> Response:
        performance = self._performance(performance_id)
        if performance is None:
            return json_response({"error": "no such performance"}, "404 Not Found")
        venue, _, version = self.geometries.get(performance["venue_id"])
        states = self.reads.seat_states(performance["performance_id"], self.scope)
        codes = state_codes(venue, states)
        return json_response(
            {
                "version": version,
                "states": codes,
                "counts": counts(codes),
                "standing": {
                    str(k): v
                    for k, v in states.standing_taken.items()
                    if states.pool_area_ids is None or k in states.pool_area_ids
                },
            }
        )

    def seat_layout(self, performance_id: str) -> Response:
        """Each seat's grid cell, in the order of the state string (for the page's overlay)."""
        performance = self._performance(performance_id)
        if performance is None:
            return json_response({"error": "no such performance"}, "404 Not Found")
        _, geometry, version = self.geometries.get(performance["venue_id"])
        return json_response(
            {
                "version": version,
                "pitch": PITCH,
                "seat": SEAT,
                "x": [x // PITCH for x, _ in geometry.seat_xy],
                "y": [y // PITCH for _, y in geometry.seat_xy],
            }
        )

    def seat(self, performance_id: str, parameters: dict[str, str]) -> Response:
        performance = self._performance(performance_id)
        index = parameters.get("index", "")
        if performance is None or not index.isdigit():
            return json_response({"error": "no such seat"}, "404 Not Found")
        venue, _, _ = self.geometries.get(performance["venue_id"])
        if int(index) >= len(venue.seats):
            return json_response({"error": "no such seat"}, "404 Not Found")
        seat = venue.seats[int(index)]
        states = self.reads.seat_states(performance["performance_id"], self.scope)
        code = state_codes(_one_seat(venue, seat), states)
        live = states.live.get(seat.seat_id)
        mine = live is not None and (self.scope is None or live.channel_id == self.scope)
        area = next(a for a in venue.areas if a.area_id == seat.area_id)
        return json_response(
            {
                "area": area.name,
                "block": dict(area.blocks).get(seat.block_id, ""),
                "row": seat.row_number,
                "seat": seat.seat_number,
                "seatId": seat.seat_id,
                "state": counts_name(code),
                "orderId": live.order_id if mine and live else None,
            }
        )


def _one_seat(venue: VenueLayout, seat: Any) -> VenueLayout:
    return VenueLayout(venue.venue_id, venue.name, venue.areas, [seat])


def counts_name(code: str) -> str:
    return next(name for name, number in counts(code).items() if number)
