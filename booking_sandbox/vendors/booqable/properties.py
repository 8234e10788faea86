"""Properties (DOCS-HEAD `_properties.md`; the reference has no section): list and show;
writes in property_writes.py.

The docs advise reading properties through their owner's `properties` attribute and writing
them with `properties_attributes`; the sandbox keeps their values only there. A property
record is that hash seen one entry at a time: one per key of a customer's or an order's
`properties`, in the hash's order, id derived from owner and key. An entry whose value is a
hash (an address) is an `address` property with that hash as its `value`; any other is a
`text_field`, at its place in the hash (`position`), named after its key. What a write to
`/properties` sets besides the value (its own id, name, type, position, `show_on`, ...) is
kept on the owner as bookkeeping, `_properties` (identifier -> those attributes), and wins.
"""

from __future__ import annotations

from typing import Any

from booking_sandbox.vendors.booqable import state
from booking_sandbox.vendors.booqable.jsonapi import (
    AnyRecord,
    Record,
    Ref,
    Rel,
    Resource,
    Store,
    register,
)
from booking_sandbox.vendors.booqable.pricing import derived_id

KIND = "properties"
OWNERS = ("customers", "orders")


def _owner(store: Store, record: AnyRecord) -> list[Ref]:
    kind = record["owner_type"]
    found = store.find(kind, record["owner_id"])
    return [(kind, found)] if found is not None else []


PROPERTIES = Resource(
    KIND,
    (
        "created_at",
        "updated_at",
        "name",
        "identifier",
        "position",
        "property_type",
        "show_on",
        "validation_required",
        "meets_validation_requirements",
        "value",
        "default_property_id",
        "owner_id",
        "owner_type",
    ),
    (Rel("owner", False, OWNERS, _owner, related="{owner_type}/{owner_id}"),),
    {
        "id": "uuid",
        "created_at": "datetime",
        "updated_at": "datetime",
        "identifier": "string",
        "name": "string",
        "owner_id": "uuid",
        "owner_type": "enum",
        "property_type": "enum",
    },
)
register(PROPERTIES)


def of_owner(kind: str, owner: AnyRecord) -> list[Record]:
    """The property records of one customer or order."""
    found = []
    kept = owner.get("_properties") or {}
    for position, (identifier, value) in enumerate((owner.get("properties") or {}).items()):
        found.append(
            {
                "id": derived_id(KIND, kind, owner["id"], identifier),
                "created_at": owner.get("created_at"),
                "updated_at": owner.get("updated_at"),
                "name": identifier.replace("_", " ").capitalize(),
                "identifier": identifier,
                "position": position,
                "property_type": "address" if isinstance(value, dict) else "text_field",
                "show_on": [],
                "validation_required": False,
                "meets_validation_requirements": True,
                "value": value,
                "default_property_id": None,
                "owner_id": owner["id"],
                "owner_type": kind,
                **kept.get(identifier, {}),
            }
        )
    for record in found:  # a required property without a value does not meet them
        record["meets_validation_requirements"] = not record["validation_required"] or bool(
            record["value"]
        )
    return found


def every(store: state.BooqableStore) -> list[Record]:
    return [record for kind in OWNERS for o in store.all(kind) for record in of_owner(kind, o)]


state.DERIVED[KIND] = every


def written_properties(
    owner: AnyRecord, items: Any
) -> tuple[dict[str, Any], list[tuple[str, str, str]]]:
    """An owner's `properties_attributes: [{identifier, value}]` (orders, customers) merged into
    its `properties` hash, and the problems found (none, or one 422 entry)."""
    properties = dict(owner.get("properties") or {})
    for item in items if isinstance(items, list) else [items]:
        name = item.get("identifier", item.get("name")) if isinstance(item, dict) else None
        if not isinstance(name, str) or not name:
            return properties, [
                ("properties_attributes", "must be objects with an identifier", "invalid")
            ]
        rest = {k: v for k, v in item.items() if k not in ("identifier", "name", "type", "id")}
        properties[name] = item.get("value", rest)
    return properties, []
