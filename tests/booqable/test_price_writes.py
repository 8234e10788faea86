"""Price rulesets and price rules written through the API (DOCS-HEAD `_price_rulesets.md`,
`_price_rules.md`): the docs' examples replayed on their own ids; written rules changing the
prices of what is priced after them (and not of lines priced before, until repriced); rules
pricing cannot honour refused; bad input; the state round trip."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.booqable.conftest import MACBOOK, Booqable
from tests.booqable.docs_catalog import STAMP, golden, same, use_catalog
from tests.booqable.test_catalog_writes import PLAIN_JSON, UNKNOWN, errors, made
from tests.conftest import Api

SEASONS = "5a5e7e53-7d0e-4b8f-9a51-6f0f3c1d2e01"  # Macbook Pro's ruleset: pickup/return day
PICKUP_DAY = "b6bc650a-e388-5edf-b5f1-baf8bc046df5"  # its rules' derived ids
HIGH_SEASON = "84529087-1e5a-5e9b-a936-c1c70a649eb2"
# 2030-01-01 12:00 .. 01-03 12:00: charged 01-02 .. 01-03 (pickup and return days), 1 day.
DAYS_2030 = {"filter[from]": "2030-01-01T12:00:00Z", "filter[till]": "2030-01-03T12:00:00Z"}
WINTER = {"from": "2029-12-01T00:00:00Z", "till": "2030-02-01T00:00:00Z"}
BACKWARDS = {"from": WINTER["till"], "till": WINTER["from"]}
UNSUPPORTED = "unsupported"


@pytest.fixture
def v4(api: Api) -> Booqable:
    return Booqable(api, prefix="/api/4")


def price(bq: Booqable, **period: str) -> int:
    params = {**(period or DAYS_2030), "filter[item_id]": MACBOOK}
    [found] = listed(bq.get("/item_prices", params=params))
    value: int = found["attributes"]["price_each_in_cents"]
    return value


def listed(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["data"]
    return found


def rule(**attributes: Any) -> dict[str, Any]:
    body = {"price_ruleset_id": SEASONS, "name": "Rule", **attributes}
    return {"data": {"type": "price_rules", "attributes": body}}


def dated(**attributes: Any) -> dict[str, Any]:
    return rule(
        **{
            "rule_type": "range_of_dates",
            "match_strategy": "span",
            "value": 50,
            **WINTER,
            **attributes,
        }
    )


def catalog_of(bq: Booqable) -> dict[str, Any]:
    found: dict[str, Any] = bq.api.get("/_sandbox/state").json()["catalogs"]["booqable"]
    return found


def ruleset_of(example: dict[str, Any], **rule_changes: Any) -> dict[str, Any]:
    """The fixture ruleset an example's rule (its answer, before the change) belongs to."""
    shown = example["response"]["data"]
    if shown["type"] == "price_rulesets":
        shown = example["response"]["included"][0]
    attributes = {**shown["attributes"], **rule_changes}
    return {
        "id": attributes["price_ruleset_id"],
        "created_at": STAMP,
        "updated_at": STAMP,
        "name": "Ruleset",
        "rules": [
            {
                "id": shown["id"],
                "name": attributes["name"],
                "from": attributes["from"],
                "till": attributes["till"],
                "multiplier": str(Decimal(str(attributes["value"])) / 100),
                "stacked": attributes["stacked"],
                "match": attributes["match_strategy"],
            }
        ],
    }


def replay(v4: Booqable, name: str, request: Any = None) -> tuple[dict[str, Any], Any]:
    example = golden(name)
    path = example["path"].removeprefix("/api/4")
    answer = v4.request(example["method"], path, json=request or example["request"])
    assert answer.status_code == example["status"], answer.text
    return answer.json(), example


# ----- the docs' examples ------------------------------------------------------------------


def test_the_docs_ruleset_examples(v4: Booqable) -> None:
    ours, example = replay(v4, "price_rulesets_create_201")
    same(ours, example["response"])
    renamed, with_rules = (
        golden("price_rulesets_update_200"),
        golden("price_rulesets_update_rules_200"),
    )
    archived = golden("price_rulesets_archive_200")
    plain = {"created_at": STAMP, "updated_at": STAMP, "name": "Ruleset", "rules": []}
    use_catalog(
        v4,
        {
            "price_rulesets": [
                {**plain, "id": renamed["path"].rsplit("/", 1)[1], "name": "Seasonal ruleset"},
                ruleset_of(with_rules, name="Before"),
                {**plain, "id": archived["path"].rsplit("/", 1)[1]},
            ]
        },
    )
    for name in ("price_rulesets_update_200", "price_rulesets_update_rules_200"):
        ours, example = replay(v4, name)
        same(ours, example["response"])
    ours, example = replay(v4, "price_rulesets_archive_200")
    attributes = ours["data"]["attributes"]
    assert attributes["archived_at"] == attributes["updated_at"]  # the sandbox's clock
    attributes["archived_at"] = example["response"]["data"]["attributes"]["archived_at"]
    same(ours, example["response"])


def test_the_docs_rule_examples(v4: Booqable) -> None:
    created = golden("price_rules_create_201")
    owner = created["request"]["data"]["attributes"]["price_ruleset_id"]
    value_changed = golden("price_rules_update_200")
    renamed = golden("price_rules_update_name_200")
    deleted = golden("price_rules_archive_200")
    use_catalog(
        v4,
        {
            "price_rulesets": [
                {"id": owner, "created_at": STAMP, "updated_at": STAMP, "name": "R", "rules": []},
                ruleset_of(value_changed, value=5.0),
                ruleset_of(renamed, name="Holidays"),
                ruleset_of(deleted),
            ]
        },
    )
    request = {"data": created["request"]["data"]}  # without `include` (see its notes)
    ours, _ = replay(v4, "price_rules_create_201", request)
    same(ours, created["response"])
    for name in ("price_rules_update_200", "price_rules_update_name_200"):
        ours, example = replay(v4, name)
        same(ours, example["response"])
    answer = v4.delete(deleted["path"].removeprefix("/api/4"))
    assert answer.status_code == 200
    assert answer.headers["content-type"] == PLAIN_JSON
    same(answer.json(), deleted["response"])
    shown = made(v4.get(f"/price_rulesets/{ruleset_of(deleted)['id']}?include=price_rules"), 200)
    assert shown["relationships"]["price_rules"]["data"] == []


# ----- prices ------------------------------------------------------------------------------


def test_written_rules_change_prices(v4: Booqable) -> None:
    assert price(v4) == 2500  # one charged day
    span = made(v4.post("/price_rules", json=dated()))
    assert price(v4) == 3750  # +50 % over the whole window
    # `span` applies only when the rule's period holds the window.
    assert price(v4, **{**DAYS_2030, "filter[till]": "2030-02-03T12:00:00Z"}) == 2500 * 32
    made(v4.delete(f"/price_rules/{span['id']}"), 200)
    assert price(v4) == 2500
    # `within`: a rule of 6 hours inside the window adds 50 % of a quarter of it.
    inner = {"from": "2030-01-02T06:00:00Z", "till": "2030-01-02T12:00:00Z"}
    body = rule(rule_type="range_of_dates", match_strategy="within", value=50, **inner)
    made(v4.post("/price_rules", json=body))
    assert price(v4) == 2500 + 313
    # Without the pickup day rule the window starts at noon: 1.5 days.
    made(v4.delete(f"/price_rules/{PICKUP_DAY}"), 200)
    assert price(v4) == 3750 + 313
    body = rule(rule_type="pickup_day", match_strategy="starts_within", charge=False, time="00:00")
    made(v4.post("/price_rules", json=body))
    assert price(v4) == 2500 + 313


def test_lines_keep_their_price_until_repriced(v4: Booqable) -> None:
    order = made(
        v4.create("orders", starts_at="2030-01-01T12:00:00Z", stops_at="2030-01-03T12:00:00Z")
    )
    made(v4.book(order["id"], {"type": "products", "id": MACBOOK, "quantity": 1}), 201)

    def line_price() -> int:
        lines = listed(v4.get("/lines", params={"filter[order_id]": order["id"]}))
        found: int = next(x for x in lines if x["attributes"]["item_id"] == MACBOOK)["attributes"][
            "price_each_in_cents"
        ]
        return found

    assert line_price() == 2500
    made(v4.post("/price_rules", json=dated()))
    assert line_price() == 2500  # priced before the rule
    body = {
        "data": {
            "id": order["id"],
            "type": "orders",
            "attributes": {"stops_at": "2030-01-04T12:00:00Z"},
        }
    }
    made(v4.put(f"/orders/{order['id']}", json=body), 200)
    assert line_price() == 7500  # two days, +50 %


def test_an_archived_ruleset_prices_nothing(v4: Booqable) -> None:
    archived = made(v4.delete(f"/price_rulesets/{SEASONS}"), 200)
    assert archived["attributes"]["archived"] is True
    assert price(v4) == 5000  # the whole two days, no rule
    again = made(v4.delete(f"/price_rulesets/{SEASONS}"), 200)
    assert again["attributes"]["archived_at"] == archived["attributes"]["archived_at"]


# ----- refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "attribute", "code"),
    [
        (rule(rule_type="range_of_days", from_day=0, value=10), "rule_type", UNSUPPORTED),
        (rule(rule_type="exclude_date_range", **WINTER), "rule_type", UNSUPPORTED),
        (rule(rule_type="return_day", charge=True, time="00:00"), "charge", "unsupported"),
        (rule(rule_type="return_day", time="12:00"), "time", "unsupported"),
        (dated(min_duration=3600), "min_duration", "unsupported"),
        (rule(rule_type="range_of_dates", match_strategy="span", **WINTER), "value", "blank"),
        (rule(rule_type="range_of_dates", value=5, **WINTER), "match_strategy", "blank"),
        (dated(adjustment_strategy="charge"), "adjustment_strategy", "inclusion"),
        (dated(**BACKWARDS), "till", "after"),
        (rule(rule_type="pickup_day"), "rule_type", "taken"),  # Seasons has one
        (rule(rule_type="weekly"), "rule_type", "inclusion"),
        (dated(price_ruleset_id=UNKNOWN), "price_ruleset_id", "blank"),
    ],
)  # fmt: skip
def test_rules_pricing_cannot_honour_are_refused(
    v4: Booqable, body: dict[str, Any], attribute: str, code: str
) -> None:
    before = catalog_of(v4)
    found = errors(v4.post("/price_rules", json=body), 422)
    assert (found[0]["meta"]["attribute"], found[0]["meta"]["code"]) == (attribute, code)
    if code == "unsupported":
        assert found[0]["detail"].endswith("is not supported by the sandbox's pricing")
    assert catalog_of(v4) == before


def test_bad_input(v4: Booqable) -> None:
    before = catalog_of(v4)
    assert errors(v4.post("/price_rules", json=dated(colour=1)), 400)[0]["meta"]["code"] == (
        "unknown_attribute"
    )
    nested = {"name": "N", "price_rules_attributes": [{"name": "x", "colour": 1}]}
    body = {"data": {"type": "price_rulesets", "attributes": nested}}
    found = errors(v4.post("/price_rulesets", json=body), 400)
    assert found[0]["meta"]["attribute"] == "data.attributes.price_rules_attributes.0.colour"
    nested = {"name": "N", "price_rules_attributes": [{"name": "x", "rule_type": "range_of_days"}]}
    body = {"data": {"type": "price_rulesets", "attributes": nested}}
    found = errors(v4.post("/price_rulesets", json=body), 422)
    assert found[0]["meta"]["attribute"] == "price_rules.rule_type"
    body = {"data": {"type": "price_rulesets", "attributes": {"name": "Seasons"}}}
    assert errors(v4.post("/price_rulesets", json=body), 422)[0]["meta"]["code"] == "taken"
    move = {"data": {"type": "price_rules", "attributes": {"price_ruleset_id": UNKNOWN}}}
    errors(v4.put(f"/price_rules/{HIGH_SEASON}", json=move), 400)
    kind = {"data": {"type": "price_rules", "attributes": {"rule_type": "pickup_day"}}}
    assert errors(v4.put(f"/price_rules/{HIGH_SEASON}", json=kind), 422)[0]["meta"]["code"] == (
        "immutable"
    )
    errors(v4.put(f"/price_rules/{UNKNOWN}", json=move), 404)
    errors(v4.delete(f"/price_rules/{UNKNOWN}"), 404)
    errors(v4.delete(f"/price_rulesets/{UNKNOWN}"), 404)
    assert catalog_of(v4) == before


def test_nested_rules_and_unique_names(v4: Booqable) -> None:
    body: dict[str, Any] = {
        "data": {
            "type": "price_rulesets",
            "attributes": {"name": "Seasons", "make_name_unique": True},
        }
    }
    assert made(v4.post("/price_rulesets", json=body))["attributes"]["name"] == "Seasons (1)"
    nested = [{"id": HIGH_SEASON, "_destroy": True}, {"id": PICKUP_DAY, "name": "Pickup day"}]
    body = {"data": {"type": "price_rulesets", "attributes": {"price_rules_attributes": nested}}}
    answer = v4.put(f"/price_rulesets/{SEASONS}?include=price_rules", json=body)
    ids = [r["id"] for r in made(answer, 200)["relationships"]["price_rules"]["data"]]
    assert HIGH_SEASON not in ids
    assert PICKUP_DAY in ids
    nested = [{"id": UNKNOWN, "name": "x"}]
    body["data"]["attributes"]["price_rules_attributes"] = nested
    assert errors(v4.put(f"/price_rulesets/{SEASONS}", json=body), 422)[0]["meta"]["attribute"] == (
        "price_rules"
    )


def test_rule_ids_stay_when_a_rule_before_them_goes(v4: Booqable) -> None:
    second = made(v4.post("/price_rules", json=dated()))["id"]
    made(v4.delete(f"/price_rules/{HIGH_SEASON}"), 200)
    shown = made(v4.get(f"/price_rulesets/{SEASONS}", params={"include": "price_rules"}), 200)
    assert second in [r["id"] for r in shown["relationships"]["price_rules"]["data"]]


def test_writes_survive_a_state_round_trip(v4: Booqable) -> None:
    made(v4.post("/price_rules", json=dated()))
    state = v4.api.get("/_sandbox/state").json()
    assert v4.api.put("/_sandbox/state", json=state).status_code == 200
    assert price(v4) == 3750
