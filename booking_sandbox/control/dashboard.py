"""The dashboard at `/_sandbox/ui`: static files that talk to the control plane's JSON only.

The page holds no data, so it is served without the control token (a browser cannot send a
Bearer header when it navigates); it only learns whether it must ask the user for one.
"""

from __future__ import annotations

from functools import cache

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from booking_sandbox import __version__
from booking_sandbox.control.static import HEADERS, folder_endpoint, package_dir
from booking_sandbox.core.runtime import sandbox_of

UI = package_dir("ui")
ASSETS = frozenset(
    {
        "main.js",
        "api.js",
        "dom.js",
        "clock.js",
        "inventory.js",
        "requests.js",
        "faults.js",
        "state.js",
        "style.css",
        "favicon.svg",
    }
)
PAGE = "/_sandbox/ui"

asset = folder_endpoint(UI, ASSETS)


@cache
def _page(token_required: bool) -> bytes:
    html = (UI / "index.html").read_text("utf-8")
    html = html.replace("{{token}}", "required" if token_required else "none")
    return html.replace("{{version}}", __version__).encode("utf-8")


async def page(request: Request) -> Response:
    token_required = sandbox_of(request).settings.control_token is not None
    return Response(_page(token_required), media_type="text/html; charset=utf-8", headers=HEADERS)


async def root(request: Request) -> Response:
    """`GET /`: no vendor lives there, and a person who opens the server wants the page."""
    return RedirectResponse(PAGE, status_code=302)
