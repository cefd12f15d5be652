"""Settings read from the environment, with the defaults of a one-command demo."""

from __future__ import annotations

import os
from dataclasses import dataclass

from boxoffice.persistence.engine import default_database_url
from boxoffice.soap.gateway import DEFAULT_MAX_BODY_BYTES

DEFAULT_SWEEP_SECONDS = 1.0
# The console's call log keeps at most this many calls, none older than this many seconds.
DEFAULT_CALL_LOG_MAX_CALLS = 10_000
DEFAULT_CALL_LOG_MAX_AGE_SECONDS = 86_400.0


def _non_negative(value: str | None, default: float, name: str) -> float:
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
    days = _non_negative(value, 0.0, "BOXOFFICE_PURGE_AFTER_DAYS")
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

    @classmethod
    def from_environment(cls) -> Settings:
        return cls(
            database_url=default_database_url(),
            max_body_bytes=int(os.environ.get("BOXOFFICE_MAX_BODY_BYTES",
                                              DEFAULT_MAX_BODY_BYTES)),
            log_level=os.environ.get("BOXOFFICE_LOG_LEVEL", "INFO"),
            sweep_seconds=_non_negative(os.environ.get("BOXOFFICE_SWEEP_SECONDS"),
                                        DEFAULT_SWEEP_SECONDS, "BOXOFFICE_SWEEP_SECONDS"),
            call_log_max_calls=int(_non_negative(
                os.environ.get("BOXOFFICE_CALL_LOG_MAX_CALLS"), DEFAULT_CALL_LOG_MAX_CALLS,
                "BOXOFFICE_CALL_LOG_MAX_CALLS")),
            call_log_max_age_seconds=_non_negative(
                os.environ.get("BOXOFFICE_CALL_LOG_MAX_AGE_SECONDS"),
                DEFAULT_CALL_LOG_MAX_AGE_SECONDS, "BOXOFFICE_CALL_LOG_MAX_AGE_SECONDS"),
            purge_after_days=_purge_after_days(os.environ.get("BOXOFFICE_PURGE_AFTER_DAYS")),
        )
