"""What the fault tests share: a short-expiry catalog, a zeep reseller, SQL checks, figures."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import requests
import zeep
import zeep.exceptions
from lxml import etree
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from zeep.transports import Transport
from zeep.wsse.username import UsernameToken

from tests.system.conftest import ENDPOINT_PREFIX, WSDL_DIR

# The demo catalog (src/boxoffice/demo/demo-catalog.json).
PERFORMANCES = (101036924388, 101036924389)
CATEGORY_1, CATEGORY_2 = 466681816, 466681817
ADULT = 306159078


@dataclass(frozen=True)
class Channel:
    login: str
    password: str
    point_of_sales_id: int


# Channel A gets the short expiry delay of each test; channel B keeps the demo's 20 minutes.
CHANNEL_A = Channel("RESELLER_A_WS", "demo-a-secret", 466653735)
CHANNEL_B = Channel("RESELLER_B_WS", "demo-b-secret", 466653736)
FRESH_CHANNEL_B = Channel("RESELLER_B_FRESH", "fresh-b-secret", 466653736)

# What every unexpected error must look like on the wire: the id and nothing else.
SERVER_FAULT_MESSAGE = r"Internal error; correlation id (?P<id>[0-9a-f]{32})\."
LEAK_MARKERS = (
    "Traceback",
    "psycopg",
    "sqlalchemy",
    "OperationalError",
    "SELECT",
    "UPDATE",
    "INSERT",
    "5432",
    "connection",
    "postgres",
    "sqlite",
    ".py",
)


def short_expiry_catalog(
    directory: Path, inactivity_seconds: int, lifespan_seconds: int = 3600
) -> Path:
    """The demo catalog with channel A's orders expiring after `inactivity_seconds` idle.

    Channel B also gets the operator FRESH_CHANNEL_B, for a first login at a chosen moment.
    """
    document = json.loads(
        resources.files("boxoffice.demo").joinpath("demo-catalog.json").read_text("utf-8")
    )
    channel = next(c for c in document["salesChannels"] if c["code"] == "RESELLER_A")
    channel["orderExpiryDelaySeconds"] = inactivity_seconds
    channel["orderMaxLifespanSeconds"] = lifespan_seconds
    channel_b = next(c for c in document["salesChannels"] if c["code"] == "RESELLER_B")
    channel_b["operators"].append(
        {"login": FRESH_CHANNEL_B.login, "password": FRESH_CHANNEL_B.password}
    )
    path = directory / f"catalog-expiry-{inactivity_seconds}s.json"
    path.write_text(json.dumps(document), "utf-8")
    return path


# -- a reseller over zeep ------------------------------------------------------------------------


def endpoint(port: int, service: str) -> str:
    return f"http://127.0.0.1:{port}{ENDPOINT_PREFIX}{service}.webservice"


class Reseller:
    """Both services for one operator, aimed at a port (the server's or a proxy's)."""

    def __init__(self, port: int, channel: Channel = CHANNEL_A, timeout: float = 60) -> None:
        self.channel = channel
        self.port = port
        transport = Transport(timeout=60, operation_timeout=timeout)
        self.clients: dict[str, zeep.Client] = {}
        self.facade = self._proxy(port, "ExternalOrderFacade", transport)
        self.service = self._proxy(port, "ExternalOrderService", transport)

    def _proxy(self, port: int, service: str, transport: Transport) -> Any:
        client = zeep.Client(
            str(WSDL_DIR / f"{service}.wsdl"),
            transport=transport,
            wsse=UsernameToken(self.channel.login, self.channel.password),
        )
        self.clients[service] = client
        binding = f"{{http://v1_33.{service}.service.secutix.com}}{service}"
        return client.create_service(binding, endpoint(port, service))

    def raw(self, service: str, operation: str, parameters: dict[str, Any]) -> requests.Response:
        """The operation's envelope, built by zeep, posted as is: the whole answer to inspect."""
        client = self.clients[service]
        binding = f"{{http://v1_33.{service}.service.secutix.com}}{service}"
        proxy = client.create_service(binding, endpoint(self.port, service))
        message = client.create_message(proxy, operation, **parameters)
        return requests.post(
            endpoint(self.port, service),
            data=etree.tostring(message),
            headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'},
            timeout=60,
        )

    def open_order(
        self, quantity: int = 2, performance_id: int = PERFORMANCES[0], category: int = CATEGORY_1
    ) -> int:
        """A new order holding `quantity` seats chosen automatically, in one call."""
        created = self.facade.createOrUpdateOrder(
            pointOfSalesId=self.channel.point_of_sales_id,
            singleEntryAttributionOperations=[
                {
                    "operationAttributions": [
                        {
                            "performanceId": performance_id,
                            "seatCategoryId": category,
                            "audienceSubCategoryId": ADULT,
                            "quantity": quantity,
                        }
                    ]
                }
            ],
        )
        assert created.statusCode == "success", created
        return int(created.orderUpdateData.orderId)

    def call(self, operation: str, **parameters: Any) -> Any:
        return getattr(self.service, operation)(**parameters)

    def details(self, order_id: int) -> Any:
        result = self.service.getOrderDetails(orderId=order_id)
        assert result.statusCode == "success", result
        return result.orderDetailsData


def outcome(call: Callable[..., Any], *arguments: Any, **parameters: Any) -> tuple[str, Any]:
    """('success', result), (statusDetail, result) for a refusal, ('fault:<code>', fault)."""
    try:
        result = call(*arguments, **parameters)
    except zeep.exceptions.Fault as fault:
        return f"fault:{fault.code}", fault
    except requests.RequestException as error:
        return f"transport:{type(error).__name__}", error
    if result.statusCode == "success":
        return "success", result
    return str(result.statusDetail), result


def barcodes_of(order_data: Any) -> dict[int, str | None]:
    return {int(m.movementId): m.barcode for m in order_data.movementDatas}


# -- the truth in the database -------------------------------------------------------------------


@dataclass
class OrderRow:
    order_id: int
    state: str
    expires_at: datetime
    updated_at: datetime
    movements: dict[int, tuple[str, str | None]] = field(default_factory=dict)

    @property
    def barcodes(self) -> dict[int, str | None]:
        return {movement_id: barcode for movement_id, (_, barcode) in self.movements.items()}


class Database:
    """Plain SQL on the test database, beside the server (never through it)."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = create_engine(url, pool_pre_ping=True)

    def close(self) -> None:
        self.engine.dispose()

    def orders(self, order_ids: Iterable[int]) -> dict[int, OrderRow]:
        ids = sorted(set(order_ids))
        rows: dict[int, OrderRow] = {}
        if not ids:
            return rows
        with self.engine.connect() as connection:
            for order_id, state, expires_at, updated_at in connection.execute(
                text(
                    "SELECT order_id, state, expires_at, updated_at FROM orders "
                    "WHERE order_id IN (" + ",".join(str(int(i)) for i in ids) + ")"
                )
            ):
                rows[int(order_id)] = OrderRow(
                    int(order_id), state, _utc(expires_at), _utc(updated_at)
                )
            for order_id, movement_id, state, barcode in connection.execute(
                text(
                    "SELECT o.order_id, m.movement_id, m.state, m.barcode FROM movements m "
                    "JOIN operations o ON o.operation_id = m.operation_id "
                    "WHERE o.order_id IN (" + ",".join(str(int(i)) for i in ids) + ")"
                )
            ):
                rows[int(order_id)].movements[int(movement_id)] = (state, barcode)
        return rows

    def count(self, table: str) -> int:
        with self.engine.connect() as connection:
            return int(connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())

    def counts(self) -> dict[str, int]:
        return {
            table: self.count(table)
            for table in ("orders", "operations", "movements", "payments", "file_contacts")
        }

    def live_seats_held_twice(self) -> int:
        """Seats of a performance held by more than one live movement: must stay 0."""
        with self.engine.connect() as connection:
            return int(
                connection.execute(
                    text(
                        "SELECT count(*) FROM (SELECT performance_id, seat_id FROM movements "
                        "WHERE state <> 'RELEASED' AND seat_id IS NOT NULL "
                        "GROUP BY performance_id, seat_id HAVING count(*) > 1) twice"
                    )
                ).scalar_one()
            )

    def wait_for(
        self, order_ids: Iterable[int], predicate: Callable[[OrderRow], bool], bound_seconds: float
    ) -> tuple[dict[int, OrderRow], float]:
        """Polls until every order satisfies `predicate`; the rows and the seconds it took."""
        started = time.monotonic()
        ids = list(order_ids)
        while True:
            rows = self.orders(ids)
            if all(predicate(rows[i]) for i in ids):
                return rows, time.monotonic() - started
            if time.monotonic() - started > bound_seconds:
                return rows, time.monotonic() - started
            time.sleep(0.1)


def _utc(value: Any) -> datetime:
    """A stored UTC moment as an aware datetime (SQLite hands back text)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def seconds_until(moment: datetime) -> float:
    return (moment - datetime.now(UTC)).total_seconds()


def consistency_problem(row: OrderRow) -> str | None:
    """Why an order is half-written, or None: fully closed, fully open or fully released."""
    states = {state for state, _ in row.movements.values()}
    with_barcode = [m for m, (_, barcode) in row.movements.items() if barcode]
    if not row.movements:
        return f"order {row.order_id} ({row.state}) has no movement"
    if row.state == "CLOSED":
        if states != {"SOLD"} or len(with_barcode) != len(row.movements):
            return f"order {row.order_id} CLOSED but movements {row.movements}"
    elif row.state in ("RUNNING", "VALIDATED"):
        if states != {"RESERVED"} or with_barcode:
            return f"order {row.order_id} {row.state} but movements {row.movements}"
    elif row.state in ("EXPIRED", "ABANDONED"):
        if states != {"RELEASED"} or with_barcode:
            return f"order {row.order_id} {row.state} but movements {row.movements}"
        if row.state == "EXPIRED" and row.updated_at < row.expires_at:
            return f"order {row.order_id} expired at {row.updated_at}, before {row.expires_at}"
    else:
        return f"order {row.order_id} in unknown state {row.state}"
    return None


# -- figures of the last run, printed at the end of the session ---------------------------------

FIGURES: list[str] = []


def record(line: str) -> None:
    FIGURES.append(line)
    print(line, flush=True)
