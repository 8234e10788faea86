"""Servers that are not a sandbox, at the address a test expects one."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Page(BaseHTTPRequestHandler):
    """The server's `body` for every GET, with its `status` (a proxy, a catch-all site)."""

    status = 200
    body = b""
    content_type = "text/html"

    def do_GET(self) -> None:
        self.send_response(self.status)
        self.send_header("Content-Type", self.content_type)
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def http_server(status: int, body: bytes, content_type: str) -> Iterator[str]:
    """`http://127.0.0.1:<port>` answering every GET with `status` and `body`."""
    attributes = {"status": status, "body": body, "content_type": content_type}
    server = ThreadingHTTPServer(("127.0.0.1", 0), type("Page", (_Page,), attributes))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def html_server(status: int) -> AbstractContextManager[str]:
    """An HTML page, `<html><body>{status} not a sandbox</body></html>`, for every GET."""
    return http_server(
        status, f"<html><body>{status} not a sandbox</body></html>".encode(), "text/html"
    )


@contextmanager
def not_http_server() -> Iterator[str]:
    """A peer that answers in another protocol (an SSH banner), as a wrong port would."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    done = threading.Event()

    def serve() -> None:
        while not done.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    conn.recv(4096)
                    conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        done.set()
        thread.join()
        listener.close()
