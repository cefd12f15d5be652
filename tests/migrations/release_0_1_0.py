"""A database as release 0.1.0 left it: its stored DDL, and orders of every kind written in it.

The DDL files beside this module were dumped from a database that release 0.1.0 (commit
07f38f0) created, on SQLite (sqlite_master) and on PostgreSQL (pg_dump --schema-only).
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

SNAPSHOTS = Path(__file__).parent
START = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


def create_release_0_1_0_schema(url: str) -> None:
    """Runs the stored DDL of release 0.1.0 on the empty database at `url`."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    ddl = (SNAPSHOTS / f"schema-0.1.0.{backend}.sql").read_text(encoding="utf-8")
    if backend == "sqlite":
        connection = sqlite3.connect(parsed.database or "")
        try:
            connection.executescript(ddl)
        finally:
            connection.close()
        return
    plain = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as connection:
        connection.execute(ddl.encode())


def _order(order_id: int, state: str, minutes: int, **extra: Any) -> dict[str, Any]:
    at = START + timedelta(minutes=minutes)
    row = {
        "order_id": order_id,
        "file_id": order_id,
        "channel_id": 7,
        "point_of_sales_id": 70,
        "order_type": "SALE",
        "secret_id": f"secret-{order_id:04d}",
        "state": state,
        "created_at": at,
        "updated_at": at + timedelta(minutes=3),
        "closed_at": None,
        "expires_at": at + timedelta(minutes=15),
        "contact_reference": None,
        "external_reference": f"EXT-{order_id}",
        "paid_amount": 0,
        "payment_state": "NONE",
    }
    row.update(extra)
    return row


def _seat_line(
    operation_id: int,
    order_id: int,
    state: str,
    seat_ids: list[int],
    movement_state: str,
    barcodes: bool,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    operation = {
        "operation_id": operation_id,
        "order_id": order_id,
        "kind": "SEAT",
        "state": state,
        "product_id": 1,
        "product_code": "P-1",
        "performance_id": 100,
        "seat_category_id": 5,
        "audience_sub_category_id": 9,
        "area_id": 10,
        "item_id": None,
        "contingent_id": None,
        "charge_id": None,
        "linked_operation_id": None,
        "unit_price": 45000,
        "quantity": len(seat_ids),
    }
    places = [
        {
            "movement_id": operation_id * 10 + n,
            "operation_id": operation_id,
            "kind": "SEAT",
            "performance_id": 100,
            "seat_id": seat_id,
            "area_id": 10,
            "block_id": 1,
            "row_number": "A",
            "seat_number": str(seat_id),
            "seat_category_id": 5,
            "item_id": None,
            "contingent_id": None,
            "price": 45000,
            "state": movement_state,
            "barcode": f"BC{order_id:03d}{seat_id:05d}" if barcodes else None,
        }
        for n, seat_id in enumerate(seat_ids)
    ]
    return operation, places


def release_0_1_0_rows() -> dict[str, list[dict[str, Any]]]:
    """Closed orders with tickets and barcodes, running, abandoned and expired ones."""
    order_rows = [
        _order(
            1,
            "CLOSED",
            0,
            closed_at=START + timedelta(minutes=3),
            paid_amount=90000,
            payment_state="PAID",
            contact_reference="C-1",
        ),
        _order(
            2,
            "CLOSED",
            5,
            closed_at=START + timedelta(minutes=8),
            paid_amount=45000,
            payment_state="PAID",
        ),
        _order(3, "RUNNING", 10),
        _order(4, "ABANDONED", 15),
        _order(5, "EXPIRED", 20),
    ]
    lines = [
        _seat_line(11, 1, "ACTIVE", [1, 2], "SOLD", barcodes=True),
        _seat_line(21, 2, "ACTIVE", [3], "SOLD", barcodes=True),
        _seat_line(31, 3, "ACTIVE", [4, 5], "RESERVED", barcodes=False),
        _seat_line(41, 4, "CANCELLED", [4, 5], "RELEASED", barcodes=False),
        _seat_line(51, 5, "ACTIVE", [6], "RELEASED", barcodes=False),
    ]
    # In foreign-key order: each table's rows are written after the rows they point to.
    return {
        "sales_channels": [
            {
                "channel_id": 7,
                "code": "RESELLER_A",
                "name": "Reseller A",
                "order_expiry_delay_seconds": 900,
                "order_max_lifespan_seconds": 3600,
                "calls_per_minute": None,
            }
        ],
        "operators": [
            {
                "login": "RESELLER_A_WS",
                "password_hash": "$argon2id$stored-by-0.1.0",
                "channel_id": 7,
            }
        ],
        "files": [
            {
                "file_id": row["order_id"],
                "channel_id": 7,
                "created_at": row["created_at"],
                "updated_at": row["updated_at"],
            }
            for row in order_rows
        ],
        "orders": order_rows,
        "operations": [operation for operation, _ in lines],
        "movements": [place for _, places in lines for place in places],
        "payments": [
            {"payment_id": 1, "order_id": 1, "payment_method_id": 3, "amount": 90000},
            {"payment_id": 2, "order_id": 2, "payment_method_id": 3, "amount": 45000},
        ],
    }


def _stored(value: Any, backend: str) -> Any:
    # 0.1.0 wrote datetimes through SQLAlchemy, which stores them on SQLite as naive UTC text.
    if isinstance(value, datetime) and backend == "sqlite":
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def write_orders(engine: Engine) -> None:
    """Writes the rows with plain SQL: the tables of today may have columns 0.1.0 lacks."""
    backend = engine.dialect.name
    with engine.begin() as connection:
        for table, rows in release_0_1_0_rows().items():
            columns = list(rows[0])
            statement = text(
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"VALUES ({', '.join(':' + column for column in columns)})"
            )
            connection.execute(
                statement,
                [{column: _stored(row[column], backend) for column in columns} for row in rows],
            )


def release_0_1_0_columns(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """The columns 0.1.0 had, of every row written above, as the database gives them back."""
    rows = release_0_1_0_rows()
    with engine.connect() as connection:
        return {
            table: [
                tuple(row)
                for row in connection.execute(
                    text(
                        f"SELECT {', '.join(rows[table][0])} FROM {table} "
                        f"ORDER BY {', '.join(rows[table][0])}"
                    )
                )
            ]
            for table in rows
        }
