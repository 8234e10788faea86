"""Keycloak as Keycloak (issue 16, item 9): RS256 tokens under a key that is not derived from the
seed, the realm's discovery document and JWKS, and a standard library (PyJWT) that verifies the
sandbox's tokens against the published keys."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import httpx2 as httpx
import jwt as pyjwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.options import from_sources
from booking_sandbox.core.runtime import Sandbox
from booking_sandbox.core.settings import DEFAULT_SEED, Settings
from booking_sandbox.testing.live import LiveServer
from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors.korus import documents
from booking_sandbox.vendors.korus import jwt as korus_jwt
from tests.conftest import START, Api
from tests.korus.conftest import TOKEN, Client, grant, login, seed_item
from tests.korus.test_tickets_documents import book, download, signed_url

REALM = "/realms/korusticket"
DISCOVERY = f"{REALM}/.well-known/openid-configuration"
CERTS = f"{REALM}/protocol/openid-connect/certs"
CATALOGS = "/v1/ticketing/catalogs"
DEMO_ORG = "0194abdc-3a79-7ec3-b1b9-a1f291de587d"


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def part(token: str, index: int) -> dict[str, Any]:
    segment = token.split(".")[index]
    found: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    )
    return found


def base_of(api: Api) -> str:
    return str(api.client.base_url).rstrip("/")


def real_time(api: Api) -> None:
    """A client library checks `exp` and `iat` against the machine's time: the namespace clock
    must be there for its tokens to be current."""
    now = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    assert api.put("/_sandbox/clock", json={"now": now, "frozen": True}).status_code == 200


def bare_401(response: httpx.Response) -> bool:
    return response.status_code == 401 and response.headers["www-authenticate"].startswith(
        'Bearer error="invalid_token"'
    )


@pytest.fixture
def app() -> Iterator[TestClient]:
    """An in-process app, for what reaches into the server (its key)."""
    with TestClient(create_app(Settings(start_time=parse_instant(START)))) as client:
        yield client


def sandbox_of_app(client: TestClient) -> Sandbox:
    sandbox: Sandbox = client.app.state.sandbox  # type: ignore[attr-defined]
    return sandbox


def app_api(client: TestClient, namespace: str = "t-keycloak") -> Api:
    return Api(client, namespace)


# ----- discovery and JWKS ------------------------------------------------------------------


def test_the_discovery_document_is_keycloaks(api: Api) -> None:
    response = api.get(DISCOVERY)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == "no-cache"
    body = response.json()
    realm = f"{base_of(api)}{REALM}"
    assert body == {
        "issuer": realm,
        "authorization_endpoint": f"{realm}/protocol/openid-connect/auth",
        "token_endpoint": f"{realm}/protocol/openid-connect/token",
        "jwks_uri": f"{realm}/protocol/openid-connect/certs",
        "grant_types_supported": ["refresh_token", "client_credentials"],
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
    }
    assert list(body)[:4] == ["issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"]
    # What it names is served there, and the tokens carry its issuer.
    assert urlsplit(body["token_endpoint"]).path == TOKEN
    assert api.get(urlsplit(body["jwks_uri"]).path).status_code == 200
    assert part(login(api)["access_token"], 1)["iss"] == body["issuer"]


def test_the_discovery_urls_follow_the_host_the_client_used(app: TestClient) -> None:
    body = app.get(DISCOVERY, headers={"Host": "auth.example.test:8443"}).json()
    assert body["issuer"] == "http://auth.example.test:8443/realms/korusticket"
    assert body["jwks_uri"].startswith("http://auth.example.test:8443/realms/korusticket/")


def test_the_jwks_is_keycloaks(api: Api) -> None:
    response = api.get(CERTS)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    [key] = response.json()["keys"]
    assert list(key) == ["kid", "kty", "alg", "use", "n", "e", "x5c", "x5t", "x5t#S256"]
    assert (key["kty"], key["alg"], key["use"], key["e"]) == ("RSA", "RS256", "sig", "AQAB")
    [cert_b64] = key["x5c"]
    der = base64.b64decode(cert_b64)
    cert = x509.load_der_x509_certificate(der)
    # Self-signed by the published key, for the realm, and the same key as `n`/`e`.
    cert.verify_directly_issued_by(cert)
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "korusticket"
    public = cert.public_key()
    assert isinstance(public, rsa.RSAPublicKey)
    assert public.key_size == 2048
    n = public.public_numbers().n
    assert key["n"] == b64url(n.to_bytes((n.bit_length() + 7) // 8, "big"))
    assert key["x5t"] == b64url(hashlib.sha1(der).digest())
    assert key["x5t#S256"] == b64url(hashlib.sha256(der).digest())
    spki = public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert key["kid"] == b64url(hashlib.sha256(spki).digest())  # Keycloak's key id
    assert api.get(CERTS).json() == response.json()  # one key for the server's life


@pytest.mark.parametrize("path", [DISCOVERY, CERTS])
def test_faults_on_the_realm_answer_in_keycloaks_envelope(api: Api, path: str) -> None:
    response = api.get(path, headers={"X-Sandbox-Fault": "status=503"})
    assert response.status_code == 503
    assert response.json() == {
        "error": "temporarily_unavailable",
        "error_description": "Service Unavailable",
    }


# ----- a standard library verifies the tokens ----------------------------------------------


def test_pyjwt_verifies_the_tokens_against_the_published_keys(api: Api) -> None:
    real_time(api)
    discovery = api.get(DISCOVERY).json()
    keys = pyjwt.PyJWKSet.from_dict(api.get(urlsplit(discovery["jwks_uri"]).path).json())
    tokens = login(api)
    header = pyjwt.get_unverified_header(tokens["access_token"])
    assert header == {"alg": "RS256", "typ": "JWT", "kid": keys.keys[0].key_id}
    access = pyjwt.decode(
        tokens["access_token"],
        keys[header["kid"]].key,
        algorithms=["RS256"],
        audience="account",
        issuer=discovery["issuer"],
    )
    assert (access["azp"], access["typ"], access["organization"], access["ns"]) == (
        "demo-client",
        "Bearer",
        DEMO_ORG,
        api.namespace,
    )
    refresh = pyjwt.decode(
        tokens["refresh_token"],
        keys[header["kid"]].key,
        algorithms=["RS256"],
        audience=discovery["issuer"],
        issuer=discovery["issuer"],
    )
    assert refresh["typ"] == "Refresh"


@pytest.mark.live
def test_pyjwks_client_fetches_the_keys_from_a_running_server(live_server: LiveServer) -> None:
    with httpx.Client(base_url=live_server.url, timeout=10) as client:
        api = Api(client, "t-pyjwkclient")
        real_time(api)
        discovery = api.get(DISCOVERY).json()
        token = login(api)["access_token"]
    # PyJWKClient reads jwks_uri over HTTP itself (urllib), as an integrator's code would.
    signing = pyjwt.PyJWKClient(discovery["jwks_uri"]).get_signing_key_from_jwt(token)
    claims = pyjwt.decode(
        token, signing.key, algorithms=["RS256"], audience="account", issuer=discovery["issuer"]
    )
    assert claims["azp"] == "demo-client"


# ----- only the server's own tokens --------------------------------------------------------


def unsigned(claims: dict[str, Any], kid: str) -> str:
    """`alg: none`, which RFC 7519 §6 allows and no server should accept."""
    head = b64url(json.dumps({"alg": "none", "typ": "JWT", "kid": kid}).encode())
    return f"{head}.{b64url(json.dumps(claims).encode())}."


def forgeries(token: str, kid: str) -> dict[str, str]:
    """The same claims, signed by what is not the server's key."""
    claims = part(token, 1)
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    # The pre-issue-16 key: derived from the documented default seed, so anyone could sign.
    from_seed = hashlib.sha256(f"booking-sandbox:korus:jwt:{DEFAULT_SEED}".encode()).digest()
    return {
        "another key, our kid": pyjwt.encode(
            claims, stranger, algorithm="RS256", headers={"kid": kid}
        ),
        "another key and kid": pyjwt.encode(
            claims, stranger, algorithm="RS256", headers={"kid": "stranger"}
        ),
        "HS256 from the seed": pyjwt.encode(
            claims, from_seed, algorithm="HS256", headers={"kid": "booking-sandbox"}
        ),
        "HS256 from the seed, our kid": pyjwt.encode(
            claims, from_seed, algorithm="HS256", headers={"kid": kid}
        ),
        "alg none": unsigned(claims, kid),
    }


def test_tokens_signed_by_anything_else_are_refused(api: Api) -> None:
    real_time(api)
    token = login(api)["access_token"]
    published = pyjwt.PyJWKSet.from_dict(api.get(CERTS).json()).keys[0]
    assert api.get(CATALOGS, headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert published.key_id is not None
    for name, forged in forgeries(token, published.key_id).items():
        response = api.get(CATALOGS, headers={"Authorization": f"Bearer {forged}"})
        assert bare_401(response), name
        if name.startswith("another key"):  # a client checking the JWKS refuses it too
            with pytest.raises(pyjwt.InvalidSignatureError):
                pyjwt.decode(forged, published.key, algorithms=["RS256"], audience="account")


def test_refresh_tokens_signed_by_anything_else_are_refused(api: Api) -> None:
    refresh = login(api)["refresh_token"]
    kid = part(refresh, 0)["kid"]
    for name, forged in forgeries(refresh, kid).items():
        response = grant(
            api,
            grant_type="refresh_token",
            client_id="demo-client",
            client_secret="demo-secret",
            refresh_token=forged,
        )
        assert (response.status_code, response.json()["error"]) == (400, "invalid_grant"), name


def test_a_valid_token_of_namespace_a_is_refused_in_namespace_b(api: Api) -> None:
    b = Api(api.client, f"{api.namespace}-b")
    login(b)  # B exists: the refusal is the token's namespace, not a missing namespace
    real_time(api)
    tokens = login(api)
    keys = pyjwt.PyJWKSet.from_dict(api.get(CERTS).json())
    claims = pyjwt.decode(
        tokens["access_token"], keys.keys[0].key, algorithms=["RS256"], audience="account"
    )
    assert claims["ns"] == api.namespace  # a well-signed token...
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert api.get(CATALOGS, headers=bearer).status_code == 200
    assert bare_401(b.get(CATALOGS, headers=bearer))  # ...that works only where it was issued
    refreshed = grant(
        b,
        grant_type="refresh_token",
        client_id="demo-client",
        client_secret="demo-secret",
        refresh_token=tokens["refresh_token"],
    )
    assert (refreshed.status_code, refreshed.json()["error"]) == (400, "invalid_grant")


def test_the_key_is_not_derived_from_the_seed() -> None:
    """Two servers, same seed, same requests, same clock: same claims, other keys."""
    tokens, kids = [], []
    for _ in range(3):
        with TestClient(create_app(Settings(start_time=parse_instant(START)))) as client:
            api = app_api(client)
            api.put("/_sandbox/clock", json={"now": START, "frozen": True})
            tokens.append(login(api)["access_token"])
            kids.append(api.get(CERTS).json()["keys"][0]["kid"])
            if len(tokens) == 3:  # the first server's token means nothing to the third
                bearer = {"Authorization": f"Bearer {tokens[0]}"}
                assert bare_401(api.get(CATALOGS, headers=bearer))
    assert part(tokens[0], 1) == part(tokens[1], 1)
    assert kids[0] != kids[1]
    assert tokens[0].split(".")[2] != tokens[1].split(".")[2]


def test_a_signed_token_without_a_numeric_exp_is_invalid(app: TestClient) -> None:
    api = app_api(app)
    token = login(api)["access_token"]
    key = sandbox_of_app(app).signer
    claims = korus_jwt.verify(token, key)
    assert claims is not None
    forged = korus_jwt.sign({**claims, "exp": "later"}, key)
    assert bare_401(api.get(CATALOGS, headers={"Authorization": f"Bearer {forged}"}))


# ----- a configured key --------------------------------------------------------------------


def pem_file(tmp_path: Path, bits: int = 2048, name: str = "realm.pem") -> Path:
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    path = tmp_path / name
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return path


def test_a_configured_key_signs_the_same_tokens_across_restarts(tmp_path: Path) -> None:
    path = pem_file(tmp_path)
    settings = from_sources(["--signing-key", str(path), "--start-time", START])
    assert settings.signing_key == path
    seen = []
    for _ in range(2):
        with TestClient(create_app(settings)) as client:
            api = app_api(client)
            api.put("/_sandbox/clock", json={"now": START, "frozen": True})
            seen.append((login(api)["access_token"], api.get(CERTS).content))
    assert seen[0] == seen[1]  # PKCS#1 v1.5 is deterministic, the certificate too
    private = serialization.load_pem_private_key(path.read_bytes(), password=None)
    assert isinstance(private, rsa.RSAPrivateKey)
    token = seen[0][0]
    claims = pyjwt.decode(
        token,
        private.public_key(),
        algorithms=["RS256"],
        audience="account",
        options={"verify_exp": False},  # issued at seed 001's moment
    )
    assert claims["azp"] == "demo-client"


def test_the_signing_key_setting_comes_from_the_environment(tmp_path: Path) -> None:
    path = pem_file(tmp_path)
    assert from_sources([], env={"SANDBOX_SIGNING_KEY": str(path)}).signing_key == path
    assert from_sources([], env={}).signing_key is None


@pytest.mark.parametrize("problem", ["missing", "small", "not a key", "encrypted", "ec"])
def test_a_bad_signing_key_stops_the_start(
    tmp_path: Path, problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "key.pem"
    if problem == "small":
        path = pem_file(tmp_path, bits=1024)
    elif problem == "not a key":
        path.write_text("hello")
    elif problem == "encrypted":
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        path.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.BestAvailableEncryption(b"pw"),
            )
        )
    elif problem == "ec":
        from cryptography.hazmat.primitives.asymmetric import ec

        path.write_bytes(
            ec.generate_private_key(ec.SECP256R1()).private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    with pytest.raises(SystemExit) as stopped:
        from_sources(["--signing-key", str(path)])
    assert stopped.value.code == 2
    assert "--signing-key / SANDBOX_SIGNING_KEY" in capsys.readouterr().err


# ----- signed document URLs ----------------------------------------------------------------


def test_document_urls_are_not_signed_with_a_key_from_the_seed(korus: Client, api: Api) -> None:
    made = book(korus, seed_item())
    url = signed_url(korus, made)
    assert download(api, url).status_code == 200
    split = urlsplit(url)
    expires = parse_qs(split.query)["Expires"][0]
    from_seed = hashlib.sha256(f"booking-sandbox:korus:documents:{DEFAULT_SEED}".encode()).digest()
    mac = hmac.new(
        from_seed, documents.string_to_sign(expires, split.path).encode(), hashlib.sha256
    )
    forged = split._replace(
        query=split.query.split("&Signature=")[0]
        + "&Signature="
        + quote(base64.b64encode(mac.digest()).decode(), safe="")
    ).geturl()
    response = download(api, forged)
    assert response.status_code == 403
    assert "<Code>SignatureDoesNotMatch</Code>" in response.text


def test_document_urls_differ_between_servers_with_the_same_seed() -> None:
    urls = []
    for _ in range(2):
        with TestClient(create_app(Settings(start_time=parse_instant(START)))) as client:
            api = app_api(client)
            api.put("/_sandbox/clock", json={"now": START, "frozen": True})
            korus = Client(api, login(api)["access_token"])
            urls.append(signed_url(korus, book(korus, seed_item())))
    # Same seed, same requests: the same object path and expiry, other signatures.
    assert urls[0].split("&Signature=")[0] == urls[1].split("&Signature=")[0]
    assert urls[0] != urls[1]


def test_a_configured_key_keeps_document_urls_valid_across_restarts(tmp_path: Path) -> None:
    settings = Settings(start_time=parse_instant(START), signing_key=pem_file(tmp_path))
    urls = []
    for _ in range(2):
        with TestClient(create_app(settings)) as client:
            api = app_api(client)
            api.put("/_sandbox/clock", json={"now": START, "frozen": True})
            korus = Client(api, login(api)["access_token"])
            urls.append(signed_url(korus, book(korus, seed_item())))
    assert urls[0] == urls[1]  # the same server identity: the same signatures


def test_a_bad_configured_key_is_refused_when_the_app_is_made(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pem"
    bad.write_text("not a key")
    with pytest.raises(ValueError, match="PEM"):
        create_app(Settings(signing_key=bad))
