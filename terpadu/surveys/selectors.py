"""IKM reads: one SQL pass of SUM/COUNT per unsur (per group and period), then the exact
computation of :mod:`terpadu.surveys.ikm` in Python on those integer totals.

The database adds integers; nothing is averaged or rounded in SQL, so the result is the
regulation's to the last digit on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, CharField, Count, Q, QuerySet, Sum, Value, When

from terpadu.catalog.models import Hall, Service
from terpadu.core.models import Agency, Region
from terpadu.surveys.ikm import STANDARD_CODES, IkmResult, compute_ikm, krejcie_morgan
from terpadu.surveys.models import ExtraAnswer, FollowUpPlan, SurveyResponse
from terpadu.surveys.periods import Period
from terpadu.surveys.questionnaire import DEFAULT_ITEMS, Item, questionnaire_for

GROUP_FIELDS = {"agency": "agency_id", "service": "service_id", "hall": "hall_id"}


def _sums() -> dict[str, Any]:
    aggregates: dict[str, Any] = {"n": Count("pk")}
    for i in range(1, 10):
        aggregates[f"s{i}"] = Sum(f"u{i}")
        aggregates[f"c{i}"] = Count(f"u{i}")
    return aggregates


def _totals(row: dict[str, Any]) -> dict[str, tuple[int, int]]:
    return {f"U{i}": (int(row[f"s{i}"] or 0), int(row[f"c{i}"] or 0)) for i in range(1, 10)}


def _grouped(qs: Any, *fields: str) -> list[dict[str, Any]]:
    """One GROUP BY over ``fields`` with SUM/COUNT per unsur."""
    return [dict(row) for row in qs.values(*fields).annotate(**_sums()).order_by()]


def responses(
    *,
    region: Region,
    period: Period,
    agency: Agency | None = None,
    service: Service | None = None,
    hall: Hall | None = None,
) -> QuerySet[SurveyResponse]:
    qs = SurveyResponse.objects.filter(
        region=region, local_date__gte=period.start, local_date__lte=period.end
    )
    if agency is not None:
        qs = qs.filter(agency=agency)
    if service is not None:
        qs = qs.filter(service=service)
    if hall is not None:
        qs = qs.filter(hall=hall)
    return qs


def ikm_of(qs: QuerySet[SurveyResponse], extra_codes: tuple[str, ...] = ()) -> IkmResult:
    """The IKM of the questionnaires in ``qs`` (added unsur included when ``extra_codes``)."""
    row = qs.aggregate(**_sums())
    totals = _totals(row)
    codes = STANDARD_CODES
    if extra_codes:
        extra = (
            ExtraAnswer.objects.filter(response__in=qs.values("pk"), code__in=extra_codes)
            .values("code")
            .annotate(s=Sum("value"), c=Count("pk"))
        )
        for item in extra:
            totals[item["code"]] = (int(item["s"] or 0), int(item["c"] or 0))
        codes = STANDARD_CODES + extra_codes
    return compute_ikm(totals, int(row["n"] or 0), codes)


def period_case(periods: list[Period]) -> Case:
    """A SQL CASE mapping ``local_date`` to the period key (plain comparisons, no date functions)."""
    return Case(
        *[When(local_date__gte=p.start, local_date__lte=p.end, then=Value(p.key)) for p in periods],
        output_field=CharField(),
    )


def ikm_grouped(
    *, region: Region, period: Period, kind: str = "quarter", by: str = "service"
) -> dict[tuple[int | None, str], IkmResult]:
    """IKM per (agency|service|hall id, sub-period key) in one GROUP BY query."""
    parts = period.parts(kind) if kind != period.kind else [period]
    group = GROUP_FIELDS[by]
    rows = _grouped(
        responses(region=region, period=period).annotate(period_key=period_case(parts)),
        group,
        "period_key",
    )
    return {
        (row[group], row["period_key"]): compute_ikm(_totals(row), int(row["n"])) for row in rows
    }


@dataclass
class SampleCheck:
    population: int | None
    minimum: int | None
    responses: int

    @property
    def enough(self) -> bool | None:
        if self.minimum is None:
            return None
        return self.responses >= self.minimum


def sample_check(*, responses_count: int, population: int | None) -> SampleCheck:
    if population is None or population <= 0:
        return SampleCheck(population, None, responses_count)
    return SampleCheck(population, krejcie_morgan(population), responses_count)


@dataclass
class Report:
    region: Region
    period: Period
    agency: Agency | None
    service: Service | None
    hall: Hall | None
    items: list[Item]
    result: IkmResult
    sample: SampleCheck
    profile: dict[str, list[tuple[str, int]]]
    by_part: list[tuple[Period, IkmResult]]
    by_service: list[tuple[Service, IkmResult]]
    plans: list[FollowUpPlan] = field(default_factory=list)

    @property
    def rows(self) -> list[dict[str, Any]]:
        weight = self.result.weight
        lowest = self.result.lowest()
        answered = [c for c, v in self.result.nrr.items() if v is not None]
        if len(lowest) == len(answered):  # all equal: nothing stands out
            lowest = []
        rows = []
        for item in self.items:
            nrr = self.result.nrr.get(item.code)
            rows.append(
                {
                    "item": item,
                    "answers": self.result.totals.get(item.code, (0, 0))[1],
                    "nrr": None if nrr is None else round(float(nrr), 3),
                    "weighted": None
                    if nrr is None or weight is None
                    else round(float(nrr * weight), 3),
                    "converted": self.result.nrr_converted(item.code),
                    "lowest": item.code in lowest,
                }
            )
        return rows


PROFILE_CHOICES = {
    "age_band": SurveyResponse.AgeBand,
    "sex": SurveyResponse.Sex,
    "education": SurveyResponse.Education,
    "occupation": SurveyResponse.Occupation,
}


def profile_of(qs: QuerySet[SurveyResponse]) -> dict[str, list[tuple[str, int]]]:
    """Respondent profile: count per answer of each profile question ("Tidak diisi" last)."""
    result: dict[str, list[tuple[str, int]]] = {}
    for name, choices in PROFILE_CHOICES.items():
        counts = dict(qs.values_list(name).annotate(k=Count("pk")).order_by())
        rows = [(str(label), counts.get(value, 0)) for value, label in choices.choices]
        if counts.get(""):
            rows.append(("Tidak diisi", counts[""]))
        result[name] = rows
    return result


def build_report(
    *,
    region: Region,
    period: Period,
    agency: Agency | None = None,
    service: Service | None = None,
    hall: Hall | None = None,
    population: int | None = None,
    plans: QuerySet[FollowUpPlan] | None = None,
) -> Report:
    if service is not None and agency is None:
        agency = service.agency
    qs = responses(region=region, period=period, agency=agency, service=service, hall=hall)
    items = questionnaire_for(agency) if agency is not None else list(DEFAULT_ITEMS)
    extra_codes = tuple(i.code for i in items if not i.standard)
    result = ikm_of(qs, extra_codes)
    by_part: list[tuple[Period, IkmResult]] = []
    if period.kind != "quarter":
        parts = period.parts("quarter")
        grouped = _grouped(qs.annotate(period_key=period_case(parts)), "period_key")
        found = {row["period_key"]: compute_ikm(_totals(row), int(row["n"])) for row in grouped}
        by_part = [(p, found[p.key]) for p in parts if p.key in found]
    by_service: list[tuple[Service, IkmResult]] = []
    if agency is not None and service is None:
        grouped = _grouped(qs.filter(service__isnull=False), "service_id")
        found_services = {
            row["service_id"]: compute_ikm(_totals(row), int(row["n"])) for row in grouped
        }
        services = Service.objects.filter(pk__in=found_services).order_by("name")
        by_service = [(s, found_services[s.pk]) for s in services]
    return Report(
        region=region,
        period=period,
        agency=agency,
        service=service,
        hall=hall,
        items=items,
        result=result,
        sample=sample_check(responses_count=result.n, population=population),
        profile=profile_of(qs),
        by_part=by_part,
        by_service=by_service,
        plans=list(plans) if plans is not None else [],
    )


def comments(qs: QuerySet[SurveyResponse], limit: int = 50) -> list[SurveyResponse]:
    return list(qs.exclude(comment="").order_by("-submitted_at")[:limit])


def plans_for(*, agency: Agency, period: Period, published_only: bool) -> QuerySet[FollowUpPlan]:
    keys = {period.key}
    if period.kind != "quarter":
        keys |= {p.key for p in period.parts("quarter")}
    if period.kind == "year":
        keys |= {p.key for p in period.parts("semester")}
    qs = FollowUpPlan.objects.filter(agency=agency, period__in=keys)
    if published_only:
        qs = qs.filter(is_published=True)
    return qs.order_by("-created_at")


def agencies_with_responses(region: Region) -> QuerySet[Agency]:
    return (
        Agency.objects.filter(region=region)
        .filter(Q(pk__in=SurveyResponse.objects.filter(region=region).values("agency_id")))
        .order_by("name")
    )


def grouped_as_rows(grouped: dict[tuple[int | None, str], IkmResult]) -> list[dict[str, Any]]:
    by_group: dict[int | None, dict[str, IkmResult]] = defaultdict(dict)
    for (group, key), result in grouped.items():
        by_group[group][key] = result
    return [{"group": g, "periods": p} for g, p in by_group.items()]
