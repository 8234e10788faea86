"""Booqable's two documented eras, served side by side on one state.

`/api/boomerang` answers as the 2022 docs (seed 003) wrote; `/api/4` as the 2024-2025 docs and
the exchanges recorded on 2025-07-09 (reference Appendix C). What differs is data here, read
by the one renderer (jsonapi.py): the timestamp format, which relationships are written when
not included, and per-resource attribute lists (`Resource.attributes_v4`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal


@dataclass(frozen=True)
class Era:
    name: Literal["2022", "2025"]
    prefix: str
    # 2025: `2025-06-26T15:14:02.919161+00:00`; 2022: `2022-01-12T14:03:25+00:00`.
    microseconds: bool
    # 2022: every declared relationship, `{"meta":{"included":false}}` when not included;
    # 2025 (docs from 2024-07 and every recorded answer): `{}` but what `include` named.
    lists_relationships: bool

    @property
    def current(self) -> bool:
        return self.name == "2025"


BOOMERANG = Era("2022", "/api/boomerang", microseconds=False, lists_relationships=True)
V4 = Era("2025", "/api/4", microseconds=True, lists_relationships=False)


def era_of(path: str) -> Era:
    return V4 if path.startswith("/api/4") else BOOMERANG


def wire_time(value: Any) -> Any:
    """A stored whole-second instant (`…T14:03:25+00:00`) in the 2025 form (`….000000+00:00`).

    Records keep the 2022 form (seed 003's bytes, the state export); the 2025 era writes the
    same instant with the six fraction digits its answers always carry.
    """
    if (
        type(value) is str
        and len(value) == 25
        and value[10] == "T"
        and value[19] == "+"
        and value[22] == ":"
    ):
        return f"{value[:19]}.000000{value[19:]}"
    return value
