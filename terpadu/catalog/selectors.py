"""Reads of the catalogue: the public catalogue (published, active services) and office lists.

The public catalogue is per regency. Anonymous visitors see the deployment's home
regency (``settings.TERPADU_HOME_REGION``); a signed-in user of a regency sees
their own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Min, Prefetch, Q, QuerySet

from terpadu.catalog.access import services_editable_by
from terpadu.catalog.models import (
    Counter,
    CounterGroup,
    LifeEvent,
    LifeEventService,
    Service,
    ServiceCategory,
    ServicePoint,
    ServiceVersion,
)
from terpadu.catalog.search import Hit, service_search
from terpadu.core.errors import NotFound
from terpadu.core.models import Agency, Region


def public_region(user: Any = None) -> Region:
    """The regency whose catalogue a visitor sees."""
    region = getattr(user, "region", None) if getattr(user, "is_authenticated", False) else None
    if region is not None and region.level == Region.Level.REGENCY:
        return region
    found = Region.objects.filter(code=settings.TERPADU_HOME_REGION).first()
    if found is None:
        raise NotFound("region")
    return found


def published_services(region: Region) -> QuerySet[Service]:
    return Service.objects.filter(
        region=region, is_active=True, current_version__isnull=False
    ).select_related("agency", "category")


def service_public_list(
    *,
    region: Region,
    agency: Agency | None = None,
    category: ServiceCategory | None = None,
) -> QuerySet[Service]:
    qs = published_services(region)
    if agency is not None:
        qs = qs.filter(agency=agency)
    if category is not None:
        qs = qs.filter(category=category)
    return qs.order_by("name")


def service_public_detail(*, region: Region, code: str) -> Service:
    """A published service with its current version, counters and service points."""
    service = (
        published_services(region)
        .select_related("current_version", "agency__region")
        .prefetch_related(
            Prefetch(
                "counters",
                queryset=Counter.objects.filter(is_active=True).select_related("hall"),
            ),
            Prefetch(
                "service_points",
                queryset=ServicePoint.objects.filter(is_active=True).select_related("village"),
            ),
            Prefetch(
                "life_events",
                queryset=LifeEvent.objects.order_by("position"),
            ),
        )
        .filter(code=code)
        .first()
    )
    if service is None:
        raise NotFound("service")
    return service


@dataclass
class AgencyEntry:
    agency: Agency
    service_count: int


def agency_public_list(*, region: Region) -> list[AgencyEntry]:
    """Agencies with at least one published service, and how many they have."""
    published = Q(
        services__is_active=True,
        services__current_version__isnull=False,
        services__region=region,
    )
    agencies = (
        Agency.objects.filter(region=region)
        .annotate(n=Count("services", filter=published))
        .filter(n__gt=0)
        .order_by("name")
    )
    return [AgencyEntry(agency=a, service_count=a.n) for a in agencies]


def agency_public_get(*, region: Region, code: str) -> Agency:
    agency = Agency.objects.filter(region=region, code=code).first()
    if agency is None:
        raise NotFound("agency")
    return agency


def category_public_list(*, region: Region) -> list[ServiceCategory]:
    published = Q(services__is_active=True, services__current_version__isnull=False)
    return list(
        ServiceCategory.objects.filter(region=region)
        .annotate(n=Count("services", filter=published))
        .filter(n__gt=0)
        .order_by("position", "name")
    )


def category_public_get(*, region: Region, slug: str) -> ServiceCategory:
    category = ServiceCategory.objects.filter(region=region, slug=slug).first()
    if category is None:
        raise NotFound("category")
    return category


def life_event_list(*, region: Region) -> list[LifeEvent]:
    return list(LifeEvent.objects.filter(region=region).order_by("position", "name"))


@dataclass
class LifeEventStep:
    position: int
    service: Service
    note: str


def life_event_detail(*, region: Region, slug: str) -> tuple[LifeEvent, list[LifeEventStep]]:
    """A life event and its published services, in the order they are done."""
    event = LifeEvent.objects.filter(region=region, slug=slug).first()
    if event is None:
        raise NotFound("life_event")
    steps = (
        LifeEventService.objects.filter(
            life_event=event, service__is_active=True, service__current_version__isnull=False
        )
        .select_related("service__agency", "service__current_version")
        .order_by("position")
    )
    return event, [
        LifeEventStep(position=i, service=s.service, note=s.note) for i, s in enumerate(steps, 1)
    ]


def catalog_search(*, region: Region, query: str, limit: int = 10) -> list[Hit]:
    """Forgiving search over the public catalogue (see :mod:`terpadu.catalog.search`)."""
    return service_search(region_id=region.pk, query=query, limit=limit)


def service_versions(*, service: Service) -> list[ServiceVersion]:
    return list(service.versions.select_related("published_by", "created_by").order_by("-number"))


def service_draft(*, service: Service) -> ServiceVersion | None:
    return service.versions.filter(status=ServiceVersion.Status.DRAFT).first()


def service_upcoming_versions(*, service: Service) -> list[ServiceVersion]:
    """Published versions whose effective date is still ahead, in the order they take effect."""
    return list(service.versions.filter(status=ServiceVersion.Status.SCHEDULED).order_by("number"))


def service_office_list(
    *, user: Any, query: str = "", agency_id: int | None = None
) -> QuerySet[Service]:
    """Services the user maintains, with a flag for a pending draft and the next version's date."""
    qs = services_editable_by(user).annotate(
        drafts=Count("versions", filter=Q(versions__status=ServiceVersion.Status.DRAFT)),
        upcoming_date=Min(
            "versions__effective_date",
            filter=Q(versions__status=ServiceVersion.Status.SCHEDULED),
        ),
    )
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(code__icontains=query))
    return qs.order_by("agency__name", "name")


def counter_groups_for_service(*, service: Service) -> Sequence[CounterGroup]:
    return list(service.counter_groups.select_related("hall").order_by("letter"))
