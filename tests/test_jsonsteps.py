"""JSON in steps gives exactly what json.loads and json.dumps give, refusals included."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from booking_sandbox.core.jsonbody import BadJson, parse_json, parse_json_in_steps
from booking_sandbox.core.jsonsteps import dumps

ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=40,
)


@given(VALUES, st.sampled_from([None, 2]), st.sampled_from([(",", ":"), (", ", ": ")]))
def test_parsing_in_steps_is_json_loads(value: Any, indent: int | None, seps: Any) -> None:
    raw = json.dumps(value, indent=indent, separators=seps, ensure_ascii=False).encode()
    assert parse_json_in_steps(raw) == parse_json(raw)


@given(VALUES)
def test_writing_in_steps_is_json_dumps(value: Any) -> None:
    assert dumps(value, ENCODER) == ENCODER.encode(value)


def test_non_string_keys_are_left_to_the_encoder() -> None:
    assert dumps({"a": {1: [True]}}, ENCODER) == ENCODER.encode({"a": {1: [True]}})


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"[1,]",
        b"[1 2]",
        b'{"a" 1}',
        b'{"a":1,}',
        b"{1:2}",
        b"[1] x",
        b"[NaN]",
        b'{"a":[Infinity]}',
        b"[1e400]",
        b"[" + b"9" * 5000 + b"]",
        b"[" * 100_000 + b"]" * 100_000,
        b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
        b'["\xff"]',
        b"[tru]",
    ],
)
def test_what_json_loads_refuses_is_refused_in_steps(raw: bytes) -> None:
    with pytest.raises(BadJson):
        parse_json(raw)
    with pytest.raises(BadJson):
        parse_json_in_steps(raw)


def test_encodings_and_duplicate_keys_as_json_loads() -> None:
    for raw in (
        b'{"a": 1, "a": [2]}',
        '{"é": ["ü"]}'.encode("utf-16"),
        b'\xef\xbb\xbf{"a": [1]}',
        b'  {"x": [ ]  , "y" : { } }  ',
    ):
        assert parse_json_in_steps(raw) == json.loads(raw)


def test_deep_nesting_is_accepted_as_far_as_json_loads_goes() -> None:
    for depth in (600, 900):
        raw = b'{"a":' + b"[" * depth + b"]" * depth + b"}"
        assert parse_json_in_steps(raw) == parse_json(raw)
