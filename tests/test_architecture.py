"""The layers read bottom-up (design principle 10), checked on the source's imports.

engine < core < vendors < traffic (the QA plane) < control < the app. Every import counts,
including those inside functions (they used to hide cycles); `if TYPE_CHECKING:` blocks do not,
as they never run.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "booking_sandbox"
VENDOR_PACKAGES = ("korus", "pontcentral", "booqable")
# A module's layer is named by its first folder (or its own name at the top).
LAYERS = {
    "timefmt": 0,  # instants on the wire: imports nothing of ours, used by every layer
    "engine": 1,
    "core": 2,
    "vendors": 3,
    "traffic": 4,
    "control": 5,
    "app": 6,
    "generate": 6,
    "__main__": 7,
    "serving": 7,  # uvicorn's HTTP protocols with timeouts, for the CLI
    "testing": 7,
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node but what sits under `if TYPE_CHECKING:`."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from (n for child in node.orelse for n in [child, *_runtime_nodes(child)])
            continue
        yield node
        yield from _runtime_nodes(node)


def imports_of(name: str) -> set[str]:
    """The package's modules `name` imports (a package's own name for its __init__)."""
    path = MODULES[name]
    found: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("booking_sandbox"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.startswith("booking_sandbox"):
                for alias in node.names:
                    child = f"{target}.{alias.name}"
                    found.add(child if child in MODULES else target)
    found.discard(name)
    return found


GRAPH = {name: imports_of(name) for name in MODULES}


def layer(name: str) -> int:
    parts = name.split(".")
    return LAYERS[parts[1]] if len(parts) > 1 else 0  # the package itself: its version only


def vendor_of(name: str) -> str | None:
    parts = name.split(".")
    return (
        parts[2]
        if len(parts) > 2 and parts[1] == "vendors" and parts[2] in VENDOR_PACKAGES
        else None
    )


def unit(name: str) -> str:
    """What the package-level graph is made of: a vendor package, or a top-level folder."""
    vendor = vendor_of(name)
    if vendor is not None:
        return f"vendors.{vendor}"
    parts = name.split(".")
    return (
        ".".join(parts[1:3]) if len(parts) > 2 and parts[1] == "vendors" else ".".join(parts[1:2])
    )


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_walk_sees_the_package() -> None:
    assert "booking_sandbox.engine.inventory" in MODULES
    assert "booking_sandbox.vendors.korus.routes" in GRAPH["booking_sandbox.vendors.korus"]
    # A function-level import counts: the CLI loads uvicorn's app inside a function.
    assert "booking_sandbox.app" in GRAPH["booking_sandbox.__main__"]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_import_runs_upward(name: str) -> None:
    upward = sorted(t for t in GRAPH[name] if layer(t) > layer(name))
    assert not upward, f"{name} (layer {layer(name)}) imports a higher layer: {upward}"


def test_the_engine_knows_no_http_and_no_vendor() -> None:
    for name, path in MODULES.items():
        if layer(name) != LAYERS["engine"]:
            continue
        text = path.read_text("utf-8")
        assert "starlette" not in text, name
        assert "uvicorn" not in text, name
        assert not [t for t in GRAPH[name] if layer(t) > LAYERS["engine"]], name


@pytest.mark.parametrize("vendor", VENDOR_PACKAGES)
def test_a_vendor_imports_no_plane_and_no_other_vendor(vendor: str) -> None:
    for name in (n for n in MODULES if vendor_of(n) == vendor):
        for target in GRAPH[name]:
            assert layer(target) <= LAYERS["vendors"], f"{name} imports {target}"
            assert vendor_of(target) in (None, vendor), f"{name} imports {target}"


def test_only_the_registry_names_a_vendor_package_outside_vendors() -> None:
    registry = "booking_sandbox.vendors"
    for name in MODULES:
        if name == registry or vendor_of(name) is not None:
            continue
        named = sorted(t for t in GRAPH[name] if vendor_of(t) is not None)
        assert not named, f"{name} imports {named}: go through the registry"


def test_no_cycle_between_packages() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for name, targets in GRAPH.items():
        graph[unit(name)].update(unit(t) for t in targets if unit(t) != unit(name))
    assert cycles(graph) == []


@pytest.mark.parametrize("vendor", VENDOR_PACKAGES)
def test_no_cycle_inside_a_vendor_package(vendor: str) -> None:
    inside = {
        n: {t for t in GRAPH[n] if vendor_of(t) == vendor}
        for n in MODULES
        if vendor_of(n) == vendor
    }
    assert cycles(inside) == []


def test_no_cycle_between_modules_anywhere() -> None:
    assert cycles(GRAPH) == []


def test_the_cycle_finder_finds_cycles() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
