"""/metrics reads every worker's files, even while a worker is creating one."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry
from prometheus_client.multiprocess import MultiProcessCollector

from boxoffice.observability.worker_files import WorkerFilesCollector

# A worker counting three calls, in its own process as under `boxoffice serve`.
WORKER = """
from prometheus_client import Counter
calls = Counter("boxoffice_calls", "Calls.", ["operation"])
calls.labels("createOrder").inc(3)
"""


def counted_calls(collector: MultiProcessCollector) -> float:
    registry = CollectorRegistry()
    registry.register(collector)
    value = registry.get_sample_value("boxoffice_calls_total", {"operation": "createOrder"})
    assert value is not None
    return value


def test_a_file_a_worker_has_not_sized_yet_does_not_fail_the_scrape(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-c", WORKER],
        env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)},
        check=True,
    )
    # Another worker's first call, caught between creating its file and sizing it.
    (tmp_path / "counter_4242.db").touch()

    assert counted_calls(WorkerFilesCollector(None, str(tmp_path))) == 3
    with pytest.raises(struct.error):  # the library's own collector, which /metrics used before
        counted_calls(MultiProcessCollector(None, str(tmp_path)))
