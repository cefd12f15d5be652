"""Reads every worker's metric files for /metrics, skipping a file still being created."""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable

from prometheus_client import CollectorRegistry, Metric
from prometheus_client.multiprocess import MultiProcessCollector


class WorkerFilesCollector(MultiProcessCollector):
    """prometheus-client's collector of the workers' files, minus the files not yet sized.

    A worker creates its file for a metric type at its first call, and the file exists empty
    for a moment before it is sized (prometheus/client_python#1199). A scrape that read it in
    that moment failed with struct.error, so /metrics answered 500 while a worker started. An
    empty file holds no value yet: skipping it loses nothing, and the next scrape reads it.
    """

    def __init__(self, registry: CollectorRegistry | None, path: str | None = None) -> None:
        super().__init__(registry, path)
        self._directory = path or os.environ["PROMETHEUS_MULTIPROC_DIR"]

    def collect(self) -> Iterable[Metric]:
        files = glob.glob(os.path.join(self._directory, "*.db"))
        # A file only grows, so one seen non-empty here is readable below.
        return self.merge([path for path in files if os.path.getsize(path) > 0], accumulate=True)
