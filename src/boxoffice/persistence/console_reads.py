"""The console's reads: orders with everything about them, performances, venue layouts, seats."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, Select, and_, select

from boxoffice.console.ports import (
    LayoutArea,
    LayoutSeat,
    LiveSeat,
    OrderPage,
    Row,
    SeatStates,
    VenueLayout,
)
from boxoffice.persistence.catalog_tables import (
    areas,
    audience_sub_categories,
    blocks,
    catalog_meta,
    channel_contingents,
    contingent_pools,
    operators,
    performances,
    products,
    sales_channels,
    seat_categories,
    seats,
    venues,
)
from boxoffice.persistence.console_tables import order_state_history
from boxoffice.persistence.metadata import metadata
from boxoffice.persistence.tables import movements, operations, orders, payments, stocks

ORDER_COLUMNS = (
    orders.c.order_id,
    orders.c.file_id,
    orders.c.channel_id,
    orders.c.state,
    orders.c.order_type,
    orders.c.created_at,
    orders.c.updated_at,
    orders.c.closed_at,
    orders.c.expires_at,
    orders.c.external_reference,
    orders.c.contact_reference,
    orders.c.paid_amount,
    orders.c.payment_state,
    orders.c.point_of_sales_id,
)


def _rows(result: Any) -> list[Row]:
    return [dict(row._mapping) for row in result]


def _value(value: Any) -> Any:
    # Enum columns come back as enums; the pages want their wire spelling.
    return getattr(value, "value", value)


def _plain(rows: list[Row]) -> list[Row]:
    return [{key: _value(value) for key, value in row.items()} for row in rows]


class SqlConsoleReads:
    """Read-only queries, each in its own short transaction."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def _all(self, query: Select[Any]) -> list[Row]:
        with self._engine.connect() as connection:
            return _plain(_rows(connection.execute(query)))

    def is_administrator(self, login: str) -> bool:
        with self._engine.connect() as connection:
            flag = connection.execute(
                select(operators.c.administrator).where(operators.c.login == login)
            ).scalar()
        return bool(flag)

    def channel_names(self) -> dict[int, str]:
        return {
            row["channel_id"]: row["name"]
            for row in self._all(select(sales_channels.c.channel_id, sales_channels.c.name))
        }

    def catalog_version(self) -> int:
        with self._engine.connect() as connection:
            version = connection.execute(select(catalog_meta.c.version)).scalar()
        return int(version or 0)

    # -- orders --------------------------------------------------------------

    def find_orders(self, channel_id: int | None, by: str, value: str, limit: int) -> list[Row]:
        query = select(*ORDER_COLUMNS).order_by(orders.c.order_id.desc()).limit(limit)
        if channel_id is not None:
            query = query.where(orders.c.channel_id == channel_id)
        value = value.strip()
        if value and by in ("order", "file"):
            if not value.isdigit() or len(value) > 19:
                return []
            column = orders.c.order_id if by == "order" else orders.c.file_id
            query = query.where(column == int(value))
        elif value and by == "reference":
            query = query.where(orders.c.external_reference == value)
        return self._all(query)

    def order_page(self, order_id: int, channel_id: int | None) -> OrderPage | None:
        query = select(*ORDER_COLUMNS).where(orders.c.order_id == order_id)
        if channel_id is not None:
            query = query.where(orders.c.channel_id == channel_id)
        found = self._all(query)
        if not found:
            return None
        every_operation = self._all(
            select(
                operations,
                products.c.name.label("product_name"),
                seat_categories.c.name.label("category_name"),
                audience_sub_categories.c.name.label("audience_name"),
            )
            .outerjoin(performances, performances.c.performance_id == operations.c.performance_id)
            .outerjoin(products, products.c.product_id == performances.c.product_id)
            .outerjoin(
                seat_categories, seat_categories.c.seat_category_id == operations.c.seat_category_id
            )
            .outerjoin(
                audience_sub_categories,
                audience_sub_categories.c.audience_sub_category_id
                == operations.c.audience_sub_category_id,
            )
            .where(operations.c.order_id == order_id)
            .order_by(operations.c.operation_id)
        )
        return OrderPage(
            order=found[0],
            history=self._all(
                select(order_state_history.c.state, order_state_history.c.changed_at)
                .where(order_state_history.c.order_id == order_id)
                .order_by(order_state_history.c.entry_id)
            ),
            lines=[op for op in every_operation if op["kind"] != "CHARGE"],
            charges=[op for op in every_operation if op["kind"] == "CHARGE"],
            movements=self._all(
                select(
                    movements, areas.c.name.label("area_name"), blocks.c.name.label("block_name")
                )
                .join(operations, operations.c.operation_id == movements.c.operation_id)
                .outerjoin(areas, areas.c.area_id == movements.c.area_id)
                .outerjoin(blocks, blocks.c.block_id == movements.c.block_id)
                .where(operations.c.order_id == order_id)
                .order_by(movements.c.movement_id)
            ),
            payments=self._all(
                select(payments)
                .where(payments.c.order_id == order_id)
                .order_by(payments.c.payment_id)
            ),
            external_references=self._external_references(order_id, found[0]["file_id"]),
        )

    def _external_references(self, order_id: int, file_id: int) -> list[Row] | None:
        # Issue 7 adds this table; until it is merged the page says where they will show.
        table = metadata.tables.get("external_references")
        if table is None:
            return None
        if "order_id" in table.c:
            return self._all(select(table).where(table.c.order_id == order_id))
        if "file_id" in table.c:
            return self._all(select(table).where(table.c.file_id == file_id))
        return None

    # -- performances and seats ------------------------------------------------

    def _channel_areas(self, channel_id: int) -> Select[Any]:
        return (
            select(contingent_pools.c.performance_id, contingent_pools.c.area_id)
            .join(
                channel_contingents,
                channel_contingents.c.contingent_id == contingent_pools.c.contingent_id,
            )
            .where(channel_contingents.c.channel_id == channel_id)
        )

    def performances(self, channel_id: int | None) -> list[Row]:
        query = (
            select(
                performances.c.performance_id,
                performances.c.start,
                performances.c.venue_id,
                products.c.name.label("product"),
                venues.c.name.label("venue"),
            )
            .join(products, products.c.product_id == performances.c.product_id)
            .join(venues, venues.c.venue_id == performances.c.venue_id)
            .order_by(performances.c.start, performances.c.performance_id)
        )
        if channel_id is not None:
            sold = self._channel_areas(channel_id).subquery()
            query = query.where(performances.c.performance_id.in_(select(sold.c.performance_id)))
        return self._all(query)

    def performance(self, performance_id: int, channel_id: int | None) -> Row | None:
        for row in self.performances(channel_id):
            if row["performance_id"] == performance_id:
                return row
        return None

    def venue_layout(self, venue_id: int) -> VenueLayout:
        with self._engine.connect() as connection:
            name = (
                connection.execute(
                    select(venues.c.name).where(venues.c.venue_id == venue_id)
                ).scalar()
                or ""
            )
            area_rows = connection.execute(
                select(areas).where(areas.c.venue_id == venue_id).order_by(areas.c.position)
            )
            layout_areas = {
                row.area_id: LayoutArea(row.area_id, row.name, row.numbered, row.capacity)
                for row in area_rows
            }
            for row in connection.execute(
                select(blocks.c.block_id, blocks.c.area_id, blocks.c.name)
                .join(areas, areas.c.area_id == blocks.c.area_id)
                .where(areas.c.venue_id == venue_id)
                .order_by(blocks.c.rank)
            ):
                layout_areas[row.area_id].blocks.append((row.block_id, row.name))
            layout_seats = [
                LayoutSeat(*row)
                for row in connection.execute(
                    select(
                        seats.c.seat_id,
                        seats.c.area_id,
                        seats.c.block_id,
                        seats.c.row_number,
                        seats.c.seat_number,
                        seats.c.row_rank,
                        seats.c.position_in_row,
                    )
                    .where(seats.c.venue_id == venue_id)
                    .order_by(seats.c.quality_order)
                )
            ]
        return VenueLayout(venue_id, name, list(layout_areas.values()), layout_seats)

    def seat_states(self, performance_id: int, channel_id: int | None) -> SeatStates:
        with self._engine.connect() as connection:
            pool: frozenset[int] | None = None
            if channel_id is not None:
                pool = frozenset(
                    area_id
                    for _, area_id in connection.execute(
                        self._channel_areas(channel_id).where(
                            contingent_pools.c.performance_id == performance_id
                        )
                    )
                )
            live = {
                row.seat_id: LiveSeat(row.seat_id, _value(row.state), row.order_id, row.channel_id)
                for row in connection.execute(
                    select(
                        movements.c.seat_id,
                        movements.c.state,
                        operations.c.order_id,
                        orders.c.channel_id,
                    )
                    .join(operations, operations.c.operation_id == movements.c.operation_id)
                    .join(orders, orders.c.order_id == operations.c.order_id)
                    .where(
                        and_(
                            movements.c.performance_id == performance_id,
                            movements.c.seat_id.is_not(None),
                            movements.c.state != "RELEASED",
                        )
                    )
                )
            }
            prefix = f"area:{performance_id}:"
            standing = {
                int(key.removeprefix(prefix)): taken
                for key, taken in connection.execute(
                    select(stocks.c.stock_key, stocks.c.taken).where(
                        stocks.c.stock_key.startswith(prefix)
                    )
                )
            }
        return SeatStates(pool, live, standing)
