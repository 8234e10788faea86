"""`POST /order_bookings` (seed 003): add products, stock items and bundles to an order.

Every item is read and checked before anything is touched, then the whole request is one
`booking.book` call (one engine check and allocation): it succeeds as a whole or changes
nothing. The answer is a transient `order_bookings` resource listing what was created or
updated, 201.

Choices where the docs are silent (docs/vendors/booqable.md):
- An unknown `order_id` is Rails' `find`: 404 `resources_not_found`. A missing one is 422.
- Problems inside `items` (unknown product, bundle or stock item, wrong shapes, quantities
  below 1, unknown keys) are 422 validation entries on `items`, every problem at once; the
  message starts with the item's index (`[1].quantity must be greater than 0`).
- A product needs `quantity` or `stock_item_ids` (without `quantity`, one per id); a
  bundle's `quantity` defaults to 1; a bundle item without a fixed product needs a variation.
- A shortage warning refuses the request too (422) until `confirm_shortage` (§9.2).
- A client-sent `id` (the docs list `data[attributes][id]`) becomes the booking's id.
- Booking on a `stopped` order makes it `started` again (DOCS-2024 orders, see `reopen`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from starlette.responses import Response

from booking_sandbox.vendors.booqable import booking, order_records
from booking_sandbox.vendors.booqable.errors import not_found, validation
from booking_sandbox.vendors.booqable.http import Call, transient_id
from booking_sandbox.vendors.booqable.jsonapi import REGISTRY, Record, check_includes, document
from booking_sandbox.vendors.booqable.pools import UNAVAILABLE_ITEM_STATES
from booking_sandbox.vendors.booqable.records import Order
from booking_sandbox.vendors.booqable.request_body import attributes_of
from booking_sandbox.vendors.booqable.state import BooqableStore
from booking_sandbox.vendors.booqable.wire import respond

WRITABLE = {"id": "uuid?", "order_id": "uuid?", "items": "array?", "confirm_shortage": "boolean?"}
PRODUCT_KEYS = frozenset({"type", "id", "quantity", "stock_item_ids"})
BUNDLE_KEYS = frozenset({"type", "id", "quantity", "products"})
CHOICE_KEYS = frozenset({"type", "bundle_item_id", "id"})


@dataclass(frozen=True)
class Problem:
    path: str  # where in the item or action: `[1].quantity`; empty when the text names it
    text: str
    code: str  # Rails' error type: blank, invalid, taken, not_found, greater_than

    def message(self, prefix: str = "") -> str:
        return f"{prefix}{self.path} {self.text}" if self.path else self.text


@dataclass
class Reader:
    """Turns items (or fulfillment actions) into `booking.Want`s, collecting every problem."""

    store: BooqableStore
    order: Order
    problems: list[Problem] = field(default_factory=list)
    claimed: set[str] = field(default_factory=set)  # stock items named earlier in the request

    def problem(self, path: str, text: str, code: str = "invalid") -> None:
        self.problems.append(Problem(path, text, code))

    def record(self, kind: str, path: str, ident: Any, noun: str) -> Record | None:
        if ident is None or ident == "":
            self.problem(path, "can't be blank", "blank")
            return None
        if not isinstance(ident, str):
            self.problem(path, "must be an id")
            return None
        found = self.store.find(kind, ident)
        if found is None:
            self.problem(path, f"{ident} is not a {noun}", "not_found")
        return found

    def quantity(self, path: str, value: Any, default: int | None) -> int | None:
        if value is None:
            if default is None:
                self.problem(path, "can't be blank", "blank")
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(path, "must be an integer")
            return None
        if value < 1:
            self.problem(path, "must be greater than 0", "greater_than")
            return None
        return value

    def stock_items(self, path: str, product: Record, ids: Any) -> tuple[str, ...] | None:
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            self.problem(path, "must be an array of stock item ids")
            return None
        if ids and product.get("tracking_type") != "trackable":
            self.problem(path, f"product {product['id']} has no stock items (not trackable)")
            return None
        booked = {
            s["stock_item_id"]
            for s in order_records.stock_item_plannings_of(self.store, self.order)
        }
        ok = True
        for ident in ids:
            item = self.store.find("stock_items", ident)
            if item is None or item["product_id"] != product["id"]:
                self.problem("", f"stock_item_id {ident} is not a stock item of {product['id']}")
            elif item.get("status") in UNAVAILABLE_ITEM_STATES:
                self.problem("", f"stock_item_id {ident} is {item['status']}")
            elif ident in booked:
                # The words of the docs' 2023/2024 examples (reference §4.3 (b2), (c)).
                self.problem("", f"stock_item_id {ident} has already been booked on this order")
            elif ident in self.claimed:
                self.problem("", f"stock_item_id {ident} is named twice", "taken")
            else:
                self.claimed.add(ident)
                continue
            ok = False
        return tuple(ids) if ok else None

    def planning(self, path: str, ident: Any, product: Record) -> str | None:
        """An existing top-level planning of `product` on this order (`update_existing`)."""
        if not isinstance(ident, str) or not ident:
            self.problem(path, "can't be blank", "blank")
            return None
        mine = [p for p in order_records.plannings_of(self.store, self.order) if p["id"] == ident]
        if not mine or mine[0]["item_id"] != product["id"] or mine[0]["parent_planning_id"]:
            self.problem(path, f"{ident} is not a planning of {product['id']} on this order")
            return None
        return ident

    def product_want(
        self,
        path: str,
        product: Record | None,
        quantity: int | None,
        ids: tuple[str, ...] | None,
        *,
        merge: bool = True,
        planning_id: str | None = None,
    ) -> booking.Want | None:
        if product is None or quantity is None or ids is None or self.archived(product):
            return None
        if quantity < len(ids):
            self.problem(f"{path}.quantity", "must be at least the number of stock_item_ids")
            return None
        return booking.Want(quantity, product, ids, merge=merge, planning_id=planning_id)

    def bundle_want(
        self, path: str, bundle: Record | None, quantity: int | None, chosen: Any
    ) -> booking.Want | None:
        """`chosen`: [(path, bundle_item_id, product_id)] of the variations the client picked."""
        if bundle is None or quantity is None or chosen is None or self.archived(bundle):
            return None
        items = sorted(
            (i for i in self.store.all("bundle_items") if i["bundle_id"] == bundle["id"]),
            key=lambda i: i["position"],
        )
        by_item: dict[str, Any] = {}
        for where, item_id, product_id in chosen:
            if not any(i["id"] == item_id for i in items):
                self.problem(f"{where}.bundle_item_id", f"{item_id} is not an item of this bundle")
            elif item_id in by_item:
                self.problem(f"{where}.bundle_item_id", f"{item_id} is chosen twice", "taken")
            else:
                by_item[item_id] = (where, product_id)
        choices = []
        for item in items:
            where, product_id = by_item.get(item["id"], (path, item["product_id"]))
            product = self._variation(where, item, product_id)
            if product is not None:
                choices.append((item, product))
        if len(choices) != len(items):
            return None
        return booking.Want(quantity, bundle=bundle, choices=tuple(choices))

    def _variation(self, where: str, item: Record, product_id: Any) -> Record | None:
        """The product for a bundle item: its own, or one of its group the client chose."""
        if product_id is None:
            self.problem(where, f"needs a product for bundle item {item['id']}", "blank")
            return None
        product = self.record("products", f"{where}.id", product_id, "product")
        if product is None:
            return None
        fixed = item.get("product_id")
        if (fixed and product["id"] != fixed) or product["product_group_id"] != item.get(
            "product_group_id"
        ):
            self.problem(
                f"{where}.id", f"{product_id} is not a product of bundle item {item['id']}"
            )
            return None
        return None if self.archived(product) else product

    def archived(self, item: Record) -> bool:
        """An archived product or bundle is not booked (the docs are silent: a 422, as an
        archived stock item is refused); what orders booked before stays theirs."""
        if item.get("archived"):
            noun = "bundle" if item.get("type") == "bundles" else "product"
            self.problem("", f"{noun} {item['id']} is archived and cannot be booked")
        return bool(item.get("archived"))


def find_order(store: BooqableStore, order_id: Any) -> Order:
    if order_id is None:
        raise validation(("order_id", "can't be blank", "blank"))
    order = store.find("orders", order_id)
    if order is None:
        raise not_found()
    return order


def reopen(store: BooqableStore, order: Order, now: datetime) -> None:
    """DOCS-2024 orders: "A `stopped` order will transition back to `started` when
    additional products are booked" (its new plannings took stock: `stopped` holds stock)."""
    if order["status"] == "stopped":
        order["status"] = "started"
        order_records.refresh(store, order, now)


def _item_want(reader: Reader, index: int, item: Any) -> booking.Want | None:
    path = f"[{index}]"
    if not isinstance(item, dict):
        reader.problem(path, "must be an object")
        return None
    kind = item.get("type")
    if kind not in ("products", "bundles"):
        reader.problem(f"{path}.type", "must be products or bundles", "inclusion")
        return None
    allowed = PRODUCT_KEYS if kind == "products" else BUNDLE_KEYS
    for key in item:
        if key not in allowed:  # a typo (`quantiy`) must not book the default silently
            reader.problem(f"{path}.{key}", "is not a member of a booking item")
    if kind == "bundles":
        return _bundle_item(reader, path, item)
    product = reader.record("products", f"{path}.id", item.get("id"), "product")
    ids: tuple[str, ...] | None = ()
    if product is not None and "stock_item_ids" in item:
        ids = reader.stock_items(f"{path}.stock_item_ids", product, item["stock_item_ids"])
    if ids is None:  # the stock items are wrong: a missing quantity is not news
        return None
    inferred = len(ids) if ids else None  # 2024 example: quantity omitted, 3 ids -> 3
    quantity = reader.quantity(f"{path}.quantity", item.get("quantity"), inferred)
    return reader.product_want(path, product, quantity, ids)


def _bundle_item(reader: Reader, path: str, item: Record) -> booking.Want | None:
    bundle = reader.record("bundles", f"{path}.id", item.get("id"), "bundle")
    quantity = reader.quantity(f"{path}.quantity", item.get("quantity"), 1)
    products = item.get("products", [])
    if not isinstance(products, list):
        reader.problem(f"{path}.products", "must be an array")
        return None
    chosen = []
    for i, choice in enumerate(products):
        where = f"{path}.products[{i}]"
        if not isinstance(choice, dict) or choice.get("type", "products") != "products":
            reader.problem(where, "must be a products object with bundle_item_id and id")
            continue
        for key in choice:
            if key not in CHOICE_KEYS:
                reader.problem(f"{where}.{key}", "is not a member of a product variation")
        chosen.append((where, choice.get("bundle_item_id"), choice.get("id")))
    return reader.bundle_want(path, bundle, quantity, chosen)


async def create(call: Call) -> Response:
    resource = REGISTRY["order_bookings"]
    check_includes(resource, call.query.include)  # a bad include must not book anything
    attributes = attributes_of(call, "order_bookings", WRITABLE)
    order = find_order(call.store, attributes.get("order_id"))
    items = attributes.get("items")
    if not items:
        raise validation(("items", "can't be blank", "blank"))
    reader = Reader(call.store, order)
    wants = [_item_want(reader, i, item) for i, item in enumerate(items)]
    if reader.problems:
        raise validation(*(("items", p.message(), p.code) for p in reader.problems))
    booked = booking.book(
        call.store,
        order,
        [w for w in wants if w is not None],
        confirm_shortage=bool(attributes.get("confirm_shortage")),
        now=call.now,
    )
    reopen(call.store, order, call.now)
    record = {
        "id": transient_id(call, attributes.get("id")),
        "order_id": order["id"],
        "_lines": booked.lines,
        "_plannings": booked.plannings,
        "_stock_item_plannings": booked.stock_item_plannings,
    }
    return respond(document(call.store, resource, record, call.query), 201)
