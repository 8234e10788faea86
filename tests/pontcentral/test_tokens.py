"""Issued tokens: constant work per issuance, expired ones dropped, kept only by digest."""

from __future__ import annotations

import hashlib
import json
from _collections_abc import dict_items, dict_keys, dict_values
from collections.abc import Iterator
from typing import Any

from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.settings import Settings
from booking_sandbox.timefmt import parse_instant
from tests.conftest import Api
from tests.pontcentral.conftest import SEED_MOMENT, at_seed_moment, token_for

TOKEN = "/api/v1/auth/token"
DEMO = {"client_id": "demo-partner", "client_secret": "demo-secret"}


class Walked(dict[str, Any]):
    """A token table that counts every walk over it (a copy, a scan, an export)."""

    walks = 0

    def __iter__(self) -> Iterator[str]:
        Walked.walks += 1
        return super().__iter__()

    def keys(self) -> dict_keys[str, Any]:
        Walked.walks += 1
        return super().keys()

    def values(self) -> dict_values[str, Any]:
        Walked.walks += 1
        return super().values()

    def items(self) -> dict_items[str, Any]:
        Walked.walks += 1
        return super().items()


def test_issuing_a_token_never_walks_the_live_tokens() -> None:
    app = create_app(Settings(start_time=parse_instant(SEED_MOMENT)))
    with TestClient(app) as client:
        for _ in range(50):
            assert client.post(TOKEN, json=DEMO).status_code == 200
        records = app.state.sandbox.namespaces.get("default").state_of("pontcentral")
        records["tokens"] = Walked(records["tokens"])
        client.post(TOKEN, json=DEMO)  # may index the table it has not seen: once
        Walked.walks = 0
        for _ in range(20):
            assert client.post(TOKEN, json=DEMO).status_code == 200
        assert Walked.walks == 0
        assert len(records["tokens"]) == 71


def tokens_of(api: Api) -> dict[str, Any]:
    found: dict[str, Any] = api.get("/_sandbox/state").json()["vendors"]["pontcentral"]["tokens"]
    return found


def get_products(api: Api, token: str) -> tuple[int, bytes]:
    r = api.get("/api/v1/products", headers={"Authorization": f"Bearer {token}"})
    return r.status_code, r.content


def test_expired_tokens_are_dropped_at_the_next_issuance(api: Api) -> None:
    at_seed_moment(api)
    for _ in range(3):
        token_for(api)
    assert len(tokens_of(api)) == 3
    api.post("/_sandbox/clock/advance", json={"seconds": 172_800})
    token_for(api)
    assert len(tokens_of(api)) == 4  # expired only after expires_at itself
    api.post("/_sandbox/clock/advance", json={"seconds": 1})
    token_for(api)
    assert len(tokens_of(api)) == 2  # the three first expired; the fourth lives 1 s more


def test_tokens_issued_after_the_clock_went_back_are_dropped_too(api: Api) -> None:
    api.put("/_sandbox/clock", json={"now": "2026-03-30T10:00:00Z", "frozen": True})
    late = token_for(api)  # expires 1 April
    at_seed_moment(api)  # 20 March
    token_for(api)  # expires 22 March: issued after `late`, expires before it
    api.put("/_sandbox/clock", json={"now": "2026-03-23T10:00:00Z", "frozen": True})
    token_for(api)
    assert len(tokens_of(api)) == 2  # `late` and the newest
    assert get_products(api, late)[0] == 200


def test_an_expired_token_answers_as_it_did_before_and_after_it_is_dropped(api: Api) -> None:
    at_seed_moment(api)
    token = token_for(api)
    api.post("/_sandbox/clock/advance", json={"seconds": 172_801})
    held = get_products(api, token)  # expired, still in the state
    token_for(api)  # drops it
    assert len(tokens_of(api)) == 1
    unknown = get_products(api, "pcpa_MQ.bm90LWEtdG9rZW4")
    assert held == get_products(api, token) == unknown
    assert held == (
        401,
        b'{"success":false,"error":{"code":"UNAUTHORIZED",'
        b'"message":"Unauthorized - Partner not authenticated"}}',
    )


def digest(token: str) -> str:
    return "sha256:" + hashlib.sha256(token.encode()).hexdigest()


def test_the_export_holds_no_usable_token(api: Api) -> None:
    at_seed_moment(api)
    token = token_for(api)
    exported = api.get("/_sandbox/state")
    assert token not in exported.text
    assert token.split(".")[1] not in exported.text  # nor its secret
    keys = list(tokens_of(api))
    assert keys == [digest(token)]
    assert get_products(api, keys[0])[0] == 401  # the digest is no token


def test_an_imported_state_authenticates_the_same_tokens(api: Api) -> None:
    at_seed_moment(api)
    token = token_for(api)
    state = api.get("/_sandbox/state").json()
    api.post("/_sandbox/reset", json={})
    assert get_products(api, token)[0] == 401
    answer = api.put("/_sandbox/state", json=state)
    assert answer.status_code == 200, answer.text
    assert answer.json() == state == api.get("/_sandbox/state").json()
    assert get_products(api, token)[0] == 200


def test_an_older_export_with_tokens_in_clear_is_imported_by_digest(api: Api) -> None:
    at_seed_moment(api)
    token = token_for(api)
    state = api.get("/_sandbox/state").json()
    records = state["vendors"]["pontcentral"]
    (issued,) = records["tokens"].values()
    # As exports held them before: the token itself, plus one written by hand.
    records["tokens"] = {token: issued, "my-fixed-token": issued}
    api.post("/_sandbox/reset", json={})
    answer = api.put("/_sandbox/state", json=state)
    assert answer.status_code == 200, answer.text
    assert token not in answer.text
    assert "my-fixed-token" not in answer.text
    assert list(tokens_of(api)) == [digest(token), digest("my-fixed-token")]
    assert get_products(api, token)[0] == 200
    assert get_products(api, "my-fixed-token")[0] == 200


def test_a_token_in_clear_and_by_digest_at_once_is_refused(api: Api) -> None:
    at_seed_moment(api)
    token = token_for(api)
    state = api.get("/_sandbox/state").json()
    tokens = state["vendors"]["pontcentral"]["tokens"]
    tokens[token] = tokens[digest(token)]
    answer = api.put("/_sandbox/state", json=state)
    assert answer.status_code == 422, answer.text
    (detail,) = answer.json()["error"]["details"]
    assert detail["path"] == f"$.vendors.pontcentral.tokens[{token!r}]"
    assert json.dumps(tokens_of(api)) == json.dumps({digest(token): tokens[digest(token)]})


def test_an_expiry_outside_the_years_the_sandbox_reads_is_refused(api: Api) -> None:
    at_seed_moment(api)
    token = token_for(api)
    state = api.get("/_sandbox/state").json()
    # Valid RFC 3339, yet before year 1 in UTC: it would fail every later issuance.
    state["vendors"]["pontcentral"]["tokens"][digest(token)]["expiresAt"] = (
        "0001-01-01T00:00:00+01:00"
    )
    answer = api.put("/_sandbox/state", json=state)
    assert answer.status_code == 422, answer.text
    (detail,) = answer.json()["error"]["details"]
    assert detail["path"] == f"$.vendors.pontcentral.tokens['{digest(token)}'].expiresAt"
    assert get_products(api, token)[0] == 200  # the namespace is as it was
