"""Writes to a namespace's catalog document, with the engine's pools following.

The catalog is the namespace's own copy of the fixtures' Booqable section (made by
`document` on the first write: until then the namespace shares the fixtures' one) (exported and
imported whole by `/_sandbox/state`), products nested in their group and bundle items in
their bundle; catalog.py indexes it for reading. A write goes in this order, so a refused
one changes nothing: validate everything, check every changed pool against the engine
(`pool_changes`), apply the pools, then change the document and index it again (`commit`).

A pool that shrinks below what orders hold answers the vendor's 422 `shortage` (DOCS-HEAD
stock_adjustments): a warning when the shortage stays within the product's shortage limit
(retried with `confirm_shortage`), blocking otherwise. Reservations are counted whatever
their period, past ones included: the engine keeps its capacity invariant over all time.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from booking_sandbox.engine import Allocation, Inventory, Pool, UnknownPool
from booking_sandbox.vendors.booqable.catalog import SECTION, invalidate
from booking_sandbox.vendors.booqable.errors import BooqableError, shortage, validation
from booking_sandbox.vendors.booqable.pools import pool_of, units_by_product
from booking_sandbox.vendors.booqable.state import BooqableStore

Record = dict[str, Any]
Problem = tuple[str, str, str]  # (attribute, message, Rails error code)

BLANK = ("can't be blank", "blank")
MISSING = ("must exist", "blank")
TAKEN = ("has already been taken", "taken")
NOT_LISTED = ("is not included in the list", "inclusion")
INVALID = ("is invalid", "invalid")
AT_LEAST_0 = ("must be greater than or equal to 0", "greater_than_or_equal_to")


def document(store: BooqableStore) -> Record:
    """The namespace's own catalog document, to change: copied from the shared fixtures on
    the namespace's first catalog write (the shared one is never written)."""
    found: Record = store.space.writable_catalog(SECTION)
    return found


def commit(store: BooqableStore) -> None:
    """The document changed: index it again, for this request's answer too."""
    store.catalog = invalidate(store.space)


def raise_problems(problems: Sequence[Problem]) -> None:
    if problems:
        raise validation(*problems)


def at_least_0(values: Record, *names: str) -> list[Problem]:
    return [
        (name, *AT_LEAST_0)
        for name in names
        if isinstance(values.get(name), int | float) and values[name] < 0
    ]


def references(store: BooqableStore, values: Record, **kinds: str) -> list[Problem]:
    """`name=kind`: each id attribute sent non-null names a record of that catalog kind."""
    return [
        (name, *MISSING)
        for name, kind in kinds.items()
        if values.get(name) is not None and store.find(kind, values[name]) is None
    ]


def find_product(doc: Record, ident: Any) -> tuple[Record, Record] | None:
    """(group, product) of the document, or None."""
    for group in doc["product_groups"]:
        for product in group["products"]:
            if product["id"] == ident:
                return group, product
    return None


# ----- names ------------------------------------------------------------------------------


def parameterize(text: str) -> str:
    """Rails' `parameterize`: ASCII, lower case, runs of anything else as one dash."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def sku_of(name: str) -> str:
    """`iPad mini` -> `IPAD_MINI` (DOCS-2024 product group create)."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Z0-9]+", "_", ascii_text.upper()).strip("_")


def unique_slug(wanted: str, taken: Iterable[str], fallback: str) -> str:
    """`wanted` parameterized, with `-1`, `-2`… when taken (the fixtures' `ipad-pro-1`)."""
    base = parameterize(wanted) or fallback
    used = set(taken)
    slug, n = base, 0
    while slug in used:
        n += 1
        slug = f"{base}-{n}"
    return slug


# ----- pools -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PoolChange:
    """A product's pool as the changed catalog implies it."""

    pool: Pool
    product_id: str
    mutation: int = 0  # stock added (+) or removed (-), for the shortage entry
    location_id: str | None = None


def product_pools(doc: Record, groups: Iterable[Record]) -> list[PoolChange]:
    """The pools of every product of `groups` (documents already changed)."""
    units = units_by_product(doc)
    found = []
    for group in groups:
        for product in group["products"]:
            pool = pool_of(group, product, units.get(product["id"], ()))
            if pool is not None:
                found.append(PoolChange(pool, product["id"]))
    return found


def apply_pools(store: BooqableStore, changes: Sequence[PoolChange], *, confirm: bool) -> None:
    """Check every change, then apply them all, or raise the vendor's `shortage` 422."""
    inventory = store.space.inventory
    warning: list[Record] = []
    blocking: list[Record] = []
    new: list[Pool] = []
    updated: list[Pool] = []
    for change in changes:
        try:
            current = inventory.pool(change.pool.id)
        except UnknownPool:
            new.append(change.pool)
            continue
        if current == change.pool:
            continue
        held_units = _lost_units(inventory, current, change.pool)
        if held_units:
            blocking.append(_unit_entry(change, held_units))
        entry = _shortage_entry(inventory, current, change)
        if entry is not None:
            within = entry["shortage"] <= change.pool.shortage_limit
            (warning if within else blocking).append(entry)
        updated.append(change.pool)
    if blocking or (warning and not confirm):
        raise shortage(warning, blocking)
    for pool in updated:  # checked above: the engine cannot refuse these now
        inventory.update_pool(pool)
    for pool in new:
        inventory.add_pool(pool)


def _active(inventory: Inventory, pool_id: str) -> list[Allocation]:
    now = inventory.now()
    return [a for a in inventory.allocations() if a.pool_id == pool_id and a.is_active(now)]


def _lost_units(inventory: Inventory, current: Pool, pool: Pool) -> list[str]:
    """Units leaving the pool that an active allocation names."""
    gone = set(current.units) - set(pool.units)
    return sorted({u for a in _active(inventory, pool.id) for u in a.units if u in gone})


def _unit_entry(change: PoolChange, units: list[str]) -> Record:
    return {
        "reason": "stock_item_specified",
        "item_id": change.product_id,
        "unavailable": units,
        "available": [],
    }


def _shortage_entry(inventory: Inventory, current: Pool, change: PoolChange) -> Record | None:
    """DOCS-HEAD's entry when the active allocations' peak exceeds the new capacity."""
    planned, at_peak = peak(_active(inventory, change.pool.id))
    short = planned - change.pool.capacity
    if short <= 0:
        return None
    return {
        "reason": "shortage",
        "shortage": short,
        "item_id": change.product_id,
        "mutation": change.mutation,
        "orders": [{"id": owner, "conflicts": min(qty, short)} for owner, qty in at_peak],
        "downtimes": [],
        "location_id": change.location_id,
        "available": max(0, current.capacity - planned),
        "plannable": max(0, current.capacity + current.shortage_limit - planned),
        "stock_count": current.capacity,
        "planned": planned,
        "needed": planned,
    }


def peak(allocations: Sequence[Allocation]) -> tuple[int, list[tuple[str, int]]]:
    """The most taken at once, and what each owner holds at that moment (owners in order of
    their first allocation there). Timeless allocations count at every moment."""
    base = sum(a.quantity for a in allocations if a.interval is None)
    events: list[tuple[int, int, int]] = []  # (instant, 0 end | 1 start, position)
    for i, alloc in enumerate(allocations):
        if alloc.interval is not None:
            events += [(alloc.interval.start_us, 1, i), (alloc.interval.end_us, 0, i)]
    events.sort()  # half-open periods: an end sorts before a start at the same instant
    running, best = base, base
    live: dict[int, None] = {}
    best_live: list[int] = []
    for _, starts, i in events:
        if starts:
            live[i] = None
            running += allocations[i].quantity
            if running > best:
                best, best_live = running, list(live)
        else:
            live.pop(i, None)
            running -= allocations[i].quantity
    owners: dict[str, int] = {}
    chosen = set(best_live)
    for i, alloc in enumerate(allocations):
        if alloc.interval is None or i in chosen:
            owners[alloc.owner] = owners.get(alloc.owner, 0) + alloc.quantity
    return best, list(owners.items())


def check(condition: bool, problem: Problem) -> list[Problem]:
    return [] if condition else [problem]


def refuse(problem: Problem) -> BooqableError:
    return validation(problem)
