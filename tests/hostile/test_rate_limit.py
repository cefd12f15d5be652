"""Item 9 against a running server: callsPerMinute answered with HTTP 509 and Retry-After."""

from __future__ import annotations

import time

from tests.hostile.conftest import (
    LIMIT,
    LIMITED_1,
    LIMITED_2,
    LIMITED_PASSWORD,
    MISSING,
    Target,
)

DETAILS = f"<orderId>{MISSING}</orderId>"


def test_an_operator_over_its_channels_call_rate_waits_and_no_one_else_does(target: Target) -> None:
    admitted = 0
    for _ in range(LIMIT + 10):
        answer = target.json(
            "service/getOrderDetails", {"orderId": MISSING}, LIMITED_1, LIMITED_PASSWORD
        )
        if answer.status_code == 509:
            break
        assert answer.json()["statusDetail"] == "error.order.notFound"
        admitted += 1
    # The bucket refills at LIMIT per minute while the loop runs: a call or two more is fair.
    assert LIMIT <= admitted <= LIMIT + 3
    assert answer.json()["faultcode"] == "Client.RateLimited"
    retry_after = int(answer.headers["Retry-After"])
    assert 1 <= retry_after <= 60 // LIMIT + 1
    over_soap = target.soap("getOrderDetails", DETAILS, LIMITED_1, LIMITED_PASSWORD)
    assert over_soap.status_code == 509 and "Retry-After" in over_soap.headers
    assert b"<faultcode>S:Client.RateLimited</faultcode>" in over_soap.content
    other = target.soap("getOrderDetails", DETAILS, LIMITED_2, LIMITED_PASSWORD)
    assert other.status_code == 200 and b"error.order.notFound" in other.content
    assert target.soap("getOrderDetails", DETAILS).status_code == 200  # channel 1: no limit
    time.sleep(int(over_soap.headers["Retry-After"]))
    again = target.soap("getOrderDetails", DETAILS, LIMITED_1, LIMITED_PASSWORD)
    assert again.status_code == 200 and b"error.order.notFound" in again.content
