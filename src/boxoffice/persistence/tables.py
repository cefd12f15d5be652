"""The order-side tables: files, orders, operations, movements and the counters guarding them."""

from __future__ import annotations

import enum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from boxoffice.domain.states import (
    LIVE_ORDER_STATES,
    MovementState,
    OperationKind,
    OperationState,
    OrderState,
    OrderType,
    PaymentState,
)
from boxoffice.persistence.metadata import Id, UtcDateTime, metadata

# Names the database reports when a guard refuses a write; the unit of work maps them to errors.
LIVE_SEAT_INDEX = "uq_movements_live_seat"
STOCK_CHECK = "ck_stocks_taken_within_capacity"

# An order that still holds places, as SQL text: a statement that wants the partial index
# below must say exactly this (with the values as literals, not parameters), or neither
# database can tell that the index covers it.
LIVE_ORDER_PREDICATE = "state IN ({})".format(
    ", ".join(f"'{state.value}'" for state in sorted(LIVE_ORDER_STATES, key=lambda s: s.value))
)
LIVE_ORDERS_OF_CHANNEL_INDEX = "ix_orders_live_of_channel"


def _enum(enum_class: type[enum.Enum]) -> Enum:
    """A VARCHAR holding the enum's value, so that plain SQL can compare it with a literal."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=16,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


files = Table(
    "files",
    metadata,
    Column("file_id", Id, primary_key=True, autoincrement=True),
    Column("channel_id", Id, nullable=False, index=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

file_contacts = Table(
    "file_contacts",
    metadata,
    Column("contact_id", Id, primary_key=True, autoincrement=True),
    Column("file_id", Id, ForeignKey("files.file_id"), nullable=False),
    Column("contact_reference", String(128), nullable=False),
    Column("first_name", String(200)),
    Column("last_name", String(200)),
    Column("email", String(320)),
    UniqueConstraint("file_id", "contact_reference"),
)

orders = Table(
    "orders",
    metadata,
    Column("order_id", Id, primary_key=True, autoincrement=True),
    Column("file_id", Id, ForeignKey("files.file_id"), nullable=False, index=True),
    Column("channel_id", Id, nullable=False),
    Column("point_of_sales_id", Id, nullable=False),
    Column("order_type", _enum(OrderType), nullable=False),
    Column("secret_id", String(64), nullable=False, unique=True),
    Column("state", _enum(OrderState), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("closed_at", UtcDateTime),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("contact_reference", String(128)),
    Column("external_reference", String(128)),
    # Where the reseller's customer came from (createOrUpdateOrder's origin), kept as given.
    Column("origin", String(128)),
    Column("paid_amount", BigInteger, nullable=False, default=0),
    Column("payment_state", _enum(PaymentState), nullable=False, default=PaymentState.NONE),
    # The expiry sweep reads live orders by deadline.
    Index("ix_orders_state_expires_at", "state", "expires_at"),
    # The purge reads ended orders by their last change (migration 0002).
    Index("ix_orders_state_updated_at", "state", "updated_at"),
    # Every sale counts its channel's live holds under the performance's locks (hold caps):
    # from the channel's live orders only (migration 0008). Partial, so that the planner can
    # use it for nothing else: the (channel_id, state) index of migration 0006, while the
    # statistics still described the freshly loaded table, was taken to read an order by its
    # id and channel, and read every order of the channel.
    Index(
        LIVE_ORDERS_OF_CHANNEL_INDEX,
        "channel_id",
        sqlite_where=text(LIVE_ORDER_PREDICATE),
        postgresql_where=text(LIVE_ORDER_PREDICATE),
    ),
)

payments = Table(
    "payments",
    metadata,
    Column("payment_id", Id, primary_key=True, autoincrement=True),
    Column("order_id", Id, ForeignKey("orders.order_id"), nullable=False, index=True),
    Column("payment_method_id", Id, nullable=False),
    Column("amount", BigInteger, nullable=False),
    # Rows written before the payment workflow were all payments received at closing.
    Column("state", _enum(PaymentState), nullable=False, server_default="PAID"),
    CheckConstraint("amount > 0", name="amount_positive"),
)

operations = Table(
    "operations",
    metadata,
    Column("operation_id", Id, primary_key=True, autoincrement=True),
    Column("order_id", Id, ForeignKey("orders.order_id"), nullable=False, index=True),
    Column("kind", _enum(OperationKind), nullable=False),
    Column("state", _enum(OperationState), nullable=False),
    Column("product_id", Id),
    Column("product_code", String(128)),
    Column("performance_id", Id),
    Column("seat_category_id", Id),
    Column("audience_sub_category_id", Id),
    Column("area_id", Id),
    Column("item_id", Id),
    Column("contingent_id", Id),
    Column("charge_id", Id),
    Column("linked_operation_id", Id, ForeignKey("operations.operation_id")),
    Column("unit_price", BigInteger, nullable=False),
    Column("quantity", Integer, nullable=False),
)

movements = Table(
    "movements",
    metadata,
    Column("movement_id", Id, primary_key=True, autoincrement=True),
    Column("operation_id", Id, ForeignKey("operations.operation_id"), nullable=False, index=True),
    Column("kind", _enum(OperationKind), nullable=False),
    Column("performance_id", Id),
    Column("seat_id", Id),
    Column("area_id", Id),
    Column("block_id", Id),
    Column("row_number", String(32)),
    Column("seat_number", String(32)),
    Column("seat_category_id", Id),
    Column("item_id", Id),
    Column("contingent_id", Id),
    Column("price", BigInteger, nullable=False),
    Column("state", _enum(MovementState), nullable=False),
    Column("barcode", String(64), unique=True),
    # The last guard against a double sale: one live movement per seat and performance.
    Index(
        LIVE_SEAT_INDEX,
        "performance_id",
        "seat_id",
        unique=True,
        sqlite_where=text("state <> 'RELEASED'"),
        postgresql_where=text("state <> 'RELEASED'"),
    ),
    Index("ix_movements_performance_id_area_id", "performance_id", "area_id"),
)

stocks = Table(
    "stocks",
    metadata,
    # 'area:{performance_id}:{area_id}' or 'item:{item_id}'
    Column("stock_key", String(64), primary_key=True),
    Column("capacity", Integer, nullable=False),
    Column("taken", Integer, nullable=False, default=0),
    CheckConstraint("taken >= 0 AND taken <= capacity", name="taken_within_capacity"),
)

performance_inventory = Table(
    "performance_inventory",
    metadata,
    Column("performance_id", Id, primary_key=True, autoincrement=False),
    # Bumped by every transaction that used the seat map, so other processes know theirs is old.
    Column("version", BigInteger, nullable=False, default=0),
    # The newest version's seat_changes row, kept on the row too (migration 0007): a sale that
    # waited for this row's lock reads the row as the sale it waited for left it, but the log
    # as it was before that sale committed; the one change it is then missing is here.
    Column("last_version", BigInteger),
    Column("last_taken", Text),
    Column("last_released", Text),
)

seat_changes = Table(
    "seat_changes",
    metadata,
    # The seats one committed transaction took and released, at the inventory version it made.
    # A process whose seat map is at an older version applies these rows instead of rebuilding.
    Column("performance_id", Id, primary_key=True, autoincrement=False),
    Column("version", BigInteger, primary_key=True, autoincrement=False),
    # Seat ids, comma-separated; '' when none.
    Column("taken", Text, nullable=False),
    Column("released", Text, nullable=False),
)

# Each operator's call budget (service/rate_limits.py), a token bucket shared by every worker
# and host on this database: `tokens` left as of `updated_at_ms` (epoch milliseconds).
call_buckets = Table(
    "call_buckets",
    metadata,
    Column("login", String(255), primary_key=True),
    Column("tokens", Float, nullable=False),
    Column("updated_at_ms", BigInteger, nullable=False),
)
