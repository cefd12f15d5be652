"""A worker opens its PostgreSQL connections anew each time the sale's tables have doubled, so
that the plans PostgreSQL keeps per connection are made again for the tables' size."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text

from boxoffice.persistence.plan_renewal import PlanRenewal
from tests.conftest import OTHER_PERFORMANCE_ID
from tests.integration.orders_builder import insert_sold_orders
from tests.integration.statements import prepared_statements

pytestmark = pytest.mark.postgres

# A statement the sale runs often enough for psycopg to prepare it (at its fifth run).
_BY_ID = text("SELECT state FROM orders WHERE order_id = :order_id")


def _prepared_on_the_pooled_connection(engine: Engine) -> tuple[int, list[str]]:
    """The backend of the pool's connection, and the statements prepared on it."""
    for _ in range(6):
        with engine.begin() as connection:
            connection.execute(_BY_ID, {"order_id": 1})
    with engine.begin() as connection:
        backend = connection.execute(text("SELECT pg_backend_pid()")).scalar_one()
    return backend, prepared_statements(engine)


def test_connections_are_renewed_when_the_sale_s_tables_have_doubled(one_connection_engine):
    engine = one_connection_engine
    renewal = PlanRenewal(engine)
    assert not renewal.check()  # the first look: the size the plans were made for
    backend, prepared = _prepared_on_the_pooled_connection(engine)
    assert any("FROM orders WHERE order_id" in statement for statement in prepared)

    with engine.begin() as connection:
        insert_sold_orders(connection, 10)  # a page each still: nothing doubled
    assert not renewal.check()
    assert _prepared_on_the_pooled_connection(engine)[0] == backend

    with engine.begin() as connection:
        insert_sold_orders(connection, 2_000, performance_id=OTHER_PERFORMANCE_ID)
    assert renewal.check()
    assert renewal.renewals == 1
    renewed, _ = _prepared_on_the_pooled_connection(engine)
    assert renewed != backend  # a new connection, whose plans are made for the tables now
    assert not renewal.check()  # and not again until they double once more


def test_a_connection_in_use_finishes_its_call_across_a_renewal(one_connection_engine):
    engine = one_connection_engine
    renewal = PlanRenewal(engine)
    renewal.check()
    with engine.begin() as connection:
        insert_sold_orders(connection, 2_000)
    with engine.begin() as busy:
        before = busy.execute(text("SELECT count(*) FROM orders")).scalar_one()
        assert renewal.check()  # the pool is let go while this connection is out
        assert busy.execute(text("SELECT count(*) FROM orders")).scalar_one() == before == 2_000
    with engine.begin() as connection:
        assert connection.execute(text("SELECT count(*) FROM orders")).scalar_one() == 2_000
