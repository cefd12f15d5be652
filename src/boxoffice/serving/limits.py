"""The serving stack's bounds, read from the environment (README, "Settings")."""

from __future__ import annotations

import os
from dataclasses import dataclass

from boxoffice.settings import non_negative


def _positive(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"{name} must be a number, not {value!r}.") from None
    if number <= 0:
        raise ValueError(f"{name} must be positive, not {value!r}.")
    return number


@dataclass(frozen=True)
class ServingLimits:
    # A worker whose event loop or oldest call is stuck this long is killed and replaced.
    worker_timeout_seconds: float = 30.0
    # On SIGTERM (or a restart), calls under way get this long to finish before the kill.
    graceful_timeout_seconds: float = 30.0
    # A request's head and body must arrive within this long of the connection (or the
    # previous answer): clients sending a byte at a time are dropped after it.
    request_read_timeout_seconds: float = 10.0
    # Open connections per worker; past it new requests are answered 503 at once. An asyncio
    # worker holds an idle connection in a few kilobytes, so the bound can be generous.
    max_connections_per_worker: int = 1000
    # The largest request line plus headers; past it the answer is 400 and the connection closes.
    max_request_head_bytes: int = 64 * 1024
    # An idle kept-alive connection is closed after this long.
    keep_alive_seconds: float = 5.0
    # While several client addresses called a worker within this many seconds, each runs one
    # call at a time there (fair_share.py); 0 turns the rule off.
    fair_share_seconds: float = 1.0

    @classmethod
    def from_environment(cls) -> ServingLimits:
        defaults = cls()
        return cls(
            worker_timeout_seconds=_positive(
                "BOXOFFICE_WORKER_TIMEOUT", defaults.worker_timeout_seconds
            ),
            graceful_timeout_seconds=_positive(
                "BOXOFFICE_GRACEFUL_TIMEOUT", defaults.graceful_timeout_seconds
            ),
            request_read_timeout_seconds=_positive(
                "BOXOFFICE_REQUEST_READ_TIMEOUT", defaults.request_read_timeout_seconds
            ),
            max_connections_per_worker=int(
                _positive("BOXOFFICE_MAX_CONNECTIONS", defaults.max_connections_per_worker)
            ),
            fair_share_seconds=non_negative(
                os.environ.get("BOXOFFICE_FAIR_SHARE_SECONDS"),
                defaults.fair_share_seconds,
                "BOXOFFICE_FAIR_SHARE_SECONDS",
            ),
        )
