"""What an operator's monitoring reads from the database: readiness and the live figures.

Each figure is one indexed or grouped query, run when /metrics is scraped (and cached briefly
by the caller), never on the path of a call.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select

from boxoffice.domain.states import MovementState, OrderState
from boxoffice.persistence.catalog_tables import login_failures
from boxoffice.persistence.tables import movements, orders

# Orders the expiry sweep still has to end once their deadline passes.
LIVE_ORDER_STATES = (OrderState.RUNNING, OrderState.VALIDATED)


@dataclass(frozen=True)
class Figures:
    """The database's state as monitoring sees it at one moment."""

    orders_by_state: dict[str, int]
    # (performance_id, "held" | "sold") -> places
    places: dict[tuple[int, str], int]
    # How long the oldest live order past its deadline has waited for the sweep; 0 if none.
    sweep_lag_seconds: float
    locked_logins: int


def schema_is_current(engine: Engine) -> bool:
    """Whether the database is at the migration head this release expects (the readiness hook)."""
    from boxoffice.persistence.schema import SchemaState, schema_status

    with engine.connect() as connection:
        return schema_status(connection).state is SchemaState.CURRENT


def read_figures(engine: Engine, now: datetime) -> Figures:
    with engine.connect() as connection:
        states = connection.execute(
            select(orders.c.state, func.count()).group_by(orders.c.state)
        ).all()
        places = connection.execute(
            select(movements.c.performance_id, movements.c.state, func.count())
            .where(
                movements.c.state.in_([MovementState.RESERVED, MovementState.SOLD]),
                movements.c.performance_id.is_not(None),
            )
            .group_by(movements.c.performance_id, movements.c.state)
        ).all()
        oldest_due = connection.execute(
            select(func.min(orders.c.expires_at)).where(
                orders.c.state.in_(LIVE_ORDER_STATES), orders.c.expires_at < now
            )
        ).scalar()
        locked = connection.execute(
            select(func.count())
            .select_from(login_failures)
            .where(login_failures.c.locked_until_ms > int(now.timestamp() * 1000))
        ).scalar()
    by_state = {state.value: 0 for state in OrderState}
    by_state.update({_value(state): count for state, count in states})
    kinds = {MovementState.RESERVED.value: "held", MovementState.SOLD.value: "sold"}
    return Figures(
        orders_by_state=by_state,
        places={
            (int(performance), kinds[_value(state)]): count for performance, state, count in places
        },
        sweep_lag_seconds=0.0
        if oldest_due is None
        else max(0.0, (now - oldest_due).total_seconds()),
        locked_logins=int(locked or 0),
    )


def _value(state: object) -> str:
    return str(getattr(state, "value", state))
