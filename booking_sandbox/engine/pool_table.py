"""A namespace's pools: a shared read-only base under the namespace's own changes.

Every namespace starts with the pools its fixtures imply. They are built once per fixture set
(`base_pools`) and shared; a namespace stores only the pools it adds or changes (stock
changes), so a new namespace costs nothing in proportion to the catalog. Pools are frozen
values: sharing one cannot leak a change from one namespace into another.

`LazyPools` builds that base part by part (one vendor's pools each) on first use: a lookup
builds only the part its id's prefix names, and counting or listing the pools builds them all,
in the same order an eager build has. A start whose catalog already passed every check (a
checked snapshot) then builds only the pools its first requests touch.
"""

from __future__ import annotations

from collections.abc import (
    Callable,
    ItemsView,
    Iterable,
    Iterator,
    KeysView,
    Mapping,
    Sequence,
    ValuesView,
)
from types import MappingProxyType
from typing import TypeVar, overload

from booking_sandbox.engine.errors import InvalidRequest
from booking_sandbox.engine.model import Pool

T = TypeVar("T")


def base_pools(pools: Iterable[Pool]) -> Mapping[str, Pool]:
    """Pools to share between inventories, by id, read-only; a duplicate id is refused."""
    table: dict[str, Pool] = {}
    for pool in pools:
        if pool.id in table:
            raise InvalidRequest(f"pool {pool.id} exists already", pool=pool.id)
        table[pool.id] = pool
    return MappingProxyType(table)


class LazyPools(Mapping[str, Pool]):
    """The shared base (read-only), each part built on its first use: `parts` are (prefix,
    build), where every pool `build` makes has an id that starts with `prefix` (checked), so
    an id names the one part that can hold it. Once every part is built they are one table."""

    def __init__(self, parts: Sequence[tuple[str, Callable[[], Iterable[Pool]]]]) -> None:
        prefixes = [prefix for prefix, _ in parts]
        for i, prefix in enumerate(prefixes):
            if not prefix or any(j != i and p.startswith(prefix) for j, p in enumerate(prefixes)):
                raise ValueError(f"pool id prefixes must not overlap: {prefixes}")
        self._parts = list(parts)
        self._built: list[Mapping[str, Pool] | None] = [None] * len(parts)
        self._all: Mapping[str, Pool] | None = None if parts else MappingProxyType({})

    def built(self) -> int:
        """How many parts are built so far."""
        return (
            len(self._parts) if self._all is not None else sum(p is not None for p in self._built)
        )

    def build_all(self) -> Mapping[str, Pool]:
        """Every part now, as one table (a part that cannot be built raises here)."""
        if self._all is None:
            table: dict[str, Pool] = {}
            for index in range(len(self._parts)):
                table.update(self._part(index))  # prefixes apart: no id is in two parts
            self._all = MappingProxyType(table)
            self._built = []  # the one table holds them now
        return self._all

    def _part(self, index: int) -> Mapping[str, Pool]:
        built = self._built[index]
        if built is None:
            prefix, build = self._parts[index]
            built = base_pools(build())
            for pool_id in built:
                if not pool_id.startswith(prefix):
                    raise InvalidRequest(f"pool {pool_id} is not under {prefix}", pool=pool_id)
            self._built[index] = built
        return built

    def _owner(self, pool_id: object) -> Mapping[str, Pool] | None:
        if self._all is not None:
            return self._all
        if isinstance(pool_id, str):
            for index, (prefix, _) in enumerate(self._parts):
                if pool_id.startswith(prefix):
                    return self._part(index)
        return None

    @overload
    def get(self, key: str, /) -> Pool | None: ...
    @overload
    def get(self, key: str, /, default: Pool | T) -> Pool | T: ...
    def get(self, key: str, /, default: object = None) -> object:
        owner = self._owner(key)
        return default if owner is None else owner.get(key, default)

    def __getitem__(self, pool_id: str) -> Pool:
        owner = self._owner(pool_id)
        if owner is None:
            raise KeyError(pool_id)
        return owner[pool_id]

    def __contains__(self, pool_id: object) -> bool:
        owner = self._owner(pool_id)
        return owner is not None and pool_id in owner

    def __iter__(self) -> Iterator[str]:
        return iter(self.build_all())

    def __len__(self) -> int:
        return len(self.build_all())

    def keys(self) -> KeysView[str]:
        return self.build_all().keys()

    def values(self) -> ValuesView[Pool]:
        return self.build_all().values()

    def items(self) -> ItemsView[str, Pool]:
        return self.build_all().items()


class PoolTable:
    """Pools by id: this inventory's own first, then the shared base (never written)."""

    __slots__ = ("_added", "_base", "_own")

    def __init__(self, base: Mapping[str, Pool] | None = None) -> None:
        self._base: Mapping[str, Pool] = base if base is not None else {}
        self._own: dict[str, Pool] = {}  # pools added here, and base pools changed here
        self._added = 0  # how many of `_own` are not in the base

    def get(self, pool_id: str) -> Pool | None:
        found = self._own.get(pool_id)
        return found if found is not None else self._base.get(pool_id)

    def __getitem__(self, pool_id: str) -> Pool:
        found = self.get(pool_id)
        if found is None:
            raise KeyError(pool_id)
        return found

    def __contains__(self, pool_id: object) -> bool:
        return pool_id in self._own or pool_id in self._base

    def __setitem__(self, pool_id: str, pool: Pool) -> None:
        if pool_id not in self:
            self._added += 1
        self._own[pool_id] = pool

    def __len__(self) -> int:
        return len(self._base) + self._added

    def values(self) -> list[Pool]:
        """Every pool, in the order they were added (a changed base pool keeps its place)."""
        own = self._own
        found = [own.get(i, p) for i, p in self._base.items()] if own else list(self._base.values())
        if self._added:
            found += [p for i, p in own.items() if i not in self._base]
        return found

    def changed(self) -> list[str]:
        """Ids of the pools this inventory added or changed."""
        return list(self._own)
