"""The compiled validator and jsonschema agree on every document: differential tests."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from booking_sandbox.core.fixtures import schema_validator
from booking_sandbox.core.schemacheck import SchemaCheck

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = sorted(p.stem for p in (ROOT / "fixtures").glob("*.json"))

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(
        ["2025-01-29T07:55:53Z", "2025-13-01T00:00:00Z", "2025-02-30", "2025-02-28", "", "x"]
    ),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


def _places(document: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(document, dict):
        for key, value in document.items():
            found += _places(value, (*path, key))
    elif isinstance(document, list):
        for i, value in enumerate(document[:3]):
            found += _places(value, (*path, i))
    return found


def _replace(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    changed = copy.deepcopy(document)
    target = changed
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return changed


@pytest.mark.parametrize("section", SECTIONS)
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_both_validators_agree_on_mutated_fixtures(section: str, data: st.DataObject) -> None:
    check = schema_validator(section, ROOT / "schemas")
    document = json.loads((ROOT / "fixtures" / f"{section}.json").read_text("utf-8"))
    assert check.is_valid(document)
    path = data.draw(st.sampled_from(_places(document)))
    mutated = _replace(document, path, data.draw(json_values))
    assert check.is_valid(mutated) == check.exact.is_valid(mutated)


def test_a_refused_document_is_worded_by_jsonschema() -> None:
    check = SchemaCheck(
        {"type": "object", "properties": {"at": {"type": "string", "format": "date-time"}}}
    )
    [error] = list(check.iter_errors({"at": "2025-01-29 07:55"}))
    assert error.message == "'2025-01-29 07:55' is not a 'date-time'"
    assert list(check.iter_errors({"at": "2025-01-29T07:55:53Z"})) == []


def test_what_rust_cannot_hold_is_checked_by_python() -> None:
    check = SchemaCheck({"type": "object", "properties": {"n": {"type": "string"}}})
    assert check.is_valid({"n": "\udc80"})  # a lone surrogate, as a state import may carry
    assert not check.is_valid({"n": 10**400})
