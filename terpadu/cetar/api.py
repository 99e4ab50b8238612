"""CETAR API (/api/v1/cetar): indicator definitions, values, series and the fact downloads.

All public (``auth=None``): the same figures as the dashboard, from the ``ft_*`` tables.
Filters: ``region`` (Kemendagri code, default the home regency; a province code gives the
sum of its regencies), ``period`` (``12b``, ``YYYY``, ``YYYY-Sn``, ``YYYY-Qn``, ``YYYY-MM``),
``agency``, ``service``, ``district`` (ids from ``/cetar/facts/…`` or the dimension lists).
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from terpadu.cetar import opendata, selectors
from terpadu.cetar.indicators import BY_ID, INDICATORS, Indicator
from terpadu.cetar.params import Params, from_values
from terpadu.cetar.selectors import Row
from terpadu.core.errors import DomainError, NotFound, field_error

PREFIX = "/cetar"
router = Router(tags=["cetar"])


class DefinitionOut(Schema):
    id: str
    letter: str
    name_id: str
    name_en: str
    formula: str
    formula_en: str
    reads: list[str]
    facts: list[str]
    unit: str
    direction: str
    target: float | None
    caveats: list[str]
    dimensions: list[str]
    small_cells_suppressed: bool


class ValueOut(Schema):
    value: float | None
    text: str
    numerator: float | None
    denominator: float | None
    target_met: bool | None
    note: str


class IndicatorOut(Schema):
    definition: DefinitionOut
    region: str
    period: str
    period_from: date
    period_to: date
    agency_id: int | None
    service_id: int | None
    district_id: int | None
    current: ValueOut
    previous: ValueOut | None


class PointOut(Schema):
    period: str
    value: float | None
    text: str
    target_met: bool | None


class SeriesOut(Schema):
    indicator: str
    region: str
    step: str
    points: list[PointOut]


def _indicator(indicator_id: str) -> Indicator:
    indicator = BY_ID.get(indicator_id)
    if indicator is None:
        raise NotFound("indicator")
    return indicator


def _params(
    region: str | None,
    period: str | None,
    agency: int | None,
    service: int | None,
    district: int | None,
) -> Params:
    return from_values(
        region=region,
        period=period,
        agency=agency,
        service=service,
        district=district,
        allow_province=True,
        strict=True,
    )


def _value(row: Row) -> dict[str, Any]:
    v = row.value
    hidden = v.note == "disembunyikan"
    return {
        "value": v.value,
        "text": row.text,
        "numerator": None if hidden else v.numerator,
        "denominator": None if hidden else v.denominator,
        "target_met": row.met,
        "note": v.note,
    }


@router.get(
    "/indicators", response=list[DefinitionOut], auth=None, operation_id="cetar_indicator_list"
)
def indicator_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Every indicator's definition, in dashboard order."""
    return [i.as_dict() for i in INDICATORS]


@router.get(
    "/indicators/{indicator_id}",
    response=IndicatorOut,
    auth=None,
    operation_id="cetar_indicator_get",
)
def indicator_get(
    request: HttpRequest,
    indicator_id: str,
    region: str | None = None,
    period: str | None = None,
    agency: int | None = None,
    service: int | None = None,
    district: int | None = None,
) -> dict[str, Any]:
    """One indicator for a region and period (and optionally agency, service, kecamatan)."""
    indicator = _indicator(indicator_id)
    params = _params(region, period, agency, service, district)
    row = selectors.overview(params.slice(), [indicator])[0]
    return {
        "definition": indicator.as_dict(),
        "region": params.region.code,
        "period": params.period.key,
        "period_from": params.period.first,
        "period_to": params.period.last,
        "agency_id": params.agency.id if params.agency else None,
        "service_id": params.service.id if params.service else None,
        "district_id": params.district.id if params.district else None,
        "current": _value(row),
        "previous": None
        if row.previous is None
        else _value(
            Row(
                indicator, row.previous, indicator.met(row.previous), indicator.format(row.previous)
            )
        ),
    }


@router.get(
    "/indicators/{indicator_id}/series",
    response=SeriesOut,
    auth=None,
    operation_id="cetar_series",
)
def indicator_series(
    request: HttpRequest,
    indicator_id: str,
    region: str | None = None,
    period: str | None = None,
    agency: int | None = None,
    service: int | None = None,
    district: int | None = None,
) -> dict[str, Any]:
    """The indicator per month (per day for a one-month period)."""
    indicator = _indicator(indicator_id)
    params = _params(region, period, agency, service, district)
    points = selectors.series(params.slice(), indicator, params.period.step)
    return {
        "indicator": indicator.id,
        "region": params.region.code,
        "step": params.period.step,
        "points": [
            {"period": str(k), "value": r.value.value, "text": r.text, "target_met": r.met}
            for k, r in points
        ],
    }


@router.get("/facts/{dataset}", auth=None, operation_id="cetar_facts_download")
def facts_download(
    request: HttpRequest,
    dataset: str,
    format: str = "json",
    region: str | None = None,
    period: str | None = None,
) -> HttpResponse:
    """A fact table or the indicator series as CSV or JSON (small cells suppressed)."""
    found = opendata.BY_ID.get(dataset)
    if found is None:
        raise NotFound("dataset")
    if format not in ("csv", "json"):
        raise DomainError(
            code="invalid",
            message="Format harus csv atau json.",
            errors=[field_error("format", "Format harus csv atau json.", "Use csv or json.")],
        )
    params = _params(region, period, None, None, None)
    first, last = params.period.first, params.period.last
    if found.table:
        header, rows = opendata.fact_rows(found, first, last, params.regencies)
    else:
        regions = [
            (r.id, r.code, r.name)
            for r in selectors.FtDimRegion.objects.filter(id__in=params.regencies).order_by("code")
        ]
        header, rows = opendata.indicator_rows(first, last, regions)
    if format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        return HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    import json

    body = {
        "dataset": found.id,
        "from": first.isoformat(),
        "to": last.isoformat(),
        "licence": opendata.LICENCE,
        "columns": header,
        "rows": [dict(zip(header, row, strict=True)) for row in rows],
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, default=str), content_type="application/json"
    )
