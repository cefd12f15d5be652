"""The console's call log and sessions in the database, shared by every server process."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, func, insert, select

from boxoffice.console.ports import CallFilter, ConsoleSession, StoredCall
from boxoffice.persistence.console_tables import call_log, console_sessions

# Every field but the id, which the database gives.
_APPENDED = tuple(field.name for field in fields(StoredCall) if field.name != "call_id")


class SqlCallLog:
    """Appends batches of calls, prunes by count and age, reads one channel's calls."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def append(self, calls: Sequence[StoredCall]) -> None:
        if not calls:
            return
        # A shallow copy of each call's fields (asdict would deep-copy both bodies).
        rows = [{name: getattr(call, name) for name in _APPENDED} for call in calls]
        with self._engine.begin() as connection:
            connection.execute(insert(call_log), rows)

    def prune(self, now: datetime, max_calls: int, max_age_seconds: float) -> int:
        """Deletes calls older than the age limit, then all but the newest `max_calls`."""
        with self._engine.begin() as connection:
            removed = connection.execute(
                delete(call_log).where(
                    call_log.c.started_at < now - timedelta(seconds=max_age_seconds)
                )
            ).rowcount
            newest = connection.execute(select(func.max(call_log.c.call_id))).scalar()
            if newest is not None:
                # Ids only grow, so the newest N are a range; gaps only make it keep fewer.
                removed += connection.execute(
                    delete(call_log).where(call_log.c.call_id <= newest - max_calls)
                ).rowcount
        return int(removed or 0)

    def recent(self, channel_id: int | None, wanted: CallFilter) -> list[StoredCall]:
        query = select(call_log).order_by(call_log.c.call_id.desc()).limit(wanted.limit)
        if channel_id is not None:
            query = query.where(call_log.c.channel_id == channel_id)
        if wanted.operation:
            query = query.where(call_log.c.operation == wanted.operation)
        if wanted.outcome:
            # A prefix: "error." finds every business refusal, "Client" every client fault.
            query = query.where(call_log.c.outcome.startswith(wanted.outcome, autoescape=True))
        if wanted.order_id is not None:
            query = query.where(call_log.c.order_id == wanted.order_id)
        if wanted.before_call_id is not None:
            query = query.where(call_log.c.call_id < wanted.before_call_id)
        with self._engine.connect() as connection:
            return [StoredCall(**row._asdict()) for row in connection.execute(query)]

    def call(self, call_id: int, channel_id: int | None) -> StoredCall | None:
        query = select(call_log).where(call_log.c.call_id == call_id)
        if channel_id is not None:
            query = query.where(call_log.c.channel_id == channel_id)
        with self._engine.connect() as connection:
            row = connection.execute(query).first()
        return StoredCall(**row._asdict()) if row else None

    def operations(self, channel_id: int | None) -> list[str]:
        query = select(call_log.c.operation).distinct().order_by(call_log.c.operation)
        if channel_id is not None:
            query = query.where(call_log.c.channel_id == channel_id)
        with self._engine.connect() as connection:
            return [name for (name,) in connection.execute(query) if name]


# Open sessions kept per login: a script logging in over and over cannot grow the table.
MAX_SESSIONS_PER_LOGIN = 20


class SqlSessionStore:
    """Console sessions by the SHA-256 of their cookie token; expired ones are removed."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def open(self, token_hash: str, session: ConsoleSession, now: datetime) -> None:
        with self._engine.begin() as connection:
            # Logins are rare: the moment to forget sessions nobody closed.
            connection.execute(delete(console_sessions).where(console_sessions.c.expires_at <= now))
            connection.execute(
                insert(console_sessions).values(
                    token_hash=token_hash,
                    login=session.login,
                    channel_id=session.channel_id,
                    administrator=session.administrator,
                    csrf_token=session.csrf_token,
                    created_at=now,
                    expires_at=session.expires_at,
                )
            )
            surplus = [
                token
                for (token,) in connection.execute(
                    select(console_sessions.c.token_hash)
                    .where(console_sessions.c.login == session.login)
                    .order_by(console_sessions.c.created_at.desc(), console_sessions.c.token_hash)
                    .offset(MAX_SESSIONS_PER_LOGIN)
                )
            ]
            if surplus:
                connection.execute(
                    delete(console_sessions).where(console_sessions.c.token_hash.in_(surplus))
                )

    def find(self, token_hash: str, now: datetime) -> ConsoleSession | None:
        with self._engine.connect() as connection:
            row = connection.execute(
                select(console_sessions).where(
                    console_sessions.c.token_hash == token_hash, console_sessions.c.expires_at > now
                )
            ).first()
        if row is None:
            return None
        return ConsoleSession(
            row.login, row.channel_id, row.administrator, row.csrf_token, row.expires_at
        )

    def close(self, token_hash: str, now: datetime) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                delete(console_sessions).where(console_sessions.c.token_hash == token_hash)
            )
