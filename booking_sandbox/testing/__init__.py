"""Helpers for tests that use the sandbox: a control-plane client, the real server on a port.

The pytest plugin (`booking_sandbox` fixtures) is `booking_sandbox.testing.pytest_plugin`,
loaded by pytest through the package's `pytest11` entry point; the in-process server it starts
is `booking_sandbox.testing.inprocess.InProcessServer`.
"""

from booking_sandbox.testing.client import SandboxClient, SandboxError
from booking_sandbox.testing.live import LiveServer, free_port

__all__ = ["LiveServer", "SandboxClient", "SandboxError", "free_port"]
