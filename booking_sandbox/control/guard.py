"""Who may use the control plane: the optional bearer token, and no cross-site writes.

The control plane can wipe every namespace, so two doors are shut before any handler runs:
- with `--control-token` set, every call but health carries `Authorization: Bearer <token>`;
- a call that changes state is refused when a browser says it comes from another site
  (`Origin`), and its body must be JSON. Together they make a web page the developer happens
  to visit unable to reset or rewrite their local sandbox: a cross-site request either carries
  a foreign `Origin` or, to send JSON, needs a CORS preflight, granted only to origins listed
  with `--cors-origins` (core/cors.py), whose writes carry their `Origin` and are refused here
  unless it is also given with `--control-origin`: CORS lets a page read, not write.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from booking_sandbox.control.http import ControlError
from booking_sandbox.core.origins import header_origin
from booking_sandbox.core.runtime import sandbox_of

Endpoint = Callable[[Request], Awaitable[Response]]
# Health: the Docker HEALTHCHECK cannot carry a token. The dashboard's page and files: a
# browser cannot send one when it navigates, and they hold no data (their calls need it).
# The API documentation's pages and files likewise (the documents' JSON stays locked).
OPEN = frozenset({"health", "ui", "ui-asset", "docs", "docs-page", "docs-asset"})
READS = frozenset({"GET", "HEAD", "OPTIONS"})
REALM = 'Bearer realm="booking-sandbox control plane"'
SHOWN = 100  # characters of a refused `Origin` the error repeats


def guarded(name: str, endpoint: Endpoint) -> Endpoint:
    """`endpoint` behind the token and the cross-site checks (health stays open)."""
    if name in OPEN:
        return endpoint

    async def run(request: Request) -> Response:
        check(request)
        return await endpoint(request)

    return run


def check(request: Request) -> None:
    settings = sandbox_of(request).settings
    if settings.control_token is not None:
        _authenticate(request, settings.control_token)
    if request.method not in READS:
        _same_site(request, settings.control_origins)
        _json_only(request)


def _authenticate(request: Request, token: str) -> None:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    # As bytes (Starlette decoded them as latin-1): compare_digest refuses non-ASCII str. The
    # token itself is printable ASCII (settings refuse anything else, the empty one first).
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode("latin-1"), token.encode("ascii")
    ):
        raise ControlError(
            401,
            "unauthorized",
            "the control plane needs Authorization: Bearer <the server's control token>",
            headers={"WWW-Authenticate": REALM},
        )


def _same_site(request: Request, allowed: tuple[str, ...]) -> None:
    sent = request.headers.get("origin")
    if sent is None:  # not a browser, or a browser on the same page (same-origin GET)
        return
    # Written as the settings wrote `allowed` (core/origins.py); None (`null`, garbage) is no
    # origin at all and matches nothing below.
    origin = header_origin(sent)
    if origin is not None and origin in allowed:
        return
    host = request.headers.get("host", "").lower()
    # The sandbox's own page, reached by a name no one else can point at it: a loopback name
    # or an address. A page whose DNS name an attacker rebinds to 127.0.0.1 is same-origin to
    # the browser too, but it reaches us by that name: refused unless configured.
    own = {header_origin(f"{scheme}://{host}") for scheme in ("http", "https")} if host else set()
    if origin is not None and origin in own and _own_name(host):
        return
    shown = sent if len(sent) <= SHOWN else sent[:SHOWN] + "..."
    raise ControlError(
        403,
        "forbidden_origin",
        f"a control-plane write from the browser origin {shown!r} is refused; allow it with "
        "--control-origin (env SANDBOX_CONTROL_ORIGINS)",
    )


def _own_name(host: str) -> bool:
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    name = name.strip("[]")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _json_only(request: Request) -> None:
    """A form or `text/plain` body is what a page can send cross-site without asking first."""
    given = request.headers.get("content-type")
    if given is None:
        if _has_body(request):
            raise ControlError(415, "unsupported_media_type", "a body needs Content-Type JSON")
        return  # `curl -X POST .../reset`: nothing to read, nothing a form could send
    media = given.split(";", 1)[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise ControlError(
            415,
            "unsupported_media_type",
            f"control-plane bodies are application/json, not {media or 'empty'!r}",
        )


def _has_body(request: Request) -> bool:
    length = request.headers.get("content-length")
    if length is not None:
        return length.strip() not in ("", "0")
    return "transfer-encoding" in request.headers
