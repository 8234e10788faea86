"""Photos and clusters: read-only from the fixtures (none by default), the relationships that
name them resolving (`include=photo`, `include=clusters`), the owners' `photo_id` and
`photo_url` following their photos, and the docs' examples replayed on their own ids."""

from __future__ import annotations

import json
from typing import Any

import pytest

from booking_sandbox.vendors.booqable.pools import problems
from tests.booqable.conftest import Booqable
from tests.booqable.docs_catalog import (
    STAMP,
    bundle,
    bundle_item,
    golden,
    group,
    location,
    same,
    use_catalog,
)
from tests.booqable.test_catalog_writes import UNKNOWN, errors
from tests.conftest import ROOT, Api

ID_HEAD = "7b2e3d4f-0000-4000-8000-0000000000"  # + two digits: this file's made-up ids
GROUP, PRODUCT, BUNDLE, ITEM = (f"{ID_HEAD}0{n}" for n in range(1, 5))
FRONT, BACK, BOX = (f"{ID_HEAD}1{n}" for n in range(3))
NORTH, SOUTH, LONE = (f"{ID_HEAD}2{n}" for n in range(3))
CITY = f"{ID_HEAD}30"
DATED = {"created_at": STAMP, "updated_at": STAMP}


def made(response: Any, status: int = 201) -> Any:
    """The answer's `data`: an object, or a list."""
    assert response.status_code == status, response.text
    return response.json()["data"]


@pytest.fixture(params=["/api/boomerang", "/api/4"])
def bqx(api: Api, request: pytest.FixtureRequest) -> Booqable:
    return Booqable(api, prefix=request.param)


@pytest.fixture
def v4(api: Api) -> Booqable:
    return Booqable(api, prefix="/api/4")


def photo(ident: str, owner_id: str, owner_type: str = "product_groups") -> dict[str, Any]:
    url = f"https://img.example/{ident}.png"
    return {"id": ident, **DATED, "owner_id": owner_id, "owner_type": owner_type, "photo_url": url}


def pictured(bq: Booqable, **group_attributes: Any) -> None:
    """A group with two photos (the back first by position) and a bundle with one."""
    shown = {**group(GROUP, PRODUCT, "Camera"), **group_attributes}
    use_catalog(
        bq,
        {
            "product_groups": [shown],
            "bundles": [bundle(BUNDLE, "Kit", bundle_item(ITEM, GROUP, PRODUCT))],
            "photos": [
                {**photo(FRONT, GROUP), "position": 2},
                {**photo(BACK, GROUP), "position": 1, "alt_text": "The back"},
                photo(BOX, BUNDLE, "bundles"),
            ],
        },
    )


def test_none_by_default(bqx: Booqable) -> None:
    assert made(bqx.get("/photos"), 200) == []
    assert made(bqx.get("/clusters"), 200) == []
    errors(bqx.get(f"/photos/{UNKNOWN}"), 404)
    errors(bqx.get(f"/clusters/{UNKNOWN}"), 404)


def test_photos_are_served_and_their_owners_follow(v4: Booqable) -> None:
    pictured(v4)
    listed = made(v4.get("/photos"), 200)
    assert [p["id"] for p in listed] == [FRONT, BACK, BOX]
    back = listed[1]["attributes"]
    url = f"https://img.example/{BACK}.png"
    assert back == {
        "created_at": "2024-10-21T09:29:00.000000+00:00",
        "updated_at": "2024-10-21T09:29:00.000000+00:00",
        "original_url": url,
        "large_url": url,
        "xlarge_url": url,
        "coordinates": {"x": "0.00", "y": "0.00"},
        "alt_text": "The back",
        "preview": None,
        "position": 1,
        "width": None,
        "height": None,
        "photo": {"url": url},
        "owner_id": GROUP,
        "owner_type": "product_groups",
    }
    assert listed[2]["attributes"]["position"] == 1  # the bundle's first
    # The first photo by position is the group's, and its products'.
    for kind, ident, main in (
        ("product_groups", GROUP, BACK),
        ("products", PRODUCT, BACK),
        ("bundles", BUNDLE, BOX),
    ):
        body = v4.get(f"/{kind}/{ident}", params={"include": "photo"}).json()
        attributes = body["data"]["attributes"]
        assert (attributes["photo_id"], attributes["photo_url"]) == (
            main,
            f"https://img.example/{main}.png",
        )
        assert body["data"]["relationships"]["photo"]["data"] == {"type": "photos", "id": main}
        assert [i["id"] for i in body["included"]] == [main]
    owned = made(v4.get("/photos", params={"filter[owner_id]": BUNDLE}), 200)
    assert [p["id"] for p in owned] == [BOX]
    shown = v4.get(f"/photos/{BOX}", params={"include": "owner"}).json()
    assert shown["included"][0]["type"] == "bundles"


def test_all_photos_of_an_owner_include_as_photos(bqx: Booqable) -> None:
    pictured(bqx)
    body = bqx.get(f"/product_groups/{GROUP}", params={"include": "photos"}).json()
    assert [r["id"] for r in body["data"]["relationships"]["photos"]["data"]] == [FRONT, BACK]
    plain = bqx.get(f"/product_groups/{GROUP}").json()["data"]["relationships"]
    assert "photos" not in plain  # a relationship of the 2024 docs: written when included
    if bqx.prefix == "/api/boomerang":
        assert plain["photo"] == {"links": {"related": f"api/boomerang/photos/{BACK}"}}
        link = body["data"]["relationships"]["photos"]["links"]["related"]
        assert link == (
            f"api/boomerang/photos?filter[owner_id]={GROUP}&filter[owner_type]=product_groups"
        )


def test_a_chosen_photo_wins_over_the_first(v4: Booqable) -> None:
    pictured(v4, photo_id=FRONT)
    assert made(v4.get(f"/product_groups/{GROUP}"), 200)["attributes"]["photo_id"] == FRONT
    assert made(v4.get(f"/products/{PRODUCT}"), 200)["attributes"]["photo_id"] == FRONT


def test_the_docs_photo_examples(v4: Booqable) -> None:
    listed, shown = golden("photos_list_200"), golden("photos_show_200")
    owners = []
    docs_photos = []
    for n, example in enumerate((listed["response"]["data"][0], shown["response"]["data"])):
        attributes = example["attributes"]
        owners.append(group(attributes["owner_id"], f"{ID_HEAD}9{n}", f"Owner {n}"))
        docs_photos.append(
            {
                "id": example["id"],
                **DATED,
                "owner_id": attributes["owner_id"],
                "owner_type": "product_groups",
                "photo_url": attributes["original_url"],
            }
        )
    use_catalog(v4, {"product_groups": owners, "photos": docs_photos})
    answer = v4.get("/photos", params={"filter[id]": docs_photos[0]["id"]})
    same(answer.json(), one_size(listed["response"]))
    answer = v4.get(shown["path"].removeprefix("/api/4"))
    same(answer.json(), one_size(shown["response"]))


def one_size(document: dict[str, Any]) -> Any:
    """The example as the sandbox, which stores no image, writes it: one URL for every
    size, and no preview."""
    found = json.loads(json.dumps(document))
    data = found["data"]
    for resource in data if isinstance(data, list) else [data]:
        attributes = resource["attributes"]
        attributes["large_url"] = attributes["xlarge_url"] = attributes["original_url"]
        attributes["preview"] = None
    return found


def test_clusters_and_their_locations(bqx: Booqable) -> None:
    use_catalog(
        bqx,
        {
            "locations": [
                {**location(NORTH, "North"), "cluster_ids": [CITY]},
                location(LONE, "Lone"),
                {**location(SOUTH, "South"), "cluster_ids": [CITY]},
            ],
            "clusters": [{"id": CITY, **DATED, "name": "City"}],
        },
    )
    [cluster] = made(bqx.get("/clusters"), 200)
    assert cluster["attributes"]["location_ids"] == [NORTH, SOUTH]
    assert list(cluster["attributes"]) == ["created_at", "updated_at", "name", "location_ids"]
    body = bqx.get(f"/clusters/{CITY}", params={"include": "locations"}).json()
    assert [i["id"] for i in body["included"]] == [NORTH, SOUTH]
    body = bqx.get(f"/locations/{SOUTH}", params={"include": "clusters"}).json()
    assert body["data"]["relationships"]["clusters"]["data"] == [{"type": "clusters", "id": CITY}]
    assert [i["id"] for i in body["included"]] == [CITY]
    found = made(bqx.get("/clusters", params={"filter[location_id]": SOUTH}), 200)
    assert [c["id"] for c in found] == [CITY]
    assert made(bqx.get("/clusters", params={"filter[location_id]": LONE}), 200) == []
    assert made(bqx.get("/clusters", params={"filter[name]": "Nowhere"}), 200) == []
    members = made(bqx.get("/locations", params={"filter[cluster_id]": CITY}), 200)
    assert [loc["id"] for loc in members] == [NORTH, SOUTH]
    if bqx.prefix == "/api/boomerang":
        rels = made(bqx.get(f"/clusters/{CITY}"), 200)["relationships"]
        assert rels == {
            "locations": {
                "links": {"related": f"api/boomerang/locations?filter[cluster_id]={CITY}"}
            }
        }


def test_the_docs_cluster_examples(v4: Booqable) -> None:
    listed, shown = golden("clusters_list_200"), golden("clusters_show_200")
    clusters = [
        {"id": example["id"], **DATED, "name": example["attributes"]["name"]}
        for example in (listed["response"]["data"][0], shown["response"]["data"])
    ]
    use_catalog(v4, {"clusters": clusters})
    same(v4.get("/clusters", params={"filter[id]": clusters[0]["id"]}).json(), listed["response"])
    same(v4.get(shown["path"].removeprefix("/api/4")).json(), shown["response"])


def test_fixture_references_are_checked() -> None:
    doc = json.loads((ROOT / "fixtures" / "booqable.json").read_text("utf-8"))
    tent = doc["product_groups"][0]
    doc["photos"] = [photo(FRONT, UNKNOWN), photo(FRONT, tent["id"])]
    tent["photo_id"] = BACK
    doc["clusters"] = [{"id": CITY, "name": "City"}]
    doc["locations"][0]["cluster_ids"] = [CITY, UNKNOWN]
    found = dict(problems(doc))
    assert found["$.photos[0].owner_id"] == "names no record of its owner_type"
    assert "$.photos[1]" in found  # the same id twice
    assert found["$.product_groups[0].photo_id"] == f"not a photo of {tent['id']}"
    assert "$.locations[0].cluster_ids[1]" in found
    assert "$.locations[0].cluster_ids[0]" not in found
