"""Seeded identifiers: the same requests on the same seed give the same ids.

Each namespace owns one `IdFactory`, seeded from the sandbox seed and the namespace name, so
namespaces do not disturb each other's sequences.
"""

from __future__ import annotations

import math
import random
import string
from datetime import datetime
from typing import Any

_DIGITS = string.digits
_WORDS = 624  # MT19937's key: 624 words of 32 bits, then the position of the next draw
_SAMPLE_WORDS = 2 * _WORDS  # from any position, at least one whole freshly twisted key
# A working generator's sample has half its bits set, give or take 0.25 % (one standard
# deviation over 39,936 bits): 5 % either way is twenty of those, never met by chance.
_BIT_BALANCE = (0.45, 0.55)


_V4_CLEAR = ~((0xC000 << 48) | (0xF000 << 64))
_V4_SET = (0x8000 << 48) | (4 << 76)


def _text(value: int) -> str:
    """`str(uuid.UUID(int=value))` for a 128-bit value, without building the UUID object."""
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class IdFactory:
    def __init__(self, seed: int, namespace: str) -> None:
        # A str seed is hashed with SHA-512 by random.Random: stable across runs and platforms.
        self.random = random.Random(f"{seed}:{namespace}")

    def uuid4(self) -> str:
        # uuid.UUID(int=..., version=4): the variant's two bits and the version's four set.
        value = self.random.getrandbits(128) & _V4_CLEAR | _V4_SET
        return _text(value)

    def uuid7(self, at: datetime) -> str:
        """RFC 9562 UUIDv7: 48-bit Unix milliseconds, then seeded random bits."""
        millis = int(at.timestamp() * 1000) & ((1 << 48) - 1)
        rand_a = self.random.getrandbits(12)
        rand_b = self.random.getrandbits(62)
        value = (millis << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
        return _text(value)

    def hex(self, length: int) -> str:
        return f"{self.random.getrandbits(4 * length):0{length}x}"

    def digits(self, length: int) -> str:
        return self.string(_DIGITS, length)

    def string(self, alphabet: str, length: int) -> str:
        """`length` of `self.random.choice(alphabet)`, joined: the same characters, and the
        generator left in the same state, at about half the cost: `choice` is
        `_randbelow(len(alphabet))`, which draws `getrandbits(k)` (k = the size's bit length)
        until it is below the size; this loop draws the same, without the two calls around."""
        size = len(alphabet)
        if not size and length > 0:
            raise IndexError("Cannot choose from an empty sequence")  # as choice does
        bits, width = self.random.getrandbits, size.bit_length()
        found = []
        for _ in range(length):
            drawn = bits(width)
            while drawn >= size:
                drawn = bits(width)
            found.append(alphabet[drawn])
        return "".join(found)

    def to_json(self) -> list[Any]:
        version, state, gauss = self.random.getstate()
        return [version, list(state), gauss]

    def load_json(self, data: list[Any]) -> None:
        """Take back a `to_json` state; ValueError (saying why) on one that cannot serve ids."""
        problem = state_problem(data)
        if problem is not None:
            raise ValueError(problem)
        self.restore(data)

    def restore(self, data: list[Any]) -> None:
        """Take back a state this process's `to_json` gave: trusted, so unchecked (a refused
        write rolls the sequence back on the hot path)."""
        version, state, gauss = data
        self.random.setstate((version, tuple(state), gauss))


def state_problem(data: Any) -> str | None:
    """Why `data` is not a usable `IdFactory.to_json` state, or None when it is.

    Beyond the shape, it refuses states whose draws repeat: all zeros (MT19937 then yields
    only zeros, so every id is the same), and the sparse or patterned keys that take
    thousands of draws to look random (one set bit, every word alike...). Those are found by
    drawing from a copy: a real generator's 624 64-bit pairs are all distinct and half their
    bits are set; a degenerate one's are not, by a wide margin.
    """
    if not isinstance(data, list | tuple) or len(data) != 3:
        return "expected [version, state, gauss] as exported"
    version, state, gauss = data
    if type(version) is not int or version != random.Random.VERSION:
        return f"unsupported generator version {version!r} (expected {random.Random.VERSION})"
    if not isinstance(state, list | tuple) or len(state) != _WORDS + 1:
        return f"the state must be {_WORDS + 1} integers: {_WORDS} key words and a position"
    if not all(type(w) is int and 0 <= w < 1 << 32 for w in state):
        return "every state entry must be an integer from 0 to 4294967295"
    if not 0 <= state[-1] <= _WORDS:
        return f"the position (last state entry) must be from 0 to {_WORDS}, not {state[-1]}"
    if gauss is not None and not (type(gauss) is float and math.isfinite(gauss)):
        return "gauss must be null or a finite number"
    if not any(state[:_WORDS]):
        return "the key words are all zero: the generator would draw only zeros"
    sample = random.Random(0)
    sample.setstate((version, tuple(state), gauss))
    drawn = sample.getrandbits(32 * _SAMPLE_WORDS).to_bytes(4 * _SAMPLE_WORDS, "little")
    pairs = set(memoryview(drawn).cast("Q"))  # 64-bit pairs of words
    ones = int.from_bytes(drawn, "little").bit_count() / (8 * len(drawn))
    if len(pairs) < _WORDS or not _BIT_BALANCE[0] <= ones <= _BIT_BALANCE[1]:
        return "degenerate generator state: its draws repeat or are far from random"
    return None
