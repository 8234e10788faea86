"""Pools built on first use: each vendor's when a pool of it is looked up, all of them when
they are counted or listed; the same pools, in the same order, as an eager build."""

from __future__ import annotations

import gc
import signal
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

import booking_sandbox.__main__ as cli
from booking_sandbox.app import create_app
from booking_sandbox.core import catalog_snapshot
from booking_sandbox.core.catalog_snapshot import MIN_BYTES
from booking_sandbox.core.fixtures import FixtureError
from booking_sandbox.core.settings import Settings
from booking_sandbox.engine import InvalidRequest, Pool
from booking_sandbox.engine.pool_table import LazyPools, base_pools
from booking_sandbox.vendors import VENDORS

ROOT = Path(__file__).resolve().parents[1]
START = datetime(2030, 1, 1, tzinfo=UTC)


def test_a_lookup_builds_only_the_part_its_id_names() -> None:
    built: list[str] = []

    def part(name: str, pools: list[Pool]) -> tuple[str, Callable[[], list[Pool]]]:
        def build() -> list[Pool]:
            built.append(name)
            return pools

        return f"{name}:", build

    a = [Pool("a:1", 1), Pool("a:2", 2, units=("x", "y"))]
    b = [Pool("b:1", 3)]
    lazy = LazyPools([part("a", a), part("b", b)])
    assert lazy.get("b:1") == Pool("b:1", 3)
    assert built == ["b"]
    assert "b:2" not in lazy
    assert lazy.get("c:1") is None
    assert built == ["b"]
    assert lazy.built() == 1
    assert list(lazy.values()) == list(base_pools([*a, *b]).values())  # eager order: a, then b
    assert (len(lazy), list(lazy), built) == (3, ["a:1", "a:2", "b:1"], ["b", "a"])
    assert lazy.built() == 2
    assert lazy["a:2"] == a[1]


def test_a_part_must_keep_to_its_prefix_and_prefixes_must_not_overlap() -> None:
    with pytest.raises(ValueError, match="overlap"):
        LazyPools([("a:", list), ("a:b", list)])
    stray = LazyPools([("a:", lambda: [Pool("b:1", 1)])])
    with pytest.raises(InvalidRequest, match="not under a:"):
        stray.build_all()
    duplicate = LazyPools([("a:", lambda: [Pool("a:1", 1), Pool("a:1", 2)])])
    with pytest.raises(InvalidRequest, match="exists already"):
        duplicate.get("a:1")


@pytest.fixture
def big(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled fixtures, padded to get snapshots (core/catalog_snapshot.py)."""
    monkeypatch.setattr(catalog_snapshot, "code_fingerprint", lambda package=None: "steady")
    directory = tmp_path / "fixtures"
    directory.mkdir()
    for file in sorted((ROOT / "fixtures").glob("*.json")):
        (directory / file.name).write_bytes(file.read_bytes() + b" " * MIN_BYTES)
    return directory


def observed(app: Any) -> tuple[Any, ...]:
    """What the pools show: the inventory overview, the pools, and the state export."""
    with TestClient(app) as client:
        listing = client.get("/_sandbox/inventory", params={"limit": 1000}).json()
        exported = client.get("/_sandbox/state").json()
    space = app.state.sandbox.namespaces.get("default")
    return listing, space.inventory.pools(), exported


def test_a_checked_catalog_builds_its_pools_on_first_use_and_shows_the_same(
    big: Path, tmp_path: Path
) -> None:
    settings = Settings(fixtures=big, snapshot_cache=tmp_path / "cache", wall=lambda: START)
    first = create_app(settings)  # new catalogs: every pool built at start-up
    assert first.state.sandbox.namespaces.base_pools().built() == len(VENDORS)
    second = create_app(settings)  # from checked snapshots
    lazy = second.state.sandbox.namespaces.base_pools()
    assert lazy.built() < len(VENDORS)  # only what seeding the default namespace touched
    korus = "korus:session:"
    some = next(p for p in first.state.sandbox.namespaces.base_pools() if p.startswith(korus))
    assert lazy[some] == first.state.sandbox.namespaces.base_pools()[some]
    assert observed(second) == observed(first)
    assert lazy.built() == len(VENDORS)


def test_a_new_catalog_whose_pools_cannot_build_is_refused_at_start_up(
    big: Path, tmp_path: Path
) -> None:
    def broken(doc: Any) -> list[Pool]:
        raise ValueError("korus: a pool that cannot be built")

    vendors = tuple(replace(v, pools=broken) if v.name == "korus" else v for v in VENDORS)
    with pytest.raises(FixtureError, match="a pool that cannot be built"):
        create_app(Settings(fixtures=big, snapshot_cache=tmp_path / "cache"), vendors)


def test_the_server_freezes_its_start_up_objects_before_the_collector_runs_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import uvicorn

    import booking_sandbox.serving

    seen: list[bool] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: None)
    monkeypatch.setattr(cli, "collect_rarely", lambda: seen.append(gc.isenabled()))
    monkeypatch.setattr(booking_sandbox.serving, "quiet_shutdown_cancellations", lambda: None)
    monkeypatch.setattr(signal, "signal", lambda signum, handler: None)
    enabled = gc.isenabled()
    assert cli.main(["--log-level", "warning"]) == 0
    assert seen == [False]  # no collection walks the start-up objects before they are frozen
    assert gc.isenabled() == enabled
