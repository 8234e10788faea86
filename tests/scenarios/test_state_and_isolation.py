"""What scenarios leave is ordinary vendor state: it exports, imports back, stays in its
namespace, and the scenario's own requests are neither faulted nor journaled."""

from __future__ import annotations

import pytest

from tests.conftest import Api
from tests.scenarios.conftest import NAMES, apply


@pytest.mark.parametrize("name", NAMES)
def test_state_round_trips_after_each_scenario(api: Api, name: str) -> None:
    apply(api, name)
    exported = api.get("/_sandbox/state").json()
    imported = api.put("/_sandbox/state", json=exported)
    assert imported.status_code == 200, imported.text
    copy = Api(api.client, f"{api.namespace}-copy")
    assert copy.put("/_sandbox/state", json=exported).status_code == 200
    again = copy.get("/_sandbox/state").json()
    for key in ("catalogs", "inventory", "vendors", "ids"):
        assert again[key] == exported[key], key


def test_an_imported_sold_out_session_is_still_sold_out(api: Api) -> None:
    apply(api, "korus-sold-out")
    copy = Api(api.client, f"{api.namespace}-copy")
    assert copy.put("/_sandbox/state", json=api.get("/_sandbox/state").json()).status_code == 200
    applied = apply(copy, "korus-sold-out")
    assert (applied["orders"], applied["available"]) == ([], 0)


@pytest.mark.parametrize("name", NAMES)
def test_a_scenario_changes_its_namespace_only(api: Api, name: str) -> None:
    bystander = Api(api.client, f"{api.namespace}-bystander")
    before = bystander.get("/_sandbox/state").json()
    apply(api, name)
    after = bystander.get("/_sandbox/state").json()
    for key in ("inventory", "vendors", "ids"):
        assert after[key] == before[key], key
    assert api.get("/_sandbox/state").json()["vendors"] != before["vendors"]


def test_scenario_requests_are_neither_faulted_nor_journaled(api: Api) -> None:
    for vendor in ("korus", "pontcentral", "booqable"):
        rule = {"match": {"vendor": vendor}, "action": {"status": 503}}
        assert api.post("/_sandbox/faults", json=rule).status_code == 201
    for name in sorted(NAMES):  # the expiring reservation before the session is sold out
        apply(api, name)
    journal = api.get("/_sandbox/requests").json()
    assert (journal["requests"], journal["total"]) == ([], 0)
    assert all(rule["fired"] == 0 for rule in api.get("/_sandbox/faults").json()["faults"])


def test_reset_drops_what_a_scenario_set_up(api: Api) -> None:
    apply(api, "korus-sold-out")
    assert api.post("/_sandbox/reset").status_code == 200
    assert apply(api, "korus-sold-out")["seats_taken"] == 200
