"""Price structures, price tiles and photos written through the API (DOCS-HEAD
`_price_structures.md`, `_price_tiles.md`, `_photos.md`): the docs' examples replayed on their
own ids, bad input refused without a change, the photos' owners following, the state round
trip."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from tests.booqable.conftest import Booqable
from tests.booqable.docs_catalog import STAMP, golden, group, same, use_catalog
from tests.booqable.test_catalog_writes import PLAIN_JSON, UNKNOWN, catalog_bytes, errors, made
from tests.conftest import Api

GROUP = "5ef74fb8-c1c9-47af-8fac-bcab35a7a867"  # the create example's owner
PRODUCT = "7c1e0f55-3f0e-4b8c-9f39-0a2b6d7e8f01"
OLD_PHOTO = "0b8a3c36-5d0f-4e8e-9d6c-3c2f1a0b9e01"
UPLOADED = "http://sandbox.booqable.localhost/photos/{}/original"
DAY = {"quantity": 1, "period": "days", "multiplier": 1}
OWNER = {"owner_id": GROUP, "owner_type": "product_groups"}
REMOTE = {"remote_photo_url": "https://x.example/a.png"}
PIXEL = base64.b64encode(b"\x89PNG\r\n\x1a\n").decode()


@pytest.fixture
def v4(api: Api) -> Booqable:
    return Booqable(api, prefix="/api/4")


def replay(v4: Booqable, name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    example = golden(name)
    path = example["path"].removeprefix("/api/4")
    answer = v4.request(example["method"], path, json=example["request"])
    assert answer.status_code == example["status"], answer.text
    return answer.json(), example


def listed(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["data"]
    return found


def structure(ident: str, name: str = "Structure", **units: float) -> dict[str, Any]:
    return {"id": ident, "created_at": STAMP, "updated_at": STAMP, "name": name, **units}


def tile(ident: str, quantity: int, period: str, multiplier: float, **more: Any) -> dict[str, Any]:
    return {"id": ident, "quantity": quantity, "period": period, "multiplier": multiplier, **more}


def photo(ident: str, owner_id: str, position: int = 1) -> dict[str, Any]:
    url = f"https://img.example/{ident}.png"
    return {
        "id": ident,
        "created_at": STAMP,
        "updated_at": STAMP,
        "owner_id": owner_id,
        "owner_type": "product_groups",
        "photo_url": url,
        "position": position,
    }


def tiles_example() -> dict[str, Any]:
    """The update example's structure as it stood: four weekly tiles, named otherwise."""
    example = golden("price_structures_update_200")
    ident = example["path"].rsplit("/", 1)[1]
    tiles = [
        tile(t["id"], t["attributes"]["quantity"], "weeks", t["attributes"]["multiplier"])
        for t in example["response"]["included"]
    ]
    gone = example["request"]["data"]["attributes"]["price_tiles_attributes"][3]["id"]
    return {
        **structure(ident, "Weekly", week=0.8),
        "price_tiles": [*tiles, tile(gone, 4, "weeks", 4.0)],
    }


def camera(v4: Booqable, *photos: dict[str, Any], **catalog: Any) -> None:
    use_catalog(v4, {"product_groups": [group(GROUP, PRODUCT, "Camera")], "photos": list(photos)})


# ----- the docs' examples ------------------------------------------------------------------


def test_the_docs_structure_examples(v4: Booqable) -> None:
    ours, example = replay(v4, "price_structures_create_201")
    same(ours, example["response"])
    deleted = golden("price_structures_delete_200")
    deleted_id = deleted["path"].rsplit("/", 1)[1]
    hourly = structure(deleted_id, "Price per hour (3 hours minimum)", hour=1.0)
    use_catalog(v4, {"price_structures": [tiles_example(), {**hourly, "price_tiles": []}]})
    ours, example = replay(v4, "price_structures_update_200")
    same(ours, example["response"])
    ours, example = replay(v4, "price_structures_delete_200")
    attributes = ours["data"]["attributes"]
    assert attributes["archived_at"] == attributes["updated_at"]  # the sandbox's clock
    attributes["archived_at"] = example["response"]["data"]["attributes"]["archived_at"]
    same(ours, example["response"])


def test_the_docs_tile_examples(v4: Booqable) -> None:
    created, updated, deleted = (
        golden(f"price_tiles_{name}") for name in ("create_201", "update_200", "delete_200")
    )
    owners = [
        created["request"]["data"]["attributes"]["price_structure_id"],
        updated["response"]["data"]["attributes"]["price_structure_id"],
        deleted["response"]["data"]["attributes"]["price_structure_id"],
    ]
    use_catalog(
        v4,
        {
            "price_structures": [
                {**structure(owners[0]), "price_tiles": []},
                {**structure(owners[1]), "price_tiles": [hourly(updated)]},
                {**structure(owners[2]), "price_tiles": [hourly(deleted)]},
            ]
        },
    )  # fmt: skip
    for name in ("price_tiles_create_201", "price_tiles_update_200", "price_tiles_delete_200"):
        ours, example = replay(v4, name)
        same(ours, example["response"])
    assert listed(v4.get("/price_tiles")) != []
    errors(v4.get(v4_path(deleted)), 404)


def hourly(example: dict[str, Any]) -> dict[str, Any]:
    return tile(example["response"]["data"]["id"], 3, "hours", 3.0)


def v4_path(example: dict[str, Any]) -> str:
    path: str = example["path"].removeprefix("/api/4")
    return path


def shown_as_docs(ours: dict[str, Any], theirs: dict[str, Any], url: str) -> None:
    """The sandbox stores no image: its URLs are the one stored, `preview` null."""
    attributes, documented = ours["data"]["attributes"], theirs["data"]["attributes"]
    for name in ("original_url", "large_url", "xlarge_url"):
        assert attributes[name] == url
        attributes[name] = documented[name]
    assert (attributes["photo"], attributes["preview"]) == ({"url": url}, None)
    attributes["photo"], attributes["preview"] = documented["photo"], documented["preview"]
    same(ours, theirs)


def test_the_docs_photo_examples(v4: Booqable) -> None:
    updated, deleted = golden("photos_update_200"), golden("photos_delete_200")
    owners = [updated["response"], deleted["response"]]
    groups = [group(GROUP, PRODUCT, "Camera")] + [
        group(o["data"]["attributes"]["owner_id"], o["data"]["id"][:8] + PRODUCT[8:], "Other")
        for o in owners
    ]
    use_catalog(
        v4,
        {
            "product_groups": groups,
            "photos": [
                photo(OLD_PHOTO, GROUP),
                {**photo(updated["response"]["data"]["id"], groups[1]["id"]), "alt_text": None},
                photo(deleted["response"]["data"]["id"], groups[2]["id"]),
            ],
        },
    )
    ours, example = replay(v4, "photos_create_201")
    shown_as_docs(ours, example["response"], UPLOADED.format(ours["data"]["id"]))
    ours, example = replay(v4, "photos_update_200")
    shown_as_docs(ours, example["response"], f"https://img.example/{ours['data']['id']}.png")
    ours, example = replay(v4, "photos_delete_200")
    shown_as_docs(ours, example["response"], f"https://img.example/{ours['data']['id']}.png")
    errors(v4.get(v4_path(deleted)), 404)


# ----- structures and tiles ----------------------------------------------------------------


def test_a_structure_with_tiles_is_listed_and_its_tiles_default_their_names(v4: Booqable) -> None:
    tiles = [
        {"quantity": 1, "period": "days", "multiplier": 1},
        {"quantity": 2, "period": "days", "multiplier": 1.8},
    ]
    made_ = made(v4.create("price_structures", name="Daily", day=0.9, price_tiles_attributes=tiles))
    assert made_["attributes"]["day"] == 0.9
    shown = listed(v4.get("/price_tiles", params={"filter[price_structure_id]": made_["id"]}))
    assert [(t["attributes"]["name"], t["attributes"]["length"]) for t in shown] == [
        ("1 day", 86400),
        ("2 days", 172800),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("attributes", "pointer"),
    [
        ({"name": " "}, "/data/attributes/name"),
        ({"name": "S", "hour": -1}, "/data/attributes/hour"),
        ({"name": "S", "price_tiles_attributes": [{**DAY, "quantity": 0}]},
         "/data/attributes/price_tiles.quantity"),
        ({"name": "S", "price_tiles_attributes": [{**DAY, "period": "fortnights"}]},
         "/data/attributes/price_tiles.period"),
        ({"name": "S", "price_tiles_attributes": [{"quantity": 1, "period": "days"}]},
         "/data/attributes/price_tiles.multiplier"),
        ({"name": "S", "price_tiles_attributes": [{"id": UNKNOWN, "name": "x"}]},
         "/data/attributes/price_tiles"),
    ],
)  # fmt: skip
def test_a_refused_structure_changes_nothing(
    v4: Booqable, attributes: dict[str, Any], pointer: str
) -> None:
    before = catalog_bytes(v4)
    [error] = errors(v4.create("price_structures", **attributes), 422)
    assert error["source"]["pointer"] == pointer
    assert catalog_bytes(v4) == before


def test_a_refused_update_keeps_the_structure_and_its_tiles(v4: Booqable) -> None:
    use_catalog(v4, {"price_structures": [tiles_example()]})
    ident = tiles_example()["id"]
    before = catalog_bytes(v4)
    body = {
        "data": {
            "type": "price_structures",
            "attributes": {
                "name": "Renamed",
                "price_tiles_attributes": [
                    {"id": tiles_example()["price_tiles"][0]["id"], "_destroy": True},
                    {"quantity": 1, "period": "decades", "multiplier": 1},
                ],
            },
        }
    }
    errors(v4.put(f"/price_structures/{ident}", json=body), 422)
    assert catalog_bytes(v4) == before
    bad = {
        "data": {
            "type": "price_structures",
            "attributes": {"price_tiles_attributes": [{"colour": 1}]},
        }
    }
    [error] = errors(v4.put(f"/price_structures/{ident}", json=bad), 400)
    assert error["source"]["pointer"] == "data/attributes/price_tiles_attributes/0/colour"
    errors(v4.put(f"/price_structures/{UNKNOWN}", json=body), 404)


def test_deleting_a_structure_twice_archives_it_once(v4: Booqable) -> None:
    ident = made(v4.create("price_structures", name="Hourly", hour=1))["id"]
    first = v4.delete(f"/price_structures/{ident}")
    assert first.headers["content-type"] == PLAIN_JSON
    second = made(v4.delete(f"/price_structures/{ident}"), 200)
    assert second == first.json()["data"]
    assert second["attributes"]["name"] == "Hourly (Deleted)"
    assert (
        listed(v4.get("/price_structures", params={"filter[archived]": "true"}))[0]["id"] == ident
    )


def test_tiles_are_refused_without_a_change(v4: Booqable) -> None:
    owner = made(v4.create("price_structures", name="Hourly"))["id"]
    other = made(v4.create("price_structures", name="Daily"))["id"]
    before = catalog_bytes(v4)
    [error] = errors(
        v4.create(
            "price_tiles", price_structure_id=UNKNOWN, quantity=1, period="hours", multiplier=1
        ),
        422,
    )
    assert error["source"]["pointer"] == "/data/attributes/price_structure_id"
    errors(
        v4.create(
            "price_tiles", price_structure_id=owner, quantity=-1, period="hours", multiplier=1
        ),
        422,
    )
    errors(
        v4.create(
            "price_tiles", price_structure_id=owner, quantity="3", period="hours", multiplier=1
        ),
        400,
    )
    assert catalog_bytes(v4) == before
    ident = made(
        v4.create("price_tiles", price_structure_id=owner, quantity=3, period="hours", multiplier=3)
    )["id"]
    moved = {"data": {"type": "price_tiles", "attributes": {"price_structure_id": other}}}
    [error] = errors(v4.put(f"/price_tiles/{ident}", json=moved), 400)
    assert error["meta"]["code"] == "unwritable_attribute"
    errors(
        v4.put(
            f"/price_tiles/{ident}",
            json={"data": {"type": "price_tiles", "attributes": {"name": ""}}},
        ),
        422,
    )
    errors(v4.delete(f"/price_tiles/{UNKNOWN}"), 404)
    renamed = {"data": {"type": "price_tiles", "attributes": {"name": "Three hours"}}}
    assert (
        made(v4.request("PATCH", f"/price_tiles/{ident}", json=renamed), 200)["attributes"]["name"]
        == "Three hours"
    )


def test_pricing_still_refuses_a_structure(v4: Booqable) -> None:
    """Structures stay data only: pricing by a written structure is refused (item_prices)."""
    camera(v4)
    ident = made(v4.create("price_structures", name="Hourly", hour=1))["id"]
    params = {
        "filter[item_id]": PRODUCT,
        "filter[price_structure_id]": ident,
        "filter[from]": "2030-01-01T12:00:00Z",
        "filter[till]": "2030-01-02T12:00:00Z",
    }
    [error] = errors(v4.get("/item_prices", params=params), 422)
    assert error["meta"]["code"] == "unsupported"


# ----- photos ------------------------------------------------------------------------------


def owner_shows(v4: Booqable) -> tuple[Any, Any]:
    attributes = made(v4.get(f"/product_groups/{GROUP}"), 200)["attributes"]
    return attributes["photo_id"], attributes["photo_url"]


def product_shows(v4: Booqable) -> tuple[Any, Any]:
    attributes = made(v4.get(f"/products/{PRODUCT}"), 200)["attributes"]
    return attributes["photo_id"], attributes["photo_url"]


def test_a_remote_photo_becomes_its_owners_photo(v4: Booqable) -> None:
    camera(v4)
    url = "https://cdn.example/camera.jpg"
    created = made(
        v4.create(
            "photos",
            owner_id=GROUP,
            owner_type="product_groups",
            remote_photo_url=url,
            alt_text="Front",
        )
    )
    attributes = created["attributes"]
    assert (attributes["original_url"], attributes["position"], attributes["alt_text"]) == (
        url,
        1,
        "Front",
    )
    assert owner_shows(v4) == (created["id"], url)
    product = made(v4.get(f"/products/{PRODUCT}"), 200)["attributes"]
    assert (product["photo_id"], product["photo_url"]) == (created["id"], url)
    second = made(
        v4.create("photos", owner_id=GROUP, owner_type="product_groups", photo_base64=PIXEL)
    )
    assert second["attributes"]["position"] == 2
    assert second["attributes"]["original_url"] == UPLOADED.format(second["id"])
    # The product may now choose the uploaded photo (product_writes `_photo`).
    chosen = {"data": {"type": "products", "attributes": {"photo_id": second["id"]}}}
    assert (
        made(v4.put(f"/products/{PRODUCT}", json=chosen), 200)["attributes"]["photo_id"]
        == (second["id"])
    )
    # Deleting the chosen photo: the product falls back to its group's, then to none.
    v4.delete(f"/photos/{second['id']}")
    assert product_shows(v4) == (created["id"], url)
    v4.delete(f"/photos/{created['id']}")
    assert owner_shows(v4)[0] is None
    assert product_shows(v4)[0] is None
    state = v4.api.get("/_sandbox/state").json()
    assert v4.api.put("/_sandbox/state", json=state).status_code == 200


@pytest.mark.parametrize(
    ("attributes", "pointer"),
    [
        ({"owner_id": GROUP, "owner_type": "product_groups"}, "/data/attributes/photo"),
        ({**OWNER, "photo_base64": "not base64!"}, "/data/attributes/photo"),
        ({**OWNER, **REMOTE, "owner_type": "bundles"}, "/data/attributes/owner"),
        ({**OWNER, **REMOTE, "owner_type": "customers"}, "/data/attributes/owner_type"),
        ({**OWNER, **REMOTE, "coordinates": {"x": "left"}}, "/data/attributes/coordinates"),
    ],
)  # fmt: skip
def test_a_refused_photo_changes_nothing(
    v4: Booqable, attributes: dict[str, Any], pointer: str
) -> None:
    camera(v4)
    before = catalog_bytes(v4)
    [error] = errors(v4.create("photos", **attributes), 422)
    assert error["source"]["pointer"] == pointer
    assert catalog_bytes(v4) == before


def test_a_photo_update_keeps_its_owner(v4: Booqable) -> None:
    camera(v4, photo(OLD_PHOTO, GROUP))
    moved = {"data": {"type": "photos", "attributes": {"owner_id": UNKNOWN}}}
    [error] = errors(v4.put(f"/photos/{OLD_PHOTO}", json=moved), 400)
    assert error["meta"]["code"] == "unwritable_attribute"
    bad = {"data": {"type": "photos", "attributes": {"photo_base64": "%%%"}}}
    errors(v4.put(f"/photos/{OLD_PHOTO}", json=bad), 422)
    errors(v4.put(f"/photos/{UNKNOWN}", json=bad), 404)
    new = {
        "data": {
            "type": "photos",
            "attributes": {"remote_photo_url": "https://cdn.example/b.png", "position": 3},
        }
    }
    shown = made(v4.request("PATCH", f"/photos/{OLD_PHOTO}", json=new), 200)["attributes"]
    assert (shown["original_url"], shown["position"]) == ("https://cdn.example/b.png", 3)
    assert owner_shows(v4) == (OLD_PHOTO, "https://cdn.example/b.png")
