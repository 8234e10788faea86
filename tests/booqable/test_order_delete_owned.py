"""Deleting an order takes its notes and barcode with it: kept, they would name an order that
no longer exists, and the namespace's own export would not import again."""

from __future__ import annotations

from typing import Any

from tests.booqable.conftest import Booqable
from tests.booqable.test_orders import new_order, ok


def test_a_deleted_orders_notes_and_barcode_go_and_the_export_imports(bq: Booqable) -> None:
    order = new_order(bq)
    note = ok(bq.create("notes", body="gone", owner_id=order, owner_type="orders"), 201)
    code = ok(
        bq.create("barcodes", barcode_type="qr_code", owner_id=order, owner_type="orders"), 201
    )
    ok(bq.request("DELETE", f"/orders/{order}"))
    assert bq.get(f"/notes/{note['data']['id']}").status_code == 404
    assert bq.get(f"/barcodes/{code['data']['id']}").status_code == 404
    exported: dict[str, Any] = ok(bq.api.get("/_sandbox/state"))
    assert bq.api.put("/_sandbox/state", json=exported).status_code == 200
    again = bq.api.get("/_sandbox/state").json()
    assert {**again, "clock": None} == {**exported, "clock": None}  # (the clock runs)
