"""Counts every finished API call (a CallRecord observer) into Prometheus metrics.

Under `boxoffice serve` the counters live in prometheus-client's multiprocess files, so that
/metrics adds up every worker. Label values come only from bounded sets (known services and
operations, the contract's keys, fault codes of our own answers): nothing a client sends can
create series without bound.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

from prometheus_client import CollectorRegistry, Counter, Histogram

from boxoffice.calls import SUCCESS, CallRecord

OTHER = "other"
RATE_LIMITED_FAULT = "Client.RateLimited"
# Business keys (error.order.notFound) and fault codes (Client.Authentication, Server).
_OUTCOME = re.compile(
    r"^(?:error(?:\.[A-Za-z]{1,40}){1,3}|(?:Client|Server)(?:\.[A-Za-z]{1,40})?)$"
)
# Call durations: from a cached read (~1 ms) to the lock-wait bounds (5 s, 30 s on SQLite).
DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


def multiprocess_mode() -> bool:
    """Whether counters go to the shared files of `boxoffice serve`'s workers."""
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


class CallMetrics:
    """The per-call metrics and the observer that feeds them."""

    def __init__(self, services: Iterable[str], operations: Iterable[str]) -> None:
        self._services = frozenset(services)
        self._operations = frozenset(operations)
        # In multiprocess mode the scrape reads the files, not a registry of this process.
        self.registry = None if multiprocess_mode() else CollectorRegistry(auto_describe=True)
        self.calls = Counter(
            "boxoffice_calls",
            "API calls answered, by service, operation and outcome "
            "(success, business key or fault code).",
            ["protocol", "service", "operation", "outcome"],
            registry=self.registry,
        )
        self.durations = Histogram(
            "boxoffice_call_duration_seconds",
            "Time from request to complete answer.",
            ["protocol", "service", "operation"],
            buckets=DURATION_BUCKETS,
            registry=self.registry,
        )
        self.refusals = Counter(
            "boxoffice_call_limit_refusals",
            "Calls refused by the channel's callsPerMinute.",
            ["protocol"],
            registry=self.registry,
        )

    def observe(self, record: CallRecord) -> None:
        service = record.service if record.service in self._services else OTHER
        operation = record.operation if record.operation in self._operations else OTHER
        outcome = (
            record.outcome if record.outcome == SUCCESS or _OUTCOME.match(record.outcome) else OTHER
        )
        self.calls.labels(record.protocol, service, operation, outcome).inc()
        self.durations.labels(record.protocol, service, operation).observe(record.duration_seconds)
        if outcome == RATE_LIMITED_FAULT:
            self.refusals.labels(record.protocol).inc()
