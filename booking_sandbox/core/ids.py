"""Seeded identifiers: the same requests on the same seed give the same ids.

Each namespace owns one `IdFactory`, seeded from the sandbox seed and the namespace name, so
namespaces do not disturb each other's sequences.
"""

from __future__ import annotations

import random
import string
import uuid
from datetime import datetime
from typing import Any

_DIGITS = string.digits


class IdFactory:
    def __init__(self, seed: int, namespace: str) -> None:
        # A str seed is hashed with SHA-512 by random.Random: stable across runs and platforms.
        self.random = random.Random(f"{seed}:{namespace}")

    def uuid4(self) -> str:
        return str(uuid.UUID(int=self.random.getrandbits(128), version=4))

    def uuid7(self, at: datetime) -> str:
        """RFC 9562 UUIDv7: 48-bit Unix milliseconds, then seeded random bits."""
        millis = int(at.timestamp() * 1000) & ((1 << 48) - 1)
        rand_a = self.random.getrandbits(12)
        rand_b = self.random.getrandbits(62)
        value = (millis << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
        return str(uuid.UUID(int=value))

    def hex(self, length: int) -> str:
        return f"{self.random.getrandbits(4 * length):0{length}x}"

    def digits(self, length: int) -> str:
        return "".join(self.random.choice(_DIGITS) for _ in range(length))

    def to_json(self) -> list[Any]:
        version, state, gauss = self.random.getstate()
        return [version, list(state), gauss]

    def load_json(self, data: list[Any]) -> None:
        version, state, gauss = data
        self.random.setstate((version, tuple(state), gauss))
