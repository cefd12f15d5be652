"""Console fixtures: the whole application in-process with the contract catalog and an admin."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import requests

from boxoffice.bootstrap import Boxoffice, build
from boxoffice.persistence.catalog_loader import load_catalog
from boxoffice.persistence.engine import create_engine_for, create_schema
from boxoffice.settings import Settings
from tests.contract import catalog
from tests.contract.conftest import FakeClock, Reseller, clients
from tests.contract.wsgi_transport import call_wsgi

ADMIN_LOGIN, ADMIN_PASSWORD = "CONSOLE_ADMIN", "admin-secret"
BASE = "http://localhost:8080/console"


def console_catalog() -> dict[str, Any]:
    """The contract catalog, with an administrator login on channel 1."""
    document = catalog.contract_catalog()
    document["salesChannels"][0]["operators"].append(
        {"login": ADMIN_LOGIN, "password": ADMIN_PASSWORD, "administrator": True}
    )
    return document


class Browser:
    """Just enough of a browser over the WSGI app: one cookie, forms posted same-origin."""

    def __init__(self, app: Boxoffice) -> None:
        self.app = app
        self.cookie = ""

    def get(self, path: str) -> requests.Response:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        return call_wsgi(self.app, "GET", BASE + path, headers=headers)

    def post(self, path: str, form: dict[str, str], **headers: str) -> requests.Response:
        sent = {"Content-Type": "application/x-www-form-urlencoded", **headers}
        if self.cookie:
            sent["Cookie"] = self.cookie
        return call_wsgi(self.app, "POST", BASE + path, urlencode(form).encode(), sent)

    def login(self, login: str, password: str) -> requests.Response:
        answer = self.post("/login", {"login": login, "password": password})
        set_cookie = answer.headers.get("Set-Cookie", "")
        if set_cookie:
            self.cookie = set_cookie.split(";", 1)[0]
        return answer

    def csrf(self) -> str:
        match = re.search(r'name="csrf" value="([^"]+)"', self.get("/calls").text)
        assert match, "the logout form carries a CSRF token"
        return match.group(1)


@pytest.fixture(scope="session")
def console_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("console") / "console.db"
    engine = create_engine_for(f"sqlite:///{path}")
    create_schema(engine)
    load_catalog(engine, console_catalog())
    engine.dispose()
    return path


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app(tmp_path: Path, clock: FakeClock, console_template: Path) -> Iterator[Boxoffice]:
    database = tmp_path / "console.db"
    shutil.copyfile(console_template, database)
    application = build(Settings(database_url=f"sqlite:///{database}"), clock)
    yield application
    application.engine.dispose()


@pytest.fixture
def reseller(app: Boxoffice) -> Reseller:
    return clients(app, catalog.LOGIN_A, catalog.PASSWORD_A)


@pytest.fixture
def other_reseller(app: Boxoffice) -> Reseller:
    return clients(app, catalog.LOGIN_B, catalog.PASSWORD_B)


def written(app: Boxoffice) -> None:
    assert app.call_recorder is not None and app.call_recorder.wait_until_written()
