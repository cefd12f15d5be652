"""The console's pages as HTML bodies: calls, one call, orders, one order, seat maps."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from boxoffice.console.html import (
    amount,
    column,
    details,
    link,
    outcome_badge,
    query,
    table,
    text,
)
from boxoffice.console.indenting import indented
from boxoffice.console.ports import CallFilter, OrderPage, StoredCall


def login_form(message: str = "", login: str = "") -> str:
    alert = f'<p class="alert" role="alert">{escape(message)}</p>' if message else ""
    return (
        f'{alert}<form method="post" action="/console/login" class="login">'
        '<label for="login">Login</label>'
        f'<input id="login" name="login" autocomplete="username" required value="{escape(login)}"'
        " autofocus>"
        '<label for="password">Password</label>'
        '<input id="password" name="password" type="password" autocomplete="current-password"'
        " required>"
        '<button type="submit">Log in</button></form>'
        '<p class="hint">Use an operator login of your sales channel.</p>'
    )


def calls_page(
    calls: Sequence[StoredCall], wanted: CallFilter, operations: Sequence[str], show_channel: bool
) -> str:
    options = "".join(
        f'<option value="{escape(name)}"{" selected" if name == wanted.operation else ""}>'
        f"{escape(name)}</option>"
        for name in operations
    )
    order = "" if wanted.order_id is None else str(wanted.order_id)
    form = (
        '<form method="get" action="/console/calls" class="filters" role="search">'
        '<div><label for="operation">Operation</label><select id="operation" name="operation">'
        f'<option value="">any</option>{options}</select></div>'
        '<div><label for="outcome">Outcome starts with</label><input id="outcome" name="outcome" '
        f'placeholder="success, error., Client…" value="{escape(wanted.outcome)}">'
        '</div><div><label for="order">Order id</label><input id="order" name="order" '
        f'inputmode="numeric" value="{escape(order)}"></div>'
        '<div class="actions"><button type="submit">Filter</button>'
        '<a href="/console/calls">Clear</a></div></form>'
    )
    headers = ["Time", "Operation", "Outcome", "Duration", "Order", "Login", "Protocol"]
    cells: list[Any] = [
        lambda c: link(f"/console/calls/{c['call_id']}", text(c["started_at"])),
        lambda c: f"{text(c['operation'] or '(none)')} <small>{text(c['service'])}</small>",
        lambda c: outcome_badge(c["outcome"]),
        lambda c: f'<span class="num">{c["duration_seconds"] * 1000:.1f} ms</span>',
        lambda c: (
            link(f"/console/orders/{c['order_id']}", text(c["order_id"])) if c["order_id"] else ""
        ),
        column("login"),
        lambda c: text(c["protocol"]).upper(),
    ]
    if show_channel:
        headers.append("Channel")
        cells.append(column("channel_id"))
    rows = [call.__dict__ for call in calls]
    listing = table(
        "Recent calls, newest first",
        headers,
        rows,
        cells,
        empty="No call matches (calls are kept for a limited time).",
    )
    more = ""
    if len(calls) == wanted.limit and calls[-1].call_id is not None:
        more = (
            "<p>"
            + link(
                query(
                    "/console/calls",
                    operation=wanted.operation,
                    outcome=wanted.outcome,
                    order=order,
                    before=calls[-1].call_id,
                ),
                "Older calls →",
            )
            + "</p>"
        )
    return form + listing + more


def call_page(call: StoredCall) -> str:
    summary = details(
        [
            ("Operation", f"{text(call.operation or '(none)')} ({text(call.service)})"),
            ("Outcome", outcome_badge(call.outcome)),
            ("HTTP status", text(call.http_status)),
            ("Started", text(call.started_at)),
            ("Duration", f"{call.duration_seconds * 1000:.1f} ms"),
            ("Protocol", text(call.protocol).upper()),
            ("Login", text(call.login or "(not authenticated)")),
            (
                "Order",
                link(f"/console/orders/{call.order_id}", text(call.order_id))
                if call.order_id
                else "none",
            ),
        ]
    )
    return (
        f'{summary}<p class="hint">Passwords, nonces and tokens are replaced by *** '
        "before a call is stored.</p>"
        f'<section class="bodies"><div><h2 id="request-heading">Request</h2>'
        f'<pre class="body" aria-labelledby="request-heading" tabindex="0">'
        f"{escape(indented(call.request_body))}</pre></div>"
        f'<div><h2 id="response-heading">Response</h2>'
        f'<pre class="body" aria-labelledby="response-heading" tabindex="0">'
        f"{escape(indented(call.response_body))}</pre></div></section>"
    )


SEARCH_KINDS = (("order", "Order id"), ("file", "File id"), ("reference", "External reference"))


def orders_page(found: Sequence[dict[str, Any]], by: str, value: str, searched: bool) -> str:
    options = "".join(
        f'<option value="{key}"{" selected" if key == by else ""}>{label}</option>'
        for key, label in SEARCH_KINDS
    )
    form = (
        '<form method="get" action="/console/orders" class="filters" role="search">'
        f'<div><label for="by">Search by</label><select id="by" name="by">{options}</select></div>'
        f'<div><label for="q">Value</label><input id="q" name="q" value="{escape(value)}"></div>'
        '<div class="actions"><button type="submit">Search</button></div></form>'
    )
    caption = "Matching orders" if searched else "Latest orders"
    return form + table(
        caption,
        ["Order", "File", "State", "Type", "Created", "Updated", "External reference"],
        found,
        [
            lambda o: link(f"/console/orders/{o['order_id']}", text(o["order_id"])),
            column("file_id"),
            lambda o: f'<span class="state">{text(o["state"])}</span>',
            column("order_type"),
            column("created_at"),
            column("updated_at"),
            column("external_reference"),
        ],
        empty="No order found.",
    )


def order_page(page: OrderPage, channel_name: str) -> str:
    order = page.order
    summary = details(
        [
            ("State", f'<span class="state">{text(order["state"])}</span>'),
            ("File", text(order["file_id"])),
            ("Sales channel", text(channel_name)),
            ("Point of sales", text(order["point_of_sales_id"])),
            ("Type", text(order["order_type"])),
            ("Created", text(order["created_at"])),
            ("Last change", text(order["updated_at"])),
            ("Closed", text(order["closed_at"])),
            # A deadline only matters while the order is live.
            (
                "Expires",
                text(order["expires_at"])
                if order["state"] in ("RUNNING", "VALIDATED")
                else "no longer",
            ),
            ("Payment", f"{text(order['payment_state'])}, paid {amount(order['paid_amount'])}"),
            ("Contact reference", text(order["contact_reference"])),
            ("Calls", link(f"/console/calls?order={order['order_id']}", "calls naming this order")),
        ]
    )
    tickets = [m for m in page.movements if m.get("barcode")]
    operation_cells = [
        column("operation_id"),
        column("kind"),
        column("state"),
        lambda op: _named(op, "product_name", "performance_id"),
        lambda op: _named(op, "category_name", "seat_category_id"),
        lambda op: _named(op, "audience_name", "audience_sub_category_id"),
        column("quantity"),
        lambda op: amount(op["unit_price"]),
    ]
    parts = [
        summary,
        table(
            "State history",
            ["State", "Since"],
            page.history,
            [column("state"), column("changed_at")],
            empty="No state recorded (orders from before the console kept no history).",
        ),
        table(
            "Lines",
            [
                "Operation",
                "Kind",
                "State",
                "Product / performance",
                "Seat category",
                "Tariff",
                "Quantity",
                "Unit price",
            ],
            page.lines,
            operation_cells,
        ),
        table(
            "Movements",
            ["Movement", "Operation", "Kind", "Performance", "Place", "Price", "State"],
            page.movements,
            [
                column("movement_id"),
                column("operation_id"),
                column("kind"),
                column("performance_id"),
                lambda m: escape(place(m)),
                lambda m: amount(m["price"]),
                column("state"),
            ],
        ),
        table(
            "Charges",
            ["Operation", "Charge", "Name", "For line", "Quantity", "Unit price", "State"],
            page.charges,
            [
                column("operation_id"),
                column("charge_id"),
                column("product_code"),
                column("linked_operation_id"),
                column("quantity"),
                lambda op: amount(op["unit_price"]),
                column("state"),
            ],
        ),
        table(
            "Payments",
            ["Payment", "Method", "Amount"],
            page.payments,
            [column("payment_id"), column("payment_method_id"), lambda p: amount(p["amount"])],
        ),
        table(
            "Tickets",
            ["Movement", "Place", "Barcode"],
            tickets,
            [
                column("movement_id"),
                lambda m: escape(place(m)),
                lambda m: f"<code>{text(m['barcode'])}</code>",
            ],
            empty="No ticket yet (tickets are issued when the order is closed).",
        ),
        _external_references(order, page.external_references),
    ]
    return "".join(parts)


def _named(row: dict[str, Any], name: str, identifier: str) -> str:
    """A catalog name with its id in small print, or the bare id when the name is unknown."""
    if row.get(identifier) is None:
        return ""
    if not row.get(name):
        return text(row[identifier])
    return f"{text(row[name])} <small>{text(row[identifier])}</small>"


def place(movement: dict[str, Any]) -> str:
    """Where a movement is: area, block, row and seat, a standing area, or an item."""
    m = movement
    return ", ".join(
        part
        for part in (
            m.get("area_name") or (f"area {m['area_id']}" if m.get("area_id") else ""),
            (f"block {m.get('block_name') or m['block_id']}") if m.get("block_id") else "",
            f"row {m['row_number']}" if m.get("row_number") else "",
            f"seat {m['seat_number']}" if m.get("seat_number") else "",
            f"item {m['item_id']}" if m.get("item_id") else "",
        )
        if part
    )


def _external_references(order: dict[str, Any], rows: list[dict[str, Any]] | None) -> str:
    given = text(order.get("external_reference")) or "none"
    head = (
        f"<h2>External references</h2><p>Order external reference "
        f"(createOrUpdateOrder): <strong>{given}</strong></p>"
    )
    if rows is None:
        return head + (
            '<p class="placeholder" data-placeholder="external-references">'
            "Key/value references set with updateExternalReferences appear here "
            "once this server stores them.</p>"
        )
    if not rows:
        return head + '<p class="empty">No key/value reference.</p>'
    names = list(rows[0])
    return head + table("Key/value references", names, rows, [column(name) for name in names])
