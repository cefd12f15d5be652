"""Who is calling: checks an operator's login and password, answering nothing about which failed."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Callable

from boxoffice.passwords import hash_password, verify_password
from boxoffice.service.ports import UnitOfWork
from boxoffice.service.requests import Caller


class AuthenticationFailed(Exception):
    """The credentials are missing or wrong; deliberately says no more."""


class Authenticator:
    """Verifies credentials with the slow stored hash, remembering recent successes briefly.

    The slow hash is what protects stored passwords; re-running it on every call of a busy
    reseller would cost ~50 ms each, so a success is remembered for `ttl_seconds` under a
    keyed digest that exists only in this process's memory.
    """

    def __init__(self, uow_factory: Callable[[], UnitOfWork], ttl_seconds: float = 60.0,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._uow_factory = uow_factory
        self._ttl = ttl_seconds
        self._monotonic = monotonic
        self._key = secrets.token_bytes(32)
        self._remembered: dict[bytes, tuple[Caller, float]] = {}
        self._lock = threading.Lock()
        self._decoy_hash: str | None = None

    def authenticate(self, login: str | None, password: str | None) -> Caller:
        if not login or password is None:
            raise AuthenticationFailed()
        digest = hmac.new(self._key, f"{login}\0{password}".encode(), hashlib.sha256).digest()
        now = self._monotonic()
        with self._lock:
            remembered = self._remembered.get(digest)
        if remembered is not None and remembered[1] > now:
            return remembered[0]
        uow = self._uow_factory()
        with uow:
            operator = uow.catalog.operator(login)
        if operator is None:
            # Checked against a decoy so that an unknown login takes as long as a wrong password.
            if self._decoy_hash is None:
                self._decoy_hash = hash_password(secrets.token_urlsafe(16))
            verify_password(self._decoy_hash, password)
            raise AuthenticationFailed()
        if not verify_password(operator.password_hash, password):
            raise AuthenticationFailed()
        caller = Caller(login=operator.login, channel_id=operator.channel_id)
        with self._lock:
            if len(self._remembered) > 10_000:
                self._remembered.clear()
            self._remembered[digest] = (caller, now + self._ttl)
        return caller
