"""What a programme is: configuration (:class:`ProgrammeSpec`) plus a small rules module.

A rules module (``programmes/<code>.py``) defines ``SPEC`` and may define:

- ``cohort(programme, *, on) -> Iterable[CohortMember]``: who the linked data finds;
- ``tasks_on_enter(case, status) -> list[TaskPlan]``: field work due when a case enters a status.

Everything else (cases, assignment by desa, tasks in working days, visits, escalation,
reports by desa and kecamatan) is the engine's (``terpadu/outreach/services.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class Choice:
    code: str
    label: str | Promise


@dataclass(frozen=True)
class TaskPlan:
    kind: str
    title: str
    workdays: int


@dataclass(frozen=True)
class CohortMember:
    """One person the cohort rule found (the engine opens a case unless one exists)."""

    subject_key: str
    resident_id: int | None
    village_id: int
    name: str
    nik: str = ""
    sex: str = ""
    birth_date: date | None = None
    address: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ProgrammeSpec:
    code: str
    name: str
    agency_code: str
    health: bool
    description: str | Promise = ""
    #: working days from "found" to the verification visit
    verify_days: int = 5
    #: working days from "verified" to the first visit of the handling stage
    visit_days: int = 10
    #: an overdue task escalates again every this many working days
    escalate_every_days: int = 3
    levels: tuple[Choice, ...] = ()
    outcomes: tuple[Choice, ...] = ()
    #: outcomes that count as the programme's success (e.g. back to school)
    success_outcomes: frozenset[str] = frozenset()
    extra_transitions: Mapping[str, frozenset[str]] = field(default_factory=dict)
    #: statuses only the programme's own services set (e.g. "resolved" needs a courier's
    #: proof of delivery); people may not pick them by hand
    system_targets: frozenset[str] = frozenset()
    defaults: Mapping[str, Any] = field(default_factory=dict)

    def level_label(self, code: str) -> str:
        return next((str(c.label) for c in self.levels if c.code == code), code)

    def outcome_label(self, code: str) -> str:
        return next((str(c.label) for c in self.outcomes if c.code == code), code)

    def next_level(self, code: str) -> str | None:
        codes = [c.code for c in self.levels]
        if code not in codes:
            return codes[0] if codes else None
        i = codes.index(code)
        return codes[i + 1] if i + 1 < len(codes) else None
