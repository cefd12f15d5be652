"""What an operator sees: its calls (redacted), its orders with their history, its seats;
never another channel's. An administrator sees every channel."""

from __future__ import annotations

import re

from sqlalchemy import select

from boxoffice.bootstrap import Boxoffice
from boxoffice.persistence.console_tables import call_log
from tests.console.conftest import ADMIN_LOGIN, ADMIN_PASSWORD, Browser, written
from tests.contract import catalog
from tests.contract.conftest import Reseller


def sell_two_seats(reseller: Reseller) -> int:
    order_id = reseller.new_order(externalReference="EXT-77")
    added = reseller.add_seats(order_id, 2)
    assert added.statusCode == "success", added
    assert reseller.orders.service.validateOrder(orderId=order_id).statusCode == "success"
    assert reseller.orders.service.closeOrder(orderId=order_id).statusCode == "success"
    return order_id


def logged_in(app: Boxoffice, login: str, password: str) -> Browser:
    browser = Browser(app)
    assert browser.login(login, password).status_code == 303
    return browser


def call_ids(page: str) -> list[int]:
    return [int(found) for found in re.findall(r'href="/console/calls/(\d+)"', page)]


def test_calls_are_listed_newest_first_filterable_and_stored_without_the_password(
    app: Boxoffice, reseller: Reseller
) -> None:
    order_id = sell_two_seats(reseller)
    reseller.add_seats(order_id + 1000, 1)  # error.order.notFound
    written(app)
    browser = logged_in(app, catalog.LOGIN_A, catalog.PASSWORD_A)

    listing = browser.get("/calls").text
    operations = re.findall(r"<td>(\w+) <small>", listing)
    assert operations == [
        "addOperation",
        "closeOrder",
        "validateOrder",
        "addOperation",
        "createOrder",
    ]
    refused = browser.get("/calls?outcome=error.order.notFound").text
    assert re.findall(r"<td>(\w+) <small>", refused) == ["addOperation"]
    for_order = browser.get(f"/calls?order={order_id}").text
    assert len(call_ids(for_order)) == 4  # all but the refused one naming another order
    closes = call_ids(browser.get("/calls?operation=closeOrder").text)
    assert len(closes) == 1

    call = browser.get(f"/calls/{closes[0]}").text
    assert catalog.PASSWORD_A not in call
    assert "&gt;***&lt;/wsse:Password&gt;" in call
    # Both bodies are stored as they came, on one line, and shown one element a line, each
    # level indented two spaces further: orderId in Envelope/Body/closeOrder, orderState in
    # Envelope/Body/closeOrderResponse/CloseOrderResult/orderData.
    with app.engine.connect() as connection:
        stored = connection.execute(
            select(call_log.c.request_body, call_log.c.response_body).where(
                call_log.c.call_id == closes[0]
            )
        ).one()
    assert f"<orderId>{order_id}</orderId></ns0:closeOrder>" in stored.request_body
    assert "<orderState>CLOSED</orderState><orderType>" in stored.response_body
    assert f"\n      &lt;orderId&gt;{order_id}&lt;/orderId&gt;\n    &lt;/ns0:closeOrder" in call
    assert "\n          &lt;orderState&gt;CLOSED&lt;/orderState&gt;\n" in call  # the response


def test_another_channels_calls_orders_and_seats_are_never_shown(
    app: Boxoffice, reseller: Reseller, other_reseller: Reseller
) -> None:
    order_id = sell_two_seats(reseller)
    written(app)
    own = logged_in(app, catalog.LOGIN_A, catalog.PASSWORD_A)
    other = logged_in(app, catalog.LOGIN_B, catalog.PASSWORD_B)
    call_id = call_ids(own.get("/calls").text)[0]

    assert call_ids(other.get("/calls").text) == []
    assert other.get(f"/calls/{call_id}").status_code == 404
    assert other.get(f"/orders/{order_id}").status_code == 404
    assert f'href="/console/orders/{order_id}"' not in other.get("/orders").text
    assert "No order found" in other.get("/orders?by=reference&q=EXT-77").text
    states = other.get(f"/api/seats/{catalog.PERFORMANCE}").json()["states"]
    assert set(states[:24]) == {"o"}  # North (A's contingent) is outside B's
    seat = other.get(f"/api/seats/{catalog.PERFORMANCE}/seat?index=0").json()
    assert seat["orderId"] is None

    admin = logged_in(app, ADMIN_LOGIN, ADMIN_PASSWORD)
    assert call_id in call_ids(admin.get("/calls").text)
    assert admin.get(f"/orders/{order_id}").status_code == 200
    assert admin.get(f"/api/seats/{catalog.PERFORMANCE}/seat?index=0").json()["orderId"] == order_id
    assert "administrator: every channel" in admin.get("/calls").text


def test_an_order_page_shows_history_lines_movements_charges_and_tickets(
    app: Boxoffice, reseller: Reseller
) -> None:
    order_id = sell_two_seats(reseller)
    browser = logged_in(app, catalog.LOGIN_A, catalog.PASSWORD_A)
    file_id = reseller.details(order_id).fileId

    assert browser.get(f"/orders?by=order&q={order_id}").headers["Location"] == (
        f"/console/orders/{order_id}"
    )
    assert f'href="/console/orders/{order_id}"' in browser.get(f"/orders?by=file&q={file_id}").text
    assert f'href="/console/orders/{order_id}"' in browser.get("/orders?by=reference&q=EXT-77").text

    page = browser.get(f"/orders/{order_id}").text
    history = re.search(r"State history</h2>(.*?)</table>", page, re.S)
    assert history and re.findall(r"<td>(RUNNING|VALIDATED|CLOSED)</td>", history.group(1)) == [
        "RUNNING",
        "VALIDATED",
        "CLOSED",
    ]
    assert "Booking fee" in page and "Order fee" in page  # the charges
    tickets = re.search(r"Tickets</h2>(.*?)</table>", page, re.S)
    assert tickets and len(re.findall(r"<code>\d{18}</code>", tickets.group(1))) == 2
    assert "North, block Good, row 1, seat 1" in page and "EXT-77" in page
    assert "Concert <small>" in page and "Adult <small>" in page
    assert 'data-placeholder="external-references"' in page or "Key/value" in page


def test_the_seat_map_shows_sold_seats_and_follows_a_new_sale(
    app: Boxoffice, reseller: Reseller
) -> None:
    browser = logged_in(app, catalog.LOGIN_A, catalog.PASSWORD_A)
    listing = browser.get("/seats").text
    assert f'href="/console/seats/{catalog.PERFORMANCE}"' in listing

    before = browser.get(f"/api/seats/{catalog.PERFORMANCE}").json()
    order_id = sell_two_seats(reseller)
    after = browser.get(f"/api/seats/{catalog.PERFORMANCE}").json()

    assert before["states"].count("s") == 0 and after["states"].count("s") == 2
    assert after["counts"]["sold"] == 2 and after["counts"]["outside your contingent"] == 6
    page = browser.get(f"/seats/{catalog.PERFORMANCE}").text
    assert page.count("<svg") == 1 and 'data-state="s"' in page
    assert "North" in page and "Good" in page and "Side" in page  # area and block names
    assert f'href="/console/orders/{order_id}"' in page  # the keyboard-reachable seat list
    first = after["states"].index("s")
    seat = browser.get(f"/api/seats/{catalog.PERFORMANCE}/seat?index={first}").json()
    assert seat["orderId"] == order_id and seat["state"] == "sold"
    assert browser.get("/seats/999").status_code == 404


def test_json_calls_are_logged_too_and_unauthenticated_calls_only_for_the_administrator(
    app: Boxoffice,
) -> None:
    import base64
    import json

    from tests.contract.wsgi_transport import call_wsgi

    def create(password: str) -> int:
        basic = base64.b64encode(f"{catalog.LOGIN_A}:{password}".encode()).decode()
        return call_wsgi(
            app,
            "POST",
            "http://localhost:8080/tnseb/backend-apis/externalOrderFacade/v1_33/createOrder",
            json.dumps({"pointOfSalesId": catalog.POS_A}).encode(),
            {"Content-Type": "application/json", "Authorization": f"Basic {basic}"},
        ).status_code

    assert (create(catalog.PASSWORD_A), create("wrong-password")) == (200, 401)
    written(app)
    own = logged_in(app, catalog.LOGIN_A, catalog.PASSWORD_A).get("/calls").text
    admin = logged_in(app, ADMIN_LOGIN, ADMIN_PASSWORD).get("/calls").text

    assert "<td>JSON</td>" in own and "Client.Authentication" not in own
    assert "Client.Authentication" in admin and "wrong-password" not in admin
