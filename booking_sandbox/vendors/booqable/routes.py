"""Booqable Boomerang on its real paths, under both `/api/boomerang` and `/api/4`."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from booking_sandbox.core.routing import by_method as dispatch_by
from booking_sandbox.vendors.booqable import answer_headers, errors, views
from booking_sandbox.vendors.booqable.errors import error_response, route_not_found
from booking_sandbox.vendors.booqable.http import Handler, endpoint
from booking_sandbox.vendors.booqable.nested import SUFFIX
from booking_sandbox.vendors.booqable.wire import PLAIN_JSON

PREFIXES = ("/api/boomerang", "/api/4")
WRITES = frozenset({"POST", "PUT", "PATCH"})


def _routes(path: str, name: str, **handlers: Handler) -> list[Route]:
    """The path under both prefixes, each also with `.json` appended: the nested response
    type (reference §3.1, nested.py). The `.json` route comes first, as `/orders/{id}` would
    take `/orders/x.json` for the id `x.json`."""
    found = []
    for prefix in PREFIXES:
        for suffix in (SUFFIX, ""):
            nested = suffix == SUFFIX
            wrapped = {
                m: endpoint(h, reads_body=m in WRITES, nested=nested) for m, h in handlers.items()
            }
            found.append(
                Route(
                    f"{prefix}{path}{suffix}",
                    dispatch_by(**wrapped),
                    methods=list(wrapped),
                    # One name under both prefixes and both response types: it is the
                    # operation faults and the journal match.
                    name=f"booqable.{name}",
                )
            )
    return found


def _resource(
    kind: str, create: Handler | None, update: Handler | None, delete: Handler | None
) -> list[Route]:
    """A collection (GET list, POST) and its members (GET, PUT and PATCH, DELETE): the
    handlers given, `None` for what the docs do not list."""
    collection: dict[str, Handler] = {"GET": views.listed(kind)}
    member: dict[str, Handler] = {"GET": views.shown(kind)}
    if create is not None:
        collection["POST"] = create
    if update is not None:
        member["PUT"] = member["PATCH"] = update
    if delete is not None:
        member["DELETE"] = delete
    return _routes(f"/{kind}", kind, **collection) + _routes(
        f"/{kind}/{{id}}", f"{kind}.show", **member
    )


def routes() -> list[Route]:
    # Importing a resource module registers its specs (jsonapi.REGISTRY) as a side effect.
    from booking_sandbox.vendors.booqable import (
        availabilities,
        barcodes,
        bundle_writes,
        catalog_resources,  # noqa: F401
        cluster_writes,
        coupons,
        customers,
        fulfillments,
        inventory_breakdowns,
        inventory_levels,
        item_prices,
        items,
        lines,
        location_writes,
        notes,
        oauth,
        order_bookings,
        order_resources,  # noqa: F401
        orders,
        photo_writes,
        price_writes,
        product_group_writes,
        product_writes,
        property_writes,
        search,
        stock_adjustments,
        stock_item_archivations,
        stock_item_plannings,
        stock_item_writes,
        structure_writes,
        tax_rate_writes,
        tax_writes,
        taxes,
        transitions,
    )

    # kind, POST, PUT and PATCH, DELETE (None: not in the docs).
    resources: list[tuple[str, Handler | None, Handler | None, Handler | None]] = [
        ("plannings", None, None, None),
        # The catalog: its writes move the engine's pools (catalog_writes.py).
        ("product_groups", product_group_writes.create, product_group_writes.update,
         product_group_writes.archive),
        ("products", product_writes.create, product_writes.update, product_writes.archive),
        ("bundles", bundle_writes.create_bundle, bundle_writes.update_bundle,
         bundle_writes.archive_bundle),
        ("bundle_items", bundle_writes.create_item, bundle_writes.update_item,
         bundle_writes.delete_item),
        # Stock items: no DELETE in the docs (stock item archivations instead).
        ("stock_items", stock_item_writes.create, stock_item_writes.update, None),
        ("customers", customers.create, customers.update, customers.archive),
        # Order contents and money.
        ("lines", lines.create, lines.update, lines.archive),
        ("stock_item_plannings", None, None, stock_item_plannings.archive),
        ("coupons", coupons.create, coupons.update, coupons.archive),
        ("barcodes", barcodes.create, barcodes.update, barcodes.destroy),
        (taxes.TAX_VALUES.type, None, None, None),
        ("tax_categories", tax_writes.creating("tax_categories"),
         tax_writes.updating("tax_categories"), tax_writes.archiving("tax_categories")),
        ("tax_regions", tax_writes.creating("tax_regions"), tax_writes.updating("tax_regions"),
         tax_writes.archiving("tax_regions")),
        ("tax_rates", tax_rate_writes.create, tax_rate_writes.update, tax_rate_writes.archive),
        ("properties", property_writes.create, property_writes.update, property_writes.destroy),
        # What other resources' relationships name; notes have no update in the docs.
        ("notes", notes.create, None, notes.destroy),
        ("locations", location_writes.create, location_writes.update, location_writes.archive),
        ("clusters", cluster_writes.create, cluster_writes.update, cluster_writes.delete),
        ("price_rulesets", price_writes.create_ruleset, price_writes.update_ruleset,
         price_writes.archive_ruleset),
        ("price_structures", structure_writes.create_structure,
         structure_writes.update_structure, structure_writes.archive_structure),
        ("price_tiles", structure_writes.create_tile, structure_writes.update_tile,
         structure_writes.delete_tile),
        ("photos", photo_writes.create, photo_writes.update, photo_writes.delete),
    ]  # fmt: skip
    found: list[Route] = []
    for kind, create, update, delete in resources:
        found += _resource(kind, create, update, delete)

    # Price rules have no GET in the docs: they are read through their ruleset.
    found += _routes("/price_rules", "price_rules", POST=price_writes.create_rule)
    rule = price_writes.update_rule
    found += _routes(
        "/price_rules/{id}",
        "price_rules.show",
        PUT=rule,
        PATCH=rule,
        DELETE=price_writes.delete_rule,
    )

    # Orders: `/orders/new` before `/orders/{id}`.
    found += _routes("/orders/new", "orders.new", GET=orders.show_new)
    found += _resource("orders", orders.create, orders.update, orders.delete)

    # Actions: POST only, transient answers.
    actions: list[tuple[str, Handler]] = [
        ("order_status_transitions", transitions.create),
        ("order_bookings", order_bookings.create),
        ("order_fulfillments", fulfillments.create),
        ("stock_adjustments", stock_adjustments.create),
        ("stock_item_archivations", stock_item_archivations.create),
    ]
    for kind, action in actions:
        found += _routes(f"/{kind}", kind, POST=action)

    # Advanced search: the query rides in the body.
    for kind in search.SEARCHABLE:
        found += _routes(f"/{kind}/search", f"{kind}.search", POST=search.searched(kind))

    # Computed reads: items (`/items/search` before `/items/{id}`), prices, availability.
    found += _routes("/items", "items", GET=items.listed)
    found += _routes("/items/search", "items.search", POST=items.searched)
    found += _routes("/items/{id}", "items.show", GET=items.shown)
    computed: list[tuple[str, Handler]] = [
        ("item_prices", item_prices.prices),
        ("inventory_levels", inventory_levels.levels),
        ("inventory_availabilities", availabilities.inventory),
        ("order_planning_availabilities", availabilities.order_planning),
        ("inventory_breakdowns", inventory_breakdowns.breakdowns),
    ]
    for kind, read in computed:
        found += _routes(f"/{kind}", kind, GET=read)

    # OAuth: the gem's token URL is the API endpoint + /oauth/token (no `.json` form).
    found += [
        Route(
            f"{prefix}{oauth.PATH}",
            dispatch_by(POST=oauth.token),
            methods=["POST"],
            name="booqable.oauth.token",
        )
        for prefix in PREFIXES
    ]
    return found


def owns(path: str) -> bool:
    return path.startswith(_UNDER) or path in PREFIXES


_UNDER = tuple(f"{prefix}/" for prefix in PREFIXES)


def route_error(request: Request, status: int, allow: str | None) -> Response:
    """Rails answers an unknown route, or a known path with another method, with 404 (as
    plain JSON for a `.json` path, as every answer there), through the same middleware as
    any answer: X-Request-Id and X-Runtime too."""
    since = answer_headers.started()
    response = error_response(route_not_found(request.method, request.url.path))
    if request.url.path.endswith(SUFFIX):
        response.headers["content-type"] = PLAIN_JSON
    return answer_headers.finish(request, response, since)


def server_error(request: Request) -> Response:
    return error_response(errors.server_error())
