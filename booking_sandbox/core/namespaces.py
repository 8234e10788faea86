"""Namespaces: isolated sandboxes inside one server, so parallel CI jobs share a container.

`Namespaces` is the server's registry: a namespace is created on first use from the loaded
fixtures, evicted when idle at the cap, or built from an exported state. One namespace
(`Namespace`: its own catalogs, inventory, clock and seeded id sequence), the rule for its name
and the errors are in core/namespace.py.
"""

from __future__ import annotations

import itertools
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol, cast

from booking_sandbox.core.clock import Clock, WallClock
from booking_sandbox.core.fixtures import FixtureSet, collector_paused
from booking_sandbox.core.ids import IdFactory
from booking_sandbox.core.namespace import DEFAULT, Namespace, TooManyNamespaces, check_name
from booking_sandbox.core.retention import Pruner, Retention, RetentionPolicy
from booking_sandbox.engine import Inventory, Pool, import_inventory
from booking_sandbox.engine.pool_table import LazyPools


class CatalogHooks(Protocol):
    """What a namespace needs from a vendor (the vendors' `Vendor` has these and more)."""

    @property
    def name(self) -> str: ...

    @property
    def section(self) -> str: ...

    @property
    def pools(self) -> Callable[[dict[str, Any]], Iterable[Pool]]: ...

    @property
    def bindings(self) -> Callable[[dict[str, Any]], dict[str, str]]: ...

    @property
    def prepare(self) -> Callable[[Namespace], None] | None: ...

    @property
    def prune(self) -> Pruner | None: ...


class Namespaces:
    """Every namespace of one server, created lazily."""

    def __init__(
        self,
        fixtures: FixtureSet,
        vendors: Sequence[CatalogHooks],
        catalogs: Mapping[str, Any],
        *,
        seed: int,
        start_time: datetime | None,
        wall: WallClock,
        limit: int,
        idle: float = 600.0,
        retention: RetentionPolicy | None = None,
    ) -> None:
        self.fixtures = fixtures
        self.vendors = tuple(vendors)
        self.seed = seed
        self.start_time = start_time
        self.wall = wall
        self.limit = limit
        self.idle = idle  # wall-clock seconds unused before a namespace may make room
        self.retention = retention or RetentionPolicy()
        self._pruners = tuple((v.name, v.prune) for v in self.vendors if v.prune is not None)
        # Least recently used first: at the cap, the head is the one eviction looks at.
        self._spaces: OrderedDict[str, Namespace] = OrderedDict()
        self._last_used: dict[str, float] = {}
        self.evicted = 0
        self._serials = itertools.count(1)
        # Told of each eviction, so what others keep per name (journals, faults) goes too.
        self.on_evict: Callable[[str], None] | None = None
        # Credential bindings are read once, from the parsed copy the caller already has:
        # they decide namespaces, so they cannot live inside one.
        self.bindings: dict[str, str] = {}
        self._bound: dict[str, list[str]] = {}
        for vendor in self.vendors:
            if vendor.section in catalogs:
                for credential, ns in vendor.bindings(catalogs[vendor.section]).items():
                    self.bindings[f"{vendor.name}:{credential}"] = ns

    def resolve(self, header: str | None, vendor: str, credential: str | None) -> str:
        """The contract's order: the header, else the credential's binding, else `default`."""
        if header is not None:
            check_name(header)
            return header
        if credential is not None:
            bound = self.bindings.get(f"{vendor}:{credential}")
            if bound:
                return bound
        return DEFAULT

    def peek(self, name: str) -> Namespace | None:
        """The namespace if it exists, without creating it (nor counting it as used)."""
        return self._spaces.get(name)

    def use(self, name: str) -> Namespace | None:
        """`peek`, and the namespace counts as used now (a request for it arrived)."""
        space = self._spaces.get(name)
        if space is not None:
            self._touch(name)
        return space

    def bound(self, vendor: str) -> list[str]:
        """The namespaces some credential of `vendor` is bound to."""
        found = self._bound.get(vendor)
        if found is None:  # the bindings never change: sorted once per vendor
            prefix = f"{vendor}:"
            found = sorted({ns for key, ns in self.bindings.items() if key.startswith(prefix)})
            self._bound[vendor] = found
        return list(found)

    def names(self) -> list[str]:
        return sorted(self._spaces)

    def get(self, name: str) -> Namespace:
        space = self._spaces.get(name)
        if space is None:
            check_name(name)
            self._make_room()
            space = self._spaces[name] = self._fresh(name)
        self._touch(name)
        return space

    def reset(self, name: str) -> None:
        check_name(name)
        self.discard(name)

    def discard(self, name: str) -> None:
        """Undo a namespace this request created."""
        self._spaces.pop(name, None)
        self._last_used.pop(name, None)

    def reset_all(self) -> list[str]:
        names = self.names()
        self._spaces.clear()
        self._last_used.clear()
        return names

    def _touch(self, name: str) -> None:
        self._spaces.move_to_end(name)
        self._last_used[name] = self.wall().timestamp()

    def _make_room(self) -> None:
        """At the cap, evict the least recently used namespace if it has been idle long
        enough (never `default`), else refuse: one client filling the cap must not lock
        every other job out until someone resets them all."""
        if len(self._spaces) < self.limit:
            return
        now = self.wall().timestamp()
        for name in self._spaces:  # least recently used first
            if name == DEFAULT:
                continue
            if now - self._last_used.get(name, now) >= self.idle:
                self.discard(name)
                self.evicted += 1
                if self.on_evict is not None:
                    self.on_evict(name)
                return
            break  # the next ones were used even more recently
        raise TooManyNamespaces(
            f"too many namespaces ({self.limit}) and none idle for {self.idle:g} s; reset some "
            'with POST /_sandbox/reset {"all": true}, or raise --max-namespaces'
        )

    def now(self, name: str) -> datetime:
        """The time on `name`'s clock, or on the clock it will start with; creates nothing."""
        space = self._spaces.get(name)
        return space.clock.now() if space is not None else self._clock().now()

    def install(self, space: Namespace) -> Namespace:
        """Put a namespace built by `build` in place of any of that name."""
        if space.name not in self._spaces:
            self._make_room()
        self._spaces[space.name] = space
        self._touch(space.name)
        return space

    def build(self, name: str, data: dict[str, Any]) -> Namespace:
        """A namespace from an exported state, not yet in place: touches nothing shared, so
        a large state can be built off the event loop."""
        check_name(name)
        clock = self._clock()
        clock.load_json(data["clock"])
        ids = IdFactory(self.seed, name)
        ids.load_json(data["ids"])
        return Namespace(
            name=name,
            clock=clock,
            ids=ids,
            inventory=import_inventory(data["inventory"], clock.now),
            catalogs=data["catalogs"],
            vendor_state=data["vendors"],
            serial=next(self._serials),
            retention=self._retention(data.get("pruned")),
        )

    def _retention(self, pruned: Mapping[str, Any] | None = None) -> Retention:
        retention = Retention(self.retention, self._pruners)
        retention.load_json(pruned)
        return retention

    def _clock(self) -> Clock:
        return Clock(self.wall, start=self.start_time)

    def base_pools(self) -> LazyPools:
        """The pools the fixtures imply, shared by every new namespace: each vendor's built
        once, on first use (a vendor's pool ids start with `<its name>:`)."""
        key = ("engine.pools", tuple(vendor.name for vendor in self.vendors))
        found = self.fixtures.derived.get(key)
        if found is None:
            found = self.fixtures.derived[key] = LazyPools(
                [
                    (f"{vendor.name}:", self._pools_of(vendor))
                    for vendor in self.vendors
                    if vendor.section in self.fixtures.frozen
                ]
            )
        return cast(LazyPools, found)

    def _pools_of(self, vendor: CatalogHooks) -> Callable[[], list[Pool]]:
        def build() -> list[Pool]:
            with collector_paused():  # hundreds of thousands of pools on a big catalog
                return list(vendor.pools(self.fixtures.section(vendor.section)))

        return build

    def _fresh(self, name: str) -> Namespace:
        clock = self._clock()
        # The fixtures' documents and pools, shared: copied only where this namespace writes.
        inventory = Inventory(clock.now, self.base_pools())
        with collector_paused():  # the vendors' own records (Booqable's fixture orders)
            catalogs = self.fixtures.catalogs()
            space = Namespace(
                name,
                clock,
                IdFactory(self.seed, name),
                inventory,
                catalogs,
                serial=next(self._serials),
                retention=self._retention(),
                fixtures=self.fixtures,
            )
            for vendor in self.vendors:
                if vendor.prepare is not None and vendor.section in catalogs:
                    vendor.prepare(space)
        return space
