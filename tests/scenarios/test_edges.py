"""Scenario edges: the ends of datetime's range, an expired hold seen before the clock goes
back, whole-second expiry, IRIs naming another record, refusals that leave no namespace."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api
from tests.korus.conftest import CATALOG, SEED_MOMENT, SHOW, Client, login
from tests.scenarios.conftest import apply, refused

OFFER_ID = "0194ac40-fda7-78c1-8fcb-26fc2df25894"
PUBLIC = "/v1/ticketing/catalogs/0194d07e-aa37-7171-820c-712e91552451"  # another organization's
MULTI_OFFER_ID = "0194ac41-0a1b-7c2d-9e3f-4a5b6c7d8e90"
LAGGING = "a2d96edf-7d8b-42de-9897-e5aee335f3ca"  # a Booqable product with a lag time


def at(api: Api, now: str) -> None:
    assert api.put("/_sandbox/clock", json={"now": now, "frozen": True}).status_code == 200


# ----- the ends of datetime's range --------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"starts_at": "9999-12-31T23:59:59Z"}, "$.starts_at"),  # + the default 2 days
        (
            {
                "product": LAGGING,
                "starts_at": "9999-12-30T00:00:00Z",
                "stops_at": "9999-12-31T23:45:00Z",
            },
            "$.stops_at",  # + the lag time
        ),
    ],
)
def test_a_booqable_period_past_year_9999_is_422_on_the_parameter(
    api: Api, body: dict[str, Any], path: str
) -> None:
    error = refused(api, "booqable-shortage-limit", body, 422, "invalid_body")
    [detail] = error["details"]
    assert detail["path"] == path
    assert "outside the years 1 to 9999" in detail["message"]


def test_an_expiring_reservation_before_the_clock_range_is_refused(api: Api) -> None:
    at(api, "1900-01-01T00:10:00Z")
    error = refused(api, "korus-expiring-reservation", {}, 409, "scenario_unavailable")
    assert "1900-01-01T00:10:00+00:00 - 840 s falls outside the clock's range" in error["message"]
    error = refused(api, "korus-expiring-reservation", {"seconds_left": 30}, 422, "invalid_body")
    assert [d["path"] for d in error["details"]] == ["$.seconds_left"]


# ----- korus-expiring-reservation ----------------------------------------------------------


def test_a_hold_that_expired_unobserved_stays_expired_when_the_clock_goes_back(api: Api) -> None:
    at(api, SEED_MOMENT)
    apply(api, "korus-expiring-reservation", quantity=200, seconds_left=60)  # the whole show
    api.post("/_sandbox/clock/advance", json={"seconds": 120})  # expired, nobody looked
    apply(api, "korus-expiring-reservation", quantity=1)
    korus = Client(api, login(api)["access_token"])
    assert korus.get(SHOW).json()["availableQuantity"] == 199


def test_expiry_is_at_least_seconds_left_ahead_of_a_clock_between_seconds(api: Api) -> None:
    at(api, "2025-01-29T07:55:53.400Z")
    applied = apply(api, "korus-expiring-reservation", seconds_left=60)
    # From the next whole second: createdAt and expiresAt are whole seconds.
    assert (applied["createdAt"], applied["expiresAt"]) == (
        "2025-01-29T07:41:54+00:00",
        "2025-01-29T07:56:54+00:00",
    )
    assert applied["seconds_left"] == 60.6
    assert api.get("/_sandbox/clock").json()["now"] == "2025-01-29T07:55:53.400000Z"


def test_the_default_seconds_left_is_capped_at_a_shorter_hold(api: Api) -> None:
    state = api.get("/_sandbox/state").json()
    for catalog in state["catalogs"]["korus"]["catalogs"]:
        catalog["reservationHoldSeconds"] = 30
    assert api.put("/_sandbox/state", json=state).status_code == 200
    at(api, SEED_MOMENT)
    applied = apply(api, "korus-expiring-reservation")
    assert applied["seconds_left"] == 30
    assert applied["createdAt"] == applied["expiresAt"].replace("56:23", "55:53")


# ----- IRIs naming another record ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "body", "path", "words"),
    [
        (
            "korus-expiring-reservation",
            {"offer": f"{PUBLIC}/offers/{OFFER_ID}"},
            "$.offer",
            f"catalog {PUBLIC.rsplit('/', 1)[1]}",
        ),
        (
            "korus-sold-out",
            {"session": SHOW.replace(OFFER_ID, MULTI_OFFER_ID)},
            "$.session",
            f"offer {MULTI_OFFER_ID}",
        ),
        (
            "korus-sold-out",
            {"session": SHOW.replace(CATALOG, PUBLIC)},
            "$.session",
            "catalog",
        ),
    ],
)
def test_an_iri_naming_another_catalog_offer_or_ticket_is_422(
    api: Api, name: str, body: dict[str, Any], path: str, words: str
) -> None:
    at(api, SEED_MOMENT)
    error = refused(api, name, body, 422, "invalid_body")
    [detail] = error["details"]
    assert detail["path"] == path
    assert words in detail["message"]


# ----- refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "body", "status", "code"),
    [
        ("korus-sold-out", {"session": "nope"}, 422, "invalid_body"),
        ("booqable-shortage-limit", {"starts_at": "9999-12-31T23:59:59Z"}, 422, "invalid_body"),
        (
            "pontcentral-last-place",
            {"product": "TOUR-ORSAY-AFTERHOURS"},
            409,
            "scenario_unavailable",
        ),
    ],
)
def test_a_refused_scenario_creates_no_namespace(
    api: Api, name: str, body: dict[str, Any], status: int, code: str
) -> None:
    fresh = Api(api.client, f"{api.namespace}-fresh")
    refused(fresh, name, body, status, code)
    assert fresh.namespace not in api.get("/_sandbox/namespaces").json()["namespaces"]
