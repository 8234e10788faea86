"""GET /_sandbox/scenarios, and the errors every scenario shares: unknown name, bad body,
bad parameters (422 before any vendor request), fixtures without what a scenario needs."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api
from tests.scenarios.conftest import LISTED, records, refused

SEED_SESSION = "337177bc-e513-444f-bcee-49a3e25b48a3"
CLOSED_SESSION = "0194ac41-2b3c-7d10-8e4f-5a6b7c8d9e02"  # of the multi-session offer, closed
OFF_SALE_OFFER = "0194ac41-0a1b-7c2d-9e3f-4a5b6c7d8ea0"
SERVICE = "07a4050e-10ac-41b2-83a9-fcec3fef5b24"  # Booqable "Delivery & setup": no stock


def test_list_names_every_scenario_with_its_vendor_description_and_parameters(api: Api) -> None:
    response = api.get("/_sandbox/scenarios")
    assert response.status_code == 200
    listed = response.json()["scenarios"]
    assert [s["name"] for s in listed] == list(LISTED)
    assert {s["name"]: s["vendor"] for s in listed} == {
        "korus-sold-out": "korus",
        "korus-expiring-reservation": "korus",
        "korus-order-cancelled": "korus",
        "korus-reservation-released": "korus",
        "booqable-shortage-limit": "booqable",
        "pontcentral-last-place": "pontcentral",
    }
    for scenario in listed:
        assert set(scenario) == {"name", "vendor", "description", "parameters"}
        assert len(scenario["description"]) > 40
        assert scenario["parameters"]
        assert all(isinstance(v, str) and v for v in scenario["parameters"].values())
    expiring = next(s for s in listed if s["name"] == "korus-expiring-reservation")
    assert set(expiring["parameters"]) == {"offer", "session", "quantity", "seconds_left"}


def test_unknown_scenario_is_404(api: Api) -> None:
    error = refused(api, "korus-sold-in", {}, 404, "scenario_not_found")
    assert "korus-sold-in" in error["message"]


def test_a_body_that_is_not_json_is_400(api: Api) -> None:
    response = api.post(
        "/_sandbox/scenarios/korus-sold-out",
        content=b"{",
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"


def test_a_body_that_is_not_an_object_is_422(api: Api) -> None:
    error = refused(api, "korus-sold-out", ["session"], 422, "invalid_body")
    assert error["details"][0]["path"] == "$"


def test_no_body_applies_the_defaults(api: Api) -> None:
    response = api.post("/_sandbox/scenarios/pontcentral-last-place")
    assert response.status_code == 200, response.text
    assert response.json()["applied"]["left"] == 1


@pytest.mark.parametrize(
    ("name", "body", "path", "words"),
    [
        ("korus-sold-out", {"seats": 3}, "$.seats", "no parameter"),
        ("korus-sold-out", {"session": "nope"}, "$.session", "no session"),
        ("korus-sold-out", {"session": 5}, "$.session", "string"),
        ("korus-sold-out", {"session": CLOSED_SESSION}, "$.session", "Session is closed"),
        ("korus-sold-out", {"offer": OFF_SALE_OFFER}, "$.offer", "does not hold"),
        ("korus-expiring-reservation", {"seconds_left": 0}, "$.seconds_left", "between 1 and 900"),
        ("korus-expiring-reservation", {"seconds_left": 901}, "$.seconds_left", "900"),
        ("korus-expiring-reservation", {"quantity": "1"}, "$.quantity", "integer"),
        ("korus-expiring-reservation", {"quantity": True}, "$.quantity", "integer"),
        ("korus-expiring-reservation", {"quantity": 0}, "$.quantity", "between"),
        ("korus-expiring-reservation", {"offer": "/v1/nothing"}, "$.offer", "no offer"),
        (
            "korus-expiring-reservation",
            {"offer": OFF_SALE_OFFER},
            "$.offer",
            "Offer is not on sale",
        ),
        ("booqable-shortage-limit", {"product": "nope"}, "$.product", "no product"),
        ("booqable-shortage-limit", {"product": SERVICE}, "$.product", "no stock"),
        ("booqable-shortage-limit", {"starts_at": "tomorrow"}, "$.starts_at", "ISO 8601"),
        (
            "booqable-shortage-limit",
            {"starts_at": "2025-02-01T09:00:00Z", "stops_at": "2025-02-01T09:10:00Z"},
            "$.stops_at",
            "after starts_at",
        ),
        ("pontcentral-last-place", {"product": "NOPE"}, "$.product", "no active product"),
        ("pontcentral-last-place", {"product": "TOUR-VERSAILLES-DAY"}, "$.product", "active"),
        ("pontcentral-last-place", {"slot": "2026-03-25T11:00:00"}, "$.slot", "no slot"),
        ("pontcentral-last-place", {"slot": "soon"}, "$.slot", "ISO 8601"),
    ],
)
def test_bad_parameters_are_422_before_any_vendor_request(
    api: Api, name: str, body: dict[str, Any], path: str, words: str
) -> None:
    before = records(api)
    error = refused(api, name, body, 422, "invalid_body")
    assert [d["path"] for d in error["details"]] == [path]
    assert words in error["details"][0]["message"]
    assert records(api) == before


def test_every_problem_is_reported_at_once(api: Api) -> None:
    error = refused(
        api,
        "korus-expiring-reservation",
        {"quantity": -1, "seconds_left": "60"},
        422,
        "invalid_body",
    )
    assert [d["path"] for d in error["details"]] == ["$.quantity", "$.seconds_left"]


def test_a_slot_past_on_the_namespace_clock_is_422(api: Api) -> None:
    api.put("/_sandbox/clock", json={"now": "2026-03-26T00:00:00Z"})
    error = refused(
        api, "pontcentral-last-place", {"slot": "2026-03-25T10:00:00"}, 422, "invalid_body"
    )
    assert "past" in error["details"][0]["message"]


def test_a_session_that_has_started_is_422(api: Api) -> None:
    api.put("/_sandbox/clock", json={"now": "2025-06-07T19:00:00Z", "frozen": True})
    error = refused(api, "korus-sold-out", {"session": SEED_SESSION}, 422, "invalid_body")
    assert error["details"] == [
        {
            "path": "$.session",
            "message": "that session: Korus would refuse it: Session has already taken place "
            "(namespace clock 2025-06-07T19:00:00Z)",
        }
    ]


def test_an_offer_problem_is_blamed_on_the_session_that_chose_the_offer(api: Api) -> None:
    api.put("/_sandbox/clock", json={"now": "2025-06-08T00:00:00Z", "frozen": True})
    error = refused(api, "korus-sold-out", {"session": SEED_SESSION}, 422, "invalid_body")
    assert [d["path"] for d in error["details"]] == ["$.session", "$.session"]
    assert (
        "that offer: Korus would refuse it: Offer date has passed" in error["details"][0]["message"]
    )


def test_defaults_that_do_not_fit_the_clock_are_409_unavailable(api: Api) -> None:
    api.put("/_sandbox/clock", json={"now": "2025-06-08T00:00:00Z", "frozen": True})
    error = refused(api, "korus-sold-out", {}, 409, "scenario_unavailable")
    assert error["message"] == (
        "the default offer: Korus would refuse it: Offer date has passed (namespace clock "
        "2025-06-08T00:00:00Z); name one with `offer`, or set the namespace clock back"
    )
    error = refused(api, "korus-expiring-reservation", {}, 409, "scenario_unavailable")
    assert "the default offer: Korus would refuse it: Offer date" in error["message"]


def _without(api: Api, section: str) -> None:
    """The namespace, re-imported from its own state less one vendor's catalog."""
    state = api.get("/_sandbox/state").json()
    del state["catalogs"][section]
    state["vendors"].pop(section, None)
    assert api.put("/_sandbox/state", json=state).status_code == 200


@pytest.mark.parametrize(
    ("name", "section"),
    [
        ("korus-sold-out", "korus"),
        ("korus-expiring-reservation", "korus"),
        ("booqable-shortage-limit", "booqable"),
        ("pontcentral-last-place", "pontcentral"),
    ],
)
def test_fixtures_without_the_vendor_are_409_unavailable(api: Api, name: str, section: str) -> None:
    _without(api, section)
    error = refused(api, name, {}, 409, "scenario_unavailable")
    assert api.namespace in error["message"]


def test_fixtures_without_a_default_are_409_unavailable(api: Api) -> None:
    state = api.get("/_sandbox/state").json()
    for group in state["catalogs"]["booqable"]["product_groups"]:
        group["allow_shortage"] = False
    assert api.put("/_sandbox/state", json=state).status_code == 200
    error = refused(api, "booqable-shortage-limit", {}, 409, "scenario_unavailable")
    assert "shortage limit" in error["message"]


def test_a_product_of_an_inactive_partner_is_409_unavailable(api: Api) -> None:
    error = refused(
        api,
        "pontcentral-last-place",
        {"product": "NICE-PROMENADE-BIKE"},
        409,
        "scenario_unavailable",
    )
    assert "partner" in error["message"]
