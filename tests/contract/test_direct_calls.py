"""getOrderDetails answered directly (soap/direct_calls.py) sends the very bytes spyne sends.

Each request goes twice to one application: once as it is, answered directly, then with the
endpoint's direct calls taken away, answered by spyne. Status, headers and body must be equal,
for orders of every shape, refusals and faults; and the requests the direct way does not read
with certainty must reach spyne, which answers them as it always did.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from boxoffice.bootstrap import Boxoffice
from boxoffice.soap.application import ORDER_SERVICE
from tests.contract import catalog
from tests.contract.conftest import FakeClock, Reseller
from tests.contract.envelopes import ORDER_SERVICE_URL, envelope, post
from tests.contract.test_file_records import update_references


class Answers:
    """Sends one request both ways and tells which way answered each."""

    def __init__(self, app: Boxoffice) -> None:
        self.endpoint = app.gateway.endpoints[ORDER_SERVICE.path]
        self.app = app
        self.by_spyne = 0
        spyne = self.endpoint.wsgi

        def counted(*arguments: Any) -> Any:
            self.by_spyne += 1
            return spyne(*arguments)

        self.endpoint.wsgi = counted

    def send(self, parameters: str, operation: str = "getOrderDetails") -> Any:
        body = envelope(operation, parameters, tns=ORDER_SERVICE.tns)
        return post(self.app, body, ORDER_SERVICE_URL)

    def spyne_only(self, parameters: str) -> Any:
        direct, self.endpoint.direct_calls = self.endpoint.direct_calls, {}
        try:
            return self.send(parameters)
        finally:
            self.endpoint.direct_calls = direct

    def both(self, parameters: str) -> tuple[Any, Any]:
        """The direct answer and spyne's, checking that each came the way it should."""
        before = self.by_spyne
        direct = self.send(parameters)
        assert self.by_spyne == before, "the direct way left this request to spyne"
        by_spyne = self.spyne_only(parameters)
        assert self.by_spyne == before + 1
        return direct, by_spyne


def same(first: Any, second: Any) -> bool:
    return (first.status_code, list(first.headers.items()), first.content) == (
        second.status_code,
        list(second.headers.items()),
        second.content,
    )


@pytest.fixture
def answers(app: Boxoffice) -> Iterator[Answers]:
    yield Answers(app)


def test_the_details_of_orders_of_every_shape_are_the_bytes_spyne_sends(
    answers: Answers, reseller: Reseller, clock: FakeClock
) -> None:
    open_seats = reseller.new_order()
    reseller.add_seats(open_seats, 2)
    update_references(reseller, open_seats, "ORDER", crm="A-1", shop="<web & co>")

    closed = reseller.new_order()
    reseller.add_seats(closed, 3, seatCategoryId=catalog.CATEGORY_2)
    reseller.add(
        closed, kind="ITEM", itemId=catalog.ITEM, audienceSubCategoryId=catalog.ADULT, quantity=1
    )
    shut = reseller.orders.service.closeOrder(
        orderId=closed,
        purchaserInfo={"contactReference": "BUYER-9", "email": "b@example.org"},
        payments=[{"paymentMethodId": catalog.PAYMENT_METHOD, "amount": 0}],
    )
    assert shut.statusCode in ("success", "error")  # either way the order has a shape to show

    standing = reseller.new_order()
    reseller.add(
        standing,
        kind="AREA",
        performanceId=catalog.PERFORMANCE,
        areaId=catalog.STANDING,
        audienceSubCategoryId=catalog.ADULT,
        quantity=2,
    )
    abandoned = reseller.new_order()
    reseller.add_seats(abandoned, 1)
    assert reseller.orders.service.abandonOrder(orderId=abandoned).statusCode == "success"
    empty = reseller.new_order()

    escaped = "<requestId>é € &lt;&amp;&gt; ' \"</requestId>"
    request_ids = ("", "<requestId>r-1</requestId>", escaped)
    for order_id in (open_seats, closed, standing, abandoned, empty):
        for request_id in request_ids:
            direct, by_spyne = answers.both(f"{request_id}<orderId>{order_id}</orderId>")
            assert direct.status_code == 200
            assert b"<statusCode>success</statusCode>" in direct.content
            assert same(direct, by_spyne), (order_id, request_id)

    # Past its deadline the read expires the order first: the direct answer shows it expired.
    clock.advance(catalog.LIFESPAN_SECONDS + 1)
    direct, by_spyne = answers.both(f"<orderId>{open_seats}</orderId>")
    assert b"<orderState>EXPIRED</orderState>" in direct.content
    assert same(direct, by_spyne)


def test_refusals_are_the_bytes_spyne_sends(
    answers: Answers, reseller: Reseller, other_reseller: Reseller
) -> None:
    theirs = other_reseller.new_order(pos=catalog.POS_B)
    for parameters in (
        "<orderId>424242</orderId>",
        f"<requestId>q</requestId><orderId>{theirs}</orderId>",
        "<orderId>0</orderId>",
    ):
        direct, by_spyne = answers.both(parameters)
        assert b"<statusDetail>error.order.notFound</statusDetail>" in direct.content
        assert same(direct, by_spyne), parameters


def test_an_unexpected_error_is_the_server_fault_spyne_sends(
    answers: Answers, app: Boxoffice, reseller: Reseller
) -> None:
    order_id = reseller.new_order()

    def broken() -> Any:
        raise RuntimeError("the database went away, secretly")

    runtime = answers.endpoint.application.runtime
    object.__setattr__(runtime, "uow_factory", broken)
    direct, by_spyne = answers.both(f"<orderId>{order_id}</orderId>")
    ids = re.compile(rb"[0-9a-f]{32}")
    assert direct.status_code == 500
    assert b"<faultcode>S:Server</faultcode>" in direct.content
    assert b"secretly" not in direct.content
    assert ids.search(direct.content), direct.content  # the correlation id, in text and detail
    masked = [ids.sub(b"ID", answer.content) for answer in (direct, by_spyne)]
    assert masked[0] == masked[1]
    assert direct.headers == by_spyne.headers


@pytest.mark.parametrize(
    "parameters",
    [
        "<orderId> {order} </orderId>",  # spaces: spyne's reading of a number decides
        "<orderId>+{order}</orderId>",
        "<orderId>-1</orderId>",
        "<orderId>1{order}000000000000000000</orderId>",  # past a long
        "<orderId>x</orderId>",
        "<orderId>{order}</orderId><unknown>1</unknown>",
        "<orderId><inner>{order}</inner></orderId>",
        '<orderId kind="x">{order}</orderId>',
        "<requestId>" + "r" * 256 + "</requestId><orderId>{order}</orderId>",
        "<requestId>r</requestId>",  # no orderId
    ],
)
def test_what_the_direct_way_does_not_read_with_certainty_is_left_to_spyne(
    answers: Answers, reseller: Reseller, parameters: str
) -> None:
    order_id = reseller.new_order()
    request = parameters.format(order=order_id)
    before = answers.by_spyne
    answer = answers.send(request)
    assert answers.by_spyne == before + 1
    assert same(answer, answers.spyne_only(request))


def test_a_request_id_of_the_longest_length_is_answered_directly(
    answers: Answers, reseller: Reseller
) -> None:
    order_id = reseller.new_order()
    request_id = "r" * 255
    direct, by_spyne = answers.both(
        f"<requestId>{request_id}</requestId><orderId>{order_id}</orderId>"
    )
    assert f"<requestId>{request_id}</requestId>".encode() in direct.content
    assert same(direct, by_spyne)
