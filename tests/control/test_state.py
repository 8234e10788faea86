"""`/_sandbox/state`: export -> import -> export is identical; bad states change nothing."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from tests.conftest import Api

SESSION_POOL = "korus:session:337177bc-e513-444f-bcee-49a3e25b48a3"


def exported(api: Api) -> dict[str, Any]:
    api.put("/_sandbox/clock", json={"now": "2025-01-29T08:00:00Z", "frozen": True})
    r = api.get("/_sandbox/state")
    assert r.status_code == 200
    body: dict[str, Any] = r.json()
    return body


def with_hold(state: dict[str, Any]) -> dict[str, Any]:
    """The export plus a held Korus allocation (after what the fixtures already hold)."""
    state = copy.deepcopy(state)
    sequence = state["inventory"]["sequence"] + 1
    state["inventory"]["allocations"].append(
        {
            "id": f"alloc-{sequence}",
            "pool": SESSION_POOL,
            "quantity": 2,
            "units": [],
            "status": "held",
            "owner": "reservation-1",
            "created_at": "2025-01-29T07:55:53Z",
            "interval": None,
            "held_until": "2025-01-29T08:10:53Z",
        }
    )
    state["inventory"]["sequence"] = sequence
    return state


def test_export_import_export_is_identical(api: Api) -> None:
    state = with_hold(exported(api))
    r = api.put("/_sandbox/state", json=state)
    assert r.status_code == 200, r.text
    assert r.json() == state
    assert api.get("/_sandbox/state").json() == state


def test_import_into_another_namespace_copies_it(api: Api) -> None:
    state = with_hold(exported(api))
    other = {"X-Sandbox-Namespace": f"{api.namespace}-copy"}
    assert api.put("/_sandbox/state", json=state, headers=other).status_code == 200
    assert api.get("/_sandbox/clock", headers=other).json() == state["clock"]


@pytest.mark.parametrize(
    "breakage",
    [
        lambda s: s.pop("clock"),
        lambda s: s.__setitem__("version", 2),
        lambda s: s["inventory"]["allocations"][-1].__setitem__("pool", "no-such-pool"),
        lambda s: s["inventory"]["allocations"][-1].__setitem__("status", "maybe"),
        lambda s: s["inventory"]["allocations"][-1].__setitem__("quantity", -1),
        lambda s: s.__setitem__("ids", [3, [1, 2], None]),
        lambda s: s["catalogs"]["korus"].pop("organizations"),
        lambda s: s["catalogs"].__setitem__("nope", {}),
        lambda s: s["clock"].__setitem__("now", "not a date"),
        lambda s: s["inventory"]["allocations"].append(dict(s["inventory"]["allocations"][-1])),
        lambda s: s["inventory"]["allocations"][-1].__setitem__("quantity", 10**6),
        lambda s: s["inventory"]["allocations"][-1].__setitem__("quantity", 2.0),
        lambda s: s["inventory"]["allocations"][-1].__setitem__("held_until", None),
        lambda s: s["catalogs"]["korus"]["serviceAccounts"][0].__setitem__(
            "organization", "0194abdc-0000-7000-8000-000000000000"
        ),
    ],
)
def test_bad_states_get_422_and_change_nothing(api: Api, breakage: Any) -> None:
    state = with_hold(exported(api))
    before = api.get("/_sandbox/state").json()
    breakage(state)
    r = api.put("/_sandbox/state", json=state)
    assert r.status_code == 422, r.text
    assert r.json()["error"]["code"] in {"invalid_body", "invalid_state"}
    assert api.get("/_sandbox/state").json() == before


def test_non_finite_numbers_never_get_into_a_state(api: Api) -> None:
    state = exported(api)
    text = json.dumps(state).replace('"vendors": {', '"vendors": {"korus": {"x": 1e400}, ', 1)
    assert "1e400" in text
    r = api.put(
        "/_sandbox/state", content=text.encode(), headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 400
    assert api.get("/_sandbox/state").status_code == 200


def test_a_namespace_with_a_trailing_newline_is_refused(api: Api) -> None:
    r = api.post("/_sandbox/reset", json={"namespace": "abc\n"})
    assert r.status_code == 422
