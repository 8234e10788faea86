"""Booqable's stock rules as plain constants, shared by the adapter and the state check.

It imports nothing, so `state_check` (loaded while `sandbox.namespaces` is still loading)
can use the very same values as the request code instead of copies.
"""

from __future__ import annotations

# The record tables of a namespace (vendors.booqable in a state export).
KINDS = ("customers", "orders", "lines", "plannings", "stock_item_plannings")
# Record tables of the resources added with the 2024-2025 docs (coupons.py, taxes.py,
# barcodes.py, notes.py): optional in an import, so a state exported before them still loads.
LATER_KINDS = ("coupons", "tax_regions", "barcodes", "notes")
# Statuses whose plannings hold stock (reference §4.1: "Items on the order will be reserved").
TAKES_STOCK = frozenset({"reserved", "started", "stopped"})
# Tracking types whose products have an engine pool (`none`: services, consumables).
POOLED = frozenset({"bulk", "trackable"})
