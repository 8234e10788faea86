"""Korus offer availability from ready bytes (core/cached_route.py): a cached answer is the
uncached one, byte for byte, and never stale."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.settings import Settings
from booking_sandbox.timefmt import parse_instant
from tests.conftest import Api
from tests.korus.conftest import SEED_MOMENT, SEED_OFFER, Client, login, seed_item

AVAILABILITY = f"{SEED_OFFER}/availability"
RESERVE = "/v1/booking/reservations/_bulk"


def quantity(korus: Client) -> int:
    response = korus.get(AVAILABILITY)
    assert response.status_code == 200, response.text
    found: int = response.json()["availableQuantity"]
    return found


def reserve(korus: Client, count: int = 1) -> dict[str, Any]:
    response = korus.post(RESERVE, json={"items": [seed_item(count)]})
    assert response.status_code == 200, response.text
    assert response.json()["failedReservations"] == []
    body: dict[str, Any] = response.json()
    return body


def test_a_write_changes_the_next_get(korus: Client) -> None:
    before = quantity(korus)
    assert quantity(korus) == before  # (served from the cache)
    reserve(korus, 2)
    assert quantity(korus) == before - 2


def test_a_clock_advance_past_the_expiry_changes_the_next_get(korus: Client, api: Api) -> None:
    before = quantity(korus)
    reserve(korus)
    assert quantity(korus) == before - 1
    api.post("/_sandbox/clock/advance", json={"seconds": 15 * 60 + 1})
    assert quantity(korus) == before


def test_an_import_a_reset_and_a_scenario_change_the_next_get(korus: Client, api: Api) -> None:
    before = quantity(korus)
    state = api.get("/_sandbox/state").json()
    reserve(korus, 3)
    assert quantity(korus) == before - 3
    assert api.put("/_sandbox/state", json=state).status_code == 200
    assert quantity(korus) == before  # the state from before the reservation
    reserve(korus, 1)
    assert quantity(korus) == before - 1
    api.put("/_sandbox/clock", json={"now": SEED_MOMENT, "frozen": True})
    applied = api.post("/_sandbox/scenarios/korus-sold-out", json={})
    assert applied.status_code == 200, applied.text
    assert quantity(korus) == 0
    api.post("/_sandbox/reset")
    api.put("/_sandbox/clock", json={"now": SEED_MOMENT, "frozen": True})
    fresh = Client(api, login(api)["access_token"])
    assert quantity(fresh) == before


def test_a_bad_token_is_refused_on_a_cached_route(korus: Client, api: Api) -> None:
    assert korus.get(AVAILABILITY).status_code == 200
    assert korus.get(AVAILABILITY).status_code == 200
    bad = Client(api, korus.token[:-4] + "AAAA")
    assert bad.get(AVAILABILITY).status_code == 401
    anonymous = api.get(AVAILABILITY, headers={"Accept": "application/ld+json"})
    assert anonymous.status_code == 401


# ----- in-process: the cache's own counters, an injected wall clock ------------------------


class Wall:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def wall() -> Wall:
    return Wall(parse_instant(SEED_MOMENT))


def _app(wall: Wall, cache: bool = True) -> Any:
    settings = Settings(start_time=parse_instant(SEED_MOMENT), wall=wall)
    if not cache:
        settings = Settings(start_time=parse_instant(SEED_MOMENT), wall=wall, read_cache_bytes=0)
    return create_app(settings)


@pytest.fixture
def running(wall: Wall) -> Iterator[tuple[Any, Client]]:
    """A namespace whose clock runs (on the injected wall clock), and its service account."""
    app = _app(wall)
    with TestClient(app) as http:
        api = Api(http, "cached-running")
        yield app, Client(api, login(api)["access_token"])


def test_hits_skip_the_handler_and_equal_the_uncached_bytes(wall: Wall) -> None:
    answers = []
    for cache in (True, False):
        app = _app(wall, cache)
        with TestClient(app) as http:
            api = Api(http, "cached-bytes")
            api.put("/_sandbox/clock", json={"now": SEED_MOMENT, "frozen": True})
            korus = Client(api, login(api)["access_token"])
            first, second = korus.get(AVAILABILITY), korus.get(AVAILABILITY)
            reserve(korus)
            third = korus.get(AVAILABILITY)
            answers.append([(r.status_code, r.headers.multi_items(), r.content) for r in (
                first, second, third)])  # fmt: skip
            reads = app.state.sandbox.reads
            assert (reads.hits, reads.misses) == ((1, 2) if cache else (0, 0))
    assert answers[0] == answers[1]
    assert answers[0][0] == answers[0][1]  # the same state gives the same bytes, genids too
    assert answers[0][2][2] != answers[0][1][2]


def test_a_hold_expiring_on_a_running_clock_changes_the_next_get(
    running: tuple[Any, Client], wall: Wall
) -> None:
    app, korus = running
    before = quantity(korus)
    made = reserve(korus)
    expires = parse_instant(made["reservations"][0]["expiresAt"])
    assert quantity(korus) == before - 1
    wall.now += timedelta(minutes=5)
    assert quantity(korus) == before - 1
    assert app.state.sandbox.reads.hits == 1  # still fresh five minutes on
    wall.now = expires + timedelta(seconds=1)  # no request in between: time alone
    assert quantity(korus) == before


def test_a_session_starting_on_a_running_clock_changes_the_next_get(
    running: tuple[Any, Client], wall: Wall
) -> None:
    _, korus = running
    sessions = korus.get(AVAILABILITY).json()["sessionsAvailability"]
    assert sessions
    first = sessions[0]["session"]
    starts = parse_instant(korus.get(first).json()["startsAt"])

    def listed() -> list[str]:
        answer = korus.get(AVAILABILITY)
        assert answer.status_code == 200, answer.text
        return [s["session"] for s in answer.json()["sessionsAvailability"]]

    wall.now += starts - timedelta(seconds=1) - parse_instant(SEED_MOMENT)
    korus.token = login(korus.api)["access_token"]  # (the first one expired on the way)
    assert first in listed()
    assert first in listed()
    wall.now += timedelta(seconds=1)  # the session starts: no longer bookable
    assert first not in listed()


def test_a_scenarios_own_writes_bump_the_version(wall: Wall) -> None:
    """A scenario's vendor requests go past the QA plane: each write bumps the version there,
    so a read the scenario makes after its own write is not served from before it."""
    app = _app(wall)
    with TestClient(app) as http:
        api = Api(http, "cached-scenario")
        korus = Client(api, login(api)["access_token"])
        quantity(korus)
        space = app.state.sandbox.namespaces.peek("cached-scenario")
        version = space.version
        assert api.post("/_sandbox/scenarios/korus-sold-out", json={}).status_code == 200
        assert space.version >= version + 3  # its reservation, its order, the control call
