"""The read cache's core (core/readcache.py), the engine's next expiry, and the version bumps
that keep cached reads current (traffic/middleware.py, control/changes.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.clock import Clock
from booking_sandbox.core.ids import IdFactory
from booking_sandbox.core.namespace import Namespace
from booking_sandbox.core.options import from_sources
from booking_sandbox.core.readcache import Answer, ReadCache
from booking_sandbox.core.settings import Settings
from booking_sandbox.engine import Inventory, Line, Pool
from tests.conftest import START, Api

T0 = datetime(2030, 1, 1, tzinfo=UTC)


def space(clock: Clock | None = None, serial: int = 1) -> Namespace:
    clock = clock or Clock(lambda: T0, start=T0, frozen=True)
    inventory = Inventory(clock.now)
    inventory.add_pool(Pool("p", 10))
    return Namespace("n", clock, IdFactory(1, "n"), inventory, {}, serial=serial)


def answer(body: bytes = b"{}", fresh_before: datetime | None = None) -> Answer:
    return Answer(200, ((b"content-type", b"application/json"),), body, fresh_before)


def test_a_kept_answer_is_found_until_the_state_moves() -> None:
    cache, ns = ReadCache(), space()
    key = ("GET", "/x", b"")
    assert cache.get(ns, key) is None
    kept = answer()
    cache.put(cache.full_key(ns, key), kept)
    assert cache.get(ns, key) is kept
    assert cache.get(ns, ("GET", "/y", b"")) is None
    ns.changed()  # a write
    assert cache.get(ns, key) is None
    cache.put(cache.full_key(ns, key), kept)
    ns.clock.advance(timedelta(0))  # a clock move, even by nothing
    assert cache.get(ns, key) is None
    cache.put(cache.full_key(ns, key), kept)
    assert cache.get(space(ns.clock, serial=2), key) is None  # a reset or an import
    assert (cache.hits, cache.misses) == (1, 5)


def test_an_answer_is_stale_from_its_fresh_before_on_a_running_clock() -> None:
    wall = [T0]
    clock = Clock(lambda: wall[0], start=T0)
    cache, ns = ReadCache(), space(clock)
    cache.put(cache.full_key(ns, ("k",)), answer(fresh_before=T0 + timedelta(seconds=10)))
    wall[0] = T0 + timedelta(seconds=9)
    assert cache.get(ns, ("k",)) is not None
    wall[0] = T0 + timedelta(seconds=10)
    assert cache.get(ns, ("k",)) is None
    assert len(cache) == 0
    assert cache.size == 0


def test_the_byte_bound_evicts_the_least_recently_used() -> None:
    cache, ns = ReadCache(limit=10_000), space()
    for i in range(10):
        cache.put(cache.full_key(ns, (f"/{i}",)), answer(b"x" * 1000))
    assert cache.size <= 10_000
    assert cache.evictions > 0
    assert cache.get(ns, ("/0",)) is None  # the oldest went first
    assert cache.get(ns, ("/9",)) is not None
    cache.put(cache.full_key(ns, ("/big",)), answer(b"x" * 5000))  # over a quarter: not kept
    assert cache.get(ns, ("/big",)) is None


def test_a_namespace_replaced_ages_out() -> None:
    cache = ReadCache(limit=20_000)
    old = space(serial=1)
    cache.put(cache.full_key(old, ("/a",)), answer(b"x" * 2000))
    new = space(serial=2)
    for i in range(20):
        cache.put(cache.full_key(new, (f"/{i}",)), answer(b"x" * 2000))
    assert all(isinstance(key, tuple) and key[0] == 2 for key in cache._entries)
    assert cache.size <= 20_000


# ----- the engine's next expiry ---------------------------------------------------------------


def test_next_expiry_follows_live_holds() -> None:
    now = [T0]
    inventory = Inventory(lambda: now[0])
    inventory.add_pool(Pool("p", 10))
    assert inventory.next_expiry() is None
    first = inventory.allocate([Line("p", 1)], owner="a", hold_until=T0 + timedelta(minutes=5))
    inventory.allocate([Line("p", 1)], owner="b", hold_until=T0 + timedelta(minutes=15))
    inventory.allocate([Line("p", 1)], owner="c")  # confirmed: never expires
    assert inventory.next_expiry() == T0 + timedelta(minutes=5)
    inventory.confirm([first[0].id])
    assert inventory.next_expiry() == T0 + timedelta(minutes=15)
    now[0] = T0 + timedelta(minutes=16)
    assert inventory.next_expiry() is None
    now[0] = T0 + timedelta(minutes=1)  # time travel back: the hold lives again
    assert inventory.next_expiry() == T0 + timedelta(minutes=15)


def test_next_expiry_stays_bounded_by_live_holds() -> None:
    inventory = Inventory(lambda: T0)
    inventory.add_pool(Pool("p", 100_000))
    for i in range(2000):
        held = inventory.allocate([Line("p", 1)], owner=f"o{i}", hold_until=T0 + timedelta(hours=1))
        inventory.release([held[0].id])
        inventory.next_expiry()
    assert len(inventory._expiries._heap) < 200


def test_the_expiry_heap_stays_bounded_when_no_read_asks() -> None:
    """A write-only load never calls `next_expiry`: the heap is compacted as holds are stored,
    so it stays bounded by the holds the inventory keeps (it grew by every hold ever made)."""
    inventory = Inventory(lambda: T0)
    inventory.add_pool(Pool("p", 100_000))
    for i in range(5000):
        held = inventory.allocate([Line("p", 1)], owner=f"o{i}", hold_until=T0 + timedelta(hours=1))
        inventory.release([held[0].id])
        inventory.forget([held[0].id])
    assert len(inventory._expiries._heap) < 200


def test_a_compacted_heap_still_finds_swept_holds_after_time_travel() -> None:
    """Compaction keeps what was swept swept: a clock set back still sees the old holds."""
    now = [T0]
    inventory = Inventory(lambda: now[0])
    inventory.add_pool(Pool("p", 100_000))
    inventory.add_pool(Pool("q", 100_000))  # (a write to "p" would sweep the old hold for good)
    inventory.allocate([Line("p", 1)], owner="old", hold_until=T0 + timedelta(minutes=5))
    now[0] = T0 + timedelta(minutes=10)
    assert inventory.next_expiry() is None  # swept
    for i in range(500):  # enough stored (and released) holds to compact the heap
        held = inventory.allocate([Line("q", 1)], owner=f"o{i}", hold_until=now[0])
        inventory.release([held[0].id])
    now[0] = T0
    assert inventory.next_expiry() == T0 + timedelta(minutes=5)


# ----- the bumps ------------------------------------------------------------------------------


def test_requests_that_are_not_reads_bump_the_version() -> None:
    app = create_app(Settings())
    with TestClient(app, raise_server_exceptions=False) as http:
        api = Api(http, "bumps")
        key = {"Authorization": "Bearer demo-api-key"}
        api.get("/api/boomerang/orders", headers=key)
        ns = app.state.sandbox.namespaces.peek("bumps")
        version = ns.version
        api.get("/api/boomerang/orders", headers=key)
        api.post("/api/boomerang/orders/search", headers=key, json={})  # a read-POST
        assert ns.version == version
        # A refused write and a faulted one count too: what they did is not known here.
        api.post("/api/boomerang/orders", headers=key, json={"data": {}})
        assert ns.version == version + 1
        fault = {"X-Sandbox-Fault": "status=503", **key}
        api.post("/api/boomerang/customers", headers=fault, json={})
        assert ns.version == version + 2
        api.put("/_sandbox/clock", json={"now": START})  # a control-plane change
        assert ns.version == version + 3
        api.get("/_sandbox/clock")
        assert ns.version == version + 3


def test_a_setting_turns_the_cache_off() -> None:
    app = create_app(Settings(read_cache_bytes=0))
    with TestClient(app) as http:
        api = Api(http, "off")
        for _ in range(3):
            api.get("/api/boomerang/orders", headers={"Authorization": "Bearer demo-api-key"})
        reads = app.state.sandbox.reads
        assert not reads.enabled
        assert (reads.hits, reads.misses, len(reads)) == (0, 0, 0)


def test_the_flag_and_its_variable_size_the_cache() -> None:
    assert from_sources([], env={}).read_cache_bytes == 64 * 1024 * 1024
    assert from_sources(["--read-cache-mb", "0"], env={}).read_cache_bytes == 0
    assert from_sources([], env={"SANDBOX_READ_CACHE_MB": "8"}).read_cache_bytes == 8 * 1024 * 1024
    with pytest.raises(SystemExit):
        from_sources(["--read-cache-mb", "-1"], env={})
