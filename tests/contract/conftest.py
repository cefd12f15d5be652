"""Contract fixtures: the real WSGI application in-process, driven by zeep built from wsdl/."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from zeep import Client
from zeep.wsse.username import UsernameToken

from boxoffice.bootstrap import Boxoffice, build
from boxoffice.persistence.catalog_loader import load_catalog
from boxoffice.persistence.engine import create_engine_for, create_schema
from boxoffice.settings import Settings
from tests.contract import catalog
from tests.contract.wsgi_transport import WsgiTransport

WSDL_DIR = Path(__file__).resolve().parents[2] / "wsdl"


class FakeClock:
    """Time that moves only when a test says so."""

    def __init__(self) -> None:
        self.now = datetime(2027, 1, 15, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class Reseller:
    """One operator's pair of zeep clients."""

    facade: Any
    orders: Any

    def new_order(self, **extra: Any) -> int:
        result = self.facade.service.createOrder(
            pointOfSalesId=extra.pop("pos", catalog.POS_A), **extra
        )
        assert result.statusCode == "success", result
        return int(result.orderUpdateData.orderId)

    def add(self, order_id: int, **operation: Any) -> Any:
        return self.facade.service.addOperation(orderId=order_id, operation=operation)

    def add_seats(self, order_id: int, quantity: int, **extra: Any) -> Any:
        return self.add(
            order_id,
            kind="SEAT",
            performanceId=extra.pop("performanceId", catalog.PERFORMANCE),
            seatCategoryId=extra.pop("seatCategoryId", catalog.CATEGORY_1),
            audienceSubCategoryId=extra.pop("audienceSubCategoryId", catalog.ADULT),
            quantity=quantity,
            **extra,
        )

    def details(self, order_id: int) -> Any:
        result = self.orders.service.getOrderDetails(orderId=order_id)
        assert result.statusCode == "success", result
        return result.orderDetailsData


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the contract catalog loaded once; passwords hash slowly on purpose."""
    path = tmp_path_factory.mktemp("template") / "contract.db"
    engine = create_engine_for(f"sqlite:///{path}")
    create_schema(engine)
    load_catalog(engine, catalog.contract_catalog())
    engine.dispose()
    return path


@pytest.fixture
def app(tmp_path: Path, clock: FakeClock, template_database: Path) -> Iterator[Boxoffice]:
    database = tmp_path / "contract.db"
    shutil.copyfile(template_database, database)
    application = build(Settings(database_url=f"sqlite:///{database}"), clock)
    yield application
    application.engine.dispose()


def clients(app: Boxoffice, login: str, password: str) -> Reseller:
    transport = WsgiTransport(app)
    token = UsernameToken(login, password)
    return Reseller(
        facade=Client(str(WSDL_DIR / "ExternalOrderFacade.wsdl"), wsse=token, transport=transport),
        orders=Client(str(WSDL_DIR / "ExternalOrderService.wsdl"), wsse=token, transport=transport),
    )


@pytest.fixture
def reseller(app: Boxoffice) -> Reseller:
    return clients(app, catalog.LOGIN_A, catalog.PASSWORD_A)


@pytest.fixture
def other_reseller(app: Boxoffice) -> Reseller:
    return clients(app, catalog.LOGIN_B, catalog.PASSWORD_B)


# The sibling services' clients (tests/contract/siblings.py), imported late: it builds on this.
@pytest.fixture
def seller(app: Boxoffice) -> Any:
    from tests.contract.siblings import siblings

    return siblings(app, catalog.LOGIN_A, catalog.PASSWORD_A)


@pytest.fixture
def other_seller(app: Boxoffice) -> Any:
    from tests.contract.siblings import siblings

    return siblings(app, catalog.LOGIN_B, catalog.PASSWORD_B)
