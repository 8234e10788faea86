"""Korus: the token endpoint, bearer authentication, and the first catalog collections."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.conftest import Api
from tests.korus.conftest import TOKEN, Client, grant, login

DEMO_ORG_CATALOG = "0194abdc-3a71-72b0-a9b9-89d4be0cd73e"
OTHER_ORG_CATALOG = "0194cb23-170e-71f0-b4bb-0a7e644dea34"


def claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    found: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    )
    return found


@pytest.fixture
def korus(api: Api) -> Client:
    """Here the clock runs: token expiry is measured from it."""
    return Client(api, login(api)["access_token"])


def test_client_credentials_give_keycloak_tokens(api: Api) -> None:
    body = login(api)
    assert list(body) == [
        "access_token",
        "expires_in",
        "refresh_expires_in",
        "refresh_token",
        "token_type",
        "not-before-policy",
        "scope",
    ]
    assert (body["expires_in"], body["refresh_expires_in"], body["token_type"]) == (
        1800,
        1800,
        "Bearer",
    )
    access = claims(body["access_token"])
    assert access["exp"] - access["iat"] == 1800
    assert (access["azp"], access["organization"], access["typ"]) == (
        "demo-client",
        "0194abdc-3a79-7ec3-b1b9-a1f291de587d",
        "Bearer",
    )


@pytest.mark.parametrize(
    ("form", "status", "error", "description"),
    [
        (
            {
                "grant_type": "client_credentials",
                "client_id": "demo-client",
                "client_secret": "nope",
            },
            401,
            "invalid_client",
            "Invalid client or Invalid client credentials",
        ),
        (
            {"client_id": "demo-client", "client_secret": "demo-secret"},
            400,
            "invalid_request",
            "Missing form parameter: grant_type",
        ),
        (
            {"grant_type": "password", "client_id": "demo-client", "client_secret": "demo-secret"},
            400,
            "unsupported_grant_type",
            "Unsupported grant_type",
        ),
        (
            {
                "grant_type": "refresh_token",
                "client_id": "demo-client",
                "client_secret": "demo-secret",
            },
            400,
            "invalid_request",
            "Missing parameter: refresh_token",
        ),
        (
            {
                "grant_type": "refresh_token",
                "client_id": "demo-client",
                "client_secret": "demo-secret",
                "refresh_token": "x.y.z",
            },
            400,
            "invalid_grant",
            "Invalid refresh token",
        ),
    ],
)
def test_token_errors_are_keycloaks(
    api: Api, form: dict[str, str], status: int, error: str, description: str
) -> None:
    response = grant(api, **form)
    assert response.status_code == status
    assert response.json() == {"error": error, "error_description": description}


def test_json_bodies_are_not_read_by_the_token_endpoint(api: Api) -> None:
    response = api.post(
        TOKEN,
        json={
            "grant_type": "client_credentials",
            "client_id": "demo-client",
            "client_secret": "demo-secret",
        },
    )
    assert response.json()["error_description"] == "Missing form parameter: grant_type"


def test_refresh_tokens(api: Api) -> None:
    first = login(api)
    again = grant(
        api,
        grant_type="refresh_token",
        client_id="demo-client",
        client_secret="demo-secret",
        refresh_token=first["refresh_token"],
    )
    assert again.status_code == 200
    stolen = grant(
        api,
        grant_type="refresh_token",
        client_id="other-client",
        client_secret="other-secret",
        refresh_token=first["refresh_token"],
    )
    assert stolen.json()["error_description"] == (
        "Invalid refresh token. Token client and authorized client don't match"
    )
    as_refresh = grant(
        api,
        grant_type="refresh_token",
        client_id="demo-client",
        client_secret="demo-secret",
        refresh_token=first["access_token"],
    )
    assert as_refresh.json()["error"] == "invalid_grant"
    api.post("/_sandbox/clock/advance", json={"seconds": 1801})
    late = grant(
        api,
        grant_type="refresh_token",
        client_id="demo-client",
        client_secret="demo-secret",
        refresh_token=first["refresh_token"],
    )
    assert (late.status_code, late.json()["error_description"]) == (400, "Token is not active")


def test_no_token_is_api_platforms_401(api: Api) -> None:
    response = api.get("/v1/ticketing/catalogs")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json; charset=utf-8"
    assert response.json()["detail"] == "Full authentication is required to access this resource."


@pytest.mark.parametrize("token", ["garbage", "a.b.c"])
def test_a_token_that_is_not_ours_is_a_bare_401(api: Api, token: str) -> None:
    response = api.get("/v1/ticketing/catalogs", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert response.content == b""
    assert response.headers["www-authenticate"] == (
        'Bearer error="invalid_token",error_description="Invalid credentials."'
    )


def test_access_tokens_expire_after_1800_seconds_of_sandbox_time(korus: Client) -> None:
    korus.api.post("/_sandbox/clock/advance", json={"seconds": 1800})
    assert korus.get("/v1/ticketing/catalogs").status_code == 200
    korus.api.post("/_sandbox/clock/advance", json={"seconds": 1})
    assert korus.get("/v1/ticketing/catalogs").status_code == 401


def test_a_token_works_only_in_its_namespace(korus: Client) -> None:
    other = korus.get(
        "/v1/ticketing/catalogs", headers={"X-Sandbox-Namespace": f"{korus.api.namespace}-b"}
    )
    assert other.status_code == 401


def test_catalogs_are_the_organizations_own(korus: Client, api: Api) -> None:
    response = korus.get("/v1/ticketing/catalogs")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/ld+json; charset=utf-8"
    assert response.headers["vary"] == "Accept"
    ids = [m["id"] for m in response.json()["member"]]
    assert ids == [DEMO_ORG_CATALOG, "0194d07e-aa37-7171-820c-712e91552451"]
    other = Client(api, login(api, "other-client", "other-secret")["access_token"])
    assert [m["id"] for m in other.get("/v1/ticketing/catalogs").json()["member"]] == [
        OTHER_ORG_CATALOG
    ]
    assert other.get(f"/v1/ticketing/catalogs/{DEMO_ORG_CATALOG}/product_bases").status_code == 404


def test_catalog_collection_bytes(korus: Client) -> None:
    """The reference's §8.3 worked example, for this organization's first catalog."""
    response = korus.get("/v1/ticketing/catalogs", params={"itemsPerPage": 1})
    assert response.text == (
        '{"@context":"\\/contexts\\/TicketingCatalog","@id":"\\/v1\\/ticketing\\/catalogs",'
        '"@type":"Collection","totalItems":2,"member":[{"@id":"\\/v1\\/ticketing\\/catalogs\\/'
        '0194abdc-3a71-72b0-a9b9-89d4be0cd73e","@type":"TicketingCatalog",'
        '"id":"0194abdc-3a71-72b0-a9b9-89d4be0cd73e","createdAt":"2025-01-28T07:42:04+00:00",'
        '"name":"Catalogue Puy du Fou - CSE"}],"view":{"@id":"\\/v1\\/ticketing\\/catalogs?'
        'itemsPerPage=1\\u0026page=1","@type":"PartialCollectionView","first":"\\/v1\\/ticketing'
        '\\/catalogs?itemsPerPage=1\\u0026page=1","last":"\\/v1\\/ticketing\\/catalogs?'
        'itemsPerPage=1\\u0026page=2","next":"\\/v1\\/ticketing\\/catalogs?itemsPerPage=1'
        '\\u0026page=2"},"search":{"@type":"IriTemplate","template":"\\/v1\\/ticketing\\/'
        'catalogs{?}","variableRepresentation":"BasicRepresentation","mapping":[]}}'
    )


def test_collection_view_rules(korus: Client) -> None:
    one_page = korus.get("/v1/ticketing/catalogs").json()
    assert "view" not in one_page  # one page, no query: no view
    only_page = korus.get("/v1/ticketing/catalogs", params={"page": 1}).json()
    assert "view" not in only_page
    desc = korus.get("/v1/ticketing/catalogs?page=2&order[createdAt]=desc&itemsPerPage=1").json()
    assert [m["name"] for m in desc["member"]] == ["Catalogue Puy du Fou - CSE"]
    assert desc["view"] == {
        "@id": "/v1/ticketing/catalogs?itemsPerPage=1&order%5BcreatedAt%5D=desc&page=2",
        "@type": "PartialCollectionView",
        "first": "/v1/ticketing/catalogs?itemsPerPage=1&order%5BcreatedAt%5D=desc&page=1",
        "last": "/v1/ticketing/catalogs?itemsPerPage=1&order%5BcreatedAt%5D=desc&page=2",
        "previous": "/v1/ticketing/catalogs?itemsPerPage=1&order%5BcreatedAt%5D=desc&page=1",
    }
    clamped = korus.get("/v1/ticketing/catalogs", params={"itemsPerPage": 500}).json()
    assert clamped["view"]["@id"] == "/v1/ticketing/catalogs?itemsPerPage=500"


@pytest.mark.parametrize(
    ("query", "detail"),
    [
        ("page=0", "Page should not be less than 1"),
        ("page=abc", "Page should not be less than 1"),
        ("itemsPerPage=-1", "Limit should not be less than 0"),
        ("itemsPerPage=0&page=2", "Page should not be greater than 1 if limit is equal to 0"),
    ],
)
def test_pagination_errors(korus: Client, query: str, detail: str) -> None:
    response = korus.get(f"/v1/ticketing/catalogs?{query}")
    assert response.status_code == 400
    assert response.json()["detail"] == detail


def test_product_bases_hide_disabled_ones_unless_asked(korus: Client) -> None:
    path = f"/v1/ticketing/catalogs/{DEMO_ORG_CATALOG}/product_bases"
    shown = korus.get(path).json()
    assert [m["disabled"] for m in shown["member"]] == [False, False]
    assert shown["search"]["template"] == f"{path}{{?}}"
    everything = korus.get(path, params={"withDisabled": "true"}).json()
    assert [m["disabled"] for m in everything["member"]] == [False, False, True]
    assert list(everything["member"][0]) == ["@id", "@type", "id", "name", "disabled"]
    assert korus.get(path, params={"withDisabled": "maybe"}).status_code == 400


def test_unknown_routes_are_symfonys_404(korus: Client) -> None:
    response = korus.get("/v1/nowhere")
    assert response.status_code == 404
    assert response.json()["detail"].startswith('No route found for "GET http')
    wrong = korus.request("POST", "/v1/ticketing/catalogs")
    assert wrong.status_code == 405
    assert wrong.headers["allow"] == "GET"
    assert wrong.json()["detail"].endswith(": Method Not Allowed (Allow: GET)")
