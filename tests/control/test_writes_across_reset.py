"""A write whose body is still arriving when its namespace is reset or replaced.

The traffic middleware reads ahead only 64 KiB: a larger body reaches the handler while the
client is still sending. The handler must pick its namespace once the body is complete, so
the write lands in the namespace that exists when it commits (and stays readable there), or
fails with the vendor's error; never a 2xx for a write nobody can read.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx2 as httpx
from starlette.applications import Starlette
from starlette.types import Message

from booking_sandbox.app import create_app
from booking_sandbox.core.settings import Settings
from booking_sandbox.timefmt import parse_instant
from tests.pontcentral.conftest import SEED_REQUEST

KEY = {"authorization": "Bearer demo-api-key", "content-type": "application/vnd.api+json"}
PADDING = 200 * 1024  # the head alone is past the middleware's 64 KiB read-ahead


async def _slow_post(
    app: Starlette,
    path: str,
    head: bytes,
    tail: bytes,
    between: asyncio.Event,
    waiting: asyncio.Event,
    headers: dict[str, str],
) -> tuple[int, bytes]:
    """POST `head` + `tail`; asked for the tail, set `waiting` and send it once `between` is."""
    sent: list[Message] = []
    parts = [
        {"type": "http.request", "body": head, "more_body": True},
        {"type": "http.request", "body": tail, "more_body": False},
    ]

    async def receive() -> Message:
        if not parts:
            await asyncio.Event().wait()  # (a real client idles once it has sent everything)
        if len(parts) == 1:
            waiting.set()  # the rest is asked for: the handler has its namespace, or not yet
            await between.wait()
        return parts.pop(0)

    async def send(message: Message) -> None:
        sent.append(message)

    raw = [(k.encode(), v.encode()) for k, v in headers.items()]
    raw.append((b"content-length", str(len(head) + len(tail)).encode()))
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": raw,
        "client": ("127.0.0.1", 1),
        "server": ("t", 80),
    }
    return await _finish(asyncio.ensure_future(app(scope, receive, send)), sent)


async def _finish(task: asyncio.Future[None], sent: list[Message]) -> tuple[int, bytes]:
    await task
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return status, body


def _order_body() -> tuple[bytes, bytes]:
    document = {
        "data": {
            "type": "orders",
            "attributes": {
                "starts_at": "2030-04-01T12:00:00Z",
                "stops_at": "2030-04-05T12:00:00Z",
            },
        }
    }
    text = json.dumps(document).encode()
    whole = text[:-1] + b" " * PADDING + text[-1:]  # JSON with room to split in
    return whole[: PADDING // 2 + 80], whole[PADDING // 2 + 80 :]


def _app() -> Starlette:
    return create_app(Settings(start_time=parse_instant("2026-03-20T10:00:00Z")))


def test_a_write_in_flight_across_a_reset_lands_in_the_new_namespace() -> None:
    app = _app()

    async def scenario() -> tuple[int, bytes, int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            head, tail = _order_body()
            go, waiting = asyncio.Event(), asyncio.Event()
            pending = asyncio.ensure_future(
                _slow_post(app, "/api/boomerang/orders", head, tail, go, waiting, KEY)
            )
            await waiting.wait()
            reset = await client.post("/_sandbox/reset")
            assert reset.status_code == 200
            go.set()
            status, answer = await pending
            order = json.loads(answer)["data"]["id"] if status == 201 else None
            found = await client.get(f"/api/boomerang/orders/{order}", headers=KEY)
            return status, answer, found.status_code

    status, answer, found = asyncio.run(scenario())
    assert status == 201, answer
    assert found == 200  # acknowledged, and still there after the reset


def test_a_write_in_flight_across_an_import_lands_in_the_imported_namespace() -> None:
    app = _app()

    async def scenario() -> tuple[int, int]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            state = (await client.get("/_sandbox/state")).json()
            head, tail = _order_body()
            go, waiting = asyncio.Event(), asyncio.Event()
            pending = asyncio.ensure_future(
                _slow_post(app, "/api/boomerang/orders", head, tail, go, waiting, KEY)
            )
            await waiting.wait()
            assert (await client.put("/_sandbox/state", json=state)).status_code == 200
            go.set()
            status, answer = await pending
            order = json.loads(answer)["data"]["id"]
            found = await client.get(f"/api/boomerang/orders/{order}", headers=KEY)
            return status, found.status_code

    assert asyncio.run(scenario()) == (201, 200)


def test_a_token_write_across_a_reset_gets_the_vendors_401_not_a_lost_200() -> None:
    """Pont Central's token lived in the namespace the reset dropped: the vendor's 401."""
    app = _app()

    async def scenario() -> tuple[int, bytes]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            issued = await client.post(
                "/api/v1/auth/token",
                json={"client_id": "demo-partner", "client_secret": "demo-secret"},
            )
            token = issued.json()["data"]["access_token"]
            document = json.dumps(SEED_REQUEST).encode()
            whole = document[:-1] + b" " * PADDING + document[-1:]
            go, waiting = asyncio.Event(), asyncio.Event()
            headers = {"authorization": f"Bearer {token}", "content-type": "application/json"}
            pending = asyncio.ensure_future(
                _slow_post(
                    app,
                    "/api/v1/bookings/create",
                    whole[:100_000],
                    whole[100_000:],
                    go,
                    waiting,
                    headers,
                )
            )
            await waiting.wait()
            assert (await client.post("/_sandbox/reset")).status_code == 200
            go.set()
            return await pending

    status, answer = asyncio.run(scenario())
    assert status == 401, answer
