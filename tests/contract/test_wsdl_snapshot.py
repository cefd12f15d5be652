"""The served WSDL is the one checked in under wsdl/, so generated clients stay true."""

from __future__ import annotations

from pathlib import Path

import pytest

from boxoffice.bootstrap import Boxoffice
from boxoffice.soap.application import SERVICES, ServiceDefinition
from tests.contract.wsgi_transport import call_wsgi

SNAPSHOT_DIR = Path(__file__).resolve().parents[2] / "wsdl"
REGENERATE = "boxoffice wsdl --output-dir wsdl   (or: tox -e wsdl)"


@pytest.mark.parametrize("definition", SERVICES, ids=[d.name for d in SERVICES])
def test_the_served_wsdl_equals_the_checked_in_snapshot(
    app: Boxoffice, definition: ServiceDefinition
) -> None:
    served = call_wsgi(app, "GET", f"http://localhost:8080{definition.path}?wsdl").content
    snapshot = (SNAPSHOT_DIR / f"{definition.name}.wsdl").read_bytes()
    assert served == snapshot, (
        f"wsdl/{definition.name}.wsdl is out of date with the code; regenerate it with: "
        f"{REGENERATE}, review the diff, and commit it with the change."
    )


def test_the_wsdl_documents_unqualified_children_and_the_error_keys() -> None:
    text = (SNAPSHOT_DIR / "ExternalOrderService.wsdl").read_text()
    assert 'elementFormDefault="unqualified"' in text
    assert "error.order.availability" in text and "error.order.expired" in text
