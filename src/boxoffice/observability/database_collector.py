"""The figures read from the database at scrape time, as Prometheus gauges.

They describe the shared database, not a worker, so the worker that answers the scrape reads
them once. A short cache bounds what frequent scrapes (several Prometheus servers) can cost.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Engine

from boxoffice.persistence.operations_figures import Figures, read_figures

CACHE_SECONDS = 2.0


class DatabaseCollector(Collector):
    def __init__(
        self,
        engine: Engine,
        clock: Callable[[], datetime],
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._engine, self._clock, self._monotonic = engine, clock, monotonic
        self._lock = threading.Lock()
        self._cached: tuple[float, Figures] | None = None

    def figures(self) -> Figures:
        with self._lock:
            now = self._monotonic()
            if self._cached is None or now - self._cached[0] > CACHE_SECONDS:
                self._cached = (now, read_figures(self._engine, self._clock()))
            return self._cached[1]

    def collect(self) -> Iterator[GaugeMetricFamily]:
        figures = self.figures()
        orders = GaugeMetricFamily("boxoffice_orders", "Orders by state.", labels=["state"])
        for state, count in sorted(figures.orders_by_state.items()):
            orders.add_metric([state], count)
        places = GaugeMetricFamily(
            "boxoffice_places",
            "Places held by unclosed orders and sold, per performance.",
            labels=["performance_id", "state"],
        )
        for (performance_id, state), count in sorted(figures.places.items()):
            places.add_metric([str(performance_id), state], count)
        lag = GaugeMetricFamily(
            "boxoffice_sweep_lag_seconds",
            "How long the oldest open order past its deadline has waited for the sweep.",
            value=figures.sweep_lag_seconds,
        )
        locked = GaugeMetricFamily(
            "boxoffice_login_lockouts",
            "Logins locked out now after failed logins.",
            value=figures.locked_logins,
        )
        yield from (orders, places, lag, locked)
