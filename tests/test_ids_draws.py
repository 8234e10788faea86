"""`IdFactory.string` (and `digits`) draw without `random.choice`'s calls, yet give its
characters and leave the generator where it would: ids stay byte-identical for a seed."""

from __future__ import annotations

import random
import string
import uuid
from datetime import UTC, datetime

import pytest

from booking_sandbox.core.ids import IdFactory, _text

ALPHABETS = [
    string.digits,
    string.ascii_uppercase + string.digits,  # Pont Central's booking number tail
    "a",
    "ab",
    string.ascii_letters,
    "".join(chr(c) for c in range(300)),
    "ü0",
]


def reference(rng: random.Random, alphabet: str, length: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(length))


@pytest.mark.parametrize("alphabet", ALPHABETS)
def test_same_characters_and_state_as_choice(alphabet: str) -> None:
    for seed in range(300):
        ids, rng = IdFactory(seed, "ns"), random.Random(f"{seed}:ns")
        for length in (0, 1, 3, 4, 16, 40):
            assert ids.string(alphabet, length) == reference(rng, alphabet, length)
            assert ids.random.getstate() == rng.getstate()


def test_digits_interleave_with_other_draws_as_before() -> None:
    ids, rng = IdFactory(7, "default"), random.Random("7:default")
    for _ in range(200):
        assert ids.digits(16) == reference(rng, string.digits, 16)
        assert ids.hex(8) == f"{rng.getrandbits(32):08x}"


def test_an_empty_alphabet_fails_as_choice_does() -> None:
    with pytest.raises(IndexError):
        IdFactory(1, "x").string("", 2)


def test_uuids_are_the_uuid_modules_text() -> None:
    ids, rng = IdFactory(11, "ns"), random.Random("11:ns")
    at = datetime(2025, 1, 29, 7, 55, 53, 120000, tzinfo=UTC)
    for _ in range(2000):
        assert ids.uuid4() == str(uuid.UUID(int=rng.getrandbits(128), version=4))
        millis = int(at.timestamp() * 1000)
        rand_a, rand_b = rng.getrandbits(12), rng.getrandbits(62)
        value = (millis << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
        made = ids.uuid7(at)
        assert made == str(uuid.UUID(int=value))
        assert uuid.UUID(made).version == 7
    for value in (0, (1 << 128) - 1, 1 << 127, 0xABC):
        assert _text(value) == str(uuid.UUID(int=value))
