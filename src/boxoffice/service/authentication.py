"""Who is calling: checks an operator's login and password, answering nothing about which failed.

It also keeps the two limits on callers (service/rate_limits.py): a login that failed too often
is refused for a while without its password being checked, and an operator whose sales channel
sets `callsPerMinute` is held to it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable
from typing import NoReturn

from boxoffice.passwords import hash_password, verify_password
from boxoffice.service.ports import UnitOfWork
from boxoffice.service.rate_limits import (
    CallLimiter,
    CallRateLimiter,
    FailedLoginLog,
    LockoutPolicy,
    MemoryFailedLoginLog,
    login_key,
)
from boxoffice.service.requests import Caller

DEFAULT_LOCKOUT = LockoutPolicy()


class AuthenticationFailed(Exception):
    """The credentials are missing or wrong, or the login is locked; deliberately says no more."""


class Authenticator:
    """Verifies credentials with the slow stored hash, remembering recent successes briefly.

    The slow hash is what protects stored passwords; re-running it on every call of a busy
    reseller would cost ~50 ms each, so a success is remembered for `ttl_seconds` under a
    keyed digest that exists only in this process's memory.

    A remembered success is honoured before the lockout is looked at: it proves the caller
    sent the right password, so a guesser locking a login out does not stop its reseller.
    Everything else about a locked login is refused without checking the password.
    """

    def __init__(self, uow_factory: Callable[[], UnitOfWork], ttl_seconds: float = 60.0,
                 monotonic: Callable[[], float] = time.monotonic,
                 wall_clock: Callable[[], float] = time.time,
                 lockout: LockoutPolicy = DEFAULT_LOCKOUT,
                 call_limits: CallLimiter | None = None) -> None:
        self._uow_factory = uow_factory
        self._ttl = ttl_seconds
        self._monotonic = monotonic
        self._wall_clock = wall_clock
        self._lockout = lockout
        self._key = secrets.token_bytes(32)
        self._remembered: dict[bytes, tuple[Caller, float]] = {}
        self._lock = threading.Lock()
        self._decoy_hash: str | None = None
        self._memory_log = MemoryFailedLoginLog()
        self.call_limits = call_limits or CallRateLimiter(monotonic)

    def authenticate(self, login: str | None, password: str | None) -> Caller:
        if not login or password is None:
            raise AuthenticationFailed()
        digest = hmac.new(self._key, f"{login}\0{password}".encode("utf-8", "surrogatepass"),
                          hashlib.sha256).digest()
        now = self._monotonic()
        with self._lock:
            remembered = self._remembered.get(digest)
        if remembered is not None and remembered[1] > now:
            return remembered[0]
        key, wall_now = login_key(login), self._wall_clock()
        uow = self._uow_factory()
        with uow:
            failures, locked_until = self._log(uow).login_state(key)
            if locked_until is not None and locked_until > wall_now:
                raise AuthenticationFailed()
            operator = uow.catalog.operator(login)
            channel = uow.catalog.sales_channel(operator.channel_id) if operator else None
        if operator is None:
            # Checked against a decoy so that an unknown login takes as long as a wrong password.
            if self._decoy_hash is None:
                self._decoy_hash = hash_password(secrets.token_urlsafe(16))
            verify_password(self._decoy_hash, password)
            self._failed(key, wall_now)
        elif not verify_password(operator.password_hash, password):
            self._failed(key, wall_now)
        if failures:
            self._write(lambda log: log.clear_login_failures(key))
        caller = Caller(login=operator.login, channel_id=operator.channel_id,
                        calls_per_minute=channel.calls_per_minute if channel else None)
        with self._lock:
            if len(self._remembered) > 10_000:
                self._remembered.clear()
            self._remembered[digest] = (caller, now + self._ttl)
        return caller

    def admit(self, caller: Caller) -> float | None:
        """None when the operator may call now; else the seconds to wait (its channel's limit)."""
        return self.call_limits.admit(caller.login, caller.calls_per_minute)

    def _failed(self, key: str, now: float) -> NoReturn:
        policy = self._lockout
        self._write(lambda log: log.record_login_failure(
            key, now, policy.max_failures, policy.window_seconds, policy.cooldown_seconds))
        raise AuthenticationFailed()

    def _log(self, uow: UnitOfWork) -> FailedLoginLog:
        catalog = uow.catalog
        return catalog if isinstance(catalog, FailedLoginLog) else self._memory_log

    def _write(self, change: Callable[[FailedLoginLog], None]) -> None:
        uow = self._uow_factory()
        with uow:
            change(self._log(uow))
            uow.commit()
