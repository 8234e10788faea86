"""Authentication as documented (reference §3.2): API keys, request-signing single-use JWTs
(HS256, RS256, ES256) and OAuth2 at `{api}/oauth/token`; every refusal a 401 envelope."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

import httpx2 as httpx
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from booking_sandbox.vendors.booqable import credentials
from tests.booqable.conftest import JSONAPI, Booqable
from tests.booqable.signed import (
    COMPANY,
    HS_SECRET,
    KEYS,
    RS256,
    Signed,
    request_data,
    sandbox_now,
    signing_key,
    token,
)
from tests.conftest import Api

PREFIXES = ("/api/4", "/api/boomerang")
ORDERS = "/orders?page%5Bsize%5D=1&stats%5Btotal%5D=count"
CLIENT, SECRET = "demo-oauth-client", "demo-oauth-secret"
REDIRECT, CODE = "http://localhost:3000/callback", "demo-authorization-code"


def bearer(bq: Booqable, value: str, path: str = ORDERS, **kwargs: Any) -> httpx.Response:
    headers = {"Authorization": f"Bearer {value}", **kwargs.pop("headers", {})}
    return bq.get(path, headers=headers, **kwargs)


def refused(response: httpx.Response, detail: str = "You are not authenticated") -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == JSONAPI
    assert response.json() == {
        "errors": [
            {"code": "unauthorized", "status": "401", "title": "Unauthorized", "detail": detail}
        ]
    }


# ----- request signing: what works -------------------------------------------------------------


@pytest.mark.parametrize("prefix", PREFIXES)
@pytest.mark.parametrize("algorithm", ["HS256", "RS256", "ES256"])
def test_a_signed_request_is_answered(api: Api, algorithm: str, prefix: str) -> None:
    signed = Signed(api, algorithm, prefix)
    r = signed.get(ORDERS)
    assert r.status_code == 200, r.text
    assert r.json()["meta"]["stats"]["total"]["count"] >= 1
    customer = {"data": {"type": "customers", "attributes": {"name": f"Signed {algorithm}"}}}
    created = signed.post("/customers", json=customer)
    assert created.status_code == 201, created.text
    ident = created.json()["data"]["id"]
    update = {"data": {"type": "customers", "id": ident, "attributes": {"name": "Renamed"}}}
    assert signed.put(f"/customers/{ident}", json=update).status_code == 200
    # The same state under the other prefix, with the API key.
    shown = Booqable(api, "/api/boomerang").get(f"/customers/{ident}")
    assert shown.json()["data"]["attributes"]["name"] == "Renamed"


def test_an_empty_body_may_be_hashed_as_nothing_or_as_empty(bq: Booqable) -> None:
    """Ruby joins a nil body as "", an empty string body as its digest: both sign "no body"."""
    now = sandbox_now(bq.api)
    for body in (None, b""):
        signed = token("HS256", "GET", f"/api/boomerang{ORDERS}", body, now)
        assert bearer(bq, signed).status_code == 200


def test_a_signed_request_runs_in_the_header_namespace(api: Api) -> None:
    Signed(api, "ES256").post(
        "/customers", json={"data": {"type": "customers", "attributes": {"name": "Mine"}}}
    )
    names = [c["attributes"]["name"] for c in Booqable(api).get("/customers").json()["data"]]
    assert "Mine" in names


# ----- request signing: every refusal ----------------------------------------------------------


@pytest.mark.parametrize("algorithm", ["HS256", "RS256", "ES256"])
def test_a_bad_signature_is_refused(bq: Booqable, algorithm: str) -> None:
    """Signed by another key than the method's."""
    other: Any = "x" * 32
    if algorithm == "RS256":
        other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    elif algorithm == "ES256":
        other = ec.generate_private_key(ec.SECP256R1())
    uri = f"/api/boomerang{ORDERS}"
    forged = token(algorithm, "GET", uri, None, sandbox_now(bq.api), key=other)
    refused(bearer(bq, forged), "The token is invalid (signature)")


def test_an_unknown_kid_is_refused(bq: Booqable) -> None:
    now = sandbox_now(bq.api)
    unknown = token("HS256", "GET", f"/api/boomerang{ORDERS}", None, now, header={"kid": "x"})
    refused(bearer(bq, unknown), "The token is invalid (unknown authentication method)")
    no_kid = _raw_jws({"alg": "HS256", "kind": "single_use"}, {"iat": now}, HS_SECRET)
    refused(bearer(bq, no_kid), "The token is invalid (unknown authentication method)")


def test_another_algorithm_than_the_methods_is_refused(bq: Booqable) -> None:
    """The classic confusion: HS256 keyed with the RS256 method's public key."""
    now = sandbox_now(bq.api)
    public = json.loads((KEYS.parents[2] / "fixtures" / "booqable.json").read_text())[
        "authentication_methods"
    ][1]["public_key"]
    payload = {"iat": now, "exp": now + 600, "aud": COMPANY}
    confused = _raw_jws({"alg": "HS256", "kid": RS256, "kind": "single_use"}, payload, public)
    refused(bearer(bq, confused), "The token is invalid (algorithm 'HS256' is not the method's)")
    none = _raw_jws({"alg": "none", "kid": RS256, "kind": "single_use"}, payload, None)
    refused(bearer(bq, none), "The token is invalid (algorithm 'none' is not the method's)")
    es_for_rs = token("ES256", "GET", f"/api/boomerang{ORDERS}", None, now, header={"kid": RS256})
    refused(bearer(bq, es_for_rs), "The token is invalid (algorithm 'ES256' is not the method's)")


def _raw_jws(header: dict[str, Any], payload: dict[str, Any], secret: str | None) -> str:
    def part(value: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")

    signing_input = f"{part(header)}.{part(payload)}"
    if secret is None:
        return f"{signing_input}."
    mac = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(mac).decode().rstrip('=')}"


def test_a_token_for_another_request_is_refused(bq: Booqable) -> None:
    now = sandbox_now(bq.api)
    detail = "The token is invalid (it does not sign this request)"
    other_path = token("HS256", "GET", "/api/boomerang/customers", None, now)
    refused(bearer(bq, other_path), detail)
    other_query = token("HS256", "GET", "/api/boomerang/orders", None, now)
    refused(bearer(bq, other_query), detail)  # the query is part of what is signed
    other_method = token("HS256", "DELETE", f"/api/boomerang{ORDERS}", None, now)
    refused(bearer(bq, other_method), detail)
    # A body other than the one signed.
    sent = json.dumps({"data": {"type": "customers", "attributes": {"name": "A"}}}).encode()
    signed_for = sent.replace(b'"A"', b'"B"')
    wrong_body = token("HS256", "POST", "/api/boomerang/customers", signed_for, now)
    r = bq.post(
        "/customers",
        content=sent,
        headers={"Authorization": f"Bearer {wrong_body}", "Content-Type": "application/json"},
    )
    refused(r, detail)
    assert all(c["attributes"]["name"] != "A" for c in bq.get("/customers").json()["data"])


def test_expired_and_too_long_lived_tokens_are_refused(bq: Booqable) -> None:
    now = sandbox_now(bq.api)
    uri = f"/api/boomerang{ORDERS}"
    expired = token("HS256", "GET", uri, None, now, iat=now - 700, exp=now - 100)
    refused(bearer(bq, expired), "The token is invalid (expired)")
    long_lived = token("HS256", "GET", uri, None, now, exp=now + 601)
    refused(bearer(bq, long_lived), "The token is invalid (exp is more than 600 s after iat)")
    not_integers = token("HS256", "GET", uri, None, now, exp=str(now + 60))
    refused(bearer(bq, not_integers), "The token is invalid (iat and exp must be integers)")


def test_a_token_expires_on_the_namespace_clock(bq: Booqable) -> None:
    signed = token("RS256", "GET", f"/api/boomerang{ORDERS}", None, sandbox_now(bq.api))
    assert bq.api.post("/_sandbox/clock/advance", json={"seconds": 601}).status_code == 200
    refused(bearer(bq, signed), "The token is invalid (expired)")


def test_a_used_jti_is_refused(bq: Booqable) -> None:
    signed = token("ES256", "GET", f"/api/boomerang{ORDERS}", None, sandbox_now(bq.api))
    assert bearer(bq, signed).status_code == 200
    refused(bearer(bq, signed), "The token is invalid (its jti was already used)")


def test_used_jtis_travel_with_the_state(bq: Booqable) -> None:
    """A state export keeps the jtis (with their exp); importing it still refuses a replay."""
    signed = token("HS256", "GET", f"/api/boomerang{ORDERS}", None, sandbox_now(bq.api))
    assert bearer(bq, signed).status_code == 200
    state = bq.api.get("/_sandbox/state").json()
    jtis = state["vendors"]["booqable"]["auth"]["jtis"]
    assert len(jtis) == 1
    assert bq.api.post("/_sandbox/reset", json={}).status_code == 200
    assert bq.api.put("/_sandbox/state", json=state).status_code == 200
    refused(bearer(bq, signed), "The token is invalid (its jti was already used)")


def test_claims_must_name_the_methods_employee_and_company(bq: Booqable) -> None:
    now = sandbox_now(bq.api)
    uri = f"/api/boomerang{ORDERS}"
    refused(
        bearer(bq, token("HS256", "GET", uri, None, now, sub="someone")),
        "The token is invalid (sub is not the method's employee)",
    )
    refused(
        bearer(bq, token("HS256", "GET", uri, None, now, aud="another")),
        "The token is invalid (aud is not the company)",
    )
    no_dot = token("HS256", "GET", uri, None, now, jti=request_data("GET", uri, None))
    refused(bearer(bq, no_dot), 'The token is invalid (jti must be "<uuid>.<data>")')


def test_no_or_unknown_credentials_are_refused(bq: Booqable) -> None:
    refused(bq.get(ORDERS, headers={"Authorization": ""}))
    refused(bq.get(ORDERS, headers={"Authorization": "Basic ZGVtbzpkZW1v"}))
    refused(bearer(bq, "not-a-key"))
    refused(bearer(bq, "a.b.c"))  # JWT-shaped, not a JWT
    plain = _raw_jws({"alg": "HS256", "kid": "x"}, {"sub": "x"}, HS_SECRET)
    refused(bearer(bq, plain))  # a JWT, but not a single-use one: not a credential


# ----- OAuth2 -------------------------------------------------------------------------------


def oauth(api: Api, prefix: str = "/api/4", **form: str) -> httpx.Response:
    return api.post(f"{prefix}/oauth/token", data=form)


def basic(client: str, secret: str) -> dict[str, str]:
    raw = base64.b64encode(f"{client}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {raw}"}


@pytest.mark.parametrize("prefix", PREFIXES)
def test_client_credentials_give_a_bearer_token(api: Api, prefix: str) -> None:
    r = oauth(api, prefix, grant_type="client_credentials", client_id=CLIENT, client_secret=SECRET)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json; charset=utf-8"
    assert r.headers["cache-control"] == "no-store"
    body = r.json()
    assert list(body) == ["access_token", "token_type", "expires_in", "scope", "created_at"]
    assert (body["token_type"], body["expires_in"], body["scope"]) == (
        "Bearer",
        7200,
        "full_access",
    )
    assert body["created_at"] == sandbox_now(api)
    assert len(body["access_token"]) == 43
    for other in PREFIXES:
        assert bearer(Booqable(api, other), body["access_token"]).status_code == 200


def test_the_client_may_authenticate_with_http_basic_or_json(api: Api) -> None:
    r = api.post(
        "/api/4/oauth/token",
        data={"grant_type": "client_credentials"},
        headers=basic(CLIENT, SECRET),
    )
    assert r.status_code == 200, r.text
    doc = {"grant_type": "client_credentials", "client_id": CLIENT, "client_secret": SECRET}
    assert api.post("/api/4/oauth/token", json=doc).status_code == 200


def test_oauth_errors_are_rfc_6749s(api: Api) -> None:
    wrong = oauth(api, grant_type="client_credentials", client_id=CLIENT, client_secret="nope")
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client"
    assert wrong.headers["www-authenticate"].startswith('Bearer realm="Doorkeeper"')
    assert oauth(api, grant_type="client_credentials").json()["error"] == "invalid_client"
    unknown = api.post(
        "/api/4/oauth/token", data={"grant_type": "client_credentials"}, headers=basic("x", "y")
    )
    assert unknown.status_code == 401
    cases = {
        "unsupported_grant_type": {"grant_type": "password"},
        "invalid_request": {},
        "invalid_scope": {"grant_type": "client_credentials", "scope": "read_only"},
        "invalid_grant": {"grant_type": "authorization_code", "code": "wrong"},
    }
    for error, form in cases.items():
        r = oauth(api, client_id=CLIENT, client_secret=SECRET, **form)
        assert r.status_code == 400, r.text
        assert r.json()["error"] == error
        assert set(r.json()) == {"error", "error_description"}
    missing = oauth(
        api, grant_type="authorization_code", client_id=CLIENT, client_secret=SECRET
    ).json()
    assert missing == {
        "error": "invalid_request",
        "error_description": "Missing required parameter: code.",
    }
    assert api.get("/api/4/oauth/token").status_code == 404  # Rails: no such route


def test_authorization_code_then_refresh_rotates_the_tokens(api: Api) -> None:
    wrong_redirect = oauth(
        api,
        grant_type="authorization_code",
        code=CODE,
        redirect_uri="http://elsewhere",
        client_id=CLIENT,
        client_secret=SECRET,
    )
    assert wrong_redirect.json()["error"] == "invalid_grant"
    granted = oauth(
        api,
        grant_type="authorization_code",
        code=CODE,
        redirect_uri=REDIRECT,
        client_id=CLIENT,
        client_secret=SECRET,
    ).json()
    assert {"access_token", "refresh_token"} <= set(granted)
    bq = Booqable(api, "/api/4")
    assert bearer(bq, granted["access_token"]).status_code == 200
    renewed = oauth(
        api,
        grant_type="refresh_token",
        refresh_token=granted["refresh_token"],
        client_id=CLIENT,
        client_secret=SECRET,
    ).json()
    assert renewed["refresh_token"] != granted["refresh_token"]
    assert bearer(bq, renewed["access_token"]).status_code == 200
    # The gem's TokenRevoked matches "token is invalid (revoked)"; RefreshTokenRevoked a
    # 400 invalid_grant for a refresh.
    refused(bearer(bq, granted["access_token"]), "The access token is invalid (revoked)")
    again = oauth(
        api,
        grant_type="refresh_token",
        refresh_token=granted["refresh_token"],
        client_id=CLIENT,
        client_secret=SECRET,
    )
    assert (again.status_code, again.json()["error"]) == (400, "invalid_grant")


def test_an_access_token_expires_on_the_namespace_clock(api: Api) -> None:
    access = oauth(
        api, grant_type="client_credentials", client_id=CLIENT, client_secret=SECRET
    ).json()["access_token"]
    bq = Booqable(api, "/api/4")
    assert api.post("/_sandbox/clock/advance", json={"seconds": 7199}).status_code == 200
    assert bearer(bq, access).status_code == 200
    assert api.post("/_sandbox/clock/advance", json={"seconds": 1}).status_code == 200
    refused(bearer(bq, access), "The access token is invalid (expired)")


def test_tokens_are_exported_by_digest_and_survive_an_import(api: Api) -> None:
    access = oauth(
        api, grant_type="client_credentials", client_id=CLIENT, client_secret=SECRET
    ).json()["access_token"]
    state = api.get("/_sandbox/state").json()
    assert access not in json.dumps(state)
    assert all(k.startswith("sha256:") for k in state["vendors"]["booqable"]["auth"]["tokens"])
    secrets = state["catalogs"]["booqable"]["oauth_clients"][0]
    assert (secrets["client_secret"], secrets["authorization_code"]) == ("***", "***")
    assert api.post("/_sandbox/reset", json={}).status_code == 200
    refused(bearer(Booqable(api, "/api/4"), access))  # a reset forgets it
    assert api.put("/_sandbox/state", json=state).status_code == 200
    assert bearer(Booqable(api, "/api/4"), access).status_code == 200


def test_demo_private_keys_match_the_fixtures(api: Api) -> None:
    """The keys the docs publish sign what the default fixtures verify."""
    for algorithm in ("RS256", "ES256"):
        assert "PRIVATE KEY" in signing_key(algorithm)
        assert Signed(api, algorithm).get("/orders").status_code == 200


def test_fixture_credentials_are_cross_checked() -> None:
    """Duplicate ids and public keys that are not the algorithm's are fixture errors: such a
    method would otherwise refuse every token it should check, silently."""
    fixtures = json.loads((KEYS.parents[2] / "fixtures" / "booqable.json").read_text())
    assert credentials.problems(fixtures) == []
    methods = fixtures["authentication_methods"]
    rs, es = methods[1], methods[2]
    doc = {
        "authentication_methods": [
            methods[0],
            {**methods[0]},
            {**rs, "id": "a", "public_key": es["public_key"]},
            {**es, "id": "b", "public_key": "-----BEGIN PUBLIC KEY-----\nnope\n"},
        ],
        "oauth_clients": fixtures["oauth_clients"] * 2,
    }
    assert [path for path, _ in credentials.problems(doc)] == [
        "$.authentication_methods[1]",
        "$.oauth_clients[1]",
        "$.authentication_methods[2].public_key",
        "$.authentication_methods[3].public_key",
    ]
