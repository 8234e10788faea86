"""Browser origins, written the one way a browser sends them in `Origin`.

Both origin settings (`--cors-origins`, core/cors.py; `--control-origin`, control/guard.py)
and the `Origin` header they are compared with go through `browser_origin`, so that an origin
the CORS layer grants is the same origin the control plane's guard knows, default port and
case included.
"""

from __future__ import annotations

import re

ANY = "*"  # `--cors-origins` only: any origin, on vendor paths
FORM = "scheme://host[:port] (http://localhost:3000)"
_ORIGIN = re.compile(
    r"(?P<scheme>[a-z][a-z0-9+.-]*)://(?P<host>\[[0-9a-f:.]+\]|[a-z0-9._~-]+)(?::(?P<port>\d{1,5}))?"
)
DEFAULT_PORTS = {"http": "80", "https": "443"}


def browser_origin(text: str, *, form: str = FORM) -> str:
    """`HTTP://LocalHost:80/` -> `http://localhost`: what a browser sends as `Origin`.

    ValueError for anything else (a path, no scheme, `null`, `*`): such a setting would match
    no browser's `Origin` and fail without a word. `form`: what the message says is expected.
    """
    match = _ORIGIN.fullmatch(_clean(text))
    if match is None:
        raise ValueError(f"an origin is {form}, not {text!r}")
    scheme, host, port = match["scheme"], match["host"], match["port"]
    if port is not None:
        if not 0 < int(port) < 65536:
            raise ValueError(f"port out of range in the origin {text!r}")
        port = str(int(port))
        if port == DEFAULT_PORTS.get(scheme):
            port = None  # a browser leaves the default port out
    return f"{scheme}://{host}" + (f":{port}" if port else "")


def cors_origin(text: str) -> str:
    """An entry of `--cors-origins`: `*`, or an origin as `browser_origin` writes it."""
    if _clean(text) == ANY:
        return ANY
    return browser_origin(text, form=f"{FORM} or {ANY}")


def header_origin(value: str) -> str | None:
    """A request's `Origin` header as `browser_origin` writes it; None when it is no origin
    (`null`, from a sandboxed or `file://` page, or garbage): it then matches no setting."""
    try:
        return browser_origin(value)
    except ValueError:
        return None


def _clean(text: str) -> str:
    return text.strip().rstrip("/").lower()
