"""The programmes Terpadu ships. Adding one: a module with ``SPEC`` (and optional hooks),
listed in :data:`MODULES`, plus a ``Programme`` row per regency (``programme_ensure``).
"""

from __future__ import annotations

import importlib
from types import ModuleType

from terpadu.outreach.programmes.base import ProgrammeSpec

MODULES: dict[str, str] = {
    "garda_ampuh": "terpadu.outreach.programmes.garda_ampuh",
    "maternal": "terpadu.outreach.programmes.maternal",
    "medicine": "terpadu.outreach.programmes.medicine",
}


def rules(code: str) -> ModuleType:
    """The rules module of programme ``code`` (KeyError when unknown)."""
    return importlib.import_module(MODULES[code])


def spec(code: str) -> ProgrammeSpec:
    found: ProgrammeSpec = rules(code).SPEC
    return found


def all_specs() -> list[ProgrammeSpec]:
    return [spec(code) for code in MODULES]
