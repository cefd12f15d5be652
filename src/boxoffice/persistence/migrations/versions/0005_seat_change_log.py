"""The seat change log (issue 11): the seats each committed transaction took and released, at
the inventory version it made, so that a process catches up with other processes' sales by
applying what changed since its map's version instead of rebuilding the map.

Existing performances start with an empty log: a process whose map is older than what the log
reaches back to rebuilds it once, as at its first use.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "seat_changes",
        sa.Column("performance_id", ID, autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("taken", sa.Text(), nullable=False),
        sa.Column("released", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("performance_id", "version", name=op.f("pk_seat_changes")),
    )


def downgrade() -> None:
    op.drop_table("seat_changes")
