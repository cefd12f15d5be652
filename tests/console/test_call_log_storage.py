"""The call log in the database stays bounded by count and by age, and keeps channels apart."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, select

from boxoffice.console.ports import CallFilter, StoredCall
from boxoffice.persistence.console_call_log import SqlCallLog
from boxoffice.persistence.console_tables import call_log

NOW = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)


def call(number: int, channel_id: int = 1, age_seconds: float = 0) -> StoredCall:
    return StoredCall(
        channel_id,
        "RESELLER_A_WS",
        "soap",
        "ExternalOrderFacade",
        "createOrder" if number % 2 else "addOperation",
        "success",
        200,
        NOW - timedelta(seconds=age_seconds),
        0.01,
        number,
        f"<r>{number}</r>",
        "<ok/>",
    )


def test_the_newest_calls_are_kept_up_to_the_count(engine: Engine) -> None:
    log = SqlCallLog(engine)
    for batch in range(3):
        log.append([call(batch * 10 + index) for index in range(10)])

    log.prune(NOW, max_calls=12, max_age_seconds=3600)

    kept = log.recent(None, CallFilter(limit=100))
    assert [stored.order_id for stored in kept] == list(range(29, 17, -1))


def test_calls_older_than_the_age_limit_are_removed(engine: Engine) -> None:
    log = SqlCallLog(engine)
    log.append([call(1, age_seconds=7200), call(2, age_seconds=3599), call(3)])

    log.prune(NOW, max_calls=1000, max_age_seconds=3600)

    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(call_log)).scalar() == 2
    assert [stored.order_id for stored in log.recent(None, CallFilter())] == [3, 2]


def test_a_channel_reads_only_its_own_calls(engine: Engine) -> None:
    log = SqlCallLog(engine)
    log.append([call(1, channel_id=1), call(2, channel_id=2), call(3, channel_id=1)])

    mine = log.recent(1, CallFilter())
    other_id = log.recent(2, CallFilter())[0].call_id

    assert [stored.order_id for stored in mine] == [3, 1]
    assert other_id is not None and log.call(other_id, 1) is None
    assert log.call(other_id, None) is not None  # the administrator's view
    assert log.operations(2) == ["addOperation"]


def test_the_outcome_filter_matches_a_prefix_taken_literally(engine: Engine) -> None:
    log = SqlCallLog(engine)
    refused = StoredCall(
        1,
        "RESELLER_A_WS",
        "soap",
        "ExternalOrderFacade",
        "addOperation",
        "error.order.notFound",
        200,
        NOW,
        0.01,
        None,
        "<r/>",
        "<ok/>",
    )
    log.append([call(1), refused])

    assert [c.outcome for c in log.recent(1, CallFilter(outcome="error."))] == [
        "error.order.notFound"
    ]
    assert [c.outcome for c in log.recent(1, CallFilter(outcome="success"))] == ["success"]
    assert log.recent(1, CallFilter(outcome="%")) == []  # a wildcard is just a character
