"""`/_sandbox/docs`: the OpenAPI documents as pages (Swagger UI, offline) and as JSON whose
servers are the sandbox itself, so "Try it out" calls this server."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from starlette.testclient import TestClient

from booking_sandbox.app import create_app
from booking_sandbox.control.apidocs import served_copy
from booking_sandbox.core.settings import Settings
from booking_sandbox.timefmt import parse_instant
from booking_sandbox.vendors import VENDORS
from tests.conftest import ROOT, START, Api

NAMES = ["control", *(v.name for v in VENDORS)]
FILES = {"control": "control.openapi.json", **{v.name: v.openapi or "" for v in VENDORS}}
SANDBOX = [{"url": "/", "description": "This sandbox (the server showing this page)."}]
TOKEN = "docs-t0ken"
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "docs.js": "text/javascript",
    "docs.css": "text/css",
    "swagger-ui-bundle.js.LICENSE.txt": "text/plain",
}


class Tags(HTMLParser):
    """The start tags of a page, with their attributes."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]


def source(name: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads((ROOT / "schemas" / FILES[name]).read_text("utf-8"))
    return document


def assert_page(r: Any) -> None:
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    policy = r.headers["content-security-policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    # No inline script anywhere: every <script> loads a file of the sandbox's own.
    for script in Tags(r.text).all("script"):
        assert (script.get("src") or "").startswith("/_sandbox/docs/assets/"), script
    assert "<script>" not in r.text


# ----- the pages ---------------------------------------------------------------------------


def test_the_index_links_every_page_and_every_document(api: Api) -> None:
    r = api.get("/_sandbox/docs")
    assert_page(r)
    assert not Tags(r.text).all("script")  # the index is plain HTML and CSS
    links = {a.get("href") for a in Tags(r.text).all("a")}
    for name in NAMES:
        assert f"/_sandbox/docs/{name}" in links
        assert f"/_sandbox/docs/{name}.json" in links
        assert source(name)["info"]["title"] in r.text
    stylesheets = [link["href"] for link in Tags(r.text).all("link") if link["rel"] == "stylesheet"]
    assert stylesheets == ["/_sandbox/docs/assets/docs.css"]


@pytest.mark.parametrize("name", NAMES)
def test_each_page_is_swagger_ui_started_by_a_file(api: Api, name: str) -> None:
    r = api.get(f"/_sandbox/docs/{name}")
    assert_page(r)
    scripts = [s["src"] for s in Tags(r.text).all("script")]
    assert scripts == [
        "/_sandbox/docs/assets/swagger-ui-bundle.js",
        "/_sandbox/docs/assets/docs.js",
    ]
    icons = [link["href"] for link in Tags(r.text).all("link") if link["rel"] == "icon"]
    assert icons == ["/_sandbox/ui/favicon.svg"]


@pytest.mark.parametrize(
    "path",
    [
        "/_sandbox/docs/nope",
        "/_sandbox/docs/nope.json",
        "/_sandbox/docs/Korus",
        "/_sandbox/docs/assets/nope.js",
        "/_sandbox/docs/assets/page.html",  # served as a page only, by its names
        "/_sandbox/docs/assets/VERSION",
        "/_sandbox/docs/assets/..%2F..%2Fhttp.py",
    ],
)
def test_an_unknown_name_is_a_json_404(api: Api, path: str) -> None:
    r = api.get(path)
    assert r.status_code == 404, r.text
    assert r.headers["content-type"] == "application/json"
    assert r.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize(("file", "media"), ASSETS.items())
def test_assets_are_served_with_their_types_and_no_source_map(
    api: Api, file: str, media: str
) -> None:
    r = api.get(f"/_sandbox/docs/assets/{file}")
    assert r.status_code == 200
    assert r.headers["content-type"].split(";")[0] == media
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "sourceMappingURL" not in r.text


def test_the_bundle_is_revalidated_not_sent_again(api: Api) -> None:
    # 1.8 MB: a page load asks whether it changed (Cache-Control: no-cache) and gets a 304.
    r = api.get("/_sandbox/docs/assets/swagger-ui-bundle.js")
    assert r.headers["cache-control"] == "no-cache"
    again = api.get(
        "/_sandbox/docs/assets/swagger-ui-bundle.js", headers={"If-None-Match": r.headers["etag"]}
    )
    assert again.status_code == 304
    assert again.content == b""


def test_the_bundle_is_swagger_ui_5(api: Api) -> None:
    # Swagger UI 4 cannot render OpenAPI 3.1, which every document here is.
    version = (ROOT / "booking_sandbox/control/apidocs/VERSION").read_text("utf-8")
    assert re.match(r"swagger-ui-dist 5\.\d+\.\d+ ", version), version
    r = api.get("/_sandbox/docs/assets/swagger-ui-bundle.js")
    assert "SwaggerUIBundle" in r.text
    assert {source(name)["openapi"] for name in NAMES} == {"3.1.0"}


# ----- the documents as served -------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_each_document_is_served_with_the_sandbox_as_its_server(api: Api, name: str) -> None:
    r = api.get(f"/_sandbox/docs/{name}.json")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    served = r.json()
    assert served["servers"] == SANDBOX
    assert "localhost:8000" not in r.text
    original = source(name)
    assert {k: v for k, v in served.items() if k not in ("servers", "paths", "components")} == {
        k: v for k, v in original.items() if k not in ("servers", "paths", "components")
    }
    assert served["paths"].keys() == original["paths"].keys()
    for part in ("schemas", "securitySchemes", "responses"):
        assert served.get("components", {}).get(part) == original.get("components", {}).get(part)


@pytest.mark.parametrize("name", NAMES)
def test_the_authorize_button_needs_nothing_outside_the_sandbox(api: Api, name: str) -> None:
    """Every scheme is a bearer the user pastes, or points at the sandbox by a relative URL."""
    served = api.get(f"/_sandbox/docs/{name}.json").json()
    for scheme in served.get("components", {}).get("securitySchemes", {}).values():
        urls = [scheme.get("openIdConnectUrl")] + [
            flow.get(key)
            for flow in scheme.get("flows", {}).values()
            for key in ("authorizationUrl", "tokenUrl", "refreshUrl")
        ]
        assert all(url is None or url.startswith("/") for url in urls), scheme


def test_servers_inside_paths_and_operations_give_way_to_the_sandbox() -> None:
    vendor_host = [{"url": "https://api.vendor.example"}]
    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "servers": vendor_host,
        "paths": {
            "/a": {"servers": vendor_host, "get": {"servers": vendor_host, "responses": {}}},
            "/b": {"post": {"responses": {}}},
        },
    }
    served = served_copy(document)
    assert served["servers"] == SANDBOX
    assert served["paths"] == {"/a": {"get": {"responses": {}}}, "/b": {"post": {"responses": {}}}}
    assert document["paths"]["/a"]["get"]["servers"] == vendor_host  # the original is untouched


def test_object_parameters_start_empty_unless_the_document_gives_an_example() -> None:
    def param(name: str, **extra: Any) -> dict[str, Any]:
        return {"name": name, "in": "query", "schema": {"type": "object"}, **extra}

    document: dict[str, Any] = {
        "openapi": "3.1.0",
        "components": {"parameters": {"filter": param("filter")}},
        "paths": {
            "/a": {
                "parameters": [param("fields")],
                "get": {
                    "parameters": [
                        {"$ref": "#/components/parameters/filter"},
                        param("stats", example={"total": "count"}),
                        {"name": "sort", "in": "query", "schema": {"type": "string"}},
                        param("deep", schema={"type": "object", "default": {"a": "b"}}),
                        param("inner"),
                    ],
                    "responses": {},
                },
            }
        },
    }
    served = served_copy(document)
    assert served["components"]["parameters"]["filter"]["example"] == {}
    assert served["paths"]["/a"]["parameters"][0]["example"] == {}
    get = served["paths"]["/a"]["get"]["parameters"]
    assert get[0] == {"$ref": "#/components/parameters/filter"}
    assert get[1]["example"] == {"total": "count"}
    assert "example" not in get[2]
    assert "example" not in get[3]
    assert get[4]["example"] == {}
    assert "example" not in document["components"]["parameters"]["filter"]  # untouched


def test_the_list_follows_the_vendors_the_app_serves() -> None:
    first, *others = VENDORS
    app = create_app(Settings(start_time=parse_instant(START)), vendors=(first,))
    with TestClient(app, raise_server_exceptions=False) as client:
        index = client.get("/_sandbox/docs").text
        assert f'href="/_sandbox/docs/{first.name}"' in index
        assert client.get(f"/_sandbox/docs/{first.name}.json").status_code == 200
        for vendor in others:
            assert f"/_sandbox/docs/{vendor.name}" not in index
            assert client.get(f"/_sandbox/docs/{vendor.name}").status_code == 404
            assert client.get(f"/_sandbox/docs/{vendor.name}.json").status_code == 404


# ----- with a control token -----------------------------------------------------------------


@pytest.fixture
def locked() -> Iterator[TestClient]:
    app = create_app(Settings(start_time=parse_instant(START), control_token=TOKEN))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.mark.parametrize(
    "path",
    ["/_sandbox/docs", "/_sandbox/docs/control", "/_sandbox/docs/assets/docs.js"]
    + [f"/_sandbox/docs/{v.name}" for v in VENDORS],
)
def test_pages_and_files_open_without_the_token(locked: TestClient, path: str) -> None:
    # A browser navigating cannot send a Bearer header; the pages hold no data.
    assert locked.get(path).status_code == 200


@pytest.mark.parametrize("name", NAMES)
def test_the_documents_need_the_token(locked: TestClient, name: str) -> None:
    r = locked.get(f"/_sandbox/docs/{name}.json")
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "unauthorized"
    assert r.headers["www-authenticate"].startswith("Bearer ")
    r = locked.get(f"/_sandbox/docs/{name}.json", headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200
    assert r.json()["servers"] == SANDBOX


def test_an_unknown_document_behind_the_lock_is_still_a_401(locked: TestClient) -> None:
    # The lock first: without the token, no one learns which names exist.
    assert locked.get("/_sandbox/docs/nope.json").status_code == 401
