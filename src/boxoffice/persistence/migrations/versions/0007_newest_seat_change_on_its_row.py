"""The newest seat change, kept on its performance's version row too (issue 11).

A sale that waited for a performance's version row lock reads the row as the sale it waited
for committed it, but the seat change log from a snapshot taken before that commit: the
newest change is missing, and it took a second statement, under the lock, to read it. With
the newest change on the row the read that takes the lock brings it along. Existing rows
start without one (NULL) and get it at their next sale; until then the second statement reads
it as before.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

COLUMNS = ("last_version", "last_taken", "last_released")


def upgrade() -> None:
    with op.batch_alter_table("performance_inventory") as table:
        table.add_column(sa.Column("last_version", sa.BigInteger(), nullable=True))
        table.add_column(sa.Column("last_taken", sa.Text(), nullable=True))
        table.add_column(sa.Column("last_released", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("performance_inventory") as table:
        for name in reversed(COLUMNS):
            table.drop_column(name)
