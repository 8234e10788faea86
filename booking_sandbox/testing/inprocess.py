"""The sandbox app served in this process, on a free port: the pytest plugin's default server."""

from __future__ import annotations

import socket
import threading
import time

import uvicorn

from booking_sandbox.app import create_app
from booking_sandbox.core.options import from_sources

START_TIMEOUT = 30.0  # seconds: fixtures load in well under one


class InProcessServer:
    """The sandbox app under uvicorn in a daemon thread, on a port bound before it starts."""

    def __init__(self) -> None:
        try:
            settings = from_sources([])  # SANDBOX_START_TIME, _SEED and _FIXTURES apply
        except SystemExit:  # argparse's way to reject a bad value; it printed why
            raise RuntimeError("invalid SANDBOX_* environment variable (see stderr)") from None
        app = create_app(settings)
        # Binding here (not a free_port() probe) leaves no window for another process.
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        config = uvicorn.Config(
            app,
            log_config=None,  # leave the test run's logging alone; records propagate to it
            log_level="warning",
            ws="none",  # no websocket library import (and its deprecation warnings)
            loop="asyncio",
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket]},
            name="booking-sandbox",
            daemon=True,
        )

    def start(self, timeout: float = START_TIMEOUT) -> None:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the in-process booking sandbox did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout=10)
        self._socket.close()
