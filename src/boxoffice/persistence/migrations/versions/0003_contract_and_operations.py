"""What the second release adds: attachments, external references, the payment workflow's
columns (issue 7), the shared call budget (issue 9) and the channels' hold caps (issue 10).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "file_attachments",
        sa.Column("attachment_id", ID, autoincrement=True, nullable=False),
        sa.Column("file_id", ID, nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("mimetype", sa.String(length=128), nullable=False),
        sa.Column("upload_date", TIMESTAMP, nullable=False),
        sa.Column("contact_reference", sa.String(length=128), nullable=True),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"], ["files.file_id"], name=op.f("fk_file_attachments_file_id_files")
        ),
        sa.PrimaryKeyConstraint("attachment_id", name=op.f("pk_file_attachments")),
    )
    op.create_index(op.f("ix_file_attachments_file_id"), "file_attachments", ["file_id"])
    op.create_table(
        "external_references",
        sa.Column("reference_id", ID, autoincrement=True, nullable=False),
        sa.Column("owner_kind", sa.String(length=8), nullable=False),
        sa.Column("owner_id", ID, nullable=False),
        sa.Column("reference_key", sa.String(length=128), nullable=False),
        sa.Column("reference_value", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("reference_id", name=op.f("pk_external_references")),
        sa.UniqueConstraint(
            "owner_kind", "owner_id", "reference_key", name="uq_external_references_owner_key"
        ),
    )
    with op.batch_alter_table("orders") as batch:
        batch.add_column(sa.Column("origin", sa.String(length=128), nullable=True))
    # Every payment written before the payment workflow existed was taken at once: PAID.
    with op.batch_alter_table("payments") as batch:
        batch.add_column(
            sa.Column("state", sa.String(length=16), nullable=False, server_default="PAID")
        )
    # Existing channels get the catalog format's defaults (domain/catalog.py).
    with op.batch_alter_table("sales_channels") as batch:
        batch.add_column(
            sa.Column("max_held_places", sa.Integer(), nullable=False, server_default="200")
        )
        batch.add_column(
            sa.Column("max_held_units", sa.Integer(), nullable=False, server_default="200")
        )
    op.create_table(
        "call_buckets",
        sa.Column("login", sa.String(length=255), nullable=False),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("updated_at_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("login", name=op.f("pk_call_buckets")),
    )


def downgrade() -> None:
    op.drop_table("call_buckets")
    with op.batch_alter_table("sales_channels") as batch:
        batch.drop_column("max_held_units")
        batch.drop_column("max_held_places")
    with op.batch_alter_table("payments") as batch:
        batch.drop_column("state")
    with op.batch_alter_table("orders") as batch:
        batch.drop_column("origin")
    op.drop_table("external_references")
    op.drop_index(op.f("ix_file_attachments_file_id"), table_name="file_attachments")
    op.drop_table("file_attachments")
