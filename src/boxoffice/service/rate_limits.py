"""Limits on callers: failed-login budgets (login, source, both) and calls per operator (rate).

Failed logins are counted where every server process sees them (the database, through a
`FailedLoginLog`), so that `boxoffice serve --workers N` does not give a guesser N times the
attempts; they are written only when a login fails, so successful calls never pay for them.
Calls are counted by a `CallLimiter`: under `boxoffice serve`, the database's (shared by every
worker and host, persistence/call_limits.py); `CallRateLimiter` counts in one process, for a
storage that offers no shared one. See docs/design.md, "Wire and security".
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class LockoutPolicy:
    """After `max_failures` failed logins within `window_seconds`, refuse for `cooldown_seconds`."""

    max_failures: int = 5
    window_seconds: float = 900.0
    cooldown_seconds: float = 900.0


def login_key(login: str) -> str:
    """What failed logins are counted under: a fixed-size digest of whatever the caller sent."""
    return hashlib.sha256(login.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class BudgetKeys:
    """The three rows one attempt is counted on (digests, so they stay 64 characters)."""

    pair: str
    source: str
    login: str

    def all(self) -> tuple[str, str, str]:
        return (self.pair, self.source, self.login)


def budget_keys(login: str, source: str) -> BudgetKeys:
    """The keys of (login, source), of the source across logins, and of the login."""
    return BudgetKeys(
        pair=login_key(f"pair\0{login}\0{source}"),
        source=login_key(f"source\0{source}"),
        login=login_key(login),
    )


@dataclass(frozen=True)
class LoginState:
    """What the failure log says of one attempt's three keys: (failures, end of a lock)."""

    pair: tuple[int, float | None]
    source: tuple[int, float | None]
    login: tuple[int, float | None]

    @classmethod
    def of(cls, rows: dict[str, tuple[int, float | None]], keys: BudgetKeys) -> LoginState:
        empty: tuple[int, float | None] = (0, None)
        return cls(
            rows.get(keys.pair, empty), rows.get(keys.source, empty), rows.get(keys.login, empty)
        )

    @property
    def pair_failures(self) -> bool:
        return self.pair != (0, None)

    def source_locked_until(self, now: float) -> float | None:
        locked = self.source[1]
        return locked if locked is not None and locked > now else None


def _locked(row: tuple[int, float | None], now: float) -> bool:
    return row[1] is not None and row[1] > now


@dataclass(frozen=True)
class LoginBudgets:
    """How many failed logins are checked: per (login, source), per source, per login.

    - per (login, source): the reseller who mistypes, or a guesser at one address;
    - per source across logins: password spraying; past it the source is refused before any
      hash is computed, whatever login it names (so unknown logins cost nothing either);
    - per login across sources: guessers at many addresses. Past it, only sources that have
      no failure counted (on this login or at all) still have a password checked, so the
      reseller's own address is never locked out by guesses from elsewhere.
    Refused attempts are not counted: a lock ends `cooldown_seconds` after it began, however
    long the guessing goes on. See docs/design.md, "Limits".
    """

    per_login_and_source: LockoutPolicy = LockoutPolicy(5, 900.0, 900.0)
    per_source: LockoutPolicy = LockoutPolicy(20, 900.0, 900.0)
    per_login: LockoutPolicy = LockoutPolicy(10, 900.0, 900.0)

    def refuses(self, state: LoginState, now: float) -> str | None:
        """The budget that refuses this attempt unchecked, or None to check the password."""
        if _locked(state.source, now):
            return "source"
        if _locked(state.pair, now):
            return "login_and_source"
        known_source = state.pair_failures or state.source != (0, None)
        if _locked(state.login, now) and known_source:
            return "login"
        return None

    def record_failure(self, log: FailedLoginLog, keys: BudgetKeys, now: float) -> None:
        for key, policy in (
            (keys.pair, self.per_login_and_source),
            (keys.source, self.per_source),
            (keys.login, self.per_login),
        ):
            log.record_login_failure(
                key, now, policy.max_failures, policy.window_seconds, policy.cooldown_seconds
            )


@runtime_checkable
class FailedLoginLog(Protocol):
    """Where failed logins are counted; the SQL catalog repository is one (shared by processes).

    Times are epoch seconds. `login_states` answers, for each key it has a row of,
    (failures counted, end of a lockout or None).
    """

    def login_states(self, keys: Sequence[str]) -> dict[str, tuple[int, float | None]]: ...

    def record_login_failure(
        self,
        key: str,
        now: float,
        max_failures: int,
        window_seconds: float,
        cooldown_seconds: float,
    ) -> None:
        """Counts one failure; the one that reaches `max_failures` starts a lockout."""

    def clear_login_failures(self, key: str) -> None: ...


class MemoryFailedLoginLog:
    """A FailedLoginLog of one process, for a storage that offers none."""

    def __init__(self, max_keys: int = 100_000) -> None:
        self._lock = threading.Lock()
        self._rows: dict[str, tuple[int, float, float | None]] = {}
        self._max_keys = max_keys

    def login_states(self, keys: Sequence[str]) -> dict[str, tuple[int, float | None]]:
        with self._lock:
            rows = {key: self._rows[key] for key in keys if key in self._rows}
        return {key: (row[0], row[2]) for key, row in rows.items()}

    def record_login_failure(
        self,
        key: str,
        now: float,
        max_failures: int,
        window_seconds: float,
        cooldown_seconds: float,
    ) -> None:
        with self._lock:
            if len(self._rows) >= self._max_keys:
                self._rows = {
                    k: v for k, v in self._rows.items() if v[2] is not None and v[2] > now
                }
            failures, started, locked_until = self._rows.get(key, (0, now, None))
            if now - started > window_seconds:
                failures, started = 0, now
            failures += 1
            if failures >= max_failures:
                failures, started, locked_until = 0, now, now + cooldown_seconds
            self._rows[key] = (failures, started, locked_until)

    def clear_login_failures(self, key: str) -> None:
        with self._lock:
            self._rows.pop(key, None)


@runtime_checkable
class CallLimiter(Protocol):
    """Admits an operator's call under its channel's calls per minute."""

    def admit(self, login: str, calls_per_minute: int | None) -> float | None:
        """None when the call may go on; otherwise the seconds until it would be admitted."""


class CallRateLimiter:
    """Calls per minute per operator login, as a token bucket, in this process.

    A login limited to N calls per minute may spend N calls at once; the bucket then refills
    at N per minute (one call every 60/N seconds), so a refused caller waits at most 60/N s.
    """

    def __init__(
        self, monotonic: Callable[[], float] = time.monotonic, max_logins: int = 10_000
    ) -> None:
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}
        self._max_logins = max_logins

    def admit(self, login: str, calls_per_minute: int | None) -> float | None:
        """None when the call may go on; otherwise the seconds until it would be admitted."""
        if not calls_per_minute:
            return None
        capacity, rate = float(calls_per_minute), calls_per_minute / 60.0
        now = self._monotonic()
        with self._lock:
            tokens, last = self._buckets.get(login, (capacity, now))
            tokens = min(capacity, tokens + (now - last) * rate)
            if tokens >= 1.0:
                self._remember(login, tokens - 1.0, now)
                return None
            self._remember(login, tokens, now)
            return (1.0 - tokens) / rate

    def _remember(self, login: str, tokens: float, now: float) -> None:
        if login not in self._buckets and len(self._buckets) >= self._max_logins:
            self._buckets.clear()  # only forgets who spent calls lately: errs on the lenient side
        self._buckets[login] = (tokens, now)


def retry_after_header(seconds: float) -> str:
    """The Retry-After value (whole seconds, at least 1) for a wait of `seconds`."""
    return str(max(1, math.ceil(seconds)))
