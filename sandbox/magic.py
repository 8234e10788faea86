"""Magic request values: documented inputs that trigger a vendor-realistic failure on purpose."""

from __future__ import annotations

from typing import Any

MAGIC: list[dict[str, Any]] = []
