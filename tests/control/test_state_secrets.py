"""State exports hold no credential a reader could use; imports of them still authenticate."""

from __future__ import annotations

import base64
import copy
import hashlib
import random
import string
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.control.secrets import unmask
from booking_sandbox.core.settings import Settings
from booking_sandbox.timefmt import parse_instant

START = parse_instant("2026-03-20T10:00:00Z")
CLEAR = ("demo-secret", "other-secret", "inactive-secret", "demo-api-key")
PC_LOGIN = {"client_id": "demo-partner", "client_secret": "demo-secret"}


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(start_time=START))) as found:
        found.put("/_sandbox/clock", json={"frozen": True})  # exports compare equal
        yield found


def _pc_token(client: TestClient, secret: str = "demo-secret", ns: str = "default") -> int:
    login = {"client_id": "demo-partner", "client_secret": secret}
    r = client.post("/api/v1/auth/token", json=login, headers={"X-Sandbox-Namespace": ns})
    return r.status_code


def test_an_export_masks_every_catalog_credential_and_live_token(client: TestClient) -> None:
    token = client.post("/api/v1/auth/token", json=PC_LOGIN).json()["data"]["access_token"]
    exported = client.get("/_sandbox/state")
    document = exported.json()
    assert document["secrets"] == "masked"
    catalogs = document["catalogs"]
    assert {a["clientSecret"] for a in catalogs["korus"]["serviceAccounts"]} == {"***"}
    assert {p["clientSecret"] for p in catalogs["pontcentral"]["partners"]} == {"***"}
    assert {k["key"] for k in catalogs["booqable"]["api_keys"]} == {"***"}
    for secret in (*CLEAR, token):
        assert secret not in exported.text
    # Masking copies: the namespace itself keeps its secrets.
    assert _pc_token(client) == 200


def test_a_masked_export_round_trips_exactly_and_still_authenticates(
    client: TestClient,
) -> None:
    first = client.get("/_sandbox/state").json()
    for namespace in ("default", "fresh"):  # in place, and where nothing existed before
        headers = {"X-Sandbox-Namespace": namespace}
        imported = client.put("/_sandbox/state", json=first, headers=headers)
        assert imported.status_code == 200, imported.text
        again = client.get("/_sandbox/state", headers=headers).json()
        assert {**again, "namespace": "default"} == first
        assert _pc_token(client, ns=namespace) == 200
        booqable = {"Authorization": "Bearer demo-api-key", **headers}
        assert client.get("/api/boomerang/orders", headers=booqable).status_code == 200


def test_a_masked_secret_keeps_the_namespaces_own_over_the_fixtures(client: TestClient) -> None:
    document = client.get("/_sandbox/state").json()
    changed = copy.deepcopy(document)
    changed["catalogs"]["pontcentral"]["partners"][0]["clientSecret"] = "rotated"
    assert client.put("/_sandbox/state", json=changed).status_code == 200
    assert _pc_token(client, "rotated") == 200
    assert _pc_token(client, "demo-secret") == 401
    masked_again = client.get("/_sandbox/state").json()
    # Reordered: the secret follows its partner (by clientId), not its position.
    partners = masked_again["catalogs"]["pontcentral"]["partners"]
    masked_again["catalogs"]["pontcentral"]["partners"] = partners[::-1]
    assert client.put("/_sandbox/state", json=masked_again).status_code == 200
    assert _pc_token(client, "rotated") == 200


def test_a_masked_secret_with_nothing_to_keep_is_422_naming_it(client: TestClient) -> None:
    document = client.get("/_sandbox/state").json()
    partners = document["catalogs"]["pontcentral"]["partners"]
    partners.append({**partners[0], "id": 99, "clientId": "newcomer", "clientSecret": "***"})
    r = client.put("/_sandbox/state", json=document)
    assert r.status_code == 422
    assert [d["path"] for d in r.json()["error"]["details"]] == [
        "$.catalogs.pontcentral.partners[3].clientSecret"
    ]


def test_secrets_in_clear_only_behind_the_control_token(client: TestClient) -> None:
    r = client.get("/_sandbox/state", params={"secrets": "include"})
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "secrets_need_token"
    assert client.get("/_sandbox/state", params={"secrets": "all"}).status_code == 400
    settings = Settings(start_time=START, control_token="t0k")
    auth = {"Authorization": "Bearer t0k"}
    with TestClient(create_app(settings)) as locked:
        locked.put("/_sandbox/clock", json={"frozen": True}, headers=auth)
        r = locked.get("/_sandbox/state", params={"secrets": "include"}, headers=auth)
        assert r.status_code == 200
        document: dict[str, Any] = r.json()
        assert document["secrets"] == "included"
        assert document["catalogs"]["booqable"]["api_keys"] == [{"key": "demo-api-key"}]
        assert locked.put("/_sandbox/state", json=document, headers=auth).status_code == 200
        again = locked.get("/_sandbox/state", params={"secrets": "include"}, headers=auth)
        assert again.json() == document


def test_an_export_does_not_let_anyone_compute_the_tokens_it_issued(client: TestClient) -> None:
    """The draws behind a token come from the namespace's generator, whose state is exported:
    the token is keyed with the server's own secret, which no export holds."""
    before = client.get("/_sandbox/state").json()
    token = client.post("/api/v1/auth/token", json=PC_LOGIN).json()["data"]["access_token"]
    generator = random.Random()
    version, words, gauss = before["ids"]
    generator.setstate((version, tuple(words), gauss))
    alphabet = string.ascii_letters + string.digits + "-_"
    drawn = "".join(generator.choice(alphabet) for _ in range(40))
    unkeyed = hashlib.sha256(f"demo-partner\0{drawn}".encode()).digest()
    guess = base64.urlsafe_b64encode(base64.urlsafe_b64encode(unkeyed).rstrip(b"=")[:40])
    assert guess.rstrip(b"=").decode() not in token
    with TestClient(create_app(Settings(start_time=START))) as twin:  # same seed, same draws
        twin.put("/_sandbox/clock", json={"frozen": True})
        again = twin.post("/api/v1/auth/token", json=PC_LOGIN).json()["data"]["access_token"]
    assert again != token
    assert again.split(".")[0] == token.split(".")[0]  # the row id is still seeded


def test_two_masked_api_keys_round_trip(client: TestClient) -> None:
    document = client.get("/_sandbox/state", params={}).json()
    document["catalogs"]["booqable"]["api_keys"] = [{"key": "demo-api-key"}, {"key": "second"}]
    assert client.put("/_sandbox/state", json=document).status_code == 200
    first = client.get("/_sandbox/state").json()
    assert first["catalogs"]["booqable"]["api_keys"] == [{"key": "***"}, {"key": "***"}]
    assert client.put("/_sandbox/state", json=first).status_code == 200, "duplicate '***'?"
    assert client.get("/_sandbox/state").json() == first
    second = {"Authorization": "Bearer second"}
    assert client.get("/api/boomerang/orders", headers=second).status_code == 200


def test_a_masked_import_asks_for_the_fixtures_once_per_section() -> None:
    calls: list[str] = []

    def sources(section: str) -> list[Any]:
        calls.append(section)
        return [{"partners": [{"clientId": f"c{i}", "clientSecret": f"s{i}"} for i in range(500)]}]

    partners = [{"clientId": f"c{i}", "clientSecret": "***"} for i in range(500)]
    catalogs: dict[str, Any] = {"pontcentral": {"partners": partners}}
    assert unmask(catalogs, sources) == []
    assert calls == ["pontcentral"]
    assert partners[499]["clientSecret"] == "s499"


def test_sections_of_vendors_this_app_does_not_serve_are_masked_too() -> None:
    from booking_sandbox.vendors.korus import VENDOR as KORUS

    with TestClient(create_app(Settings(start_time=START), vendors=(KORUS,))) as only_korus:
        exported = only_korus.get("/_sandbox/state")
    for secret in CLEAR:
        assert secret not in exported.text


def test_a_flood_of_problems_is_a_short_422(client: TestClient) -> None:
    document = client.get("/_sandbox/state").json()
    document["catalogs"]["booqable"]["api_keys"] = [{"key": "***"} for _ in range(5000)]
    r = client.put("/_sandbox/state", json=document)
    assert r.status_code == 422
    error = r.json()["error"]
    assert len(error["details"]) == 50
    assert "of 4999 problems" in error["message"]
    assert len(r.content) < 20_000
