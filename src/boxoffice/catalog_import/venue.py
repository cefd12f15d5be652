"""Reads one venue of the catalog file: areas, blocks, rows and seats in quality order."""

from __future__ import annotations

from typing import Any

from boxoffice.catalog_import.schema import SPECS, join
from boxoffice.catalog_import.walker import CatalogWalker

# A range longer than any real row is a typing mistake, not a stadium.
MAX_ROW_LENGTH = 10_000


def read_venue(reader: CatalogWalker, node: Any, path: str) -> None:
    values = reader.fields(node, path, SPECS["venue"])
    if values is None or not reader.define("venue", values["id"], path, "venue id"):
        return
    venue_id = values["id"]
    reader.parsed.table("venues").append({"venue_id": venue_id, "name": values["name"]})
    # Seats are ranked across the whole venue: areas, blocks, rows and seats in file order.
    quality = [0]
    for position, (area_path, area) in enumerate(reader.each(values["areas"], path, "areas")):
        _read_area(reader, area, area_path, venue_id, position, quality)


def _read_area(
    reader: CatalogWalker, node: Any, path: str, venue_id: int, position: int, quality: list[int]
) -> None:
    numbered = node.get("numbered") if isinstance(node, dict) else None
    if not isinstance(numbered, bool):
        if isinstance(node, dict) and "numbered" in node:
            reader.problem(join(path, "numbered"), "expected true or false")
        elif isinstance(node, dict):
            reader.problem(join(path, "numbered"), "missing required key")
        else:
            reader.problem(path, "expected an object")
        return
    values = reader.fields(node, path, SPECS["numberedArea" if numbered else "standingArea"])
    if values is None or not reader.define("area", values["id"], path, "area id"):
        return
    area_id = values["id"]
    reader.area_venue[area_id] = venue_id
    row: dict[str, Any] = {
        "area_id": area_id,
        "venue_id": venue_id,
        "name": values["name"],
        "numbered": numbered,
        "capacity": None,
        "seat_category_id": None,
        "position": position,
    }
    if not numbered:
        row["capacity"] = values["capacity"]
        row["seat_category_id"] = values["seatCategoryId"]
        reader.refer(join(path, "seatCategoryId"), "seatCategory", values["seatCategoryId"])
    reader.parsed.table("areas").append(row)
    if numbered:
        for rank, (block_path, block) in enumerate(reader.each(values["blocks"], path, "blocks")):
            _read_block(reader, block, block_path, venue_id, area_id, rank, quality)


def _read_block(
    reader: CatalogWalker,
    node: Any,
    path: str,
    venue_id: int,
    area_id: int,
    rank: int,
    quality: list[int],
) -> None:
    values = reader.fields(node, path, SPECS["block"])
    if values is None or not reader.define("block", values["id"], path, "block id"):
        return
    block_id, category = values["id"], values["seatCategoryId"]
    reader.refer(join(path, "seatCategoryId"), "seatCategory", category)
    reader.parsed.table("blocks").append(
        {
            "block_id": block_id,
            "area_id": area_id,
            "name": values["name"],
            "seat_category_id": category,
            "rank": rank,
        }
    )
    base = {
        "venue_id": venue_id,
        "area_id": area_id,
        "block_id": block_id,
        "seat_category_id": category,
    }
    for row_rank, (row_path, row) in enumerate(reader.each(values["rows"], path, "rows")):
        seats = _read_row(reader, row, row_path)
        if seats is None:
            continue
        row_number, numbered_seats = seats
        if not reader.define(f"row:{block_id}", row_number, join(row_path, "number"), "row number"):
            continue
        seat_table = reader.parsed.table("seats")
        for position, (seat_id, seat_number, seat_path) in enumerate(numbered_seats):
            if not reader.define("seat", seat_id, seat_path, "seat id"):
                continue
            seat_table.append(
                {
                    **base,
                    "seat_id": seat_id,
                    "row_number": row_number,
                    "seat_number": seat_number,
                    "row_rank": row_rank,
                    "position_in_row": position,
                    "quality_order": quality[0],
                }
            )
            quality[0] += 1


def _read_row(
    reader: CatalogWalker, node: Any, path: str
) -> tuple[str, list[tuple[int, str, str]]] | None:
    """The row's number and its (seat id, seat number, path) in seat order; None if invalid."""
    seats = node.get("seats") if isinstance(node, dict) else None
    spec = "listRow" if isinstance(seats, list) else "rangeRow"
    values = reader.fields(node, path, SPECS[spec])
    if values is None or values["number"] is None:
        return None
    seats_path = join(path, "seats")
    result: list[tuple[int, str, str]] = []
    if spec == "rangeRow":
        bounds = reader.fields(values["seats"], seats_path, SPECS["seatRange"])
        first_id = values["firstSeatId"]
        if not bounds or bounds["from"] is None or bounds["to"] is None or first_id is None:
            return None
        low, high = bounds["from"], bounds["to"]
        if high < low or high - low >= MAX_ROW_LENGTH:
            reader.problem(
                seats_path, f"range {low}..{high} is empty or longer than {MAX_ROW_LENGTH} seats"
            )
            return None
        for offset, number in enumerate(range(low, high + 1)):
            seat_id = first_id + offset
            result.append((seat_id, str(number), f"{seats_path} (seat {number}, id {seat_id})"))
    else:
        for seat_path, seat in reader.each(values["seats"], path, "seats"):
            seat_values = reader.fields(seat, seat_path, SPECS["seat"])
            if seat_values and seat_values["id"] is not None and seat_values["number"]:
                result.append((seat_values["id"], seat_values["number"], seat_path))
    numbers: set[str] = set()
    for _seat_id, seat_number, seat_path in result:
        if seat_number in numbers:
            reader.problem(
                seat_path, f"duplicate seat number {seat_number!r} in row {values['number']!r}"
            )
        numbers.add(seat_number)
    return values["number"], result
