"""The Pont Central fixture: the bundled catalog, its schema, and the large-catalog generator."""

from __future__ import annotations

import copy
import json
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from booking_sandbox.generate import generate_documents

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "fixtures" / "pontcentral.json"
SCHEMA = ROOT / "schemas" / "fixtures" / "pontcentral.schema.json"
SCHEMA_ID = "https://booking-sandbox.local/schemas/fixtures/pontcentral.schema.json"

# The sandbox clock the seed (seeds/002_97ac00095ecd9b5b.txt) is replayed at.
SEED_NOW = datetime(2026, 3, 20, 10, 0, tzinfo=UTC)
# The parts of the seed's create-booking request and response that the catalog must back.
SEED_PARTNER_ID = 42
SEED_PRODUCT = "TOUR-EIFFEL-SKIP-LINE"
SEED_RESERVATION = "2026-03-25T10:00:00"
SEED_QUANTITIES: list[dict[str, Any]] = [
    {"label": "adult", "quantity": 2, "price": 75},
    {"label": "child", "quantity": 1, "price": 40},
]
SEED_RESOURCE = {"code": "RES-EIFFEL-1000", "name": "Eiffel Tower 10AM Entry", "type": "ticket"}

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


def minutes(hhmm: str) -> int:
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)


def cross_reference_problems(doc: dict[str, Any]) -> list[str]:
    """What the JSON Schema cannot check; the loader enforces the same rules."""
    problems: list[str] = []
    for section, key in (
        ("partners", "id"),
        ("partners", "clientId"),
        ("resources", "id"),
        ("resources", "code"),
        ("products", "id"),
        ("products", "code"),
    ):
        dupes = [v for v, n in Counter(item[key] for item in doc[section]).items() if n > 1]
        if dupes:
            problems.append(f"duplicate {section} {key}: {dupes[:5]}")
    partners = {p["id"] for p in doc["partners"]}
    resources = {r["code"] for r in doc["resources"]}
    for product in doc["products"]:
        code = product["code"]
        if product["partnerId"] not in partners:
            problems.append(f"{code}: unknown partner {product['partnerId']}")
        schedule = product["schedule"]
        if schedule["startDate"] > schedule["endDate"]:
            problems.append(f"{code}: schedule ends before it starts")
        ZoneInfo(product["timezone"])
        if datetime.fromisoformat(product["createdAt"]) > datetime.fromisoformat(
            product["updatedAt"]
        ):
            problems.append(f"{code}: updatedAt before createdAt")
        labels = [p["label"] for p in product["prices"]]
        if len(set(labels)) != len(labels):
            problems.append(f"{code}: duplicate price labels")
        if len({p["currency"] for p in product["prices"]}) != 1:
            problems.append(f"{code}: mixed currencies")
        latest = max((minutes(t) for t in schedule["times"]), default=0)
        linked = [link["code"] for link in product["resources"]]
        if len(set(linked)) != len(linked):
            problems.append(f"{code}: a resource is linked twice")
        for link in product["resources"]:
            if link["code"] not in resources:
                problems.append(f"{code}: unknown resource {link['code']}")
            if link["timeOffsetStart"] >= link["timeOffsetEnd"]:
                problems.append(f"{code}: {link['code']} offsets do not form an interval")
            within_day = link["timeOffsetStart"] >= 0 and latest + link["timeOffsetEnd"] <= 24 * 60
            if link["sameDay"] and not within_day:
                problems.append(f"{code}: {link['code']} is sameDay but leaves the day")
    return problems


def in_schedule(product: dict[str, Any], local: datetime) -> bool:
    schedule = product["schedule"]
    day = local.date().isoformat()
    if not schedule["startDate"] <= day <= schedule["endDate"]:
        return False
    if local.isoweekday() not in schedule["weekdays"]:
        return False
    if product["allDay"]:
        return local.time() == datetime.min.time()
    return local.strftime("%H:%M") in schedule["times"]


def by_code(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["code"]: item for item in items}


def occupied(link: dict[str, Any], hhmm: str) -> tuple[int, int]:
    start = minutes(hhmm)
    return start + link["timeOffsetStart"], start + link["timeOffsetEnd"]


def generate(seed: int, size: int, start: datetime) -> dict[str, Any]:
    return generate_documents(["pontcentral"], size, seed, start)["pontcentral"]


# ----- (a) the bundled fixture -------------------------------------------------------------


def test_schema_identity() -> None:
    schema = load(SCHEMA)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID


def test_bundled_fixture_validates(
    validator: Draft202012Validator, fixture: dict[str, Any]
) -> None:
    assert errors(validator, fixture) == []
    assert cross_reference_problems(fixture) == []


def test_bundled_fixture_is_pretty_printed(fixture: dict[str, Any]) -> None:
    text = FIXTURE.read_text("utf-8")
    assert text == json.dumps(fixture, indent=2, ensure_ascii=False) + "\n"


def test_bundled_fixture_loads_through_the_loader(tmp_path: Path) -> None:
    from booking_sandbox.core.fixtures import load_fixtures

    # Only this section: the other vendors' fixtures are not this test's business.
    (tmp_path / FIXTURE.name).write_text(FIXTURE.read_text("utf-8"), "utf-8")
    loaded = load_fixtures(tmp_path, ROOT / "schemas")
    assert loaded.sections == ["pontcentral"]


# ----- (b) the seed's create-booking example ----------------------------------------------


def test_seed_partner_credentials(fixture: dict[str, Any]) -> None:
    partner = next(p for p in fixture["partners"] if p["id"] == SEED_PARTNER_ID)
    assert (partner["clientId"], partner["clientSecret"]) == ("demo-partner", "demo-secret")
    assert partner["active"] is True
    # Without a namespace binding the demo credential works in the default namespace.
    assert "namespace" not in partner


def test_seed_request_is_bookable(fixture: dict[str, Any]) -> None:
    product = by_code(fixture["products"])[SEED_PRODUCT]
    assert product["partnerId"] == SEED_PARTNER_ID
    assert product["active"] is True
    assert product["allDay"] is False

    local = datetime.fromisoformat(SEED_RESERVATION).replace(tzinfo=ZoneInfo(product["timezone"]))
    assert in_schedule(product, local)
    assert local > SEED_NOW, "the seed's slot must lie in the future of the sandbox clock"

    prices = {p["label"]: (p["price"], p["currency"]) for p in product["prices"]}
    for line in SEED_QUANTITIES:
        assert prices[line["label"]] == (line["price"], "EUR")

    primary = [link for link in product["resources"] if link["isPrimary"]]
    assert [link["code"] for link in primary] == [SEED_RESOURCE["code"]]
    resource = by_code(fixture["resources"])[SEED_RESOURCE["code"]]
    assert {k: resource[k] for k in ("code", "name", "type")} == SEED_RESOURCE
    assert resource.get("active", True) is True
    assert resource["capacity"] >= sum(line["quantity"] for line in SEED_QUANTITIES)


def test_seed_partner_does_not_own_other_partners_products(fixture: dict[str, Any]) -> None:
    others = [p for p in fixture["products"] if p["partnerId"] != SEED_PARTNER_ID]
    assert others
    assert all(p["code"] != SEED_PRODUCT for p in others)


# ----- the scenarios the default catalog promises ------------------------------------------


def test_second_active_partner_and_inactive_partner(fixture: dict[str, Any]) -> None:
    partners = {p["clientId"]: p for p in fixture["partners"]}
    other = partners["other-partner"]
    assert other["clientSecret"] == "other-secret"
    assert other["active"] is True
    assert any(p["partnerId"] == other["id"] and p["active"] for p in fixture["products"])
    assert any(not p["active"] for p in fixture["partners"])


def test_inactive_and_all_day_products(fixture: dict[str, Any]) -> None:
    products = fixture["products"]
    assert any(not p["active"] and p["partnerId"] == SEED_PARTNER_ID for p in products)
    all_day = [p for p in products if p["allDay"] and p["active"]]
    assert all_day
    assert all(p["schedule"]["times"] == [] for p in all_day)


def test_a_shared_guide_blocks_overlapping_slots(fixture: dict[str, Any]) -> None:
    # One guide (a group of up to 15) serves two tours: their slots overlap, so they compete.
    resources = by_code(fixture["resources"])
    found = False
    for code, resource in resources.items():
        if resource["type"] != "guide":
            continue
        users = [
            (p, link)
            for p in fixture["products"]
            if p["active"]
            for link in p["resources"]
            if link["code"] == code
        ]
        pairs = [(a, b) for i, a in enumerate(users) for b in users[i + 1 :] if a[0] is not b[0]]
        for (pa, la), (pb, lb) in pairs:
            for ta in pa["schedule"]["times"]:
                for tb in pb["schedule"]["times"]:
                    a0, a1 = occupied(la, ta)
                    b0, b1 = occupied(lb, tb)
                    if a0 < b1 and b0 < a1:
                        found = True
    assert found, "no two products share a guide over overlapping slots"


def test_small_capacity_resource_for_sell_out(fixture: dict[str, Any]) -> None:
    small = {r["code"] for r in fixture["resources"] if r["capacity"] == 2}
    assert any(
        p["active"] and link["isPrimary"] and link["code"] in small
        for p in fixture["products"]
        for link in p["resources"]
    )


def test_product_carries_every_field_the_reference_shows(fixture: dict[str, Any]) -> None:
    # product list/detail: id, name, productCode, description, prices, status, resources[] with
    # id, name, type, isPrimary, sameDay, timeOffsetStart, timeOffsetEnd.
    product = by_code(fixture["products"])["PROD-001"]
    assert product["id"] == 1
    assert product["name"] == "Eiffel Tower Tour"
    assert product["description"]
    assert {p["label"]: p["price"] for p in product["prices"]} == {
        "adult": 45,
        "child": 25,
        "senior": 35,
    }
    resources = by_code(fixture["resources"])
    detail = [
        {**{k: resources[link["code"]][k] for k in ("id", "name", "type")}, **link}
        for link in product["resources"]
    ]
    assert [
        (d["id"], d["name"], d["type"], d["isPrimary"], d["timeOffsetStart"], d["timeOffsetEnd"])
        for d in detail
    ] == [
        (10, "Tour Guide - English", "guide", True, 0, 120),
        (11, "Eiffel Tower Entrance", "venue", False, 30, 90),
    ]


# ----- (c) the generator -------------------------------------------------------------------


@pytest.fixture(scope="module")
def generated() -> dict[str, Any]:
    return generate(7, 1000, SEED_NOW)


def test_generated_catalog_validates(
    validator: Draft202012Validator, generated: dict[str, Any]
) -> None:
    assert errors(validator, generated) == []
    assert cross_reference_problems(generated) == []


def test_generated_catalog_shape(generated: dict[str, Any]) -> None:
    assert 900 <= len(generated["products"]) <= 1100
    partners = {p["id"]: p for p in generated["partners"]}
    assert partners[SEED_PARTNER_ID]["clientId"] == "demo-partner"
    assert len(partners) >= 3
    owners = Counter(p["partnerId"] for p in generated["products"])
    assert owners[SEED_PARTNER_ID] > len(generated["products"]) // 2
    assert len(owners) >= 3
    # Some resources are linked by more than one product.
    links = Counter(link["code"] for p in generated["products"] for link in p["resources"])
    assert any(n > 1 for n in links.values())
    start = SEED_NOW.date().isoformat()
    assert all(p["schedule"]["startDate"] == start for p in generated["products"])
    assert any(p["allDay"] for p in generated["products"])
    assert any(not p["active"] for p in generated["products"])


def test_generated_catalog_backs_the_seed(generated: dict[str, Any]) -> None:
    product = by_code(generated["products"])[SEED_PRODUCT]
    local = datetime.fromisoformat(SEED_RESERVATION).replace(tzinfo=ZoneInfo(product["timezone"]))
    assert in_schedule(product, local)
    assert by_code(generated["resources"])[SEED_RESOURCE["code"]]["name"] == SEED_RESOURCE["name"]


def test_generator_is_deterministic(generated: dict[str, Any]) -> None:
    again = generate(7, 1000, SEED_NOW)
    assert json.dumps(again) == json.dumps(generated)


def test_generator_depends_on_the_seed(generated: dict[str, Any]) -> None:
    other = generate(8, 1000, SEED_NOW)
    assert json.dumps(other) != json.dumps(generated)


def test_generator_small_sizes_and_naive_start(validator: Draft202012Validator) -> None:
    for size in (1, 2, 25):
        doc = generate(1, size, datetime(2027, 1, 1))
        assert errors(validator, doc) == []
        assert cross_reference_problems(doc) == []
        assert doc["products"][0]["schedule"]["startDate"] == date(2027, 1, 1).isoformat()


def test_generator_rejects_empty_size() -> None:
    with pytest.raises(ValueError, match="size"):
        generate(1, 0, SEED_NOW)


# ----- (d) broken documents ---------------------------------------------------------------


def _product(doc: dict[str, Any], code: str = SEED_PRODUCT) -> dict[str, Any]:
    return by_code(doc["products"])[code]


def _negative_capacity(doc: dict[str, Any]) -> None:
    doc["resources"][0]["capacity"] = -1


def _weekday_eight(doc: dict[str, Any]) -> None:
    _product(doc)["schedule"]["weekdays"].append(8)


def _missing_client_id(doc: dict[str, Any]) -> None:
    del doc["partners"][0]["clientId"]


def _repeated_weekday(doc: dict[str, Any]) -> None:
    _product(doc)["schedule"]["weekdays"] = [1, 1]


def _bad_time(doc: dict[str, Any]) -> None:
    _product(doc)["schedule"]["times"] = ["25:00"]


def _impossible_date(doc: dict[str, Any]) -> None:
    _product(doc)["schedule"]["endDate"] = "2026-02-30"


def _all_day_with_times(doc: dict[str, Any]) -> None:
    _product(doc)["allDay"] = True


def _timed_without_times(doc: dict[str, Any]) -> None:
    _product(doc)["schedule"]["times"] = []


def _two_primaries(doc: dict[str, Any]) -> None:
    _product(doc, "PROD-001")["resources"][1]["isPrimary"] = True


def _no_primary(doc: dict[str, Any]) -> None:
    _product(doc)["resources"][0]["isPrimary"] = False


def _unknown_field(doc: dict[str, Any]) -> None:
    _product(doc)["resources"][0]["offsetUnit"] = "minutes"


def _string_partner_id(doc: dict[str, Any]) -> None:
    _product(doc)["partnerId"] = "42"


def _negative_price(doc: dict[str, Any]) -> None:
    _product(doc)["prices"][0]["price"] = -1


def _bad_namespace(doc: dict[str, Any]) -> None:
    doc["partners"][0]["namespace"] = "has space"


def _fractional_capacity(doc: dict[str, Any]) -> None:
    doc["resources"][0]["capacity"] = 1.5


def _timestamp_without_offset(doc: dict[str, Any]) -> None:
    _product(doc)["createdAt"] = "2026-01-10T08:00:00"


BREAKAGES: list[Breakage] = [
    _negative_capacity,
    _weekday_eight,
    _missing_client_id,
    _repeated_weekday,
    _bad_time,
    _impossible_date,
    _all_day_with_times,
    _timed_without_times,
    _two_primaries,
    _no_primary,
    _unknown_field,
    _string_partner_id,
    _negative_price,
    _bad_namespace,
    _fractional_capacity,
    _timestamp_without_offset,
]


@pytest.mark.parametrize("breakage", BREAKAGES, ids=lambda f: f.__name__.lstrip("_"))
def test_broken_documents_are_rejected(
    validator: Draft202012Validator, fixture: dict[str, Any], breakage: Breakage
) -> None:
    doc = copy.deepcopy(fixture)
    breakage(doc)
    assert errors(validator, doc) != []


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        (_negative_capacity, ("resources/0/capacity", "less than the minimum of 0")),
        (_weekday_eight, ("schedule/weekdays/7", "8 is greater than the maximum of 7")),
        (_missing_client_id, ("partners/0", "'clientId' is a required property")),
    ],
    ids=["capacity", "weekday", "clientId"],
)
def test_broken_documents_name_the_problem(
    validator: Draft202012Validator,
    fixture: dict[str, Any],
    breakage: Breakage,
    expected: tuple[str, str],
) -> None:
    doc = copy.deepcopy(fixture)
    breakage(doc)
    path, message = expected
    assert any(path in line and message in line for line in errors(validator, doc))
