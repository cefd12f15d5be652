"""The gunicorn worker: one uvicorn event loop per process, with boxoffice's guards and heartbeat.

gunicorn's master kills a worker whose heartbeat stops for BOXOFFICE_WORKER_TIMEOUT seconds.
uvicorn beats from its event loop, so a blocked loop stops the beat; this worker also stops it
while any call has run longer than the timeout (a thread stuck in a driver, say), because a
worker with a stuck call is hung for that caller and holds its locks: the replacement starts
clean, and the stuck transaction is rolled back with the dead process's connection.
"""

from __future__ import annotations

import resource
from typing import Any

import structlog
from uvicorn_worker import UvicornWorker

from boxoffice.serving.limits import ServingLimits
from boxoffice.serving.protocol import guarded_protocol

log = structlog.get_logger("boxoffice.serving")


# Files a worker needs besides its client connections: database connections, logs, metrics.
SPARE_FILES = 256


def _allow_open_files(wanted: int) -> None:
    """Raises this process's open-file limit towards `wanted` (many systems default to 1024)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        ceiling = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (ceiling, hard))


class BoxofficeWorker(UvicornWorker):
    """uvicorn on asyncio with the guarded httptools protocol and the bounds of `ServingLimits`."""

    # The loop takes one waiting connection at a time, so that workers share a burst of them.
    CONFIG_KWARGS: dict[str, Any] = {
        "loop": "boxoffice.serving.accepting:OneAtATimeLoop",
        "http": "httptools",
        "lifespan": "off",
    }

    def __init__(self, *arguments: Any, **keywords: Any) -> None:
        super().__init__(*arguments, **keywords)
        limits: ServingLimits = self.app.limits
        self.config.http = guarded_protocol(
            limits.request_read_timeout_seconds, limits.max_request_head_bytes
        )
        # Past this many open connections (or calls) in this worker, requests get 503 at once.
        self.config.limit_concurrency = limits.max_connections_per_worker
        self.config.timeout_keep_alive = int(limits.keep_alive_seconds)
        self.config.timeout_graceful_shutdown = int(limits.graceful_timeout_seconds)
        self._hang_bound = limits.worker_timeout_seconds
        _allow_open_files(limits.max_connections_per_worker + SPARE_FILES)

    async def callback_notify(self) -> None:
        age = self.app.calls_under_way().oldest_age()
        if age > self._hang_bound:
            log.error("worker_hung", pid=self.pid, oldest_call_seconds=round(age, 1))
            return  # no heartbeat: the master kills this worker after the timeout
        self.notify()
