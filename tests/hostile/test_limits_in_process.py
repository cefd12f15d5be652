"""The two limits with clocks a test moves: lockout shared by processes, cooldown, refill."""

from __future__ import annotations

from pathlib import Path

import pytest

from boxoffice.bootstrap import unit_of_work_factory
from boxoffice.persistence.catalog_loader import load_catalog
from boxoffice.persistence.engine import create_engine_for, create_schema
from boxoffice.service.authentication import AuthenticationFailed, Authenticator
from boxoffice.service.rate_limits import CallRateLimiter, LockoutPolicy, LoginBudgets
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
    return [
        Authenticator(
            unit_of_work_factory(create_engine_for(database)),
            monotonic=clock,
            wall_clock=clock,
            budgets=LoginBudgets(per_login_and_source=policy),
        )
        for _ in range(count)
    ]


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


class CountingVerify:
    """Wraps the slow password check to count how many hashes a scenario computed."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from boxoffice.service import authentication

        self.count = 0
        real = authentication.verify_password

        def counted(password_hash: str, plain: str) -> bool:
            self.count += 1
            return real(password_hash, plain)

        monkeypatch.setattr(authentication, "verify_password", counted)


def fresh_database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'budgets.db'}"
    engine = create_engine_for(url)
    create_schema(engine)
    load_catalog(engine, catalog.contract_catalog())
    engine.dispose()
    return url


def real_authenticator(url: str, clock: Clock) -> Authenticator:
    return Authenticator(
        unit_of_work_factory(create_engine_for(url)), monotonic=clock, wall_clock=clock
    )


def test_guesses_from_elsewhere_never_lock_out_the_right_password_even_after_a_restart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, clock, hashes = fresh_database(tmp_path), Clock(), CountingVerify(monkeypatch)
    attacker = real_authenticator(url, clock)
    for _ in range(40):
        with pytest.raises(AuthenticationFailed):
            attacker.authenticate(catalog.LOGIN_A, "guess", "127.0.0.2")
        clock.now += 1
    assert hashes.count == LoginBudgets().per_login_and_source.max_failures
    restarted = real_authenticator(url, clock)  # nothing remembered in memory
    with pytest.raises(AuthenticationFailed):  # the guesser's own address stays refused
        restarted.authenticate(catalog.LOGIN_A, catalog.PASSWORD_A, "127.0.0.2")
    assert (
        restarted.authenticate(catalog.LOGIN_A, catalog.PASSWORD_A, "127.0.0.1").login
        == catalog.LOGIN_A
    )


def test_spraying_from_one_source_is_refused_before_any_hash_past_its_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, clock, hashes = fresh_database(tmp_path), Clock(), CountingVerify(monkeypatch)
    process = real_authenticator(url, clock)
    budget = LoginBudgets().per_source.max_failures
    for attempt in range(120):
        login = [catalog.LOGIN_A, catalog.LOGIN_B, f"USER_{attempt % 38}"][attempt % 3]
        with pytest.raises(AuthenticationFailed):
            process.authenticate(login, f"guess-{attempt}", "127.0.0.2")
    assert hashes.count == budget
    with pytest.raises(AuthenticationFailed):  # even the right password: the source is out
        process.authenticate(catalog.LOGIN_B, catalog.PASSWORD_B, "127.0.0.2")
    assert hashes.count == budget
    assert process.authenticate(catalog.LOGIN_B, catalog.PASSWORD_B, "127.0.0.1").channel_id == 2


def test_guessers_at_many_addresses_get_one_check_each_once_the_login_is_over_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, clock, hashes = fresh_database(tmp_path), Clock(), CountingVerify(monkeypatch)
    process = real_authenticator(url, clock)
    per_login = LoginBudgets().per_login.max_failures
    for address in range(per_login):
        with pytest.raises(AuthenticationFailed):
            process.authenticate(catalog.LOGIN_A, "guess", f"10.0.0.{address}")
    for address in range(per_login):  # those addresses are now refused unchecked
        with pytest.raises(AuthenticationFailed):
            process.authenticate(catalog.LOGIN_A, catalog.PASSWORD_A, f"10.0.0.{address}")
    assert hashes.count == per_login
    assert (
        process.authenticate(catalog.LOGIN_A, catalog.PASSWORD_A, "10.0.1.1").login
        == catalog.LOGIN_A
    )


def test_a_password_changed_by_a_catalog_load_stops_working_within_two_seconds(
    tmp_path: Path,
) -> None:
    url, clock = fresh_database(tmp_path), Clock()
    processes = [real_authenticator(url, clock) for _ in range(2)]
    for process in processes:
        assert process.authenticate(catalog.LOGIN_A, catalog.PASSWORD_A).login == catalog.LOGIN_A
    document = catalog.contract_catalog()
    document["salesChannels"][0]["operators"][0]["password"] = "the-new-one"
    engine = create_engine_for(url)
    load_catalog(engine, document)
    engine.dispose()
    clock.now += 1.5
    for process in processes:
        with pytest.raises(AuthenticationFailed):
            process.authenticate(catalog.LOGIN_A, catalog.PASSWORD_A)
        assert process.authenticate(catalog.LOGIN_A, "the-new-one").login == catalog.LOGIN_A
