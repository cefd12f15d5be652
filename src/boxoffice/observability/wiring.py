"""Builds one process's application with its metrics observer and operations endpoints."""

from __future__ import annotations

from boxoffice.bootstrap import Boxoffice, build
from boxoffice.observability.call_metrics import CallMetrics
from boxoffice.observability.database_collector import DatabaseCollector
from boxoffice.observability.endpoints import OperationsEndpoints
from boxoffice.persistence.operations_figures import schema_is_current
from boxoffice.settings import Settings
from boxoffice.soap.application import SERVICES


def known_operations() -> set[str]:
    return {name for definition in SERVICES for name in definition.service_class().public_methods}


def observed_build(settings: Settings) -> Boxoffice:
    """`build` plus call metrics and /health, /metrics, answered before the other mounts."""
    metrics = CallMetrics((definition.name for definition in SERVICES), known_operations())
    application = build(settings, observers=[metrics.observe])
    endpoints = OperationsEndpoints(
        application.engine,
        metrics,
        DatabaseCollector(application.engine, application.clock),
        schema_is_current,
    )
    application.mounts.insert(0, endpoints)
    return application
