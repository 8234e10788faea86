"""The vendors' orjson encoders write their reference encoders' bytes, or raise as they do."""

from __future__ import annotations

import enum
import math
import uuid
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from booking_sandbox.core import jsonwire
from booking_sandbox.vendors.booqable import wire as booqable
from booking_sandbox.vendors.korus import php_json as korus
from booking_sandbox.vendors.pontcentral import wire as pontcentral

Encoder = Callable[[Any], bytes]
VENDORS = {
    "korus": (korus.encode, korus.encode_reference),
    "pontcentral": (pontcentral.encode, pontcentral.encode_reference),
    "booqable": (booqable.encode, booqable.encode_reference),
}

# What each vendor escapes or writes its own way, and what JSON escapes anyway.
SPECIAL = "<>&/'\"\\\u2028\u2029\x00\x08\x0c\n\r\t\x1f\x7f\x85é€😀\U0010ffff"
TEXT = st.text(st.sampled_from(SPECIAL) | st.characters(), max_size=12)
# Lone surrogates: orjson refuses them, each reference writes them its own way.
SURROGATE_TEXT = st.text(st.characters(min_codepoint=0xD7F0, max_codepoint=0xE010), max_size=4)
INTS = st.integers() | st.sampled_from(
    [2**53, 2**53 + 1, -(2**53) - 1, 2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63) - 1, 10**30]
)
EDGE_FLOATS = [0.0, -0.0, 75.0, 1e-4, 9.999999999999999e-5, 1e-5, 1e-7, 1e-10, 1e15 + 0.5]
EDGE_FLOATS += [1e16, 9999999999999998.0, 1e17, 1e21, 1e22, 5e-324, math.nan, math.inf, -math.inf]
FLOATS = st.floats() | st.sampled_from(EDGE_FLOATS)
SCALARS = st.none() | st.booleans() | TEXT | INTS | FLOATS
KEYS = TEXT | st.sampled_from(["@id", "a/b", "<k>", "é", 1, None, True, 2.5])


def documents(scalars: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=5) | st.dictionaries(KEYS, inner, max_size=5),
        max_leaves=25,
    )


class Level(enum.IntEnum):
    LOW = 1


class Word(str):
    pass


class Count(int):
    pass


# json.dumps writes some of these and refuses others; orjson would write all but Decimal.
ODD = st.sampled_from(
    [
        Level.LOW,
        Word("<w>"),
        Count(7),
        (1, "a/b"),
        uuid.UUID(int=1),
        Decimal("1.5"),
        date(2025, 1, 1),
    ]
)


def outcome(encode: Encoder, document: Any) -> tuple[str, Any]:
    try:
        return "bytes", encode(document)
    except (ValueError, TypeError) as error:
        return type(error).__name__, str(error)
    except RecursionError:  # its wording depends on the frame where the limit struck
        return "RecursionError", None


def same(vendor: str, document: Any) -> None:
    encode, reference = VENDORS[vendor]
    assert outcome(encode, document) == outcome(reference, document)


@pytest.mark.parametrize("vendor", VENDORS)
@settings(max_examples=400)
@given(document=documents(SCALARS))
def test_plain_documents(vendor: str, document: Any) -> None:
    same(vendor, document)


@pytest.mark.parametrize("vendor", VENDORS)
@given(document=documents(SCALARS | SURROGATE_TEXT | ODD))
def test_documents_with_what_orjson_writes_otherwise(vendor: str, document: Any) -> None:
    same(vendor, document)


@pytest.mark.parametrize("vendor", VENDORS)
@given(number=st.floats(1e-4, 1e16) | st.floats(-1e16, -1e-4))
def test_floats_in_orjsons_range(vendor: str, number: float) -> None:
    same(vendor, {"a": [number, -number, number * 1000, number / 7]})


@pytest.mark.parametrize("vendor", VENDORS)
def test_deep_and_cyclic_documents(vendor: str) -> None:
    for depth in (240, 260, 600):
        deep: Any = "x/<"
        for _ in range(depth):
            deep = [deep]
        same(vendor, deep)
        same(vendor, {"a": deep})
    cyclic: dict[str, Any] = {"a": 1}
    cyclic["self"] = [cyclic]
    same(vendor, cyclic)


def test_plain_answers_take_orjson() -> None:
    """Not vacuous: the usual answer goes through orjson, an odd one through the reference."""
    answer = {"data": [{"id": "a/b", "n": 3, "price": 12.5, "x": None, "ok": True, "s": "<é>"}]}
    assert jsonwire.Plain(jsonwire.repr_float).dumps(answer) is not None
    assert jsonwire.Plain(jsonwire.no_float).dumps(answer) is None
    limited = jsonwire.Plain(jsonwire.repr_float, int_limit=2**53)
    assert limited.dumps(answer) is not None
    assert limited.dumps({"n": 2**53 + 1}) is None
    for odd in (Level.LOW, Word("w"), (1,), math.nan, 2**64, "\ud800"):
        assert jsonwire.Plain(jsonwire.repr_float).dumps({"a": [odd]}) is None, odd
    assert booqable.encode(answer) == (
        b'{"data":[{"id":"a/b","n":3,"price":12.5,"x":null,"ok":true,"s":"\\u003c\xc3\xa9\\u003e"}]}'
    )
    assert korus.encode({"@id": "/a", "q": '"\\"'}) == b'{"@id":"\\/a","q":"\\u0022\\\\\\u0022"}'
