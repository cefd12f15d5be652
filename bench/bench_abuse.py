"""The attacks of issue 10 against a real `boxoffice serve`, with figures for the closing note.

Run from the repository root, in the virtual environment of the README's set-up:

    PYTHONPATH=src:. python bench/bench_abuse.py [attack,attack...]   # all by default

To measure another version of the code (main before the change, say), point PYTHONPATH's
first entry at its `src`: the server runs whatever `boxoffice` that path holds; the attack
tools come from this checkout's tests/hostile/attack.py. Every server runs on a fresh SQLite
database with the demo catalog; attackers send from 127.0.0.2, the honest reseller from
127.0.0.1. Each figure is printed with the baseline measured in the same run.
"""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.hostile.attack import (
    ATTACKER,
    HONEST,
    Client,
    Flood,
    cpu_seconds,
    median_ms,
    rss_kib,
    until_fast,
)
from tests.hostile.conftest import (
    LOGIN_A,
    MISSING,
    PASSWORD_A,
    POS_A,
    envelope,
    hostile_catalog,
)

PREFIX = "/tnseb/external-remoting/com.secutix.service.realtime.externalorder.v1_33."
SERVICE = PREFIX + "ExternalOrderService.webservice"
FACADE = PREFIX + "ExternalOrderFacade.webservice"
JSON_SERVICE = "/tnseb/backend-apis/externalOrderService/v1_33/"
SOAP_HEADERS = {"Content-Type": "text/xml; charset=utf-8"}
JSON_HEADERS = {
    "Content-Type": "application/json",
    "Authorization": "Basic " + base64.b64encode(f"{LOGIN_A}:{PASSWORD_A}".encode()).decode(),
}


def to_xml(parameters: dict[str, object]) -> str:
    """Parameters as an operation's children (kept here: the code measured may be older)."""
    return "".join(
        f"<{name}>{item}</{name}>"
        for name, value in parameters.items()
        for item in (value if isinstance(value, list) else [value])
    )


class Server:
    def __init__(
        self, directory: Path, catalog: Path, load: bool = True, **environment: str
    ) -> None:
        self.directory, self.url = directory, f"sqlite:///{directory / 'bench.db'}"
        self.environment = dict(
            os.environ, BOXOFFICE_DATABASE_URL=self.url, BOXOFFICE_LOG_LEVEL="WARNING"
        )
        self.environment.update(environment)
        command = [sys.executable, "-m", "boxoffice.cli"]
        if load:
            subprocess.run(
                [*command, "catalog", "load", str(catalog)],
                env=self.environment,
                cwd=directory,
                check=True,
                capture_output=True,
            )
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [*command, "serve", "--port", str(self.port)],
            env=self.environment,
            cwd=directory,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                Client(self.port, HONEST, timeout=2).request("GET", FACADE + "?wsdl")
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("the server did not start")

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=20)


@contextmanager
def serving(
    directory: Path, catalog: Path, load: bool = True, **environment: str
) -> Iterator[Server]:
    server = Server(directory, catalog, load, **environment)
    try:
        yield server
    finally:
        server.stop()


def details(client: Client, login: str = LOGIN_A, password: str = PASSWORD_A) -> bool:
    status, body = client.request(
        "POST",
        SERVICE,
        envelope("getOrderDetails", f"<orderId>{MISSING}</orderId>", login, password),
        SOAP_HEADERS,
    )
    return status == 200 and b"error.order.notFound" in body


def guessing_then_restart(directory: Path, catalog: Path) -> None:
    with serving(directory, catalog) as server:
        with Flood(server.port, 4, lambda c, n: details(c, LOGIN_A, f"guess-{n}")) as flood:
            time.sleep(3)
        honest_before = details(Client(server.port, HONEST))
    with serving(directory, catalog, load=False) as server:
        honest_after = details(Client(server.port, HONEST))
    print(
        f"1. {flood.sent} guesses from {ATTACKER} for {LOGIN_A}: right password from {HONEST} "
        f"answered: {honest_before}; after a restart: {honest_after}"
    )


def spraying(directory: Path, catalog: Path) -> None:
    with serving(directory, catalog) as server:
        sprayer = Client(server.port, ATTACKER)
        logins = [LOGIN_A, *(f"RESELLER_{n}_WS" for n in range(39))]
        cpu = cpu_seconds(server.process.pid)
        for guess in range(120):
            details(sprayer, logins[guess % 40], f"Password{guess}!")
        print(
            f"2. 120 guesses over 40 logins from one address: server CPU "
            f"{cpu_seconds(server.process.pid) - cpu:.2f} s (one argon2 check ~0.05-0.1 s)"
        )


# The fair-share rule (serving/fair_share.py) off, then on: the baseline of the same run.
FAIR_SHARE = {"rule off": {"BOXOFFICE_FAIR_SHARE_SECONDS": "0"}, "rule on": {}}


def unknown_login_flood(directory: Path, catalog: Path) -> None:
    for name, environment in FAIR_SHARE.items():
        (directory / name).mkdir()
        with serving(directory / name, catalog, **environment) as server:
            idle, during, loaded, spent, sent = _unknown_login_flood(server)
        print(
            f"3. ({name}) honest median idle {idle:.1f} ms; under 32 connections of unknown "
            f"logins: {during:.1f} ms ({during / idle:.1f}x) while the first guesses are "
            f"checked, {loaded:.1f} ms ({loaded / idle:.1f}x) after {spent:.1f} s "
            f"({sent} attacker requests)"
        )


def _unknown_login_flood(server: Server) -> tuple[float, float, float, float, int]:
    honest = Client(server.port, HONEST)
    details(honest)
    idle = median_ms(lambda: details(honest), 60)
    with Flood(server.port, 32, lambda c, n: details(c, f"NOBODY_{n}_WS", "x")) as flood:
        during = median_ms(lambda: details(honest), 20)
        spent = until_fast(flood, bound_seconds=20)
        loaded = median_ms(lambda: details(honest), 60)
    return idle, during, loaded, spent, flood.sent


def largest_requests_flood(directory: Path, catalog: Path) -> None:
    for name, environment in FAIR_SHARE.items():
        (directory / name).mkdir()
        with serving(directory / name, catalog, **environment) as server:
            idle, loaded, rounds = _largest_requests_flood(server)
        print(
            f"6. ({name}) another reseller's getOrderDetails median idle {idle:.1f} ms; under "
            f"4 clients of the largest allowed requests {loaded:.1f} ms "
            f"({loaded / idle:.2f}x; {rounds} flood rounds)"
        )


def _largest_requests_flood(server: Server) -> tuple[float, float, int]:
    from tests.hostile.conftest import LOGIN_B, PASSWORD_B
    from tests.hostile.test_abuse_sizes import flood_round, json_call

    honest = Client(server.port, HONEST)
    created = json_call(honest, "createOrder", {"pointOfSalesId": 466653736}, LOGIN_B, PASSWORD_B)
    body = envelope(
        "getOrderDetails",
        f"<orderId>{created[1]['orderUpdateData']['orderId']}</orderId>",
        LOGIN_B,
        PASSWORD_B,
    )

    def read() -> None:
        honest.request("POST", SERVICE, body, SOAP_HEADERS)

    read()
    idle = median_ms(read, 60)
    with Flood(server.port, 4, lambda c, n: flood_round(c, f"f{n}-{id(c)}")) as flood:
        time.sleep(1.0)
        loaded = median_ms(read, 60)
    return idle, loaded, flood.sent


def forged_hosts(directory: Path, catalog: Path) -> None:
    with serving(directory, catalog) as server:
        client = Client(server.port, ATTACKER)
        for n in range(50):
            client.request("GET", FACADE + "?wsdl", headers={"Host": f"warm{n}.example"})
        before = rss_kib(server.process.pid)
        for n in range(10_000):
            client.request("GET", FACADE + "?wsdl", headers={"Host": f"forged-{n}.example.org"})
        print(
            f"4. 10,000 WSDL requests with forged hosts: RSS {before / 1024:.0f} MiB -> "
            f"{rss_kib(server.process.pid) / 1024:.0f} MiB"
        )


def oversized_lists(directory: Path, catalog: Path) -> None:
    with serving(directory, catalog) as server:
        client = Client(server.port, HONEST)
        auth = JSON_HEADERS
        details(client)
        timings = []
        for body, path, headers in (
            (
                envelope(
                    "cancelOperations",
                    to_xml({"orderId": MISSING, "operationIds": list(range(1, 30_000))}),
                ),
                SERVICE,
                SOAP_HEADERS,
            ),
            (
                json.dumps({"orderId": MISSING, "operationIds": list(range(1, 120_000))}).encode(),
                JSON_SERVICE + "cancelOperations",
                auth,
            ),
        ):
            cpu, started = cpu_seconds(server.process.pid), time.perf_counter()
            status, _ = client.request("POST", path, body, headers)
            timings.append(
                (status, time.perf_counter() - started, cpu_seconds(server.process.pid) - cpu)
            )
        print(
            "6. ~1 MiB of operationIds, SOAP (30,000) then JSON (120,000): "
            + "; ".join(
                f"HTTP {s}, wall {w * 1000:.0f} ms, server CPU {c * 1000:.0f} ms"
                for s, w, c in timings
            )
        )


def held_places(directory: Path, catalog: Path) -> None:
    with serving(directory, catalog) as server:
        client = Client(server.port, HONEST)
        auth = JSON_HEADERS
        held = 0
        for _ in range(32):
            created = json.loads(
                client.request(
                    "POST",
                    "/tnseb/backend-apis/externalOrderFacade/v1_33/createOrder",
                    json.dumps({"pointOfSalesId": POS_A}).encode(),
                    auth,
                )[1]
            )
            added = json.loads(
                client.request(
                    "POST",
                    "/tnseb/backend-apis/externalOrderFacade/v1_33/addOperation",
                    json.dumps(
                        {
                            "orderId": created["orderUpdateData"]["orderId"],
                            "operation": {
                                "kind": "ITEM",
                                "itemId": 77,
                                "audienceSubCategoryId": 306159078,
                                "quantity": 20,
                            },
                        }
                    ).encode(),
                    auth,
                )[1]
            )
            if added["statusCode"] != "success":
                break
            held += 20
        print(
            f"7. units of item 77 (stock 300) one reseller holds in up to 32 unpaid carts: "
            f"{held}, then {added.get('statusDetail', 'nothing refused')}"
        )


def password_change(directory: Path, catalog: Path) -> None:
    with serving(directory, catalog) as server:
        for _ in range(5):
            assert details(Client(server.port, HONEST))
        document = json.loads(catalog.read_text())
        document["salesChannels"][0]["operators"][0]["password"] = "new-secret"
        changed = directory / "changed.json"
        changed.write_text(json.dumps(document))
        subprocess.run(
            [sys.executable, "-m", "boxoffice.cli", "catalog", "load", str(changed)],
            env=server.environment,
            cwd=directory,
            check=True,
            capture_output=True,
        )
        loaded, client = time.monotonic(), Client(server.port, HONEST)
        while details(client) and time.monotonic() - loaded < 10:
            time.sleep(0.1)
        still = details(client)
        print(
            f"9. old password after catalog load: "
            f"{'still accepted after 10 s' if still else 'refused after'} "
            f"{'' if still else f'{time.monotonic() - loaded:.1f} s'}"
        )


ATTACKS = (
    guessing_then_restart,
    spraying,
    unknown_login_flood,
    forged_hosts,
    oversized_lists,
    largest_requests_flood,
    held_places,
    password_change,
)


def main() -> None:
    chosen = sys.argv[1].split(",") if len(sys.argv) > 1 else [a.__name__ for a in ATTACKS]
    print(f"load average {os.getloadavg()[0]:.1f}")
    for attack in (attack for attack in ATTACKS if attack.__name__ in chosen):
        with tempfile.TemporaryDirectory() as name:
            directory = Path(name)
            try:
                attack(directory, hostile_catalog(directory))
            except Exception as error:  # noqa: BLE001 (a figure missing is reported, not fatal)
                print(f"{attack.__name__}: failed: {error!r}")
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
