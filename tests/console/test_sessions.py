"""Console login: an operator's credentials, an HttpOnly SameSite=Strict cookie whose session
lives in the database, and a logout that a forged form cannot trigger."""

from __future__ import annotations

import hashlib

from sqlalchemy import select

from boxoffice.bootstrap import Boxoffice
from boxoffice.persistence.console_tables import console_sessions
from tests.console.conftest import Browser
from tests.contract import catalog


def test_a_login_sets_a_strict_http_only_cookie_and_only_its_hash_is_stored(app: Boxoffice) -> None:
    browser = Browser(app)

    answer = browser.login(catalog.LOGIN_A, catalog.PASSWORD_A)

    assert answer.status_code == 303 and answer.headers["Location"] == "/console/calls"
    cookie = answer.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/console" in cookie
    token = browser.cookie.split("=", 1)[1]
    with app.engine.connect() as connection:
        stored = connection.execute(
            select(console_sessions.c.token_hash, console_sessions.c.login)
        ).all()
    assert stored == [(hashlib.sha256(token.encode()).hexdigest(), catalog.LOGIN_A)]
    page = browser.get("/calls")
    assert page.status_code == 200 and catalog.LOGIN_A in page.text
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]


def test_a_wrong_password_gets_no_session_and_pages_send_to_the_login(app: Boxoffice) -> None:
    browser = Browser(app)

    refused = browser.login(catalog.LOGIN_A, "wrong")

    assert refused.status_code == 401 and "Set-Cookie" not in refused.headers
    assert "Wrong login or password" in refused.text
    assert browser.get("/calls").headers["Location"] == "/console/login"
    assert browser.get("/api/seats/1").status_code == 401
    browser.cookie = "boxoffice_console=" + "x" * 43  # a made-up token
    assert browser.get("/orders").status_code == 303


def test_logout_needs_the_page_token_and_ends_the_session_for_every_worker(app: Boxoffice) -> None:
    browser = Browser(app)
    browser.login(catalog.LOGIN_A, catalog.PASSWORD_A)
    token = browser.csrf()

    forged = browser.post("/logout", {"csrf": "guessed"})
    cross_site = browser.post("/logout", {"csrf": token}, Origin="https://evil.example")
    assert (forged.status_code, cross_site.status_code) == (403, 403)
    assert browser.get("/calls").status_code == 200  # still logged in

    logged_out = browser.post("/logout", {"csrf": token})

    assert logged_out.status_code == 303 and "Max-Age=0" in logged_out.headers["Set-Cookie"]
    assert browser.get("/calls").status_code == 303
    with app.engine.connect() as connection:
        assert connection.execute(select(console_sessions)).all() == []


def test_a_session_ends_after_eight_hours(app: Boxoffice, clock) -> None:  # type: ignore[no-untyped-def]
    browser = Browser(app)
    browser.login(catalog.LOGIN_A, catalog.PASSWORD_A)
    clock.advance(8 * 3600 - 1)
    assert browser.get("/calls").status_code == 200
    clock.advance(2)
    assert browser.get("/calls").status_code == 303


def test_logging_in_again_and_again_keeps_a_bounded_number_of_sessions(
    app: Boxoffice, clock
) -> None:  # type: ignore[no-untyped-def]
    first = Browser(app)
    first.login(catalog.LOGIN_A, catalog.PASSWORD_A)
    for _ in range(25):
        clock.advance(1)
        Browser(app).login(catalog.LOGIN_A, catalog.PASSWORD_A)

    with app.engine.connect() as connection:
        assert len(connection.execute(select(console_sessions)).all()) == 20
    assert first.get("/calls").status_code == 303  # the oldest session was closed
