"""Background tasks of the registry (thin: they re-fetch and call one service).

A linkage run takes seconds to minutes, so web requests never run one: after an
import they enqueue ``registry_link`` for the worker (``terpadu worker``).
"""

from __future__ import annotations

from typing import Any

from django_tasks import task

from terpadu.core.models import Region
from terpadu.registry.person_index import linkage_run


@task()
def registry_link(region_id: int, incremental: bool = True) -> dict[str, Any]:
    """Link the regency's new (or all) records into the person index."""
    region = Region.objects.get(pk=region_id)
    run = linkage_run(region=region, incremental=incremental)
    return {"run": run.pk, **run.figures}
