"""/health/live, /health/ready and /metrics on the serving port (a mount of the application).

- live: the worker answers (200 whenever it can answer at all);
- ready: the database answers and has the schema this release expects (else 503), so a load
  balancer sends calls only to hosts that can serve them;
- metrics: the Prometheus text format, every worker's call counters added up, plus the
  database's figures read at scrape time.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

import structlog
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from sqlalchemy import Engine

from boxoffice.observability.call_metrics import CallMetrics, multiprocess_mode
from boxoffice.observability.database_collector import DatabaseCollector
from boxoffice.observability.worker_files import WorkerFilesCollector

log = structlog.get_logger("boxoffice.health")
StartResponse = Callable[..., Any]
PATHS = ("/health/live", "/health/ready", "/metrics")


class OperationsEndpoints:
    def __init__(
        self,
        engine: Engine,
        metrics: CallMetrics,
        database: DatabaseCollector,
        schema_is_current: Callable[[Engine], bool],
    ) -> None:
        self._engine = engine
        self._metrics = metrics
        self._database = database
        self._schema_is_current = schema_is_current

    def handles(self, path: str) -> bool:
        return path in PATHS

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD", "GET") not in ("GET", "HEAD"):
            return _answer(
                start_response,
                "405 Method Not Allowed",
                b"GET only.\n",
                "text/plain; charset=utf-8",
                (("Allow", "GET, HEAD"),),
            )
        if path == "/health/live":
            return _json(start_response, "200 OK", {"status": "live"})
        if path == "/health/ready":
            problem = self._readiness_problem()
            if problem is None:
                return _json(start_response, "200 OK", {"status": "ready"})
            return _json(
                start_response,
                "503 Service Unavailable",
                {"status": "not ready", "reason": problem},
            )
        return _answer(start_response, "200 OK", self._scrape(), CONTENT_TYPE_LATEST)

    def _readiness_problem(self) -> str | None:
        try:
            current = self._schema_is_current(self._engine)
        except Exception as error:  # noqa: BLE001 (BLE001: any failure means not ready)
            log.warning("not_ready", reason="database unreachable", error_type=type(error).__name__)
            return "database unreachable"
        return None if current else "database schema not current"

    def _scrape(self) -> bytes:
        registry = CollectorRegistry(auto_describe=False)
        if multiprocess_mode():
            WorkerFilesCollector(registry)
        else:
            for collector in (self._metrics.calls, self._metrics.durations, self._metrics.refusals):
                registry.register(collector)
        registry.register(self._database)
        return generate_latest(registry)


def _json(start_response: StartResponse, status: str, document: dict[str, str]) -> list[bytes]:
    return _answer(
        start_response, status, json.dumps(document).encode() + b"\n", "application/json"
    )


def _answer(
    start_response: StartResponse,
    status: str,
    body: bytes,
    content_type: str,
    extra_headers: tuple[tuple[str, str], ...] = (),
) -> list[bytes]:
    start_response(
        status,
        [
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            *extra_headers,
        ],
    )
    return [body]
