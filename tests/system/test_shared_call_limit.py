"""Issue 9 item 4: callsPerMinute holds across every worker and every host on one database.

Two `boxoffice serve` instances (two hosts) of two workers each share one PostgreSQL. Clients
call as one limited operator as fast as they can, each call on a new connection so that every
worker takes its share, for DURATION_SECONDS. A token bucket of LIMIT per minute admits LIMIT
at once and LIMIT / 60 per second after: counted per process, four processes would admit four
times that.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import requests
from tests.hostile.conftest import LIMIT, LIMITED_1, LIMITED_PASSWORD, MISSING, hostile_catalog
from tests.system.conftest import StartServer

pytestmark = pytest.mark.system

DURATION_SECONDS = 20
CLIENTS = 6
TOLERANCE = 0.10
ROUTE = "/tnseb/backend-apis/externalOrderService/v1_33/getOrderDetails"


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_the_call_limit_holds_within_ten_percent_across_workers_and_hosts(
    start_server: StartServer, tmp_path: Path
) -> None:
    first = start_server("--workers", "2", catalog=hostile_catalog(tmp_path))
    second = start_server("--workers", "2", load=False)
    ports = [first.port, second.port]
    answers: Counter[int] = Counter()
    lock = threading.Lock()
    started = time.monotonic()
    deadline = started + DURATION_SECONDS

    def client(number: int) -> None:
        turn = number
        while time.monotonic() < deadline:
            turn += 1
            answer = requests.post(
                f"http://127.0.0.1:{ports[turn % 2]}{ROUTE}",
                json={"orderId": MISSING},
                auth=(LIMITED_1, LIMITED_PASSWORD),
                headers={"Connection": "close"},
                timeout=30,
            )
            with lock:
                answers[answer.status_code] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(DURATION_SECONDS + 60)
    elapsed = time.monotonic() - started

    expected = LIMIT + LIMIT * elapsed / 60
    assert answers[200] == pytest.approx(expected, rel=TOLERANCE), (answers, expected)
    # Refused: 429 today; issue 7 answers 509 instead. Either way with Retry-After.
    refused = answers[429] + answers[509]
    assert refused > answers[200], "the clients did not push past the limit"
    assert answers[200] + refused == sum(answers.values()), answers
