"""Item 8 against a running server: passwords at rest, uniform refusals, the lockout."""

from __future__ import annotations

import json

from sqlalchemy import text

from tests.hostile.conftest import (
    LOCKOUT_LOGIN,
    LOCKOUT_PASSWORD,
    LOGIN_A,
    MISSING,
    PASSWORD_A,
    Target,
)

DETAILS = f"<orderId>{MISSING}</orderId>"


def test_passwords_are_stored_as_argon2id_hashes_only(target: Target) -> None:
    with target.engine.connect() as connection:
        stored = dict(connection.execute(text("SELECT login, password_hash FROM operators")).all())
    assert stored[LOGIN_A].startswith("$argon2id$")
    assert PASSWORD_A not in stored[LOGIN_A]
    assert len(set(stored.values())) == len(stored)  # salted: no two hashes alike


def test_every_authentication_failure_answers_exactly_the_same(target: Target) -> None:
    soap_answers = {
        (answer.status_code, answer.content)
        for answer in (
            target.soap("getOrderDetails", DETAILS, LOGIN_A, "wrong"),
            target.soap("getOrderDetails", DETAILS, "NOBODY_WS", "wrong"),
            target.soap("getOrderDetails", DETAILS, LOGIN_A, ""),
            target.soap("getOrderDetails", DETAILS, "", PASSWORD_A),
        )
    }
    assert len(soap_answers) == 1, soap_answers
    status, body = soap_answers.pop()
    assert status == 500 and b"Client.Authentication" in body
    json_answers = {
        (answer.status_code, answer.content)
        for answer in (
            target.json("service/getOrderDetails", {"orderId": MISSING}, LOGIN_A, "wrong"),
            target.json("service/getOrderDetails", {"orderId": MISSING}, "NOBODY_WS", "x"),
            target.session.post(target.json_url("service/getOrderDetails"), data="{}", timeout=60),
        )
    }
    assert len(json_answers) == 1, json_answers
    status, body = json_answers.pop()
    assert status == 401 and json.loads(body)["faultcode"] == "Client.Authentication"


def test_a_login_that_failed_five_times_is_refused_even_with_its_password(target: Target) -> None:
    for _ in range(5):
        refused = target.soap("getOrderDetails", DETAILS, LOCKOUT_LOGIN, "guess")
        assert b"Client.Authentication" in refused.content
    locked = target.soap("getOrderDetails", DETAILS, LOCKOUT_LOGIN, LOCKOUT_PASSWORD)
    assert (locked.status_code, locked.content) == (refused.status_code, refused.content)
    over_json = target.json(
        "service/getOrderDetails", {"orderId": MISSING}, LOCKOUT_LOGIN, LOCKOUT_PASSWORD
    )
    assert over_json.status_code == 401
    # Counted per login: the channel's other operator is not touched.
    assert b"error.order.notFound" in target.soap("getOrderDetails", DETAILS).content
