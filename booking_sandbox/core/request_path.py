"""`request.url.path` without building the URL, for the per-request checks that only need it.

Starlette's `Request.url` joins scheme, host, path and query into a string and parses it back
(`urlsplit`): a few µs on every request that asks. For a plain path, the usual one, that round
trip gives the path back unchanged: it starts with one `/` and holds no `?`, `#` or `\\` (which
the URL escapes), no control character or space (`urlsplit` drops tab, CR and LF), and the host
around it is a validated `Host` header or the server's address, which never holds `/`, `?` or
`#`. Any other path goes through `Request.url`, so the answer is always the same.
"""

from __future__ import annotations

import re

from starlette.requests import Request

_PLAIN = re.compile(r"/(?!/)[^\x00-\x20\x7f?#\\]*")


def url_path(request: Request) -> str:
    """What `request.url.path` reads."""
    path: str = request.scope["path"]
    if _PLAIN.fullmatch(path) is not None:
        return path
    return request.url.path
