"""Seed 003's order_bookings examples replayed verbatim on a fresh namespace.

The 422 must be byte-equal to the seed's (Rails' compact encoding). The 201s must equal the
seed's after two normalisations, applied identically to both documents and compared with key
order (json.dumps without sort_keys):
- ids: a UUID that is not one of the fixtures' becomes `<id N>`, N numbering the distinct
  ids in order of first appearance (the server makes new ids, the seed printed its own);
- `created_at`/`updated_at` timestamps become `<time>` (the sandbox clock is not 2022's);
and with the seed's top-level `links` removed (the sandbox emits none, reference §9.5).

The DOCS-2024 versions (Appendix A/B) book on fixture orders too; they are compared on what
their era shares with 2022 (see `_era_2022`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from booking_sandbox.vendors.booqable.wire import encode
from tests.booqable.conftest import JSONAPI, ORDER_NEW, Booqable

GOLDEN = Path(__file__).parent / "golden"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+00:00$")


def golden(name: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads((GOLDEN / f"{name}.json").read_text("utf-8"))
    return found


def fixture_ids(bq: Booqable) -> set[str]:
    """Every UUID of the namespace's Booqable catalog: they must come back unchanged."""
    state = bq.api.get("/_sandbox/state")
    assert state.status_code == 200
    text = json.dumps(state.json()["catalogs"]["booqable"])
    return set(re.findall(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", text))


def normalise(document: Any, known: set[str]) -> Any:
    names: dict[str, str] = {}

    def walk(value: Any, key: str = "") -> Any:
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if isinstance(value, str):
            if key in ("created_at", "updated_at") and TIME.match(value):
                return "<time>"
            if UUID.match(value) and value not in known:
                return names.setdefault(value, f"<id {len(names) + 1}>")
        return value

    return walk(document)


def replay(bq: Booqable, example: dict[str, Any]) -> Any:
    path = example["path"].removeprefix("/api/boomerang")
    response = bq.request(example["method"], path, json=example["request"])
    assert response.status_code == example["status"], response.text
    assert response.headers["content-type"] == JSONAPI
    return response


def test_shortage_422_is_byte_equal(bq: Booqable) -> None:
    example = golden("seed003_shortage_422")
    response = replay(bq, example)
    assert json.dumps(response.json()) == json.dumps(example["response"])
    assert response.content == encode(example["response"])


@pytest.mark.parametrize("name", ["seed003_book_products_201", "seed003_book_bundle_201"])
def test_booking_201_equals_the_seed(bq: Booqable, name: str) -> None:
    example = golden(name)
    known = fixture_ids(bq)
    expected = {k: v for k, v in example["response"].items() if k != "links"}
    response = replay(bq, example)
    assert json.dumps(normalise(response.json(), known), indent=1) == json.dumps(
        normalise(expected, known), indent=1
    )


def test_the_shortage_example_books_nothing(bq: Booqable) -> None:
    example = golden("seed003_shortage_422")
    order_id = example["request"]["data"]["attributes"]["order_id"]
    before = bq.get(f"/orders/{order_id}?include=lines,plannings").content
    replay(bq, example)
    assert bq.get(f"/orders/{order_id}?include=lines,plannings").content == before


def _fragment(bq: Booqable, name: str, order_id: str = ORDER_NEW) -> Any:
    """The docs' `items` member in a whole request, on the `new` order (no stock check)."""
    attributes = {"order_id": order_id, **golden(name)["request"]}
    body = {"data": {"type": "order_bookings", "attributes": attributes}}
    return bq.post("/order_bookings?include=lines,plannings,stock_item_plannings", json=body)


def _included(body: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [r["attributes"] for r in body.get("included", []) if r["type"] == kind]


def test_fragment_quantitative(bq: Booqable) -> None:
    response = _fragment(bq, "seed003_items_quantitative")
    assert response.status_code == 201, response.text
    [line] = _included(response.json(), "lines")
    assert (line["title"], line["quantity"]) == ("Folding chair", 10)


def test_fragment_stock_items_leaves_one_unspecified(bq: Booqable) -> None:
    """`quantity: 3` with 2 ids: a planning of 3, two stock item plannings (reference §6)."""
    response = _fragment(bq, "seed003_items_stock_items")
    assert response.status_code == 201, response.text
    [planning] = _included(response.json(), "plannings")
    assert planning["quantity"] == 3
    named = [s["stock_item_id"] for s in _included(response.json(), "stock_item_plannings")]
    assert named == golden("seed003_items_stock_items")["request"]["items"][0]["stock_item_ids"]


@pytest.mark.parametrize(
    "name", ["seed003_items_bundle", "bookings_2024_items_bundle_no_variation"]
)
def test_fragment_bundle_of_fixed_products(bq: Booqable, name: str) -> None:
    response = _fragment(bq, name)
    assert response.status_code == 201, response.text
    [line] = _included(response.json(), "lines")
    assert (line["title"], line["quantity"], line["item_id"]) == (
        "Presentation kit",
        3,
        "9bf34d16-2144-45a5-8461-ebae7bf0f4ca",
    )


def test_fragment_bundle_variation_names_no_item_of_the_bundle(bq: Booqable) -> None:
    """The docs' ids are made up: `bundle_item_id` is a stock item's id (1456d221…)."""
    response = _fragment(bq, "seed003_items_bundle_variation")
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["code"] == "unprocessable_entity"
    assert error["meta"]["message"] == (
        "[0].products[0].bundle_item_id 1456d221-029c-42ad-abcd-ad8d70c9e3f0 "
        "is not an item of this bundle"
    )


# ----- DOCS-2024 versions (Appendix A and B) ----------------------------------------------


def _fix(name: str, value: Any) -> Any:
    """A 2024 value as 2022 printed it: no microseconds, `deposit_value` `10.0` -> `10`."""
    if isinstance(value, str) and TIME.match(value):
        return re.sub(r"\.\d+\+", "+", value)
    if name == "deposit_value" and isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _shared(
    ours: dict[str, Any], theirs: dict[str, Any], drop: dict[str, set[str]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Both documents reduced to what the two eras share, in our (2022) key order.

    Attributes only one era prints (`archived`, `display_price_in_cents`, `price_tile_id`…
    in 2024) are left out, and so are the included resources' relationships (2024 lists more
    of them) and the attributes in `drop`.
    """
    assert [r["type"] for r in ours["included"]] == [r["type"] for r in theirs["included"]]
    left: dict[str, Any] = {"data": ours["data"], "included": []}
    right: dict[str, Any] = {"data": theirs["data"], "included": []}
    for mine, other in zip(ours["included"], theirs["included"], strict=True):
        names = [
            k
            for k in mine["attributes"]
            if k in other["attributes"] and k not in drop.get(mine["type"], set())
        ]
        left["included"].append(
            {"type": mine["type"], "attributes": {k: mine["attributes"][k] for k in names}}
        )
        right["included"].append(
            {
                "type": other["type"],
                "attributes": {k: _fix(k, other["attributes"][k]) for k in names},
            }
        )
    return left, right


# What the 2024 examples show that the 2022 era (and the sandbox) cannot reproduce:
# - products: the 2024 order already held a Macbook line the request did not return
#   (golden README, inconsistency 2): the order's money, `status_counts` and the new
#   lines' `position` count it; its `price_rule_values` carry 2024's `adjustments` and
#   integer `price_in_cents`. The fixtures number that order 3 (the seed's order is 1).
# - products, fixtures: the 2024 iPad/Macbook groups (f5f368da, f06d8d9b) have no price
#   ruleset and no deposit, so their lines are charged 30 plain days: line money left out.
# - bundle: 2024 returns the nested line and planning too (inconsistency 6); the parent
#   planning omits `started`…`shortage_amount`; `original_price_each_in_cents` is null.
PRODUCTS_DROP = {
    "orders": {
        "created_at", "updated_at", "number", "status_counts", "price_in_cents",
        "grand_total_in_cents", "grand_total_with_tax_in_cents", "tax_in_cents",
        "discount_in_cents", "total_discount_in_cents", "deposit_in_cents",
        "to_be_paid_in_cents",
    },
    "lines": {
        "created_at", "updated_at", "position", "original_price_each_in_cents",
        "price_each_in_cents", "price_in_cents", "charge_label", "charge_length",
        "price_rule_values",
    },
    "plannings": {"created_at", "updated_at"},
    "stock_item_plannings": {"created_at", "updated_at"},
}  # fmt: skip
BUNDLE_DROP = {
    "orders": {"created_at", "updated_at"},
    "lines": {"created_at", "updated_at", "original_price_each_in_cents"},
    "plannings": {"created_at", "updated_at"},
}


@pytest.mark.parametrize(
    ("name", "drop"),
    [
        ("bookings_2024_book_products_201", PRODUCTS_DROP),
        ("bookings_2024_book_bundle_201", BUNDLE_DROP),
    ],
)
def test_2024_examples_agree_on_what_the_eras_share(
    bq: Booqable, name: str, drop: dict[str, set[str]]
) -> None:
    example = golden(name)
    known = fixture_ids(bq)
    ours = replay(bq, example).json()
    theirs = example["response"]
    if name.endswith("bundle_201"):  # the 2024 nested line and planning: not in 2022's answer
        nested = {"d336c97c-145c-4698-98e7-b5605c306086", "2c5ef36d-044e-48c8-8ec9-331ffd883617"}
        theirs = json.loads(json.dumps(theirs))
        for rel in theirs["data"]["relationships"].values():
            rel["data"] = (
                [d for d in rel["data"] if d["id"] not in nested]
                if isinstance(rel["data"], list)
                else rel["data"]
            )
        theirs["included"] = [r for r in theirs["included"] if r["id"] not in nested]
    left, right = _shared(ours, theirs, drop)
    assert json.dumps(normalise(left, known), indent=1) == json.dumps(
        normalise(right, known), indent=1
    )
