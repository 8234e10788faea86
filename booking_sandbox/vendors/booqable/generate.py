"""Large, seeded Booqable catalogs for load tests.

`stream` builds a document valid against `schemas/fixtures/booqable.schema.json`: about `size`
products spread over product groups of every tracking type (`none`, `bulk`, `trackable`), stock
items for the trackable ones, a few bundles, customers and open (`new`/`concept`) orders. The
same `rng` and Faker seed give the same document, byte for byte once serialised.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from faker import Faker

from booking_sandbox.core.lazydoc import Spool
from booking_sandbox.vendors.booqable import generate_inventory as inventory
from booking_sandbox.vendors.booqable import generate_orders as sales

DEMO_API_KEY = "demo-api-key"


def stream(
    fake: Faker,
    rng: random.Random,
    *,
    size: int,
    start: datetime,
    progress: Callable[[int], None] = lambda done: None,
) -> dict[str, Any]:
    """A Booqable catalog with about `size` products (exactly `size` when `size` >= 1).

    Its lists are made as they are read (`progress` hears of each product), so a big document
    is never whole in memory: see `_Parts`.
    """
    if start.tzinfo is None:
        start = start.replace(tzinfo=UTC)
    parts = _Parts(fake, rng, size, start)
    return {
        "api_keys": [{"key": DEMO_API_KEY}],
        "product_groups": parts.product_groups(progress),
        "stock_items": parts.stock_items(),
        "bundles": parts.bundles(),
        "customers": parts.customers(),
        "orders": parts.orders(),
    }


class _Parts:
    """The document's lists, read in its key order, from draws in the generator's order.

    The draws run: product groups with their stock items, customers, bundles, orders. The
    stock items wait in a spool until the groups are written, the customers until the bundles
    are; of what comes before them, bundles and orders keep only the ids they refer to.
    """

    def __init__(self, fake: Faker, rng: random.Random, size: int, start: datetime) -> None:
        self.fake, self.rng, self.size, self.start = fake, rng, size, start
        # The catalog predates its first bookable day.
        self.created = inventory.instant(start - timedelta(days=30))
        self.units = Spool()
        self.plannable: list[sales.Plannable] = []
        self.spooled_customers = Spool()
        self.customer_ids: list[tuple[str, float]] = []

    def product_groups(self, progress: Callable[[int], None]) -> Iterator[dict[str, Any]]:
        for group, units in inventory.product_groups(
            self.fake, self.rng, self.size, self.start, self.created
        ):
            for unit in units:
                self.units.add(unit)
            if group["tracking_type"] != "none":
                ids = tuple(p["id"] for p in group["products"])
                self.plannable.append((group["id"], group["has_variations"], ids))
            progress(len(group["products"]))
            yield group

    def stock_items(self) -> Iterator[dict[str, Any]]:
        yield from self.units

    def bundles(self) -> Iterator[dict[str, Any]]:
        count = max(10, self.size // 10)
        for customer in sales.customers(self.fake, self.rng, count, self.created):
            self.spooled_customers.add(customer)
            self.customer_ids.append((customer["id"], customer["discount_percentage"]))
        yield from sales.bundles(self.rng, self.plannable, max(1, self.size // 100), self.created)

    def customers(self) -> Iterator[dict[str, Any]]:
        yield from self.spooled_customers

    def orders(self) -> Iterator[dict[str, Any]]:
        count = max(5, self.size // 50)
        yield from sales.orders(self.rng, self.customer_ids, count, self.start, self.created)
