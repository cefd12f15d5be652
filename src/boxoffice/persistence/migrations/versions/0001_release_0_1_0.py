"""The schema release 0.1.0 (commit 07f38f0) created, the base every later migration starts from.

Frozen: written out from that release's table definitions, with its own column types spelled
out here, so that later changes to the tables never change what this step creates. A database
made by 0.1.0 itself (before migrations existed) is recognised and stamped with this revision
instead of running it (persistence/schema.py).

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

# 64-bit ids; SQLite only autoincrements an INTEGER PRIMARY KEY, hence the variant.
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
# Aware datetimes, stored as UTC.
TIMESTAMP = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "audience_sub_categories",
        sa.Column("audience_sub_category_id", ID, autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("audience_category_id", ID, autoincrement=False, nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint(
            "audience_sub_category_id", name=op.f("pk_audience_sub_categories")
        ),
    )
    op.create_table(
        "catalog_meta",
        sa.Column("meta_key", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.CheckConstraint("meta_key = 1", name=op.f("ck_catalog_meta_single_row")),
        sa.PrimaryKeyConstraint("meta_key", name=op.f("pk_catalog_meta")),
    )
    op.create_table(
        "contingents",
        sa.Column("contingent_id", ID, autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("contingent_id", name=op.f("pk_contingents")),
    )
    op.create_table(
        "files",
        sa.Column("file_id", ID, autoincrement=True, nullable=False),
        sa.Column("channel_id", ID, nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("file_id", name=op.f("pk_files")),
    )
    op.create_index(op.f("ix_files_channel_id"), "files", ["channel_id"], unique=False)
    op.create_table(
        "institution",
        sa.Column("institution_key", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("currency_code", sa.String(length=8), nullable=False),
        sa.Column("currency_fraction_digit", sa.Integer(), nullable=False),
        sa.Column("currency_symbol", sa.String(length=8), nullable=False),
        sa.CheckConstraint("institution_key = 1", name=op.f("ck_institution_single_row")),
        sa.PrimaryKeyConstraint("institution_key", name=op.f("pk_institution")),
    )
    op.create_table(
        "items",
        sa.Column("item_id", ID, autoincrement=False, nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("stock", sa.Integer(), nullable=False),
        sa.CheckConstraint("stock >= 0", name=op.f("ck_items_stock")),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_items")),
    )
    op.create_table(
        "login_failures",
        sa.Column("login_key", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_ms", ID, nullable=False),
        sa.Column("locked_until_ms", ID, nullable=True),
        sa.PrimaryKeyConstraint("login_key", name=op.f("pk_login_failures")),
    )
    op.create_table(
        "performance_inventory",
        sa.Column("performance_id", ID, autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("performance_id", name=op.f("pk_performance_inventory")),
    )
    op.create_table(
        "products",
        sa.Column("product_id", ID, autoincrement=False, nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("family", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("product_id", name=op.f("pk_products")),
    )
    op.create_table(
        "sales_channels",
        sa.Column("channel_id", ID, autoincrement=False, nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("order_expiry_delay_seconds", sa.Integer(), nullable=False),
        sa.Column("order_max_lifespan_seconds", sa.Integer(), nullable=False),
        sa.Column("calls_per_minute", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("channel_id", name=op.f("pk_sales_channels")),
        sa.UniqueConstraint("code", name=op.f("uq_sales_channels_code")),
    )
    op.create_table(
        "seat_categories",
        sa.Column("seat_category_id", ID, autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("seat_category_id", name=op.f("pk_seat_categories")),
    )
    op.create_table(
        "stocks",
        sa.Column("stock_key", sa.String(length=64), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("taken", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "taken >= 0 AND taken <= capacity", name=op.f("ck_stocks_taken_within_capacity")
        ),
        sa.PrimaryKeyConstraint("stock_key", name=op.f("pk_stocks")),
    )
    op.create_table(
        "venues",
        sa.Column("venue_id", ID, autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.PrimaryKeyConstraint("venue_id", name=op.f("pk_venues")),
    )
    op.create_table(
        "areas",
        sa.Column("area_id", ID, autoincrement=False, nullable=False),
        sa.Column("venue_id", ID, autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("numbered", sa.Boolean(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("seat_category_id", ID, autoincrement=False, nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["seat_category_id"],
            ["seat_categories.seat_category_id"],
            name=op.f("fk_areas_seat_category_id_seat_categories"),
        ),
        sa.ForeignKeyConstraint(
            ["venue_id"], ["venues.venue_id"], name=op.f("fk_areas_venue_id_venues")
        ),
        sa.PrimaryKeyConstraint("area_id", name=op.f("pk_areas")),
    )
    op.create_index(op.f("ix_areas_venue_id"), "areas", ["venue_id"], unique=False)
    op.create_table(
        "channel_contingents",
        sa.Column("channel_id", ID, autoincrement=False, nullable=False),
        sa.Column("contingent_id", ID, autoincrement=False, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["sales_channels.channel_id"],
            name=op.f("fk_channel_contingents_channel_id_sales_channels"),
        ),
        sa.ForeignKeyConstraint(
            ["contingent_id"],
            ["contingents.contingent_id"],
            name=op.f("fk_channel_contingents_contingent_id_contingents"),
        ),
        sa.PrimaryKeyConstraint("channel_id", "contingent_id", name=op.f("pk_channel_contingents")),
    )
    op.create_table(
        "charges",
        sa.Column("charge_id", ID, autoincrement=False, nullable=False),
        sa.Column("channel_id", ID, autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("per", sa.String(length=16), nullable=False),
        sa.Column("amount", ID, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.CheckConstraint("per IN ('TICKET', 'ORDER')", name=op.f("ck_charges_per")),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_charges_amount")),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["sales_channels.channel_id"],
            name=op.f("fk_charges_channel_id_sales_channels"),
        ),
        sa.PrimaryKeyConstraint("charge_id", name=op.f("pk_charges")),
    )
    op.create_index(op.f("ix_charges_channel_id"), "charges", ["channel_id"], unique=False)
    op.create_table(
        "file_contacts",
        sa.Column("contact_id", ID, autoincrement=True, nullable=False),
        sa.Column("file_id", ID, nullable=False),
        sa.Column("contact_reference", sa.String(length=128), nullable=False),
        sa.Column("first_name", sa.String(length=200), nullable=True),
        sa.Column("last_name", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.ForeignKeyConstraint(
            ["file_id"], ["files.file_id"], name=op.f("fk_file_contacts_file_id_files")
        ),
        sa.PrimaryKeyConstraint("contact_id", name=op.f("pk_file_contacts")),
        sa.UniqueConstraint("file_id", "contact_reference", name=op.f("uq_file_contacts_file_id")),
    )
    op.create_table(
        "item_prices",
        sa.Column("item_id", ID, autoincrement=False, nullable=False),
        sa.Column("audience_sub_category_id", ID, autoincrement=False, nullable=False),
        sa.Column("amount", ID, nullable=False),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_item_prices_amount")),
        sa.ForeignKeyConstraint(
            ["audience_sub_category_id"],
            ["audience_sub_categories.audience_sub_category_id"],
            name=op.f("fk_item_prices_audience_sub_category_id_audience_sub_categories"),
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["items.item_id"], name=op.f("fk_item_prices_item_id_items")
        ),
        sa.PrimaryKeyConstraint("item_id", "audience_sub_category_id", name=op.f("pk_item_prices")),
    )
    op.create_table(
        "operators",
        sa.Column("login", sa.String(length=255), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("channel_id", ID, autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["sales_channels.channel_id"],
            name=op.f("fk_operators_channel_id_sales_channels"),
        ),
        sa.PrimaryKeyConstraint("login", name=op.f("pk_operators")),
    )
    op.create_index(op.f("ix_operators_channel_id"), "operators", ["channel_id"], unique=False)
    op.create_table(
        "orders",
        sa.Column("order_id", ID, autoincrement=True, nullable=False),
        sa.Column("file_id", ID, nullable=False),
        sa.Column("channel_id", ID, nullable=False),
        sa.Column("point_of_sales_id", ID, nullable=False),
        sa.Column("order_type", sa.String(length=16), nullable=False),
        sa.Column("secret_id", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("updated_at", TIMESTAMP, nullable=False),
        sa.Column("closed_at", TIMESTAMP, nullable=True),
        sa.Column("expires_at", TIMESTAMP, nullable=False),
        sa.Column("contact_reference", sa.String(length=128), nullable=True),
        sa.Column("external_reference", sa.String(length=128), nullable=True),
        sa.Column("paid_amount", sa.BigInteger(), nullable=False),
        sa.Column("payment_state", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"], ["files.file_id"], name=op.f("fk_orders_file_id_files")
        ),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_orders")),
        sa.UniqueConstraint("secret_id", name=op.f("uq_orders_secret_id")),
    )
    op.create_index(op.f("ix_orders_file_id"), "orders", ["file_id"], unique=False)
    op.create_index("ix_orders_state_expires_at", "orders", ["state", "expires_at"], unique=False)
    op.create_table(
        "performances",
        sa.Column("performance_id", ID, autoincrement=False, nullable=False),
        sa.Column("product_id", ID, autoincrement=False, nullable=False),
        sa.Column("venue_id", ID, autoincrement=False, nullable=False),
        sa.Column("start", TIMESTAMP, nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.product_id"],
            name=op.f("fk_performances_product_id_products"),
        ),
        sa.ForeignKeyConstraint(
            ["venue_id"], ["venues.venue_id"], name=op.f("fk_performances_venue_id_venues")
        ),
        sa.PrimaryKeyConstraint("performance_id", name=op.f("pk_performances")),
    )
    op.create_index(
        op.f("ix_performances_product_id"), "performances", ["product_id"], unique=False
    )
    op.create_table(
        "points_of_sales",
        sa.Column("point_of_sales_id", ID, autoincrement=False, nullable=False),
        sa.Column("channel_id", ID, autoincrement=False, nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["channel_id"],
            ["sales_channels.channel_id"],
            name=op.f("fk_points_of_sales_channel_id_sales_channels"),
        ),
        sa.PrimaryKeyConstraint("point_of_sales_id", name=op.f("pk_points_of_sales")),
    )
    op.create_index(
        op.f("ix_points_of_sales_channel_id"), "points_of_sales", ["channel_id"], unique=False
    )
    op.create_table(
        "blocks",
        sa.Column("block_id", ID, autoincrement=False, nullable=False),
        sa.Column("area_id", ID, autoincrement=False, nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("seat_category_id", ID, autoincrement=False, nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.area_id"], name=op.f("fk_blocks_area_id_areas")
        ),
        sa.ForeignKeyConstraint(
            ["seat_category_id"],
            ["seat_categories.seat_category_id"],
            name=op.f("fk_blocks_seat_category_id_seat_categories"),
        ),
        sa.PrimaryKeyConstraint("block_id", name=op.f("pk_blocks")),
    )
    op.create_index(op.f("ix_blocks_area_id"), "blocks", ["area_id"], unique=False)
    op.create_table(
        "contingent_pools",
        sa.Column("performance_id", ID, autoincrement=False, nullable=False),
        sa.Column("contingent_id", ID, autoincrement=False, nullable=False),
        sa.Column("area_id", ID, autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.area_id"], name=op.f("fk_contingent_pools_area_id_areas")
        ),
        sa.ForeignKeyConstraint(
            ["contingent_id"],
            ["contingents.contingent_id"],
            name=op.f("fk_contingent_pools_contingent_id_contingents"),
        ),
        sa.ForeignKeyConstraint(
            ["performance_id"],
            ["performances.performance_id"],
            name=op.f("fk_contingent_pools_performance_id_performances"),
        ),
        sa.PrimaryKeyConstraint(
            "performance_id", "contingent_id", "area_id", name=op.f("pk_contingent_pools")
        ),
    )
    op.create_table(
        "operations",
        sa.Column("operation_id", ID, autoincrement=True, nullable=False),
        sa.Column("order_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("product_id", ID, nullable=True),
        sa.Column("product_code", sa.String(length=128), nullable=True),
        sa.Column("performance_id", ID, nullable=True),
        sa.Column("seat_category_id", ID, nullable=True),
        sa.Column("audience_sub_category_id", ID, nullable=True),
        sa.Column("area_id", ID, nullable=True),
        sa.Column("item_id", ID, nullable=True),
        sa.Column("contingent_id", ID, nullable=True),
        sa.Column("charge_id", ID, nullable=True),
        sa.Column("linked_operation_id", ID, nullable=True),
        sa.Column("unit_price", sa.BigInteger(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["linked_operation_id"],
            ["operations.operation_id"],
            name=op.f("fk_operations_linked_operation_id_operations"),
        ),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.order_id"], name=op.f("fk_operations_order_id_orders")
        ),
        sa.PrimaryKeyConstraint("operation_id", name=op.f("pk_operations")),
    )
    op.create_index(op.f("ix_operations_order_id"), "operations", ["order_id"], unique=False)
    op.create_table(
        "payments",
        sa.Column("payment_id", ID, autoincrement=True, nullable=False),
        sa.Column("order_id", ID, nullable=False),
        sa.Column("payment_method_id", ID, nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payments_amount_positive")),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.order_id"], name=op.f("fk_payments_order_id_orders")
        ),
        sa.PrimaryKeyConstraint("payment_id", name=op.f("pk_payments")),
    )
    op.create_index(op.f("ix_payments_order_id"), "payments", ["order_id"], unique=False)
    op.create_table(
        "prices",
        sa.Column("performance_id", ID, autoincrement=False, nullable=False),
        sa.Column("seat_category_id", ID, autoincrement=False, nullable=False),
        sa.Column("audience_sub_category_id", ID, autoincrement=False, nullable=False),
        sa.Column("amount", ID, nullable=False),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_prices_amount")),
        sa.ForeignKeyConstraint(
            ["audience_sub_category_id"],
            ["audience_sub_categories.audience_sub_category_id"],
            name=op.f("fk_prices_audience_sub_category_id_audience_sub_categories"),
        ),
        sa.ForeignKeyConstraint(
            ["performance_id"],
            ["performances.performance_id"],
            name=op.f("fk_prices_performance_id_performances"),
        ),
        sa.ForeignKeyConstraint(
            ["seat_category_id"],
            ["seat_categories.seat_category_id"],
            name=op.f("fk_prices_seat_category_id_seat_categories"),
        ),
        sa.PrimaryKeyConstraint(
            "performance_id", "seat_category_id", "audience_sub_category_id", name=op.f("pk_prices")
        ),
    )
    op.create_table(
        "movements",
        sa.Column("movement_id", ID, autoincrement=True, nullable=False),
        sa.Column("operation_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("performance_id", ID, nullable=True),
        sa.Column("seat_id", ID, nullable=True),
        sa.Column("area_id", ID, nullable=True),
        sa.Column("block_id", ID, nullable=True),
        sa.Column("row_number", sa.String(length=32), nullable=True),
        sa.Column("seat_number", sa.String(length=32), nullable=True),
        sa.Column("seat_category_id", ID, nullable=True),
        sa.Column("item_id", ID, nullable=True),
        sa.Column("contingent_id", ID, nullable=True),
        sa.Column("price", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("barcode", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["operation_id"],
            ["operations.operation_id"],
            name=op.f("fk_movements_operation_id_operations"),
        ),
        sa.PrimaryKeyConstraint("movement_id", name=op.f("pk_movements")),
        sa.UniqueConstraint("barcode", name=op.f("uq_movements_barcode")),
    )
    op.create_index(op.f("ix_movements_operation_id"), "movements", ["operation_id"], unique=False)
    op.create_index(
        "ix_movements_performance_id_area_id",
        "movements",
        ["performance_id", "area_id"],
        unique=False,
    )
    op.create_index(
        "uq_movements_live_seat",
        "movements",
        ["performance_id", "seat_id"],
        unique=True,
        sqlite_where=sa.text("state <> 'RELEASED'"),
        postgresql_where=sa.text("state <> 'RELEASED'"),
    )
    op.create_table(
        "seats",
        sa.Column("seat_id", ID, autoincrement=False, nullable=False),
        sa.Column("venue_id", ID, autoincrement=False, nullable=False),
        sa.Column("area_id", ID, autoincrement=False, nullable=False),
        sa.Column("block_id", ID, autoincrement=False, nullable=False),
        sa.Column("seat_category_id", ID, autoincrement=False, nullable=False),
        sa.Column("row_number", sa.String(length=32), nullable=False),
        sa.Column("seat_number", sa.String(length=32), nullable=False),
        sa.Column("row_rank", sa.Integer(), nullable=False),
        sa.Column("position_in_row", sa.Integer(), nullable=False),
        sa.Column("quality_order", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["area_id"], ["areas.area_id"], name=op.f("fk_seats_area_id_areas")
        ),
        sa.ForeignKeyConstraint(
            ["block_id"], ["blocks.block_id"], name=op.f("fk_seats_block_id_blocks")
        ),
        sa.ForeignKeyConstraint(
            ["seat_category_id"],
            ["seat_categories.seat_category_id"],
            name=op.f("fk_seats_seat_category_id_seat_categories"),
        ),
        sa.ForeignKeyConstraint(
            ["venue_id"], ["venues.venue_id"], name=op.f("fk_seats_venue_id_venues")
        ),
        sa.PrimaryKeyConstraint("seat_id", name=op.f("pk_seats")),
    )
    op.create_index(op.f("ix_seats_area_id"), "seats", ["area_id"], unique=False)
    op.create_index(op.f("ix_seats_block_id"), "seats", ["block_id"], unique=False)
    op.create_index("ix_seats_venue_quality", "seats", ["venue_id", "quality_order"], unique=False)


def downgrade() -> None:
    op.drop_table("seats")
    op.drop_table("movements")
    op.drop_table("prices")
    op.drop_table("payments")
    op.drop_table("operations")
    op.drop_table("contingent_pools")
    op.drop_table("blocks")
    op.drop_table("points_of_sales")
    op.drop_table("performances")
    op.drop_table("orders")
    op.drop_table("operators")
    op.drop_table("item_prices")
    op.drop_table("file_contacts")
    op.drop_table("charges")
    op.drop_table("channel_contingents")
    op.drop_table("areas")
    op.drop_table("venues")
    op.drop_table("stocks")
    op.drop_table("seat_categories")
    op.drop_table("sales_channels")
    op.drop_table("products")
    op.drop_table("performance_inventory")
    op.drop_table("login_failures")
    op.drop_table("items")
    op.drop_table("institution")
    op.drop_table("files")
    op.drop_table("contingents")
    op.drop_table("catalog_meta")
    op.drop_table("audience_sub_categories")
