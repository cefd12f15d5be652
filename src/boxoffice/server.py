"""Runs the WSGI application under waitress, in one or several worker processes."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys

import structlog

from boxoffice.settings import Settings

log = structlog.get_logger("boxoffice.server")


def _run_worker(settings: Settings, listening: socket.socket, threads: int) -> None:
    import waitress

    from boxoffice.bootstrap import build

    # Built inside the worker: an engine's connections must never cross a fork.
    application = build(settings)
    # Each worker sweeps: expiry goes on while any worker lives, and the order lock keeps
    # two sweepers (or a sweeper and a call) from ending one order twice.
    sweeper = None
    if settings.sweep_seconds:
        sweeper = application.expiry_sweeper(settings.sweep_seconds)
        sweeper.start()
    purger = None
    if settings.purge_after_days:
        purger = application.retention_purger(settings.purge_after_days)
        purger.start()
    try:
        waitress.serve(application, sockets=[listening], threads=threads, ident="boxoffice",
                       _quiet=True)
    finally:
        if sweeper is not None:
            sweeper.stop()
        if purger is not None:
            purger.stop()


def serve(settings: Settings, *, host: str, port: int, threads: int, workers: int) -> None:
    listening = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
    listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listening.bind((host, port))
    listening.listen(1024)
    log.info("serving", host=host, port=listening.getsockname()[1], workers=workers,
             threads=threads, database=settings.database_url.split("@")[-1],
             sweep_seconds=settings.sweep_seconds)
    print(f"boxoffice serving on http://{host}:{listening.getsockname()[1]}", flush=True)
    if workers <= 1:
        _run_worker(settings, listening, threads)
        return
    children = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:
            try:
                _run_worker(settings, listening, threads)
            finally:
                os._exit(0)
        children.append(pid)

    def stop(signum: int, frame: object) -> None:
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGTERM)
        for child in children:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(child, 0)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for child in children:
        os.waitpid(child, 0)
