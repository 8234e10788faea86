"""Edges a review found; each test fails without its fix."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.settings import Settings
from tests.conftest import Api
from tests.korus.conftest import (
    CATALOG,
    DAY_TICKET,
    SEED_OFFER,
    SHOW,
    SHOW_TICKET,
    SMALL,
    Client,
    login,
    seed_item,
)
from tests.korus.test_booking import CUSTOMER

MERGE = {"Content-Type": "application/merge-patch+json"}


def reserve(korus: Client, item: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = korus.post(
        "/v1/booking/reservations/_bulk", json={"items": [item]}
    ).json()
    return body


def test_the_same_reservation_twice_in_one_call_is_ordered_once(korus: Client) -> None:
    iri = reserve(korus, seed_item())["reservations"][0]["@id"]
    response = korus.post(
        "/v1/booking/orders/_bulk",
        json={
            "reservations": [iri, f"https://api.demo.korusticket.com{iri}"],
            "customer": CUSTOMER,
        },
    )
    assert response.status_code == 200, response.text
    assert len(response.json()["orders"]) == 1
    assert response.json()["failedOrders"][0]["message"] == "Reservation already ordered"
    assert korus.get("/v1/booking/orders").json()["totalItems"] == 1


def test_an_expired_hold_stays_expired_when_the_clock_goes_back(korus: Client) -> None:
    first = reserve(korus, seed_item())["reservations"][0]
    korus.api.post("/_sandbox/clock/advance", json={"seconds": 901})
    reserve(korus, seed_item())  # the engine sees the first hold expired while planning
    korus.api.put("/_sandbox/clock", json={"now": "2025-01-29T07:56:00Z", "frozen": True})
    detail = korus.get(first["@id"]).json()
    assert (detail["expired"], detail["status"]) == (True, "released")
    response = korus.post(
        "/v1/booking/orders/_bulk", json={"reservations": [first["@id"]], "customer": CUSTOMER}
    )
    assert response.status_code == 422
    assert response.json()["violations"][0]["propertyPath"] == "reservations[0].expired"
    assert korus.get("/v1/booking/orders").json()["totalItems"] == 0


@pytest.mark.parametrize(
    ("sessions", "attribute"),
    [([{"ticket": None}], "ticket"), ([{"ticket": DAY_TICKET, "session": {"a": 1}}], "session")],
)
def test_wrong_types_in_ticket_sessions_are_400(
    korus: Client, sessions: list[dict[str, Any]], attribute: str
) -> None:
    response = korus.post(
        "/v1/booking/reservations/_bulk",
        json={"items": [{"offer": SEED_OFFER, "quantity": 1, "ticketSessions": sessions}]},
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith(f'The type of the "{attribute}" attribute')


def test_a_quantity_past_php_ints_is_a_float_type_error(korus: Client) -> None:
    response = korus.post(
        "/v1/booking/reservations/_bulk",
        json={"items": [{"offer": SEED_OFFER, "quantity": 10**30}]},
    )
    assert (response.status_code, response.json()["detail"]) == (
        400,
        'The type of the "quantity" attribute must be "int", "float" given.',
    )


def test_a_page_too_large(korus: Client) -> None:
    response = korus.get("/v1/ticketing/catalogs", params={"page": 10**20})
    assert (response.status_code, response.json()["detail"]) == (
        400,
        "Page parameter is too large.",
    )


def test_iris_under_another_catalog_or_ticket_are_refused(korus: Client) -> None:
    unknown_catalog = DAY_TICKET.replace(
        CATALOG, "/v1/ticketing/catalogs/0194cb23-170e-71f0-b4bb-0a7e644dea34"
    )
    response = korus.post(
        "/v1/booking/reservations/_bulk",
        json={
            "items": [
                {
                    "offer": SEED_OFFER,
                    "quantity": 1,
                    "ticketSessions": [{"ticket": unknown_catalog}],
                }
            ]
        },
    )
    assert (response.status_code, response.json()["detail"]) == (
        400,
        f'Item not found for "{unknown_catalog}".',
    )
    # A session that exists, but of another ticket: the consistency check's 422.
    response = korus.post(
        "/v1/booking/reservations/_bulk",
        headers={"Accept-Language": "en"},
        json={
            "items": [
                {
                    "offer": SEED_OFFER,
                    "quantity": 1,
                    "ticketSessions": [
                        {"ticket": DAY_TICKET},
                        {"ticket": SHOW_TICKET, "session": SMALL},
                    ],
                }
            ]
        },
    )
    assert response.status_code == 422, response.text
    assert response.json()["detail"] == (
        f"items[0].ticketSessions[1].session: Session {SMALL} is not a session of this ticket"
    )


def test_content_location_can_be_followed(korus: Client) -> None:
    iri = reserve(korus, seed_item())["reservations"][0]["@id"]
    order = korus.post(
        "/v1/booking/orders/_bulk", json={"reservations": [iri], "customer": CUSTOMER}
    ).json()["orders"][0]
    ticket = order["items"][0]["tickets"][0]["@id"]
    patched = korus.request(
        "PATCH", ticket, headers=MERGE, json={"beneficiary": {"firstname": "A", "lastname": "B"}}
    )
    location = patched.headers["content-location"]
    assert location == f"{ticket}.jsonld"
    assert korus.get(location).json()["@id"] == ticket


def test_unseated_places_make_the_arrangement_unknown(korus: Client) -> None:
    iri = reserve(korus, seed_item(12))["reservations"][0]["@id"]  # 11 seats in the map
    assert korus.get(iri).json()["seatsArrangement"] == "UNKNOWN"


@pytest.mark.parametrize(
    "query", ["external_reference=" + "x" * 51, "external_reference=a&external_reference=b"]
)
def test_external_reference_pattern(korus: Client, query: str) -> None:
    response = korus.get(f"/v1/booking/orders?{query}")
    assert response.status_code == 422
    assert response.json()["violations"][0]["propertyPath"] == "external_reference"


def test_an_order_ticket_with_a_foreign_allocation_is_refused_on_import(korus: Client) -> None:
    iri = reserve(korus, seed_item())["reservations"][0]["@id"]
    korus.post("/v1/booking/orders/_bulk", json={"reservations": [iri], "customer": CUSTOMER})
    state = korus.api.get("/_sandbox/state").json()
    order = next(iter(state["vendors"]["korus"]["orders"].values()))
    order["items"][0]["tickets"][0]["allocation"] = "zzz"
    assert korus.api.put("/_sandbox/state", json=state).status_code == 422


def test_the_storage_host_answers_in_xml(api: Api) -> None:
    wrong = api.request("PUT", "/storage/korus-documents/a/b/c.pdf")
    assert wrong.status_code == 405
    assert wrong.headers["content-type"].startswith("application/xml")
    assert wrong.headers["allow"] == "GET"
    assert "<Code>MethodNotAllowed</Code>" in wrong.text
    assert "<Code>NoSuchKey</Code>" in api.get("/storage/korus-documents/a/b%2Fx/c.pdf").text


def test_a_bug_on_the_storage_host_is_its_own_xml_500(monkeypatch: pytest.MonkeyPatch) -> None:
    # The one `owns` rule covers the signed-URL host: an unhandled error there gets GCS's XML,
    # not the control plane's JSON envelope.
    def broken(*args: Any) -> str:
        raise RuntimeError("a bug in the download")

    monkeypatch.setattr("booking_sandbox.vendors.korus.documents.signature", broken)
    with TestClient(create_app(Settings()), raise_server_exceptions=False) as client:
        answer = client.get("/storage/korus-documents/default/o/d.pdf?Expires=1&Signature=x")
    assert answer.status_code == 500
    assert answer.headers["content-type"].startswith("application/xml")
    assert "<Code>InternalError</Code>" in answer.text


def test_empty_php_arrays_are_empty_whatever_their_json_spelling(korus: Client) -> None:
    items = korus.post("/v1/booking/reservations/_bulk", json={"items": {}})
    assert items.status_code == 422
    assert items.json()["violations"][0]["propertyPath"] == "items"
    unknown = "/v1/booking/reservations/0194b10f-3ddd-70a5-a96a-d1026cd42746"
    customer = korus.post(
        "/v1/booking/orders/_bulk", json={"reservations": [unknown], "customer": []}
    )
    assert customer.status_code == 422
    assert customer.json()["violations"][0]["propertyPath"] == "customer.firstname"


@pytest.mark.parametrize(
    "birth", ["\uff12\uff10\uff10\uff10-\uff10\uff11-\uff10\uff11", "2000-01-01\n"]
)
def test_dates_of_birth_are_ascii_and_whole(korus: Client, birth: str) -> None:
    iri = reserve(korus, seed_item())["reservations"][0]["@id"]
    order = korus.post(
        "/v1/booking/orders/_bulk", json={"reservations": [iri], "customer": CUSTOMER}
    ).json()["orders"][0]
    ticket = order["items"][0]["tickets"][0]["@id"]
    response = korus.request(
        "PATCH",
        ticket,
        headers=MERGE,
        json={"beneficiary": {"firstname": "A", "lastname": "B", "dateOfBirth": birth}},
    )
    assert response.status_code == 422


@pytest.mark.slow  # a fresh interpreter in a subprocess
def test_runtime_imports_alone() -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", "import booking_sandbox.core.runtime"], check=False
    )
    assert done.returncode == 0


def test_a_reservation_reads_its_seats_and_line_amounts(korus: Client) -> None:
    iri = reserve(korus, seed_item(2))["reservations"][0]["@id"]
    item = korus.get(iri).json()["items"][0]
    assert list(item) == [
        "@type",
        "@id",
        "unitAmountInclTax",
        "unitAmountExclTax",
        "amountInclTax",
        "amountExclTax",
        "date",
        "offer",
        "product",
        "offerTickets",
    ]
    assert (item["amountInclTax"], item["date"]) == ("160.00", "2025-06-07")
    # One place per unit and ticket, one seat per place (issue 16: tests/korus/test_shapes.py).
    day, show, _, show2 = item["offerTickets"]
    assert ("session" in day, day["seating"]) == (False, None)
    assert [show["seating"]["seatNumber"], show2["seating"]["seatNumber"]] == ["227", "228"]


def test_basic_client_authentication_on_the_token_endpoint(api: Api) -> None:
    response = api.post(
        "/realms/korusticket/protocol/openid-connect/token",
        data={"grant_type": "client_credentials"},
        auth=("demo-client", "demo-secret"),
    )
    assert response.status_code == 200, response.text


# test_a_signed_token_without_a_numeric_exp_is_invalid: tests/korus/test_keycloak.py


def test_a_dated_offer_is_not_bookable_after_its_date(korus: Client) -> None:
    korus.api.put("/_sandbox/clock", json={"now": "2025-06-08T08:00:00Z", "frozen": True})
    fresh = Client(korus.api, login(korus.api)["access_token"])
    response = fresh.post(
        "/v1/booking/reservations/_bulk",
        headers={"Accept-Language": "en"},
        json={"items": [{"offer": f"{CATALOG}/offers/0194ac41-0a1b-7c2d-9e3f-4a5b6c7d8eb0"}]},
    )
    assert response.status_code == 422, response.text
    assert response.json()["detail"] == (
        "items[0].quantity: This value should not be null.\nitems[0].offer: Offer date has passed"
    )


def test_json_objects_are_php_arrays(korus: Client) -> None:
    body = reserve(
        korus,
        {
            "offer": SEED_OFFER,
            "quantity": 1,
            "ticketSessions": {
                "a": {"ticket": DAY_TICKET},
                "b": {"ticket": SHOW_TICKET, "session": SHOW},
            },
        },
    )
    assert len(body["reservations"]) == 1
    response = korus.post(
        "/v1/booking/orders/_bulk",
        json={"reservations": {"0": body["reservations"][0]["@id"]}, "customer": CUSTOMER},
    )
    assert len(response.json()["orders"]) == 1


def test_booking_ids_are_uuids_and_bulk_is_post_only(korus: Client) -> None:
    bulk = korus.get("/v1/booking/reservations/_bulk")
    assert (bulk.status_code, bulk.headers["allow"]) == (405, "POST")
    odd = korus.get("/v1/booking/orders/not-a-uuid")
    assert odd.status_code == 404
    assert odd.json()["detail"].startswith('No route found for "GET ')


def test_view_keeps_the_last_of_a_repeated_key(korus: Client) -> None:
    view = korus.get("/v1/ticketing/catalogs?itemsPerPage=5&itemsPerPage=1").json()["view"]
    assert view["@id"] == "/v1/ticketing/catalogs?itemsPerPage=1&page=1"


def test_a_live_reservation_with_released_holds_is_refused_on_import(korus: Client) -> None:
    reserve(korus, seed_item())
    state = korus.api.get("/_sandbox/state").json()
    for allocation in state["inventory"]["allocations"]:
        if allocation["pool"].startswith("korus:"):
            allocation["status"] = "released"
    refused = korus.api.put("/_sandbox/state", json=state)
    assert refused.status_code == 422
    assert "$.vendors.korus" in refused.text
