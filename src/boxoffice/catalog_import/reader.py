"""The public catalog reader: a catalog JSON document into table rows, every problem at once."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from boxoffice.catalog_import.schema import SPECS, join
from boxoffice.catalog_import.venue import read_venue
from boxoffice.catalog_import.walker import CatalogError, CatalogWalker, ParsedCatalog
from boxoffice.domain.catalog import DEFAULT_MAX_HELD_PLACES, DEFAULT_MAX_HELD_UNITS


def read_catalog(path_or_document: str | Path | Mapping[str, Any]) -> ParsedCatalog:
    """Reads a catalog file (path) or an already decoded document; raises CatalogError."""
    if isinstance(path_or_document, Mapping):
        return parse_catalog(path_or_document)
    path = Path(path_or_document)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CatalogError([f"{path}: cannot be read ({error.strerror or error})"]) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise CatalogError(
            [f"{path}: not valid JSON at line {error.lineno} column {error.colno}: {error.msg}"]
        ) from None
    return parse_catalog(document)


def parse_catalog(document: Any) -> ParsedCatalog:
    """Checks a decoded document and turns it into rows; raises CatalogError listing problems."""
    reader = _DocumentReader()
    parsed = reader.read(document)
    if reader.problems:
        raise CatalogError(reader.problems)
    return parsed


class _DocumentReader(CatalogWalker):
    """The catalog document's own objects, read in file order."""

    # -- the document --------------------------------------------------------

    def read(self, document: Any) -> ParsedCatalog:
        top = self.fields(document, "", SPECS["catalog"])
        if top is None:
            return self.parsed
        self.institution(top["institution"])
        for path, node in self.each(top["seasons"], "", "seasons"):
            self.season(node, path)
        for path, node in self.each(top["contingents"], "", "contingents"):
            self.simple(node, path, "contingent", "contingents", "contingent_id")
        for index, (path, node) in enumerate(self.each(top["salesChannels"], "", "salesChannels")):
            self.sales_channel(node, path, index)
        for path, node in self.each(top["seatCategories"], "", "seatCategories"):
            self.simple(node, path, "seatCategory", "seat_categories", "seat_category_id")
        for path, node in self.each(top["audienceSubCategories"], "", "audienceSubCategories"):
            self.audience_sub_category(node, path)
        for path, node in self.each(top["venues"], "", "venues"):
            self.venue(node, path)
        for path, node in self.each(top["products"], "", "products"):
            self.product(node, path)
        for path, node in self.each(top["items"], "", "items"):
            self.item(node, path)
        self.resolve_references()
        return self.parsed

    def institution(self, node: Any) -> None:
        values = self.fields(node, "institution", SPECS["institution"])
        if values is None:
            return
        currency = self.fields(values["currency"], "institution.currency", SPECS["currency"])
        if currency is None:
            return
        self.parsed.table("institution").append(
            {
                "institution_key": 1,
                "code": values["code"],
                "name": values["name"],
                "currency_code": currency["code"],
                "currency_fraction_digit": currency["fractionDigit"],
                "currency_symbol": currency["symbol"],
                "time_zone": values["timeZone"],
            }
        )

    def season(self, node: Any, path: str) -> None:
        values = self.fields(node, path, SPECS["season"])
        if values is not None and self.define("season", values["id"], path, "season id"):
            self.parsed.table("seasons").append(
                {"season_id": values["id"], "code": values["code"], "name": values["name"]}
            )

    def simple(self, node: Any, path: str, spec: str, table: str, column: str) -> None:
        values = self.fields(node, path, SPECS[spec])
        if values is not None and self.define(spec, values["id"], path, f"{spec} id"):
            self.parsed.table(table).append({column: values["id"], "name": values["name"]})

    def sales_channel(self, node: Any, path: str, index: int) -> None:
        values = self.fields(node, path, SPECS["salesChannel"])
        if values is None or not self.define("salesChannel", values["id"], path, "channel id"):
            return
        channel_id = values["id"]
        self.define("channelCode", values["code"], join(path, "code"), "channel code")
        self.parsed.table("sales_channels").append(
            {
                "channel_id": channel_id,
                "code": values["code"],
                "name": values["name"],
                "order_expiry_delay_seconds": values["orderExpiryDelaySeconds"],
                "order_max_lifespan_seconds": values["orderMaxLifespanSeconds"],
                "calls_per_minute": values["callsPerMinute"],
                "max_held_places": values["maxHeldPlacesPerPerformance"] or DEFAULT_MAX_HELD_PLACES,
                "max_held_units": values["maxHeldUnitsPerItem"] or DEFAULT_MAX_HELD_UNITS,
            }
        )
        for position, (item_path, contingent_id) in enumerate(
            self.each(values["contingentIds"], path, "contingentIds")
        ):
            if self.check(contingent_id, item_path, "id") is None:
                continue
            if self.define(
                f"channelContingent:{channel_id}", contingent_id, item_path, "contingent id"
            ):
                self.refer(item_path, "contingent", contingent_id)
                self.parsed.table("channel_contingents").append(
                    {"channel_id": channel_id, "contingent_id": contingent_id, "position": position}
                )
        for position, (item_path, pos) in enumerate(
            self.each(values["pointsOfSales"], path, "pointsOfSales")
        ):
            pos_values = self.fields(pos, item_path, SPECS["pointOfSales"])
            if pos_values and self.define(
                "pointOfSales", pos_values["id"], item_path, "point of sales id"
            ):
                self.parsed.table("points_of_sales").append(
                    {
                        "point_of_sales_id": pos_values["id"],
                        "channel_id": channel_id,
                        "code": pos_values["code"],
                        "position": position,
                    }
                )
        for item_path, operator in self.each(values["operators"], path, "operators"):
            op_values = self.fields(operator, item_path, SPECS["operator"])
            if op_values and self.define("operator", op_values["login"], item_path, "login"):
                self.parsed.table("operators").append(
                    {
                        "login": op_values["login"],
                        "password": op_values["password"],
                        "channel_id": channel_id,
                        "administrator": op_values["administrator"] is True,
                    }
                )
        for position, (item_path, charge) in enumerate(
            self.each(values["charges"], path, "charges")
        ):
            ch = self.fields(charge, item_path, SPECS["charge"])
            if ch and self.define("charge", ch["id"], item_path, "charge id"):
                self.parsed.table("charges").append(
                    {
                        "charge_id": ch["id"],
                        "channel_id": channel_id,
                        "name": ch["name"],
                        "per": ch["per"],
                        "amount": ch["amount"],
                        "position": position,
                    }
                )
        for position, (item_path, method) in enumerate(
            self.each(values["paymentMethods"], path, "paymentMethods")
        ):
            pm = self.fields(method, item_path, SPECS["paymentMethod"])
            if pm and self.define(
                f"paymentMethod:{channel_id}", pm["id"], item_path, "payment method id"
            ):
                self.parsed.table("payment_methods").append(
                    {
                        "channel_id": channel_id,
                        "payment_method_id": pm["id"],
                        "code": pm["code"],
                        "name": pm["name"],
                        "position": position,
                    }
                )

    def audience_sub_category(self, node: Any, path: str) -> None:
        values = self.fields(node, path, SPECS["audienceSubCategory"])
        if values and self.define(
            "audienceSubCategory", values["id"], path, "audience sub-category id"
        ):
            self.parsed.table("audience_sub_categories").append(
                {
                    "audience_sub_category_id": values["id"],
                    "name": values["name"],
                    "audience_category_id": values["audienceCatId"],
                    "kind": values["kind"],
                }
            )

    def venue(self, node: Any, path: str) -> None:
        read_venue(self, node, path)

    def product(self, node: Any, path: str) -> None:
        values = self.fields(node, path, SPECS["product"])
        if values is None or not self.define("product", values["id"], path, "product id"):
            return
        self.refer(join(path, "seasonId"), "season", values["seasonId"])
        self.parsed.table("products").append(
            {
                "product_id": values["id"],
                "code": values["code"],
                "name": values["name"],
                "family": values["family"],
                "season_id": values["seasonId"],
            }
        )
        for item_path, performance in self.each(values["performances"], path, "performances"):
            self.performance(performance, item_path, values["id"])

    def performance(self, node: Any, path: str, product_id: int) -> None:
        values = self.fields(node, path, SPECS["performance"])
        if values is None or not self.define("performance", values["id"], path, "performance id"):
            return
        performance_id, venue_id = values["id"], values["venueId"]
        self.refer(join(path, "venueId"), "venue", venue_id)
        self.parsed.table("performances").append(
            {
                "performance_id": performance_id,
                "product_id": product_id,
                "venue_id": venue_id,
                "start": values["start"],
            }
        )
        for item_path, price in self.each(values["prices"], path, "prices"):
            price_values = self.fields(price, item_path, SPECS["price"])
            if price_values is None:
                continue
            category = price_values["seatCategoryId"]
            audience = price_values["audienceSubCategoryId"]
            self.refer(join(item_path, "seatCategoryId"), "seatCategory", category)
            self.refer(join(item_path, "audienceSubCategoryId"), "audienceSubCategory", audience)
            if self.define(
                f"price:{performance_id}",
                (category, audience),
                item_path,
                "price for (seatCategoryId, audienceSubCategoryId)",
            ):
                self.parsed.table("prices").append(
                    {
                        "performance_id": performance_id,
                        "seat_category_id": category,
                        "audience_sub_category_id": audience,
                        "amount": price_values["amount"],
                    }
                )
        for item_path, pool in self.each(values["contingentPools"], path, "contingentPools"):
            pool_values = self.fields(pool, item_path, SPECS["contingentPool"])
            if pool_values is None:
                continue
            contingent_id = pool_values["contingentId"]
            self.refer(join(item_path, "contingentId"), "contingent", contingent_id)
            if not self.define(
                f"pool:{performance_id}", contingent_id, item_path, "pool for contingent"
            ):
                continue
            for area_path, area_id in self.each(pool_values["areaIds"], item_path, "areaIds"):
                if self.check(area_id, area_path, "id") is None:
                    continue
                self.refer(area_path, f"area@{venue_id}", area_id)
                if self.define(
                    f"poolArea:{performance_id}:{contingent_id}", area_id, area_path, "area id"
                ):
                    self.parsed.table("contingent_pools").append(
                        {
                            "performance_id": performance_id,
                            "contingent_id": contingent_id,
                            "area_id": area_id,
                        }
                    )

    def item(self, node: Any, path: str) -> None:
        values = self.fields(node, path, SPECS["item"])
        if values is None or not self.define("item", values["id"], path, "item id"):
            return
        self.parsed.table("items").append(
            {
                "item_id": values["id"],
                "code": values["code"],
                "name": values["name"],
                "stock": values["stock"],
            }
        )
        for item_path, price in self.each(values["prices"], path, "prices"):
            price_values = self.fields(price, item_path, SPECS["itemPrice"])
            if price_values is None:
                continue
            audience = price_values["audienceSubCategoryId"]
            self.refer(join(item_path, "audienceSubCategoryId"), "audienceSubCategory", audience)
            if self.define(
                f"itemPrice:{values['id']}", audience, item_path, "price for audienceSubCategoryId"
            ):
                self.parsed.table("item_prices").append(
                    {
                        "item_id": values["id"],
                        "audience_sub_category_id": audience,
                        "amount": price_values["amount"],
                    }
                )

    def resolve_references(self) -> None:
        for path, kind, key in self.references:
            if kind.startswith("area@"):
                venue_id = int(kind.removeprefix("area@"))
                if venue_id not in self.defined.get("venue", {}):
                    continue  # the undefined venue is the problem, already reported
                if key not in self.defined.get("area", {}):
                    self.problem(path, f"area {key} is not defined")
                elif self.area_venue.get(key) != venue_id:
                    self.problem(path, f"area {key} is not in venue {venue_id}")
            elif key not in self.defined.get(kind, {}):
                self.problem(path, f"{_LABELS[kind]} {key} is not defined")


_LABELS = {
    "contingent": "contingent",
    "seatCategory": "seat category",
    "audienceSubCategory": "audience sub-category",
    "venue": "venue",
    "season": "season",
}
