"""Shared by the magic-value tests: what a namespace holds, less what every answer draws."""

from __future__ import annotations

from typing import Any

# Fixtures the vendor folders define, reused here (pytest finds fixtures by module import).
from tests.booqable.conftest import bq  # noqa: F401
from tests.conftest import Api
from tests.korus.conftest import korus  # noqa: F401
from tests.pontcentral.conftest import pc  # noqa: F401


def holdings(api: Api) -> dict[str, Any]:
    """The namespace's inventory and vendor records: what a refused request must not change.

    Leaves out the clock and the id generator (Korus draws a genid for every answer)."""
    state: dict[str, Any] = api.get("/_sandbox/state").json()
    return {"inventory": state["inventory"], "vendors": state["vendors"]}


def whole_state(api: Api) -> dict[str, Any]:
    """Everything but the clock: ids included, for vendors whose refusals spend none."""
    state: dict[str, Any] = api.get("/_sandbox/state").json()
    del state["clock"]
    return state
