"""`boxoffice serve`: a gunicorn master supervising uvicorn workers, each with its own app.

The master binds the port, starts the workers, replaces any that dies or hangs, and on SIGTERM
stops accepting, lets the calls under way finish (BOXOFFICE_GRACEFUL_TIMEOUT) and exits. Each
worker builds its own application after the fork (an engine's connections must never cross a
fork) and runs its own expiry sweeper: expiry goes on while any worker lives, and the order
lock keeps two sweepers (or a sweeper and a call) from ending one order twice.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from typing import Any

import structlog
from gunicorn.app.base import BaseApplication

from boxoffice.persistence.plan_renewal import PlanRenewal
from boxoffice.serving.asgi import BufferedWsgi, CallsUnderWay
from boxoffice.serving.fair_share import FairShare
from boxoffice.serving.limits import ServingLimits
from boxoffice.settings import Settings

log = structlog.get_logger("boxoffice.serving")

# prometheus-client's multiprocess mode: each worker writes its counters into files here and
# /metrics adds them up, so the figures cover every worker whichever one answers the scrape.
METRICS_DIRECTORY_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"

WsgiApplication = Callable[..., Any]

# Python's default is 0.005 s; see worker_application.
SWITCH_INTERVAL_SECONDS = 0.0005
# Threads of a worker that use the database beside those running calls; see worker_application.
BACKGROUND_CONNECTIONS = 5
# Wraps each worker's WSGI application; tests pass one (a hang, say). None in production.
ApplicationWrapper = Callable[[WsgiApplication], WsgiApplication]


def worker_settings(settings: Settings, threads: int) -> Settings:
    """The settings of a worker running calls in `threads` threads: a database connection kept
    for each, and one for each background thread (the call log's writer, the expiry sweeper,
    the purger, the metrics' database figures, the plan renewal). With SQLAlchemy's 5, a
    worker of 8 threads opened and closed a connection for about one call in thirty under
    load."""
    return dataclasses.replace(settings, database_pool_size=threads + BACKGROUND_CONNECTIONS)


def worker_application(
    settings: Settings,
    threads: int,
    wrap: ApplicationWrapper | None = None,
    fair_share_seconds: float = 0.0,
) -> tuple[BufferedWsgi, CallsUnderWay]:
    """Builds one worker's application and starts its expiry sweeper, when set its daily
    retention purger, and on PostgreSQL the renewal of its connections as the sale's tables
    grow (after the fork)."""
    from boxoffice.observability.wiring import observed_build

    application = observed_build(worker_settings(settings, threads))
    # A call waits on the database a dozen times; after each wait its thread must win the GIL
    # back from threads busy parsing or serialising, which by default hold it for 5 ms at a
    # time. With several threads that convoy made 16 clients slower than one: a shorter
    # interval lets a thread whose answer arrived get back in quickly.
    sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
    if settings.sweep_seconds:
        application.expiry_sweeper(settings.sweep_seconds).start()
    if settings.purge_after_days:
        application.retention_purger(settings.purge_after_days).start()
    if application.engine.dialect.name == "postgresql":
        PlanRenewal(application.engine).start()
    wsgi: WsgiApplication = wrap(application) if wrap is not None else application
    calls = CallsUnderWay()
    buffered = BufferedWsgi(
        wsgi,
        threads,
        settings.max_body_bytes,
        calls,
        FairShare(fair_share_seconds),
        settings.client_address_header,
    )
    return buffered, calls


class BoxofficeServer(BaseApplication):  # type: ignore[misc]
    """gunicorn configured in code: no config file, no command-line parsing of its own."""

    def __init__(
        self,
        settings: Settings,
        limits: ServingLimits,
        *,
        bind: str,
        workers: int,
        threads: int,
        wrap: ApplicationWrapper | None = None,
    ) -> None:
        self.settings, self.limits = settings, limits
        self._bind, self._workers, self._threads, self._wrap = bind, workers, threads, wrap
        self._calls: CallsUnderWay | None = None
        super().__init__()

    def load_config(self) -> None:
        from boxoffice.serving.logs import JsonLogger
        from boxoffice.serving.worker import BoxofficeWorker

        options: dict[str, Any] = {
            "bind": [self._bind],
            "workers": self._workers,
            "worker_class": BoxofficeWorker,
            "timeout": max(1, round(self.limits.worker_timeout_seconds)),
            "graceful_timeout": max(1, round(self.limits.graceful_timeout_seconds)),
            "keepalive": max(1, round(self.limits.keep_alive_seconds)),
            "backlog": 2048,
            "loglevel": self.settings.log_level.lower(),
            "accesslog": None,
            "errorlog": "-",
            "logger_class": JsonLogger,
            "proc_name": "boxoffice",
            # One control socket per user would be shared by every server on the host.
            "control_socket_disable": True,
            "when_ready": self._when_ready,
            "child_exit": _child_exit,
        }
        for name, value in options.items():
            self.cfg.set(name, value)

    def load(self) -> BufferedWsgi:
        application, self._calls = worker_application(
            self.settings, self._threads, self._wrap, self.limits.fair_share_seconds
        )
        return application

    def calls_under_way(self) -> CallsUnderWay:
        return self._calls or CallsUnderWay()

    def _when_ready(self, arbiter: Any) -> None:
        host, port = arbiter.LISTENERS[0].sock.getsockname()[:2]
        log.info(
            "serving",
            host=host,
            port=port,
            workers=self._workers,
            threads=self._threads,
            database=self.settings.database_url.split("@")[-1],
            sweep_seconds=self.settings.sweep_seconds,
        )
        print(f"boxoffice serving on http://{self._bind}", flush=True)


def _child_exit(arbiter: Any, worker: Any) -> None:
    """A dead worker's live gauges leave the sum; its counters stay counted."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def serve(
    settings: Settings,
    *,
    host: str,
    port: int,
    threads: int,
    workers: int,
    wrap: ApplicationWrapper | None = None,
) -> None:
    """Serves until SIGTERM or SIGINT; returns once every worker has finished."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    # Set before prometheus_client is first imported: it chooses its storage at import.
    directory = tempfile.mkdtemp(prefix="boxoffice-metrics-")
    os.environ[METRICS_DIRECTORY_VARIABLE] = directory
    try:
        BoxofficeServer(
            settings,
            ServingLimits.from_environment(),
            bind=bind,
            workers=max(1, workers),
            threads=max(1, threads),
            wrap=wrap,
        ).run()
    finally:
        shutil.rmtree(directory, ignore_errors=True)
