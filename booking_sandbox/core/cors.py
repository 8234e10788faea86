"""Opt-in CORS (`--cors-origins`): a browser page served from another origin may call us.

Without the setting the app has no such middleware: no CORS header anywhere, and an OPTIONS
request reaches its route as before (each vendor's own 404 or 405, in its envelope).

With it, this is the outermost middleware:
- a preflight (OPTIONS with `Origin` and `Access-Control-Request-Method`) is answered here and
  goes no further: it is the browser asking for leave, not a vendor call, so no handler, fault
  rule, journal entry, metric or namespace (its last use, for eviction) sees it;
- every other answer gets `Vary: Origin`, and, for a granted origin,
  `Access-Control-Allow-Origin` and `Access-Control-Expose-Headers`.

Granted: an origin listed by name, on every path; `*`, any origin, on vendor paths only: the
control plane reads every namespace's state and journal, so it answers only origins named (and
its writes still need `--control-origin`: control/guard.py). Never
`Access-Control-Allow-Credentials`: the sandbox sets no cookie, and the bearer tokens and keys
its clients send are plain headers, which CORS allows without credentials mode.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from booking_sandbox.core.origins import ANY, cors_origin, header_origin

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
# What the vendors' clients and the sandbox's own send. A preflight may ask for more (a front
# end's tracing headers, say): those are granted too, as the origin is trusted already.
REQUEST_HEADERS = (
    *("Accept", "Accept-Language", "Authorization", "Content-Type"),
    *("X-Requested-With", "X-Sandbox-Fault", "X-Sandbox-Namespace"),
)
# What the sandbox answers beyond the CORS-safelisted ones (Content-Type, Cache-Control...).
EXPOSED_HEADERS = (
    *("Allow", "Content-Disposition", "Content-Location", "ETag", "Link", "Location"),
    *("Retry-After", "WWW-Authenticate"),
)
MAX_AGE = 600  # seconds a browser may reuse a preflight's answer (Chromium caps it at 7200)
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # a header name (RFC 9110 token)


class Cors:
    """The ASGI middleware. `vendor_path(path)`: whether a vendor serves the path (`*` there)."""

    def __init__(
        self, app: ASGIApp, origins: Iterable[str], vendor_path: Callable[[str], bool]
    ) -> None:
        self.app = app
        named = {cors_origin(o) for o in origins}
        self.any_on_vendor_paths = ANY in named
        self.named = frozenset(named - {ANY})
        self.vendor_path = vendor_path
        self.exposed = ", ".join(EXPOSED_HEADERS).encode("latin-1")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        origin = asked_method = asked_headers = asked_private = None
        for name, value in scope["headers"]:
            if name == b"origin" and origin is None:
                origin = value.decode("latin-1")
            elif name == b"access-control-request-method":
                asked_method = value.decode("latin-1")
            elif name == b"access-control-request-headers":
                asked_headers = value.decode("latin-1")
            elif name == b"access-control-request-private-network":
                asked_private = value
        if origin is None:  # not a cross-origin browser request: only caches need telling
            await self.app(scope, receive, _with(send, []))
            return
        grant = self._grant(origin, scope["path"])
        if scope["method"] == "OPTIONS" and asked_method is not None:
            await self._preflight(send, origin, grant, asked_method, asked_headers, asked_private)
            return
        extra = [] if grant is None else [(b"access-control-allow-origin", grant)]
        if grant is not None:
            extra.append((b"access-control-expose-headers", self.exposed))
        await self.app(scope, receive, _with(send, extra))

    def _grant(self, origin: str, path: str) -> bytes | None:
        """The `Access-Control-Allow-Origin` for this origin on this path, if any."""
        if header_origin(origin) in self.named:  # (as the settings and control/guard.py)
            return origin.encode("latin-1")  # as sent: the browser compares it byte for byte
        if self.any_on_vendor_paths and self.vendor_path(path):
            return b"*"
        return None

    async def _preflight(
        self,
        send: Send,
        origin: str,
        grant: bytes | None,
        method: str,
        asked: str | None,
        private: bytes | None,
    ) -> None:
        wanted = [h.strip() for h in (asked or "").split(",") if h.strip()]
        refusal = None
        if grant is None:
            refusal = (
                f"the origin {origin!r} is not allowed here: list it with --cors-origins "
                "(env SANDBOX_CORS_ORIGINS); * covers vendor paths only, the control plane "
                "needs origins by name"
            )
        elif method not in METHODS:
            refusal = f"the method {method!r} is not allowed; allowed: {', '.join(METHODS)}"
        elif not all(_TOKEN.fullmatch(h) for h in wanted):
            refusal = f"malformed Access-Control-Request-Headers: {asked!r}"
        elif private is not None and grant == b"*":
            # A public page reaching into the private network: only for origins named.
            refusal = f"private network access needs the origin {origin!r} named in --cors-origins"
        vary = (b"vary", b"Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
        if refusal is not None:  # (no CORS header: the browser stops; the text is for people)
            body = f"CORS preflight refused: {refusal}\n".encode()
            headers = [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                vary,
            ]
            await _respond(send, 403, headers, body)
            return
        assert grant is not None
        allowed = list(REQUEST_HEADERS)
        known = {h.lower() for h in allowed}
        allowed += [h for h in wanted if h.lower() not in known]
        headers = [
            (b"access-control-allow-origin", grant),
            (b"access-control-allow-methods", ", ".join(METHODS).encode()),
            (b"access-control-allow-headers", ", ".join(allowed).encode("latin-1")),
            (b"access-control-max-age", str(MAX_AGE).encode()),
            vary,
        ]
        if private is not None:
            headers.append((b"access-control-allow-private-network", b"true"))
        await _respond(send, 204, headers, b"")


def _with(send: Send, extra: list[tuple[bytes, bytes]]) -> Send:
    """`send`, adding `extra` and `Vary: Origin` to the answer's head."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers", ()))
            message = {**message, "headers": _vary_origin(headers) + extra}
        await send(message)

    return sending


def _vary_origin(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The answer depends on `Origin` (a shared cache must not mix them up); once, and never
    beside `Vary: *`."""
    present = {
        token.strip().lower()
        for name, value in headers
        if name.lower() == b"vary"
        for token in value.split(b",")
    }
    if b"origin" in present or b"*" in present:
        return headers
    return [*headers, (b"vary", b"Origin")]


async def _respond(
    send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes
) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
