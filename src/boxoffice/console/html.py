"""Small HTML building blocks for the console's pages; every value is escaped here."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from html import escape
from typing import Any
from urllib.parse import urlencode

from boxoffice.console.ports import ConsoleSession

Cell = Callable[[dict[str, Any]], str]


def text(value: Any) -> str:
    """A value as escaped text: times in UTC, None as an empty cell."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return escape(value.strftime("%Y-%m-%d %H:%M:%S UTC"))
    return escape(str(getattr(value, "value", value)))


def amount(value: Any) -> str:
    """Thousandths of the currency unit as units with two decimals."""
    return "" if value is None else f"{int(value) / 1000:,.2f}"


def link(href: str, label: str) -> str:
    return f'<a href="{escape(href)}">{label}</a>'


def query(path: str, **parameters: Any) -> str:
    kept = {key: value for key, value in parameters.items() if value not in (None, "")}
    return f"{path}?{urlencode(kept)}" if kept else path


def outcome_badge(outcome: str) -> str:
    kind = "ok" if outcome == "success" else "warn" if outcome.startswith("error.") else "bad"
    return f'<span class="badge {kind}">{escape(outcome)}</span>'


def table(
    caption: str,
    headers: Sequence[str],
    rows: Iterable[dict[str, Any]],
    cells: Sequence[Cell],
    empty: str = "None.",
) -> str:
    body = "".join(
        "<tr>" + "".join(f"<td>{cell(row)}</td>" for cell in cells) + "</tr>" for row in rows
    )
    if not body:
        return f'<h2>{escape(caption)}</h2><p class="empty">{escape(empty)}</p>'
    head = "".join(f'<th scope="col">{escape(header)}</th>' for header in headers)
    return (
        f'<h2>{escape(caption)}</h2><div class="table-wrap"><table>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def column(name: str) -> Cell:
    return lambda row: text(row.get(name))


def details(pairs: Sequence[tuple[str, str]]) -> str:
    """A definition list; values are already HTML."""
    items = "".join(
        f"<div><dt>{escape(label)}</dt><dd>{value}</dd></div>" for label, value in pairs
    )
    return f'<dl class="details">{items}</dl>'


NAVIGATION = (
    ("calls", "/console/calls", "Calls"),
    ("orders", "/console/orders", "Orders"),
    ("seats", "/console/seats", "Seat maps"),
)


def page(
    title: str,
    body: str,
    session: ConsoleSession | None,
    *,
    section: str = "",
    channel_name: str = "",
    scripts: Sequence[str] = (),
) -> bytes:
    """A whole page: header with navigation and logout, then the body."""
    header = ""
    if session is not None:
        current = ' aria-current="page"'
        entries = "".join(
            f'<li><a href="{href}"{current if key == section else ""}>{label}</a></li>'
            for key, href, label in NAVIGATION
        )
        who = (
            "administrator: every channel"
            if session.administrator
            else f"channel {escape(channel_name or str(session.channel_id))}"
        )
        header = (
            '<header class="top"><a class="brand" href="/console/">boxoffice console</a>'
            f'<nav aria-label="Sections"><ul>{entries}</ul></nav>'
            f'<div class="who"><span>{escape(session.login)} · {who}</span>'
            '<form method="post" action="/console/logout">'
            f'<input type="hidden" name="csrf" value="{escape(session.csrf_token)}">'
            '<button type="submit" class="secondary">Log out</button></form></div></header>'
        )
    script_tags = "".join(
        f'<script src="/console/static/{escape(name)}" defer></script>' for name in scripts
    )
    document = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · boxoffice console</title>"
        '<link rel="stylesheet" href="/console/static/console.css">'
        f"{script_tags}</head><body>"
        '<a class="skip" href="#main">Skip to content</a>'
        f'{header}<main id="main" tabindex="-1"><h1>{escape(title)}</h1>{body}</main>'
        "</body></html>"
    )
    return document.encode("utf-8")
