"""Booqable records of one namespace, kept JSON-able so state export is exact.

`customers`, `orders`, `lines`, `plannings`, `stock_item_plannings`: id -> wire record, in
creation order. Keys starting with `_` are the sandbox's own bookkeeping (engine allocation
ids, money of a line before discount): the serializer only writes declared attributes.
The first Booqable request of a namespace fills them from the fixtures (`seeding.py`).
"""

from __future__ import annotations

from typing import Any

from sandbox.namespaces import Namespace
from sandbox.vendors.booqable.catalog import CATALOG_KINDS, BooqableCatalog, catalog_of

VENDOR = "booqable"
KINDS = ("customers", "orders", "lines", "plannings", "stock_item_plannings")
Record = dict[str, Any]


def records(space: Namespace) -> Record:
    state = space.state_of(VENDOR)
    if not state:
        state.update({kind: {} for kind in KINDS} | {"order_number": 0, "customer_number": 0})
        from sandbox.vendors.booqable.seeding import seed  # (seeding imports this module)

        seed(space, state)
    return state


class BooqableStore:
    """Every Booqable resource of a namespace, catalog and records alike."""

    def __init__(self, space: Namespace, state: Record | None = None) -> None:
        self.space = space
        self.catalog: BooqableCatalog = catalog_of(space)
        self.state = state if state is not None else records(space)

    def all(self, kind: str) -> list[Record]:
        if kind in CATALOG_KINDS:
            return self.catalog.lists[kind]
        table: dict[str, Record] = self.state.get(kind, {})
        return list(table.values())

    def find(self, kind: str, ident: Any) -> Record | None:
        if not isinstance(ident, str):
            return None
        if kind in CATALOG_KINDS:
            return self.catalog.get(kind, ident)
        found: Record | None = self.state.get(kind, {}).get(ident)
        return found

    def table(self, kind: str) -> dict[str, Record]:
        found: dict[str, Record] = self.state[kind]
        return found

    def next_number(self, sequence: str) -> int:
        self.state[sequence] += 1
        value: int = self.state[sequence]
        return value
