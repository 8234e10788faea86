"""The dashboard's page and files: served from the package, offline, open without the token.

What the page does in a browser is tested in tests/browser/test_dashboard.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from starlette.testclient import TestClient

from booking_sandbox import __version__
from booking_sandbox.app import create_app
from booking_sandbox.control.dashboard import ASSETS, UI
from booking_sandbox.core.settings import Settings
from tests.conftest import Api


@pytest.fixture
def locked() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(control_token="t0ken")), follow_redirects=False) as c:
        yield c


def test_the_root_redirects_to_the_dashboard(api: Api) -> None:
    r = api.get("/", follow_redirects=False)
    assert r.status_code == 302
    assert r.headers["location"] == "/_sandbox/ui"


def test_the_page_is_html_with_a_policy_that_keeps_it_offline(api: Api) -> None:
    r = api.get("/_sandbox/ui")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    policy = r.headers["content-security-policy"]
    # Scripts, styles, images and calls from the sandbox itself only: no CDN can be reached.
    assert "default-src 'self'" in policy
    assert "script-src 'self';" in policy
    assert "connect-src 'self'" in policy
    assert "unsafe-eval" not in policy
    assert r.headers["x-content-type-options"] == "nosniff"
    assert 'content="none"' in r.text
    assert __version__ in r.text
    assert "{{" not in r.text


def test_the_page_loads_only_its_own_files(api: Api) -> None:
    page = api.get("/_sandbox/ui").text
    loaded = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert loaded
    assert all(url.startswith(("/_sandbox/", "#")) for url in loaded)
    # Every module a module imports is one the server hands out, and nothing names a host.
    for name in ASSETS - {"favicon.svg"}:
        text = (UI / name).read_text("utf-8").replace("http://www.w3.org/2000/svg", "")
        imported = re.findall(r'from "\./([^"]+)"', text)
        assert set(imported) <= ASSETS, name
        assert not re.search(r"https?://|[\"'(]//|@import|url\(", text), name


def test_the_dashboard_allows_nothing_inline(api: Api) -> None:
    """Stricter than the Swagger pages: the journal shows what clients sent."""
    policy = api.get("/_sandbox/ui").headers["content-security-policy"]
    assert "unsafe-inline" not in policy
    assert "data:" not in policy
    assert api.get("/_sandbox/ui/main.js").headers["content-security-policy"] == policy


def test_the_dashboard_and_the_docs_pages_share_the_token_key() -> None:
    """The docs pages use the token the dashboard was given, in the same tab."""
    from booking_sandbox.control.apidocs import FOLDER

    key = re.compile(r'"(booking-sandbox\.control-token)"')
    assert key.findall((UI / "api.js").read_text("utf-8")) == ["booking-sandbox.control-token"]
    assert key.findall((FOLDER / "docs.js").read_text("utf-8")) == ["booking-sandbox.control-token"]


@pytest.mark.parametrize(
    ("name", "media"),
    [
        ("main.js", "text/javascript; charset=utf-8"),
        ("style.css", "text/css; charset=utf-8"),
        ("favicon.svg", "image/svg+xml"),
    ],
)
def test_files_come_with_their_type_and_a_validator(api: Api, name: str, media: str) -> None:
    r = api.get(f"/_sandbox/ui/{name}")
    assert r.status_code == 200
    assert r.headers["content-type"] == media
    assert r.content == (UI / name).read_bytes()
    again = api.get(f"/_sandbox/ui/{name}", headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.parametrize("name", ["index.html", "nope.js", "..%2Fhttp.py", "%2e%2e"])
def test_only_the_listed_files_are_served(api: Api, name: str) -> None:
    r = api.get(f"/_sandbox/ui/{name}")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


def test_the_page_is_open_with_a_token_and_says_one_is_needed(locked: TestClient) -> None:
    page = locked.get("/_sandbox/ui")
    assert page.status_code == 200
    assert 'name="sandbox-control-token" content="required"' in page.text
    assert locked.get("/_sandbox/ui/main.js").status_code == 200
    assert locked.get("/").status_code == 302
    # What the page reads is not open for all that.
    assert locked.get("/_sandbox/clock").status_code == 401
    assert locked.get("/_sandbox/clock", headers={"Authorization": "Bearer t0ken"}).is_success


def test_every_file_of_the_folder_is_served() -> None:
    """Or it would be dead weight in the wheel (tests/test_packaging.py checks the wheel)."""
    shipped = {f.name for f in UI.iterdir() if f.is_file()}
    assert shipped == ASSETS | {"index.html"}
