"""`PUT /_sandbox/state` refuses degenerate id generators; exports are canonical, so a hold
that expired while nobody read it round-trips identically."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import Api

FROZEN = {"now": "2025-01-29T08:00:00Z", "frozen": True}


def exported(api: Api) -> dict[str, Any]:
    assert api.put("/_sandbox/clock", json=FROZEN).status_code == 200
    r = api.get("/_sandbox/state")
    assert r.status_code == 200
    body: dict[str, Any] = r.json()
    return body


def all_zero(ids: list[Any]) -> None:
    ids[1] = [0] * 625


def one_bit(ids: list[Any]) -> None:
    ids[1] = [0] * 624 + [624]
    ids[1][100] = 1  # not all zero, yet thousands of draws are almost all zeros


def all_alike(ids: list[Any]) -> None:
    ids[1] = [0x12345678] * 624 + [624]  # draws repeat in a short pattern


def zero_but_ignored_bits(ids: list[Any]) -> None:
    # MT19937 reads only the top bit of the first word at the next twist: still all zeros.
    ids[1] = [0x7FFFFFFF] + [0] * 623 + [624]


@pytest.mark.parametrize("degenerate", [all_zero, one_bit, all_alike, zero_but_ignored_bits])
def test_a_degenerate_id_generator_is_refused_naming_ids(
    api: Api, degenerate: Callable[[list[Any]], None]
) -> None:
    state = exported(api)
    before = copy.deepcopy(state)
    degenerate(state["ids"])
    r = api.put("/_sandbox/state", json=state)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "invalid_body"
    assert [d["path"] for d in error["details"]] == ["$.ids"]
    assert api.get("/_sandbox/state").json() == before  # nothing changed


def test_an_all_zero_state_says_so(api: Api) -> None:
    state = exported(api)
    all_zero(state["ids"])
    (detail,) = api.put("/_sandbox/state", json=state).json()["error"]["details"]
    assert "all zero" in detail["message"]


def test_normal_exports_still_import(api: Api) -> None:
    state = exported(api)
    r = api.put("/_sandbox/state", json=state)
    assert r.status_code == 200, r.text
    assert r.json() == state
    # A drawn state (not a fresh seed's) imports too: the position is mid-key.
    assert api.post("/_sandbox/scenarios/korus-sold-out", json={}).status_code == 200
    drawn = api.get("/_sandbox/state").json()
    assert drawn["ids"] != state["ids"]
    assert api.put("/_sandbox/state", json=drawn).status_code == 200


def test_a_hold_expired_unread_round_trips_identically(api: Api) -> None:
    assert api.put("/_sandbox/clock", json=FROZEN).status_code == 200
    applied = api.post(
        "/_sandbox/scenarios/korus-expiring-reservation", json={"seconds_left": 60}
    ).json()["applied"]
    # Past expiresAt, and nothing reads the reservation or its session's availability.
    assert api.post("/_sandbox/clock/advance", json={"seconds": 120}).status_code == 200
    first = api.get("/_sandbox/state").json()
    copied = Api(api.client, f"{api.namespace}-copy")
    r = copied.put("/_sandbox/state", json=first)
    assert r.status_code == 200, r.text
    assert r.json() == {**first, "namespace": copied.namespace}
    r = api.put("/_sandbox/state", json=first)  # in place, too
    assert r.json() == first
    assert api.get("/_sandbox/state").json() == first
    owner = applied["reservation"].rsplit("/", 1)[1]  # allocations belong to the bare id
    mine = [a for a in first["inventory"]["allocations"] if a["owner"] == owner]
    assert len(mine) == 2  # the ticket's stock and a seat of the session
    assert {a["status"] for a in mine} == {"expired"}  # derived, though nothing swept them
