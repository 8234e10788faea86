"""Server-wide counters, rendered in Prometheus' text format (0.0.4) by `GET /_sandbox/metrics`.

Written by hand: four metric families do not justify a dependency. Label sets stay bounded
(vendor x route name x status; unknown routes count as operation "").
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field

from booking_sandbox.core.namespace import Namespace
from booking_sandbox.engine.model import Status

BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


@dataclass
class Histogram:
    counts: list[int] = field(default_factory=lambda: [0] * (len(BUCKETS) + 1))
    total: float = 0.0

    def observe(self, seconds: float) -> None:
        self.counts[bisect_left(BUCKETS, seconds)] += 1
        self.total += seconds


@dataclass
class Metrics:
    vendors: tuple[str, ...] = ()  # each gets its zero in the gauges, so a dashboard sees it
    requests: dict[tuple[str, str, str], int] = field(default_factory=dict)
    latency: dict[str, Histogram] = field(default_factory=dict)
    faults: dict[tuple[str, str], int] = field(default_factory=dict)

    def record(
        self, vendor: str, operation: str | None, status: int | None, seconds: float
    ) -> None:
        key = (vendor, operation or "", "" if status is None else str(status))
        self.requests[key] = self.requests.get(key, 0) + 1
        histogram = self.latency.get(vendor)
        if histogram is None:
            histogram = self.latency[vendor] = Histogram()
        histogram.observe(seconds)

    def fault(self, vendor: str, kind: str) -> None:
        self.faults[(vendor, kind)] = self.faults.get((vendor, kind), 0) + 1

    def render(self, spaces: Iterable[Namespace], evicted: int = 0) -> str:
        lines = [
            "# HELP sandbox_requests_total Vendor requests answered, by vendor, route and status.",
            "# TYPE sandbox_requests_total counter",
        ]
        for (vendor, operation, status), count in sorted(self.requests.items()):
            labels = _labels(vendor=vendor, operation=operation, status=status)
            lines.append(f"sandbox_requests_total{labels} {count}")
        lines += [
            "# HELP sandbox_request_duration_seconds Time to answer a vendor request.",
            "# TYPE sandbox_request_duration_seconds histogram",
        ]
        for vendor, histogram in sorted(self.latency.items()):
            running = 0
            for bound, count in zip((*BUCKETS, "+Inf"), histogram.counts, strict=True):
                running += count
                labels = _labels(vendor=vendor, le=str(bound))
                lines.append(f"sandbox_request_duration_seconds_bucket{labels} {running}")
            lines.append(
                f"sandbox_request_duration_seconds_sum{_labels(vendor=vendor)} {histogram.total}"
            )
            lines.append(
                f"sandbox_request_duration_seconds_count{_labels(vendor=vendor)} {running}"
            )
        lines += [
            "# HELP sandbox_faults_fired_total Injected faults, by vendor and kind.",
            "# TYPE sandbox_faults_fired_total counter",
        ]
        for (vendor, kind), count in sorted(self.faults.items()):
            lines.append(f"sandbox_faults_fired_total{_labels(vendor=vendor, kind=kind)} {count}")
        spaces = list(spaces)
        holds = dict.fromkeys(self.vendors, 0)
        for space in spaces:
            now = space.clock.now()
            for alloc in space.inventory.allocations():
                if alloc.status is Status.HELD and alloc.is_active(now):
                    vendor = alloc.pool_id.partition(":")[0]
                    holds[vendor] = holds.get(vendor, 0) + alloc.quantity
        lines += [
            "# HELP sandbox_live_holds Units held by live (unexpired, unconfirmed) allocations.",
            "# TYPE sandbox_live_holds gauge",
        ]
        lines += [f"sandbox_live_holds{_labels(vendor=v)} {n}" for v, n in sorted(holds.items())]
        lines += [
            "# HELP sandbox_namespaces Namespaces in memory.",
            "# TYPE sandbox_namespaces gauge",
            f"sandbox_namespaces {len(spaces)}",
            "# HELP sandbox_namespaces_evicted_total Idle namespaces evicted to make room.",
            "# TYPE sandbox_namespaces_evicted_total counter",
            f"sandbox_namespaces_evicted_total {evicted}",
        ]
        return "\n".join(lines) + "\n"


def _labels(**labels: str) -> str:
    def escape(value: str) -> str:
        return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")

    return "{" + ",".join(f'{k}="{escape(v)}"' for k, v in labels.items()) + "}"
