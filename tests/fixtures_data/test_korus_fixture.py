"""The Korus Ticket fixture: the bundled catalog, its schema, and the large-catalog generator."""

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
FIXTURE = ROOT / "fixtures" / "korus.json"
SCHEMA = ROOT / "schemas" / "fixtures" / "korus.schema.json"
SCHEMA_ID = "https://booking-sandbox.local/schemas/fixtures/korus.schema.json"
# Copies kept in tests/reference/ (a clean clone has no ../shared/reference): see its README.
SEEDS = Path(__file__).resolve().parents[1] / "reference" / "seeds"
SEED_FILES = ("000_c30f6d017c271c30.txt", "001_9ef3922700407667.txt")

# The book-a-ticket reservation was created at this instant (seed 001).
SEED_NOW = datetime(2025, 1, 29, 7, 55, 53, tzinfo=UTC)
DEMO_ORG = "0194abdc-3a79-7ec3-b1b9-a1f291de587d"
SEED_OFFER = "0194ac40-fda7-78c1-8fcb-26fc2df25894"
SEED_DAY_TICKET = "0194ac40-fda7-78c1-8fcb-26fc2e2612d4"
SEED_SESSION_TICKET = "7522b8de-37a2-458d-b099-6d515b0739be"
SEED_SESSION = "337177bc-e513-444f-bcee-49a3e25b48a3"
SEED_SEAT = {
    "seatNumber": "227",
    "level": "EST/INT-127-128-129-130-131",
    "row": "26",
    "stand": "EST",
    "stair": "131",
    "gate": "V",
}

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
UUID_RE = re.compile(rf"(?<![0-9a-f-]){UUID}(?![0-9a-f-])")
IRI_RE = re.compile(r"/(?:v1|validation_errors)/[^\s\"'`,)]+")
# Seed 000 lists response fields as "- `orders.id` (string)" followed by "Example: "<uuid>"".
FIELD_EXAMPLE_RE = re.compile(rf"`([\w.@]+)` \([^)]*\)\s*\n\s*Example: \"({UUID})\"")
# IRI segments naming fixture entities, and those naming things the sandbox creates at run time.
CATALOG_KINDS = {"catalogs", "organizations", "products", "offers", "tickets", "sessions", "events"}
RUNTIME_KINDS = {"reservations", "orders", "documents", "items", "validation_errors"}

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


@pytest.fixture(scope="module")
def seed_texts() -> list[str]:
    return [(SEEDS / name).read_text("utf-8") for name in SEED_FILES]


def make(seed: int, size: int = 1000, start: datetime = SEED_NOW) -> dict[str, Any]:
    return generate_documents(["korus"], size, seed, start)["korus"]


@pytest.fixture(scope="module")
def generated() -> dict[str, Any]:
    return make(42)


def errors(validator: Draft202012Validator, document: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(document)
    ]


def offers(doc: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for catalog in doc["catalogs"]:
        for offer in catalog["offers"]:
            yield catalog, offer


def tickets(doc: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for _, offer in offers(doc):
        yield from offer["tickets"]


def sessions(doc: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for ticket in tickets(doc):
        yield from ticket["sessions"]


def find(items: list[dict[str, Any]], id_: str) -> dict[str, Any] | None:
    return next((item for item in items if item["id"] == id_), None)


def cross_reference_problems(doc: dict[str, Any]) -> list[str]:
    """The rules the schema cannot state (the loader checks them too)."""
    problems: list[str] = []
    orgs = [o["id"] for o in doc["organizations"]]
    kinds: dict[str, list[str]] = {
        "organization": orgs,
        "clientId": [a["clientId"] for a in doc["serviceAccounts"]],
        "catalog": [c["id"] for c in doc["catalogs"]],
        "offer": [o["id"] for _, o in offers(doc)],
        "ticket": [t["id"] for t in tickets(doc)],
        "session": [s["id"] for s in sessions(doc)],
        "product": [p["id"] for c in doc["catalogs"] for p in c["products"]],
        "productBase": [b["id"] for c in doc["catalogs"] for b in c.get("productBases", [])],
    }
    for kind, ids in kinds.items():
        dupes = sorted(i for i, n in Counter(ids).items() if n > 1)
        if dupes:
            problems.append(f"duplicate {kind} ids {dupes}")
    for account in doc["serviceAccounts"]:
        if account["organization"] not in orgs:
            problems.append(f"account {account['clientId']}: unknown organization")
    for catalog in doc["catalogs"]:
        if catalog["organization"] not in orgs:
            problems.append(f"catalog {catalog['id']}: unknown organization")
        products = {p["id"] for p in catalog["products"]}
        bases = {b["id"] for b in catalog.get("productBases", [])}
        events = {e["id"] for e in catalog.get("events", [])}
        for product in catalog["products"]:
            if "productBase" in product and product["productBase"] not in bases:
                problems.append(f"product {product['id']}: product base not in its catalog")
        for offer in catalog["offers"]:
            if offer["product"] not in products:
                problems.append(f"offer {offer['id']}: product not in its catalog")
            for ticket in offer["tickets"]:
                for session in ticket["sessions"]:
                    where = f"session {session['id']}"
                    if "event" in session and session["event"] not in events:
                        problems.append(f"{where}: event not in its catalog")
                    if datetime.fromisoformat(session["endsAt"]) <= datetime.fromisoformat(
                        session["startsAt"]
                    ):
                        problems.append(f"{where}: endsAt not after startsAt")
                    numbers = [seat["seatNumber"] for seat in session["seats"]]
                    if len(set(numbers)) != len(numbers):
                        problems.append(f"{where}: duplicate seat numbers")
                    if len(numbers) > session["capacity"]:
                        problems.append(f"{where}: more named seats than capacity")
    return problems


# --- the bundled fixture ---------------------------------------------------------------------


def test_schema_is_draft_2020_12_with_its_id() -> None:
    schema = load(SCHEMA)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == SCHEMA_ID


def test_bundled_fixture_validates(
    validator: Draft202012Validator, fixture: dict[str, Any]
) -> None:
    assert errors(validator, fixture) == []


def test_bundled_fixture_is_pretty_printed_with_two_spaces() -> None:
    text = FIXTURE.read_text("utf-8")
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n"


def test_bundled_fixture_cross_references(fixture: dict[str, Any]) -> None:
    assert cross_reference_problems(fixture) == []


def test_service_accounts_isolate_organizations(fixture: dict[str, Any]) -> None:
    accounts = {a["clientId"]: a for a in fixture["serviceAccounts"]}
    assert accounts["demo-client"]["clientSecret"] == "demo-secret"
    assert accounts["demo-client"]["organization"] == DEMO_ORG
    other = accounts["other-client"]
    assert other["clientSecret"] == "other-secret"
    assert other["organization"] != DEMO_ORG
    owners = {c["organization"] for c in fixture["catalogs"]}
    assert {DEMO_ORG, other["organization"]} <= owners


def test_seed_offer_tickets_and_session(fixture: dict[str, Any]) -> None:
    offer = next(o for _, o in offers(fixture) if o["id"] == SEED_OFFER)
    assert offer["onSale"] is True
    assert (offer["unitAmountInclTax"], offer["unitAmountExclTax"]) == ("80.00", "75.83")
    day, seated = (
        find(offer["tickets"], SEED_DAY_TICKET),
        find(offer["tickets"], SEED_SESSION_TICKET),
    )
    assert day is not None
    assert seated is not None
    assert (day["sessions"], day["capacity"], day["dateAccess"]) == ([], 500, True)
    session = find(seated["sessions"], SEED_SESSION)
    assert session is not None
    assert session["startsAt"] == "2025-06-07T20:00:00+02:00"
    assert session["status"] == "open"
    assert SEED_SEAT in session["seats"]
    assert len(session["seats"]) > 1
    assert session["capacity"] >= len(session["seats"])


def test_fixture_has_the_edge_cases(fixture: dict[str, Any]) -> None:
    def starts(s: dict[str, Any]) -> datetime:
        return datetime.fromisoformat(s["startsAt"])

    all_sessions = list(sessions(fixture))
    assert any(
        s["capacity"] <= 2 and s["status"] == "open" and starts(s) > SEED_NOW for s in all_sessions
    )
    assert any(s["status"] == "closed" and starts(s) > SEED_NOW for s in all_sessions)
    assert any(s["status"] == "open" and starts(s) < SEED_NOW for s in all_sessions)
    assert any(not o["onSale"] for _, o in offers(fixture))


def seed_iris(texts: list[str]) -> list[list[tuple[str, str]]]:
    """Each IRI of the seeds as its (segment name, uuid) pairs, in path order."""
    chains = []
    for text in texts:
        for iri in IRI_RE.findall(text):
            parts = iri.split("/")
            pairs = [
                (parts[i - 1], part)
                for i, part in enumerate(parts)
                if i > 0 and UUID_RE.fullmatch(part)
            ]
            if pairs:
                chains.append(pairs)
    return chains


def test_every_seed_catalog_iri_resolves_in_the_fixture(
    fixture: dict[str, Any], seed_texts: list[str]
) -> None:
    missing = []
    checked = 0
    for chain in seed_iris(seed_texts):
        scope: dict[str, Any] | None = None
        for kind, id_ in chain:
            if kind not in CATALOG_KINDS:
                break
            checked += 1
            if kind == "organizations":
                found = find(fixture["organizations"], id_)
            elif kind == "catalogs":
                found = find(fixture["catalogs"], id_)
            elif scope is not None:
                # Offers and products in their catalog, tickets in their offer, and so on.
                found = find(scope.get(kind, []), id_)
            else:
                found = None
            if found is None:
                missing.append(f"{kind}/{id_} (in {'/'.join(f'{k}/{i}' for k, i in chain)})")
                break
            scope = found
    assert checked > 0
    assert missing == []


def test_every_seed_uuid_is_in_the_fixture_or_made_at_run_time(
    fixture: dict[str, Any], seed_texts: list[str]
) -> None:
    fixture_text = FIXTURE.read_text("utf-8")
    everything = {u for text in seed_texts for u in UUID_RE.findall(text)}
    catalog_side = {i for c in seed_iris(seed_texts) for k, i in c if k in CATALOG_KINDS}
    runtime = {i for c in seed_iris(seed_texts) for k, i in c if k in RUNTIME_KINDS}
    # Seed 000 documents the order response; its example ids are orders, items, issued tickets.
    for text in seed_texts:
        for field, id_ in FIELD_EXAMPLE_RE.findall(text):
            assert field.startswith("orders."), field
            runtime.add(id_)
    assert catalog_side <= {u for u in everything if u in fixture_text}
    unaccounted = everything - catalog_side - runtime
    assert unaccounted == set()
    # Seed 001's error code is not an entity id; the rest are reservations, orders, documents.
    assert "0194ac40-fda7-78c1-8fcb-26fc2df25894" in catalog_side
    assert "35e72d9b-0fdc-44e3-869c-e1781c14418e" in runtime


def test_seed_order_catalog_and_product(fixture: dict[str, Any]) -> None:
    catalog = find(fixture["catalogs"], "0194d07e-aa37-7171-820c-712e91552451")
    assert catalog is not None
    assert catalog["organization"] == DEMO_ORG
    assert find(catalog["products"], "0194abfe-1bdb-7b12-af59-ad81ae443689") is not None


# --- the generator ----------------------------------------------------------------------------


def test_generated_document_validates(
    validator: Draft202012Validator, generated: dict[str, Any]
) -> None:
    assert errors(validator, generated) == []
    assert cross_reference_problems(generated) == []


def test_generated_document_has_about_size_sessions(generated: dict[str, Any]) -> None:
    count = sum(1 for _ in sessions(generated))
    assert 950 <= count <= 1050
    assert len(generated["catalogs"]) > 1


def test_generated_sessions_start_after_start(generated: dict[str, Any]) -> None:
    assert all(datetime.fromisoformat(s["startsAt"]) > SEED_NOW for s in sessions(generated))


def test_generated_document_keeps_the_demo_account_and_seed_ids(
    generated: dict[str, Any],
) -> None:
    accounts = {a["clientId"]: a for a in generated["serviceAccounts"]}
    assert accounts["demo-client"]["clientSecret"] == "demo-secret"
    assert accounts["demo-client"]["organization"] == DEMO_ORG
    assert len(generated["organizations"]) >= 2
    offer = next(o for _, o in offers(generated) if o["id"] == SEED_OFFER)
    seated = find(offer["tickets"], SEED_SESSION_TICKET)
    assert seated is not None
    session = find(seated["sessions"], SEED_SESSION)
    assert session is not None
    assert session["startsAt"] == "2025-06-07T20:00:00+02:00"


def test_generate_is_deterministic_per_seed(generated: dict[str, Any]) -> None:
    assert make(42) == generated
    assert make(43) != generated


def test_generate_moves_the_seed_session_after_a_late_start(
    validator: Draft202012Validator,
) -> None:
    late = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
    doc = make(7, size=3, start=late)
    assert errors(validator, doc) == []
    assert sum(1 for _ in sessions(doc)) == 3
    assert all(datetime.fromisoformat(s["startsAt"]) > late for s in sessions(doc))


def test_generate_rejects_an_empty_size() -> None:
    with pytest.raises(ValueError, match="size"):
        make(1, size=0)


# --- the schema rejects broken documents ------------------------------------------------------


def first_session(doc: dict[str, Any]) -> dict[str, Any]:
    return next(sessions(doc))


def first_offer(doc: dict[str, Any]) -> dict[str, Any]:
    offer: dict[str, Any] = doc["catalogs"][0]["offers"][0]
    return offer


BREAKAGES: dict[str, Breakage] = {
    "negative session capacity": lambda d: first_session(d).update(capacity=-1),
    "negative ticket capacity": lambda d: first_offer(d)["tickets"][0].update(capacity=-1),
    "missing clientId": lambda d: d["serviceAccounts"][0].pop("clientId"),
    "missing organizations": lambda d: d.pop("organizations"),
    "money with one decimal": lambda d: first_offer(d).update(unitAmountInclTax="80.0"),
    "money as a number": lambda d: first_offer(d).update(unitAmountExclTax=75.83),
    "malformed uuid": lambda d: first_offer(d).update(id="not-a-uuid"),
    "upper-case uuid": lambda d: first_offer(d).update(id=SEED_OFFER.upper()),
    "hold of zero seconds": lambda d: d["catalogs"][0].update(reservationHoldSeconds=0),
    "missing hold": lambda d: d["catalogs"][0].pop("reservationHoldSeconds"),
    "unknown property": lambda d: first_offer(d).update(stock=3),
    "unknown session status": lambda d: first_session(d).update(status="sold_out"),
    "startsAt without offset": lambda d: first_session(d).update(startsAt="2025-06-07T20:00:00"),
    "startsAt as a date": lambda d: first_session(d).update(startsAt="2025-06-07"),
    "onSale as a string": lambda d: first_offer(d).update(onSale="yes"),
    "offer without tickets": lambda d: first_offer(d).update(tickets=[]),
    "day ticket with a session": lambda d: first_offer(d)["tickets"][0].update(
        sessions=[copy.deepcopy(first_session(d))]
    ),
    "session ticket without sessions": lambda d: first_offer(d)["tickets"][1].update(sessions=[]),
    "seat without a number": lambda d: first_session(d)["seats"][0].pop("seatNumber"),
    "bad namespace": lambda d: d["serviceAccounts"][0].update(namespace="no spaces"),
    "missing session seats": lambda d: first_session(d).pop("seats"),
}


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_schema_rejects_broken_documents(
    validator: Draft202012Validator, fixture: dict[str, Any], name: str
) -> None:
    doc = copy.deepcopy(fixture)
    BREAKAGES[name](doc)
    assert errors(validator, doc), f"{name} was accepted"


def test_schema_accepts_an_optional_namespace(
    validator: Draft202012Validator, fixture: dict[str, Any]
) -> None:
    doc = copy.deepcopy(fixture)
    doc["serviceAccounts"][0]["namespace"] = "ci-job-42"
    assert errors(validator, doc) == []
