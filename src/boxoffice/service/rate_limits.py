"""Two limits on callers: failed logins per login (lockout) and calls per operator (rate).

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
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class LockoutPolicy:
    """After `max_failures` failed logins within `window_seconds`, refuse for `cooldown_seconds`."""

    max_failures: int = 5
    window_seconds: float = 300.0
    cooldown_seconds: float = 300.0


def login_key(login: str) -> str:
    """What failed logins are counted under: a fixed-size digest of whatever the caller sent."""
    return hashlib.sha256(login.encode("utf-8", "surrogatepass")).hexdigest()


@runtime_checkable
class FailedLoginLog(Protocol):
    """Where failed logins are counted; the SQL catalog repository is one (shared by processes).

    Times are epoch seconds. `login_state` answers (failures counted, end of a lockout or None).
    """

    def login_state(self, key: str) -> tuple[int, float | None]: ...

    def record_login_failure(self, key: str, now: float, max_failures: int,
                             window_seconds: float, cooldown_seconds: float) -> None:
        """Counts one failure; the one that reaches `max_failures` starts a lockout."""

    def clear_login_failures(self, key: str) -> None: ...


class MemoryFailedLoginLog:
    """A FailedLoginLog of one process, for a storage that offers none."""

    def __init__(self, max_keys: int = 100_000) -> None:
        self._lock = threading.Lock()
        self._rows: dict[str, tuple[int, float, float | None]] = {}
        self._max_keys = max_keys

    def login_state(self, key: str) -> tuple[int, float | None]:
        with self._lock:
            row = self._rows.get(key)
        return (row[0], row[2]) if row else (0, None)

    def record_login_failure(self, key: str, now: float, max_failures: int,
                             window_seconds: float, cooldown_seconds: float) -> None:
        with self._lock:
            if len(self._rows) >= self._max_keys:
                self._rows = {k: v for k, v in self._rows.items()
                              if v[2] is not None and v[2] > now}
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

    def __init__(self, monotonic: Callable[[], float] = time.monotonic,
                 max_logins: int = 10_000) -> None:
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
