"""gunicorn's and uvicorn's own log lines as JSON, like the rest of boxoffice's logs."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

from gunicorn.glogging import Logger


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the keys structlog writes (event, level, timestamp)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "event": record.getMessage(),
            "logger": record.name,
            "pid": record.process,
            "level": record.levelname.lower(),
            "timestamp": datetime.fromtimestamp(record.created, UTC)
            .isoformat()
            .replace("+00:00", "Z"),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line)


class JsonLogger(Logger):  # type: ignore[misc]
    """gunicorn's logger with its error log (which uvicorn's workers share) written as JSON."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(JsonFormatter())
