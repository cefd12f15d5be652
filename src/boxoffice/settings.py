"""Settings read from the environment, with the defaults of a one-command demo."""

from __future__ import annotations

import os
from dataclasses import dataclass

from boxoffice.persistence.engine import default_database_url
from boxoffice.soap.gateway import DEFAULT_MAX_BODY_BYTES


@dataclass(frozen=True)
class Settings:
    database_url: str
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    log_level: str = "INFO"

    @classmethod
    def from_environment(cls) -> Settings:
        return cls(
            database_url=default_database_url(),
            max_body_bytes=int(os.environ.get("BOXOFFICE_MAX_BODY_BYTES",
                                              DEFAULT_MAX_BODY_BYTES)),
            log_level=os.environ.get("BOXOFFICE_LOG_LEVEL", "INFO"),
        )
