"""`/_sandbox/docs`: the OpenAPI documents as browsable pages (Swagger UI, vendored, offline).

- `GET /_sandbox/docs`: an index of the documents (the control plane's and each vendor's);
- `GET /_sandbox/docs/{name}`: Swagger UI on one of them (a static page; `docs.js` reads the
  name from the address);
- `GET /_sandbox/docs/{name}.json`: the document as served to the page: its `servers` are the
  sandbox itself, so "Try it out" calls this server, not the vendor nor a fixed port (and
  object parameters start empty, see `served_copy`);
- `GET /_sandbox/docs/assets/{file}`: Swagger UI and the pages' own script and style.

The documents come from the schemas directory of the settings, each vendor's named by its
`Vendor.openapi`: nothing here names a vendor.
"""

from __future__ import annotations

import json
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from booking_sandbox import __version__
from booking_sandbox.control.http import ControlError
from booking_sandbox.control.static import (
    SWAGGER_HEADERS,
    file_response,
    folder_endpoint,
    package_dir,
)
from booking_sandbox.core.runtime import sandbox_of
from booking_sandbox.vendors import vendors_of

PREFIX = "/_sandbox/docs"
CONTROL = "control"  # the control plane's own document, beside the vendors'
FOLDER = package_dir("apidocs")
ASSETS = frozenset(
    {
        "swagger-ui-bundle.js",  # vendored: scripts/vendor_swagger_ui.sh, see VERSION there
        "swagger-ui.css",
        "docs.js",  # ours: starts Swagger UI (a file: the CSP refuses inline scripts)
        "docs.css",
        "swagger-ui-bundle.js.LICENSE.txt",  # the bundle's first line points here
    }
)
# Relative: the browser resolves it against the page's origin, whatever name or port the
# sandbox is reached by (a container, a proxy, a CI service alias).
SERVERS = [{"url": "/", "description": "This sandbox (the server showing this page)."}]

asset = folder_endpoint(FOLDER, ASSETS, SWAGGER_HEADERS)


def documents(request: Request) -> dict[str, str]:
    """Page name -> the document's file in the schemas directory, the control plane first."""
    found = {CONTROL: "control.openapi.json"}
    found.update((v.name, v.openapi) for v in vendors_of(request) if v.openapi is not None)
    return found


def _file_of(request: Request, name: str) -> Path:
    filename = documents(request).get(name)
    if filename is None:
        known = ", ".join(documents(request))
        raise ControlError(404, "not_found", f"no API document {name!r}; known: {known}")
    return sandbox_of(request).settings.schemas / filename


async def index(request: Request) -> Response:
    items = [_item(name, _info(_file_of(request, name))) for name in documents(request)]
    body = INDEX.format(version=escape(__version__), items="\n".join(items))
    return Response(body, media_type="text/html; charset=utf-8", headers=SWAGGER_HEADERS)


async def page(request: Request) -> Response:
    _file_of(request, request.path_params["name"])  # an unknown name is a 404, not a blank page
    return file_response(request, FOLDER / "page.html", SWAGGER_HEADERS)


async def document(request: Request) -> Response:
    body = _served(_file_of(request, request.path_params["name"]))
    return Response(body, media_type="application/json", headers={"Cache-Control": "no-cache"})


def served_copy(source: dict[str, Any]) -> dict[str, Any]:
    """The document as the pages use it, the original untouched: the sandbox is its only
    server (at every level that may name one), and "Try it out" starts from values the
    sandbox accepts (see `_tryable`)."""
    copy = {**source, "servers": SERVERS}
    copy["paths"] = {path: _path_item(item) for path, item in source.get("paths", {}).items()}
    components = source.get("components")
    if isinstance(components, dict) and isinstance(components.get("parameters"), dict):
        parameters = {k: _tryable(v) for k, v in components["parameters"].items()}
        copy["components"] = {**components, "parameters": parameters}
    return copy


METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})


def _path_item(item: Any) -> Any:
    item = _own_parameters(_without_servers(item))
    if not isinstance(item, dict):
        return item
    return {
        key: _own_parameters(_without_servers(value)) if key in METHODS else value
        for key, value in item.items()
    }


def _without_servers(node: Any) -> Any:
    if isinstance(node, dict) and "servers" in node:
        return {key: value for key, value in node.items() if key != "servers"}
    return node


def _own_parameters(node: Any) -> Any:
    if isinstance(node, dict) and isinstance(node.get("parameters"), list):
        return {**node, "parameters": [_tryable(p) for p in node["parameters"]]}
    return node


def _tryable(parameter: Any) -> Any:
    """An object parameter with no example of its own gets `{}`: Swagger UI would otherwise
    fill in `{"additionalProp1": "string", ...}` and send it (`filter[additionalProp1]=string`),
    which a strict API refuses with a 400 on the very first "Execute"; `{}` sends nothing."""
    if not isinstance(parameter, dict) or {"$ref", "example", "examples"} & parameter.keys():
        return parameter
    schema = parameter.get("schema")
    if not isinstance(schema, dict) or schema.get("type") != "object":
        return parameter
    if {"example", "examples", "default"} & schema.keys():
        return parameter
    return {**parameter, "example": {}}


@cache
def _parsed(path: Path) -> dict[str, Any]:
    # Read once: the schemas ship with the sandbox and do not change while it runs.
    document: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return document


@cache
def _served(path: Path) -> bytes:
    return json.dumps(served_copy(_parsed(path)), ensure_ascii=False).encode("utf-8")


def _info(path: Path) -> dict[str, str]:
    document = _parsed(path)
    info = document.get("info", {})
    return {
        "title": str(info.get("title", path.name)),
        "version": str(info.get("version", "")),
        "openapi": str(document.get("openapi", "")),
    }


def _item(name: str, info: dict[str, str]) -> str:
    page = f"{PREFIX}/{name}"
    return ITEM.format(
        name=escape(name),
        title=escape(info["title"]),
        version=escape(info["version"]),
        openapi=escape(info["openapi"]),
        page=escape(page),
        json=escape(f"{page}.json"),
    )


ITEM = """    <li>
      <article>
        <h2><a href="{page}">{title}</a></h2>
        <dl>
          <dt>Name</dt><dd><code>{name}</code></dd>
          <dt>Version</dt><dd>{version} (OpenAPI {openapi})</dd>
        </dl>
        <p><a href="{page}">Browse and try it out</a> · <a href="{json}">Raw JSON</a></p>
      </article>
    </li>"""

INDEX = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>API documentation · booking-sandbox</title>
  <link rel="icon" href="/_sandbox/ui/favicon.svg">
  <link rel="stylesheet" href="/_sandbox/docs/assets/docs.css">
</head>
<body class="index">
  <header>
    <h1>API documentation</h1>
    <p>The OpenAPI documents of booking-sandbox {version}. "Try it out" calls this sandbox.</p>
  </header>
  <main>
    <ul class="documents">
{items}
    </ul>
  </main>
  <footer>
    <p>With a control token set (<code>--control-token</code>), the raw JSON needs
    <code>Authorization: Bearer &lt;token&gt;</code>; the pages ask for it once per tab.</p>
  </footer>
</body>
</html>
"""
