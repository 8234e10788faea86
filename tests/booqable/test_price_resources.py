"""Price rulesets, price rules, price structures and price tiles (DOCS-HEAD): read-only from
the fixtures, the relationships that name them resolving (`include=price_ruleset`, ...), and
the docs' examples replayed on a catalog of their own ids (`docs_catalog.use_catalog`)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from booking_sandbox.vendors.booqable.pools import problems
from tests.booqable.conftest import IPAD, Booqable
from tests.booqable.docs_catalog import STAMP, golden, group, same, use_catalog
from tests.booqable.test_catalog_writes import UNKNOWN, errors
from tests.conftest import ROOT, Api

SEASONS = "5a5e7e53-7d0e-4b8f-9a51-6f0f3c1d2e01"  # the fixtures' ruleset: pickup/return days
IPAD_GROUP = "5563fc3d-2848-4241-94e5-e5476aa732f6"  # priced with SEASONS
ID_HEAD = "6a1d2c1e-0000-4000-8000-0000000000"  # + two digits: this file's made-up ids
RULESET_ATTRIBUTES = ["created_at", "updated_at", "archived", "archived_at", "name", "description"]
RULE_ATTRIBUTES = [
    "created_at", "updated_at", "name", "rule_type", "match_strategy", "adjustment_strategy",
    "value", "from", "till", "from_day", "till_day", "from_time", "till_time", "charge",
    "stacked", "time", "min_duration", "max_duration", "price_ruleset_id",
]  # fmt: skip


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


def default_fixture_doc() -> dict[str, Any]:
    found: dict[str, Any] = json.loads((ROOT / "fixtures" / "booqable.json").read_text("utf-8"))
    return found


def hours(ident: str, multiplier: float, **attributes: Any) -> dict[str, Any]:
    """A tile of three hours."""
    return {"id": ident, "quantity": 3, "period": "hours", "multiplier": multiplier, **attributes}


def structure(ident: str, name: str, *tiles: dict[str, Any], **attributes: Any) -> dict[str, Any]:
    dated = {"created_at": STAMP, "updated_at": STAMP}
    return {"id": ident, **dated, "name": name, "price_tiles": list(tiles), **attributes}


def test_the_fixture_ruleset_is_served_in_the_documented_order(bqx: Booqable) -> None:
    [ruleset] = made(bqx.get("/price_rulesets"), 200)
    assert ruleset["id"] == SEASONS
    assert list(ruleset["attributes"]) == RULESET_ATTRIBUTES
    assert ruleset["attributes"]["archived"] is False
    assert ruleset["attributes"]["description"] is None
    shown = made(bqx.get(f"/price_rulesets/{SEASONS}"), 200)
    assert shown["attributes"] == ruleset["attributes"]
    v4_time = bqx.prefix == "/api/4"
    assert ruleset["attributes"]["created_at"].endswith(".000000+00:00") is v4_time


def test_its_rules_are_the_charge_adjustments_and_the_seasonal_rule(v4: Booqable) -> None:
    body = v4.get(f"/price_rulesets/{SEASONS}", params={"include": "price_rules"}).json()
    linkage = body["data"]["relationships"]["price_rules"]["data"]
    rules = {rule["attributes"]["name"]: rule for rule in body["included"]}
    assert [r["id"] for r in linkage] == [r["id"] for r in body["included"]]
    assert list(rules) == ["Pickup day", "Return day", "High-Season"]
    for rule in rules.values():
        assert list(rule["attributes"]) == RULE_ATTRIBUTES
        assert rule["attributes"]["price_ruleset_id"] == SEASONS
    pickup = rules["Pickup day"]["attributes"]
    assert (pickup["rule_type"], pickup["match_strategy"], pickup["adjustment_strategy"]) == (
        "pickup_day",
        "starts_within",
        "charge",
    )
    assert (pickup["charge"], pickup["time"], pickup["value"]) == (False, "00:00", None)
    assert rules["Return day"]["attributes"]["match_strategy"] == "stops_within"
    season = rules["High-Season"]["attributes"]
    # multiplier "0.2" of the fixture: +20% on the overlapping part of the period.
    assert (season["rule_type"], season["match_strategy"], season["value"]) == (
        "range_of_dates",
        "overlap",
        20.0,
    )
    assert (season["from"], season["till"]) == (
        "1980-04-15T12:00:00.000000+00:00",
        "1980-06-01T00:00:00.000000+00:00",
    )
    # Same ids on every read: they are derived, not drawn from the namespace's sequence.
    again = v4.get(f"/price_rulesets/{SEASONS}", params={"include": "price_rules"}).json()
    assert again["included"] == body["included"]


def test_items_include_their_ruleset_and_its_rules(bqx: Booqable) -> None:
    body = bqx.get(
        f"/product_groups/{IPAD_GROUP}", params={"include": "price_ruleset.price_rules"}
    ).json()
    rel = body["data"]["relationships"]["price_ruleset"]
    assert rel["data"] == {"type": "price_rulesets", "id": SEASONS}
    kinds = [i["type"] for i in body["included"]]
    assert kinds == ["price_rulesets", "price_rules", "price_rules", "price_rules"]
    product = bqx.get(f"/products/{IPAD}", params={"include": "price_ruleset"}).json()
    assert product["data"]["relationships"]["price_ruleset"]["data"]["id"] == SEASONS
    if bqx.prefix == "/api/boomerang":  # the 2022 era: its link beside the data
        assert rel["links"] == {"related": f"api/boomerang/price_rulesets/{SEASONS}"}
        ruleset = body["included"][0]["relationships"]["price_rules"]
        assert ruleset["links"]["related"] == (
            f"api/boomerang/price_rules?filter[price_ruleset_id]={SEASONS}"
        )


def test_item_prices_include_the_ruleset_that_priced_them(v4: Booqable) -> None:
    params = {
        "filter[item_id]": IPAD,
        "filter[from]": "1980-04-01T12:00:00Z",
        "filter[till]": "1980-05-01T12:00:00Z",
        "include": "price_ruleset,price_structure,price_tile",
    }
    body = v4.get("/item_prices", params=params).json()
    [price] = body["data"]
    assert price["relationships"]["price_ruleset"]["data"] == {
        "type": "price_rulesets",
        "id": SEASONS,
    }
    assert price["relationships"]["price_structure"]["data"] is None
    assert price["relationships"]["price_tile"]["data"] is None
    assert [(i["type"], i["id"]) for i in body["included"]] == [("price_rulesets", SEASONS)]


def test_lists_filter_sort_and_refuse_what_they_do_not_know(v4: Booqable) -> None:
    assert made(v4.get("/price_rulesets", params={"filter[name]": "seasons"}), 200)
    assert made(v4.get("/price_rulesets", params={"filter[archived]": "true"}), 200) == []
    [err] = errors(v4.get("/price_rulesets", params={"filter[rule_type]": "x"}), 400)
    assert err["meta"]["code"] == "invalid_filter"
    [err] = errors(v4.get("/price_rulesets", params={"include": "product_groups"}), 400)
    assert err["meta"]["code"] == "invalid_include"
    errors(v4.get(f"/price_rulesets/{UNKNOWN}"), 404)
    errors(v4.get(f"/price_structures/{UNKNOWN}"), 404)
    errors(v4.get(f"/price_tiles/{UNKNOWN}"), 404)
    assert made(v4.get("/price_structures"), 200) == []  # the default fixtures have none
    assert made(v4.get("/price_tiles"), 200) == []


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/price_rules"),  # the docs document no read of rules but through a ruleset
        # (price structure and tile writes: test_structure_photo_writes.py)
    ],
)
def test_writes_are_not_served(v4: Booqable, method: str, path: str) -> None:
    [err] = errors(v4.request(method, path, json={"data": {"type": "x"}}), 404)
    assert err["code"] == "not_found"


def test_the_docs_ruleset_examples(v4: Booqable) -> None:
    listed = golden("price_rulesets_list_200")
    [theirs] = listed["response"]["data"]
    shown = golden("price_rulesets_show_price_rules_200")
    ruleset = shown["response"]["data"]
    rule = shown["response"]["included"][0]["attributes"]
    dated = {"created_at": STAMP, "updated_at": STAMP}
    use_catalog(
        v4,
        {
            "price_rulesets": [
                {"id": theirs["id"], **dated, "name": "Ruleset", "rules": []},
                {
                    "id": ruleset["id"],
                    **dated,
                    "name": "Ruleset",
                    "rules": [
                        {
                            "name": rule["name"],
                            "from": rule["from"],
                            "till": rule["till"],
                            "multiplier": "0.3",
                        }
                    ],
                },
            ]
        },
    )
    answer = v4.get("/price_rulesets", params={"filter[id]": theirs["id"]})
    same(answer.json(), listed["response"])
    answer = v4.get(shown["path"].removeprefix("/api/4"))
    assert answer.status_code == shown["status"]
    expected = shown["response"]
    # The one difference: the sandbox's seasonal rules charge the part of the period they
    # overlap (pricing.py), so they say `overlap` where the example's rule says `span`.
    expected["included"][0]["attributes"]["match_strategy"] = "overlap"
    same(answer.json(), expected)


def test_the_docs_structure_and_tile_examples(v4: Booqable) -> None:
    listed = golden("price_structures_list_200")
    shown = golden("price_structures_show_price_tiles_200")
    tiles = golden("price_tiles_list_200")
    tile = golden("price_tiles_show_200")
    hourly, per_hour = {"hour": 1.0}, "Price per hour (3 hours minimum)"
    listed_id = listed["response"]["data"][0]["id"]
    shown_tile = shown["response"]["included"][0]["id"]
    [listed_tile] = tiles["response"]["data"]
    one = tile["response"]["data"]
    use_catalog(
        v4,
        {
            "price_structures": [
                structure(listed_id, per_hour, **hourly),
                structure(
                    shown["response"]["data"]["id"], per_hour, hours(shown_tile, 1.0), **hourly
                ),
                structure(
                    listed_tile["attributes"]["price_structure_id"],
                    "3h",
                    hours(listed_tile["id"], 3),
                ),
                structure(
                    one["attributes"]["price_structure_id"],
                    "3h",
                    hours(one["id"], 3.0, name="3 hours"),
                ),
            ]
        },
    )
    ident = listed["response"]["data"][0]["id"]
    same(v4.get("/price_structures", params={"filter[id]": ident}).json(), listed["response"])
    same(v4.get(shown["path"].removeprefix("/api/4")).json(), shown["response"])
    ident = tiles["response"]["data"][0]["id"]
    same(v4.get("/price_tiles", params={"filter[id]": ident}).json(), tiles["response"])
    # (the example's `include=price_tiles` is no relationship of a tile: golden notes)
    [err] = errors(v4.get(tile["path"].removeprefix("/api/4")), 400)
    assert err["meta"]["code"] == "invalid_include"
    ident = tile["response"]["data"]["id"]
    same(v4.get(f"/price_tiles/{ident}").json(), tile["response"])


def test_a_group_includes_its_price_structure_and_tiles(v4: Booqable) -> None:
    group_id, product_id, made_structure = (f"{ID_HEAD}0{n}" for n in (1, 2, 3))
    priced = {**group(group_id, product_id, "Tent"), "price_structure_id": made_structure}
    priced["price_type"] = "structure"
    use_catalog(
        v4,
        {
            "product_groups": [priced],
            "price_structures": [
                structure(
                    made_structure,
                    "Weekend",
                    {"id": f"{ID_HEAD}04", "quantity": 1, "period": "days", "multiplier": 1},
                    {"id": f"{ID_HEAD}05", "quantity": 2, "period": "weeks", "multiplier": 6.5},
                    price_structure_type="private",
                    product_group_id=group_id,
                    day=0.8,
                )
            ],
        },
    )
    body = v4.get(
        f"/products/{product_id}", params={"include": "price_structure.price_tiles"}
    ).json()
    assert body["data"]["relationships"]["price_structure"]["data"]["id"] == made_structure
    found = {i["type"]: i for i in body["included"]}
    assert found["price_structures"]["attributes"] == {
        "created_at": "2024-10-21T09:29:00.000000+00:00",
        "updated_at": "2024-10-21T09:29:00.000000+00:00",
        "archived": False,
        "archived_at": None,
        "name": "Weekend",
        "price_structure_type": "private",
        "hour": 0.0,
        "day": 0.8,
        "week": 0.0,
        "month": 0.0,
        "year": 0.0,
        "product_group_id": group_id,
    }
    tiles = [i["attributes"] for i in body["included"] if i["type"] == "price_tiles"]
    assert [(t["name"], t["length"], t["multiplier"]) for t in tiles] == [
        ("1 day", 86400, 1.0),
        ("2 weeks", 1209600, 6.5),
    ]
    owner = v4.get(
        f"/price_structures/{made_structure}", params={"include": "product_group"}
    ).json()
    assert owner["included"][0]["id"] == group_id
    listed = v4.get("/price_tiles", params={"filter[price_structure_id]": made_structure})
    assert len(made(listed, 200)) == 2


def test_fixture_references_of_structures_are_checked() -> None:
    doc = default_fixture_doc()
    tile = {"id": UNKNOWN, "quantity": 1, "period": "days", "multiplier": 1}
    doc["price_structures"] = [
        structure(SEASONS, "A", tile, price_structure_type="private"),
        structure(SEASONS, "B", tile, product_group_id=UNKNOWN),
    ]
    doc["product_groups"][0]["price_structure_id"] = IPAD_GROUP
    found = dict(problems(doc))
    assert "$.price_structures[1]" in found  # the same id twice
    assert "$.price_structures[1].price_tiles[0]" in found
    assert found["$.price_structures[0].product_group_id"] == "a private price structure needs one"
    assert "$.price_structures[1].product_group_id" in found
    assert "$.product_groups[0].price_structure_id" in found


def test_item_prices_by_a_price_structure_are_refused_not_invented(v4: Booqable) -> None:
    ident = "5a0c4b3e-7e1f-4c55-9c1b-0d6a8e2f4b11"
    use_catalog(v4, {"price_structures": [structure(ident, "3h", hours(UNKNOWN, 3))]})
    asked = {"filter[item_id]": IPAD, "filter[from]": "2030-01-01", "filter[till]": "2030-01-02"}
    refused = v4.get("/item_prices", params={**asked, "filter[price_structure_id]": ident})
    [error] = errors(refused, 422)
    assert error["source"] == {"pointer": "/data/attributes/price_structure_id"}
    assert error["meta"]["code"] == "unsupported"
    unknown = v4.get("/item_prices", params={**asked, "filter[price_structure_id]": IPAD})
    errors(unknown, 404)
