"""The two limits with clocks a test moves: lockout shared by processes, cooldown, refill."""

from __future__ import annotations

from pathlib import Path

import pytest

from boxoffice.bootstrap import unit_of_work_factory
from boxoffice.persistence.catalog_loader import load_catalog
from boxoffice.persistence.engine import create_engine_for, create_schema
from boxoffice.service.authentication import AuthenticationFailed, Authenticator
from boxoffice.service.rate_limits import CallRateLimiter, LockoutPolicy
from tests.contract import catalog


class Clock:
    def __init__(self) -> None:
        self.now = 1_900_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    path: Path = tmp_path_factory.mktemp("limits") / "limits.db"
    engine = create_engine_for(f"sqlite:///{path}")
    create_schema(engine)
    load_catalog(engine, catalog.contract_catalog())
    engine.dispose()
    return f"sqlite:///{path}"


def authenticators(database: str, clock: Clock, count: int) -> list[Authenticator]:
    """`count` authenticators, each with its own engine and caches: like server processes."""
    policy = LockoutPolicy(max_failures=3, window_seconds=60, cooldown_seconds=120)
    return [Authenticator(unit_of_work_factory(create_engine_for(database)), monotonic=clock,
                          wall_clock=clock, lockout=policy) for _ in range(count)]


def test_failures_add_up_across_processes_and_the_lockout_ends(database: str) -> None:
    clock = Clock()
    first, second = authenticators(database, clock, 2)
    for process in (first, second, first):
        with pytest.raises(AuthenticationFailed):
            process.authenticate(catalog.LOGIN_B, "guess")
    for process in (first, second):
        with pytest.raises(AuthenticationFailed):
            process.authenticate(catalog.LOGIN_B, catalog.PASSWORD_B)
    assert first.authenticate(catalog.LOGIN_A, catalog.PASSWORD_A).login == catalog.LOGIN_A
    clock.now += 121
    assert second.authenticate(catalog.LOGIN_B, catalog.PASSWORD_B).channel_id == 2


def test_failures_outside_the_window_do_not_add_up(database: str) -> None:
    clock = Clock()
    clock.now += 10_000
    (process,) = authenticators(database, clock, 1)
    for _ in range(4):
        with pytest.raises(AuthenticationFailed):
            process.authenticate("NOBODY_WS", "guess")
        clock.now += 31  # two failures per 60 s window at most
    with pytest.raises(AuthenticationFailed):
        process.authenticate(catalog.LOGIN_A, "guess")
    assert process.authenticate(catalog.LOGIN_A, catalog.PASSWORD_A).login == catalog.LOGIN_A


def test_a_remembered_success_outlives_a_lockout_by_someone_guessing(database: str) -> None:
    clock = Clock()
    clock.now += 20_000
    (process,) = authenticators(database, clock, 1)
    process.authenticate(catalog.LOGIN_A, catalog.PASSWORD_A)
    for _ in range(3):
        with pytest.raises(AuthenticationFailed):
            process.authenticate(catalog.LOGIN_A, "guess")
    assert process.authenticate(catalog.LOGIN_A, catalog.PASSWORD_A).login == catalog.LOGIN_A


def test_the_call_bucket_spends_a_minute_at_once_then_refills() -> None:
    clock = Clock()
    limiter = CallRateLimiter(clock)
    assert [limiter.admit("a", 6) for _ in range(6)] == [None] * 6
    wait = limiter.admit("a", 6)
    assert wait == pytest.approx(10.0)
    assert limiter.admit("b", 6) is None and limiter.admit("a", None) is None
    clock.now += 10
    assert limiter.admit("a", 6) is None and limiter.admit("a", 6) is not None
    clock.now += 60
    assert [limiter.admit("a", 6) for _ in range(6)] == [None] * 6
