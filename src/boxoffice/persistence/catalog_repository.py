"""Reads the catalog as domain value objects, cached per process and per catalog version."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from types import MappingProxyType
from typing import Any, TypeVar

from sqlalchemy import case, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from boxoffice.domain.allocation import VenueLayout
from boxoffice.domain.catalog import (
    Area,
    AudienceSubCategory,
    CatalogNames,
    Charge,
    ChargeBasis,
    Currency,
    ExpiryPolicy,
    Institution,
    Item,
    Operator,
    PaymentMethod,
    Performance,
    PointOfSales,
    Product,
    SalesChannel,
    Season,
    Seat,
    SeatCategory,
)
from boxoffice.persistence.catalog_tables import (
    areas,
    audience_sub_categories,
    catalog_meta,
    channel_contingents,
    charges,
    contingent_pools,
    contingents,
    institution,
    item_prices,
    items,
    login_failures,
    operators,
    payment_methods,
    performances,
    points_of_sales,
    prices,
    products,
    sales_channels,
    seasons,
    seat_categories,
    seats,
    venues,
)

T = TypeVar("T")
_MISSING = object()
# How long a thread waits for another's build of the same value before building it itself.
BUILD_WAIT_SECONDS = 1.0


class CatalogNotLoaded(LookupError):
    """No catalog has been loaded into this database yet."""


class CatalogCache:
    """Values built from one catalog version, shared by every thread of the process.

    A newer version empties the cache, so objects (a venue layout, say) change
    identity after a reload; a transaction still reading an older version gets
    freshly built values that are not kept.
    """

    def __init__(self, build_wait_seconds: float = BUILD_WAIT_SECONDS) -> None:
        self._lock = threading.Lock()
        self._version: int | None = None
        self._values: dict[Hashable, Any] = {}
        # One lock per key, so that a 60,000-seat layout is built once, not once per thread.
        self._key_locks: dict[Hashable, threading.Lock] = {}
        self._build_wait_seconds = build_wait_seconds

    def get(self, version: int, key: Hashable, build: Callable[[], T]) -> T:
        with self._lock:
            if self._version is None or version > self._version:
                self._version, self._values, self._key_locks = version, {}, {}
            if version < self._version:
                return build()
            value = self._values.get(key, _MISSING)
            if value is not _MISSING:
                return value  # type: ignore[no-any-return]
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        # A bounded wait: the thread building may itself be waiting for the database lock
        # this one's transaction holds (SQLite: a build after a commit begins a new write
        # transaction), and an unbounded wait here would hold both until the busy timeout.
        waited = key_lock.acquire(timeout=self._build_wait_seconds)
        try:
            with self._lock:
                value = self._values.get(key, _MISSING) if self._version == version else _MISSING
            if value is not _MISSING:
                return value  # type: ignore[no-any-return]
            value = build()
            with self._lock:
                # Misses are not kept: ids from requests must not grow the cache without bound.
                if self._version == version and value is not None:
                    self._values[key] = value
            return value  # type: ignore[no-any-return]
        finally:
            if waited:
                key_lock.release()


# Read by every call: built once, not per call (building and keying a statement costs a good
# part of running it).
CATALOG_VERSION = select(catalog_meta.c.version).where(catalog_meta.c.meta_key == 1)

# Where a session keeps the catalog version another statement read with its own data.
_VERSION_READ = "boxoffice.catalog_version"


def note_catalog_version(session: Session, version: int | None) -> None:
    """Tells the session's catalog repository the version a statement of the same snapshot
    read (CATALOG_VERSION as a column of it), so that the repository need not read it again."""
    session.info[_VERSION_READ] = version


class SqlCatalogRepository:
    """The CatalogRepository of the service layer, over one session (one transaction)."""

    def __init__(self, session: Session, cache: CatalogCache) -> None:
        self._session = session
        self._cache = cache
        self._version: int | None = None

    @property
    def version(self) -> int:
        """The catalog version this transaction reads, fetched once; 0 before any load."""
        if self._version is None:
            info = self._session.info
            if _VERSION_READ in info:
                found = info[_VERSION_READ]
            else:
                found = self._session.execute(CATALOG_VERSION).scalar_one_or_none()
            self._version = int(found) if found is not None else 0
        return self._version

    def _cached(self, key: Hashable, build: Callable[[], T]) -> T:
        return self._cache.get(self.version, key, build)

    def _rows(self, statement: Any) -> Sequence[Any]:
        return self._session.execute(statement).all()

    def institution(self) -> Institution:
        return self._cached("institution", self._load_institution)

    def _load_institution(self) -> Institution:
        row = self._session.execute(select(institution)).first()
        if row is None:
            raise CatalogNotLoaded("No catalog is loaded: run `boxoffice catalog load FILE`.")
        currency = Currency(row.currency_code, row.currency_fraction_digit, row.currency_symbol)
        if row.time_zone is None:
            return Institution(row.code, row.name, currency)
        return Institution(row.code, row.name, currency, row.time_zone)

    def sales_channel(self, channel_id: int) -> SalesChannel | None:
        return self._cached(("channel", channel_id), lambda: self._load_channel(channel_id))

    def _load_channel(self, channel_id: int) -> SalesChannel | None:
        row = self._session.execute(
            select(sales_channels).where(sales_channels.c.channel_id == channel_id)
        ).first()
        if row is None:
            return None
        contingent_ids = self._session.execute(
            select(channel_contingents.c.contingent_id)
            .where(channel_contingents.c.channel_id == channel_id)
            .order_by(channel_contingents.c.position)
        ).scalars()
        pos_rows = self._rows(
            select(points_of_sales.c.point_of_sales_id, points_of_sales.c.code)
            .where(points_of_sales.c.channel_id == channel_id)
            .order_by(points_of_sales.c.position)
        )
        method_rows = self._rows(
            select(payment_methods)
            .where(payment_methods.c.channel_id == channel_id)
            .order_by(payment_methods.c.position)
        )
        channel_charges = self._rows(
            select(charges).where(charges.c.channel_id == channel_id).order_by(charges.c.position)
        )
        return SalesChannel(
            channel_id=row.channel_id,
            code=row.code,
            name=row.name,
            expiry=ExpiryPolicy(row.order_expiry_delay_seconds, row.order_max_lifespan_seconds),
            contingent_ids=tuple(contingent_ids),
            point_of_sales_ids=tuple(pos.point_of_sales_id for pos in pos_rows),
            charges=tuple(
                Charge(c.charge_id, c.name, ChargeBasis(c.per), c.amount) for c in channel_charges
            ),
            points_of_sales=tuple(
                PointOfSales(pos.point_of_sales_id, pos.code) for pos in pos_rows
            ),
            payment_methods=tuple(
                PaymentMethod(m.payment_method_id, m.code, m.name) for m in method_rows
            ),
            calls_per_minute=row.calls_per_minute,
            max_held_places=row.max_held_places,
            max_held_units=row.max_held_units,
        )

    def operator(self, login: str) -> Operator | None:
        return self._cached(("operator", login), lambda: self._load_operator(login))

    def _load_operator(self, login: str) -> Operator | None:
        row = self._session.execute(select(operators).where(operators.c.login == login)).first()
        return Operator(row.login, row.password_hash, row.channel_id) if row else None

    def performance(self, performance_id: int) -> Performance | None:
        return self._cached(
            ("performance", performance_id), lambda: self._load_performance(performance_id)
        )

    def _load_performance(self, performance_id: int) -> Performance | None:
        row = self._session.execute(
            select(
                performances,
                products.c.code,
                products.c.name,
                products.c.family,
                products.c.season_id,
            )
            .join(products, products.c.product_id == performances.c.product_id)
            .where(performances.c.performance_id == performance_id)
        ).first()
        if row is None:
            return None
        price_rows = self._rows(select(prices).where(prices.c.performance_id == performance_id))
        pools: dict[int, set[int]] = {}
        for pool in self._rows(
            select(contingent_pools).where(contingent_pools.c.performance_id == performance_id)
        ):
            pools.setdefault(pool.contingent_id, set()).add(pool.area_id)
        return Performance(
            performance_id=row.performance_id,
            product=Product(row.product_id, row.code, row.name, row.family, row.season_id),
            venue_id=row.venue_id,
            start=row.start,
            # Read-only views: the same object is shared by every thread of the process.
            prices=MappingProxyType(
                {(p.seat_category_id, p.audience_sub_category_id): p.amount for p in price_rows}
            ),
            contingent_pools=MappingProxyType(
                {key: frozenset(value) for key, value in pools.items()}
            ),
        )

    def area(self, area_id: int) -> Area | None:
        return self._cached(("area", area_id), lambda: self._load_area(area_id))

    def _load_area(self, area_id: int) -> Area | None:
        row = self._session.execute(select(areas).where(areas.c.area_id == area_id)).first()
        return _area(row) if row else None

    def areas_of_venue(self, venue_id: int) -> Sequence[Area]:
        return self._cached(
            ("venueAreas", venue_id),
            lambda: tuple(
                _area(row)
                for row in self._rows(
                    select(areas).where(areas.c.venue_id == venue_id).order_by(areas.c.position)
                )
            ),
        )

    def names(self) -> CatalogNames:
        return self._cached("names", self._load_names)

    def _load_names(self) -> CatalogNames:
        def mapping(id_column: Any, value_column: Any) -> dict[int, str]:
            return {int(key): value for key, value in self._rows(select(id_column, value_column))}

        return CatalogNames(
            seat_categories=mapping(seat_categories.c.seat_category_id, seat_categories.c.name),
            contingents=mapping(contingents.c.contingent_id, contingents.c.name),
            audience_sub_categories=mapping(
                audience_sub_categories.c.audience_sub_category_id, audience_sub_categories.c.name
            ),
            product_families=mapping(products.c.product_id, products.c.family),
        )

    def audience_sub_category(self, audience_sub_category_id: int) -> AudienceSubCategory | None:
        def load() -> AudienceSubCategory | None:
            row = self._session.execute(
                select(audience_sub_categories).where(
                    audience_sub_categories.c.audience_sub_category_id == audience_sub_category_id
                )
            ).first()
            if row is None:
                return None
            return AudienceSubCategory(
                row.audience_sub_category_id, row.name, row.audience_category_id, row.kind
            )

        return self._cached(("audience", audience_sub_category_id), load)

    def item(self, item_id: int) -> Item | None:
        return self._cached(("item", item_id), lambda: self._load_item(item_id))

    def _load_item(self, item_id: int) -> Item | None:
        row = self._session.execute(select(items).where(items.c.item_id == item_id)).first()
        if row is None:
            return None
        amounts = self._rows(select(item_prices).where(item_prices.c.item_id == item_id))
        return Item(
            row.item_id,
            row.code,
            row.name,
            row.stock,
            MappingProxyType({price.audience_sub_category_id: price.amount for price in amounts}),
        )

    def venue_layout(self, venue_id: int) -> VenueLayout:
        return self._cached(("layout", venue_id), lambda: self._load_layout(venue_id))

    def _load_layout(self, venue_id: int) -> VenueLayout:
        # quality_order already encodes areas, blocks, rows and seats best first.
        result = self._session.execute(
            select(
                seats.c.seat_id,
                seats.c.area_id,
                seats.c.block_id,
                seats.c.row_number,
                seats.c.seat_number,
                seats.c.seat_category_id,
            )
            .where(seats.c.venue_id == venue_id)
            .order_by(seats.c.quality_order)
        )
        return VenueLayout([Seat(*row) for row in result])

    # -- whole lists, for the catalogue service ----------------------------------------------

    def seasons(self) -> Sequence[Season]:
        return self._cached(
            "seasons",
            lambda: tuple(
                Season(row.season_id, row.code, row.name)
                for row in self._rows(select(seasons).order_by(seasons.c.season_id))
            ),
        )

    def seat_categories(self) -> Sequence[SeatCategory]:
        return self._cached(
            "seatCategories",
            lambda: tuple(
                SeatCategory(row.seat_category_id, row.name)
                for row in self._rows(
                    select(seat_categories).order_by(seat_categories.c.seat_category_id)
                )
            ),
        )

    def audience_sub_categories(self) -> Sequence[AudienceSubCategory]:
        return self._cached(
            "audiences",
            lambda: tuple(
                AudienceSubCategory(
                    row.audience_sub_category_id, row.name, row.audience_category_id, row.kind
                )
                for row in self._rows(
                    select(audience_sub_categories).order_by(
                        audience_sub_categories.c.audience_sub_category_id
                    )
                )
            ),
        )

    def performances(self) -> Sequence[Performance]:
        """Every performance, by product then start; each built (and cached) as by id."""

        def load() -> tuple[Performance, ...]:
            ids = (
                self._session.execute(
                    select(performances.c.performance_id).order_by(
                        performances.c.product_id,
                        performances.c.start,
                        performances.c.performance_id,
                    )
                )
                .scalars()
                .all()
            )
            found = (self.performance(performance_id) for performance_id in ids)
            return tuple(performance for performance in found if performance is not None)

        return self._cached("performances", load)

    def venue_name(self, venue_id: int) -> str | None:
        return self._cached(
            ("venueName", venue_id),
            lambda: self._session.execute(
                select(venues.c.name).where(venues.c.venue_id == venue_id)
            ).scalar_one_or_none(),
        )

    def items(self) -> Sequence[Item]:
        def load() -> tuple[Item, ...]:
            ids = (
                self._session.execute(select(items.c.item_id).order_by(items.c.item_id))
                .scalars()
                .all()
            )
            found = (self.item(item_id) for item_id in ids)
            return tuple(item for item in found if item is not None)

        return self._cached("items", load)

    # -- failed logins (service/rate_limits.py FailedLoginLog), shared by every process --------

    def login_states(self, keys: Sequence[str]) -> dict[str, tuple[int, float | None]]:
        rows = self._rows(
            select(
                login_failures.c.login_key,
                login_failures.c.failures,
                login_failures.c.locked_until_ms,
            ).where(login_failures.c.login_key.in_(list(keys)))
        )
        return {
            row.login_key: (
                int(row.failures),
                row.locked_until_ms / 1000 if row.locked_until_ms is not None else None,
            )
            for row in rows
        }

    def record_login_failure(
        self,
        key: str,
        now: float,
        max_failures: int,
        window_seconds: float,
        cooldown_seconds: float,
    ) -> None:
        now_ms, table = int(now * 1000), login_failures
        in_window = table.c.window_started_ms > now_ms - int(window_seconds * 1000)
        # One statement, so that concurrent failures of one login are all counted.
        counted = self._session.execute(
            update(table)
            .where(table.c.login_key == key)
            .values(
                failures=case((in_window, table.c.failures + 1), else_=1),
                window_started_ms=case((in_window, table.c.window_started_ms), else_=now_ms),
            )
            .returning(table.c.failures)
        ).scalar_one_or_none()
        if counted is None:
            try:
                with self._session.begin_nested():
                    self._session.execute(
                        insert(table).values(login_key=key, failures=1, window_started_ms=now_ms)
                    )
                counted = 1
            except IntegrityError:
                # Another process inserted the row first: count this failure on it.
                self.record_login_failure(key, now, max_failures, window_seconds, cooldown_seconds)
                return
        if counted >= max_failures:
            self._session.execute(
                update(table)
                .where(table.c.login_key == key)
                .values(
                    failures=0,
                    window_started_ms=now_ms,
                    locked_until_ms=now_ms + int(cooldown_seconds * 1000),
                )
            )
        # Rows of logins that stopped failing long ago would only grow the table.
        self._session.execute(
            delete(table).where(
                table.c.window_started_ms
                < now_ms - int(max(window_seconds, cooldown_seconds) * 1000),
                (table.c.locked_until_ms.is_(None)) | (table.c.locked_until_ms < now_ms),
            )
        )

    def clear_login_failures(self, key: str) -> None:
        self._session.execute(delete(login_failures).where(login_failures.c.login_key == key))


def _area(row: Any) -> Area:
    return Area(
        area_id=row.area_id,
        venue_id=row.venue_id,
        name=row.name,
        numbered=row.numbered,
        capacity=row.capacity,
        seat_category_id=row.seat_category_id,
    )
