"""JSON Schema checks that are fast on valid documents and exact on invalid ones.

jsonschema (pure Python) walks a 100,000-session catalog in about a minute; jsonschema-rs
(compiled) answers "valid?" in under a second. The compiled validator decides; only a
document it refuses is walked again by jsonschema, whose messages and paths are the ones the
sandbox has always reported. Both use the sandbox's own strict `date-time` and `date`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from booking_sandbox.core.formats import FORMATS

_REMEMBERED = 65536  # answers kept per format: a catalog repeats its instants a lot


def _conforms(name: str) -> Any:
    # The 100,000-session catalog has 200,000 date-times but only 2,300 distinct ones; each
    # check costs a regex, a substitution and a parse, so the answers are remembered.
    known: dict[object, bool] = {}

    def conforms(value: object) -> bool:
        try:
            return known[value]
        except (KeyError, TypeError):  # TypeError: unhashable, never remembered
            pass
        answer = FORMATS.conforms(value, name)
        if isinstance(value, str):
            if len(known) >= _REMEMBERED:
                known.clear()
            known[value] = answer
        return answer

    return conforms


class SchemaCheck:
    def __init__(self, schema: dict[str, Any]) -> None:
        # The schemas are the project's own, checked against the meta-schema by a test
        # (tests/test_schema_files.py): checking them again here was most of a start-up.
        self.exact = Draft202012Validator(schema, format_checker=FORMATS)
        self.fast = jsonschema_rs.Draft202012Validator(
            schema,
            formats={name: _conforms(name) for name in FORMATS.checkers},
            validate_formats=True,
        )

    def is_valid(self, document: Any) -> bool:
        try:
            return bool(self.fast.is_valid(document))
        except Exception:  # what Rust cannot hold (lone surrogates, huge integers): ask Python
            return bool(self.exact.is_valid(document))

    def iter_errors(self, document: Any) -> Iterator[ValidationError]:
        if self.is_valid(document):
            return iter(())
        return self.exact.iter_errors(document)
