"""The commands an operator runs: an old database is refused until `boxoffice db upgrade`."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.migrations.release_0_1_0 import create_release_0_1_0_schema
from tests.system.conftest import run_boxoffice

pytestmark = pytest.mark.system


@pytest.fixture
def old_database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'boxoffice-0.1.0.db'}"
    create_release_0_1_0_schema(url)
    return url


def test_serve_demo_and_catalog_load_refuse_an_old_database_naming_the_upgrade(
    old_database: str, tmp_path: Path
) -> None:
    catalog = tmp_path / "catalog.json"
    catalog.write_text("{}", encoding="utf-8")
    for arguments in (["serve", "--port", "0"], ["demo"], ["catalog", "load", str(catalog)]):
        refused = run_boxoffice(arguments, tmp_path, old_database)
        assert refused.returncode == 2, (arguments, refused.stdout, refused.stderr)
        assert "boxoffice db upgrade" in refused.stderr, arguments
        assert "Traceback" not in refused.stderr
        assert "serving" not in refused.stdout
    status = run_boxoffice(["db", "current"], tmp_path, old_database)
    assert status.returncode == 1
    assert "revision none" in status.stdout


def test_after_db_upgrade_the_old_database_is_served(old_database: str, tmp_path: Path) -> None:
    upgraded = run_boxoffice(["db", "upgrade"], tmp_path, old_database)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "upgraded from revision none" in upgraded.stdout
    assert run_boxoffice(["db", "upgrade"], tmp_path, old_database).stdout.startswith(
        "Database already current"
    )
    demo = run_boxoffice(["demo"], tmp_path, old_database)
    assert demo.returncode == 0, demo.stderr
    assert run_boxoffice(["db", "current"], tmp_path, old_database).returncode == 0


def test_demo_creates_a_new_database_at_the_current_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    assert run_boxoffice(["demo"], tmp_path, url).returncode == 0
    status = run_boxoffice(["db", "current"], tmp_path, url)
    assert status.returncode == 0
    assert "(current)" in status.stdout
