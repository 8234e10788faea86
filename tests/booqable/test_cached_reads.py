"""Booqable's order list and order from ready bytes (core/cached_route.py): what the handler
builds is cached, what Rails' middleware adds per request (rate limit, request id, runtime)
is not."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.settings import Settings
from booking_sandbox.timefmt import parse_instant
from tests.booqable.conftest import CHAIR, ORDER_RESERVED, Booqable
from tests.conftest import START, Api

LIST = "/orders?include=lines,plannings"
SHOW = f"/orders/{ORDER_RESERVED}?include=lines,plannings"


def listed(bq: Booqable) -> Any:
    response = bq.get(LIST)
    assert response.status_code == 200, response.text
    return response


def test_a_write_changes_the_next_list(bq: Booqable) -> None:
    before = listed(bq).json()
    assert listed(bq).json() == before
    made = bq.post(
        "/orders",
        json={"data": {"type": "orders", "attributes": {"starts_at": "2030-01-01T09:00:00Z"}}},
    )
    assert made.status_code == 201, made.text
    after = listed(bq).json()
    assert len(after["data"]) == len(before["data"]) + 1
    order = made.json()["data"]["id"]
    items = [{"type": "products", "id": CHAIR, "quantity": 1}]
    booking = {
        "data": {"type": "order_bookings", "attributes": {"order_id": order, "items": items}}
    }
    assert bq.post("/order_bookings", json=booking).status_code == 201
    booked = listed(bq).json()
    assert len(booked["included"]) > len(after.get("included", []))


def test_the_rate_limit_counts_every_hit_and_request_ids_differ(bq: Booqable) -> None:
    answers = [listed(bq) for _ in range(3)]
    remaining = [int(a.headers["x-ratelimit-remaining"]) for a in answers]
    assert remaining == [remaining[0], remaining[0] - 1, remaining[0] - 2]
    assert len({a.headers["x-request-id"] for a in answers}) == 3
    assert len({a.headers["etag"] for a in answers}) == 1
    assert len({a.content for a in answers}) == 1


def test_a_bad_key_is_refused_on_a_cached_route(bq: Booqable, api: Api) -> None:
    listed(bq)
    listed(bq)
    assert Booqable(api, key="not-a-key").get(LIST).status_code == 401
    assert api.get(f"/api/boomerang{LIST}").status_code == 401


def test_an_import_changes_the_next_show(bq: Booqable, api: Api) -> None:
    before = bq.get(SHOW).json()
    state = api.get("/_sandbox/state").json()
    state["vendors"]["booqable"]["orders"][ORDER_RESERVED]["number"] = 4242
    state["vendors"]["booqable"]["order_number"] = 4242
    imported = api.put("/_sandbox/state", json=state)
    assert imported.status_code == 200, imported.text
    after = bq.get(SHOW).json()
    assert before["data"]["attributes"]["number"] != 4242
    assert after["data"]["attributes"]["number"] == 4242


def _exchange(cache: bool) -> tuple[list[Any], tuple[int, int]]:
    limit = Settings().read_cache_bytes if cache else 0
    app = create_app(Settings(start_time=parse_instant(START), read_cache_bytes=limit))
    with TestClient(app) as http:
        bq = Booqable(Api(http, "bq-bytes"))
        got = [bq.get(LIST), bq.get(LIST), bq.get(SHOW), bq.get(f"/orders/{ORDER_RESERVED}.json")]
        got.append(bq.get(f"/orders/{ORDER_RESERVED}.json"))
        reads = app.state.sandbox.reads
        seen = [
            (
                r.status_code,
                [(k, v) for k, v in r.headers.multi_items() if k != "x-runtime"],
                r.content,
            )
            for r in got
        ]
        return seen, (reads.hits, reads.misses)


def test_hits_skip_the_handler_and_equal_the_uncached_bytes() -> None:
    cached, counts = _exchange(cache=True)
    uncached, off = _exchange(cache=False)
    assert cached == uncached
    assert counts == (2, 3)  # the second list and the second nested show
    assert off == (0, 0)
