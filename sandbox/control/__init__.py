"""The `/_sandbox` control plane: JSON in, JSON out, described by schemas/control.openapi.json."""

from __future__ import annotations

from starlette.routing import Route

from sandbox.control import handlers as h

PREFIX = "/_sandbox"


def routes() -> list[Route]:
    return [
        Route(f"{PREFIX}/health", h.health, methods=["GET"], name="health"),
        Route(f"{PREFIX}/namespaces", h.list_namespaces, methods=["GET"], name="listNamespaces"),
        Route(f"{PREFIX}/reset", h.reset, methods=["POST"], name="reset"),
        Route(f"{PREFIX}/clock", h.get_clock, methods=["GET"], name="getClock"),
        Route(f"{PREFIX}/clock", h.set_clock, methods=["PUT"], name="setClock"),
        Route(f"{PREFIX}/clock/advance", h.advance_clock, methods=["POST"], name="advanceClock"),
        Route(f"{PREFIX}/state", h.export_state, methods=["GET"], name="exportState"),
        Route(f"{PREFIX}/state", h.import_state, methods=["PUT"], name="importState"),
        Route(f"{PREFIX}/openapi.json", h.openapi, methods=["GET"], name="openapi"),
    ]
