from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from terpadu.registry.access import residents_for_user
from terpadu.registry.models import Resident


def resident_search(*, user: Any, query: str, limit: int = 50) -> QuerySet[Resident]:
    """By full NIK (exact) or by name (prefix, case-insensitive)."""
    query = " ".join(query.split())
    qs = residents_for_user(user)
    if not query:
        return qs.none()
    digits = query.replace(" ", "")
    if digits.isdigit() and len(digits) == 16:
        return qs.filter(nik=digits)[:limit]
    if len(query) < 3:
        return qs.none()
    return qs.filter(name__istartswith=query).order_by("name", "id")[:limit]
