"""The headers every Booqable answer carries (reference §3.4, §3.9, CASS): the rate limit per
credential on the namespace clock (429 past it), Etag, X-Request-Id, X-Runtime."""

from __future__ import annotations

import hashlib
import re
import uuid

import httpx2 as httpx
import pytest

from tests.booqable.conftest import API_KEY, Booqable
from tests.booqable.signed import Signed
from tests.conftest import Api

ORDERS = "/orders?page%5Bsize%5D=1"


def remaining(response: httpx.Response) -> int:
    return int(response.headers["x-ratelimit-remaining"])


def limit_to(api: Api, limit: int, period: int = 60) -> None:
    """The least invasive way in: the namespace's own catalog, through a state import."""
    assert Booqable(api).get("/orders").status_code == 200  # the namespace exists
    state = api.get("/_sandbox/state").json()
    state["catalogs"]["booqable"]["rate_limit"] = {"limit": limit, "period": period}
    imported = api.put("/_sandbox/state", json=state)
    assert imported.status_code == 200, imported.text


@pytest.mark.parametrize("prefix", ["/api/4", "/api/boomerang"])
def test_every_answer_counts_down_the_default_limit(api: Api, prefix: str) -> None:
    bq = Booqable(api, prefix)
    first, second = bq.get(ORDERS), bq.get(ORDERS)
    assert first.headers["x-ratelimit-limit"] == "10000"
    assert first.headers["x-ratelimit-period"] == "60"
    assert remaining(second) == remaining(first) - 1
    missing = bq.get("/orders/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404
    assert remaining(missing) == remaining(second) - 1  # errors count too


def test_each_credential_has_its_own_count(api: Api) -> None:
    by_key = Booqable(api, "/api/4")
    signed = Signed(api, "HS256")
    start_key = remaining(by_key.get(ORDERS))
    start_signed = remaining(signed.get(ORDERS))
    assert start_signed == 9999  # its first request: another credential's count is not its own
    for _ in range(3):
        signed.get(ORDERS)
    assert remaining(by_key.get(ORDERS)) == start_key - 1
    # Every token is new, the method is one credential.
    assert remaining(signed.get(ORDERS)) == start_signed - 4


def test_past_the_limit_the_answer_is_429_until_the_window_ends(api: Api) -> None:
    limit_to(api, 3)
    bq = Booqable(api, "/api/4")
    counts = [remaining(bq.get(ORDERS)) for _ in range(3)]
    assert counts == [2, 1, 0]
    r = bq.get(ORDERS)
    assert r.status_code == 429
    assert r.headers["content-type"] == "application/vnd.api+json; charset=utf-8"
    assert r.json() == {
        "errors": [
            {
                "code": "too_many_requests",
                "status": "429",
                "title": "Too Many Requests",
                "detail": "You're doing too many requests! Slow down!",
            }
        ]
    }
    assert (r.headers["x-ratelimit-limit"], r.headers["x-ratelimit-remaining"]) == ("3", "0")
    wait = int(r.headers["retry-after"])
    assert 1 <= wait <= 60
    # Another credential still gets through; a refused stranger neither.
    assert Signed(api, "ES256").get(ORDERS).status_code == 200
    assert api.post("/_sandbox/clock/advance", json={"seconds": wait}).status_code == 200
    again = bq.get(ORDERS)
    assert (again.status_code, remaining(again)) == (200, 2)


def test_a_throttled_request_is_refused_before_its_credential_is_checked(api: Api) -> None:
    """As a limiter in front of the app: a bad key counts under itself, and past the limit
    a refused token is a 429, not a 401."""
    limit_to(api, 1)
    bad = Booqable(api, "/api/4", key="wrong-key")
    first = bad.get(ORDERS)
    assert (first.status_code, remaining(first)) == (401, 0)
    assert bad.get(ORDERS).status_code == 429


def test_a_reset_forgets_the_counts(api: Api) -> None:
    bq = Booqable(api)
    bq.get(ORDERS)
    before = remaining(bq.get(ORDERS))
    assert api.post("/_sandbox/reset", json={}).status_code == 200
    assert remaining(bq.get(ORDERS)) == 9999 > before


def test_etag_is_rails_weak_digest_of_2xx_bodies(api: Api) -> None:
    bq = Booqable(api, "/api/4")
    listed = bq.get(ORDERS)
    digest = hashlib.sha256(listed.content).hexdigest()[:32]
    assert listed.headers["etag"] == f'W/"{digest}"'
    created = bq.create("customers", name="Etag")
    assert created.status_code == 201
    assert created.headers["etag"] == f'W/"{hashlib.sha256(created.content).hexdigest()[:32]}"'
    assert "etag" not in bq.get("/orders/00000000-0000-4000-8000-000000000000").headers
    assert "etag" not in bq.get(ORDERS, headers={"Authorization": "Bearer no"}).headers


def test_request_ids_are_seeded_per_namespace(api: Api) -> None:
    bq = Booqable(api)
    first = [bq.get(ORDERS).headers["x-request-id"] for _ in range(3)]
    assert all(uuid.UUID(i).version == 4 for i in first)
    assert len(set(first)) == 3
    assert api.post("/_sandbox/reset", json={}).status_code == 200
    assert [bq.get(ORDERS).headers["x-request-id"] for _ in range(3)] == first


def test_a_clients_request_id_is_kept_as_rails_keeps_it(bq: Booqable) -> None:
    r = bq.get(ORDERS, headers={"X-Request-Id": "trace 42/<abc>@edge"})
    assert r.headers["x-request-id"] == "trace42abc@edge"


def test_runtime_and_the_recorded_static_headers(bq: Booqable) -> None:
    r = bq.get(ORDERS)
    assert re.fullmatch(r"\d+\.\d{6}", r.headers["x-runtime"])
    assert r.headers["cache-control"] == "max-age=0, private, must-revalidate"
    refused = bq.get(ORDERS, headers={"Authorization": f"Bearer not-{API_KEY}"})
    assert re.fullmatch(r"\d+\.\d{6}", refused.headers["x-runtime"])
    assert uuid.UUID(refused.headers["x-request-id"])
