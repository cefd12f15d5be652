"""Issue 10, item 4 against a running server: the WSDL's addresses and forged Host headers."""

from __future__ import annotations

import re
import threading
from pathlib import Path

from tests.hostile.attack import ATTACKER, HONEST, Client, rss_kib
from tests.hostile.conftest import hostile_catalog
from tests.system.conftest import ENDPOINT_PREFIX, StartServer

FACADE = ENDPOINT_PREFIX + "ExternalOrderFacade.webservice"
ADDRESS = re.compile(rb'<[\w]+:address location="([^"]*)"')
FORGED_HOSTS = 10_000


def wsdl(client: Client, host: str) -> tuple[int, bytes]:
    return client.request("GET", FACADE + "?wsdl", headers={"Host": host})


def test_the_public_url_names_the_addresses_whatever_host_a_caller_sends(
    start_server: StartServer, tmp_path: Path
) -> None:
    server = start_server(
        catalog=hostile_catalog(tmp_path),
        environment={"BOXOFFICE_PUBLIC_URL": "https://tickets.example.com/"},
    )
    status, document = wsdl(Client(server.port, ATTACKER), "evil.example.org")
    assert status == 200
    assert ADDRESS.findall(document) == [b"https://tickets.example.com" + FACADE.encode()]


def test_without_a_public_url_the_address_follows_a_valid_host_and_refuses_others(
    start_server: StartServer, tmp_path: Path
) -> None:
    server = start_server(catalog=hostile_catalog(tmp_path))
    client = Client(server.port, HONEST)
    status, document = wsdl(client, f"127.0.0.1:{server.port}")
    assert status == 200
    assert ADDRESS.findall(document) == [f"http://127.0.0.1:{server.port}{FACADE}".encode()]
    status, document = wsdl(client, "[::1]:8443")
    assert ADDRESS.findall(document) == [f"http://[::1]:8443{FACADE}".encode()]
    for forged in ("x" * 200_000, 'a"><script>', "host name", "a.example:99999999"):
        status, body = wsdl(client, forged)
        assert status == 400 and b":address" not in body, forged[:20]


def test_ten_thousand_forged_hosts_grow_the_server_by_less_than_10_mb(
    start_server: StartServer, tmp_path: Path
) -> None:
    server = start_server(catalog=hostile_catalog(tmp_path))
    client = Client(server.port, ATTACKER)
    for warm_up in range(50):  # the one document and the server's buffers exist before
        assert wsdl(client, f"warm-{warm_up}.example")[0] == 200
    before = rss_kib(server.process.pid)

    answered: list[int] = []

    def forge(first: int) -> None:
        attacker = Client(server.port, ATTACKER)
        for number in range(first, FORGED_HOSTS, 4):
            status, document = wsdl(attacker, f"forged-{number}.example.org:{number % 65535}")
            if status == 200 and f"forged-{number}.".encode() in document:
                answered.append(number)
        attacker.close()

    threads = [threading.Thread(target=forge, args=(first,)) for first in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    grown_kib = rss_kib(server.process.pid) - before
    assert len(answered) == FORGED_HOSTS  # each with its own host in the addresses
    print(f"RSS grew by {grown_kib} KiB over {FORGED_HOSTS} forged hosts")
    assert grown_kib < 10 * 1024
