"""Files the browser pages load (the dashboard, the API documentation), served from the package.

They ship inside the wheel and the image, so the pages work offline: nothing is fetched from
a CDN, and the Content-Security-Policy below tells the browser not to try.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from importlib.resources import files
from importlib.resources.abc import Traversable

from starlette.requests import Request
from starlette.responses import Response

from booking_sandbox.control.http import ControlError

Endpoint = Callable[[Request], Awaitable[Response]]

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
}

# Everything from the sandbox itself, nothing inline: no CDN is reachable, and no text a page
# shows (the journal holds what clients sent) can run as a script or a style.
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
# Swagger UI sets inline styles and draws its icons as `data:` images; scripts stay 'self'.
SWAGGER_POLICY = POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").replace(
    "img-src 'self'", "img-src 'self' data:"
)


def page_headers(policy: str = POLICY) -> dict[str, str]:
    return {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        # Revalidated each time (an upgraded sandbox serves new files), cheap with the ETag.
        "Cache-Control": "no-cache",
    }


HEADERS = page_headers()
SWAGGER_HEADERS = page_headers(SWAGGER_POLICY)


def package_dir(*parts: str) -> Traversable:
    """A folder of files shipped inside `booking_sandbox.control`."""
    found = files("booking_sandbox.control")
    for part in parts:
        found = found / part
    return found


# Read once: package files do not change while the server runs (like functools.cache, but
# keyed by the file's path, as a Traversable need not be hashable).
_LOADED: dict[str, tuple[bytes, str]] = {}


def _load(file: Traversable) -> tuple[bytes, str]:
    key = str(file)
    if key not in _LOADED:
        body = file.read_bytes()
        _LOADED[key] = body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    return _LOADED[key]


def file_response(
    request: Request, file: Traversable, headers: dict[str, str] = HEADERS
) -> Response:
    """The file with its type and the page headers; 304 when the browser has it already."""
    suffix = "." + file.name.rsplit(".", 1)[-1] if "." in file.name else ""
    body, etag = _load(file)
    headers = {**headers, "ETag": etag}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    media = TYPES.get(suffix, "application/octet-stream")
    return Response(body, media_type=media, headers=headers)


def folder_endpoint(
    folder: Traversable, names: frozenset[str], headers: dict[str, str] = HEADERS
) -> Endpoint:
    """`GET .../{file}` for the listed names only: no path ever reaches the file system."""

    async def serve(request: Request) -> Response:
        name = request.path_params["file"]
        if name not in names:
            raise ControlError(404, "not_found", f"no file {name!r} here")
        return file_response(request, folder / name, headers)

    return serve
