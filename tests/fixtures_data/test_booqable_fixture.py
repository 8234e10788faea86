"""The Booqable fixture: the bundled catalog, its schema, and the large-catalog generator."""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from booking_sandbox.generate import generate_documents

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "fixtures" / "booqable.json"
SCHEMA = ROOT / "schemas" / "fixtures" / "booqable.schema.json"
SCHEMA_ID = "https://booking-sandbox.local/schemas/fixtures/booqable.schema.json"
# Copies kept in tests/reference/ (a clean clone has no ../shared/reference): see its README.
REFERENCE = Path(__file__).resolve().parents[1] / "reference"
SEEDS = REFERENCE / "seeds"
SEED_003 = "003_81cb173de5fb3a51.txt"

UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# Resources a booking creates: their ids come from the sandbox, not from the catalog.
GENERATED_TYPES = ("order_bookings", "lines", "plannings", "stock_item_plannings")
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

Breakage = Callable[[dict[str, Any]], None]


def load(path: Path) -> Any:
    return json.loads(path.read_text("utf-8"))


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = load(SCHEMA)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


@pytest.fixture(scope="module")
def fixture() -> dict[str, Any]:
    doc: dict[str, Any] = load(FIXTURE)
    return doc


def errors(validator: Draft202012Validator, document: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(document)
    ]


def products_of(doc: dict[str, Any]) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """product id -> (product, its group)."""
    return {p["id"]: (p, g) for g in doc["product_groups"] for p in g["products"]}


def bundle_items_of(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["id"]: i for b in doc["bundles"] for i in b["bundle_items"]}


def catalog_ids(doc: dict[str, Any]) -> list[str]:
    ids = [g["id"] for g in doc["product_groups"]]
    ids += list(products_of(doc))
    ids += [s["id"] for s in doc["stock_items"]]
    ids += [b["id"] for b in doc["bundles"]]
    ids += list(bundle_items_of(doc))
    ids += [c["id"] for c in doc["customers"]]
    ids += [o["id"] for o in doc["orders"]]
    return ids


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def cross_reference_problems(doc: dict[str, Any]) -> list[str]:
    """What the JSON Schema cannot check: uniqueness and references between records."""
    problems: list[str] = []
    ids = catalog_ids(doc)
    problems += [f"id {i} used {n} times" for i, n in Counter(ids).items() if n > 1]
    for kind, values in (
        ("group slug", [g.get("slug") for g in doc["product_groups"]]),
        ("product slug", [p.get("slug") for p, _ in products_of(doc).values()]),
        ("bundle slug", [b.get("slug") for b in doc["bundles"]]),
        ("stock item identifier", [s["identifier"] for s in doc["stock_items"]]),
        ("customer email", [c["email"] for c in doc["customers"]]),
        ("order number", [o.get("number") for o in doc["orders"]]),
        ("api key", [k["key"] for k in doc["api_keys"]]),
    ):
        dupes = [v for v, n in Counter(values).items() if v is not None and n > 1]
        problems += [f"{kind} {v!r} is not unique" for v in dupes]
    products = products_of(doc)
    for item in doc["stock_items"]:
        owner = products.get(item["product_id"])
        if owner is None:
            problems.append(f"stock item {item['id']}: unknown product {item['product_id']}")
        elif owner[1]["tracking_type"] != "trackable":
            problems.append(
                f"stock item {item['id']}: product {item['product_id']} is not trackable"
            )
    groups = {g["id"]: g for g in doc["product_groups"]}
    for item in bundle_items_of(doc).values():
        group = groups.get(item["product_group_id"])
        if group is None:
            problems.append(f"bundle item {item['id']}: unknown group {item['product_group_id']}")
        elif item.get("product_id") is not None and item["product_id"] not in {
            p["id"] for p in group["products"]
        }:
            problems.append(f"bundle item {item['id']}: product not in group {group['id']}")
    customers = {c["id"] for c in doc["customers"]}
    for order in doc["orders"]:
        if order["customer_id"] is not None and order["customer_id"] not in customers:
            problems.append(f"order {order['id']}: unknown customer {order['customer_id']}")
        if not order["starts_at"] < order["stops_at"]:
            problems.append(f"order {order['id']}: period does not end after it starts")
    for group in doc["product_groups"]:
        for product in group["products"]:
            expected = group["name"] + "".join(f" - {v}" for v in product["variation_values"])
            if product["name"] != expected:
                problems.append(
                    f"product {product['id']}: name {product['name']!r} != {expected!r}"
                )
    return problems


# --- (a) the bundled fixture -------------------------------------------------------------------


def test_schema_is_draft_2020_12_with_its_id() -> None:
    schema = load(SCHEMA)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID
    Draft202012Validator.check_schema(schema)


def test_bundled_fixture_validates(
    validator: Draft202012Validator, fixture: dict[str, Any]
) -> None:
    assert errors(validator, fixture) == []


def test_bundled_fixture_cross_references(fixture: dict[str, Any]) -> None:
    assert cross_reference_problems(fixture) == []


def test_bundled_fixture_is_pretty_printed(fixture: dict[str, Any]) -> None:
    text = FIXTURE.read_text("utf-8")
    assert text == json.dumps(fixture, indent=2, ensure_ascii=False) + "\n"


def test_bundled_fixture_has_demo_key_and_every_scenario(fixture: dict[str, Any]) -> None:
    assert {"key": "demo-api-key"} in fixture["api_keys"]
    groups = fixture["product_groups"]
    assert {g["tracking_type"] for g in groups} == {"none", "bulk", "trackable"}
    assert any(g["allow_shortage"] and g["shortage_limit"] == 2 for g in groups)
    assert any(not g["allow_shortage"] for g in groups)
    assert any(
        g["tracking_type"] == "bulk" and p["stock_count"] == 1
        for g in groups
        for p in g["products"]
    )
    assert any(g["has_variations"] and len(g["products"]) > 1 for g in groups)
    per_product = Counter(s["product_id"] for s in fixture["stock_items"])
    statuses = {
        pid: {s["status"] for s in fixture["stock_items"] if s["product_id"] == pid}
        for pid in per_product
    }
    assert any(per_product[pid] >= 3 and len(statuses[pid]) >= 3 for pid in per_product)
    assert {o["status"] for o in fixture["orders"]} >= {"new", "concept", "reserved"}


# --- (b) the seed's ids ------------------------------------------------------------------------


def seed_text() -> str:
    return (SEEDS / SEED_003).read_text("utf-8")


def json_blocks(text: str) -> list[Any]:
    """Every JSON example (```json blocks and curl --data bodies) that parses."""
    raw = re.findall(r"```json\n(.*?)```", text, re.S)
    raw += re.findall(r"--data '(.*?)'\n", text, re.S)
    blocks = []
    for chunk in raw:
        for candidate in (chunk, "{" + chunk + "}"):
            try:
                blocks.append(json.loads(candidate))
                break
            except json.JSONDecodeError:
                continue
    return blocks


def walk(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from walk(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item)


def generated_ids(text: str) -> set[str]:
    types = "|".join(GENERATED_TYPES)
    uuid_ = UUID_RE.pattern
    found = re.findall(rf'"id": "({uuid_})",\s*"type": "(?:{types})"', text)
    found += re.findall(rf'"type": "(?:{types})",\s*"id": "({uuid_})"', text)
    return set(found)


def test_every_seed_uuid_is_in_the_fixture(fixture: dict[str, Any]) -> None:
    text = seed_text()
    wanted = set(UUID_RE.findall(text)) - generated_ids(text)
    present = {s for s in strings(fixture) if UUID_RE.fullmatch(s)}
    assert sorted(wanted - present) == []
    # Products, bundles and stock items are catalog records, not just mentions.
    catalog = set(catalog_ids(fixture))
    for block in json_blocks(text):
        for obj in walk(block):
            if obj.get("type") in ("products", "bundles") and "bundle_item_id" not in obj:
                assert obj.get("id") in catalog, obj
            for key in ("order_id", "customer_id", "stock_item_id", "item_id"):
                if isinstance(obj.get(key), str) and obj[key] not in generated_ids(text):
                    assert obj[key] in catalog, (key, obj[key])


def test_seed_requests_match_the_catalog(fixture: dict[str, Any]) -> None:
    text = seed_text()
    products = products_of(fixture)
    stock = {s["id"]: s for s in fixture["stock_items"]}
    orders = {o["id"]: o for o in fixture["orders"]}
    bookings = 0
    for block in json_blocks(text):
        attributes = block.get("data", {}).get("attributes", {}) if isinstance(block, dict) else {}
        if "items" not in attributes:
            continue
        bookings += 1
        assert attributes["order_id"] in orders
        for item in attributes["items"]:
            if item["type"] != "products":
                continue
            product, group = products[item["id"]]
            for stock_item_id in item.get("stock_item_ids", []):
                assert group["tracking_type"] == "trackable"
                assert stock[stock_item_id]["product_id"] == product["id"]
                assert stock[stock_item_id]["status"] == "in_stock"
    assert bookings == 3


def test_seed_orders_keep_their_period_and_customer(fixture: dict[str, Any]) -> None:
    orders = {o["id"]: o for o in fixture["orders"]}
    seen = 0
    for block in json_blocks(seed_text()):
        for obj in walk(block):
            if obj.get("type") != "orders" or "attributes" not in obj:
                continue
            seen += 1
            mine, theirs = orders[obj["id"]], obj["attributes"]
            for key in ("starts_at", "stops_at"):
                assert datetime.fromisoformat(mine[key]) == datetime.fromisoformat(theirs[key])
            assert mine["customer_id"] == theirs["customer_id"]
            assert mine["start_location_id"] == theirs["start_location_id"]
    assert seen == 2


def test_seed_shortage_numbers_are_reproduced(fixture: dict[str, Any]) -> None:
    products = products_of(fixture)
    entries = 0
    for block in json_blocks(seed_text()):
        for error in block.get("errors", []) if isinstance(block, dict) else []:
            for verdict in ("blocking", "warning"):
                for entry in error["meta"][verdict]:
                    entries += 1
                    product, group = products[entry["item_id"]]
                    assert product["stock_count"] == entry["stock_count"]
                    shortage = entry["needed"] + entry["reserved"] - product["stock_count"]
                    assert shortage == entry["shortage"]
                    within = group["allow_shortage"] and shortage <= group["shortage_limit"]
                    assert within == (verdict == "warning")
    assert entries == 1


def test_reference_appendix_ids_are_in_the_fixture(fixture: dict[str, Any]) -> None:
    text = (REFERENCE / "booqable-appendix-a-b.md").read_text("utf-8")
    appendices = text[text.index("## Appendix A") : text.index("## Appendix C")]
    wanted = set(UUID_RE.findall(appendices)) - generated_ids(appendices)
    present = {s for s in strings(fixture) if UUID_RE.fullmatch(s)}
    assert sorted(wanted - present) == []


# --- (c) the generator -------------------------------------------------------------------------


def generated(seed: int, size: int = 1000) -> dict[str, Any]:
    return generate_documents(["booqable"], size, seed, START)["booqable"]


@pytest.fixture(scope="module")
def big() -> dict[str, Any]:
    return generated(1)


def test_generated_catalog_validates(validator: Draft202012Validator, big: dict[str, Any]) -> None:
    assert errors(validator, big) == []
    assert cross_reference_problems(big) == []


def test_generated_catalog_has_size_products_of_every_kind(big: dict[str, Any]) -> None:
    assert sum(len(g["products"]) for g in big["product_groups"]) == 1000
    assert {g["tracking_type"] for g in big["product_groups"]} == {"none", "bulk", "trackable"}
    assert {"key": "demo-api-key"} in big["api_keys"]
    trackable = {
        p["id"]
        for g in big["product_groups"]
        if g["tracking_type"] == "trackable"
        for p in g["products"]
    }
    assert trackable
    assert trackable <= {s["product_id"] for s in big["stock_items"]}
    assert big["customers"]
    assert big["bundles"]
    assert big["orders"]


def test_generator_is_deterministic(big: dict[str, Any]) -> None:
    assert json.dumps(generated(1)) == json.dumps(big)
    assert json.dumps(generated(2)) != json.dumps(big)


@pytest.mark.parametrize("size", [1, 2, 7])
def test_small_generated_catalogs_validate(validator: Draft202012Validator, size: int) -> None:
    doc = generated(3, size)
    assert errors(validator, doc) == []
    assert cross_reference_problems(doc) == []


# --- (d) broken documents ----------------------------------------------------------------------


def _first_group(doc: dict[str, Any]) -> dict[str, Any]:
    group: dict[str, Any] = doc["product_groups"][0]
    return group


BREAKAGES: dict[str, Breakage] = {
    "negative shortage_limit": lambda d: _first_group(d).update(shortage_limit=-1),
    "unknown tracking_type": lambda d: _first_group(d).update(tracking_type="x"),
    "missing tracking_type": lambda d: _first_group(d).pop("tracking_type"),
    "missing products": lambda d: _first_group(d).pop("products"),
    "missing api_keys": lambda d: d.pop("api_keys"),
    "missing customer email": lambda d: d["customers"][0].pop("email"),
    "negative stock_count": lambda d: _first_group(d)["products"][0].update(stock_count=-1),
    "string stock_count": lambda d: _first_group(d)["products"][0].update(stock_count="7"),
    "bad uuid": lambda d: d["stock_items"][0].update(id="not-a-uuid"),
    "upper-case uuid": lambda d: d["orders"][0].update(id=d["orders"][0]["id"].upper()),
    "unknown stock item status": lambda d: d["stock_items"][0].update(status="lost"),
    "unknown order status": lambda d: d["orders"][0].update(status="pending"),
    "unknown attribute": lambda d: _first_group(d).update(colour="red"),
    "unknown section": lambda d: d.update(webhooks=[]),
    "trackable flag mismatch": lambda d: _first_group(d).update(trackable=True),
    "two products without variations": lambda d: _first_group(d)["products"].append(
        copy.deepcopy(_first_group(d)["products"][0])
    ),
    "naive datetime": lambda d: d["orders"][0].update(starts_at="1980-04-01T12:00:00"),
    # An empty bundle is valid (the API makes bundles empty, then adds their items).
    "bundle without items": lambda d: d["bundles"][0].pop("bundle_items"),
}


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_broken_documents_are_rejected(
    validator: Draft202012Validator, fixture: dict[str, Any], name: str
) -> None:
    doc = copy.deepcopy(fixture)
    BREAKAGES[name](doc)
    assert errors(validator, doc) != []
