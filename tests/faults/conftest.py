"""Fault tests reuse the real-server fixtures of tests/system and print their figures."""

from __future__ import annotations

import pytest

from tests.faults.support import FIGURES
from tests.system.conftest import boxoffice_cli, start_server

__all__ = ["boxoffice_cli", "start_server"]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if FIGURES:
        terminalreporter.section("boxoffice faults: figures of this run")
        for line in FIGURES:
            terminalreporter.write_line(line)
