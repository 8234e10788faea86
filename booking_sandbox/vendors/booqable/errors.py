"""Booqable's error documents, mapped once: `{"errors": [{code, status, title, ...}]}`.

Shapes are the vendor's (reference §3.8, §4.2, §5): Graphiti's request errors answer 400
`bad_request` with `meta.{attribute, message, code}`; model validation answers 422
`unprocessable_entity` with a `source.pointer`; domain errors carry their own code and meta.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from booking_sandbox.core.namespace import NamespaceError, TooManyNamespaces
from booking_sandbox.engine.errors import DomainError
from booking_sandbox.vendors.booqable.wire import JSONAPI, PLAIN_JSON, respond

Entry = dict[str, Any]


class BooqableError(Exception):
    def __init__(self, status: int, *entries: Entry, content_type: str = JSONAPI) -> None:
        super().__init__(entries[0].get("detail") or entries[0]["title"])
        self.status = status
        self.entries = list(entries)
        self.content_type = content_type


def error_response(error: BooqableError) -> Response:
    return respond({"errors": error.entries}, error.status, error.content_type)


def entry(status: int, code: str, title: str, detail: str | None = None, **rest: Any) -> Entry:
    found: Entry = {"code": code, "status": str(status), "title": title}
    if detail is not None:
        found["detail"] = detail
    found.update(rest)
    return found


def bad_request(
    attribute: str, message: str, code: str, pointer: str | None = None
) -> BooqableError:
    """A Graphiti request error, e.g. `data.attributes.x is an unknown attribute`."""
    rest: Entry = {}
    if pointer is not None:
        rest["source"] = {"pointer": pointer}
    rest["meta"] = {"attribute": attribute, "message": message, "code": code}
    body = entry(400, "bad_request", "Request Error", f"{attribute} {message}", **rest)
    return BooqableError(400, body, content_type=PLAIN_JSON)


def unknown_attribute(path: str) -> BooqableError:
    return bad_request(path, "is an unknown attribute", "unknown_attribute", path.replace(".", "/"))


def unwritable_attribute(path: str) -> BooqableError:
    return bad_request(path, "cannot be written", "unwritable_attribute", path.replace(".", "/"))


def type_error(path: str, kind: str) -> BooqableError:
    return bad_request(path, f"should be type {kind}", "type_error", path.replace(".", "/"))


def request_error(detail: str, code: str) -> BooqableError:
    """A malformed query or document (fields, page, filter, include, body)."""
    body = entry(400, "bad_request", "Request Error", detail, meta={"code": code})
    return BooqableError(400, body, content_type=PLAIN_JSON)


def not_found() -> BooqableError:
    return BooqableError(404, entry(404, "resources_not_found", "Resource(s) not found"))


def route_not_found(method: str, path: str) -> BooqableError:
    detail = f'No route matches [{method}] "{path}"'
    return BooqableError(404, entry(404, "not_found", "Not Found", detail))


def too_large() -> BooqableError:
    return BooqableError(
        413, entry(413, "payload_too_large", "Payload Too Large", "The body is over 1 MB")
    )


def unsupported_media_type() -> BooqableError:
    detail = "Send application/vnd.api+json or application/json"
    return BooqableError(
        415, entry(415, "unsupported_media_type", "Unsupported Media Type", detail)
    )


def no_catalog() -> BooqableError:
    detail = "No Booqable catalog in these fixtures"
    return BooqableError(404, entry(404, "not_found", "Not Found", detail))


def unauthorized(detail: str | None = None) -> BooqableError:
    """401; `detail` says why a credential was refused (auth.py), the docs' words otherwise."""
    body = entry(401, "unauthorized", "Unauthorized", detail or "You are not authenticated")
    return BooqableError(401, body)


def validation(*problems: tuple[str, str, str]) -> BooqableError:
    """422 per attribute: (attribute, message, code), as Graphiti's validation serializer."""
    return BooqableError(
        422,
        *(
            entry(
                422,
                "unprocessable_entity",
                "Validation Error",
                f"{attribute.replace('_', ' ').capitalize()} {message}",
                source={"pointer": f"/data/attributes/{attribute}"},
                meta={"attribute": attribute, "message": message, "code": code},
            )
            for attribute, message, code in problems
        ),
    )


def wrong_status(current: str, wanted: str) -> BooqableError:
    detail = f"Can't transition order from '{current}' to '{wanted}'"
    return BooqableError(422, entry(422, "wrong_status", "Wrong status", detail, meta=None))


def not_available(warning: list[Entry], blocking: list[Entry]) -> BooqableError:
    """`items_not_available` with the shortage entries. The 2024 docs answer a conflict made
    only of stock items `stock_item_specified`; the seed's era (2021/2022) did not."""
    meta = {"warning": warning, "blocking": blocking}
    detail = "One or more items are not available"
    body = entry(422, "items_not_available", "Items not available", detail, meta=meta)
    return BooqableError(422, body)


def not_available_2025(warning: list[Entry], blocking: list[Entry]) -> BooqableError:
    """The 2024-2025 docs' answer (eras.py): entries carry `orders` and `downtimes`, and a
    conflict made only of stock items is code `stock_item_specified` (§4.2, §4.1 period
    update); anything with a shortage in it stays `items_not_available`."""
    meta = {"warning": warning, "blocking": blocking}
    detail = "One or more items are not available"
    reasons = {e.get("reason") for e in [*warning, *blocking]}
    if reasons == {"stock_item_specified"}:
        body = entry(422, "stock_item_specified", "Stock item specified", detail, meta=meta)
    else:
        body = entry(422, "items_not_available", "Items not available", detail, meta=meta)
    return BooqableError(422, body)


def shortage(warning: list[Entry], blocking: list[Entry]) -> BooqableError:
    """Stock taken away under running or future orders (DOCS-HEAD stock_adjustments and
    stock_item_archivations; the sandbox also answers it for a shortage limit lowered)."""
    meta = {"warning": warning, "blocking": blocking}
    detail = "This will create shortage for running or future orders"
    return BooqableError(422, entry(422, "shortage", "Shortage", detail, meta=meta))


def stock_item_archived() -> BooqableError:
    """Archiving a stock item archived before (DOCS-HEAD stock_item_archivations)."""
    detail = "Stock item is already archived"
    body = entry(422, "stock_item_archived", "Stock item archived", detail, meta=None)
    return BooqableError(422, body)


def location_has_orders(order_ids: list[str]) -> BooqableError:
    """Archiving a location with running or future orders (DOCS-HEAD `_locations.md`)."""
    meta = {"blocking": [{"orders": [{"id": ident} for ident in order_ids]}]}
    detail = "This location has running or future orders"
    body = entry(422, "location_has_orders", "Location has orders", detail, meta=meta)
    return BooqableError(422, body)


def location_has_stock(item_ids: list[str]) -> BooqableError:
    """Archiving a location holding active stock of these items (DOCS-HEAD `_locations.md`)."""
    detail = "This location has active stock"
    meta = {"item_ids": item_ids}
    body = entry(422, "location_has_stock", "Location has stock", detail, meta=meta)
    return BooqableError(422, body)


def cluster_has_locations(location_ids: list[str]) -> BooqableError:
    """Deleting a cluster active locations belong to (DOCS-2024 `_clusters.md`)."""
    detail = "This cluster has 1 or more active locations"
    meta = {"location_ids": location_ids}
    body = entry(422, "cluster_has_locations", "Cluster has locations", detail, meta=meta)
    return BooqableError(422, body)


def stock_item_in_use(order_ids: list[str]) -> BooqableError:
    """Archiving a stock item that orders hold (DOCS-HEAD stock_item_archivations: the orders
    in `meta.blocking[0].orders`)."""
    meta = {"blocking": [{"orders": [{"id": ident} for ident in order_ids]}]}
    detail = "This stock item is specified on a current or future order"
    body = entry(422, "stock_item_specified", "Stock item specified", detail, meta=meta)
    return BooqableError(422, body)


def fulfillment_invalid(messages: list[str]) -> BooqableError:
    """A fulfillment the service refuses, with its reasons (reference §4.3 (c), DOCS-2024)."""
    body = entry(
        422,
        "fulfillment_request_invalid",
        "Fulfillment request invalid",
        "invalid request",
        meta={"messages": messages},
    )
    return BooqableError(422, body)


def from_domain(exc: DomainError | NamespaceError) -> BooqableError:
    """Engine and namespace errors that reach an endpoint, in the vendor's envelope."""
    if isinstance(exc, TooManyNamespaces):
        return BooqableError(429, entry(429, "too_many_requests", "Too Many Requests", str(exc)))
    if isinstance(exc, NamespaceError):
        return request_error(str(exc), "invalid_namespace")
    return BooqableError(422, entry(422, exc.code, "Unprocessable Entity", str(exc)))


def server_error() -> BooqableError:
    detail = "We had a problem with our server. Try again later."
    return BooqableError(500, entry(500, "internal_server_error", "Internal Server Error", detail))
