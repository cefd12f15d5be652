"""Many buyers at once on the last seats, standing places and items, against real servers.

Each run first starts the servers with the seat guards taken out (the test-only entry point
tests/unguarded.py) and must see the race (a seat held twice or a capacity exceeded); only then
does a clean run of `boxoffice serve` prove anything. Both runs set the environment variable
that older versions obeyed to switch the guards off: it must change nothing.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import pytest

from tests.concurrency.buyers import Ledger, run_buyers
from tests.concurrency.catalog import LOGIN, PASSWORD
from tests.concurrency.checks import (
    Races,
    problems_in_database,
    problems_told_by_the_api,
    races_in,
)
from tests.concurrency.conftest import FIGURES, RaceSite
from tests.concurrency.soap_client import SoapClient

CLIENTS = int(os.environ.get("BOXOFFICE_RACE_CLIENTS", "50"))
ORDERS_PER_CLIENT = int(os.environ.get("BOXOFFICE_RACE_ORDERS", "3"))
SERVERS = 2
BOUND_SECONDS = 60
OLD_SEAT_GUARD_SWITCH = "BOXOFFICE_TEST_DISABLE_SEAT_GUARD"


@dataclass
class Run:
    ledger: Ledger
    races: Races
    seconds: float
    problems: list[str]

    def figures(self, backend: str, guard: str) -> str:
        ledger = self.ledger
        return (
            f"{backend:10} guard {guard:3}: {CLIENTS} clients x {SERVERS} servers, "
            f"{ledger.calls} calls, {len(ledger.lines)} lines sold, "
            f"{sum(ledger.refusals.values())} refusals {dict(ledger.refusals)}, "
            f"{ledger.faults} faults, {ledger.closes} closed, {ledger.abandons} abandoned, "
            f"races: {self.races.seats_held_twice} seats held twice, "
            f"{self.races.standing_over_capacity} standing + "
            f"{self.races.items_over_stock} items over capacity; {self.seconds:.1f} s"
        )


def _run(site: RaceSite, *, guarded: bool, seed: int) -> Run:
    database_url = site.fresh_database()
    environment = site.environment(database_url)
    # The switch older versions obeyed: it must change nothing now (issue 9).
    environment[OLD_SEAT_GUARD_SWITCH] = "1"
    site.load_catalog(environment)
    servers = site.start_servers(environment, SERVERS, guarded=guarded)
    ports = [server.port for server in servers]
    started = time.monotonic()
    ledger = run_buyers(
        lambda: SoapClient(ports, LOGIN, PASSWORD),
        clients=CLIENTS,
        orders_each=ORDERS_PER_CLIENT,
        seed=seed,
        bound_seconds=BOUND_SECONDS,
    )
    seconds = time.monotonic() - started
    engine = site.engine(database_url)
    problems: list[str] = []
    if guarded:
        problems += (
            [
                f"{len(ledger.short_answers)} successes answered with another count of "
                f"movements: {ledger.short_answers[:5]}"
            ]
            if ledger.short_answers
            else []
        )
        problems += problems_in_database(engine, ledger)
        auditor = SoapClient(ports, LOGIN, PASSWORD)
        try:
            problems += problems_told_by_the_api(auditor, ledger)
        finally:
            auditor.close()
    site.stop_servers()
    return Run(ledger, races_in(engine), seconds, problems)


@pytest.mark.concurrency
@pytest.mark.system
def test_concurrent_buyers_on_several_servers_never_share_a_seat_or_exceed_a_capacity(
    race_site: RaceSite,
) -> None:
    unguarded = _run(race_site, guarded=False, seed=1)
    FIGURES.append(unguarded.figures(race_site.backend, "off"))
    print(FIGURES[-1])
    assert unguarded.races.total > 0, (
        "the race did not happen with the seat guard off, so this test proves nothing: "
        + FIGURES[-1]
    )

    guarded = _run(race_site, guarded=True, seed=2)
    FIGURES.append(guarded.figures(race_site.backend, "on"))
    print(FIGURES[-1])
    assert guarded.ledger.faults == 0, guarded.figures(race_site.backend, "on")
    assert guarded.races.total == 0
    assert guarded.problems == []
    # The run really competed for the last places: some buyers were turned away.
    assert (
        guarded.ledger.refusals["error.order.availability"]
        + guarded.ledger.refusals["error.seat.unavailable"]
        > 0
    )
