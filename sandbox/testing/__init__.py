"""Helpers for tests that use the sandbox: a control-plane client, the real server on a port.

The pytest plugin (`booking_sandbox` fixture) is `sandbox.testing.plugin`, loaded by pytest
through the package's `pytest11` entry point.
"""

from sandbox.testing.client import SandboxClient, SandboxError
from sandbox.testing.live import LiveServer, free_port

__all__ = ["LiveServer", "SandboxClient", "SandboxError", "free_port"]
