"""Test-only switches never live in production code (issue 9): tests inject them."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "boxoffice"


def test_no_production_module_reads_a_test_variable() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE)}:{number}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "BOXOFFICE_TEST_" in line or "BOXOFFICE_REQUIRE_" in line
    ]
    assert offenders == []
