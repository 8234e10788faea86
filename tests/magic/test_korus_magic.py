"""Korus magic values: an order the ticketing sub-system rejects, a reservation it refuses."""

from __future__ import annotations

from typing import Any

import pytest

from booking_sandbox.vendors.korus import magic
from tests.korus.conftest import MULTI, SMALL, Client, multi_item, seed_item
from tests.magic.conftest import holdings

CUSTOMER = {"firstname": "John", "lastname": "Doe", "email": "john.doe@example.com"}
BIG_CATALOG = "/v1/ticketing/catalogs/0194d07e-aa37-7171-820c-712e91552451"
BIG = f"{BIG_CATALOG}/offers/0194d07e-ab12-7d4e-9a31-6f2b8c0d4e57"  # no session, capacity 1000
REJECTED = "Order rejected by the ticketing sub-system"
REFUSED = "The ticketing sub-system refused the reservation"


def reserve(korus: Client, *items: dict[str, Any]) -> dict[str, Any]:
    response = korus.post("/v1/booking/reservations/_bulk", json={"items": list(items)})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def reservation(korus: Client, *items: dict[str, Any]) -> str:
    iri: str = reserve(korus, *items)["reservations"][0]["@id"]
    return iri


def refusals(body: dict[str, Any]) -> list[dict[str, Any]]:
    """`failedReservations`, each element checked as a typed blank node, then without those."""
    found = []
    for element in body["failedReservations"]:
        element = dict(element)
        assert list(element)[:2] == ["@type", "@id"]
        assert element.pop("@type") == "FailedReservation"
        assert element.pop("@id").startswith("/.well-known/genid/")
        found.append(element)
    return found


def order(korus: Client, *iris: str, customer: dict[str, Any] | None = None, **extra: Any) -> Any:
    return korus.post(
        "/v1/booking/orders/_bulk",
        json={"reservations": list(iris), "customer": customer or CUSTOMER, **extra},
    )


def test_the_values_are_the_tables() -> None:
    assert magic.ORDER_REJECTED_EMAIL == "order-rejected@sandbox.test"
    assert magic.ORDER_REJECTED_REFERENCE == "SANDBOX-ORDER-REJECTED"
    assert magic.ORDER_REJECTED_MESSAGE == REJECTED
    assert magic.RESERVATION_REFUSED_QUANTITY == 999
    assert magic.RESERVATION_REFUSED_MESSAGE == REFUSED


# ----- orders: the sub-system rejects the order ----------------------------------------------


@pytest.mark.parametrize(
    "magic_field",
    [
        {"customer": {**CUSTOMER, "email": "order-rejected@sandbox.test"}},
        {"customer": {**CUSTOMER, "email": "Order-Rejected@Sandbox.TEST"}},  # e-mail: any case
        {"externalReference": "SANDBOX-ORDER-REJECTED"},
    ],
)
def test_a_rejected_order_fails_every_reservation_and_keeps_the_holds(
    korus: Client, magic_field: dict[str, Any]
) -> None:
    first = reservation(korus, seed_item())
    second = reservation(korus, multi_item(SMALL, 2))
    before = holdings(korus.api)
    response = order(korus, first, second, **magic_field)
    assert response.status_code == 200, response.text
    body = response.json()
    context = body["@context"]
    assert context.pop("@vocab").endswith("/docs.jsonld#")
    assert context == {
        "hydra": "http://www.w3.org/ns/hydra/core#",
        "orders": "CreateOrderBulkOutput/orders",
        "failedOrders": "CreateOrderBulkOutput/failedOrders",
    }
    assert body["@type"] == "CreateOrderBulkOutput"
    assert body["@id"].startswith("/.well-known/genid/")
    assert list(body) == ["@context", "@type", "@id", "orders", "failedOrders"]
    assert body["orders"] == []
    assert body["failedOrders"] == [
        {"message": REJECTED, "reservation": first},
        {"message": REJECTED, "reservation": second},
    ]
    # Nothing ordered, every hold as it was.
    assert holdings(korus.api) == before
    assert korus.get("/v1/booking/orders").json()["totalItems"] == 0
    for iri in (first, second):
        detail = korus.get(iri).json()
        assert (detail["order"], detail["expired"], detail["status"]) == (None, False, "reserved")
    # The same reservations can still be ordered, with an ordinary customer.
    retry = order(korus, first, second, externalReference="TRIP-1").json()
    assert [o["reservation"] for o in retry["orders"]] == [first, second]
    assert "failedOrders" not in retry


def test_a_rejection_keeps_the_other_failures_messages(korus: Client) -> None:
    live = reservation(korus, seed_item())
    unknown = "/v1/booking/reservations/0194b10f-3ddd-70a5-a96a-d1026cd42746"
    body = order(korus, unknown, live, live, externalReference="SANDBOX-ORDER-REJECTED").json()
    assert body["orders"] == []
    assert body["failedOrders"] == [
        {"message": "Reservation not found", "reservation": unknown},
        {"message": REJECTED, "reservation": live},
        {"message": REJECTED, "reservation": live},  # not "already ordered": nothing was
    ]


def test_an_ordered_reservation_stays_already_ordered(korus: Client) -> None:
    done = reservation(korus, seed_item())
    assert order(korus, done).status_code == 200
    body = order(korus, done, externalReference="SANDBOX-ORDER-REJECTED").json()
    assert body["failedOrders"] == [{"message": "Reservation already ordered", "reservation": done}]


def test_validation_comes_before_the_rejection(korus: Client) -> None:
    live = reservation(korus, seed_item())
    response = order(
        korus,
        live,
        customer={"lastname": "Doe", "email": "order-rejected@sandbox.test"},
    )
    assert response.status_code == 422
    assert [v["propertyPath"] for v in response.json()["violations"]] == ["customer.firstname"]


def test_an_expired_reservation_still_gives_the_422(korus: Client) -> None:
    live = reservation(korus, seed_item())
    korus.api.post("/_sandbox/clock/advance", json={"seconds": 901})
    response = order(korus, live, externalReference="SANDBOX-ORDER-REJECTED")
    assert response.status_code == 422
    [violation] = response.json()["violations"]
    assert violation["propertyPath"] == "reservations[0].expired"


@pytest.mark.parametrize(
    "near_miss",
    [
        {"customer": {**CUSTOMER, "email": "order-accepted@sandbox.test"}},
        {"customer": {**CUSTOMER, "email": "order-rejected@sandbox.test.example"}},
        {"externalReference": "sandbox-order-rejected"},  # the reference is case-sensitive
        {"externalReference": "SANDBOX-ORDER-REJECTED-2"},
        {"notes": "SANDBOX-ORDER-REJECTED"},  # only the documented fields count
    ],
)
def test_near_misses_order_normally(korus: Client, near_miss: dict[str, Any]) -> None:
    live = reservation(korus, seed_item())
    body = order(korus, live, **near_miss).json()
    assert [o["reservation"] for o in body["orders"]] == [live]
    assert "failedOrders" not in body


# ----- reservations: the sub-system refuses one item ------------------------------------------


def test_the_magic_quantity_fails_alone_and_takes_nothing(korus: Client) -> None:
    before = holdings(korus.api)
    body = reserve(korus, {"offer": BIG, "quantity": 999}, seed_item())
    assert refusals(body) == [{"offer": BIG, "quantity": 999, "message": REFUSED}]
    [made] = body["reservations"]
    assert [item["offer"] for item in made["items"]] == [seed_item()["offer"]]
    assert made["totalAmountInclTax"] == "80.00"
    # Only the seed item's holds were added: none on the refused offer's pool.
    after = holdings(korus.api)["inventory"]["allocations"]
    added = [a for a in after if a not in before["inventory"]["allocations"]]
    assert added
    assert all("0194d07e" not in a["pool"] for a in added)
    # The 1000 places are all still there.
    assert refusals(reserve(korus, {"offer": BIG, "quantity": 998})) == []


def test_a_request_of_only_the_magic_quantity_makes_no_reservation(korus: Client) -> None:
    before = holdings(korus.api)
    response = korus.post(
        "/v1/booking/reservations/_bulk", json={"items": [{"offer": BIG, "quantity": 999}]}
    )
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["@context", "@type", "@id", "reservations", "failedReservations"]
    assert body["@type"] == "CreateReservationBulkOutput"
    assert body["reservations"] == []
    assert refusals(body) == [{"offer": BIG, "quantity": 999, "message": REFUSED}]
    assert holdings(korus.api) == before
    assert korus.get("/v1/booking/reservations").json()["totalItems"] == 0


def test_the_magic_quantity_wins_over_a_sold_out_session(korus: Client) -> None:
    # The small session has 2 seats: 998 is sold out, 999 is the sub-system's refusal.
    body = reserve(korus, multi_item(SMALL, 998), multi_item(SMALL, 999))
    assert refusals(body) == [
        {"offer": MULTI, "quantity": 998, "message": "Offer is sold out"},
        {"offer": MULTI, "quantity": 999, "message": REFUSED},
    ]


def test_checks_of_the_item_come_first(korus: Client) -> None:
    # An offer not on sale: Korus's consistency check (a 422) comes before the magic refusal.
    closed = f"{MULTI.rsplit('/', 1)[0]}/0194ac41-0a1b-7c2d-9e3f-4a5b6c7d8ea0"
    response = korus.post(
        "/v1/booking/reservations/_bulk",
        headers={"Accept-Language": "en"},
        json={"items": [{"offer": closed, "quantity": 999}]},
    )
    assert response.status_code == 422, response.text
    assert response.json()["detail"] == "items[0].offer: Offer is not on sale"
    invalid = korus.post(
        "/v1/booking/reservations/_bulk",
        json={"items": [{"offer": BIG, "quantity": 999}, {"offer": BIG, "quantity": 0}]},
    )
    assert invalid.status_code == 422
    assert invalid.json()["violations"][0]["propertyPath"] == "items[1].quantity"
    assert korus.get("/v1/booking/reservations").json()["totalItems"] == 0


@pytest.mark.parametrize("quantity", [998, 1000])
def test_near_miss_quantities_reserve_by_stock(korus: Client, quantity: int) -> None:
    body = reserve(korus, {"offer": BIG, "quantity": quantity})
    assert refusals(body) == []
    assert body["reservations"][0]["items"][0]["offer"] == BIG
    assert korus.get("/v1/booking/reservations").json()["totalItems"] == 1
