"""Background tasks of CETAR (thin: each calls one builder)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from terpadu.cetar import facts


@task()
def cetar_refresh_today() -> dict[str, Any]:
    """Rebuild today's facts (every five minutes)."""
    return facts.refresh_today().as_dict()


@task()
def cetar_finalise() -> dict[str, Any] | None:
    """Once a day is over: rebuild it and the open-cohort window before it, mark them final."""
    result = facts.finalise()
    return result.as_dict() if result else None
