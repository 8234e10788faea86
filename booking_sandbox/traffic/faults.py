"""Fault rules of one namespace: first matching rule wins, `times` counts down, and the
`probability` draw comes from the namespace's own seeded generator, so a chaos run replays.
"""

from __future__ import annotations

import difflib
import random
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from booking_sandbox.traffic.actions import Action, FaultError, action_from_json, whole
from booking_sandbox.traffic.patterns import matches, oversized, wildcard_problem

MATCH_KEYS = ("vendor", "method", "path", "operation")
# Rules are looked at on every vendor request of the namespace: 100 rules of patterns of at most
# MAX_PATTERN characters bound that work (1,000 rules of 58 KB took 0.27 s per request).
MAX_RULES = 100
MAX_TIMES = 1_000_000_000
# Each vendor's name and the names of its operations (`GET /_sandbox/operations`): a rule must
# name real ones, or a typo would be accepted and never fire.
Operations = Mapping[str, Collection[str]]
NEAREST = 3  # close names offered when an operation is unknown


class TooManyFaults(FaultError):
    """The namespace already holds MAX_RULES rules."""


def check_sizes(doc: Any) -> None:
    """Every string of a rule (patterns, names, keys) is at most MAX_PATTERN characters."""
    found = oversized(doc)
    if found is not None:
        raise FaultError(*found)


@dataclass(frozen=True)
class Match:
    vendor: str | None = None
    method: str | None = None
    path: str | None = None
    operation: str | None = None

    def applies(
        self, vendor: str, method: str, path: str, operation: Callable[[], str | None]
    ) -> bool:
        return (
            (self.vendor is None or self.vendor == vendor)
            and (self.method is None or self.method == method)
            and matches(self.path, path)
            and (self.operation is None or matches(self.operation, operation()))
        )

    def to_json(self) -> dict[str, str]:
        return {k: v for k in MATCH_KEYS if (v := getattr(self, k)) is not None}


@dataclass
class Rule:
    id: str
    match: Match
    action: Action
    times: int | None
    probability: float
    fired: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "match": self.match.to_json(),
            "action": self.action.to_json(),
            "times": self.times,
            "probability": self.probability,
            "fired": self.fired,
        }


def match_from_json(doc: Any, operations: Operations) -> Match:
    if doc is None:
        return Match()
    if not isinstance(doc, dict):
        raise FaultError("$.match", "must be an object")
    unknown = sorted(set(doc) - set(MATCH_KEYS))
    if unknown:
        raise FaultError(f"$.match.{unknown[0]}", "is not a match field")
    for key in MATCH_KEYS:
        if key in doc and not (isinstance(doc[key], str) and doc[key]):
            raise FaultError(f"$.match.{key}", "must be a non-empty string")
    if doc.get("vendor") not in (None, *operations):
        raise FaultError("$.match.vendor", f"must be one of {', '.join(operations)}")
    wildcards = wildcard_problem(doc)
    if wildcards is not None:
        raise FaultError(f"$.match.{wildcards[0]}", wildcards[1])
    if "operation" in doc:
        check_operation(doc["operation"], doc.get("vendor"), operations)
    method = doc.get("method")
    return Match(
        doc.get("vendor"), method.upper() if method else None, doc.get("path"), doc.get("operation")
    )


def check_operation(pattern: str, vendor: str | None, operations: Operations) -> None:
    """`pattern` names an operation of `vendor` (of any vendor when None), or with `*` matches
    at least one; else a FaultError offering the nearest names."""
    names = sorted(name for v, names in operations.items() if vendor in (None, v) for name in names)
    if any(matches(pattern, name) for name in names):
        return
    whose = f"of {vendor}" if vendor is not None else "of any vendor"
    # (The pattern itself is not quoted: the path names it, and it may be 1,024 characters.)
    message = f"{'matches no operation' if '*' in pattern else 'is no operation'} {whose}"
    owners = [v for v, names in operations.items() if v != vendor and pattern in names]
    if owners:  # a vendor given with another vendor's operation: the rule could never fire
        message += f" but of {owners[0]}"
    nearest = difflib.get_close_matches(pattern, names, n=NEAREST)
    if nearest:
        message += f"; nearest: {', '.join(nearest)}"
    raise FaultError("$.match.operation", message + "; GET /_sandbox/operations lists them")


class FaultBook:
    """The rules of one namespace, in the order they were added."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.rules: list[Rule] = []
        self._next = 1

    def check_room(self) -> None:
        if len(self.rules) >= MAX_RULES:
            message = f"a namespace holds at most {MAX_RULES} fault rules; delete some first"
            raise TooManyFaults("$", message)

    def add(self, doc: dict[str, Any], operations: Operations) -> Rule:
        """A rule from its JSON; `operations` are the names `match.vendor` may take, each with
        the names its `match.operation` may take."""
        self.check_room()
        check_sizes(doc)
        match = match_from_json(doc.get("match"), operations)
        action = action_from_json(doc.get("action"))
        times = whole(doc.get("times"))
        if times is not None and (
            isinstance(times, bool) or not isinstance(times, int) or not 1 <= times <= MAX_TIMES
        ):
            raise FaultError("$.times", f"must be an integer from 1 to {MAX_TIMES}")
        probability = doc.get("probability", 1)
        if isinstance(probability, bool) or not isinstance(probability, int | float):
            raise FaultError("$.probability", "must be a number")
        if not 0 <= probability <= 1:
            raise FaultError("$.probability", "must be between 0 and 1")
        rule = Rule(f"fault-{self._next}", match, action, times, float(probability))
        self._next += 1
        self.rules.append(rule)
        return rule

    def get(self, ident: str) -> Rule | None:
        return next((r for r in self.rules if r.id == ident), None)

    def remove(self, ident: str) -> bool:
        rule = self.get(ident)
        if rule is not None:
            self.rules.remove(rule)
        return rule is not None

    def clear(self) -> int:
        count = len(self.rules)
        self.rules.clear()
        return count

    def fire(
        self, vendor: str, method: str, path: str, operation: Callable[[], str | None]
    ) -> Rule | None:
        """The first rule that matches and wins its draw; it counts the firing."""
        for rule in self.rules:
            if not rule.match.applies(vendor, method, path, operation):
                continue
            # A certain rule draws nothing, so adding one does not shift a chaos run's draws.
            if rule.probability < 1 and self.rng.random() >= rule.probability:
                continue
            rule.fired += 1
            if rule.times is not None:
                rule.times -= 1
                if rule.times == 0:
                    self.rules.remove(rule)
            return rule
        return None
