"""Helpers for tests that use the sandbox: a control-plane client, the real server on a port.

The pytest plugin (`booking_sandbox` fixtures) is the top-level module `booking_sandbox_pytest`,
loaded by pytest through the package's `pytest11` entry point; the in-process server it starts
is `sandbox.testing.inprocess.InProcessServer`.
"""

from sandbox.testing.client import SandboxClient, SandboxError
from sandbox.testing.live import LiveServer, free_port

__all__ = ["LiveServer", "SandboxClient", "SandboxError", "free_port"]
