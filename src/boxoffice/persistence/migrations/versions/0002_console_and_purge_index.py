"""What main added after 0.1.0: the console's tables (issue 12), operators.administrator, and
the index the purge reads ended orders by.

A database created by a build between 0.1.0 and this migration already has some of these
(create_all made them); such a database is stamped 0001 and this step adds only what is missing.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.sql import expression

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)


def _tables() -> set[str]:
    return set(sa.inspect(op.get_bind()).get_table_names())


def _columns(table: str) -> set[str]:
    return {column["name"] for column in sa.inspect(op.get_bind()).get_columns(table)}


def _indexes(table: str) -> set[str | None]:
    return {index["name"] for index in sa.inspect(op.get_bind()).get_indexes(table)}


def upgrade() -> None:
    tables = _tables()
    if "call_log" not in tables:
        op.create_table(
            "call_log",
            sa.Column("call_id", ID, autoincrement=True, nullable=False),
            sa.Column("channel_id", ID, nullable=True),
            sa.Column("login", sa.String(length=255), nullable=True),
            sa.Column("protocol", sa.String(length=8), nullable=False),
            sa.Column("service", sa.String(length=100), nullable=False),
            sa.Column("operation", sa.String(length=100), nullable=False),
            sa.Column("outcome", sa.String(length=100), nullable=False),
            sa.Column("http_status", sa.Integer(), nullable=False),
            sa.Column("started_at", TIMESTAMP, nullable=False),
            sa.Column("duration_seconds", sa.Float(), nullable=False),
            sa.Column("order_id", ID, nullable=True),
            sa.Column("request_body", sa.Text(), nullable=False),
            sa.Column("response_body", sa.Text(), nullable=False),
            sa.PrimaryKeyConstraint("call_id", name=op.f("pk_call_log")),
        )
        op.create_index("ix_call_log_channel_call", "call_log", ["channel_id", "call_id"])
        op.create_index("ix_call_log_started_at", "call_log", ["started_at"])
    if "console_sessions" not in tables:
        op.create_table(
            "console_sessions",
            sa.Column("token_hash", sa.String(length=64), nullable=False),
            sa.Column("login", sa.String(length=255), nullable=False),
            sa.Column("channel_id", ID, nullable=False),
            sa.Column("administrator", sa.Boolean(), nullable=False),
            sa.Column("csrf_token", sa.String(length=64), nullable=False),
            sa.Column("created_at", TIMESTAMP, nullable=False),
            sa.Column("expires_at", TIMESTAMP, nullable=False),
            sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_console_sessions")),
        )
        op.create_index(op.f("ix_console_sessions_expires_at"), "console_sessions", ["expires_at"])
    if "order_state_history" not in tables:
        op.create_table(
            "order_state_history",
            sa.Column("entry_id", ID, autoincrement=True, nullable=False),
            sa.Column("order_id", ID, nullable=False),
            sa.Column("state", sa.String(length=16), nullable=False),
            sa.Column("changed_at", TIMESTAMP, nullable=False),
            sa.PrimaryKeyConstraint("entry_id", name=op.f("pk_order_state_history")),
        )
        op.create_index(
            op.f("ix_order_state_history_order_id"), "order_state_history", ["order_id"]
        )
    if "administrator" not in _columns("operators"):
        # Every existing operator stays what it was: no administrator.
        op.add_column(
            "operators",
            sa.Column(
                "administrator", sa.Boolean(), nullable=False, server_default=expression.false()
            ),
        )
    if "ix_orders_state_updated_at" not in _indexes("orders"):
        op.create_index("ix_orders_state_updated_at", "orders", ["state", "updated_at"])


def downgrade() -> None:
    op.drop_index("ix_orders_state_updated_at", table_name="orders")
    with op.batch_alter_table("operators") as batch:
        batch.drop_column("administrator")
    op.drop_table("order_state_history")
    op.drop_table("console_sessions")
    op.drop_table("call_log")
