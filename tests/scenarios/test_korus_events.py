"""korus-order-cancelled and korus-reservation-released: vendor-side events QA triggers on the
control plane, since Korus has no cancel or release operation. Their effects on the vendor's
records are tested in tests/korus/test_tickets_documents.py; here, parameters and refusals."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api
from tests.korus.conftest import SEED_MOMENT, Client, login, seed_item
from tests.scenarios.conftest import EVENTS, apply, records, refused

CUSTOMER = {"firstname": "John", "lastname": "Doe", "email": "john.doe@example.com"}
UNKNOWN = "0194b10f-3ddd-70a5-a96a-d1026cd42746"
OTHER_CATALOG = "/v1/ticketing/catalogs/0194cb23-170e-71f0-b4bb-0a7e644dea34"  # other-client's


@pytest.fixture
def korus(api: Api) -> Client:
    api.put("/_sandbox/clock", json={"now": SEED_MOMENT, "frozen": True})
    return Client(api, login(api)["access_token"])


def reserve(client: Client) -> dict[str, Any]:
    response = client.post("/v1/booking/reservations/_bulk", json={"items": [seed_item()]})
    assert response.status_code == 200, response.text
    reservation: dict[str, Any] = response.json()["reservations"][0]
    return reservation


def book(client: Client) -> dict[str, Any]:
    body = {"reservations": [reserve(client)["@id"]], "customer": CUSTOMER}
    response = client.post("/v1/booking/orders/_bulk", json=body)
    assert response.status_code == 200, response.text
    order: dict[str, Any] = response.json()["orders"][0]
    return order


@pytest.mark.parametrize("name", EVENTS)
@pytest.mark.parametrize(
    ("value", "words"),
    [
        (None, "required"),
        ("", "non-empty string"),
        (5, "non-empty string"),
        ("x", "not the id or IRI of a Korus"),
        ("/v1/booking/things/0194b10f-3ddd-70a5-a96a-d1026cd42746", "not the id or IRI"),
        (UNKNOWN, f"no {{}} {UNKNOWN} in namespace"),
    ],
)
def test_a_missing_malformed_or_unknown_record_is_422(
    korus: Client, name: str, value: Any, words: str
) -> None:
    parameter = name.split("-")[1]  # order, reservation
    book(korus)
    before = records(korus.api)
    body = {} if value is None else {parameter: value}
    error = refused(korus.api, name, body, 422, "invalid_body")
    [detail] = error["details"]
    assert detail["path"] == f"$.{parameter}"
    assert words.format(parameter) in detail["message"]
    assert records(korus.api) == before


def test_an_absolute_iri_or_an_upper_case_id_names_the_order(korus: Client) -> None:
    first, second = book(korus), book(korus)
    applied = apply(korus.api, "korus-order-cancelled", order=f"https://x.example{first['@id']}")
    assert applied["order"] == first["@id"]
    applied = apply(korus.api, "korus-order-cancelled", order=second["id"].upper())
    assert applied["order"] == second["@id"]


def test_another_organizations_reservation_is_released_all_the_same(korus: Client) -> None:
    """QA acts on the namespace, whoever booked: here the second organization's reservation."""
    other = Client(korus.api, login(korus.api, "other-client", "other-secret")["access_token"])
    offer = f"{OTHER_CATALOG}/offers/0194cb23-5a24-7a58-a0c3-7d5e1b9f2a16"
    ticket = f"{offer}/tickets/0194cb23-5a24-7a58-a0c3-7d5e1b9f2a17"
    item = {
        "offer": offer,
        "quantity": 1,
        "ticketSessions": [
            {"ticket": ticket, "session": f"{ticket}/sessions/0194cb23-5a2b-7c90-8e14-3f6a0b2d9c41"}
        ],
    }
    made = other.post("/v1/booking/reservations/_bulk", json={"items": [item]})
    [reservation] = made.json()["reservations"]
    applied = apply(korus.api, "korus-reservation-released", reservation=reservation["@id"])
    assert applied["status"] == "released"
    assert other.get(reservation["@id"]).json()["status"] == "released"
    assert korus.get(reservation["@id"]).status_code == 403  # still not the first's to read


def test_a_reservation_of_a_cancelled_order_stays_ordered(korus: Client) -> None:
    order = book(korus)
    apply(korus.api, "korus-order-cancelled", order=order["id"])
    error = refused(
        korus.api,
        "korus-reservation-released",
        {"reservation": order["reservation"]},
        409,
        "scenario_unavailable",
    )
    assert "korus-order-cancelled" in error["message"]


@pytest.mark.parametrize("name", EVENTS)
def test_state_round_trips_after_each_event(korus: Client, name: str) -> None:
    order = book(korus)
    reservation = reserve(korus)
    if name == "korus-order-cancelled":
        apply(korus.api, name, order=order["id"])
    else:
        apply(korus.api, name, reservation=reservation["id"])
    api = korus.api
    exported = api.get("/_sandbox/state").json()
    copy = Api(api.client, f"{api.namespace}-copy")
    assert copy.put("/_sandbox/state", json=exported).status_code == 200, name
    again = copy.get("/_sandbox/state").json()
    for key in ("inventory", "vendors", "ids"):
        assert again[key] == exported[key], key


@pytest.mark.parametrize("name", EVENTS)
def test_without_korus_fixtures_it_is_409(api: Api, name: str) -> None:
    state = api.get("/_sandbox/state").json()
    del state["catalogs"]["korus"]
    state["vendors"].pop("korus", None)
    assert api.put("/_sandbox/state", json=state).status_code == 200
    parameter = name.split("-")[1]
    error = refused(api, name, {parameter: UNKNOWN}, 409, "scenario_unavailable")
    assert api.namespace in error["message"]


@pytest.mark.parametrize("name", EVENTS)
def test_a_refused_event_creates_no_namespace(api: Api, name: str) -> None:
    fresh = Api(api.client, f"{api.namespace}-fresh")
    refused(fresh, name, {}, 422, "invalid_body")
    assert fresh.namespace not in api.get("/_sandbox/namespaces").json()["namespaces"]
