"""Gallery API under /api/v1/gallery/: public reads of published innovations (no login).

Measured outcomes and hand-entered figures come in separate lists, each item saying
whether it was measured; nothing adds one to the other.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from terpadu.accounts.models import current_user
from terpadu.core.workdays import local_today
from terpadu.gallery import measures, selectors
from terpadu.gallery.access import access_innovation_by_slug
from terpadu.gallery.kit import export_kit
from terpadu.gallery.models import Innovation

router = Router(tags=["gallery"])
PREFIX = "/gallery"


class AwardOut(Schema):
    year: int | None
    name: str
    giver: str
    level: str
    source_url: str


class InnovationOut(Schema):
    slug: str
    name: str
    tagline: str
    region_code: str
    region_name: str
    agency_code: str
    agency_name: str
    theme: str
    stage: str
    start_date: dt.date | None
    url: str
    replicated_from: str | None = None


class InnovationDetailOut(InnovationOut):
    problem: str
    how_it_works: str
    awards: list[AwardOut]
    contact_name: str
    contact_role: str
    contact_email: str
    contact_phone: str
    photos: list[str]
    documents: list[str]


class FilterIn(Schema):
    q: str = ""
    tema: str = ""
    daerah: str = ""
    tahap: str = ""
    dampak: str = ""


def _out(i: Innovation) -> dict[str, Any]:
    return {
        "slug": i.slug,
        "name": i.name,
        "tagline": i.tagline,
        "region_code": i.region.code,
        "region_name": i.region.name,
        "agency_code": i.agency.code,
        "agency_name": i.agency.name,
        "theme": i.theme,
        "stage": i.stage,
        "start_date": i.start_date,
        "url": f"/inovasi/{i.slug}/",
        "replicated_from": i.replicated_from.slug if i.replicated_from is not None else None,
    }


def _get(request: HttpRequest, slug: str) -> Innovation:
    return selectors.innovation_page(
        access_innovation_by_slug(user=current_user(request), slug=slug)
    )


@router.get(
    "/innovations", response=list[InnovationOut], auth=None, operation_id="gallery_innovation_list"
)
def innovation_list(request: HttpRequest, filters: Query[FilterIn]) -> list[dict[str, Any]]:
    """Published innovations, those with measured outcomes first."""
    parsed = selectors.Filters.parse(filters.dict())
    return [_out(card.innovation) for card in selectors.gallery(parsed)]


@router.get(
    "/innovations/{slug}",
    response=InnovationDetailOut,
    auth=None,
    operation_id="gallery_innovation_get",
)
def innovation_get(request: HttpRequest, slug: str) -> dict[str, Any]:
    i = _get(request, slug)
    return {
        **_out(i),
        "problem": i.problem,
        "how_it_works": i.how_it_works,
        "awards": [
            {
                "year": a.year,
                "name": a.name,
                "giver": a.giver,
                "level": a.level,
                "source_url": a.source_url,
            }
            for a in i.awards.all()
        ],
        "contact_name": i.contact_name,
        "contact_role": i.contact_role,
        "contact_email": i.contact_email,
        "contact_phone": i.contact_phone,
        "photos": [f"/inovasi/{i.slug}/foto/{p.pk}/" for p in i.photos.all()],
        "documents": [f"/inovasi/{i.slug}/dokumen/{d.pk}/" for d in i.documents.all()],
    }


@router.get("/innovations/{slug}/outcomes", auth=None, operation_id="gallery_outcomes")
def outcomes(request: HttpRequest, slug: str) -> dict[str, Any]:
    """Live measured outcomes (``measured``) and hand-entered figures (``manual``), apart."""
    i = _get(request, slug)
    today = local_today()
    return {
        "innovation": i.slug,
        "as_of": today.isoformat(),
        "measured": [o.as_dict() for o in measures.outcomes(i, today)],
        "manual": [
            {
                "measured": False,
                "label": f.label,
                "value": str(f.value),
                "unit": f.unit,
                "period": f.period_label,
                "source": f.source,
                "source_url": f.source_url,
            }
            for f in i.manual_figures.all()
        ],
    }


@router.get("/innovations/{slug}/kit", auth=None, operation_id="gallery_kit_export")
def kit_export(request: HttpRequest, slug: str) -> dict[str, Any]:
    """The replication kit (format ``terpadu.replication-kit``)."""
    return export_kit(_get(request, slug))
