"""Settings read from the environment, with the defaults of a one-command demo."""

from __future__ import annotations

import os
from dataclasses import dataclass

from boxoffice.persistence.engine import default_database_url
from boxoffice.service.authentication import DEFAULT_CONCURRENT_HASHES
from boxoffice.soap.gateway import DEFAULT_MAX_BODY_BYTES

DEFAULT_SWEEP_SECONDS = 1.0
# The console's call log keeps at most this many calls, none older than this many seconds.
DEFAULT_CALL_LOG_MAX_CALLS = 10_000
DEFAULT_CALL_LOG_MAX_AGE_SECONDS = 86_400.0


def non_negative(value: str | None, default: float, name: str) -> float:
    if value is None or value.strip() == "":
        return default
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, not {value!r}.") from None
    if number < 0:
        raise ValueError(f"{name} must not be negative, not {value!r}.")
    return number


def _purge_after_days(value: str | None) -> float | None:
    """BOXOFFICE_PURGE_AFTER_DAYS: unset, empty or 0 turns the daily purge off."""
    days = non_negative(value, 0.0, "BOXOFFICE_PURGE_AFTER_DAYS")
    return days or None


@dataclass(frozen=True)
class Settings:
    database_url: str
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    log_level: str = "INFO"
    # How often each worker process sweeps expired orders; 0 turns the sweeper off.
    sweep_seconds: float = DEFAULT_SWEEP_SECONDS
    call_log_max_calls: int = DEFAULT_CALL_LOG_MAX_CALLS
    call_log_max_age_seconds: float = DEFAULT_CALL_LOG_MAX_AGE_SECONDS
    # Each worker purges carts ended longer ago than this many days, daily; None: never.
    purge_after_days: float | None = None
    # Header a trusted reverse proxy names the client's address in (X-Forwarded-For); unset:
    # the TCP peer. Failed-login budgets are counted per this address.
    client_address_header: str | None = None
    # Password hashes (argon2, ~50 ms of a core each) computed at once per worker process.
    concurrent_password_checks: int = DEFAULT_CONCURRENT_HASHES
    # The URL the WSDL documents give as the services' base (https://tickets.example.com);
    # unset: taken from each request's Host header, checked.
    public_url: str | None = None
    # Database connections each process keeps open (None: SQLAlchemy's 5). A server's worker
    # sets it from its threads (serving/server.py): a call past the pool opens a connection
    # and closes it after, a PostgreSQL backend started and stopped per call.
    database_pool_size: int | None = None

    @classmethod
    def from_environment(cls) -> Settings:
        return cls(
            database_url=default_database_url(),
            max_body_bytes=int(os.environ.get("BOXOFFICE_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES)),
            log_level=os.environ.get("BOXOFFICE_LOG_LEVEL", "INFO"),
            sweep_seconds=non_negative(
                os.environ.get("BOXOFFICE_SWEEP_SECONDS"),
                DEFAULT_SWEEP_SECONDS,
                "BOXOFFICE_SWEEP_SECONDS",
            ),
            call_log_max_calls=int(
                non_negative(
                    os.environ.get("BOXOFFICE_CALL_LOG_MAX_CALLS"),
                    DEFAULT_CALL_LOG_MAX_CALLS,
                    "BOXOFFICE_CALL_LOG_MAX_CALLS",
                )
            ),
            call_log_max_age_seconds=non_negative(
                os.environ.get("BOXOFFICE_CALL_LOG_MAX_AGE_SECONDS"),
                DEFAULT_CALL_LOG_MAX_AGE_SECONDS,
                "BOXOFFICE_CALL_LOG_MAX_AGE_SECONDS",
            ),
            purge_after_days=_purge_after_days(os.environ.get("BOXOFFICE_PURGE_AFTER_DAYS")),
            client_address_header=os.environ.get("BOXOFFICE_CLIENT_ADDRESS_HEADER") or None,
            concurrent_password_checks=max(
                1,
                int(
                    non_negative(
                        os.environ.get("BOXOFFICE_CONCURRENT_PASSWORD_CHECKS"),
                        DEFAULT_CONCURRENT_HASHES,
                        "BOXOFFICE_CONCURRENT_PASSWORD_CHECKS",
                    )
                ),
            ),
            public_url=os.environ.get("BOXOFFICE_PUBLIC_URL", "").rstrip("/") or None,
        )
