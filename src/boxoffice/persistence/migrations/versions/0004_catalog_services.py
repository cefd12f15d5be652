"""What the sibling services add (issue 8): seasons and the products' season, the channels'
payment methods, and the institution's time zone (getCatalogDetailed, getPOSConfig).

Every new column is optional: a catalog loaded before keeps working (its products are in the
default season, its institution in the default time zone) until the next `catalog load`.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "seasons",
        sa.Column("season_id", ID, autoincrement=False, nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("season_id", name=op.f("pk_seasons")),
    )
    op.create_table(
        "payment_methods",
        sa.Column("channel_id", ID, autoincrement=False, nullable=False),
        sa.Column("payment_method_id", ID, autoincrement=False, nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["sales_channels.channel_id"],
            name=op.f("fk_payment_methods_channel_id_sales_channels"),
        ),
        sa.PrimaryKeyConstraint("channel_id", "payment_method_id", name=op.f("pk_payment_methods")),
    )
    # SQLite adds a foreign key only by rebuilding the table: batch mode does that.
    with op.batch_alter_table("products") as batch:
        batch.add_column(sa.Column("season_id", ID, autoincrement=False, nullable=True))
        batch.create_foreign_key(
            op.f("fk_products_season_id_seasons"), "seasons", ["season_id"], ["season_id"]
        )
        batch.create_index(op.f("ix_products_season_id"), ["season_id"])
    with op.batch_alter_table("institution") as batch:
        batch.add_column(sa.Column("time_zone", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("institution") as batch:
        batch.drop_column("time_zone")
    with op.batch_alter_table("products") as batch:
        batch.drop_index(op.f("ix_products_season_id"))
        batch.drop_constraint(op.f("fk_products_season_id_seasons"), type_="foreignkey")
        batch.drop_column("season_id")
    op.drop_table("payment_methods")
    op.drop_table("seasons")
