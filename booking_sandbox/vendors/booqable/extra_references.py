"""The fixtures' references of the kinds catalog_extras.py adds (a JSON Schema cannot say
them): unique ids, price structures and their groups, photo owners and chosen photos,
locations' clusters, note owners. pools.problems adds them to the catalog's own checks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from booking_sandbox.vendors.crossref import Problems, resolves, unique

Record = dict[str, Any]


def problems(doc: Record) -> Problems:
    """The fixtures' references of these kinds resolve (the schema cannot say so)."""
    groups = doc["product_groups"]
    products = {p["id"]: g["id"] for g in groups for p in g["products"]}
    bundles = doc.get("bundles", [])
    structures = doc.get("price_structures", [])
    photos = doc.get("photos", [])
    clusters = doc.get("clusters", [])
    tiles = [(i, j, t) for i, s in enumerate(structures) for j, t in enumerate(s["price_tiles"])]
    found = unique(
        ((f"$.price_structures[{i}]", s["id"]) for i, s in enumerate(structures)),
        "price structure",
    )
    found += unique(
        ((f"$.price_structures[{i}].price_tiles[{j}]", t["id"]) for i, j, t in tiles), "price tile"
    )
    found += unique(((f"$.photos[{i}]", p["id"]) for i, p in enumerate(photos)), "photo")
    found += unique(((f"$.clusters[{i}]", c["id"]) for i, c in enumerate(clusters)), "cluster")
    found += resolves(
        (
            (f"$.product_groups[{i}].price_structure_id", g["price_structure_id"])
            for i, g in enumerate(groups)
            if g.get("price_structure_id")
        ),
        {s["id"] for s in structures},
        "price structure",
    )
    found += resolves(
        (
            (f"$.price_structures[{i}].product_group_id", s["product_group_id"])
            for i, s in enumerate(structures)
            if s.get("product_group_id")
        ),
        {g["id"] for g in groups},
        "product group",
    )
    found += [
        (f"$.price_structures[{i}].product_group_id", "a private price structure needs one")
        for i, s in enumerate(structures)
        if s.get("price_structure_type") == "private" and not s.get("product_group_id")
    ]
    owners = {"product_groups": {g["id"] for g in groups}, "bundles": {b["id"] for b in bundles}}
    found += [
        (f"$.photos[{i}].owner_id", "names no record of its owner_type")
        for i, p in enumerate(photos)
        if p["owner_id"] not in owners[p["owner_type"]]
    ]
    found += _photo_choices(doc, photos, products)
    found += resolves(
        (
            (f"$.locations[{i}].cluster_ids[{j}]", ident)
            for i, loc in enumerate(doc.get("locations", []))
            for j, ident in enumerate(loc.get("cluster_ids", []))
        ),
        {c["id"] for c in clusters},
        "cluster",
    )
    return found + _note_owners(doc, products)


def _photo_choices(doc: Record, photos: list[Record], products: dict[str, str]) -> Problems:
    """A chosen `photo_id` is a photo of the owner (a product's: of its group)."""
    owner_of = {p["id"]: p["owner_id"] for p in photos}

    def chosen() -> Iterator[tuple[str, Any, str]]:
        for i, group in enumerate(doc["product_groups"]):
            yield f"$.product_groups[{i}].photo_id", group.get("photo_id"), group["id"]
            for j, product in enumerate(group["products"]):
                path = f"$.product_groups[{i}].products[{j}].photo_id"
                yield path, product.get("photo_id"), products[product["id"]]
        for i, bundle in enumerate(doc.get("bundles", [])):
            yield f"$.bundles[{i}].photo_id", bundle.get("photo_id"), bundle["id"]

    return [
        (path, f"not a photo of {owner}")
        for path, ident, owner in chosen()
        if ident is not None and owner_of.get(ident) != owner
    ]


def _note_owners(doc: Record, products: dict[str, str]) -> Problems:
    notes = doc.get("notes", [])
    owners: dict[str, set[str]] = {
        "customers": {c["id"] for c in doc.get("customers", [])},
        "product_groups": {g["id"] for g in doc["product_groups"]},
        "products": set(products),
        "stock_items": {s["id"] for s in doc.get("stock_items", [])},
        "bundles": {b["id"] for b in doc.get("bundles", [])},
        "orders": {o["id"] for o in doc.get("orders", [])},
    }
    found = unique(((f"$.notes[{i}]", n["id"]) for i, n in enumerate(notes)), "note")
    return found + [
        (f"$.notes[{i}].owner_id", "names no record of its owner_type")
        for i, note in enumerate(notes)
        if note["owner_id"] not in owners.get(note["owner_type"], set())
    ]
