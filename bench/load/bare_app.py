"""The baseline: a bare Starlette app answering each hot path's routes with recorded bytes.

Started by `bench.load` as `uvicorn bench.load.bare_app:app` with the same server settings as the
sandbox (one worker, uvloop + httptools when installed, no access log). `BENCH_BARE_RESPONSES`
names a JSON list of {method, route, status, headers, body (base64)} recorded from the sandbox,
so both servers send the same bodies and headers; only the work behind them differs.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

ENV = "BENCH_BARE_RESPONSES"


def _endpoint(status: int, headers: dict[str, str], body: bytes) -> Any:
    async def endpoint(request: Request) -> Response:
        return Response(body, status_code=status, headers=headers)

    return endpoint


def build(recorded: list[dict[str, Any]]) -> Starlette:
    routes = [
        Route(
            item["route"],
            _endpoint(item["status"], item["headers"], base64.b64decode(item["body"])),
            methods=[item["method"]],
        )
        for item in recorded
    ]
    return Starlette(routes=routes)


def _load() -> Starlette:
    path = os.environ.get(ENV)
    return build(json.loads(Path(path).read_text()) if path else [])


app = _load()
