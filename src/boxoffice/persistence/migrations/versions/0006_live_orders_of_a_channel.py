"""The index a sale counts its channel's live holds by (issue 11).

Every sale counts, under its performance's locks, the places its channel's unclosed orders
hold (the hold caps). Without an index on the channel, SQLite read every order ever made to
find them, and PostgreSQL every unclosed order of every channel (or, before its statistics
knew the table had grown, every order): at an on-sale with thousands of carts open, a cost
that every other sale of the performance waited for. With it the count reads only the
channel's unclosed orders.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_orders_channel_id_state", "orders", ["channel_id", "state"])


def downgrade() -> None:
    op.drop_index("ix_orders_channel_id_state", table_name="orders")
