"""Opt-in CORS (`--cors-origins`): preflights answered up front, headers for the origins listed.

In-process apps built with their own settings (the `api` fixture serves the defaults only),
then the real console script with the flag.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.core.cors import EXPOSED_HEADERS
from booking_sandbox.core.options import from_sources
from booking_sandbox.core.origins import cors_origin
from booking_sandbox.core.settings import Settings
from booking_sandbox.testing.live import LiveServer
from booking_sandbox.timefmt import parse_instant

START = parse_instant("2026-03-20T10:00:00Z")
FRONT = "http://localhost:3000"  # the use case: a front end on another localhost port
OTHER = "http://elsewhere.test"
KORUS = "/v1/booking/reservations"
KORUS_TOKEN = "/realms/korusticket/protocol/openid-connect/token"
PONT = "/api/v1/bookings"
BOOQABLE = "/api/boomerang/orders"
VENDOR_PATHS = (KORUS, KORUS_TOKEN, PONT, BOOQABLE)
CONTROL = "/_sandbox/clock"
PRODUCTS = "/api/boomerang/products"
BOOQABLE_KEY = {"Authorization": "Bearer demo-api-key"}


def preflight(origin: str, method: str = "POST", **extra: str) -> dict[str, str]:
    asked = {"Origin": origin, "Access-Control-Request-Method": method}
    asked["Access-Control-Request-Headers"] = "authorization, content-type, x-sandbox-namespace"
    return {**asked, **extra}


def _client(**settings: Any) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(start_time=START, **settings))) as client:
        yield client


@pytest.fixture
def plain() -> Iterator[TestClient]:
    yield from _client()


@pytest.fixture
def cors() -> Iterator[TestClient]:
    yield from _client(cors_origins=(FRONT,))


@pytest.fixture
def anyone() -> Iterator[TestClient]:
    yield from _client(cors_origins=("*",))


def cors_headers(response: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.startswith("access-control-")}


def journal_total(client: TestClient, namespace: str = "default") -> int:
    r = client.get("/_sandbox/requests", headers={"X-Sandbox-Namespace": namespace})
    total: int = r.json()["total"]
    return total


def vary(response: httpx.Response) -> list[str]:
    return [v.strip().lower() for v in response.headers.get("vary", "").split(",") if v.strip()]


# ----- without the setting: nothing changes ------------------------------------------------


def test_without_the_setting_there_is_no_cors_header_at_all(plain: TestClient) -> None:
    for path in (*VENDOR_PATHS, CONTROL, "/nowhere"):
        for r in (plain.options(path, headers=preflight(FRONT)), plain.get(path)):
            assert cors_headers(r) == {}, (path, r.headers)
        r = plain.get(path, headers={"Origin": FRONT})
        assert cors_headers(r) == {}, (path, r.headers)
        assert "origin" not in vary(r) or path == BOOQABLE  # (Rails' own Vary: Origin stays)


@pytest.mark.parametrize(
    ("path", "status", "media"),
    [
        (KORUS, 405, "application/problem+json"),
        (PONT, 404, "application/json"),  # NestJS: no route for the method
        (BOOQABLE, 404, "application/vnd.api+json"),  # Rails likewise
        (CONTROL, 405, "application/json"),
    ],
)
def test_without_the_setting_a_preflight_is_any_options_request(
    plain: TestClient, path: str, status: int, media: str
) -> None:
    """As before the setting existed: the route's own answer, in its vendor's envelope."""
    before = journal_total(plain)
    r = plain.options(path, headers=preflight(FRONT))
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(media)
    assert journal_total(plain) == before + (path != CONTROL)  # a vendor call, journaled


# ----- preflights ------------------------------------------------------------------------


@pytest.mark.parametrize("path", [*VENDOR_PATHS, CONTROL, "/nowhere"])
def test_a_preflight_from_a_listed_origin_is_granted(cors: TestClient, path: str) -> None:
    r = cors.options(path, headers=preflight(FRONT, "DELETE"))
    assert r.status_code == 204, r.text
    assert r.content == b""
    assert r.headers["access-control-allow-origin"] == FRONT
    methods = {m.strip() for m in r.headers["access-control-allow-methods"].split(",")}
    assert {"GET", "POST", "PUT", "PATCH", "DELETE"} <= methods
    allowed = {h.strip().lower() for h in r.headers["access-control-allow-headers"].split(",")}
    expected = {"authorization", "content-type", "accept", "accept-language"}
    assert expected | {"x-sandbox-namespace", "x-sandbox-fault"} <= allowed
    assert int(r.headers["access-control-max-age"]) > 0
    assert "access-control-allow-credentials" not in r.headers  # never: no cookies here
    assert {"origin", "access-control-request-method"} <= set(vary(r))


def test_a_preflight_is_not_a_vendor_call(cors: TestClient) -> None:
    """No handler, no journal entry, no metric, no fault rule fired."""
    rule = {"match": {"vendor": "booqable"}, "action": {"status": 503}, "times": 1}
    assert cors.post("/_sandbox/faults", json=rule).status_code == 201
    for path in VENDOR_PATHS:
        assert cors.options(path, headers=preflight(FRONT)).status_code == 204
    assert journal_total(cors) == 0
    assert "sandbox_requests_total{" not in cors.get("/_sandbox/metrics").text
    assert cors.get("/_sandbox/faults").json()["faults"][0]["fired"] == 0
    # The rule is still there for the call that follows the preflight.
    assert cors.get(PRODUCTS, headers={"Origin": FRONT, **BOOQABLE_KEY}).status_code == 503
    assert journal_total(cors) == 1


class Wall:
    """The machine's time, moved by the test (for the namespaces' last use)."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.mark.parametrize("flag", [True, False])
def test_a_preflight_does_not_count_as_a_namespace_s_use(flag: bool) -> None:
    """At the cap the least recently used idle namespace goes: a preflight keeps none alive
    (without the setting an OPTIONS is a vendor call, and does)."""
    wall = Wall()
    origins = (FRONT,) if flag else ()
    settings = Settings(max_namespaces=3, namespace_idle=60, wall=wall, cors_origins=origins)
    with TestClient(create_app(settings)) as client:
        for name in ("a", "b"):
            assert client.get(CONTROL, headers={"X-Sandbox-Namespace": name}).status_code == 200
            wall.now += timedelta(seconds=100)
        asked = preflight(FRONT, **{"X-Sandbox-Namespace": "a"})
        client.options(PRODUCTS, headers={**asked, **BOOQABLE_KEY})
        assert client.get(CONTROL, headers={"X-Sandbox-Namespace": "c"}).status_code == 200
        kept = client.get("/_sandbox/namespaces").json()["namespaces"]
        assert kept == (["b", "c", "default"] if flag else ["a", "c", "default"])


def test_a_preflight_asking_for_other_headers_gets_them(cors: TestClient) -> None:
    """A front end's tracing headers would otherwise break it; the origin is trusted anyway."""
    asked = preflight(FRONT, **{"Access-Control-Request-Headers": "traceparent, x-sandbox-fault"})
    r = cors.options(BOOQABLE, headers=asked)
    assert r.status_code == 204
    allowed = [h.strip().lower() for h in r.headers["access-control-allow-headers"].split(",")]
    assert "traceparent" in allowed
    assert allowed.count("x-sandbox-fault") == 1


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        (preflight(OTHER), "not allowed here"),
        (preflight(FRONT, "TRACE"), "method 'TRACE'"),
        (preflight(FRONT, **{"Access-Control-Request-Headers": "x-ok, bad header"}), "malformed"),
    ],
)
def test_a_refused_preflight_has_no_cors_header_and_stays_out_of_the_journal(
    cors: TestClient, headers: dict[str, str], reason: str
) -> None:
    r = cors.options(BOOQABLE, headers=headers)
    assert r.status_code == 403
    assert r.headers["content-type"].startswith("text/plain")
    assert reason in r.text
    assert cors_headers(r) == {}
    assert "origin" in vary(r)
    assert journal_total(cors) == 0


def test_an_options_request_that_is_no_preflight_reaches_its_route(cors: TestClient) -> None:
    # No Access-Control-Request-Method: an OPTIONS of its own, the vendor answers it.
    r = cors.options(KORUS, headers={"Origin": FRONT})
    assert r.status_code == 405
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.headers["access-control-allow-origin"] == FRONT
    # No Origin: not a browser's preflight either.
    r = cors.options(KORUS, headers={"Access-Control-Request-Method": "POST"})
    assert r.status_code == 405
    assert cors_headers(r) == {}
    assert journal_total(cors) == 2


def test_private_network_access_is_granted_to_origins_named_only() -> None:
    asked = {"Access-Control-Request-Private-Network": "true"}
    for client in _client(cors_origins=(FRONT, "*")):
        r = client.options(BOOQABLE, headers=preflight(FRONT, **asked))
        assert r.status_code == 204
        assert r.headers["access-control-allow-private-network"] == "true"
        r = client.options(BOOQABLE, headers=preflight(OTHER, **asked))
        assert r.status_code == 403
        assert "private network" in r.text


# ----- the answers -------------------------------------------------------------------------


def test_answers_to_a_listed_origin_carry_the_headers(cors: TestClient) -> None:
    r = cors.get(PRODUCTS, headers={"Origin": FRONT, **BOOQABLE_KEY})
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == FRONT
    exposed = {h.strip() for h in r.headers["access-control-expose-headers"].split(",")}
    assert {"Location", "Link", "Retry-After", "WWW-Authenticate", "ETag"} <= exposed
    assert exposed == set(EXPOSED_HEADERS)
    assert vary(r).count("origin") == 1  # Booqable's own Vary named it already: not twice
    r = cors.get(KORUS, headers={"Origin": FRONT})
    assert r.headers["access-control-allow-origin"] == FRONT
    assert vary(r) == ["accept", "origin"]  # merged with the vendor's own
    r = cors.get("/_sandbox/clock", headers={"Origin": FRONT})
    assert r.headers["access-control-allow-origin"] == FRONT


def test_the_origin_is_echoed_as_sent_and_matched_whatever_its_case() -> None:
    for client in _client(cors_origins=("HTTP://LocalHost:3000/",)):
        r = client.get(PRODUCTS, headers={"Origin": "http://LOCALHOST:3000", **BOOQABLE_KEY})
        assert r.headers["access-control-allow-origin"] == "http://LOCALHOST:3000"


def test_errors_and_faults_carry_the_headers_too(cors: TestClient) -> None:
    """A front end must read the vendor's error, not a CORS failure."""
    origin = {"Origin": FRONT}
    unauthorized = cors.get(PRODUCTS, headers=origin)  # no key: Booqable's 401
    faulted = cors.get(
        PRODUCTS, headers={**origin, **BOOQABLE_KEY, "X-Sandbox-Fault": "status=429; retry_after=2"}
    )
    unknown = cors.get("/api/boomerang/nowhere", headers=origin)
    for r, status in ((unauthorized, 401), (faulted, 429), (unknown, 404)):
        assert r.status_code == status, r.text
        assert r.headers["access-control-allow-origin"] == FRONT
    assert faulted.headers["retry-after"] == "2"


def test_an_unlisted_origin_gets_no_grant_but_the_answer_still_varies(cors: TestClient) -> None:
    r = cors.get(PRODUCTS, headers={"Origin": OTHER, **BOOQABLE_KEY})
    assert r.status_code == 200  # (the browser, not the sandbox, withholds it from the page)
    assert cors_headers(r) == {}
    r = cors.get(KORUS)  # no Origin at all: a cache must not serve this one to a page
    assert cors_headers(r) == {}
    assert "origin" in vary(r)


# ----- `*`: vendor paths only --------------------------------------------------------------


def test_any_origin_on_vendor_paths_only(anyone: TestClient) -> None:
    r = anyone.get(PRODUCTS, headers={"Origin": OTHER, **BOOQABLE_KEY})
    assert r.headers["access-control-allow-origin"] == "*"
    r = anyone.get(PRODUCTS, headers={"Origin": "null", **BOOQABLE_KEY})  # a file:// page
    assert r.headers["access-control-allow-origin"] == "*"
    r = anyone.options(PONT, headers=preflight(OTHER, "PUT"))
    assert r.status_code == 204
    assert r.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in r.headers
    # The control plane reads every namespace: it answers origins named, never `*`.
    r = anyone.get("/_sandbox/state", headers={"Origin": OTHER})
    assert r.status_code == 200
    assert cors_headers(r) == {}
    r = anyone.options("/_sandbox/state", headers=preflight(OTHER, "PUT"))
    assert r.status_code == 403
    assert "control plane needs origins by name" in r.text


# ----- the control plane's own rule -------------------------------------------------------


def test_a_cors_origin_does_not_grant_control_plane_writes(cors: TestClient) -> None:
    """CORS lets the page read the answers; writing needs --control-origin as well."""
    assert cors.options("/_sandbox/reset", headers=preflight(FRONT)).status_code == 204
    r = cors.post("/_sandbox/reset", json={}, headers={"Origin": FRONT})
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "forbidden_origin"
    assert r.headers["access-control-allow-origin"] == FRONT  # the page can read why
    r = cors.get("/_sandbox/clock", headers={"Origin": FRONT})
    assert r.status_code == 200  # reads are open


def test_both_settings_let_a_page_drive_the_control_plane() -> None:
    for client in _client(cors_origins=(FRONT,), control_origins=(FRONT,)):
        r = client.post("/_sandbox/clock/advance", json={"seconds": 60}, headers={"Origin": FRONT})
        assert r.status_code == 200, r.text
        assert r.headers["access-control-allow-origin"] == FRONT


@pytest.mark.parametrize(
    ("given", "sent"),
    [
        ("http://localhost:80", "http://localhost"),
        ("https://app.test:443/", "https://app.test"),
        ("HTTP://LocalHost:5173", "http://localhost:5173"),
    ],
)
def test_the_same_origin_given_to_both_flags_is_one_origin(given: str, sent: str) -> None:
    """The docs' advice (the same origin to both flags) holds however it is written: a default
    port, case or a trailing `/` make CORS and the control plane's guard agree alike."""
    settings = from_sources(["--cors-origins", given, "--control-origin", given], {})
    assert settings.cors_origins == settings.control_origins == (sent,)
    for client in _client(cors_origins=settings.cors_origins, control_origins=(given,)):
        r = client.post("/_sandbox/clock/advance", json={"seconds": 60}, headers={"Origin": sent})
        assert r.status_code == 200, r.text
        assert r.headers["access-control-allow-origin"] == sent


def test_an_origin_header_that_is_no_origin_is_granted_nothing_and_breaks_nothing() -> None:
    for client in _client(cors_origins=(FRONT, "*")):
        for origin in ("null", "http://a:99999", "localhost:3000", "http://a b", ""):
            r = client.get(PRODUCTS, headers={"Origin": origin, **BOOQABLE_KEY})
            assert r.status_code == 200, origin
            assert r.headers["access-control-allow-origin"] == "*"  # (vendor paths: anyone)
            r = client.get(CONTROL, headers={"Origin": origin})
            assert r.status_code == 200, origin
            assert cors_headers(r) == {}, origin


def test_a_control_origin_alone_answers_no_preflight() -> None:
    for client in _client(control_origins=(FRONT,)):
        r = client.options("/_sandbox/reset", headers=preflight(FRONT))
        assert r.status_code == 405
        assert cors_headers(r) == {}


# ----- settings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "origin"),
    [
        ("HTTP://LocalHost:3000/", "http://localhost:3000"),
        ("http://localhost:80", "http://localhost"),
        ("https://app.test:443", "https://app.test"),
        ("https://app.test:8443", "https://app.test:8443"),
        ("http://[::1]:5173", "http://[::1]:5173"),
        ("tauri://localhost", "tauri://localhost"),
        (" * ", "*"),
    ],
)
def test_an_origin_is_written_as_a_browser_sends_it(given: str, origin: str) -> None:
    assert cors_origin(given) == origin


@pytest.mark.parametrize(
    "given",
    ["localhost:3000", "http://localhost:3000/app", "null", "http://a:70000", "", "http://"],
)
def test_what_no_browser_sends_is_refused(given: str) -> None:
    with pytest.raises(ValueError, match="origin"):
        cors_origin(given)
    with pytest.raises(ValueError, match="origin"):
        Settings(cors_origins=(given,))


def test_flags_then_the_environment() -> None:
    env = {"SANDBOX_CORS_ORIGINS": "http://a.test:1, *"}
    assert from_sources([], env).cors_origins == ("http://a.test:1", "*")
    flags = ["--cors-origins", "http://b.test:2,http://c.test:3", "--cors-origins", "http://d.test"]
    settings = from_sources(flags, env)
    assert settings.cors_origins == ("http://b.test:2", "http://c.test:3", "http://d.test")
    assert from_sources([], {"SANDBOX_CORS_ORIGINS": ""}).cors_origins == ()
    assert Settings(cors_origins=("http://a:1", "HTTP://A:1/")).cors_origins == ("http://a:1",)


def test_a_bad_origin_stops_the_start(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        from_sources(["--cors-origins", "localhost:3000"], {})
    assert "--cors-origins / SANDBOX_CORS_ORIGINS" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        from_sources([], {"SANDBOX_CORS_ORIGINS": "http://ok.test, ftp//x"})
    assert "ftp//x" in capsys.readouterr().err


# ----- live -------------------------------------------------------------------------------


@pytest.mark.live
def test_the_console_script_takes_the_flag() -> None:
    server = LiveServer("--cors-origins", FRONT, env={"SANDBOX_CORS_ORIGINS": ""})
    try:
        server.wait_healthy()
        with httpx.Client(base_url=server.url) as client:
            r = client.options(PRODUCTS, headers=preflight(FRONT, "GET"))
            assert r.status_code == 204, r.text
            assert r.headers["access-control-allow-origin"] == FRONT
            r = client.get(PRODUCTS, headers={"Origin": FRONT, **BOOQABLE_KEY})
            assert r.status_code == 200
            assert r.headers["access-control-allow-origin"] == FRONT
            assert client.get("/_sandbox/requests").json()["total"] == 1  # the GET alone
    finally:
        server.stop()
