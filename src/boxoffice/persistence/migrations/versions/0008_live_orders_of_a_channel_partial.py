"""The channel's live orders in a partial index, in place of (channel_id, state) (issue 11).

Every sale counts what its channel's live orders hold (the hold caps); migration 0006 gave
that count the index `orders(channel_id, state)`. While PostgreSQL's statistics still
describe the table as the catalog load left it (empty: until autovacuum's next analyze, or
for good on a server running without autovacuum), the planner estimates one order a channel.
It then reads the channel's orders through that index and filters their state, and it even
chose that index over the primary key to read one order by its id and channel (closeOrder,
getOrderDetails): every such call read every order the channel ever made, so an on-sale got
slower with each sale. An index holding only the live orders of each channel serves the
count whatever the statistics say, and cannot be taken for a read by id.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# As the statements that use the index say it, values as literals (tables.py).
_LIVE = "state IN ('RUNNING', 'VALIDATED')"


def upgrade() -> None:
    op.drop_index("ix_orders_channel_id_state", table_name="orders")
    op.create_index(
        "ix_orders_live_of_channel",
        "orders",
        ["channel_id"],
        postgresql_where=sa.text(_LIVE),
        sqlite_where=sa.text(_LIVE),
    )


def downgrade() -> None:
    op.drop_index("ix_orders_live_of_channel", table_name="orders")
    op.create_index("ix_orders_channel_id_state", "orders", ["channel_id", "state"])
