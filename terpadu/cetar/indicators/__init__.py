"""The CETAR indicators: one module per indicator, listed here in the order they are shown.

Each module defines ``INDICATOR`` (:class:`~terpadu.cetar.indicators.base.Indicator`):
names in Indonesian and English, the CETAR letter, the formula, the events it
reads, the unit, the direction, a default target, its caveats and a pure
``compute`` over summed facts. ``docs/indicators.md`` is generated from these
(``terpadu cetar docs``) and a test keeps the two in step.

These are Terpadu's own proposal: East Java's CETTAR has no published indicators
(domain reference §8.1).
"""

from __future__ import annotations

import importlib

from terpadu.cetar.indicators.base import LETTERS, Indicator

MODULES: tuple[str, ...] = (
    # Cepat
    "sla_compliance",
    "completion_median",
    "completion_p90",
    "hall_wait_median",
    # Efektif & efisien
    "first_time_right",
    "completion_rate",
    "digital_takeup",
    "cost_per_transaction",
    "counter_utilisation",
    # Tanggap
    "complaint_response_in_time",
    "complaint_first_response",
    # Transparan
    "service_standard_published",
    "complaints_public",
    "skm_published_on_time",
    # Akuntabel
    "complaints_followed_up",
    "escalations_resolved",
    "skm_plans_recorded",
    "audit_chain_intact",
    # Responsif
    "ikm",
    "ikm_change",
    "complaint_reopen_rate",
    "citizen_confirmed",
)

INDICATORS: tuple[Indicator, ...] = tuple(
    importlib.import_module(f"{__name__}.{name}").INDICATOR for name in MODULES
)
BY_ID: dict[str, Indicator] = {i.id: i for i in INDICATORS}

#: the headline indicator of each letter (the first listed)
HEADLINE: dict[str, Indicator] = {}
for _indicator in INDICATORS:
    HEADLINE.setdefault(_indicator.letter, _indicator)


def by_letter(letter: str) -> list[Indicator]:
    return [i for i in INDICATORS if i.letter == letter]


def get(indicator_id: str) -> Indicator | None:
    return BY_ID.get(indicator_id)


__all__ = ["BY_ID", "HEADLINE", "INDICATORS", "LETTERS", "Indicator", "by_letter", "get"]
