"""One namespace: an isolated sandbox inside the server, with its own catalogs, inventory,
clock and seeded id sequence; also what a namespace's name may be, and the errors a name or
the namespace cap raise. The registry that holds them is `Namespaces` (core/namespaces.py).

Nothing is shared between namespaces but the read-only fixtures: a namespace reads the
fixtures' own documents, their engine pools and the indexes derived from them, and copies a
catalog section only when it writes to it (`writable_catalog`), so a new namespace costs its
own state only, whatever the catalog's size.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from booking_sandbox.core.clock import Clock
from booking_sandbox.core.fixtures import FixtureSet
from booking_sandbox.core.ids import IdFactory
from booking_sandbox.core.retention import Retention
from booking_sandbox.engine import Inventory, export_inventory
from booking_sandbox.timefmt import parse_instant

DEFAULT = "default"
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
STATE_VERSION = 1
T = TypeVar("T")


class NamespaceError(ValueError):
    """A namespace name that is not allowed, or one namespace too many."""


class TooManyNamespaces(NamespaceError):
    """The server's namespace limit is reached (a 429 on every plane)."""


@dataclass
class Namespace:
    name: str
    clock: Clock
    ids: IdFactory
    inventory: Inventory
    # Section -> document: the fixtures' shared one (never written) until this namespace
    # writes the section (`writable_catalog`) or imports a state; then its own copy.
    catalogs: dict[str, Any]
    # Per-vendor records (bookings, orders, tokens...), kept JSON-able so export is exact.
    vendor_state: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Indexes adapters derive from `catalogs` (by code, by credential...): rebuilt on demand,
    # never exported, so they cannot drift from the state they index.
    derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # Which namespace object this is, unique in the server (a reset or an import makes a new
    # one), and how many changes it has seen: cached reads are keyed by both.
    serial: int = field(default=0, compare=False)
    version: int = field(default=0, compare=False)
    # The retention policy's state (core/retention.py); None: nothing is ever pruned.
    retention: Retention | None = field(default=None, compare=False, repr=False)
    # Where the shared documents and what is derived from them live (None: nothing shared).
    fixtures: FixtureSet | None = field(default=None, compare=False, repr=False)

    def changed(self) -> None:
        """Something a read could show changed (a write, an import): cached reads are stale."""
        if self.retention is not None:
            self.retention.wrote(self)  # prunes before the bump: no read sees it in between
        self.version += 1

    def shares(self, section: str) -> bool:
        """Whether the section is still the fixtures' shared document (read-only here)."""
        doc = self.catalogs.get(section)
        shared = self.fixtures.shared.get(section) if self.fixtures is not None else None
        return doc is not None and doc is shared

    def writable_catalog(self, section: str) -> Any:
        """The section's document, this namespace's own: the only way to change a catalog.

        The first write copies the shared document (copy on write); indexes derived from it
        (`derive`) are then built from the copy, for this namespace only.
        """
        if self.shares(section):
            assert self.fixtures is not None
            self.catalogs[section] = self.fixtures.section_copy(section)
        return self.catalogs.get(section)

    def derive(self, section: str, key: str, build: Callable[[], T]) -> T:
        """What `build` derives from catalog `section` (an index by code, by credential...),
        built once: shared by every namespace that shares the section, else kept in
        `derived`, where a write drops it (`derived.pop(key)`) to have it built again."""
        if self.shares(section):
            assert self.fixtures is not None
            cache = self.fixtures.derived
            shared_key = (section, key)
            if shared_key not in cache:
                cache[shared_key] = build()
            return cast(T, cache[shared_key])
        if key not in self.derived:
            self.derived[key] = build()
        return cast(T, self.derived[key])

    def state_of(self, vendor: str) -> dict[str, Any]:
        return self.vendor_state.setdefault(vendor, {})

    def export(self) -> dict[str, Any]:
        clock = self.clock.to_json()
        return {
            "version": STATE_VERSION,
            "namespace": self.name,
            "clock": clock,
            "ids": self.ids.to_json(),
            "catalogs": self.catalogs,
            # Holds' expiry derived at the instant written above, the one an import starts at.
            "inventory": export_inventory(self.inventory, parse_instant(clock["now"])),
            "vendors": self.vendor_state,
        } | self._pruned()

    def _pruned(self) -> dict[str, Any]:
        pruned = self.retention.to_json() if self.retention is not None else None
        return {} if pruned is None else {"pruned": pruned}


def check_name(name: str) -> None:
    if not NAME.fullmatch(name):  # `$` would also match before a final newline
        raise NamespaceError(
            f"invalid namespace {name!r}: 1-64 characters, letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
