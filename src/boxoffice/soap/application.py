"""The two spyne applications, their endpoint paths and namespaces, and their WSDL documents."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import spyne.const
from lxml import etree
from spyne import Application, ServiceBase
from spyne.interface.wsdl import Wsdl11

from boxoffice.service.error_keys import documented_keys
from boxoffice.soap.catalog_types import availability_types, catalog_types, seating_types
from boxoffice.soap.protocol import S360Soap11
from boxoffice.soap.responder import Runtime
from boxoffice.soap.services.availability import build_availability_service
from boxoffice.soap.services.catalog import build_catalog_service
from boxoffice.soap.services.facade import build_facade
from boxoffice.soap.services.order_service import build_order_service
from boxoffice.soap.services.seating import build_seating_service
from boxoffice.soap.types import wire_types

# spyne runs a full gc.collect() after a call once a second by default: with a large heap (seat
# maps) that stalls every thread of the process for 100-200 ms. Python's own collector is left
# to do its work as usual.
spyne.const.MIN_GC_INTERVAL = math.inf

REMOTING = "/tnseb/external-remoting/com.secutix.service"
WSDL_NS = "http://schemas.xmlsoap.org/wsdl/"
SOAP_OVER_HTTP = "http://schemas.xmlsoap.org/soap/http"


@dataclass(frozen=True)
class ServiceDefinition:
    """One real service: its name, namespace, SOAP path, JSON twin route and spyne class."""

    name: str
    tns: str
    path: str
    json_route: str
    build: Callable[[SimpleNamespace], type[ServiceBase]]
    types: Callable[[str], SimpleNamespace] = wire_types

    def service_class(self) -> type[ServiceBase]:
        return self.build(self.types(self.tns))


def service_definition(
    module: str,
    version: str,
    name: str,
    build: Callable[[SimpleNamespace], type[ServiceBase]],
    types: Callable[[str], SimpleNamespace] = wire_types,
) -> ServiceDefinition:
    """A service at the platform's URL pattern (contract §9.4):
    /tnseb/external-remoting/com.secutix.service.{module}.{version}.{name}.webservice,
    namespace http://{version}.{name}.service.secutix.com, JSON twin
    /tnseb/backend-apis/{name with a lower-case initial}/{version}/{operation}."""
    return ServiceDefinition(
        name=name,
        tns=f"http://{version}.{name}.service.secutix.com",
        path=f"{REMOTING}.{module}.{version}.{name}.webservice",
        json_route=f"{name[0].lower()}{name[1:]}/{version}",
        build=build,
        types=types,
    )


FACADE = service_definition("realtime.externalorder", "v1_33", "ExternalOrderFacade", build_facade)
ORDER_SERVICE = service_definition(
    "realtime.externalorder", "v1_33", "ExternalOrderService", build_order_service
)
# The sibling services of the same sale flow (contract §9.4).
CATALOG = service_definition(
    "catalog", "v1_33", "CatalogService", build_catalog_service, catalog_types
)
AVAILABILITY = service_definition(
    "availability", "v1_33", "AvailabilityService", build_availability_service, availability_types
)
SEATING = service_definition(
    "seat", "v1_0", "ExternalSeatingService", build_seating_service, seating_types
)
# Every service boxoffice serves, over SOAP and as a JSON twin; `boxoffice wsdl` writes each.
SERVICES = (FACADE, ORDER_SERVICE, CATALOG, AVAILABILITY, SEATING)


def build_application(definition: ServiceDefinition, runtime: Runtime | None) -> Application:
    # spyne runs a full gc.collect() at the end of a call whenever the last one is a second old,
    # "to return file descriptors in a timely manner". Nothing here leaves a descriptor to the
    # collector, and with a 60,000-seat map in memory one full collection costs 100-200 ms of
    # one call's time: the sale path measured it as its largest cost. Python's own generational
    # collector keeps running as usual.
    spyne.const.MIN_GC_INTERVAL = float("inf")
    service = definition.service_class()
    application = Application(
        [service],
        tns=definition.tns,
        name=definition.name,
        in_protocol=S360Soap11(validator="soft"),
        out_protocol=S360Soap11(),
    )
    application.runtime = runtime
    # The WSDL binding names its transport from this; zeep ignores ports on any other.
    application.transport = SOAP_OVER_HTTP
    return application


XSD = "http://www.w3.org/2001/XMLSchema"
_DECLARATION_ORDER = {"import": 0, "simpleType": 1, "complexType": 2, "element": 3}


def _sort_schema_declarations(root: etree._Element) -> None:
    """Puts each schema's top-level declarations in one fixed order.

    spyne emits them in the order it met the types, which depends on what the process built
    before; the order means nothing in XSD, and a fixed one keeps the snapshot comparable.
    """
    for schema in root.iter(f"{{{XSD}}}schema"):
        declarations = [child for child in schema if isinstance(child.tag, str)]
        declarations.sort(
            key=lambda child: (
                _DECLARATION_ORDER.get(etree.QName(child).localname, 9),
                child.get("name") or "",
            )
        )
        for child in declarations:
            schema.append(child)


def render_wsdl(application: Application, url: str) -> bytes:
    """The service's WSDL, unqualified children, with the business error keys documented."""
    document = Wsdl11(application.interface, element_form_default="unqualified")
    document.build_interface_document(url)
    root = etree.fromstring(document.get_interface_document())
    _sort_schema_declarations(root)
    lines = ["Business refusals answer statusCode=error with one of these statusDetail keys:"]
    lines += [f"  {key}: {meaning}" for key, meaning in documented_keys()]
    documentation = etree.Element(f"{{{WSDL_NS}}}documentation")
    documentation.text = "\n".join(lines)
    root.insert(0, documentation)
    etree.indent(root, space="  ")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
