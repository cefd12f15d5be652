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


def _columns() -> list[sa.Column[object]]:
    return [
        sa.Column("last_version", sa.BigInteger(), nullable=True),
        sa.Column("last_taken", sa.Text(), nullable=True),
        sa.Column("last_released", sa.Text(), nullable=True),
    ]


def upgrade() -> None:
    with op.batch_alter_table("performance_inventory") as table:
        for column in _columns():
            table.add_column(column)


def downgrade() -> None:
    with op.batch_alter_table("performance_inventory") as table:
        for column in reversed(_columns()):
            table.drop_column(column.name)
