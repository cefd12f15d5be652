"""The one place that wires everything: settings -> engine -> unit of work -> applications."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Engine

from boxoffice.persistence.catalog_repository import CatalogCache, SqlCatalogRepository
from boxoffice.persistence.engine import create_engine_for, create_schema
from boxoffice.persistence.inventory import SeatMapCache
from boxoffice.persistence.mapping import start_mappers
from boxoffice.persistence.unit_of_work import SqlUnitOfWork
from boxoffice.rest.gateway import JsonGateway
from boxoffice.service.authentication import Authenticator
from boxoffice.settings import Settings
from boxoffice.soap.application import SERVICES
from boxoffice.soap.gateway import SoapGateway
from boxoffice.soap.responder import Runtime

StartResponse = Callable[..., Any]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Boxoffice:
    """A wired instance: its engine, its unit-of-work factory and its WSGI application."""

    engine: Engine
    uow_factory: Callable[[], SqlUnitOfWork]
    gateway: SoapGateway
    json_gateway: JsonGateway

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if self.gateway.handles(path):
            return self.gateway(environ, start_response)
        if self.json_gateway.handles(path):
            return self.json_gateway(environ, start_response)
        body = b"Not found. SOAP: /tnseb/external-remoting/..., JSON: /tnseb/backend-apis/...\n"
        start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8"),
                                         ("Content-Length", str(len(body)))])
        return [body]


def unit_of_work_factory(engine: Engine) -> Callable[[], SqlUnitOfWork]:
    start_mappers()
    catalog_cache, seat_maps = CatalogCache(), SeatMapCache()
    from sqlalchemy.orm import sessionmaker

    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    return lambda: SqlUnitOfWork(
        sessions, lambda session: SqlCatalogRepository(session, catalog_cache), seat_maps
    )


def build(settings: Settings, clock: Callable[[], datetime] = utc_now) -> Boxoffice:
    engine = create_engine_for(settings.database_url)
    create_schema(engine)
    uow_factory = unit_of_work_factory(engine)
    runtime, authenticator = Runtime(uow_factory, clock), Authenticator(uow_factory)
    gateway = SoapGateway(SERVICES, runtime, authenticator,
                          max_body_bytes=settings.max_body_bytes)
    json_gateway = JsonGateway(runtime, authenticator, settings.max_body_bytes)
    return Boxoffice(engine, uow_factory, gateway, json_gateway)
