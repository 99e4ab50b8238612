"""CETAR pages: the public dashboard (no login), each indicator with its definition, chart,
table and drill-down, the provincial comparison, open data and the monthly PDF report; and
the supervisors' internal view. Every figure comes from the ``ft_*`` tables (selectors.py)."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from terpadu.accounts.models import Role
from terpadu.cetar import opendata, selectors
from terpadu.cetar.charts import bar_chart
from terpadu.cetar.indicators import BY_ID, HEADLINE, INDICATORS, LETTERS, Indicator, by_letter
from terpadu.cetar.params import Params, choices, from_request, month_label
from terpadu.cetar.params import parse as parse_period_key
from terpadu.cetar.report import default_month
from terpadu.cetar.selectors import Row, Slice
from terpadu.core.workdays import local_today

DRILL_LABELS = {
    "agency": "Instansi",
    "service": "Layanan",
    "district": "Kecamatan",
    "region": "Kabupaten/kota",
}


def _letters(rows: list[Row]) -> list[dict[str, Any]]:
    by_id = {r.indicator.id: r for r in rows}
    out = []
    for key, short, name, name_en in LETTERS:
        items = [by_id[i.id] for i in by_letter(key)]
        out.append(
            {
                "key": key,
                "short": short,
                "name": name,
                "name_en": name_en,
                "headline": by_id[HEADLINE[key].id],
                "rows": items,
                "met": sum(1 for r in items if r.met is True),
                "measured": sum(1 for r in items if r.met is not None),
            }
        )
    return out


def _filters(params: Params) -> dict[str, Any]:
    return {
        "params": params,
        "period_choices": choices(local_today()),
        "agencies": selectors.agencies_of(params.regencies),
        "services": selectors.services_of(params.agency.id) if params.agency else [],
        "districts": [d for r in params.regencies for d in selectors.districts_of(r)],
        "built": selectors.last_built(),
    }


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    params = from_request(request)
    rows = selectors.overview(params.slice())
    context = {**_filters(params), "letters": _letters(rows)}
    return render(request, "cetar/dashboard.html", context)


def _drill(params: Params, indicator: Indicator) -> str | None:
    """The next level down from the page's filters, where the indicator has it."""
    if params.agency is None and "agency" in indicator.dims:
        return "agency"
    if params.agency is not None and params.service is None and "service" in indicator.dims:
        return "service"
    if params.district is None and "district" in indicator.dims:
        return "district"
    return None


def _point_labels(keys: list[Any], step: str) -> list[str]:
    if step == "day":
        return [f"{k.day}" for k in keys]
    return [month_label(k) for k in keys]


def _indicator_or_404(indicator_id: str) -> Indicator:
    indicator = BY_ID.get(indicator_id)
    if indicator is None:
        raise Http404
    return indicator


def _breakdown(params: Params, indicator: Indicator, by: str | None) -> list[dict[str, Any]]:
    if by is None:
        return []
    ranked = selectors.ranking(params.slice(), indicator, by)
    names = selectors.names(by, [k for k, _ in ranked])
    param = {"agency": "instansi", "service": "layanan", "district": "kecamatan"}[by]
    out = []
    for rank, (key, row) in enumerate(ranked, start=1):
        out.append(
            {
                "key": key,
                "rank": rank if row.value.value is not None else None,
                "name": names.get(key)
                or ("Tanpa instansi" if by == "agency" else "Tidak diketahui"),
                "row": row,
                "query": params.query(**{param: key}) if key is not None else None,
            }
        )
    return out


@require_GET
def indicator_page(request: HttpRequest, indicator_id: str) -> HttpResponse:
    indicator = _indicator_or_404(indicator_id)
    params = from_request(request)
    s = params.slice()
    row = next(iter(selectors.overview(s, [indicator])))
    points = selectors.series(s, indicator, params.period.step)
    labels = _point_labels([k for k, _ in points], params.period.step)
    chart = bar_chart(indicator, points, labels, f"{indicator.name_id}, {params.period.label}")
    by = _drill(params, indicator)
    context = {
        **_filters(params),
        "indicator": indicator,
        "row": row,
        "chart": chart,
        "points": list(zip(labels, [r for _, r in points], strict=True)),
        "drill": by,
        "drill_label": DRILL_LABELS.get(by or "", ""),
        "breakdown": _breakdown(params, indicator, by),
        "others": [i for i in INDICATORS if i.letter == indicator.letter and i.id != indicator.id],
        "report_month": default_month(),
    }
    return render(request, "cetar/indicator.html", context)


def _csv_response(name: str, header: list[str], rows: list[list[Any]]) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _csv_value(row: Row) -> str:
    if row.value.value is None:
        return ""
    return f"{row.value.value:.{max(row.indicator.decimals, 2)}f}"


@require_GET
def indicator_csv(request: HttpRequest, indicator_id: str) -> HttpResponse:
    """The chart's points (``?bagian=seri``, default) or the drill-down table (``rincian``),
    exactly as the page's tables show them."""
    indicator = _indicator_or_404(indicator_id)
    params = from_request(request)
    s = params.slice()
    if request.GET.get("bagian") == "rincian":
        by = _drill(params, indicator)
        rows = _breakdown(params, indicator, by)
        return _csv_response(
            f"{indicator.id}-rincian.csv",
            [DRILL_LABELS.get(by or "", "kelompok").lower(), "nilai", "teks", "target_tercapai"],
            [[r["name"], _csv_value(r["row"]), r["row"].text, _met(r["row"])] for r in rows],
        )
    points = selectors.series(s, indicator, params.period.step)
    labels = _point_labels([k for k, _ in points], params.period.step)
    return _csv_response(
        f"{indicator.id}-seri.csv",
        ["periode", "label", "nilai", "teks", "target_tercapai"],
        [
            [str(k), label, _csv_value(r), r.text, _met(r)]
            for (k, r), label in zip(points, labels, strict=True)
        ],
    )


def _met(row: Row) -> str:
    return "" if row.met is None else ("ya" if row.met else "tidak")


@require_GET
def province(request: HttpRequest) -> HttpResponse:
    """Every regency of the province side by side on every indicator."""
    params = from_request(request, allow_province=True)
    province_region = (
        params.region
        if params.region.level == "province"
        else selectors.FtDimRegion.objects.filter(id=params.region.parent_id or 0).first()
    )
    if province_region is None:
        raise Http404
    regencies = selectors.regions_under(province_region, "regency")
    ids = tuple(r.id for r in regencies)
    s = Slice(params.period.first, params.period.last, region_ids=ids)
    tables = selectors.tables_for(INDICATORS)
    grouped = selectors.load_facts(s, tables, "region")
    previous = selectors.load_facts(s.previous(), ["ft_survey_day"], "region")
    for key, facts_ in grouped.items():
        facts_.previous = previous.get(key)
    shown = [r for r in regencies if r.id in grouped]
    table = []
    for indicator in INDICATORS:
        cells = []
        for r in shown:
            value = selectors.evaluate(indicator, grouped[r.id], s, "region")
            cells.append(selectors.make_row(indicator, value))
        table.append(
            {
                "indicator": indicator,
                "cells": cells,
                "target_text": indicator.format(indicator.target),
            }
        )
    context = {
        **_filters(params),
        "province": province_region,
        "regencies": shown,
        "table": table,
    }
    return render(request, "cetar/province.html", context)


@login_required
@require_GET
def internal(request: HttpRequest) -> HttpResponse:
    """Per counter and per officer figures of the hall: supervisors and admins only."""
    user: Any = request.user
    if user.role not in (Role.SUPERVISOR, Role.ADMIN):
        raise Http404
    params = from_request(request)
    if user.region_id and user.region.level == "regency" and user.region_id not in params.regencies:
        raise Http404
    counters = selectors.counter_table(params.slice())
    return render(request, "cetar/internal.html", {**_filters(params), "counters": counters})


@require_GET
def data_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "cetar/data.html",
        {
            "datasets": opendata.DATASETS,
            "licence": opendata.LICENCE,
            "dictionary": opendata.dictionary(),
        },
    )


def _range(request: HttpRequest, params: Params) -> tuple[Any, Any]:
    """``?dari=YYYY-MM-DD&sampai=YYYY-MM-DD`` (at most 3 years), else the page's period."""
    from datetime import date, timedelta

    try:
        first = date.fromisoformat(request.GET.get("dari", ""))
        last = date.fromisoformat(request.GET.get("sampai", ""))
    except ValueError:
        return params.period.first, params.period.last
    if last < first or (last - first) > timedelta(days=366 * 3):
        return params.period.first, params.period.last
    return first, last


@require_GET
def data_download(request: HttpRequest, dataset_id: str, fmt: str) -> HttpResponse:
    dataset = opendata.BY_ID.get(dataset_id)
    if dataset is None or fmt not in ("csv", "json"):
        raise Http404
    params = from_request(request, allow_province=True)
    first, last = _range(request, params)
    if dataset.table:
        header, rows = opendata.fact_rows(dataset, first, last, params.regencies)
    else:
        regions = [
            (r.id, r.code, r.name)
            for r in selectors.FtDimRegion.objects.filter(id__in=params.regencies).order_by("code")
        ]
        header, rows = opendata.indicator_rows(first, last, regions)
    if fmt == "csv":
        response = _csv_response(f"cetar-{dataset.id}.csv", header, rows)
    else:
        response = JsonResponse(
            {
                "dataset": dataset.id,
                "title": dataset.title,
                "from": first.isoformat(),
                "to": last.isoformat(),
                "licence": opendata.LICENCE,
                "columns": header,
                "rows": [dict(zip(header, row, strict=True)) for row in rows],
            },
            json_dumps_params={"ensure_ascii": False},
        )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def data_catalog(request: HttpRequest) -> JsonResponse:
    base = request.build_absolute_uri("/").rstrip("/")
    built = selectors.last_built()
    modified = built.built_at.date() if built else local_today()
    response = JsonResponse(
        opendata.catalog(
            base,
            publisher=getattr(settings, "TERPADU_CETAR_PUBLISHER", "Pemerintah daerah (Terpadu)"),
            email=getattr(settings, "TERPADU_CETAR_CONTACT", "data@terpadu.local"),
            modified=modified,
        ),
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def data_dictionary(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {"licence": opendata.LICENCE, "columns": opendata.dictionary()},
        json_dumps_params={"ensure_ascii": False},
    )


@require_GET
def report_pdf(request: HttpRequest, agency_id: int, month: str) -> HttpResponse:
    """The monthly PDF of one agency: its figures, the trend, its lowest indicators."""
    from terpadu.cetar.report import agency_month_pdf

    agency = selectors.FtDimAgency.objects.filter(id=agency_id).first()
    period = parse_period_key(month, local_today()) if len(month) == 7 else None
    if agency is None or period is None:
        raise Http404
    pdf = agency_month_pdf(agency, period)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="cetar-{agency.code}-{month}.pdf"'
    return response
