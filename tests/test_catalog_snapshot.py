"""Checked snapshots of big catalogs (core/catalog_snapshot.py): taken when nothing changed,
ignored when anything did, never trusted when damaged, and never written where they must not be.

The catalogs here are the bundled ones padded with trailing blanks past the 1 MiB threshold:
the same documents, in files big enough to get a snapshot.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

import booking_sandbox.app as app_module
from booking_sandbox.app import create_app
from booking_sandbox.core import catalog_snapshot, fixtures
from booking_sandbox.core.catalog_snapshot import MIN_BYTES, CatalogSnapshots, code_fingerprint
from booking_sandbox.core.fixtures import FixtureError, load_fixtures
from booking_sandbox.core.options import from_sources
from booking_sandbox.core.settings import Settings
from booking_sandbox.vendors.adapter import cross_reference_problems

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ["booqable", "korus", "pontcentral"]


@pytest.fixture(autouse=True)
def steady_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """The package's sources as they are now: a checkout being edited would change the key
    between two starts (as it should; see the fingerprint test)."""
    monkeypatch.setattr(catalog_snapshot, "code_fingerprint", lambda package=None: "steady")


def padded(directory: Path) -> Path:
    directory.mkdir()
    for file in sorted((ROOT / "fixtures").glob("*.json")):
        (directory / file.name).write_bytes(file.read_bytes() + b" " * MIN_BYTES)
    return directory


@pytest.fixture
def big(tmp_path: Path) -> Path:
    return padded(tmp_path / "fixtures")


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


class Watch:
    """Counts schema checks per section and what the cross-reference checks were given."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.validated: list[str] = []
        self.cross_checked: list[list[str]] = []
        real_validator = fixtures.schema_validator

        def validator(section: str, schemas: Path, kind: str = "fixtures") -> Any:
            self.validated.append(section)
            return real_validator(section, schemas, kind)

        def cross(vendors: Any, catalogs: dict[str, Any]) -> Any:
            self.cross_checked.append(sorted(catalogs))
            return cross_reference_problems(vendors, catalogs)

        monkeypatch.setattr(fixtures, "schema_validator", validator)
        monkeypatch.setattr(app_module, "cross_reference_problems", cross)


def load(directory: Path, cache: Path) -> tuple[Any, CatalogSnapshots]:
    snapshots = CatalogSnapshots(cache)
    loaded = load_fixtures(directory, None, snapshots)
    snapshots.commit(SECTIONS)
    return loaded, snapshots


def hidden(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("."))


def test_the_second_start_skips_parsing_and_every_check(
    big: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(fixtures=big, snapshot_cache=cache)
    first = create_app(settings).state.sandbox.fixtures.catalogs()
    assert hidden(big) == [f".{s}.json.snapshot" for s in SECTIONS]
    watch = Watch(monkeypatch)
    second = create_app(settings).state.sandbox.fixtures.catalogs()
    assert watch.validated == []  # no schema check
    assert watch.cross_checked == [[]]  # no vendor's cross-references either
    assert second == first == load_fixtures(ROOT / "fixtures").catalogs()


def test_a_changed_catalog_of_the_same_size_and_time_is_checked_again(
    big: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(big, cache)
    file = big / "korus.json"
    before = file.stat()
    data = file.read_bytes().rstrip()
    file.write_bytes(data + b" " * (before.st_size - len(data) - 1) + b"\n")  # same document
    os.utime(file, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert file.stat().st_size == before.st_size
    watch = Watch(monkeypatch)
    _, snapshots = load(big, cache)
    assert watch.validated == ["korus"]
    assert snapshots.recalled == {"booqable", "pontcentral"}
    watch.validated.clear()
    load(big, cache)  # the new snapshot replaced the old one
    assert watch.validated == []


def test_a_schema_error_is_refused_with_the_same_messages_despite_an_old_snapshot(
    big: Path, cache: Path
) -> None:
    load(big, cache)
    file = big / "korus.json"
    size = file.stat().st_size
    document = json.loads(file.read_text("utf-8"))
    document["organizations"][0]["id"] = 42  # an integer where the schema wants a string
    broken = json.dumps(document, indent=1, ensure_ascii=False).encode()
    file.write_bytes(broken + b" " * (size - len(broken)))
    assert file.stat().st_size == size
    with pytest.raises(FixtureError) as without:
        load_fixtures(big)
    with pytest.raises(FixtureError) as despite:
        load(big, cache)
    assert despite.value.problems == without.value.problems
    assert any(p.startswith("korus.json: $.organizations[0].id") for p in despite.value.problems)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[:-1] + bytes([data[-1] ^ 1]),  # one bit of the payload
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: b"not a snapshot at all",
        lambda data: b"",
    ],
    ids=["flipped bit", "truncated", "garbage", "empty"],
)
def test_a_damaged_snapshot_is_ignored_and_written_again(
    big: Path, cache: Path, monkeypatch: pytest.MonkeyPatch, damage: Any
) -> None:
    load(big, cache)
    snapshot = big / ".korus.json.snapshot"
    snapshot.write_bytes(damage(snapshot.read_bytes()))
    watch = Watch(monkeypatch)
    loaded, _ = load(big, cache)
    assert watch.validated == ["korus"]
    assert loaded.catalogs() == load_fixtures(ROOT / "fixtures").catalogs()
    watch.validated.clear()
    load(big, cache)
    assert watch.validated == []


def test_another_files_snapshot_is_not_taken(
    big: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load(big, cache)
    (big / ".korus.json.snapshot").write_bytes((big / ".booqable.json.snapshot").read_bytes())
    watch = Watch(monkeypatch)
    load(big, cache)
    assert watch.validated == ["korus"]


def test_a_directory_that_cannot_be_written_keeps_its_snapshots_in_the_cache(
    big: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big.chmod(0o555)
    try:
        if os.geteuid() == 0:  # root writes anyway: stand in for a read-only mount
            monkeypatch.setattr(catalog_snapshot, "writable", lambda directory: False)
        load(big, cache)
        assert hidden(big) == []
        assert len(list(cache.glob("*.snapshot"))) == 3
        watch = Watch(monkeypatch)
        _, snapshots = load(big, cache)
        assert watch.validated == []
        assert snapshots.recalled == set(SECTIONS)
    finally:
        big.chmod(0o755)


def test_a_snapshot_that_cannot_be_written_beside_goes_to_the_cache(
    big: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = big / ".korus.json.snapshot"
    blocked.mkdir()  # a directory where the file would go: the rename fails, even for root
    (blocked / "keep").write_text("x")
    load(big, cache)
    assert [p.name.endswith("-korus.json.snapshot") for p in cache.iterdir()] == [True]
    watch = Watch(monkeypatch)
    load(big, cache)
    assert watch.validated == []


def test_a_start_that_fails_writes_no_snapshot(big: Path, cache: Path) -> None:
    korus = json.loads((big / "korus.json").read_text("utf-8"))
    korus["organizations"].append(korus["organizations"][0])  # a duplicate id: cross-reference
    (big / "korus.json").write_text(json.dumps(korus) + " " * MIN_BYTES, "utf-8")
    with pytest.raises(FixtureError, match="duplicate"):
        create_app(Settings(fixtures=big, snapshot_cache=cache))
    assert hidden(big) == []
    assert not cache.exists()


def test_snapshots_can_be_turned_off(big: Path, cache: Path) -> None:
    create_app(Settings(fixtures=big, snapshot_cache=cache, catalog_snapshots=False))
    assert hidden(big) == []
    assert not cache.exists()
    assert from_sources(["--catalog-snapshots", "off"], {}).catalog_snapshots is False
    assert from_sources([], {"SANDBOX_CATALOG_SNAPSHOTS": "off"}).catalog_snapshots is False
    assert from_sources([], {}).catalog_snapshots is True


def test_small_files_and_the_bundled_fixtures_get_none(tmp_path: Path, cache: Path) -> None:
    small = tmp_path / "small"
    small.mkdir()
    for file in (ROOT / "fixtures").glob("*.json"):
        (small / file.name).write_bytes(file.read_bytes())
    load(small, cache)
    assert hidden(small) == []
    before = sorted(p.name for p in (ROOT / "fixtures").iterdir())
    snapshots = CatalogSnapshots(cache, min_bytes=0)
    load_fixtures(None, None, snapshots)
    snapshots.commit(SECTIONS)
    assert sorted(p.name for p in (ROOT / "fixtures").iterdir()) == before
    assert not cache.exists()


def test_the_code_fingerprint_follows_the_sources(tmp_path: Path) -> None:
    (tmp_path / "checks.py").write_text("A = 1\n")
    before = code_fingerprint(tmp_path)
    assert code_fingerprint(tmp_path) == before
    os.utime(tmp_path / "checks.py", ns=(1, 1))
    assert code_fingerprint(tmp_path) != before
