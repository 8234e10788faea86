"""The magic table: one list the adapters, `GET /_sandbox/magic` and the README all follow."""

from __future__ import annotations

from pathlib import Path

import pytest

from booking_sandbox.vendors import VENDORS
from booking_sandbox.vendors.booqable import magic as booqable_magic
from booking_sandbox.vendors.korus import magic as korus_magic
from booking_sandbox.vendors.pontcentral import magic as pontcentral_magic
from tests.conftest import Api

ROOT = Path(__file__).resolve().parents[2]
KEYS = ["vendor", "operation", "field", "value", "effect"]


MAGIC = [row for vendor in VENDORS for row in vendor.magic]
MODULES = (korus_magic, pontcentral_magic, booqable_magic)


def operations() -> set[str]:
    """Every vendor route name: the operation faults and the journal match too."""
    return {str(getattr(route, "name", "")) for vendor in VENDORS for route in vendor.routes()}


@pytest.mark.parametrize("entry", MAGIC, ids=lambda e: f"{e['operation']}={e['value']}")
def test_every_entry_is_complete(entry: dict[str, object]) -> None:
    assert list(entry) == KEYS
    assert entry["vendor"] in ("korus", "pontcentral", "booqable")
    assert str(entry["operation"]).startswith(f"{entry['vendor']}.")
    assert entry["operation"] in operations()
    assert isinstance(entry["field"], str)
    assert entry["field"]
    assert isinstance(entry["value"], str | int)
    assert not isinstance(entry["value"], bool)
    assert isinstance(entry["effect"], str)
    assert len(entry["effect"]) > 20


def test_every_constant_is_in_the_table() -> None:
    values = {entry["value"] for entry in MAGIC}
    constants = {
        f"{module.__name__}.{name}": getattr(module, name)
        for module in MODULES
        for name in dir(module)
        if name.isupper()
        and not name.startswith("_")
        and not name.endswith("_MESSAGE")
        and name != "MAGIC"
    }
    assert constants  # the adapters' values
    assert set(constants.values()) == values
    assert len({(e["operation"], e["value"]) for e in MAGIC}) == len(MAGIC)


def test_the_issue_minimum_is_covered() -> None:
    found = {(e["vendor"], e["operation"], e["field"]) for e in MAGIC}
    assert ("korus", "korus.orders-bulk", "customer.email") in found
    assert ("korus", "korus.reservations-bulk", "items[].quantity") in found
    assert ("pontcentral", "pontcentral.booking-create", "resellerReference") in found
    assert any(vendor == "booqable" for vendor, _, _ in found)


def test_the_control_plane_serves_the_table(api: Api) -> None:
    response = api.get("/_sandbox/magic")
    assert response.status_code == 200
    assert response.json() == {"magic": MAGIC}


def test_the_readme_documents_every_value() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    heading = "\n## Magic values\n"
    assert heading in readme
    section = readme.split(heading, 1)[1].split("\n## ", 1)[0]
    for entry in MAGIC:
        assert f"`{entry['value']}`" in section, entry
