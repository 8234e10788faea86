"""Korus offers: products, offers (filters, price, live availability), tickets and sessions.

Expectations are read from fixtures/korus.json where they depend on its contents, and pinned
where the how-tos fix them (the seed offer, its tickets and session).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.settings import Settings
from booking_sandbox.engine import Line
from booking_sandbox.timefmt import format_instant, parse_instant
from booking_sandbox.vendors.korus.offer_views import Texts
from booking_sandbox.vendors.korus.offers import php_date
from booking_sandbox.vendors.korus.pools import session_pool, ticket_pool
from tests.conftest import ROOT, START, Api
from tests.korus.conftest import Client, login
from tests.korus.test_auth_and_catalogs import DEMO_ORG_CATALOG, OTHER_ORG_CATALOG

Record = dict[str, Any]
FIXTURE: Record = json.loads((ROOT / "fixtures" / "korus.json").read_text(encoding="utf-8"))
CATALOG: Record = next(c for c in FIXTURE["catalogs"] if c["id"] == DEMO_ORG_CATALOG)
ON_SALE: list[Record] = [o for o in CATALOG["offers"] if o["onSale"]]
NOW = parse_instant(START)

C = f"/v1/ticketing/catalogs/{DEMO_ORG_CATALOG}"
# The book-a-ticket how-to's offer, tickets and session (§5.1).
SEED_OFFER = "0194ac40-fda7-78c1-8fcb-26fc2df25894"
DAY_TICKET = "0194ac40-fda7-78c1-8fcb-26fc2e2612d4"
SESSION_TICKET = "7522b8de-37a2-458d-b099-6d515b0739be"
SEED_SESSION = "337177bc-e513-444f-bcee-49a3e25b48a3"
SEASON_OFFER = "0194ac41-0a1b-7c2d-9e3f-4a5b6c7d8e90"  # dateless, sessions open/closed/past
SEASON_TICKET = "0194ac41-0a1b-7c2d-9e3f-4a5b6c7d8e91"
OFF_SALE = "0194ac41-0a1b-7c2d-9e3f-4a5b6c7d8ea0"
BILLETTERIE = "0194abfe-1bc8-7e21-8d0a-3f5c7b9e2a41"
GRAND_PUBLIC_OFFER = "0194d07e-ab12-7d4e-9a31-6f2b8c0d4e57"  # same organization, other catalog
BILLETTERIE_PRODUCTS = {p["id"] for p in CATALOG["products"] if p.get("productBase") == BILLETTERIE}
GENID = re.compile(r"/\.well-known/genid/[0-9a-f]{20}")

OFFER_KEYS = [
    "@id",
    "@type",
    "id",
    "date",
    "availabilityCheckRequired",
    "realtimePriceRequired",
    "price",
    "product",
    "tickets",
    "availableQuantity",
]
TICKET_KEYS = [
    "@id",
    "@type",
    "id",
    "name",
    "description",
    "dateAccess",
    "form",
    "requiredBeneficiaryFields",
    "beneficiaryDesignationDeadline",
    "beneficiaryAmendable",
]
SESSION_KEYS = ["@id", "@type", "id", "startsAt", "endsAt", "status", "availableQuantity"]


@pytest.fixture
def korus(api: Api) -> Client:
    """The demo service account, as the catalog tests' fixture of the same name."""
    return Client(api, login(api)["access_token"])


def offer(offer_id: str) -> Record:
    return next(o for o in CATALOG["offers"] if o["id"] == offer_id)


def ticket(offer_id: str, ticket_id: str) -> Record:
    return next(t for t in offer(offer_id)["tickets"] if t["id"] == ticket_id)


def bookable(session: Record) -> bool:
    return bool(session["status"] == "open" and parse_instant(session["startsAt"]) > NOW)


def free(session: Record) -> int:
    return int(session["capacity"]) if bookable(session) else 0


def by_start(sessions: list[Record]) -> list[Record]:
    return sorted(sessions, key=lambda s: parse_instant(s["startsAt"]))


def ids(document: Record) -> list[str]:
    return [m["id"] for m in document["member"]]


def ok(korus: Client, path: str, **kwargs: Any) -> Record:
    response = korus.get(path, **kwargs)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/ld+json; charset=utf-8"
    body: Record = response.json()
    return body


# ----- products ------------------------------------------------------------------------------


def test_products_of_a_product_base(korus: Client) -> None:
    path = f"{C}/product_bases/{BILLETTERIE}/products"
    body = ok(korus, path)
    assert list(body) == ["@context", "@id", "@type", "totalItems", "member", "search"]
    assert (body["@context"], body["@id"]) == ("/contexts/TicketingProduct", path)
    wanted = [p for p in CATALOG["products"] if p.get("productBase") == BILLETTERIE]
    assert ids(body) == [p["id"] for p in wanted]
    assert body["totalItems"] == len(wanted)
    first = body["member"][0]
    # No optionValues: no Korus rendering shows it on a product.
    assert list(first) == ["@id", "@type", "id", "name", "description", "disabled"]
    assert first == {
        # The IRI reservations print in their `product` field (§5.1).
        "@id": f"{C}/products/0194abfe-1c04-7ade-9bc3-dbcfefb12652",
        "@type": "TicketingProduct",
        "id": "0194abfe-1c04-7ade-9bc3-dbcfefb12652",
        "name": wanted[0]["name"],
        "description": wanted[0]["description"],
        "disabled": False,
    }
    assert body["search"]["template"] == f"{path}{{?}}"


# ----- offers --------------------------------------------------------------------------------


def test_offer_collection_lists_offers_on_sale(korus: Client) -> None:
    body = ok(korus, f"{C}/offers")
    assert list(body) == ["@context", "@id", "@type", "totalItems", "member", "search"]
    assert (body["@context"], body["@id"], body["@type"]) == (
        "/contexts/TicketingOffer",
        f"{C}/offers",
        "Collection",
    )
    assert ids(body) == [o["id"] for o in ON_SALE]
    assert OFF_SALE not in ids(body)
    assert body["totalItems"] == len(ON_SALE)
    for member in body["member"]:
        assert list(member) == OFFER_KEYS
        assert list(member["price"]) == [
            "@type",
            "@id",
            "amountInclTax",
            "originalAmountInclTax",
            "currency",
        ]
        assert list(member["product"]) == ["@type", "@id", "name", "description", "disabled"]
        for embedded in [member["price"], member["product"], *member["tickets"]]:
            assert GENID.fullmatch(embedded["@id"])
        assert all(list(t) == ["@type", "@id", "dateAccess", "form"] for t in member["tickets"])
    genids = [e["@id"] for m in body["member"] for e in [m["price"], m["product"], *m["tickets"]]]
    assert len(set(genids)) == len(genids)


def test_seed_offer_member(korus: Client) -> None:
    member = next(m for m in ok(korus, f"{C}/offers")["member"] if m["id"] == SEED_OFFER)
    seed = offer(SEED_OFFER)
    day, cinescenie = seed["tickets"]
    assert member["@id"] == f"{C}/offers/{SEED_OFFER}"
    assert member["@type"] == "TicketingOffer"
    assert (member["date"], member["availabilityCheckRequired"]) == ("2025-06-07", True)
    assert member["realtimePriceRequired"] is False
    price = {k: v for k, v in member["price"].items() if k != "@id"}
    assert price == {
        "@type": "OfferPrice",
        "amountInclTax": "80.00",  # money stays a string
        "originalAmountInclTax": None,  # nulls are written
        "currency": "eur",
    }
    assert member["product"]["@type"] == "OfferProduct"
    assert member["product"]["name"] == "Grand Parc + Cinéscénie - Adulte"
    assert [(t["@type"], t["dateAccess"], t["form"]) for t in member["tickets"]] == [
        ("OfferTicket", True, None),
        ("OfferTicket", False, None),
    ]
    # The fewest places over its tickets: the day ticket's pool, the sum of open sessions.
    sessions = sum(free(s) for s in cinescenie["sessions"])
    assert member["availableQuantity"] == min(day["capacity"], sessions)


def test_offer_item(korus: Client) -> None:
    body = ok(korus, f"{C}/offers/{SEED_OFFER}")
    assert list(body) == ["@context", *OFFER_KEYS]
    assert body["@context"] == "/contexts/TicketingOffer"
    member = next(m for m in ok(korus, f"{C}/offers")["member"] if m["id"] == SEED_OFFER)

    def without_genids(document: Record) -> Record:
        text = GENID.sub("genid", json.dumps(document))
        found: Record = json.loads(text)
        return found

    assert without_genids({"@context": body["@context"], **member}) == without_genids(body)


def test_price_is_the_how_to_example_for_the_seed_offer(korus: Client) -> None:
    """The real-time price how-to's body (§4.4) with this offer's id and amounts."""
    response = korus.get(f"{C}/offers/{SEED_OFFER}/price")
    assert response.status_code == 200
    assert response.content == (
        b'{"@context":"\\/contexts\\/TicketingOffer","@id":"\\/v1\\/ticketing\\/catalogs\\/'
        b"0194abdc-3a71-72b0-a9b9-89d4be0cd73e\\/offers\\/0194ac40-fda7-78c1-8fcb-26fc2df25894"
        b'\\/price","@type":"TicketingOffer","amountInclTax":"80.00","amountExclTax":"75.83",'
        b'"currency":"eur"}'
    )
    how_to = ["@context", "@id", "@type", "amountInclTax", "amountExclTax", "currency"]
    assert list(response.json()) == how_to
    dynamic = offer("0194ac41-0a1b-7c2d-9e3f-4a5b6c7d8eb0")
    other = ok(korus, f"{C}/offers/{dynamic['id']}/price")
    assert (other["amountInclTax"], other["amountExclTax"]) == (
        dynamic["unitAmountInclTax"],
        dynamic["unitAmountExclTax"],
    )


def test_availability_of_the_seed_offer(korus: Client) -> None:
    body = ok(korus, f"{C}/offers/{SEED_OFFER}/availability")
    assert list(body) == [
        "@context",
        "@id",
        "@type",
        "availableQuantity",
        "sessionsAvailability",
    ]
    assert body["@context"] == "/contexts/TicketingOfferAvailability"
    assert body["@id"] == f"{C}/offers/{SEED_OFFER}/availability"
    assert body["@type"] == "TicketingOfferAvailability"
    session = ticket(SEED_OFFER, SESSION_TICKET)["sessions"][0]
    assert body["availableQuantity"] == min(
        ticket(SEED_OFFER, DAY_TICKET)["capacity"], session["capacity"]
    )
    [entry] = body["sessionsAvailability"]
    assert list(entry) == ["@type", "@id", "session", "availableQuantity"]
    assert entry["@type"] == "SessionAvailability"
    assert GENID.fullmatch(entry["@id"])
    # The new-model session IRI of the availability how-to's demo variant (§4.5).
    assert entry["session"] == (
        f"{C}/offers/{SEED_OFFER}/tickets/{SESSION_TICKET}/sessions/{SEED_SESSION}"
    )
    assert entry["availableQuantity"] == session["capacity"]


def test_availability_counts_open_sessions_that_have_not_started(korus: Client) -> None:
    body = ok(korus, f"{C}/offers/{SEASON_OFFER}/availability")
    sessions = by_start(ticket(SEASON_OFFER, SEASON_TICKET)["sessions"])
    assert any(not bookable(s) for s in sessions)  # a closed and a past open session
    open_ = [s for s in sessions if bookable(s)]
    assert [e["session"].rsplit("/", 1)[1] for e in body["sessionsAvailability"]] == [
        s["id"] for s in open_
    ]
    assert [e["availableQuantity"] for e in body["sessionsAvailability"]] == [
        s["capacity"] for s in open_
    ]
    assert body["availableQuantity"] == sum(s["capacity"] for s in open_)
    listed = next(m for m in ok(korus, f"{C}/offers")["member"] if m["id"] == SEASON_OFFER)
    assert listed["availableQuantity"] == body["availableQuantity"]


def _hold(api: Api, pool: str, quantity: int) -> None:
    """A 15-minute hold put straight into the engine through the control plane's state."""
    state = api.get("/_sandbox/state").json()
    state["inventory"]["allocations"].append(
        {
            "id": "alloc-9001",
            "pool": pool,
            "quantity": quantity,
            "units": [],
            "status": "held",
            "owner": "test",
            "created_at": START,
            "interval": None,
            "held_until": format_instant(NOW + timedelta(minutes=15)),
        }
    )
    response = api.request("PUT", "/_sandbox/state", json=state)
    assert response.status_code == 200, response.text


def test_availability_is_live(korus: Client, api: Api) -> None:
    before = ok(korus, f"{C}/offers/{SEED_OFFER}/availability")
    _hold(api, session_pool(SEED_SESSION), 3)
    after = ok(korus, f"{C}/offers/{SEED_OFFER}/availability")
    assert after["availableQuantity"] == before["availableQuantity"] - 3
    assert after["sessionsAvailability"][0]["availableQuantity"] == (
        before["sessionsAvailability"][0]["availableQuantity"] - 3
    )
    sessions = ok(korus, f"{C}/offers/{SEED_OFFER}/tickets/{SESSION_TICKET}/sessions")
    assert (
        sessions["member"][0]["availableQuantity"]
        == ticket(SEED_OFFER, SESSION_TICKET)["sessions"][0]["capacity"] - 3
    )
    listed = next(m for m in ok(korus, f"{C}/offers")["member"] if m["id"] == SEED_OFFER)
    assert listed["availableQuantity"] == after["availableQuantity"]
    # The hold expires by itself: its places come back.
    api.post("/_sandbox/clock/advance", json={"seconds": 15 * 60 + 1})
    again = ok(korus, f"{C}/offers/{SEED_OFFER}/availability")
    assert again["availableQuantity"] == before["availableQuantity"]


def test_engine_allocations_show_at_once() -> None:
    """In-process: allocate through the namespace's own inventory, read it over HTTP."""
    app = create_app(Settings(start_time=NOW))
    with TestClient(app) as client:
        api = Api(client, "offers-engine")
        korus = Client(api, login(api)["access_token"])
        inventory = app.state.sandbox.namespaces.get("offers-engine").inventory
        day_capacity = ticket(SEED_OFFER, DAY_TICKET)["capacity"]
        inventory.allocate(
            [
                Line(session_pool(SEED_SESSION), 3),
                Line(ticket_pool(SEED_OFFER, DAY_TICKET), day_capacity - 1),
            ],
            owner="test",
        )
        body = ok(korus, f"{C}/offers/{SEED_OFFER}/availability")
        assert body["availableQuantity"] == 1  # the day ticket is now the scarcest
        session = ticket(SEED_OFFER, SESSION_TICKET)["sessions"][0]
        assert body["sessionsAvailability"][0]["availableQuantity"] == session["capacity"] - 3


def test_blank_node_ids_are_seeded() -> None:
    """The same requests on the same seed give the same bytes, genids included."""

    def offers_bytes() -> bytes:
        with TestClient(create_app(Settings(start_time=NOW))) as client:
            api = Api(client, "offers-seeded")
            korus = Client(api, login(api)["access_token"])
            return korus.get(f"{C}/offers").content + korus.get(f"{C}/offers").content

    first = offers_bytes()
    assert first == offers_bytes()
    assert len(set(GENID.findall(first.decode().replace("\\/", "/")))) > 1


# ----- offer filters -------------------------------------------------------------------------

Keep = Callable[[Record], bool]


def dated(test: Callable[[str], bool]) -> Keep:
    """An offer kept by a date bound: dated (SQL NULL never matches) and within it."""
    return lambda o: o["date"] is not None and test(o["date"])


@pytest.mark.parametrize(
    ("query", "keep"),
    [
        ("date[after]=2025-06-07", dated(lambda d: d >= "2025-06-07")),
        ("date[strictly_after]=2025-06-06", dated(lambda d: d > "2025-06-06")),
        ("date[strictly_after]=2025-06-07", dated(lambda d: d > "2025-06-07")),
        ("date[before]=2025-06-07", dated(lambda d: d <= "2025-06-07")),
        ("date[strictly_before]=2025-06-07", dated(lambda d: d < "2025-06-07")),
        ("date[after]=2025-06-01&date[before]=2025-06-30", dated(lambda d: "2025-06" in d)),
        # The date part as written, whatever the time and offset.
        ("date[before]=2025-06-07T23:59:59%2B02:00", dated(lambda d: d <= "2025-06-07")),
        # PHP's overflow: day 0 of June is May 31.
        ("date[before]=2025-06-00", dated(lambda d: d <= "2025-05-31")),
        # DateFilter ignores what `new \DateTime()` refuses, and non-string values.
        ("date[after]=garbage", lambda o: True),
        ("date[after]=2025-13-01", lambda o: True),
        ("date[after][]=2025-06-08", lambda o: True),
        ("productBaseId=" + BILLETTERIE, lambda o: o["product"] in BILLETTERIE_PRODUCTS),
        ("productBaseId=nope", lambda o: False),
        ("product[]=0194abfe-1c07-74b2-8f1d-0c6e3a9b5d28", lambda o: o["id"] == SEASON_OFFER),
        (
            f"product[]={C}/products/0194abfe-1c04-7ade-9bc3-dbcfefb12652"
            "&product[]=0194abfe-1c07-74b2-8f1d-0c6e3a9b5d28",
            lambda o: o["id"] in (SEED_OFFER, SEASON_OFFER),
        ),
        (
            "product[]=/v1/ticketing/catalogs/x/products/0194abfe-1c04-7ade-9bc3-dbcfefb12652",
            lambda o: False,
        ),
        ("session=" + SEED_SESSION, lambda o: o["id"] == SEED_OFFER),
        (
            f"session={C}/offers/{SEED_OFFER}/tickets/{SESSION_TICKET}/sessions/{SEED_SESSION}",
            lambda o: o["id"] == SEED_OFFER,
        ),
        ("session=nope", lambda o: False),
    ],
)
def test_offer_filters(korus: Client, query: str, keep: Keep) -> None:
    body = ok(korus, f"{C}/offers?{query}")
    assert ids(body) == [o["id"] for o in ON_SALE if keep(o)]
    assert body["totalItems"] == len(body["member"])
    assert "view" in body  # a query other than `page` gives a view


def test_date_bounds_exclude_dateless_offers(korus: Client) -> None:
    assert SEASON_OFFER in ids(ok(korus, f"{C}/offers"))
    assert SEASON_OFFER not in ids(ok(korus, f"{C}/offers?date[after]=2000-01-01"))


def _ordered(descending: bool) -> list[str]:
    """PostgreSQL order: dateless offers last ascending, first descending; ties stay put."""
    with_date = sorted((o for o in ON_SALE if o["date"]), key=lambda o: str(o["date"]))
    if descending:
        with_date = sorted(with_date, key=lambda o: str(o["date"]), reverse=True)
    without = [o for o in ON_SALE if not o["date"]]
    ordered = without + with_date if descending else with_date + without
    return [o["id"] for o in ordered]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("asc", _ordered(descending=False)),
        ("desc", _ordered(descending=True)),
        ("DESC", _ordered(descending=True)),
        ("sideways", [o["id"] for o in ON_SALE]),  # OrderFilter ignores it
    ],
)
def test_offer_order(korus: Client, value: str, expected: list[str]) -> None:
    assert ids(ok(korus, f"{C}/offers", params={"order[date]": value})) == expected


def test_offer_search_and_view(korus: Client) -> None:
    body = ok(korus, f"{C}/offers?order[date]=desc&date[after]=2025-06-01")
    assert body["view"] == {
        "@id": f"{C}/offers?date%5Bafter%5D=2025-06-01&order%5Bdate%5D=desc",
        "@type": "PartialCollectionView",
    }
    variables = [
        "order[date]",
        "date[after]",
        "date[strictly_after]",
        "date[before]",
        "date[strictly_before]",
        "product[]",
        "productBaseId",
        "session",
        "optionValuesContext[]",
    ]
    assert body["search"] == {
        "@type": "IriTemplate",
        "template": f"{C}/offers{{?{','.join(variables)}}}",
        "variableRepresentation": "BasicRepresentation",
        "mapping": [
            {
                "@type": "IriTemplateMapping",
                "variable": variable,
                "property": property_,
                "required": False,
            }
            for variable, property_ in zip(
                variables, ["date"] * 5 + ["product", None, None, None], strict=True
            )
        ],
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-06-07", date(2025, 6, 7)),
        ("2025-6-7", date(2025, 6, 7)),
        (" 2025-06-07 ", date(2025, 6, 7)),
        ("2025-02-30", date(2025, 3, 2)),
        ("2025-00-10", date(2024, 12, 10)),
        ("2025-06-07T23:30:00+02:00", date(2025, 6, 7)),
        ("2025-06-07 10:00", date(2025, 6, 7)),
        ("2025-06-07T24:00", date(2025, 6, 8)),
        ("", date(2025, 1, 29)),
        ("now", date(2025, 1, 29)),
        ("Tomorrow", date(2025, 1, 30)),
        ("yesterday", date(2025, 1, 28)),
        ("garbage", None),
        ("2025-13-01", None),
        ("2025-06-32", None),
        ("2025-06-07T25:00", None),
        ("07/06/2025", None),
        ("\u0662\u0660\u0662\u0665-06-07", None),  # Arabic-Indic digits
    ],
)
def test_php_dates(text: str, expected: date | None) -> None:
    assert php_date(text, date(2025, 1, 29)) == expected


# ----- pagination ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "total"),
    [
        (f"{C}/offers", len(ON_SALE)),
        (f"{C}/product_bases/{BILLETTERIE}/products", 3),
        (f"{C}/offers/{SEED_OFFER}/tickets", 2),
        (
            f"{C}/offers/{SEASON_OFFER}/tickets/{SEASON_TICKET}/sessions",
            len(ticket(SEASON_OFFER, SEASON_TICKET)["sessions"]),
        ),
    ],
)
def test_collections_are_paginated(korus: Client, path: str, total: int) -> None:
    body = ok(korus, path, params={"itemsPerPage": 1, "page": 2})
    assert body["totalItems"] == total
    assert len(body["member"]) == 1
    view = {
        "@id": f"{path}?itemsPerPage=1&page=2",
        "@type": "PartialCollectionView",
        "first": f"{path}?itemsPerPage=1&page=1",
        "last": f"{path}?itemsPerPage=1&page={total}",
        "previous": f"{path}?itemsPerPage=1&page=1",
    }
    if total > 2:
        view["next"] = f"{path}?itemsPerPage=1&page=3"
    assert body["view"] == view
    assert list(body) == ["@context", "@id", "@type", "totalItems", "member", "view", "search"]
    assert korus.get(path, params={"page": 0}).status_code == 400


# ----- tickets and sessions ------------------------------------------------------------------


def test_offer_tickets(korus: Client) -> None:
    path = f"{C}/offers/{SEED_OFFER}/tickets"
    body = ok(korus, path)
    assert (body["@context"], body["@id"], body["totalItems"]) == (
        "/contexts/TicketingOfferTicket",
        path,
        2,
    )
    assert ids(body) == [DAY_TICKET, SESSION_TICKET]
    cinescenie = body["member"][1]
    assert list(cinescenie) == TICKET_KEYS
    source = ticket(SEED_OFFER, SESSION_TICKET)
    assert cinescenie == {
        "@id": f"{path}/{SESSION_TICKET}",
        "@type": "TicketingOfferTicket",
        "id": SESSION_TICKET,
        "name": source["name"],
        "description": source["description"],
        "dateAccess": False,
        "form": None,
        "requiredBeneficiaryFields": [],
        "beneficiaryDesignationDeadline": "2025-12-31T18:30:00+01:00",
        "beneficiaryAmendable": True,
    }
    item = ok(korus, f"{path}/{SESSION_TICKET}")
    assert list(item) == ["@context", *TICKET_KEYS]
    assert item == {"@context": "/contexts/TicketingOfferTicket", **cinescenie}


def test_ticket_sessions(korus: Client) -> None:
    path = f"{C}/offers/{SEASON_OFFER}/tickets/{SEASON_TICKET}/sessions"
    body = ok(korus, path)
    assert body["@context"] == "/contexts/TicketingOfferTicketSession"
    sessions = by_start(ticket(SEASON_OFFER, SEASON_TICKET)["sessions"])
    assert ids(body) == [s["id"] for s in sessions]  # by start, every status
    for member, source in zip(body["member"], sessions, strict=True):
        assert list(member) == SESSION_KEYS
        assert member == {
            "@id": f"{path}/{source['id']}",
            "@type": "TicketingOfferTicketSession",
            "id": source["id"],
            "startsAt": source["startsAt"],  # the venue's local offset, as the fixture
            "endsAt": source["endsAt"],
            "status": source["status"],
            "availableQuantity": free(source),  # 0 once closed or started
        }
    item = ok(korus, f"{path}/{sessions[0]['id']}")
    assert item == {"@context": "/contexts/TicketingOfferTicketSession", **body["member"][0]}


# ----- not found and organizations -----------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/v1/ticketing/catalogs/nope/offers",
        f"/v1/ticketing/catalogs/{OTHER_ORG_CATALOG}/offers",
        f"{C}/offers/nope",
        f"{C}/offers/{GRAND_PUBLIC_OFFER}",
        f"{C}/offers/{OFF_SALE}",
        f"{C}/offers/{OFF_SALE}/price",
        f"{C}/offers/{OFF_SALE}/availability",
        f"{C}/offers/{OFF_SALE}/tickets",
        f"{C}/offers/nope/price",
        f"{C}/offers/nope/availability",
        f"{C}/offers/{SEED_OFFER}/tickets/nope",
        f"{C}/offers/{SEED_OFFER}/tickets/{SEASON_TICKET}",
        f"{C}/offers/{SEED_OFFER}/tickets/nope/sessions",
        f"{C}/offers/{SEED_OFFER}/tickets/{SESSION_TICKET}/sessions/nope",
        f"{C}/offers/{SEED_OFFER}/tickets/{DAY_TICKET}/sessions/{SEED_SESSION}",
        f"{C}/product_bases/nope/products",
        f"{C}/product_bases/0194cb23-5a1e-7b40-8c2d-1e9f3a7b6c05/products",
    ],
)
def test_unknown_ids_are_404(korus: Client, path: str) -> None:
    response = korus.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json; charset=utf-8"
    assert response.json()["detail"] == "Not Found"


def test_another_organizations_catalog_is_not_found(api: Api) -> None:
    other = Client(api, login(api, "other-client", "other-secret")["access_token"])
    session = f"{C}/offers/{SEED_OFFER}/tickets/{SESSION_TICKET}/sessions"
    for path in [
        f"{C}/offers",
        f"{C}/offers/{SEED_OFFER}",
        f"{C}/offers/{SEED_OFFER}/availability",
        f"{C}/offers/{SEED_OFFER}/tickets",
        f"{C}/offers/{SEED_OFFER}/tickets/{DAY_TICKET}",
        session,
        f"{session}/{SEED_SESSION}",
        f"{C}/product_bases/{BILLETTERIE}/products",
    ]:
        assert other.get(path).status_code == 404, path
    # The price is the one read of this list whose 403 Korus documents (§4.4).
    price = other.get(f"{C}/offers/{SEED_OFFER}/price")
    assert (price.status_code, price.json()["detail"]) == (403, "Access Denied.")
    own = ok(other, f"/v1/ticketing/catalogs/{OTHER_ORG_CATALOG}/offers")
    assert ids(own) == ["0194cb23-5a24-7a58-a0c3-7d5e1b9f2a16"]


# ----- localized texts -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en", "hello"),
        ("de, en;q=0.5", "hello"),
        ("en;q=0.5, fr;q=0.8", "bonjour"),
        ("en-GB", "hello"),
        ("de", "bonjour"),  # no German: the catalog's default language
        ("", "bonjour"),
        ("en;q=0", "bonjour"),
    ],
)
def test_localized_texts(header: str, expected: str) -> None:
    text = Texts(header, "fr")
    assert text({"fr": "bonjour", "en": "hello"}) == expected
    assert text("plain") == "plain"
    assert Texts(header, "it")({"fr": "bonjour"}) == "bonjour"  # the only translation
