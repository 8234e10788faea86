"""Reservations and orders: what fails item by item, what fails the request, and isolation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api
from tests.korus.conftest import (
    SEED_OFFER,
    SMALL,
    Client,
    login,
    multi_item,
    seed_item,
)

CUSTOMER = {"firstname": "John", "lastname": "Doe", "email": "john.doe@example.com"}
UNKNOWN = "/v1/booking/reservations/0194b10f-3ddd-70a5-a96a-d1026cd42746"  # well-formed


def reserve(korus: Client, *items: dict[str, Any]) -> dict[str, Any]:
    response = korus.post("/v1/booking/reservations/_bulk", json={"items": list(items)})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def order(korus: Client, *reservations: str, **extra: Any) -> Any:
    return korus.post(
        "/v1/booking/orders/_bulk",
        json={"reservations": list(reservations), "customer": CUSTOMER, **extra},
    )


# What Korus's consistency check refuses (closed or past session, offer not on sale, a ticket
# of another offer, a session not chosen...) is a 422: tests/korus/test_consistency_422.py.
@pytest.mark.parametrize(
    ("item", "message"),
    [(multi_item(SMALL, 3), "Offer is sold out")],
)
def test_items_that_cannot_be_served_fail_alone(
    korus: Client, item: dict[str, Any], message: str
) -> None:
    body = reserve(korus, seed_item(), item)
    assert len(body["reservations"]) == 1
    assert [f["message"] for f in body["failedReservations"]] == [message]
    assert body["failedReservations"][0]["offer"] == item["offer"]
    assert body["reservations"][0]["totalAmountInclTax"] == "80.00"


def test_one_reservation_per_catalog_with_every_item(korus: Client) -> None:
    body = reserve(korus, seed_item(2), multi_item(SMALL, 2))
    [reservation] = body["reservations"]
    assert len(reservation["items"]) == 2
    assert body["failedReservations"] == []
    seats = reserve(korus, multi_item(SMALL, 1))
    assert seats["failedReservations"][0]["message"] == "Offer is sold out"


@pytest.mark.parametrize(
    ("body", "status", "path"),
    [
        ({}, 422, "items"),
        ({"items": []}, 422, "items"),
        ({"items": [{"offer": SEED_OFFER, "quantity": 0}]}, 422, "items[0].quantity"),
        ({"items": [{"offer": SEED_OFFER}]}, 422, "items[0].quantity"),
        ({"items": [{"quantity": 1}]}, 422, "items[0].offer"),
        ({"items": [{"offer": SEED_OFFER, "quantity": "1"}]}, 400, None),
        ({"items": "all"}, 400, None),
    ],
)
def test_invalid_bodies_change_nothing(
    korus: Client, body: dict[str, Any], status: int, path: str | None
) -> None:
    response = korus.post("/v1/booking/reservations/_bulk", json=body)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json; charset=utf-8"
    if path:
        assert response.json()["violations"][0]["propertyPath"] == path
    assert korus.get("/v1/booking/reservations").json()["totalItems"] == 0


def test_malformed_json_is_a_syntax_error(korus: Client) -> None:
    response = korus.post("/v1/booking/reservations/_bulk", content=b'{"items": [')
    assert (response.status_code, response.json()["detail"]) == (400, "Syntax error")


def test_orders_skip_unknown_and_already_ordered_reservations(korus: Client) -> None:
    first = reserve(korus, seed_item())["reservations"][0]["@id"]
    second = reserve(korus, multi_item(SMALL))["reservations"][0]["@id"]
    made = order(korus, first, externalReference="TRIP-1")
    assert made.status_code == 200
    assert "failedOrders" not in made.json()
    unknown = "/v1/booking/reservations/0194b10f-3ddd-70a5-a96a-d1026cd42746"
    again = order(korus, first, unknown, second, externalReference="TRIP-1").json()
    assert [o["reservation"] for o in again["orders"]] == [second]
    assert again["failedOrders"] == [
        {"message": "Reservation already ordered", "reservation": first},
        {"message": "Reservation not found", "reservation": unknown},
    ]
    assert "failedOrders" in again["@context"]
    grouped = korus.get("/v1/booking/orders", params={"external_reference": "TRIP-1"}).json()
    assert grouped["totalItems"] == 2
    assert grouped["search"]["mapping"][0] == {
        "@type": "IriTemplateMapping",
        "variable": "external_reference",
        "property": "externalReference",
        "required": False,
    }
    detail = korus.get(first).json()
    assert detail["order"] == again["orders"][0]["@id"].replace(
        again["orders"][0]["id"], made.json()["orders"][0]["id"]
    )
    assert (detail["status"], detail["releasable"]) == ("reserved", False)


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"reservations": [], "customer": CUSTOMER}, "reservations"),
        ({"reservations": [UNKNOWN], "customer": {**CUSTOMER, "email": ""}}, "customer.email"),
        ({"reservations": [UNKNOWN], "customer": {**CUSTOMER, "title": "dr"}}, "customer.title"),
        (
            {"reservations": [UNKNOWN], "customer": CUSTOMER, "externalReference": "x" * 256},
            "externalReference",
        ),
    ],
)
def test_order_validation(korus: Client, body: dict[str, Any], path: str) -> None:
    response = korus.post("/v1/booking/orders/_bulk", json=body)
    assert response.status_code == 422
    assert response.json()["violations"][0]["propertyPath"] == path


def test_an_english_client_gets_the_expiry_in_english(korus: Client) -> None:
    reservation = reserve(korus, seed_item())["reservations"][0]["@id"]
    korus.api.post("/_sandbox/clock/advance", json={"seconds": 901})
    response = korus.post(
        "/v1/booking/orders/_bulk",
        headers={"Accept-Language": "en-GB"},
        json={"reservations": [reservation], "customer": CUSTOMER},
    )
    assert response.json()["violations"][0]["message"] == "The reservation has expired"


def test_orders_filters_and_order(korus: Client) -> None:
    for reference in ("A", "B"):
        reservation = reserve(korus, multi_item(SMALL))["reservations"][0]["@id"]
        assert order(korus, reservation, externalReference=reference).status_code == 200
        korus.api.post("/_sandbox/clock/advance", json={"seconds": 60})
    newest = korus.get("/v1/booking/orders", params={"order[createdAt]": "desc"}).json()
    assert [o["externalReference"] for o in newest["member"]] == ["B", "A"]
    after = korus.get(
        "/v1/booking/orders", params={"createdAt[strictly_after]": "2025-01-29T07:55:53Z"}
    ).json()
    assert [o["externalReference"] for o in after["member"]] == ["B"]


def test_other_organizations_see_nothing(korus: Client, api: Api) -> None:
    reservation = reserve(korus, seed_item())["reservations"][0]["@id"]
    made = order(korus, reservation).json()["orders"][0]["@id"]
    other = Client(api, login(api, "other-client", "other-secret")["access_token"])
    denied = other.get(reservation)  # Korus documents the 403 here (§5.2)
    assert (denied.status_code, denied.json()["detail"]) == (403, "Access Denied.")
    assert other.get(made).status_code == 404  # and none on the order
    assert other.get("/v1/booking/orders").json()["totalItems"] == 0
    theirs = other.post("/v1/booking/reservations/_bulk", json={"items": [seed_item()]})
    assert (theirs.status_code, theirs.json()["detail"]) == (
        422,
        "items[0].offer: Offre introuvable",
    )
    stolen = other.post(
        "/v1/booking/orders/_bulk", json={"reservations": [reservation], "customer": CUSTOMER}
    ).json()
    assert stolen["failedOrders"][0]["message"] == "Reservation not found"
