"""The namespace's pools in the inventory overview's order, described once per namespace.

A namespace's catalogs and pools are fixed for its life (a reset or a state import makes a new
namespace), so the vendors' descriptions are kept in its `derived` indexes (in the fixtures'
shared ones while it shares every catalog section): on a catalog of 100,000 sessions,
describing them took a second per request; now a request filters positions.
Capacities are not kept here: they are read from the engine for the page only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from booking_sandbox.core.fixtures import collector_paused
from booking_sandbox.core.namespace import Namespace
from booking_sandbox.vendors import Vendor
from booking_sandbox.vendors.adapter import PoolInfo

KEY = "control.inventory.pools"  # in the namespace's `derived` indexes


class PoolListing:
    """Every engine pool once: by vendor in registry order, each in its own pool order, then
    the pools no vendor names (vendor None: an odd state import's)."""

    def __init__(self, infos: list[PoolInfo], spans: dict[str | None, range]) -> None:
        self.infos = infos
        self.spans = spans  # each vendor's positions, contiguous
        self.position = {info.pool_id: i for i, info in enumerate(infos)}
        self._folded: list[tuple[str, str]] | None = None

    def vendor_at(self, position: int) -> str | None:
        return next(vendor for vendor, span in self.spans.items() if position in span)

    def folded(self) -> list[tuple[str, str]]:
        """(id, label) case-folded, made on the first search only."""
        if self._folded is None:
            with collector_paused():
                self._folded = [(i.pool_id.casefold(), i.label.casefold()) for i in self.infos]
        return self._folded

    def select(
        self, vendor: str | None, needle: str, busy: bool | None, busy_positions: set[int]
    ) -> Sequence[int]:
        """Positions kept by the filters, in order; a range when nothing is filtered out."""
        found: Sequence[int] = range(len(self.infos))
        if vendor is not None:
            found = self.spans.get(vendor, range(0))
        if busy is True:
            found = sorted(i for i in busy_positions if i in found)
        elif busy is False:
            found = [i for i in found if i not in busy_positions]
        if needle:
            folded = self.folded()
            found = [i for i in found if needle in folded[i][0] or needle in folded[i][1]]
        return found


def listing_of(vendors: Sequence[Vendor], space: Namespace) -> PoolListing:
    """The namespace's listing, built on first use."""
    # A namespace that shares every catalog section has the fixtures' pools (a new pool comes
    # from a catalog write): its listing is the one every such namespace shares.
    shared = space.fixtures is not None and all(space.shares(section) for section in space.catalogs)
    cache: dict[Any, Any] = space.fixtures.derived if shared and space.fixtures else space.derived
    key: Any = (KEY, tuple(v.name for v in vendors)) if shared else KEY
    cached = cache.get(key)
    # (A pool added since, which nothing does today, would make the listing stale: rebuilt.)
    if not isinstance(cached, PoolListing) or len(cached.infos) != space.inventory.pool_count():
        with collector_paused():  # hundreds of thousands of small acyclic objects
            cached = cache[key] = _build(vendors, space)
    return cached


def _build(vendors: Sequence[Vendor], space: Namespace) -> PoolListing:
    known = {pool.id for pool in space.inventory.pools()}
    infos: list[PoolInfo] = []
    spans: dict[str | None, range] = {}

    def take(owner: str | None, described: Iterable[PoolInfo]) -> None:
        first = len(infos)
        for info in described:
            if info.pool_id in known:  # each pool once, and only pools that exist
                known.discard(info.pool_id)
                infos.append(info)
        spans[owner] = range(first, len(infos))

    for vendor in vendors:
        catalog = space.catalogs.get(vendor.section)
        if not isinstance(catalog, dict):
            continue
        if vendor.describe_pools is not None:
            take(vendor.name, vendor.describe_pools(catalog))
        else:
            take(vendor.name, (plain(p.id) for p in vendor.pools(catalog)))
    take(None, (plain(p.id) for p in space.inventory.pools() if p.id in known))
    return PoolListing(infos, spans)


def plain(pool_id: str) -> PoolInfo:
    """A pool its vendor does not describe."""
    return PoolInfo(pool_id, "pool", pool_id, timed=False)
