"""Pont Central's POST /availabilities from ready bytes (core/cached_route.py): a read-POST,
keyed by its body and partner, never stale."""

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
from tests.pontcentral.conftest import SEED_MOMENT, Partner, token_for

ASK = {"productCode": "TOUR-EIFFEL-SKIP-LINE", "startDateTime": "2026-03-25", "quantity": 1}


def stock(pc: Partner, body: dict[str, Any] = ASK) -> int:
    response = pc.post("/availabilities", json=body)
    assert response.status_code == 200, response.text
    found: int = response.json()["availabilities"][0]["stockAvailable"]
    return found


def test_a_booking_and_its_cancel_change_the_next_answer(pc: Partner) -> None:
    before = stock(pc)
    assert stock(pc) == before
    made = pc.book()
    assert made.status_code == 200, made.text
    assert stock(pc) == before - 3
    number = made.json()["booking"]["bookingNumber"]
    assert pc.delete(f"/bookings/{number}").status_code == 200
    assert stock(pc) == before


def test_a_refused_write_still_leaves_answers_right(pc: Partner) -> None:
    before = stock(pc)
    assert pc.book(quantities=[{"label": "adult", "quantity": 10_000, "price": 75}]).is_error
    assert stock(pc) == before


def test_the_answer_is_the_partners_own(pc: Partner, other: Partner) -> None:
    assert stock(pc) > 0
    refused = other.post("/availabilities", json=ASK)
    assert refused.status_code == 404, refused.text


def test_a_bad_token_is_refused_on_a_cached_route(pc: Partner, api: Api) -> None:
    stock(pc)
    stock(pc)
    assert Partner(api, pc.token + "x").post("/availabilities", json=ASK).status_code == 401


# ----- in-process: counters, an injected wall clock ------------------------------------------


class Wall:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def wall() -> Wall:
    return Wall(parse_instant(SEED_MOMENT))


def _app(wall: Wall, cache: bool = True) -> Any:
    limit = Settings().read_cache_bytes if cache else 0
    return create_app(
        Settings(start_time=parse_instant(SEED_MOMENT), wall=wall, read_cache_bytes=limit)
    )


@pytest.fixture
def running(wall: Wall) -> Iterator[tuple[Any, Partner]]:
    """Partner 42 in a namespace whose clock runs on the injected wall clock."""
    app = _app(wall)
    with TestClient(app) as http:
        api = Api(http, "pc-running")
        yield app, Partner(api, token_for(api))


def test_hits_skip_the_handler_and_equal_the_uncached_bytes(wall: Wall) -> None:
    answers = []
    for cache in (True, False):
        app = _app(wall, cache)
        with TestClient(app) as http:
            api = Api(http, "pc-bytes")
            pc = Partner(api, token_for(api))
            got = [pc.post("/availabilities", json=ASK) for _ in range(2)]
            space = app.state.sandbox.namespaces.peek("pc-bytes")
            version = space.version
            got.append(pc.post("/availabilities", json={**ASK, "quantity": 2}))
            assert space.version == version  # a read-POST changes nothing
            answers.append([(r.status_code, r.headers.multi_items(), r.content) for r in got])
            reads = app.state.sandbox.reads
            assert (reads.hits, reads.misses) == ((1, 2) if cache else (0, 0))
    assert answers[0] == answers[1]


def times_on(pc: Partner, day: str, product: str = "PROD-001") -> list[str]:
    body = {"productCode": product, "startDateTime": day}
    response = pc.post("/availabilities", json=body)
    assert response.status_code == 200, response.text
    return [t["time"] for d in response.json()["availabilities"] for t in d["times"]]


def test_a_slot_starting_on_a_running_clock_leaves_the_next_answer(
    running: tuple[Any, Partner], wall: Wall
) -> None:
    app, pc = running
    assert times_on(pc, "2026-03-20") == ["14:00"]  # (09:00 Paris is past at 10:00Z)
    wall.now = parse_instant("2026-03-20T12:59:59Z")
    assert times_on(pc, "2026-03-20") == ["14:00"]
    assert app.state.sandbox.reads.hits == 1
    wall.now = parse_instant("2026-03-20T13:00:00Z")  # 14:00 in Paris: it starts
    assert times_on(pc, "2026-03-20") == []


def test_local_midnight_on_a_running_clock_moves_the_default_range(
    running: tuple[Any, Partner], wall: Wall
) -> None:
    _, pc = running

    def first_day() -> str:
        response = pc.post("/availabilities", json={"productCode": "PROD-002"})
        assert response.status_code == 200, response.text
        day: str = response.json()["availabilities"][0]["date"]
        return day

    assert first_day() == "2026-03-20"
    wall.now = parse_instant("2026-03-20T22:59:59Z")
    pc.token = token_for(pc.api)  # (the first one expired on the way)
    assert first_day() == "2026-03-20"
    wall.now += timedelta(seconds=1)  # midnight in Paris
    assert first_day() == "2026-03-21"
