"""korus-sold-out and korus-expiring-reservation, observed through the Korus API."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api
from tests.korus.conftest import (
    SEED_MOMENT,
    SEED_OFFER,
    SHOW,
    SMALL,
    Client,
    login,
    multi_item,
    seed_item,
)
from tests.scenarios.conftest import apply

CUSTOMER = {"firstname": "John", "lastname": "Doe", "email": "john.doe@example.com"}
# Seed 001's 422 for an expired reservation (the catalog's default language is French).
EXPIRED = {
    "propertyPath": "reservations[0].expired",
    "message": "La réservation a expiré",
    "code": "d53a91b0-def3-426a-83d7-269da7ab4200",
}


@pytest.fixture
def korus(api: Api) -> Client:
    api.put("/_sandbox/clock", json={"now": SEED_MOMENT, "frozen": True})
    return Client(api, login(api)["access_token"])


def reserve(korus: Client, *items: dict[str, Any]) -> dict[str, Any]:
    response = korus.post("/v1/booking/reservations/_bulk", json={"items": list(items)})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def order(korus: Client, reservation: str) -> Any:
    body = {"reservations": [reservation], "customer": CUSTOMER}
    return korus.post("/v1/booking/orders/_bulk", json=body)


def available(korus: Client, session: str) -> int:
    response = korus.get(session)
    assert response.status_code == 200, response.text
    return int(response.json()["availableQuantity"])


# ----- korus-sold-out ---------------------------------------------------------------------


def test_sold_out_takes_every_seat_of_seed_001s_session(korus: Client) -> None:
    assert available(korus, SHOW) == 200
    applied = apply(korus.api, "korus-sold-out")
    assert applied["session"] == SHOW
    assert applied["offer"] == SEED_OFFER
    assert (applied["account"], applied["seats_taken"], applied["available"]) == (
        "demo-client",
        200,
        0,
    )
    assert len(applied["seat_numbers"]) == 11  # the session's named seats, all assigned
    assert available(korus, SHOW) == 0
    [made] = applied["orders"]
    document = korus.get(made["order"]).json()  # a real order of the organization
    assert document["reference"] == made["reference"]
    assert document["externalReference"] == "sandbox-scenario:korus-sold-out"
    assert sum(item["quantity"] for item in document["items"]) == 200


def test_after_sold_out_a_reservation_fails_sold_out(korus: Client) -> None:
    apply(korus.api, "korus-sold-out")
    body = reserve(korus, seed_item())
    assert body["reservations"] == []
    assert [f["message"] for f in body["failedReservations"]] == ["Offer is sold out"]


def test_sold_out_counts_seats_already_held_and_is_idempotent(korus: Client) -> None:
    reserve(korus, seed_item(5))
    first = apply(korus.api, "korus-sold-out")
    assert first["seats_taken"] == 195
    again = apply(korus.api, "korus-sold-out")
    assert (again["orders"], again["seats_taken"], again["available"]) == ([], 0, 0)


def test_sold_out_takes_a_session_given_by_iri(korus: Client) -> None:
    applied = apply(korus.api, "korus-sold-out", session=SMALL)
    assert applied["session"] == SMALL
    assert applied["seats_taken"] == 2
    assert sorted(applied["seat_numbers"]) == ["101", "102"]
    assert available(korus, SMALL) == 0
    assert available(korus, SHOW) == 200  # another session is untouched
    failed = reserve(korus, multi_item(SMALL))["failedReservations"]
    assert [f["message"] for f in failed] == ["Offer is sold out"]


def test_sold_out_in_one_namespace_only(korus: Client, api: Api) -> None:
    other = Api(api.client, f"{api.namespace}-other")
    apply(other, "korus-sold-out")
    assert available(korus, SHOW) == 200


# ----- korus-expiring-reservation ---------------------------------------------------------


def test_expiring_reservation_expires_sixty_seconds_from_now(korus: Client) -> None:
    applied = apply(korus.api, "korus-expiring-reservation")
    assert applied["createdAt"] == "2025-01-29T07:41:53+00:00"  # made 840 s ago
    assert applied["expiresAt"] == "2025-01-29T07:56:53+00:00"
    assert applied["seconds_left"] == 60
    assert applied["sessions"] == [SHOW]
    clock = korus.api.get("/_sandbox/clock").json()
    assert clock == {"now": "2025-01-29T07:55:53Z", "frozen": True}  # back where it was
    document = korus.get(applied["reservation"]).json()
    assert (document["expired"], document["expiresAt"]) == (False, applied["expiresAt"])


def test_the_expiring_reservation_can_be_ordered_before_it_expires(korus: Client) -> None:
    applied = apply(korus.api, "korus-expiring-reservation")
    korus.api.post("/_sandbox/clock/advance", json={"seconds": 59})
    response = order(korus, applied["reservation"])
    assert response.status_code == 200, response.text
    assert response.json()["orders"][0]["reservation"] == applied["reservation"]


def test_the_expiring_reservation_fails_with_seed_001s_422_once_expired(korus: Client) -> None:
    applied = apply(korus.api, "korus-expiring-reservation")
    korus.api.post("/_sandbox/clock/advance", json={"seconds": 61})
    response = order(korus, applied["reservation"])
    assert response.status_code == 422
    assert response.json()["violations"] == [EXPIRED]


def test_expiring_reservation_parameters(korus: Client) -> None:
    applied = apply(
        korus.api, "korus-expiring-reservation", session=SMALL, quantity=2, seconds_left=300
    )
    assert applied["expiresAt"] == "2025-01-29T08:00:53+00:00"
    assert applied["quantity"] == 2
    assert applied["sessions"] == [SMALL]
    assert available(korus, SMALL) == 0


def test_a_running_clock_keeps_running(api: Api) -> None:
    korus = Client(api, login(api)["access_token"])
    applied = apply(api, "korus-expiring-reservation", seconds_left=120)
    assert api.get("/_sandbox/clock").json()["frozen"] is False
    assert 119 <= applied["seconds_left"] <= 121  # from the next whole second, less the time since
    assert korus.get(applied["reservation"]).json()["expired"] is False


def test_moving_the_clock_back_disturbs_no_other_reservation(korus: Client) -> None:
    old = reserve(korus, seed_item())["reservations"][0]
    korus.api.post("/_sandbox/clock/advance", json={"seconds": 600})
    live = reserve(korus, seed_item())["reservations"][0]
    korus.api.post("/_sandbox/clock/advance", json={"seconds": 301})  # `old` has expired
    assert korus.get(old["@id"]).json()["expired"] is True
    apply(korus.api, "korus-expiring-reservation")  # runs 840 s back, when `old` was live
    assert korus.get(old["@id"]).json()["expired"] is True
    assert korus.get(live["@id"]).json()["expiresAt"] == live["expiresAt"]
    assert order(korus, old["@id"]).json()["violations"] == [EXPIRED]
    assert order(korus, live["@id"]).status_code == 200
    assert available(korus, SHOW) == 198  # `live` ordered, the scenario's hold; `old` freed


def test_a_reservation_the_vendor_refuses_fails_the_scenario_with_its_message(
    korus: Client,
) -> None:
    apply(korus.api, "korus-sold-out")
    response = korus.api.post("/_sandbox/scenarios/korus-expiring-reservation", json={})
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "scenario_failed"
    assert "Offer is sold out" in error["message"]
    assert error["details"][0]["path"] == "POST /v1/booking/reservations/_bulk"
    assert korus.api.get("/_sandbox/clock").json()["now"] == "2025-01-29T07:55:53Z"


def test_the_magic_refused_quantity_is_held_all_the_same(korus: Client) -> None:
    # 999 in one item is the magic value that makes the vendor refuse it: split, not refused.
    public = "/v1/ticketing/catalogs/0194d07e-aa37-7171-820c-712e91552451"
    offer = f"{public}/offers/0194d07e-ab12-7d4e-9a31-6f2b8c0d4e57"
    applied = apply(korus.api, "korus-expiring-reservation", offer=offer, quantity=999)
    assert applied["quantity"] == 999
    assert korus.get(f"{offer}/availability").json()["availableQuantity"] == 1  # of 1000
