"""The one place that wires everything: settings -> engine -> unit of work -> applications."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy.engine import Engine

from boxoffice.calls import CLIENT_ADDRESS_KEY, CallObserver
from boxoffice.client_address import client_address
from boxoffice.console.app import ConsoleApp
from boxoffice.console.call_recorder import CallRecorder
from boxoffice.persistence.call_limits import SqlCallLimiter
from boxoffice.persistence.catalog_repository import CatalogCache, SqlCatalogRepository
from boxoffice.persistence.console_call_log import SqlCallLog, SqlSessionStore
from boxoffice.persistence.console_reads import SqlConsoleReads
from boxoffice.persistence.engine import create_engine_for, create_schema
from boxoffice.persistence.state_history import install_state_history
from boxoffice.persistence.unit_of_work import SqlUnitOfWork, make_unit_of_work_factory
from boxoffice.purger import RetentionPurger
from boxoffice.rest.gateway import JsonGateway, json_fault
from boxoffice.service.authentication import Authenticator
from boxoffice.settings import Settings
from boxoffice.soap.application import SERVICES
from boxoffice.soap.envelope import fault_envelope
from boxoffice.soap.gateway import SoapGateway
from boxoffice.soap.responder import Runtime, log_unexpected
from boxoffice.sweeper import ExpirySweeper

StartResponse = Callable[..., Any]


def utc_now() -> datetime:
    return datetime.now(UTC)


class Mount(Protocol):
    """A WSGI application that answers the paths it says it handles."""

    def handles(self, path: str) -> bool: ...
    def __call__(
        self, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]: ...


@dataclass
class Boxoffice:
    """A wired instance: its engine, its unit-of-work factory and its WSGI application."""

    engine: Engine
    uow_factory: Callable[[], SqlUnitOfWork]
    gateway: SoapGateway
    json_gateway: JsonGateway
    clock: Callable[[], datetime] = utc_now
    # Further applications on the same port, asked in order after the two API gateways.
    mounts: list[Mount] = field(default_factory=list)
    # The console's call log observer (its queue, its counts of stored and dropped calls).
    call_recorder: CallRecorder | None = None
    # The header a trusted proxy puts the client's address in (client_address.py), if any.
    client_address_header: str | None = None

    def expiry_sweeper(self, interval_seconds: float) -> ExpirySweeper:
        """A sweeper over this instance's database and clock, not yet started."""
        return ExpirySweeper(self.uow_factory, self.clock, interval_seconds)

    def retention_purger(self, after_days: float) -> RetentionPurger:
        """A daily purge of carts ended `after_days` ago, over this database; not yet started."""
        return RetentionPurger(self.engine, self.clock, after_days)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        environ[CLIENT_ADDRESS_KEY] = client_address(environ, self.client_address_header)
        started: list[str] = []

        def tracked(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
            started.append(status)
            return start_response(status, headers, *exc_info)

        try:
            if self.gateway.handles(path):
                return self.gateway(environ, tracked)
            if self.json_gateway.handles(path):
                return self.json_gateway(environ, tracked)
            for mount in self.mounts:
                if mount.handles(path):
                    return mount(environ, tracked)
        except Exception as error:
            # The last guard: an error the gateways let through (the database gone while a
            # login is checked, say) still answers a Server fault carrying only an id.
            if started:
                raise
            return server_fault(
                path, error, start_response, as_json=self.json_gateway.handles(path)
            )
        body = b"Not found. SOAP: /tnseb/external-remoting/..., JSON: /tnseb/backend-apis/...\n"
        start_response(
            "404 Not Found",
            [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))],
        )
        return [body]


def server_fault(
    path: str, error: Exception, start_response: StartResponse, *, as_json: bool
) -> list[bytes]:
    """Logs the error under a fresh correlation id; answers that id and nothing else."""
    correlation_id, message = log_unexpected(error, path=path)
    if as_json:
        return json_fault(start_response, "500 Internal Server Error", "Server", message)
    body = fault_envelope("Server", message, correlation_id)
    start_response(
        "500 Internal Server Error",
        [("Content-Type", "text/xml; charset=utf-8"), ("Content-Length", str(len(body)))],
    )
    return [body]


def unit_of_work_factory(engine: Engine) -> Callable[[], SqlUnitOfWork]:
    """One process's factory: its catalog cache and seat-map cache are shared by every call."""
    catalog_cache = CatalogCache()
    return make_unit_of_work_factory(
        engine, lambda session: SqlCatalogRepository(session, catalog_cache)
    )


def build(
    settings: Settings,
    clock: Callable[[], datetime] = utc_now,
    observers: Sequence[CallObserver] = (),
) -> Boxoffice:
    """Wires one process's application; every finished API call is reported to `observers`."""
    engine = create_engine_for(settings.database_url, pool_size=settings.database_pool_size)
    create_schema(engine)
    install_state_history()
    uow_factory = unit_of_work_factory(engine)
    runtime = Runtime(uow_factory, clock)
    authenticator = Authenticator(
        uow_factory,
        call_limits=SqlCallLimiter(engine),
        concurrent_hashes=settings.concurrent_password_checks,
    )
    call_log = SqlCallLog(engine)
    recorder = CallRecorder(
        call_log,
        clock,
        max_calls=settings.call_log_max_calls,
        max_age_seconds=settings.call_log_max_age_seconds,
    )
    observers = [*observers, recorder]
    gateway = SoapGateway(
        SERVICES,
        runtime,
        authenticator,
        max_body_bytes=settings.max_body_bytes,
        observers=observers,
        public_url=settings.public_url,
    )
    json_gateway = JsonGateway(runtime, authenticator, settings.max_body_bytes, observers)
    console = ConsoleApp(
        authenticator, SqlSessionStore(engine), SqlConsoleReads(engine), call_log, clock
    )
    return Boxoffice(
        engine,
        uow_factory,
        gateway,
        json_gateway,
        clock,
        mounts=[console],
        call_recorder=recorder,
        client_address_header=settings.client_address_header,
    )
