"""Booqable records of one namespace, kept JSON-able so state export is exact.

`customers`, `orders`, `lines`, `plannings`, `stock_item_plannings`: id -> wire record, in
creation order. Keys starting with `_` are the sandbox's own bookkeeping (engine allocation
ids, money of a line before discount): the serializer only writes declared attributes.
The first Booqable request of a namespace fills them from the fixtures (`seeding.py`).
"""

from __future__ import annotations

from typing import Any

from booking_sandbox.namespaces import Namespace
from booking_sandbox.vendors.booqable.catalog import CATALOG_KINDS, BooqableCatalog, catalog_of
from booking_sandbox.vendors.booqable.rules import KINDS

VENDOR = "booqable"
Record = dict[str, Any]


def records(space: Namespace) -> Record:
    state = space.state_of(VENDOR)
    if not state:
        # Filled aside and attached whole: a seed that fails leaves no half-made records.
        fresh: Record = {kind: {} for kind in KINDS} | {"order_number": 0, "customer_number": 0}
        from booking_sandbox.vendors.booqable.seeding import seed  # (seeding imports this module)

        seed(space, fresh)
        state.update(fresh)
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
        """Read-only use: records are added and removed with `add` and `remove`."""
        found: dict[str, Record] = self.state[kind]
        return found

    def add(self, kind: str, record: Record) -> None:
        self.state[kind][record["id"]] = record
        for (indexed, key), groups in self._indexes().items():
            if indexed == kind:
                groups.setdefault(record.get(key), {})[record["id"]] = record

    def remove(self, kind: str, ident: str) -> None:
        record = self.state[kind].pop(ident)
        for (indexed, key), groups in self._indexes().items():
            if indexed == kind:
                groups.get(record.get(key), {}).pop(ident, None)

    def children(self, kind: str, key: str, value: Any) -> list[Record]:
        """The records of `kind` whose `key` is `value`, in creation order, from an index.

        A long-running namespace holds thousands of lines and plannings: a scan per request
        would make every request slower than the last. The index lives in `space.derived`
        (never exported; a reset or an import starts without it) and is built on first use.
        """
        indexes = self._indexes()
        groups = indexes.get((kind, key))
        if groups is None:
            groups = indexes[(kind, key)] = {}
            for record in self.all(kind):
                groups.setdefault(record.get(key), {})[record["id"]] = record
        return list(groups.get(value, {}).values()) if value is not None else []

    def _indexes(self) -> dict[tuple[str, str], dict[Any, dict[str, Record]]]:
        found: dict[tuple[str, str], dict[Any, dict[str, Record]]] = self.space.derived.setdefault(
            "booqable.children", {}
        )
        return found

    def next_number(self, sequence: str) -> int:
        self.state[sequence] += 1
        value: int = self.state[sequence]
        return value
