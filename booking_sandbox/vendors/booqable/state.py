"""Booqable records of one namespace, kept JSON-able so state export is exact.

`customers`, `orders`, `lines`, `plannings`, `stock_item_plannings` (and, since the 2025
resources, `coupons`, `tax_regions`, `barcodes`): id -> wire record, in creation order. Keys
starting with `_` are the sandbox's own bookkeeping (engine allocation ids, money of a line
before discount): the serializer only writes declared attributes.
`seeding.records` fills them from the fixtures when the namespace is made (or, after a state
import without Booqable records, on the first Booqable request).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal, overload

from booking_sandbox.core.namespace import Namespace
from booking_sandbox.vendors.booqable.catalog import (
    CATALOG_KINDS,
    CHILDREN,
    BooqableCatalog,
    catalog_of,
)
from booking_sandbox.vendors.booqable.records import Line, Order, Planning, StockItemPlanning

VENDOR = "booqable"
Record = dict[str, Any]
# The kinds whose records are typed (records.py); any other kind's records are plain dicts.
OrderKind = Literal["orders"]
LineKind = Literal["lines"]
PlanningKind = Literal["plannings"]
StockItemPlanningKind = Literal["stock_item_plannings"]
# Kinds computed from other records on every read, never stored (tax values from the orders'
# totals, properties from their owners' `properties` hash, tax rates from regions and
# categories): kind -> every record. Filled by the modules that define them (taxes.py, ...).
DERIVED: dict[str, Callable[[BooqableStore], list[Record]]] = {}


class BooqableStore:
    """Every Booqable resource of a namespace, catalog and records alike."""

    def __init__(self, space: Namespace, state: Record) -> None:
        self.space = space
        self.catalog: BooqableCatalog = catalog_of(space)
        self.state = state  # `seeding.records(space)`, or the records being seeded

    def all(self, kind: str) -> list[Record]:
        if kind in CATALOG_KINDS:
            return self.catalog.lists[kind]
        if kind in DERIVED:
            return DERIVED[kind](self)
        table: dict[str, Record] = self.state.get(kind, {})
        return list(table.values())

    def orders(self) -> list[Order]:
        """`all("orders")`, typed (the generic `all` serves the listing of any kind)."""
        table: dict[str, Order] = self.state.get("orders", {})
        return list(table.values())

    # `find` and `children` give the typed records of records.py for those kinds, by name.
    @overload
    def find(self, kind: OrderKind, ident: Any) -> Order | None: ...
    @overload
    def find(self, kind: LineKind, ident: Any) -> Line | None: ...
    @overload
    def find(self, kind: PlanningKind, ident: Any) -> Planning | None: ...
    @overload
    def find(self, kind: StockItemPlanningKind, ident: Any) -> StockItemPlanning | None: ...
    @overload
    def find(self, kind: str, ident: Any) -> Record | None: ...
    def find(self, kind: str, ident: Any) -> Mapping[str, Any] | None:
        if not isinstance(ident, str):
            return None
        if kind in CATALOG_KINDS:
            return self.catalog.get(kind, ident)
        if kind in DERIVED:
            return next((r for r in DERIVED[kind](self) if r["id"] == ident), None)
        found: Record | None = self.state.get(kind, {}).get(ident)
        return found

    def table(self, kind: str) -> dict[str, Record]:
        """Read-only use: records are added and removed with `add` and `remove`."""
        found: dict[str, Record] = self.state[kind]
        return found

    def add(self, kind: str, record: Mapping[str, Any]) -> None:
        # setdefault: a state imported from before a kind existed (rules.LATER_KINDS).
        self.state.setdefault(kind, {})[record["id"]] = record
        for (indexed, key), groups in self._indexes().items():
            if indexed == kind:
                groups.setdefault(record.get(key), {})[record["id"]] = record

    def remove(self, kind: str, ident: str) -> None:
        record = self.state[kind].pop(ident)
        for (indexed, key), groups in self._indexes().items():
            group = groups.get(record.get(key)) if indexed == kind else None
            if group is not None:
                group.pop(ident, None)
                if not group:  # an emptied group keyed by a removed id would stay forever
                    del groups[record.get(key)]

    @overload
    def children(self, kind: LineKind, key: str, value: Any) -> list[Line]: ...
    @overload
    def children(self, kind: PlanningKind, key: str, value: Any) -> list[Planning]: ...
    @overload
    def children(
        self, kind: StockItemPlanningKind, key: str, value: Any
    ) -> list[StockItemPlanning]: ...
    @overload
    def children(self, kind: str, key: str, value: Any) -> list[Record]: ...
    def children(self, kind: str, key: str, value: Any) -> Sequence[Mapping[str, Any]]:
        """The records of `kind` whose `key` is `value`, in creation order, from an index.

        A long-running namespace holds thousands of lines and plannings: a scan per request
        would make every request slower than the last. The index lives in `space.derived`
        (never exported; a reset or an import starts without it) and is built on first use.
        """
        if kind in DERIVED:  # computed afresh: an index of them would go stale
            return [r for r in DERIVED[kind](self) if value is not None and r.get(key) == value]
        # A catalog kind's index goes with the catalog's: shared while the catalog is.
        indexes = self.catalog.children if kind in CATALOG_KINDS else self._indexes()
        groups = indexes.get((kind, key))
        if groups is None:
            groups = indexes[(kind, key)] = {}
            for record in self.all(kind):
                groups.setdefault(record.get(key), {})[record["id"]] = record
        return list(groups.get(value, {}).values()) if value is not None else []

    def _indexes(self) -> dict[tuple[str, str], dict[Any, dict[str, Mapping[str, Any]]]]:
        found: dict[tuple[str, str], dict[Any, dict[str, Mapping[str, Any]]]] = (
            self.space.derived.setdefault(CHILDREN, {})
        )
        return found

    def next_number(self, sequence: str) -> int:
        self.state[sequence] += 1
        value: int = self.state[sequence]
        return value
