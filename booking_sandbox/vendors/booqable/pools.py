"""Booqable catalog -> engine pools: one per bulk or trackable product.

A bulk product's pool is its `stock_count`; a trackable product's is its stock items (units),
counting only the items that can go out. The product group's `shortage_limit` is the pool's
allowed overbooking when `allow_shortage` is on. Products of tracking type `none` (services,
consumables) are not limited and have no pool.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from booking_sandbox.engine import Pool
from booking_sandbox.vendors.adapter import Document, PoolInfo
from booking_sandbox.vendors.booqable import credentials, extra_references
from booking_sandbox.vendors.crossref import Problems, resolves, unique

# Stock items in these states are not available to rent out.
UNAVAILABLE_ITEM_STATES = frozenset({"archived", "expired"})


def product_pool(product_id: str) -> str:
    return f"booqable:product:{product_id}"


def pools(doc: Document) -> Iterator[Pool]:
    items = units_by_product(doc)
    for group in doc["product_groups"]:
        for product in group["products"]:
            pool = pool_of(group, product, items.get(product["id"], ()))
            if pool is not None:
                yield pool


def units_by_product(doc: Document) -> dict[str, list[str]]:
    """The stock items that can go out, by product, in catalog order."""
    items: dict[str, list[str]] = {}
    for item in doc.get("stock_items", []):
        if item["status"] not in UNAVAILABLE_ITEM_STATES:
            items.setdefault(item["product_id"], []).append(item["id"])
    return items


def pool_of(group: Document, product: Document, units: Sequence[str]) -> Pool | None:
    """The engine pool of one product of `group` (None: not stock-limited). Catalog writes
    (catalog_writes.py) recompute a product's pool with this same rule."""
    limit = group["shortage_limit"] if group["allow_shortage"] else 0
    if group["tracking_type"] == "bulk":
        return Pool(product_pool(product["id"]), product["stock_count"], limit)
    if group["tracking_type"] == "trackable":
        return Pool(product_pool(product["id"]), len(units), limit, tuple(units))
    return None


def describe_pools(doc: Document) -> Iterator[PoolInfo]:
    """`pools()` as the inventory overview names them; orders take them over their period."""
    for group in doc["product_groups"]:
        if group["tracking_type"] in ("bulk", "trackable"):
            for product in group["products"]:
                yield PoolInfo(product_pool(product["id"]), "product", product["name"], True)


def bindings(doc: Document) -> dict[str, str]:
    return {k["key"]: k["namespace"] for k in doc["api_keys"] if k.get("namespace")}


def problems(doc: Document) -> Problems:
    groups = doc["product_groups"]
    products = [
        (f"$.product_groups[{g}].products[{p}]", product)
        for g, group in enumerate(groups)
        for p, product in enumerate(group["products"])
    ]
    trackable = {
        product["id"]
        for group in groups
        if group["tracking_type"] == "trackable"
        for product in group["products"]
    }
    customers = {c["id"] for c in doc.get("customers", [])}
    stock_items = doc.get("stock_items", [])
    found: Problems = []
    found += unique(
        ((f"$.api_keys[{i}]", k["key"]) for i, k in enumerate(doc["api_keys"])), "api key"
    )
    found += unique(
        ((f"$.product_groups[{i}]", g["id"]) for i, g in enumerate(groups)), "product group"
    )
    found += unique(((path, p["id"]) for path, p in products), "product")
    found += unique(
        ((f"$.stock_items[{i}]", s["id"]) for i, s in enumerate(stock_items)), "stock item"
    )
    found += resolves(
        ((f"$.stock_items[{i}].product_id", s["product_id"]) for i, s in enumerate(stock_items)),
        trackable,
        "trackable product",
    )
    found += resolves(
        (
            (f"$.orders[{i}].customer_id", o["customer_id"])
            for i, o in enumerate(doc.get("orders", []))
            if o.get("customer_id")
        ),
        customers,
        "customer",
    )
    found += credentials.problems(doc)
    found += extra_references.problems(doc)  # price structures, photos, clusters, notes
    return found + _location_and_tax_problems(doc)


def _location_and_tax_problems(doc: Document) -> Problems:
    """Location and tax category ids are unique, and the ids that point at them resolve."""
    locations = doc.get("locations", [])
    categories = doc.get("tax_categories", [])
    found: Problems = []
    found += unique(((f"$.locations[{i}]", x["id"]) for i, x in enumerate(locations)), "location")
    found += unique(
        ((f"$.tax_categories[{i}]", x["id"]) for i, x in enumerate(categories)), "tax category"
    )
    # A null reference is allowed everywhere (the generator writes null locations).
    at_locations = [
        (f"$.stock_items[{i}].location_id", s.get("location_id"))
        for i, s in enumerate(doc.get("stock_items", []))
    ]
    for i, order in enumerate(doc.get("orders", [])):
        at_locations += [
            (f"$.orders[{i}].{key}", order.get(key))
            for key in ("start_location_id", "stop_location_id")
        ]
    found += resolves(
        ((path, ref) for path, ref in at_locations if ref), {x["id"] for x in locations}, "location"
    )
    taxed = [
        (f"$.product_groups[{i}].tax_category_id", g.get("tax_category_id"))
        for i, g in enumerate(doc["product_groups"])
    ]
    taxed += [
        (f"$.bundles[{i}].tax_category_id", b.get("tax_category_id"))
        for i, b in enumerate(doc.get("bundles", []))
    ]
    found += resolves(
        ((path, ref) for path, ref in taxed if ref), {x["id"] for x in categories}, "tax category"
    )
    rulesets = {r["id"] for r in doc.get("price_rulesets", [])}
    found += resolves(
        (
            (f"$.product_groups[{i}].price_ruleset_id", g["price_ruleset_id"])
            for i, g in enumerate(doc["product_groups"])
            if g.get("price_ruleset_id")
        ),
        rulesets,
        "price ruleset",
    )
    return found + _order_items(doc)


def _order_items(doc: Document) -> Problems:
    """Pre-booked items name a product, and stock items of that product that can go out."""
    products = {p["id"] for g in doc["product_groups"] for p in g["products"]}
    items = {s["id"]: s for s in doc.get("stock_items", [])}
    found: Problems = []
    for i, order in enumerate(doc.get("orders", [])):
        for j, item in enumerate(order.get("items", [])):
            path = f"$.orders[{i}].items[{j}]"
            if item["product_id"] not in products:
                found.append((f"{path}.product_id", f"unknown product {item['product_id']!r}"))
            for k, ident in enumerate(item.get("stock_item_ids", [])):
                stock_item = items.get(ident)
                if stock_item is None or stock_item["product_id"] != item["product_id"]:
                    found.append(
                        (f"{path}.stock_item_ids[{k}]", f"not a stock item of the product: {ident}")
                    )
                elif stock_item["status"] in UNAVAILABLE_ITEM_STATES:
                    found.append(
                        (f"{path}.stock_item_ids[{k}]", f"{ident} is {stock_item['status']}")
                    )
            if len(item.get("stock_item_ids", [])) > item.get("quantity", 1 << 62):
                found.append((f"{path}.quantity", "fewer than the stock items named"))
    return found
