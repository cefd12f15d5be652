"""Catalog tables on the shared metadata; every id is the one the catalog file gives."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
)
from sqlalchemy.sql import expression

from boxoffice.domain.catalog import DEFAULT_MAX_HELD_PLACES, DEFAULT_MAX_HELD_UNITS
from boxoffice.persistence.metadata import Id, UtcDateTime, metadata


def _id(name: str, *args: object, **kwargs: object) -> Column[int]:
    # Ids come from the file, so the database must never invent one.
    return Column(name, Id, *args, autoincrement=False, **kwargs)  # type: ignore[arg-type]


institution = Table(
    "institution",
    metadata,
    # One row only: the key is a constant so that a second row cannot exist.
    Column("institution_key", Integer, primary_key=True, autoincrement=False),
    Column("code", String(64), nullable=False),
    Column("name", String(255), nullable=False),
    Column("currency_code", String(8), nullable=False),
    Column("currency_fraction_digit", Integer, nullable=False),
    Column("currency_symbol", String(8), nullable=False),
    # Optional (catalog key timeZone); absent: domain.catalog.DEFAULT_TIME_ZONE.
    Column("time_zone", String(64)),
    CheckConstraint("institution_key = 1", name="single_row"),
)

seasons = Table(
    "seasons",
    metadata,
    _id("season_id", primary_key=True),
    Column("code", String(64), nullable=False),
    Column("name", String(255), nullable=False),
)

catalog_meta = Table(
    "catalog_meta",
    metadata,
    Column("meta_key", Integer, primary_key=True, autoincrement=False),
    # Bumped by every load that changed something: the key of every catalog cache.
    Column("version", Integer, nullable=False),
    CheckConstraint("meta_key = 1", name="single_row"),
)

contingents = Table(
    "contingents",
    metadata,
    _id("contingent_id", primary_key=True),
    Column("name", String(255), nullable=False),
)

sales_channels = Table(
    "sales_channels",
    metadata,
    _id("channel_id", primary_key=True),
    Column("code", String(64), nullable=False, unique=True),
    Column("name", String(255), nullable=False),
    Column("order_expiry_delay_seconds", Integer, nullable=False),
    Column("order_max_lifespan_seconds", Integer, nullable=False),
    # Optional (catalog key callsPerMinute): calls per minute allowed to each operator.
    Column("calls_per_minute", Integer),
    # Catalog keys maxHeldPlacesPerPerformance, maxHeldUnitsPerItem: what the channel's unclosed
    # orders may hold at once (service/hold_caps.py).
    Column(
        "max_held_places",
        Integer,
        nullable=False,
        default=DEFAULT_MAX_HELD_PLACES,
        server_default=str(DEFAULT_MAX_HELD_PLACES),
    ),
    Column(
        "max_held_units",
        Integer,
        nullable=False,
        default=DEFAULT_MAX_HELD_UNITS,
        server_default=str(DEFAULT_MAX_HELD_UNITS),
    ),
)

channel_contingents = Table(
    "channel_contingents",
    metadata,
    _id("channel_id", ForeignKey("sales_channels.channel_id"), primary_key=True),
    _id("contingent_id", ForeignKey("contingents.contingent_id"), primary_key=True),
    # File order matters: the first contingent is the channel's default.
    Column("position", Integer, nullable=False),
)

points_of_sales = Table(
    "points_of_sales",
    metadata,
    _id("point_of_sales_id", primary_key=True),
    _id("channel_id", ForeignKey("sales_channels.channel_id"), nullable=False, index=True),
    Column("code", String(64), nullable=False),
    Column("position", Integer, nullable=False),
)

operators = Table(
    "operators",
    metadata,
    Column("login", String(255), primary_key=True),
    Column("password_hash", String(255), nullable=False),
    _id("channel_id", ForeignKey("sales_channels.channel_id"), nullable=False, index=True),
    # Optional (catalog key administrator): the console shows this login every channel.
    Column(
        "administrator", Boolean, nullable=False, default=False, server_default=expression.false()
    ),
)

charges = Table(
    "charges",
    metadata,
    _id("charge_id", primary_key=True),
    _id("channel_id", ForeignKey("sales_channels.channel_id"), nullable=False, index=True),
    Column("name", String(255), nullable=False),
    Column("per", String(16), nullable=False),
    Column("amount", Id, nullable=False),
    Column("position", Integer, nullable=False),
    CheckConstraint("per IN ('TICKET', 'ORDER')", name="per"),
    CheckConstraint("amount >= 0", name="amount"),
)

payment_methods = Table(
    "payment_methods",
    metadata,
    _id("channel_id", ForeignKey("sales_channels.channel_id"), primary_key=True),
    _id("payment_method_id", primary_key=True),
    Column("code", String(64), nullable=False),
    Column("name", String(255), nullable=False),
    Column("position", Integer, nullable=False),
)

seat_categories = Table(
    "seat_categories",
    metadata,
    _id("seat_category_id", primary_key=True),
    Column("name", String(255), nullable=False),
)

audience_sub_categories = Table(
    "audience_sub_categories",
    metadata,
    _id("audience_sub_category_id", primary_key=True),
    Column("name", String(255), nullable=False),
    _id("audience_category_id", nullable=False),
    Column("kind", String(32), nullable=False),
)

venues = Table(
    "venues",
    metadata,
    _id("venue_id", primary_key=True),
    Column("name", String(255), nullable=False),
)

areas = Table(
    "areas",
    metadata,
    _id("area_id", primary_key=True),
    _id("venue_id", ForeignKey("venues.venue_id"), nullable=False, index=True),
    Column("name", String(255), nullable=False),
    Column("numbered", Boolean, nullable=False),
    # Standing areas only; a numbered area's places are its seats.
    Column("capacity", Integer),
    _id("seat_category_id", ForeignKey("seat_categories.seat_category_id")),
    Column("position", Integer, nullable=False),
)

blocks = Table(
    "blocks",
    metadata,
    _id("block_id", primary_key=True),
    _id("area_id", ForeignKey("areas.area_id"), nullable=False, index=True),
    Column("name", String(255), nullable=False),
    _id("seat_category_id", ForeignKey("seat_categories.seat_category_id"), nullable=False),
    # 0 is the best block of its area.
    Column("rank", Integer, nullable=False),
)

seats = Table(
    "seats",
    metadata,
    _id("seat_id", primary_key=True),
    # Venue and category are copied from area and block so that availability
    # queries over tens of thousands of seats need no join.
    _id("venue_id", ForeignKey("venues.venue_id"), nullable=False),
    _id("area_id", ForeignKey("areas.area_id"), nullable=False, index=True),
    _id("block_id", ForeignKey("blocks.block_id"), nullable=False, index=True),
    _id("seat_category_id", ForeignKey("seat_categories.seat_category_id"), nullable=False),
    Column("row_number", String(32), nullable=False),
    Column("seat_number", String(32), nullable=False),
    # 0 is the best row of its block; positions say which seats sit side by side.
    Column("row_rank", Integer, nullable=False),
    Column("position_in_row", Integer, nullable=False),
    # Rank of the seat in its venue, best first: areas, blocks, rows, seats in file order.
    Column("quality_order", Integer, nullable=False),
    Index("ix_seats_venue_quality", "venue_id", "quality_order"),
)

products = Table(
    "products",
    metadata,
    _id("product_id", primary_key=True),
    Column("code", String(64), nullable=False),
    Column("name", String(255), nullable=False),
    Column("family", String(64), nullable=False),
    # Optional (catalog key seasonId); absent: the default season.
    _id("season_id", ForeignKey("seasons.season_id"), index=True),
)

performances = Table(
    "performances",
    metadata,
    _id("performance_id", primary_key=True),
    _id("product_id", ForeignKey("products.product_id"), nullable=False, index=True),
    _id("venue_id", ForeignKey("venues.venue_id"), nullable=False),
    Column("start", UtcDateTime, nullable=False),
)

prices = Table(
    "prices",
    metadata,
    _id("performance_id", ForeignKey("performances.performance_id"), primary_key=True),
    _id("seat_category_id", ForeignKey("seat_categories.seat_category_id"), primary_key=True),
    _id(
        "audience_sub_category_id",
        ForeignKey("audience_sub_categories.audience_sub_category_id"),
        primary_key=True,
    ),
    Column("amount", Id, nullable=False),
    CheckConstraint("amount >= 0", name="amount"),
)

contingent_pools = Table(
    "contingent_pools",
    metadata,
    _id("performance_id", ForeignKey("performances.performance_id"), primary_key=True),
    _id("contingent_id", ForeignKey("contingents.contingent_id"), primary_key=True),
    _id("area_id", ForeignKey("areas.area_id"), primary_key=True),
)

items = Table(
    "items",
    metadata,
    _id("item_id", primary_key=True),
    Column("code", String(64), nullable=False),
    Column("name", String(255), nullable=False),
    Column("stock", Integer, nullable=False),
    CheckConstraint("stock >= 0", name="stock"),
)

item_prices = Table(
    "item_prices",
    metadata,
    _id("item_id", ForeignKey("items.item_id"), primary_key=True),
    _id(
        "audience_sub_category_id",
        ForeignKey("audience_sub_categories.audience_sub_category_id"),
        primary_key=True,
    ),
    Column("amount", Id, nullable=False),
    CheckConstraint("amount >= 0", name="amount"),
)

# Parents before children: the order rows are written in (and removed in reverse).
CATALOG_TABLES: tuple[Table, ...] = (
    institution,
    seasons,
    contingents,
    sales_channels,
    channel_contingents,
    points_of_sales,
    operators,
    charges,
    payment_methods,
    seat_categories,
    audience_sub_categories,
    venues,
    areas,
    blocks,
    seats,
    products,
    performances,
    prices,
    contingent_pools,
    items,
    item_prices,
)

# Not part of the catalog file (and not in CATALOG_TABLES): failed logins, shared by every
# server process so that `serve --workers N` does not multiply the allowed guesses. Each key is
# a SHA-256 of a login, of a source address, or of a (login, source) pair (rate_limits.py
# budget_keys), so that whatever a caller sends stays 64 characters.
login_failures = Table(
    "login_failures",
    metadata,
    Column("login_key", String(64), primary_key=True),
    Column("failures", Integer, nullable=False),
    # Epoch milliseconds: when the current counting window began, and the end of a lockout.
    Column("window_started_ms", Id, nullable=False),
    Column("locked_until_ms", Id),
)
