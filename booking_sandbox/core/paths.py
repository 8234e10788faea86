"""Where the bundled fixtures and schemas are: inside the wheel, or beside a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # booking_sandbox/


def bundled(name: str) -> Path:
    """`fixtures` or `schemas`: the wheel carries them in `_bundled/`, a checkout at its top."""
    installed = _PACKAGE / "_bundled" / name
    return installed if installed.is_dir() else _PACKAGE.parent / name
