"""The call limit counted in the database: one bucket per login, shared by every process."""

from __future__ import annotations

import threading

from sqlalchemy import Engine

from boxoffice.persistence.call_limits import SqlCallLimiter

LIMIT = 30  # calls per minute: one more every 2 s


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_login_spends_its_limit_at_once_then_waits_for_the_refill(engine: Engine) -> None:
    clock = Clock()
    limiter = SqlCallLimiter(engine, clock)

    answers = [limiter.admit("A_WS", LIMIT) for _ in range(LIMIT + 1)]

    assert answers[:LIMIT] == [None] * LIMIT
    assert answers[LIMIT] == 2.0
    clock.now += 1
    assert limiter.admit("A_WS", LIMIT) == 1.0
    clock.now += 1
    assert limiter.admit("A_WS", LIMIT) is None
    assert limiter.admit("B_WS", LIMIT) is None, "another login has its own bucket"
    assert limiter.admit("A_WS", None) is None, "no limit set: never refused"


def test_two_processes_on_one_database_share_one_bucket(engine: Engine) -> None:
    clock = Clock()
    first, second = SqlCallLimiter(engine, clock), SqlCallLimiter(engine, clock)

    admitted = sum(
        limiter.admit("A_WS", LIMIT) is None for _ in range(LIMIT) for limiter in (first, second)
    )

    assert admitted == LIMIT


def test_concurrent_callers_never_spend_more_than_the_bucket_holds(engine: Engine) -> None:
    clock = Clock()
    limiters = [SqlCallLimiter(engine, clock) for _ in range(4)]
    admitted: list[int] = []
    lock = threading.Lock()

    def call(limiter: SqlCallLimiter) -> None:
        count = sum(limiter.admit("A_WS", LIMIT) is None for _ in range(20))
        with lock:
            admitted.append(count)

    threads = [threading.Thread(target=call, args=(limiters[n % 4],)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sum(admitted) == LIMIT
