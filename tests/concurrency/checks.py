"""After a run: what the database holds, and whether the API and the database tell the truth."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Engine, text

from tests.concurrency.buyers import Ledger
from tests.concurrency.catalog import ITEM_ID, ITEM_STOCK, STANDING_AREA_ID, STANDING_CAPACITY
from tests.concurrency.soap_client import SERVICE, SoapClient, parameters


@dataclass(frozen=True)
class Races:
    """Breaches of contract 7.9 found in the database."""

    seats_held_twice: int
    standing_over_capacity: int
    items_over_stock: int

    @property
    def total(self) -> int:
        return self.seats_held_twice + self.standing_over_capacity + self.items_over_stock


def races_in(engine: Engine) -> Races:
    with engine.connect() as connection:
        doubles = connection.execute(
            text(
                "SELECT count(*) FROM (SELECT performance_id, seat_id FROM movements "
                "WHERE state <> 'RELEASED' AND seat_id IS NOT NULL "
                "GROUP BY performance_id, seat_id HAVING count(*) > 1) AS twice"
            )
        ).scalar_one()
        standing = connection.execute(
            text(
                "SELECT count(*) FROM movements WHERE state <> 'RELEASED' AND kind = 'AREA' "
                "AND area_id = :area"
            ),
            {"area": STANDING_AREA_ID},
        ).scalar_one()
        items = connection.execute(
            text(
                "SELECT count(*) FROM movements WHERE state <> 'RELEASED' AND kind = 'ITEM' "
                "AND item_id = :item"
            ),
            {"item": ITEM_ID},
        ).scalar_one()
    return Races(
        int(doubles), max(0, int(standing) - STANDING_CAPACITY), max(0, int(items) - ITEM_STOCK)
    )


def problems_in_database(engine: Engine, ledger: Ledger) -> list[str]:
    """Every way the database disagrees with the invariant or with what buyers were told."""
    problems = []
    races = races_in(engine)
    if races.total:
        problems.append(f"invariant broken: {races}")
    with engine.connect() as connection:
        for key, capacity, taken in connection.execute(
            text("SELECT stock_key, capacity, taken FROM stocks")
        ):
            kind = "AREA" if key.startswith("area:") else "ITEM"
            column = "area_id" if kind == "AREA" else "item_id"
            live = connection.execute(
                text(
                    f"SELECT count(*) FROM movements WHERE state <> 'RELEASED' AND kind = '{kind}' "
                    f"AND {column} = :id"
                ),
                {"id": int(key.rsplit(":", 1)[1])},
            ).scalar_one()
            if not 0 <= taken <= capacity or taken != live:
                problems.append(f"stock {key}: taken {taken}, capacity {capacity}, live {live}")
        live_per_operation = Counter(
            dict(
                connection.execute(
                    text(
                        "SELECT operation_id, count(*) FROM movements WHERE state <> 'RELEASED' "
                        "GROUP BY operation_id"
                    )
                ).all()
            )
        )
        operation_ids = set(
            connection.execute(
                text("SELECT operation_id FROM operations WHERE kind <> 'CHARGE'")
            ).scalars()
        )
        order_ids = set(connection.execute(text("SELECT order_id FROM orders")).scalars())
    told = {line.operation_id for line in ledger.lines}
    if operation_ids != told:
        problems.append(
            f"lines not answered as successes: {sorted(operation_ids - told)[:10]}; "
            f"successes without a line: {sorted(told - operation_ids)[:10]}"
        )
    if order_ids != set(ledger.orders):
        problems.append(f"orders nobody was told of: {sorted(order_ids - set(ledger.orders))}")
    for line in ledger.lines:
        expected = 0 if ledger.orders[line.order_id] == "ABANDONED" else line.quantity
        if live_per_operation[line.operation_id] != expected:
            problems.append(
                f"{line}: {live_per_operation[line.operation_id]} live movements, "
                f"{expected} expected"
            )
    return problems


def problems_told_by_the_api(client: SoapClient, ledger: Ledger) -> list[str]:
    """getOrderDetails of every order made: its state, its lines and their movements."""
    problems = []
    lines_of: dict[int, dict[int, int]] = {order_id: {} for order_id in ledger.orders}
    for line in ledger.lines:
        lines_of[line.order_id][line.operation_id] = line.quantity
    seats_seen: Counter[str] = Counter()
    for order_id, state in sorted(ledger.orders.items()):
        details = client.call(SERVICE, "getOrderDetails", parameters(orderId=order_id))
        if details.status_code != "success":
            problems.append(f"order {order_id}: getOrderDetails answered {details.status_detail}")
            continue
        if details.text("orderState") != state:
            problems.append(f"order {order_id}: {details.text('orderState')}, {state} expected")
        expected = {} if state == "ABANDONED" else lines_of[order_id]
        shown = {
            int(operation.findtext("operationId")): int(operation.findtext("quantity"))
            for operation in details.tree.iter("operationDatas")
            if operation.findtext("kind") != "CHARGE"
        }
        movements = Counter(
            int(movement.findtext("operationId")) for movement in details.tree.iter("movementDatas")
        )
        if shown != expected:
            problems.append(f"order {order_id}: lines {shown}, {expected} expected")
        for operation_id, quantity in expected.items():
            if movements[operation_id] != quantity:
                problems.append(
                    f"order {order_id}, operation {operation_id}: "
                    f"{movements[operation_id]} movements, {quantity} expected"
                )
        for movement in details.tree.iter("movementDatas"):
            if movement.findtext("seatId"):
                seats_seen[movement.findtext("seatId") or ""] += 1
    twice = [seat for seat, count in seats_seen.items() if count > 1]
    if twice:
        problems.append(f"the API shows seats in two orders: {twice[:10]}")
    return problems
