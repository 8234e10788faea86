"""A fault rule's `match.operation` must name an operation `GET /_sandbox/operations` lists:
a typo would otherwise be accepted and never fire."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api
from tests.traffic.conftest import Vendors

STATUS = {"status": 503}


def refused(api: Api, match: dict[str, str]) -> dict[str, Any]:
    """The error of a rule refused for its operation; nothing was added."""
    response = api.post("/_sandbox/faults", json={"match": match, "action": STATUS})
    assert response.status_code == 422, response.text
    error: dict[str, Any] = response.json()["error"]
    assert error["code"] == "invalid_body"
    assert [d["path"] for d in error["details"]] == ["$.match.operation"]
    assert error["message"] == f"$.match.operation: {error['details'][0]['message']}"
    assert api.get("/_sandbox/faults").json() == {"faults": []}
    return error


def test_a_typo_is_refused_with_the_nearest_names(api: Api) -> None:
    error = refused(api, {"operation": "korus.reservation-bulk"})
    assert error["details"][0]["message"] == (
        "is no operation of any vendor; nearest: korus.reservations-bulk, korus.reservation, "
        "korus.reservations; GET /_sandbox/operations lists them"
    )


def test_the_nearest_names_are_the_matched_vendors(api: Api) -> None:
    message = refused(api, {"vendor": "booqable", "operation": "booqable.product"})["details"][0]
    assert message["message"].startswith("is no operation of booqable; nearest: booqable.products")
    assert "pontcentral.product" not in message["message"]  # the other vendor's exact name


def test_another_vendors_operation_is_refused_saying_whose_it_is(api: Api) -> None:
    message = refused(api, {"vendor": "korus", "operation": "booqable.orders"})["details"][0]
    assert message["message"].startswith("is no operation of korus but of booqable")


def test_a_name_nothing_is_near_says_where_the_names_are(api: Api) -> None:
    message = refused(api, {"operation": "zzzz"})["details"][0]["message"]
    assert message == "is no operation of any vendor; GET /_sandbox/operations lists them"


@pytest.mark.parametrize(
    "match",
    [
        {"operation": "korus.nothing*"},
        {"operation": "*.frobnicate"},
        {"vendor": "booqable", "operation": "korus.*"},
    ],
)
def test_a_pattern_that_matches_no_operation_is_refused(api: Api, match: dict[str, str]) -> None:
    message = refused(api, match)["details"][0]["message"]
    assert message.startswith("matches no operation of ")


@pytest.mark.parametrize(
    "match",
    [
        {"operation": "korus.*"},
        {"operation": "*token"},
        {"vendor": "pontcentral", "operation": "*.booking*"},
        {"vendor": "booqable", "operation": "booqable.products"},
    ],
)
def test_real_names_and_patterns_that_match_one_are_accepted(
    api: Api, match: dict[str, str]
) -> None:
    response = api.post("/_sandbox/faults", json={"match": match, "action": STATUS})
    assert response.status_code == 201, response.text
    assert response.json()["match"] == match


def test_every_listed_operation_is_accepted_with_its_vendor(api: Api) -> None:
    listed = api.get("/_sandbox/operations").json()["operations"]
    batch = 50  # a namespace holds at most 100 rules: armed and cleared in batches
    for start in range(0, len(listed), batch):
        for operation in listed[start : start + batch]:
            match = {"vendor": operation["vendor"], "operation": operation["name"]}
            response = api.post("/_sandbox/faults", json={"match": match, "action": STATUS})
            assert response.status_code == 201, response.text
        armed = len(api.get("/_sandbox/faults").json()["faults"])
        assert armed == len(listed[start : start + batch])
        assert api.delete("/_sandbox/faults").status_code == 200


def test_an_accepted_name_fires(vendors: Vendors) -> None:
    vendors.fault(match={"vendor": "booqable", "operation": "booqable.products"}, action=STATUS)
    assert vendors.booqable.get("/products").status_code == 503
