"""Inventories over one shared base of pools: each keeps only the pools it adds or changes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from booking_sandbox.engine import InvalidRequest, Inventory, Line, Pool, UnknownPool
from booking_sandbox.engine.pool_table import PoolTable, base_pools

T0 = datetime(2030, 1, 1, tzinfo=UTC)


def shared() -> tuple[Inventory, Inventory]:
    base = base_pools([Pool("a", 1), Pool("b", 2, units=("B1", "B2")), Pool("c", 3)])
    return Inventory(lambda: T0, base), Inventory(lambda: T0, base)


def test_a_change_in_one_inventory_leaves_the_other_and_the_base_alone() -> None:
    one, two = shared()
    one.update_pool(Pool("b", 1, units=("B1",)))
    one.add_pool(Pool("d", 4))
    assert one.pool("b") == Pool("b", 1, units=("B1",))
    assert two.pool("b") == Pool("b", 2, units=("B1", "B2"))
    with pytest.raises(UnknownPool):
        two.pool("d")
    assert [p.id for p in one.pools()] == ["a", "b", "c", "d"]  # a changed pool keeps its place
    assert [p.id for p in two.pools()] == ["a", "b", "c"]
    assert (one.pool_count(), two.pool_count()) == (4, 3)


def test_allocations_read_the_inventorys_own_pool() -> None:
    one, two = shared()
    one.update_pool(Pool("a", 2))
    one.allocate([Line("a", 2)], owner="o")
    assert one.availability("a").capacity == 2
    assert two.availability("a").capacity == 1
    assert two.availability("a").taken == 0


def test_an_id_of_the_base_cannot_be_added_again() -> None:
    one, _ = shared()
    with pytest.raises(InvalidRequest):
        one.add_pool(Pool("a", 5))
    with pytest.raises(InvalidRequest):
        base_pools([Pool("x", 1), Pool("x", 2)])


def test_the_base_is_read_only_and_a_table_counts_what_it_adds() -> None:
    base = base_pools([Pool("a", 1)])
    with pytest.raises(TypeError):
        base["b"] = Pool("b", 1)  # type: ignore[index]
    table = PoolTable(base)
    table["a"] = Pool("a", 2)
    table["b"] = Pool("b", 1)
    table["b"] = Pool("b", 3)
    assert len(table) == 2
    assert table.changed() == ["a", "b"]
    assert "a" in table
    assert "z" not in table
    assert base["a"] == Pool("a", 1)
    with pytest.raises(KeyError):
        table["z"]
