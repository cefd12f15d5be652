"""Retries are safe: validate, close or abandon repeated after a lost answer change nothing more.

A TCP proxy between a zeep client and the real server loses answers the way networks do: the
request arrives and is served, the answer never comes back (`drop_response`), comes back after
the client gave up (`delay_response`), or the request itself lingers so long that the client's
retry overtakes it (`delay_request`). Each time the retry, sent straight to the server, must
answer the same outcome, and the database must hold exactly what one call makes.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from tests.faults.proxy import TcpProxy
from tests.faults.support import (
    CATEGORY_2,
    CHANNEL_B,
    PERFORMANCES,
    Database,
    Reseller,
    barcodes_of,
    consistency_problem,
    outcome,
    record,
)

pytestmark = pytest.mark.system

CLIENT_TIMEOUT_SECONDS = 0.5
HELD_SECONDS = 1.5
LOSSES = ("drop_response", "delay_response", "delay_request")
OPERATIONS = ("validateOrder", "closeOrder", "abandonOrder")
EXPECTED_STATE = {"validateOrder": "VALIDATED", "closeOrder": "CLOSED", "abandonOrder": "ABANDONED"}
SERVED_BOUND_SECONDS = 30


def test_a_retry_after_a_lost_answer_returns_the_same_outcome_and_creates_nothing_twice(
    start_server: Any, database_url: str
) -> None:
    server = start_server()
    proxy = TcpProxy(server.port, half_close=False).start()
    direct, database = Reseller(server.port, CHANNEL_B), Database(database_url)
    figures: Counter[str] = Counter()
    try:
        for loss in LOSSES:
            for operation in OPERATIONS:
                for validated_first in (False, True):
                    if operation == "validateOrder" and validated_first:
                        continue
                    order_id = direct.open_order(2, PERFORMANCES[1], CATEGORY_2)
                    if validated_first:
                        assert (
                            direct.call("validateOrder", orderId=order_id).statusCode == "success"
                        )
                    parameters = _parameters(direct, operation, order_id)
                    _lose_then_retry(proxy, direct, database, loss, operation, order_id, parameters)
                    figures[loss] += 1
        assert database.live_seats_held_twice() == 0
        record(
            f"retries [{_backend(database_url)}]: {sum(figures.values())} lost answers "
            f"retried ({dict(figures)}), each retried twice more, nothing created twice"
        )
    finally:
        proxy.stop()
        database.close()


def _parameters(direct: Reseller, operation: str, order_id: int) -> dict[str, Any]:
    if operation != "closeOrder":
        return {"orderId": order_id}
    # A paid close, so that a payment recorded twice would show too.
    amount = direct.details(order_id).saleAmount
    return {
        "orderId": order_id,
        "payments": [{"paymentMethodId": 1, "amount": amount}],
        "purchaserInfo": {"contactReference": f"buyer-{order_id}"},
    }


def _lose_then_retry(
    proxy: TcpProxy,
    direct: Reseller,
    database: Database,
    loss: str,
    operation: str,
    order_id: int,
    parameters: dict[str, Any],
) -> None:
    where = f"{operation} on order {order_id} after {loss}"
    proxy.mode, proxy.delay_seconds = loss, HELD_SECONDS
    answered_before = proxy.responses_received
    lossy = Reseller(proxy.port, CHANNEL_B, timeout=CLIENT_TIMEOUT_SECONDS)
    lost, _ = outcome(lambda: lossy.call(operation, **parameters))
    proxy.mode = "pass"
    assert lost.startswith("transport:"), f"{where}: the first answer arrived ({lost})"

    retried = _call(direct, operation, parameters)
    after_retry = _snapshot(database, order_id)
    # The lost call may still be on its way (delay_request): its late arrival is a retry too.
    _wait(lambda: proxy.responses_received > answered_before, where)
    assert _snapshot(database, order_id) == after_retry, f"{where}: the late call changed it"
    again = _call(direct, operation, parameters)
    third = _call(direct, operation, parameters)
    assert _snapshot(database, order_id) == after_retry, f"{where}: a retry changed something"

    row = database.orders([order_id])[order_id]
    assert row.state == EXPECTED_STATE[operation], where
    assert consistency_problem(row) is None, where
    for answer in (retried, again, third):
        assert _state_of(answer) == row.state, where
    if operation == "closeOrder":
        for answer in (retried, again, third):
            assert barcodes_of(answer.orderData) == row.barcodes, f"{where}: other barcodes"
            assert answer.orderData.paidAmount == answer.orderData.saleAmount, where


def _call(direct: Reseller, operation: str, parameters: dict[str, Any]) -> Any:
    code, answer = outcome(lambda: direct.call(operation, **parameters))
    assert code == "success", f"retry of {operation}: {code} {answer}"
    return answer


def _state_of(answer: Any) -> str:
    data = getattr(answer, "orderData", None) or answer.orderUpdateData
    return str(data.orderState)


def _snapshot(database: Database, order_id: int) -> tuple[Any, ...]:
    row = database.orders([order_id])[order_id]
    return (database.counts(), row.state, row.movements, row.expires_at, row.updated_at)


def _wait(condition: Callable[[], bool], where: str) -> None:
    """Until the server has answered the lost call (served or not), so nothing is in flight."""
    deadline = time.monotonic() + SERVED_BOUND_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"{where}: the lost call never ended"
        time.sleep(0.05)


def _backend(database_url: str) -> str:
    return "sqlite" if database_url.startswith("sqlite") else "postgresql"
