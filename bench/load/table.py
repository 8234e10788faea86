"""The side-by-side table: every server of one run, per path and connection count, one row.

The bare app comes first; every other server's req/s is also given as a ratio to it, measured
in the same run, one server after the other on the same path.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

BARE = "bare Starlette"


@dataclass(frozen=True)
class Cell:
    rate: float  # requests per second
    p99_ms: float
    cpu_us: float  # the server's own CPU time per request
    errors: int


@dataclass(frozen=True)
class Row:
    title: str
    connections: int
    cells: Mapping[str, Cell]  # by server name


def _figures(cell: Cell | None, bare: Cell | None, *, ratio: bool) -> list[str]:
    if cell is None:
        return ["-"] * (4 if ratio else 3)
    errors = f" ({cell.errors:,} errors)" if cell.errors else ""
    out = [f"{cell.rate:,.0f}{errors}", f"{cell.p99_ms:.1f}", f"{cell.cpu_us:.0f}"]
    if ratio:
        out.append(f"**{cell.rate / bare.rate:.2f}**" if bare and bare.rate else "-")
    return out


def render(servers: Sequence[str], rows: Sequence[Row]) -> str:
    """A markdown table; `servers` in column order, the bare app first."""
    head = ["path", "c"]
    align = ["---", "---:"]
    for name in servers:
        head += [f"{name} req/s", "p99 ms", "CPU µs/req"]
        if name != BARE:
            head.append("ratio to bare")
        align += ["---:"] * (3 if name == BARE else 4)
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(align) + "|"]
    for row in rows:
        bare = row.cells.get(BARE)
        cells = [row.title, str(row.connections)]
        for name in servers:
            cells += _figures(row.cells.get(name), bare, ratio=name != BARE)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
