"""Background tasks of the catalogue (thin: they call one service)."""

from __future__ import annotations

from django_tasks import task

from terpadu.catalog import services


@task()
def catalog_promote_versions() -> int:
    """Switch on the published versions whose effective date has come (periodic)."""
    return services.promote_due_versions()
