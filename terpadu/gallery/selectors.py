"""Reads of the gallery: the public list with its filters, an innovation's page data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from terpadu.core.models import Region
from terpadu.gallery import measures
from terpadu.gallery.models import Innovation, ManualFigure, Measure, Stage, Theme

IMPACT_CHOICES = (
    ("", "Semua"),
    ("terukur", "Ada hasil terukur"),
    ("manual", "Hanya angka yang dicatat manual"),
)


@dataclass(frozen=True)
class Filters:
    q: str = ""
    theme: str = ""
    region: str = ""
    stage: str = ""
    impact: str = ""

    @classmethod
    def parse(cls, data: Any) -> Filters:
        theme = str(data.get("tema", "") or "")
        stage = str(data.get("tahap", "") or "")
        impact = str(data.get("dampak", "") or "")
        return cls(
            q=str(data.get("q", "") or "").strip()[:100],
            theme=theme if theme in Theme.values else "",
            region=str(data.get("daerah", "") or "").strip()[:13],
            stage=stage if stage in Stage.values else "",
            impact=impact if impact in {c for c, _ in IMPACT_CHOICES} else "",
        )

    def querystring(self) -> str:
        from urllib.parse import urlencode

        pairs = {
            "q": self.q,
            "tema": self.theme,
            "daerah": self.region,
            "tahap": self.stage,
            "dampak": self.impact,
        }
        return urlencode({k: v for k, v in pairs.items() if v})


def with_related(qs: QuerySet[Innovation]) -> QuerySet[Innovation]:
    return qs.select_related("region", "agency", "replicated_from__region").prefetch_related(
        "awards",
        "photos",
        "documents",
        Prefetch("measures", queryset=Measure.objects.select_related("agency", "service")),
        "manual_figures",
        Prefetch("replications", queryset=Innovation.objects.select_related("region", "agency")),
    )


def public_innovations() -> QuerySet[Innovation]:
    return Innovation.objects.filter(is_public=True)


@dataclass
class Card:
    innovation: Innovation
    headline: measures.Figure | None
    headline_title: str
    measured: int
    manual: int
    outcomes: list[measures.Outcome] = field(default_factory=list)


def gallery(filters: Filters, *, as_of: date | None = None) -> list[Card]:
    """Public innovations matching the filters, with their first live headline figure.

    Sorted by measured impact: innovations with live measured outcomes first (most
    measures with data first), then the others, by name.
    """
    qs = public_innovations()
    if filters.q:
        words = filters.q.split()
        for word in words[:6]:
            qs = qs.filter(
                Q(name__icontains=word)
                | Q(tagline__icontains=word)
                | Q(problem__icontains=word)
                | Q(how_it_works__icontains=word)
                | Q(agency__name__icontains=word)
                | Q(agency__short_name__icontains=word)
            )
    if filters.theme:
        qs = qs.filter(theme=filters.theme)
    if filters.stage:
        qs = qs.filter(stage=filters.stage)
    if filters.region:
        qs = qs.filter(
            Q(region__code=filters.region) | Q(region__code__startswith=filters.region + ".")
        )
    day = as_of or measures.local_today()
    cards = []
    for innovation in with_related(qs).order_by("name", "id"):
        found = measures.outcomes(innovation, day)
        with_data = [o for o in found if o.has_data]
        manual = len(innovation.manual_figures.all())
        headline = with_data[0].headline if with_data else None
        card = Card(
            innovation,
            headline,
            with_data[0].title if with_data else "",
            len(with_data),
            manual,
            found,
        )
        if filters.impact == "terukur" and not with_data:
            continue
        if filters.impact == "manual" and (with_data or not manual):
            continue
        cards.append(card)
    cards.sort(key=lambda c: (-c.measured, c.innovation.name.lower()))
    return cards


def regions_with_innovations() -> list[Region]:
    ids = public_innovations().values("region_id")
    return list(Region.objects.filter(pk__in=ids).order_by("code"))


def innovation_page(innovation: Innovation) -> Innovation:
    return with_related(Innovation.objects.filter(pk=innovation.pk)).get()


def manual_figures(innovation: Innovation) -> list[ManualFigure]:
    return list(innovation.manual_figures.all())


def replications(innovation: Innovation) -> list[Innovation]:
    """The original's replications (and, for a replication, its siblings and original)."""
    root = innovation.replicated_from or innovation
    qs = Innovation.objects.filter(Q(pk=root.pk) | Q(replicated_from=root))
    return list(with_related(qs).order_by("region__code", "id"))
