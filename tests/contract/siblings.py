"""zeep clients of the sibling services (contract §9.4), built from the checked-in WSDLs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zeep import Client
from zeep.wsse.username import UsernameToken

from boxoffice.bootstrap import Boxoffice
from tests.contract import catalog
from tests.contract.conftest import WSDL_DIR, Reseller, clients
from tests.contract.wsgi_transport import WsgiTransport


@dataclass
class Siblings:
    """One operator's clients of every service of the sale flow."""

    orders: Reseller
    catalog: Any
    availability: Any
    seating: Any

    def figures(self, **request: Any) -> list[Any]:
        """getPerformanceAvailability's figures; asserts success."""
        request.setdefault("performanceIds", [catalog.PERFORMANCE])
        result = self.availability.service.getPerformanceAvailability(**request)
        assert result.statusCode == "success", result
        return list(result.availabilityData)

    def free(self, **request: Any) -> int:
        (figure,) = self.figures(**request)
        return int(figure.quantity)

    def seat_states(self, performance_id: int = catalog.PERFORMANCE) -> dict[int, str]:
        result = self.availability.service.getSeatsAvailability(performanceId=performance_id)
        assert result.statusCode == "success", result
        return {s.seatId: s.status for s in result.seatAvailabilityData}


def siblings(app: Boxoffice, login: str, password: str) -> Siblings:
    transport = WsgiTransport(app)
    token = UsernameToken(login, password)

    def client(name: str) -> Any:
        return Client(str(WSDL_DIR / f"{name}.wsdl"), wsse=token, transport=transport)

    return Siblings(
        clients(app, login, password),
        client("CatalogService"),
        client("AvailabilityService"),
        client("ExternalSeatingService"),
    )
