"""Test-only entry point: `boxoffice serve` whose workers hang on GET /test/hang.

The hang is injected here, around the production application (serving.server.serve's `wrap`),
so that no switch for it exists in production code. Run as
`python -m tests.system.hanging_serve --port PORT --workers N`.
"""

from __future__ import annotations

import argparse
import threading
from collections.abc import Callable, Iterable
from typing import Any

from boxoffice.logging_setup import configure_logging
from boxoffice.serving.server import serve
from boxoffice.settings import Settings

HANG_PATH = "/test/hang"


def hanging(application: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == HANG_PATH:
            threading.Event().wait()  # a call stuck for good, as in a driver that never returns
        return application(environ, start_response)

    return wrapped


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1)
    arguments = parser.parse_args()
    settings = Settings.from_environment()
    configure_logging(settings.log_level)
    serve(
        settings,
        host="127.0.0.1",
        port=arguments.port,
        threads=4,
        workers=arguments.workers,
        wrap=hanging,
    )


if __name__ == "__main__":
    main()
