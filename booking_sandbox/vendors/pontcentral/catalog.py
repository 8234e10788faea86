"""The namespace's Pont Central catalog, indexed by the keys requests use."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from booking_sandbox.core.namespace import Namespace
from booking_sandbox.vendors.pontcentral.wire import PontError

SECTION = "pontcentral"
Record = dict[str, Any]


@dataclass(frozen=True)
class PontCatalog:
    partners_by_client: dict[str, Record]
    partners_by_id: dict[int, Record]
    products: dict[str, Record]
    resources: dict[str, Record]
    # partner id -> its active products, newest (highest id) first, as products-list orders them.
    listed: dict[int, list[Record]]

    def zone(self, product: Record) -> ZoneInfo:
        return ZoneInfo(product["timezone"])

    def active_links(self, product: Record) -> list[tuple[Record, Record]]:
        """(link, resource) for every active resource linked to the product."""
        return [
            (link, self.resources[link["code"]])
            for link in product["resources"]
            if self.resources[link["code"]].get("active", True)
        ]

    def primary(self, product: Record) -> Record:
        """The isPrimary resource: the loader checks there is exactly one."""
        return self.resources[next(r["code"] for r in product["resources"] if r["isPrimary"])]


def catalog_of(space: Namespace) -> PontCatalog:
    doc = space.catalogs.get(SECTION)
    if not isinstance(doc, dict):  # fixtures without a Pont Central catalog
        raise PontError(404, "NOT_FOUND", "No Pont Central catalog in this sandbox's fixtures")
    return space.derive(SECTION, SECTION, lambda: _index(doc))


def _index(doc: Record) -> PontCatalog:
    listed: dict[int, list[Record]] = {}
    for product in sorted(doc["products"], key=lambda p: p["id"], reverse=True):
        if product["active"]:
            listed.setdefault(product["partnerId"], []).append(product)
    return PontCatalog(
        partners_by_client={p["clientId"]: p for p in doc["partners"]},
        partners_by_id={p["id"]: p for p in doc["partners"]},
        products={p["code"]: p for p in doc["products"]},
        resources={r["code"]: r for r in doc["resources"]},
        listed=listed,
    )
