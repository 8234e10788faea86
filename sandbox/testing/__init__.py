"""Helpers for tests that use the sandbox: start the real server on a free port."""

from sandbox.testing.live import LiveServer, free_port

__all__ = ["LiveServer", "free_port"]
