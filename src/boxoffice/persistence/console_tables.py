"""The console's tables: the call log, console sessions, and each order's state history."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, Index, Integer, String, Table, Text

from boxoffice.persistence.metadata import Id, UtcDateTime, metadata

# Recent API calls, redacted (not indented) before they are written; pruned by count and
# age (docs/design.md, "Console"). Ids only grow, so "the newest N" is a range of call_id.
call_log = Table(
    "call_log",
    metadata,
    Column("call_id", Id, primary_key=True, autoincrement=True),
    Column("channel_id", Id),  # None: the caller was never authenticated
    Column("login", String(255)),
    Column("protocol", String(8), nullable=False),
    Column("service", String(100), nullable=False),
    Column("operation", String(100), nullable=False),
    Column("outcome", String(100), nullable=False),
    Column("http_status", Integer, nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("duration_seconds", Float, nullable=False),
    # The first orderId the request or the answer names, for the console's filter.
    Column("order_id", Id),
    Column("request_body", Text, nullable=False),
    Column("response_body", Text, nullable=False),
    Index("ix_call_log_channel_call", "channel_id", "call_id"),
    Index("ix_call_log_started_at", "started_at"),
)

# A console login: the cookie carries a random token; only its SHA-256 is stored, so that a
# copy of the database opens no session. Every worker reads the same table.
console_sessions = Table(
    "console_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("login", String(255), nullable=False),
    Column("channel_id", Id, nullable=False),
    Column("administrator", Boolean, nullable=False),
    # Sent back by every form that changes something (logout): the CSRF guard.
    Column("csrf_token", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False, index=True),
)

# One row per state an order entered, written by the unit of work's flush (state_history.py).
order_state_history = Table(
    "order_state_history",
    metadata,
    Column("entry_id", Id, primary_key=True, autoincrement=True),
    Column("order_id", Id, nullable=False, index=True),
    Column("state", String(16), nullable=False),
    Column("changed_at", UtcDateTime, nullable=False),
)
