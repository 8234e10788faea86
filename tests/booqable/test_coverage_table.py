"""docs/vendors/booqable.md's coverage table says what the routes serve, row for row.

Every (method, path) the Booqable routes answer under `/api/boomerang` (and so under `/api/4`
and with `.json`) is a `served` row, and every `served` row is answered; a `not served` row
names an endpoint the routes refuse.
"""

from __future__ import annotations

import re

from starlette.routing import Route

from booking_sandbox.vendors.booqable.routes import routes
from tests.conftest import ROOT

ROW = re.compile(r"^\| (GET|POST|PUT|PATCH|DELETE) \| `(/[^`]*)` \| [^|]+ \| ([^|]+) \|$")


def table() -> dict[tuple[str, str], str]:
    text = (ROOT / "docs" / "vendors" / "booqable.md").read_text("utf-8")
    section = text.split("\n## Coverage\n", 1)[1].split("\n## ", 1)[0]
    rows: dict[tuple[str, str], str] = {}
    for line in section.splitlines():
        if found := ROW.match(line):
            method, path, status = found.groups()
            assert (method, path) not in rows, f"twice in the table: {method} {path}"
            rows[method, path] = status.strip()
    return rows


def served() -> set[tuple[str, str]]:
    found = set()
    for route in routes():
        assert isinstance(route, Route)
        path = route.path
        if path.startswith("/api/boomerang/") and not path.endswith(".json"):
            for method in route.methods or ():
                if method != "HEAD":
                    found.add((method, path.removeprefix("/api/boomerang")))
    return found


def test_every_served_endpoint_is_a_served_row_and_back() -> None:
    rows = table()
    assert len(rows) > 100
    said = {key for key, status in rows.items() if status == "served"}
    assert said == served()
    others = {status for key, status in rows.items() if key not in said}
    assert all(s.startswith("**not served**") for s in others), others
    assert not {key for key, status in rows.items() if status != "served"} & served()
