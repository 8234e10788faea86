"""Issue 16: API Platform's 403 where Korus documents it, body IRIs read as relations (400
`Invalid IRI`, `Item not found for`), and Symfony's 301 for a trailing slash."""

from __future__ import annotations

from typing import Any

import httpx2 as httpx
import pytest

from booking_sandbox.vendors.korus.php_json import encode
from booking_sandbox.vendors.korus.wire import error_body
from tests.conftest import Api
from tests.korus.conftest import (
    CATALOG,
    DAY_TICKET,
    MULTI,
    SEED_OFFER,
    SHOW,
    SHOW_TICKET,
    Client,
    login,
    seed_item,
)

CUSTOMER = {"firstname": "John", "lastname": "Doe", "email": "john.doe@example.com"}
UNKNOWN_ID = "0194ac41-0000-7000-8000-000000000000"
BULK = "/v1/booking/reservations/_bulk"


@pytest.fixture
def other(api: Api) -> Client:
    return Client(api, login(api, "other-client", "other-secret")["access_token"])


def booked(korus: Client) -> tuple[dict[str, Any], dict[str, Any]]:
    """A reservation and the order of another reservation, both the demo organization's."""
    made = korus.post(BULK, json={"items": [seed_item()]}).json()["reservations"][0]
    ordered = korus.post(BULK, json={"items": [seed_item()]}).json()["reservations"][0]
    body = {"reservations": [ordered["@id"]], "customer": CUSTOMER}
    order = korus.post("/v1/booking/orders/_bulk", json=body).json()["orders"][0]
    return made, order


def is_error(response: httpx.Response, status: int, detail: str) -> None:
    """API Platform's Error resource, byte for byte (JSON-LD, as the client asked)."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json; charset=utf-8"
    assert response.content == encode(error_body(status, detail))


# ----- 403 -----------------------------------------------------------------------------------


def test_the_documented_403s(korus: Client, other: Client) -> None:
    reservation, order = booked(korus)
    ticket = order["items"][0]["tickets"][0]["@id"]
    merge = {"Content-Type": "application/merge-patch+json"}
    for response in (
        other.get(reservation["@id"]),
        other.get(f"{SEED_OFFER}/price"),
        other.get(ticket),
        other.request("PATCH", ticket, json={"beneficiary": {"x": 1}}, headers=merge),
    ):
        is_error(response, 403, "Access Denied.")
    assert korus.get(ticket).json()["beneficiary"] is None


def test_what_does_not_exist_is_still_404(korus: Client, other: Client) -> None:
    reservation, order = booked(korus)
    ticket = order["items"][0]["tickets"][0]["@id"]
    for path in (
        reservation["@id"].replace(reservation["id"], UNKNOWN_ID),
        f"{SEED_OFFER.replace(SEED_OFFER.rsplit('/', 1)[1], UNKNOWN_ID)}/price",
        f"{CATALOG}/offers/0194ac41-0a1b-7c2d-9e3f-4a5b6c7d8ea0/price",  # not on sale
        ticket.replace(ticket.rsplit("/", 1)[1], UNKNOWN_ID),
        ticket.replace(order["id"], UNKNOWN_ID),
    ):
        is_error(other.get(path), 404, "Not Found")


def test_undocumented_403s_stay_404(korus: Client, other: Client) -> None:
    """No 403 documented on the order, its documents, or the offer's other reads."""
    _, order = booked(korus)
    for path in (
        order["@id"],
        f"{order['@id']}/documents",
        order["documents"][0],
        SEED_OFFER,
        f"{SEED_OFFER}/availability",
    ):
        is_error(other.get(path), 404, "Not Found")


# ----- IRIs in bodies ----------------------------------------------------------------------


def reserve(korus: Client, *items: dict[str, Any]) -> httpx.Response:
    return korus.post(BULK, json={"items": list(items)})


@pytest.mark.parametrize(
    ("item", "iri"),
    [
        ({"offer": "1", "quantity": 1}, "1"),
        ({"offer": f"{CATALOG}/offers/not-a-uuid", "quantity": 1}, f"{CATALOG}/offers/not-a-uuid"),
        ({"offer": DAY_TICKET, "quantity": 1}, DAY_TICKET),  # a ticket where an offer goes
        ({"offer": SEED_OFFER, "quantity": 1, "ticketSessions": [{"ticket": "1"}]}, "1"),
        ({"offer": SEED_OFFER, "quantity": 1, "ticketSessions": [{"ticket": ""}]}, ""),
        (  # a ticket IRI where a session goes
            {
                "offer": SEED_OFFER,
                "quantity": 1,
                "ticketSessions": [{"ticket": SHOW_TICKET, "session": SHOW_TICKET}],
            },
            SHOW_TICKET,
        ),
    ],
)
def test_a_malformed_iri_is_400_invalid_iri(korus: Client, item: dict[str, Any], iri: str) -> None:
    is_error(reserve(korus, seed_item(), item), 400, f'Invalid IRI "{iri}".')
    assert korus.get("/v1/booking/reservations").json()["totalItems"] == 0


@pytest.mark.parametrize(
    "iri_of",
    [
        lambda: f"{CATALOG}/offers/{UNKNOWN_ID}",
        lambda: f"/v1/ticketing/catalogs/{UNKNOWN_ID}/offers/{SEED_OFFER.rsplit('/', 1)[1]}",
    ],
)
def test_an_offer_iri_naming_nothing_is_400_item_not_found(korus: Client, iri_of: Any) -> None:
    iri = iri_of()
    is_error(reserve(korus, {"offer": iri, "quantity": 1}), 400, f'Item not found for "{iri}".')


@pytest.mark.parametrize(
    "choice",
    [
        {"ticket": f"{SEED_OFFER}/tickets/{UNKNOWN_ID}"},
        {"ticket": SHOW_TICKET, "session": f"{SHOW_TICKET}/sessions/{UNKNOWN_ID}"},
        {
            "ticket": SHOW_TICKET,
            "session": f"{CATALOG}/events/{UNKNOWN_ID}/sessions/{UNKNOWN_ID}",
        },
    ],
)
def test_a_ticket_or_session_naming_nothing_is_400(korus: Client, choice: dict[str, str]) -> None:
    iri = choice.get("session", choice["ticket"])
    item = {"offer": SEED_OFFER, "quantity": 1, "ticketSessions": [choice]}
    is_error(reserve(korus, item), 400, f'Item not found for "{iri}".')


def test_what_exists_is_read_and_refused_by_the_consistency_check(
    korus: Client, other: Client
) -> None:
    """Resolved IRIs reach Korus's own checks: a 422 naming the entry, not a 400
    (tests/korus/test_consistency_422.py has each check)."""
    old_form = f"{CATALOG}/events/{UNKNOWN_ID}/sessions/{SHOW.rsplit('/', 1)[1]}"
    body = reserve(
        korus,
        {
            "offer": SEED_OFFER,
            "quantity": 1,
            "ticketSessions": [
                {"ticket": DAY_TICKET},
                {"ticket": SHOW_TICKET, "session": old_form},
            ],
        },
    ).json()
    assert len(body["reservations"]) == 1  # the events-model session IRI is read
    wrong = {"offer": MULTI, "quantity": 1, "ticketSessions": [{"ticket": DAY_TICKET}]}
    english = {"Accept-Language": "en"}
    response = korus.post(BULK, json={"items": [wrong]}, headers=english)
    assert response.status_code == 422, response.text
    assert response.json()["violations"][0]["propertyPath"] == "items[0].ticketSessions[0].ticket"
    # Another organization's offer exists, so it is no 400: the check refuses it.
    theirs = other.post(BULK, json={"items": [seed_item()]}, headers=english)
    assert (theirs.status_code, theirs.json()["detail"]) == (422, "items[0].offer: Offer not found")


def test_an_absolute_iri_on_any_host_is_read(korus: Client) -> None:
    item = {**seed_item(), "offer": f"https://api.demo.korusticket.com{SEED_OFFER}"}
    response = reserve(korus, item)
    assert response.status_code == 200, response.text
    assert response.json()["failedReservations"] == []


def test_a_bad_iri_comes_before_the_422s(korus: Client) -> None:
    """Deserialization (400) precedes validation (422), whatever the items' order."""
    response = reserve(korus, {"offer": SEED_OFFER, "quantity": 0}, {"offer": "1", "quantity": 1})
    is_error(response, 400, 'Invalid IRI "1".')


def test_an_order_with_a_malformed_reservation_iri_is_400(korus: Client) -> None:
    live = reserve(korus, seed_item()).json()["reservations"][0]["@id"]
    body = {"reservations": [live, "1"], "customer": {**CUSTOMER, "email": ""}}
    is_error(korus.post("/v1/booking/orders/_bulk", json=body), 400, 'Invalid IRI "1".')
    assert korus.get("/v1/booking/orders").json()["totalItems"] == 0
    unknown = f"/v1/booking/reservations/{UNKNOWN_ID}"  # well-formed: failedOrders, as before
    body = {"reservations": [live, unknown], "customer": CUSTOMER}
    answer = korus.post("/v1/booking/orders/_bulk", json=body).json()
    assert answer["failedOrders"] == [{"message": "Reservation not found", "reservation": unknown}]
    assert len(answer["orders"]) == 1


# ----- trailing slash ------------------------------------------------------------------------


def no_redirect(api: Api, method: str, path: str, **kwargs: Any) -> httpx.Response:
    return api.request(method, path, follow_redirects=False, **kwargs)


def test_the_how_to_url_with_its_trailing_slash_is_a_301(korus: Client) -> None:
    auth = {"Authorization": f"Bearer {korus.token}"}
    response = no_redirect(korus.api, "GET", "/v1/ticketing/catalogs/?page=1", headers=auth)
    assert response.status_code == 301
    location = response.headers["location"]
    assert location.endswith("/v1/ticketing/catalogs?page=1")
    assert location.startswith(("http://", "https://"))
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert f"<title>Redirecting to {location}</title>" in response.text
    followed = korus.get("/v1/ticketing/catalogs/", follow_redirects=True)
    assert followed.status_code == 200
    assert followed.json()["@id"] == "/v1/ticketing/catalogs"


@pytest.mark.parametrize(
    "path",
    [
        "/v1/ticketing/catalogs//",
        f"{SEED_OFFER}/price/",
        "/v1/booking/orders/",
    ],
)
def test_every_get_route_redirects_without_a_token(api: Api, path: str) -> None:
    """The router redirects before the firewall; HEAD as GET."""
    for method in ("GET", "HEAD"):
        response = no_redirect(api, method, path)
        assert response.status_code == 301, (method, path)
        assert response.headers["location"].endswith(path.rstrip("/"))


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", f"{BULK}/"),
        ("GET", f"{BULK}/"),  # the trimmed path has no GET route
        ("GET", "/v1/ticketing/nothing/"),
        ("PATCH", "/v1/ticketing/catalogs/"),
    ],
)
def test_other_trailing_slashes_stay_the_routers_404(korus: Client, method: str, path: str) -> None:
    response = korus.request(method, path, follow_redirects=False)
    assert response.status_code == 404
    assert response.json()["detail"].startswith(f'No route found for "{method} ')


@pytest.mark.parametrize(
    "path",
    [
        "/v1/ticketing/catalogs/%2F",
        "/v1/ticketing/catalogs%2F",
        "/v1/ticketing/catalogs/%2f",
        "/v1/ticketing/catalogs/%2F/",
        "/v1/ticketing/catalogs%2F%2F",
        "/docs.jsonld%2F",
        "/contexts/Error%2F",
    ],
)
def test_an_encoded_slash_is_not_trimmed(korus: Client, path: str) -> None:
    """Symfony trims the raw path: `%2F` is not a slash there, so no 301 (to itself)."""
    response = korus.request("GET", path, follow_redirects=False)
    assert response.status_code == 404, response.headers.get("location")


@pytest.mark.parametrize(
    "path",
    [
        "/v1/ticketing/catalogs/",
        "/v1/ticketing/catalogs///",
        "/v1/ticketing%2Fcatalogs/",  # decoded for routing, as Symfony does
        "/v1/ticketing/catalogs%2F%2F/",
        "/v1/ticketing/catalogs.jsonld/",
        f"{SEED_OFFER}/price/?a=%2F/",
        "/contexts/Error/",
        "/contexts/Error%2F/",
        "/docs.jsonld/",
        "/docs.jsonld%2F/",
    ],
)
def test_no_path_redirects_to_itself(korus: Client, path: str) -> None:
    """A 301 goes somewhere else, and where it goes does not redirect again."""
    response = korus.request("GET", path, follow_redirects=False)
    if response.status_code != 301:
        assert response.status_code == 404
        return
    location = response.headers["location"]
    assert location != str(response.request.url)
    assert not location.split("?")[0].endswith("/")
    again = korus.request("GET", location, follow_redirects=False)
    assert again.status_code != 301, location
