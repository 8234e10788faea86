"""Namespaces share the fixtures' catalog: copied by a namespace only where it writes it.

A catalog write in one namespace shows in no other, not in `default`, not after a reset; the
shared documents stay as loaded (also checked after every in-process `api` test, conftest.py);
the indexes vendors derive from a shared section are built once for every namespace.
"""

from __future__ import annotations

import marshal
import uuid
from typing import Any

import pytest
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.control.pool_listing import listing_of
from booking_sandbox.core.namespace import Namespace
from booking_sandbox.core.runtime import Sandbox
from booking_sandbox.core.settings import Settings
from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors import VENDORS
from booking_sandbox.vendors.booqable.catalog import CATALOG_KINDS, CHILDREN
from booking_sandbox.vendors.booqable.catalog import catalog_of as booqable_catalog
from booking_sandbox.vendors.korus.catalog import catalog_of as korus_catalog
from booking_sandbox.vendors.pontcentral.catalog import catalog_of as pont_catalog
from tests.booqable.conftest import DJ, TENT, Booqable
from tests.conftest import START, Api

DJ_POOL = f"booqable:product:{DJ}"
NS = "X-Sandbox-Namespace"


def sandbox_and_client() -> tuple[Sandbox, TestClient]:
    app = create_app(Settings(start_time=parse_instant(START)))
    return app.state.sandbox, TestClient(app, raise_server_exceptions=False)


def in_namespace(bq: Booqable, namespace: str) -> Booqable:
    return Booqable(Api(bq.api.client, namespace), prefix=bq.prefix)


def group_names(bq: Booqable) -> set[str]:
    listed = bq.get("/product_groups", params={"page[size]": "100"}).json()["data"]
    return {g["attributes"]["name"] for g in listed}


def dj_pool(bq: Booqable) -> dict[str, Any]:
    pools = bq.api.get("/_sandbox/state").json()["inventory"]["pools"]
    found: dict[str, Any] = next(p for p in pools if p["id"] == DJ_POOL)
    return found


def catalog_writes(bq: Booqable, name: str) -> None:
    """A product group create, a product update and a stock item create."""
    assert bq.create("product_groups", name=name).status_code == 201
    body = {"data": {"type": "products", "attributes": {"excerpt": name}}}
    assert bq.put(f"/products/{TENT}", json=body).status_code == 200
    assert bq.create("stock_items", product_id=DJ).status_code == 201


def test_a_new_namespace_holds_no_copy_of_the_catalog() -> None:
    sandbox, _ = sandbox_and_client()
    a, b = sandbox.namespaces.get("a"), sandbox.namespaces.get("b")
    for section in sandbox.fixtures.sections:
        assert a.shares(section)
        assert b.shares(section)
        assert a.catalogs[section] is b.catalogs[section] is sandbox.fixtures.section(section)
    assert a.inventory.pool(DJ_POOL) is b.inventory.pool(DJ_POOL)  # one Pool for both
    assert [p.id for p in a.inventory.pools()] == [p.id for p in b.inventory.pools()]


def test_catalog_writes_stay_in_their_namespace(api: Api) -> None:
    """On both transports: the writes of one namespace show nowhere else, nor after a reset."""
    mine = Booqable(api, prefix="/api/4")
    other = in_namespace(mine, f"t-{uuid.uuid4().hex[:12]}")
    default = in_namespace(mine, "default")
    name = f"Shared {uuid.uuid4().hex[:8]}"
    pool_before = dj_pool(other)
    tent_before = other.get(f"/products/{TENT}").json()["data"]["attributes"]["excerpt"]
    catalog_writes(mine, name)
    assert name in group_names(mine)
    assert mine.get(f"/products/{TENT}").json()["data"]["attributes"]["excerpt"] == name
    assert dj_pool(mine)["capacity"] == pool_before["capacity"] + 1
    for elsewhere in (other, default):
        assert name not in group_names(elsewhere)
        tent = elsewhere.get(f"/products/{TENT}").json()["data"]["attributes"]
        assert tent["excerpt"] == tent_before != name
        assert dj_pool(elsewhere) == pool_before  # the stock change changed only `mine`'s pool
    assert api.post("/_sandbox/reset").status_code == 200
    assert name not in group_names(mine)
    assert dj_pool(mine) == pool_before
    other.api.post("/_sandbox/reset")


def test_the_shared_documents_stay_as_loaded_after_writes() -> None:
    sandbox, client = sandbox_and_client()
    frozen = dict(sandbox.fixtures.frozen)
    with client:
        bq = Booqable(Api(client, "writer"), prefix="/api/4")
        catalog_writes(bq, "Beer bench")
        writer = sandbox.namespaces.get("writer")
        assert not writer.shares("booqable")  # its own copy, made by the first write
        assert writer.shares("korus")  # never written
        assert writer.shares("pontcentral")
    for section in sandbox.fixtures.sections:
        assert marshal.loads(frozen[section]) == sandbox.fixtures.section(section)
    assert sandbox.fixtures.changed_sections() == []
    assert sandbox.namespaces.get("reader").catalogs["booqable"] == marshal.loads(
        frozen["booqable"]
    )


def test_a_write_to_a_shared_document_is_caught() -> None:
    """The guard conftest.py runs after every in-process API test does see a stray write."""
    sandbox, _ = sandbox_and_client()
    shared = sandbox.namespaces.get("a").catalogs["booqable"]
    shared["product_groups"][0]["name"] = "changed in place"
    assert sandbox.fixtures.changed_sections() == ["booqable"]


def test_derived_indexes_are_shared_until_the_section_is_written() -> None:
    sandbox, client = sandbox_and_client()
    a, b = sandbox.namespaces.get("a"), sandbox.namespaces.get("b")
    for catalog_of in (booqable_catalog, korus_catalog, pont_catalog):
        index_a: Any = catalog_of(a)
        assert index_a is catalog_of(b)  # built once
    for space in (a, b):  # nothing catalog-derived is kept per namespace (records' indexes are)
        assert not set(space.derived) & set(sandbox.fixtures.sections)
        children = space.derived.get(CHILDREN, {})
        assert not [kind for kind, _ in children if kind in CATALOG_KINDS]
    with client:
        catalog_writes(Booqable(Api(client, "a"), prefix="/api/4"), "Beer bench")
    assert booqable_catalog(a) is not booqable_catalog(b)  # rebuilt from a's copy
    assert "Beer bench" in {g["name"] for g in booqable_catalog(a).lists["product_groups"]}
    assert "Beer bench" not in {g["name"] for g in booqable_catalog(b).lists["product_groups"]}
    assert korus_catalog(a) is korus_catalog(b)  # korus is still shared


def test_the_inventory_listing_is_shared_until_a_catalog_write() -> None:
    sandbox, client = sandbox_and_client()
    vendors = VENDORS  # the app's, by default
    with client:
        for name in ("a", "b"):
            assert client.get("/_sandbox/inventory", headers={NS: name}).status_code == 200
        a, b = sandbox.namespaces.get("a"), sandbox.namespaces.get("b")
        assert listing_of(vendors, a) is listing_of(vendors, b)
        catalog_writes(Booqable(Api(client, "a"), prefix="/api/4"), "Beer bench")
        listed = client.get("/_sandbox/inventory", headers={NS: "a"}).json()
        mine = listing_of(vendors, a)
        assert mine is not listing_of(vendors, b)
        assert len(mine.infos) == len(listing_of(vendors, b).infos) + 1
        assert listed


def test_a_writable_catalog_is_the_namespaces_own() -> None:
    sandbox, _ = sandbox_and_client()
    space = sandbox.namespaces.get("a")
    shared = space.catalogs["korus"]
    own = space.writable_catalog("korus")
    assert own is not shared
    assert own == shared
    assert space.catalogs["korus"] is own
    assert space.writable_catalog("korus") is own  # copied once
    own["organizations"].clear()
    assert sandbox.fixtures.section("korus")["organizations"]
    assert space.writable_catalog("nope") is None


@pytest.mark.parametrize("write", [False, True])
def test_export_and_import_stay_exact(write: bool) -> None:
    sandbox, client = sandbox_and_client()
    with client:
        api = Api(client, "a")
        assert api.put("/_sandbox/clock", json={"now": START, "frozen": True}).status_code == 200
        if write:
            catalog_writes(Booqable(api, prefix="/api/4"), "Beer bench")
        exported = api.get("/_sandbox/state", params={"secrets": "include"})
        if exported.status_code != 200:  # exact exports need a control token: masked ones
            exported = api.get("/_sandbox/state")
        state = exported.json()
        assert api.put("/_sandbox/state", json=state).status_code == 200
        space: Namespace = sandbox.namespaces.get("a")
        assert not space.shares("booqable")  # an import installs its own copy
        again = api.get("/_sandbox/state", params={"secrets": state["secrets"]}).json()
        assert again == state
    assert sandbox.fixtures.changed_sections() == []
