"""The case state machine, pure: found → verified → in progress → resolved | not eligible | lost.

A programme may add transitions (Gancang Aron sends a failed delivery back from
"in progress" to "verified", the pharmacy's list).
"""

from __future__ import annotations

from collections.abc import Mapping

FOUND = "found"
VERIFIED = "verified"
IN_PROGRESS = "in_progress"
RESOLVED = "resolved"
NOT_ELIGIBLE = "not_eligible"
LOST = "lost"

OPEN = frozenset({FOUND, VERIFIED, IN_PROGRESS})
TERMINAL = frozenset({RESOLVED, NOT_ELIGIBLE, LOST})

BASE_TRANSITIONS: Mapping[str, frozenset[str]] = {
    FOUND: frozenset({VERIFIED, NOT_ELIGIBLE, LOST}),
    VERIFIED: frozenset({IN_PROGRESS, NOT_ELIGIBLE, LOST}),
    IN_PROGRESS: frozenset({RESOLVED, NOT_ELIGIBLE, LOST}),
    RESOLVED: frozenset(),
    NOT_ELIGIBLE: frozenset(),
    LOST: frozenset(),
}


def transitions(extra: Mapping[str, frozenset[str]] | None = None) -> dict[str, frozenset[str]]:
    table = dict(BASE_TRANSITIONS)
    for source, targets in (extra or {}).items():
        table[source] = table.get(source, frozenset()) | targets
    return table


def allowed(current: str, target: str, extra: Mapping[str, frozenset[str]] | None = None) -> bool:
    return target in transitions(extra).get(current, frozenset())


def next_states(current: str, extra: Mapping[str, frozenset[str]] | None = None) -> list[str]:
    order = [FOUND, VERIFIED, IN_PROGRESS, RESOLVED, NOT_ELIGIBLE, LOST]
    targets = transitions(extra).get(current, frozenset())
    return [s for s in order if s in targets]
