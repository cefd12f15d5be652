"""Who is calling: checks an operator's login and password, answering nothing about which failed.

It also keeps the limits on callers (service/rate_limits.py): failed logins are budgeted per
login and source address, per source and per login (`LoginBudgets`), so that a guesser can
neither lock the honest reseller out nor spend this server's CPU on password hashes; an
operator whose sales channel sets `callsPerMinute` is held to it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import NoReturn

import structlog

from boxoffice.domain.catalog import Operator
from boxoffice.passwords import hash_password, verify_password
from boxoffice.service.ports import UnitOfWork
from boxoffice.service.rate_limits import (
    BudgetKeys,
    CallLimiter,
    CallRateLimiter,
    FailedLoginLog,
    LoginBudgets,
    LoginState,
    MemoryFailedLoginLog,
    budget_keys,
)
from boxoffice.service.requests import Caller

log = structlog.get_logger("boxoffice.authentication")

# A remembered success is checked against the stored hash at most this often (seconds), so a
# password changed by `catalog load` stops working within about this long in every process.
REVALIDATE_SECONDS = 1.0
# Password hashes computed at once in this process; the rest wait, up to HASH_WAIT_SECONDS.
DEFAULT_CONCURRENT_HASHES = 1
HASH_WAIT_SECONDS = 10.0
# Sources known to be over their budget, remembered in the process (bounded) to spare a read.
MAX_REMEMBERED_SOURCES = 10_000


class AuthenticationFailed(Exception):
    """The credentials are missing or wrong, or the login is locked; deliberately says no more."""


@dataclass
class _Success:
    caller: Caller
    password_hash: str
    expires: float
    checked: float


class Authenticator:
    """Verifies credentials with the slow stored hash, remembering recent successes briefly.

    The slow hash is what protects stored passwords; re-running it on every call of a busy
    reseller would cost ~50 ms each, so a success is remembered for `ttl_seconds` under a
    keyed digest that exists only in this process's memory, and compared with the stored hash
    every REVALIDATE_SECONDS (a cheap read) so that a new password takes over at once.

    A remembered success is honoured before any budget is looked at: it proves the caller
    sent the right password. Otherwise the budgets decide, before any hash is computed,
    whether this source may have its password checked at all (`LoginBudgets.refuses`).
    """

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        ttl_seconds: float = 60.0,
        monotonic: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        budgets: LoginBudgets | None = None,
        concurrent_hashes: int = DEFAULT_CONCURRENT_HASHES,
        hash_wait_seconds: float = HASH_WAIT_SECONDS,
        call_limits: CallLimiter | None = None,
    ) -> None:
        self._uow_factory = uow_factory
        self._ttl = ttl_seconds
        self._monotonic = monotonic
        self._wall_clock = wall_clock
        self._budgets = budgets or LoginBudgets()
        self._key = secrets.token_bytes(32)
        self._remembered: dict[bytes, _Success] = {}
        self._locked_sources: dict[str, float] = {}
        self._lock = threading.Lock()
        self._hashing = threading.BoundedSemaphore(max(1, concurrent_hashes))
        self._hash_wait = hash_wait_seconds
        self._decoy_hash: str | None = None
        self._memory_log = MemoryFailedLoginLog()
        self.call_limits = call_limits or CallRateLimiter(monotonic)

    def authenticate(self, login: str | None, password: str | None, source: str = "") -> Caller:
        """The caller whose credentials these are; `source` is the client's address."""
        if not login or password is None:
            raise AuthenticationFailed()
        digest = hmac.new(
            self._key, f"{login}\0{password}".encode("utf-8", "surrogatepass"), hashlib.sha256
        ).digest()
        remembered = self._remembered_caller(digest, login)
        if remembered is not None:
            return remembered
        wall_now = self._wall_clock()
        if self.source_refused(source):
            log.info("login_refused_unchecked", budget="source")
            raise AuthenticationFailed()
        keys = budget_keys(login, source)
        with self._uow_factory().read_only() as uow:
            state = LoginState.of(self._log(uow).login_states(keys.all()), keys)
            operator = uow.catalog.operator(login)
            channel = uow.catalog.sales_channel(operator.channel_id) if operator else None
        refusal = self._budgets.refuses(state, wall_now)
        if refusal is not None:
            self._remember_locked_source(source, state.source_locked_until(wall_now))
            log.info("login_refused_unchecked", budget=refusal)
            raise AuthenticationFailed()
        if not self._check(operator, password):
            self._failed(keys, wall_now)
        if state.pair_failures:
            self._write(lambda failures: failures.clear_login_failures(keys.pair))
        assert operator is not None  # _check answered False for a missing operator
        caller = Caller(
            login=operator.login,
            channel_id=operator.channel_id,
            calls_per_minute=channel.calls_per_minute if channel else None,
        )
        now = self._monotonic()
        with self._lock:
            if len(self._remembered) > 10_000:
                self._remembered.clear()
            self._remembered[digest] = _Success(
                caller, operator.password_hash, now + self._ttl, now
            )
        return caller

    def source_refused(self, source: str) -> bool:
        """True while this process knows `source` to be over its failed-login budget.

        A memory lookup only, so that the gateways can refuse such a source's requests before
        reading them: a flood from it then costs next to nothing (docs/design.md, "Limits").
        """
        with self._lock:
            until = self._locked_sources.get(source)
        return until is not None and until > self._wall_clock()

    def admit(self, caller: Caller) -> float | None:
        """None when the operator may call now; else the seconds to wait (its channel's limit)."""
        return self.call_limits.admit(caller.login, caller.calls_per_minute)

    def _remembered_caller(self, digest: bytes, login: str) -> Caller | None:
        now = self._monotonic()
        with self._lock:
            success = self._remembered.get(digest)
        if success is None or success.expires <= now:
            return None
        if now - success.checked < REVALIDATE_SECONDS:
            return success.caller
        # Read again what the catalog says of this login: a reload may have changed it.
        with self._uow_factory().read_only() as uow:
            operator = uow.catalog.operator(login)
            channel = uow.catalog.sales_channel(operator.channel_id) if operator else None
        if operator is None or operator.password_hash != success.password_hash:
            with self._lock:
                self._remembered.pop(digest, None)
            return None
        caller = Caller(
            login=operator.login,
            channel_id=operator.channel_id,
            calls_per_minute=channel.calls_per_minute if channel else None,
        )
        with self._lock:
            success.caller, success.checked = caller, now
        return caller

    def _check(self, operator: Operator | None, password: str) -> bool:
        """The slow hash, at most `concurrent_hashes` at once; a missing login checks a decoy."""
        if not self._hashing.acquire(timeout=self._hash_wait):
            log.warning("password_check_busy")
            raise AuthenticationFailed()
        try:
            if operator is not None:
                return verify_password(operator.password_hash, password)
            # Checked against a decoy so that an unknown login takes as long as a wrong password.
            if self._decoy_hash is None:
                self._decoy_hash = hash_password(secrets.token_urlsafe(16))
            verify_password(self._decoy_hash, password)
            return False
        finally:
            self._hashing.release()

    def _remember_locked_source(self, source: str, until: float | None) -> None:
        if until is None:
            return
        with self._lock:
            if len(self._locked_sources) >= MAX_REMEMBERED_SOURCES:
                self._locked_sources.clear()  # forgetting only costs a database read again
            known = source in self._locked_sources
            self._locked_sources[source] = until
        if not known:
            log.warning("login_source_over_budget", source=source[:64])

    def _failed(self, keys: BudgetKeys, now: float) -> NoReturn:
        budgets = self._budgets
        self._write(lambda failures: budgets.record_failure(failures, keys, now))
        raise AuthenticationFailed()

    def _log(self, uow: UnitOfWork) -> FailedLoginLog:
        catalog = uow.catalog
        return catalog if isinstance(catalog, FailedLoginLog) else self._memory_log

    def _write(self, change: Callable[[FailedLoginLog], None]) -> None:
        uow = self._uow_factory()
        with uow:
            change(self._log(uow))
            uow.commit()
