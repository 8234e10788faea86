"""Symfony's trailing-slash redirect, for the paths Korus's Symfony app serves.

FrameworkBundle's router is a RedirectableUrlMatcher (CompiledUrlMatcherTrait::match): when no
route matches a GET or HEAD and the path with its trailing slashes trimmed does match a route
that takes GET, the answer is RedirectController::urlRedirectAction with `permanent: true`, a
301 to `<scheme>://<host>[:port]<trimmed path>[?<query as sent>]` with RedirectResponse's HTML
body. Any other method, or a trimmed path that matches nothing or no GET route (`GET
.../_bulk/`), stays the router's 404; only literal slashes are trimmed (`%2F` is not one). The
redirect is the router's, before the firewall: no token is needed to be sent on (the target
then asks for one).
"""

from __future__ import annotations

from urllib.parse import unquote

from starlette._utils import get_route_path
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Match

from booking_sandbox.core.routing import IndexedRouter

# Symfony's own routes; Keycloak and the storage host are other servers.
SYMFONY = ("/v1/", "/contexts/", "/docs")
_BODY = """<!DOCTYPE html>
<html>
    <head>
        <meta charset="UTF-8" />
        <meta http-equiv="refresh" content="0;url='{0}'" />

        <title>Redirecting to {0}</title>
    </head>
    <body>
        Redirecting to <a href="{0}">{0}</a>.
    </body>
</html>"""
# htmlspecialchars($url, ENT_QUOTES, 'UTF-8'): `&` first, and `'` as PHP writes it.
_HTML = (("&", "&amp;"), ('"', "&quot;"), ("'", "&#039;"), ("<", "&lt;"), (">", "&gt;"))


def slash_redirect(request: Request) -> Response | None:
    """The 301 Symfony answers instead of a 404, or None."""
    scope = request.scope
    # Symfony trims the raw path info (`rtrim($pathinfo, '/')` before `rawurldecode`), so an
    # encoded slash (`/catalogs/%2F`, `/catalogs%2F`) is not trimmed: no redirect, the 404.
    # The target is the raw path shortened, so it differs from the request and, ending in no
    # `/`, never redirects again.
    raw = (scope.get("raw_path") or scope["path"].encode()).decode("latin-1")
    trimmed_raw = raw.rstrip("/")
    if request.method not in ("GET", "HEAD") or trimmed_raw == raw:
        return None
    full = unquote(trimmed_raw)  # as the server decodes a path; with the root path, if any
    trimmed = get_route_path({**scope, "path": full})
    if not trimmed.startswith(SYMFONY):
        return None
    # API Platform's `{._format}` suffix, which FormatSuffix strips before routing.
    suffix = ".jsonld" if trimmed.startswith("/v1/") and trimmed.endswith(".jsonld") else ""
    routed = trimmed.removesuffix(suffix)
    child = {**scope, "path": full.removesuffix(suffix), "method": "GET"}
    if not any(route.matches(child)[0] is Match.FULL for route in _candidates(request, routed)):
        return None
    location = f"{request.url.scheme}://{request.url.netloc}{trimmed_raw}"
    query = scope.get("query_string", b"").decode("latin-1")
    if query:
        location += f"?{query}"
    return Response(
        _BODY.format(_escape(location)),
        301,
        headers={"Location": location},
        media_type="text/html; charset=utf-8",
    )


def _candidates(request: Request, path: str) -> tuple[BaseRoute, ...] | list[BaseRoute]:
    router = request.scope.get("router")
    if isinstance(router, IndexedRouter):
        return router.candidates(path)
    return list(getattr(router, "routes", []))


def _escape(text: str) -> str:
    for raw, escaped in _HTML:
        text = text.replace(raw, escaped)
    return text
