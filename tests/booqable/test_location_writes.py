"""Locations and clusters written through the API (DOCS-HEAD `_locations.md`, the v4
`_clusters.md`): the docs' examples replayed on their own ids, the archive checks
(`location_has_stock`, `location_has_orders`, the last active location), `cluster_has_locations`,
bad input, and the writes carried by a state export and import."""

from __future__ import annotations

from typing import Any

import pytest

from tests.booqable.conftest import MACBOOK, Booqable
from tests.booqable.docs_catalog import STAMP, golden, group, same, use_catalog
from tests.booqable.test_catalog_writes import MAIN_STORE, PLAIN_JSON, UNKNOWN, errors, made
from tests.conftest import Api

STORE = {
    "name": "Store",
    "code": "STR",
    "address_line_1": "Blokhuisplein 40",
    "city": "Leeuwarden",
    "country": "Netherlands",
}
UTRECHT = "0ddaa18d-a229-4cfd-a298-2020de1afdad"  # the fixtures' last location
DATED = {"created_at": STAMP, "updated_at": STAMP}
ID_HEAD = "7c3e4f50-0000-4000-8000-0000000000"  # + two digits: this file's made-up ids


@pytest.fixture
def v4(api: Api) -> Booqable:
    return Booqable(api, prefix="/api/4")


def as_fixture(example: dict[str, Any]) -> dict[str, Any]:
    """The catalog location an example's answer shows (before its change)."""
    attributes = example["attributes"]
    kept = ("created_at", "updated_at", "archived", "archived_at", "name", "code",
            "location_type", "address_line_1", "address_line_2", "zipcode", "city", "region",
            "country")  # fmt: skip
    found = {"id": example["id"], **{k: attributes[k] for k in kept}, "cluster_ids": []}
    return found | {"created_at": "2020-01-01T00:00:00+00:00"}


def catalog_of(v4: Booqable) -> dict[str, Any]:
    found: dict[str, Any] = v4.api.get("/_sandbox/state").json()["catalogs"]["booqable"]
    return found


# ----- the docs' examples ------------------------------------------------------------------


def test_the_docs_location_examples(v4: Booqable) -> None:
    created = golden("locations_create_201")
    answer = v4.post("/locations", json=created["request"])
    assert answer.status_code == 201, answer.text
    same(answer.json(), created["response"])

    updated, archived = golden("locations_update_200"), golden("locations_archive_200")
    before = as_fixture(updated["response"]["data"]) | {"name": "Warehouse"}
    use_catalog(v4, {"locations": [before, as_fixture(archived["response"]["data"])]})
    answer = v4.put(updated["path"].removeprefix("/api/4"), json=updated["request"])
    assert answer.status_code == 200, answer.text
    same(answer.json(), updated["response"])

    answer = v4.delete(archived["path"].removeprefix("/api/4"))
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == PLAIN_JSON  # as every DELETE (booqable.md §3.3)
    ours = answer.json()
    moment = ours["data"]["attributes"]["archived_at"]
    assert moment == ours["data"]["attributes"]["updated_at"]  # the sandbox's clock
    ours["data"]["attributes"]["archived_at"] = "2020-03-03T14:31:02.000000+00:00"
    same(ours, archived["response"])


def test_the_docs_archive_failures(v4: Booqable) -> None:
    has_orders, has_stock = (
        golden("locations_archive_has_orders_422"),
        golden("locations_archive_has_stock_422"),
    )
    busy, stocked = (g["path"].rsplit("/", 1)[1] for g in (has_orders, has_stock))
    item = has_stock["response"]["errors"][0]["meta"]["item_ids"][0]
    tracked = group(f"{ID_HEAD}01", item, "Speaker", tracking="trackable", stock=1)
    unit = {"id": f"{ID_HEAD}02", "identifier": "SPK-1", "status": "in_stock"}
    use_catalog(
        v4,
        {
            "locations": [
                {"id": f"{ID_HEAD}03", "name": "Main", "cluster_ids": []},
                {"id": busy, "name": "Busy", "cluster_ids": []},
                {"id": stocked, "name": "Stocked", "cluster_ids": []},
            ],
            "product_groups": [tracked],
            "stock_items": [{**unit, "product_id": item, "location_id": stocked}],
        },
    )
    order = made(
        v4.create(
            "orders",
            starts_at="2030-01-01T00:00:00Z",
            stops_at="2030-01-05T00:00:00Z",
            start_location_id=busy,
            stop_location_id=busy,
        )
    )
    answer = v4.delete(f"/locations/{busy}")
    assert answer.status_code == 422, answer.text
    assert answer.json()["errors"][0]["meta"]["blocking"][0]["orders"] == [{"id": order["id"]}]
    same(answer.json(), has_orders["response"])
    answer = v4.delete(f"/locations/{stocked}")
    assert answer.status_code == 422, answer.text
    same(answer.json(), has_stock["response"], known=[item])


def test_the_docs_cluster_examples(v4: Booqable) -> None:
    created = golden("clusters_create_201")
    answer = v4.post("/clusters", json=created["request"])
    assert answer.status_code == 201, answer.text
    same(answer.json(), created["response"])
    examples = [golden(n) for n in ("clusters_update_200", "clusters_delete_200")]
    refused = golden("clusters_delete_has_locations_422")
    member = refused["response"]["errors"][0]["meta"]["location_ids"][0]
    clusters = [
        {
            "id": e["path"].rsplit("/", 1)[1],
            **DATED,
            "name": e["response"]["data"]["attributes"]["name"],
        }
        for e in examples
    ]
    clusters[0]["name"] = "Amsterdam"
    held = refused["path"].rsplit("/", 1)[1]
    use_catalog(
        v4,
        {
            "clusters": [*clusters, {"id": held, "name": "Held"}],
            "locations": [{"id": member, "name": "Member", "cluster_ids": [held]}],
        },
    )
    for example in examples:
        answer = v4.request(
            example["method"], example["path"].removeprefix("/api/4"), json=example["request"]
        )
        assert answer.status_code == example["status"], answer.text
        same(answer.json(), example["response"])
    answer = v4.delete(f"/clusters/{held}")
    assert answer.status_code == 422, answer.text
    same(answer.json(), refused["response"], known=[member])


# ----- behaviour ---------------------------------------------------------------------------


def test_a_new_location_answers_everywhere_a_location_does(v4: Booqable) -> None:
    ident = made(v4.create("locations", **STORE))["id"]
    assert made(v4.get(f"/locations/{ident}"), 200)["attributes"]["code"] == "STR"
    levels = v4.get(
        "/inventory_levels",
        params={
            "filter[from]": "2030-01-01T00:00:00Z",
            "filter[till]": "2030-01-02T00:00:00Z",
            "filter[location_id]": ident,
            "filter[item_id]": MACBOOK,
        },
    )
    assert levels.status_code == 200, levels.text
    assert [r["attributes"]["location_id"] for r in levels.json()["data"]] == [ident]
    free = v4.get(
        "/inventory_availabilities",
        params={
            "filter[from]": "2030-01-01T00:00:00Z",
            "filter[till]": "2030-01-02T00:00:00Z",
            "filter[location_id]": ident,
            "filter[item_id]": MACBOOK,
        },
    )
    assert free.status_code == 200, free.text
    assert len(free.json()["data"]) == 1
    order = made(v4.create("orders", start_location_id=ident, stop_location_id=ident))
    assert order["attributes"]["start_location_id"] == ident
    # No stock there, no running order (a new order without a period): it archives.
    archived = made(v4.delete(f"/locations/{ident}"), 200)["attributes"]
    assert archived["archived"] is True


def test_defaults_and_main_address(v4: Booqable) -> None:
    address = {"address1": "Oudegracht 1", "zipcode": "3511 AA", "city": "Utrecht"}
    made_ = made(v4.create("locations", name="Depot", main_address_attributes=address))
    attributes = made_["attributes"]
    assert attributes["code"].startswith("LOC")
    assert (attributes["location_type"], attributes["pickup_enabled"]) == ("rental", True)
    assert attributes["address_line_1"] == "Oudegracht 1"
    assert attributes["main_address"]["value"] == "Oudegracht 1\n3511 AA Utrecht"
    assert attributes["main_address"]["meets_validation_requirements"] is False  # no country
    off = made(
        v4.put(f"/locations/{made_['id']}", json=_body(made_["id"], pickup_enabled=False)), 200
    )
    assert off["attributes"]["fulfillment_capabilities"] == []


def _body(ident: str, **attributes: Any) -> dict[str, Any]:
    return {"data": {"id": ident, "type": "locations", "attributes": attributes}}


def test_bad_input(v4: Booqable) -> None:
    before = catalog_of(v4)
    found = errors(v4.create("locations", name="X", color="red"), 400)
    assert found[0]["meta"]["code"] == "unknown_attribute"
    assert errors(v4.create("locations", name=3), 400)[0]["meta"]["code"] == "type_error"
    found = errors(v4.create("locations", name=" ", code="MAIN", location_type="shop"), 422)
    assert [e["meta"]["attribute"] for e in found] == ["name", "code", "location_type"]
    assert [e["meta"]["code"] for e in found] == ["blank", "taken", "inclusion"]
    errors(v4.put(f"/locations/{UNKNOWN}", json=_body(UNKNOWN, name="X")), 404)
    errors(v4.delete(f"/locations/{UNKNOWN}"), 404)
    assert catalog_of(v4) == before  # a refused write changes nothing


def test_archive_checks(v4: Booqable) -> None:
    # The first active location holds the bulk stock.
    found = errors(v4.delete(f"/locations/{MAIN_STORE}"), 422)
    assert found[0]["code"] == "location_has_stock"
    assert MACBOOK in found[0]["meta"]["item_ids"]
    # The recorded order 200 runs at Utrecht.
    assert errors(v4.delete(f"/locations/{UTRECHT}"), 422)[0]["code"] == "location_has_orders"
    # The last active location cannot go.
    lone = f"{ID_HEAD}10"
    use_catalog(v4, {"locations": [{"id": lone, "name": "Only", "cluster_ids": []}]})
    found = errors(v4.delete(f"/locations/{lone}"), 422)
    assert found[0]["meta"] == {
        "attribute": "archived",
        "message": "can't be set on the last active location",
        "code": "invalid",
    }


def test_an_address_change_at_a_location_with_orders_needs_confirming(v4: Booqable) -> None:
    body = _body(UTRECHT, address_line_1="Oudegracht 200")
    assert errors(v4.put(f"/locations/{UTRECHT}", json=body), 422)[0]["code"] == (
        "location_has_orders"
    )
    made(v4.put(f"/locations/{UTRECHT}", json=_body(UTRECHT, name="Utrecht")), 200)  # no address
    body["data"]["attributes"]["confirm_has_orders"] = True
    assert made(v4.put(f"/locations/{UTRECHT}", json=body), 200)["attributes"][
        "address_line_1"
    ] == ("Oudegracht 200")


def test_clusters_follow_their_locations(v4: Booqable) -> None:
    cluster = made(v4.create("clusters", name="North", location_ids=[UTRECHT]))
    shown = made(v4.get(f"/locations/{UTRECHT}", params={"include": "clusters"}), 200)
    assert shown["relationships"]["clusters"]["data"] == [{"type": "clusters", "id": cluster["id"]}]
    body: dict[str, Any] = {
        "data": {"type": "clusters", "attributes": {"location_ids": [MAIN_STORE]}}
    }
    moved = made(v4.put(f"/clusters/{cluster['id']}", json=body), 200)
    assert moved["attributes"]["location_ids"] == [MAIN_STORE]
    assert errors(v4.delete(f"/clusters/{cluster['id']}"), 422)[0]["meta"] == {
        "location_ids": [MAIN_STORE]
    }
    found = errors(v4.create("clusters", name="", location_ids=[UNKNOWN]), 422)
    assert [e["meta"]["attribute"] for e in found] == ["name", "location_ids"]
    body["data"]["attributes"]["location_ids"] = []
    made(v4.put(f"/clusters/{cluster['id']}", json=body), 200)
    made(v4.delete(f"/clusters/{cluster['id']}"), 200)
    errors(v4.get(f"/clusters/{cluster['id']}"), 404)


def test_writes_survive_a_state_round_trip(v4: Booqable) -> None:
    ident = made(v4.create("locations", **STORE))["id"]
    cluster = made(v4.create("clusters", name="Pair", location_ids=[ident]))["id"]
    state = v4.api.get("/_sandbox/state").json()
    assert v4.api.put("/_sandbox/state", json=state).status_code == 200
    shown = made(v4.get(f"/clusters/{cluster}"), 200)
    assert shown["attributes"]["location_ids"] == [ident]
    assert made(v4.get(f"/locations/{ident}"), 200)["attributes"]["name"] == "Store"
