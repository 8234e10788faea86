"""What a fulfillment changed: its `changed_lines`, `changed_plannings` and
`changed_stock_item_plannings` (DOCS-HEAD §4.4: "created or changed", "(indirectly)").

The order's records are copied before the actions run and compared after: a record is
changed when it is new or any attribute but `updated_at` differs (internal `_` keys, such as
engine allocation ids, are not attributes). So starting items lists the started plannings
and, when the start reserved a `new` order, every planning and stock item planning it
marked `reserved`. A stock item planning the request removed (`specify_stock_items`) is no
longer stored; it is answered as the docs show it: `archived: true`, `archived_at` now, and
`reserved: false` (it holds nothing any more).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from booking_sandbox.vendors.booqable import order_records
from booking_sandbox.vendors.booqable.records import Order
from booking_sandbox.vendors.booqable.state import BooqableStore
from booking_sandbox.vendors.booqable.wire import timestamp

Record = dict[str, Any]
Snapshot = dict[str, dict[str, Record]]
# Relationship name -> the record kind and the key the transient answer carries it under.
CHANGED = {
    "changed_lines": ("lines", "_changed_lines"),
    "changed_plannings": ("plannings", "_changed_plannings"),
    "changed_stock_item_plannings": ("stock_item_plannings", "_changed_stock_item_plannings"),
}


def _records(store: BooqableStore, order: Order, kind: str) -> Sequence[Mapping[str, Any]]:
    if kind == "lines":
        return order_records.lines_of(store, order)
    if kind == "plannings":
        return order_records.plannings_of(store, order)
    return order_records.stock_item_plannings_of(store, order)


def _visible(record: Mapping[str, Any]) -> Record:
    return {k: v for k, v in record.items() if not k.startswith("_") and k != "updated_at"}


def snapshot(store: BooqableStore, order: Order) -> Snapshot:
    """The order's lines, plannings and stock item plannings as they are now (copies)."""
    return {
        kind: {r["id"]: copy.deepcopy(dict(r)) for r in _records(store, order, kind)}
        for kind, _ in CHANGED.values()
    }


def since(store: BooqableStore, order: Order, before: Snapshot, now: datetime) -> Record:
    """The transient answer's members: per relationship, the changed records in the order's
    own order (removed stock item plannings last, archived)."""
    found: Record = {}
    for kind, key in CHANGED.values():
        old = before[kind]
        current = _records(store, order, kind)
        changed: list[Any] = [
            r for r in current if r["id"] not in old or _visible(old[r["id"]]) != _visible(r)
        ]
        kept = {r["id"] for r in current}
        stamp = timestamp(now)
        changed += [_archived(record, stamp) for ident, record in old.items() if ident not in kept]
        found[key] = changed
    return found


def _archived(record: Record, stamp: str) -> Record:
    """A removed record as the docs answer it: archived now, reserving nothing any more."""
    found = {**record, "updated_at": stamp, "archived": True, "archived_at": stamp}
    if "reserved" in found:
        found["reserved"] = False
    return found
