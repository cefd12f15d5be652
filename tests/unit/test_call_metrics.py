"""The call metrics observer: counts by service, operation and outcome, from bounded sets only."""

from __future__ import annotations

from datetime import UTC, datetime

from boxoffice.calls import CallRecord
from boxoffice.observability.call_metrics import CallMetrics


def record(operation: str, outcome: str, service: str = "ExternalOrderFacade") -> CallRecord:
    return CallRecord(
        protocol="soap",
        service=service,
        operation=operation,
        login="A_WS",
        channel_id=1,
        outcome=outcome,
        http_status=200,
        started_at=datetime(2030, 1, 1, tzinfo=UTC),
        duration_seconds=0.02,
        request_body=b"",
        response_body=b"",
    )


def count(metrics: CallMetrics, name: str, **labels: str) -> float | None:
    assert metrics.registry is not None
    return metrics.registry.get_sample_value(name, labels)


def test_calls_are_counted_by_operation_and_outcome_with_their_durations() -> None:
    metrics = CallMetrics(["ExternalOrderFacade"], ["createOrder"])

    metrics.observe(record("createOrder", "success"))
    metrics.observe(record("createOrder", "success"))
    metrics.observe(record("createOrder", "error.pointOfSales.notFound"))
    metrics.observe(record("createOrder", "Client.RateLimited"))

    labels = {"protocol": "soap", "service": "ExternalOrderFacade", "operation": "createOrder"}
    assert count(metrics, "boxoffice_calls_total", outcome="success", **labels) == 2
    assert (
        count(metrics, "boxoffice_calls_total", outcome="error.pointOfSales.notFound", **labels)
        == 1
    )
    assert count(metrics, "boxoffice_call_duration_seconds_count", **labels) == 4
    assert count(metrics, "boxoffice_call_limit_refusals_total", protocol="soap") == 1


def test_names_a_client_made_up_are_counted_as_other() -> None:
    metrics = CallMetrics(["ExternalOrderFacade"], ["createOrder"])

    for n in range(50):
        metrics.observe(record(f"madeUp{n}", f"<x>{n}</x>", service=f"Forged{n}"))

    assert (
        count(
            metrics,
            "boxoffice_calls_total",
            protocol="soap",
            service="other",
            operation="other",
            outcome="other",
        )
        == 50
    )
