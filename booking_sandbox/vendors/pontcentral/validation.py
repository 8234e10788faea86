"""Request validation in VineJS's words (the vendor's validator, reference §1).

Each failure is a `{field, message, rule}` detail: `field` is the dotted path VineJS reports
(`items.0.quantities.0.quantity`), the message VineJS's default for the rule, with the field's
own name in it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from typing import Any

MESSAGES = {
    "required": "The {field} field must be defined",
    "string": "The {field} field must be a string",
    "number": "The {field} field must be a number",
    "withoutDecimals": "The {field} field must be an integer",
    "min": "The {field} field must be at least {min}",
    "max": "The {field} field must not be greater than {max}",
    "positive": "The {field} field must be positive",
    "object": "The {field} field must be an object",
    "array": "The {field} field must be an array",
    "array.minLength": "The {field} field must have at least {min} items",
    "array.maxLength": "The {field} field must not have more than {max} items",
    "enum": "The selected {field} is invalid",
    "date": "The {field} field must be a datetime value",
    "distinct": "The {field} field has duplicate values",
}
# VineJS numbers accept numeric strings ("2") unless declared strict.
# ASCII digits only: JavaScript's Number("٣") is NaN, though Python's float() reads it.
_NUMERIC = re.compile(r"^[ \t\n\r]*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?[ \t\n\r]*$")
_MAX_DOUBLE = 1.7976931348623157e308

Data = dict[str, Any]


class Vine:
    """Collects every failure of one payload, as VineJS reports them all at once."""

    def __init__(self) -> None:
        self.details: list[dict[str, str]] = []

    def fail(self, path: str, rule: str, **args: object) -> None:
        name = path.rsplit(".", 1)[-1]
        message = MESSAGES[rule].format(field=name, **args)
        self.details.append({"field": path, "message": message, "rule": rule})

    def present(self, data: Data, key: str, path: str, required: bool) -> Any:
        value = data.get(key)
        if value is None and required:
            self.fail(path, "required")
        return value

    def string(self, data: Data, key: str, path: str, *, required: bool = False) -> str | None:
        value = self.present(data, key, path, required)
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(path, "string")
            return None
        if required and not value.strip():
            self.fail(path, "required")  # VineJS trims nothing but treats "" as missing
            return None
        return value

    def number(
        self,
        data: Data,
        key: str,
        path: str,
        *,
        required: bool = False,
        integer: bool = False,
        minimum: float | None = None,
        maximum: float | None = None,
        positive: bool = False,
    ) -> int | float | None:
        value = self.present(data, key, path, required)
        if value is None:
            return None
        number = _as_number(value)
        if number is None:
            self.fail(path, "number")
            return None
        if integer and not float(number).is_integer():
            self.fail(path, "withoutDecimals")
            return None
        if positive and number <= 0:
            self.fail(path, "positive")
            return None
        if minimum is not None and number < minimum:
            self.fail(path, "min", min=_show(minimum))
            return None
        if maximum is not None and number > maximum:
            self.fail(path, "max", max=_show(maximum))
            return None
        return int(number) if integer else number

    def obj(self, data: Data, key: str, path: str, *, required: bool = False) -> Data | None:
        value = self.present(data, key, path, required)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.fail(path, "object")
            return None
        return value

    def array(
        self,
        data: Data,
        key: str,
        path: str,
        *,
        required: bool = False,
        min_items: int = 0,
        max_items: int | None = None,
    ) -> list[Any] | None:
        value = self.present(data, key, path, required)
        if value is None:
            return None
        if not isinstance(value, list):
            self.fail(path, "array")
            return None
        if len(value) < min_items:
            self.fail(path, "array.minLength", min=min_items)
            return None
        if max_items is not None and len(value) > max_items:
            self.fail(path, "array.maxLength", max=max_items)
            return None
        return value

    def objects(self, items: Sequence[Any], path: str) -> Iterator[tuple[str, Data]]:
        """The members of an array of objects, with their paths, reporting others in order."""
        for index, item in enumerate(items):
            if isinstance(item, dict):
                yield f"{path}.{index}", item
            else:
                self.fail(f"{path}.{index}", "object")

    def enum(
        self, data: Data, key: str, path: str, choices: Sequence[str], *, required: bool = False
    ) -> str | None:
        value = self.present(data, key, path, required)
        if value is None:
            return None
        if value not in choices:
            self.fail(path, "enum")
            return None
        assert isinstance(value, str)
        return value


def _as_number(value: Any) -> float | int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        # Past the largest double JSON.parse gives Infinity, which VineJS refuses as a number.
        return value if abs(value) <= _MAX_DOUBLE else None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str) and _NUMERIC.fullmatch(value):
        parsed = float(value)
        if not math.isfinite(parsed):
            return None
        return int(parsed) if parsed.is_integer() and abs(parsed) < 2**53 else parsed
    return None


def _show(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
