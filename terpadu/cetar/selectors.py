"""Reads for the dashboard, the API, open data and the report: sums over the ``ft_*`` tables only.

A :class:`Slice` names the days, the regencies and optionally an agency, a
service or a kecamatan. :func:`load_facts` sums every measure of the fact tables
an indicator needs over the slice in one ``GROUP BY`` per table (optionally by
agency, service, kecamatan, regency, month or day), and :func:`evaluate` turns the
sums into the indicator's value. Nothing here reads a transactional table.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from django.db import connection

from terpadu.cetar import dialect as q
from terpadu.cetar.indicators import INDICATORS, Indicator
from terpadu.cetar.indicators.base import HIST_TABLES, SUPPRESSED, TABLE_DIMS, Facts, Value
from terpadu.cetar.models import (
    MONTHLY,
    MONTHLY_BY_AGENCY,
    FtApplicationDay,
    FtApplicationHist,
    FtAuditDay,
    FtBuild,
    FtComplaintDay,
    FtComplaintHist,
    FtCostMonth,
    FtCounterDay,
    FtDimAgency,
    FtDimRegion,
    FtDimService,
    FtQueueDay,
    FtQueueWaitHist,
    FtServiceDay,
    FtSkmPeriod,
    FtSurveyDay,
)
from terpadu.core.workdays import local_today

DIM_COLUMNS = {"agency": "agency_id", "service": "service_id", "district": "district_id"}
KEY_COLUMNS = frozenset(
    {"id", "day", "region_id", "agency_id", "service_id", "district_id", "hall_id", "counter_id"}
    | {"officer_id", "bucket", "period", "due", "checked_at", "broken_seq"}
)
_MODELS: dict[str, Any] = {
    "ft_queue_day": FtQueueDay,
    "ft_counter_day": FtCounterDay,
    "ft_application_day": FtApplicationDay,
    "ft_complaint_day": FtComplaintDay,
    "ft_survey_day": FtSurveyDay,
    "ft_service_day": FtServiceDay,
    "ft_skm_period": FtSkmPeriod,
    "ft_cost_month": FtCostMonth,
    "ft_audit_day": FtAuditDay,
    "ft_queue_wait_hist": FtQueueWaitHist,
    "ft_application_hist": FtApplicationHist,
    "ft_complaint_hist": FtComplaintHist,
}
EXTRA_MEASURES: dict[str, dict[str, str]] = {
    "ft_service_day": {"services": "COUNT(*)"},
    "ft_skm_period": {
        "periods": "COUNT(*)",
        "with_plan": "SUM(CASE WHEN plans > 0 THEN 1 ELSE 0 END)",
    },
    "ft_audit_day": {"checks": "COUNT(*)"},
}
GROUPS = ("agency", "service", "district", "region", "month", "day")


def _model(table: str) -> Any:
    model = _MODELS.get(table)
    if model is None:
        from django.apps import apps

        model = next(
            m for m in apps.get_app_config("cetar").get_models() if m._meta.db_table == table
        )
        _MODELS[table] = model
    return model


def measures(table: str) -> dict[str, str]:
    """Column alias → SQL aggregate for a sum table (or its monthly rollup)."""
    model = _model(table)
    out = {
        f.column: f"SUM({f.column})"
        for f in model._meta.concrete_fields
        if f.column not in KEY_COLUMNS
    }
    if table in EXTRA_MEASURES:
        out.update(EXTRA_MEASURES[table])
    return out


def _sources(table: str, s: Slice, by: str | None) -> list[tuple[str, date, date]]:
    """Where to read ``s`` from: whole months from the monthly rollup, the edges by day."""
    month_table = MONTHLY.get(table)
    if month_table is None or by == "day":
        return [(table, s.first, s.last)]
    if not (s.dims - {"agency"}) and by not in ("service", "district"):
        month_table = MONTHLY_BY_AGENCY[table]  # no service or kecamatan asked: the small one
    m_first = (
        s.first
        if s.first.day == 1
        else date(s.first.year + (s.first.month == 12), s.first.month % 12 + 1, 1)
    )
    if (s.last + timedelta(days=1)).day == 1 or s.last >= local_today():
        # a month's rollup holds every day built so far: up to today it is the whole month
        m_last = s.last
    else:
        m_last = s.last.replace(day=1) - timedelta(days=1)
    if m_first > m_last:
        return [(table, s.first, s.last)]
    out = [(month_table, m_first, m_last)]
    if s.first < m_first:
        out.append((table, s.first, m_first - timedelta(days=1)))
    if m_last < s.last:
        out.append((table, m_last + timedelta(days=1), s.last))
    return out


@dataclass(frozen=True)
class Slice:
    first: date
    last: date
    region_ids: tuple[int, ...] | None = None  # None: every region
    agency_id: int | None = None
    service_id: int | None = None
    district_id: int | None = None

    @property
    def dims(self) -> frozenset[str]:
        return frozenset(
            name
            for name, value in (
                ("agency", self.agency_id),
                ("service", self.service_id),
                ("district", self.district_id),
            )
            if value is not None
        )

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> Slice:
        """The period just before: as many whole months when it starts on the 1st (12 months
        → the 12 months before; a month → the month before), else as many days."""
        if self.first.day == 1:
            months = (
                (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1
            )
            y, m = self.first.year, self.first.month - months
            while m < 1:
                m += 12
                y -= 1
            return replace(self, first=date(y, m, 1), last=self.first - timedelta(days=1))
        return replace(
            self,
            first=self.first - timedelta(days=self.days),
            last=self.first - timedelta(days=1),
        )


def available(indicator: Indicator, s: Slice, by: str | None = None) -> bool:
    """Whether the indicator can be cut this way (e.g. hall waiting time has no kecamatan)."""
    needed = set(s.dims)
    if by in DIM_COLUMNS:
        needed.add(by)
    if by == "region" and "ft_audit_day" in indicator.facts:
        return False
    return needed <= indicator.dims


def _group_expr(table: str, by: str | None) -> str | None:
    if by is None:
        return None
    if by == "month":
        return q.month_key("day")
    if by == "day":
        return "day"
    if by == "region":
        return "region_id"
    return DIM_COLUMNS[by]


def _where(table: str, s: Slice) -> tuple[list[str], list[Any]]:
    clauses = ["day >= %s", "day <= %s"]
    params: list[Any] = [q.p_date(s.first), q.p_date(s.last)]
    if table == "ft_audit_day":
        return clauses, params
    if s.region_ids is not None:
        ids = [int(i) for i in s.region_ids] or [0]
        clauses.append(f"region_id IN ({', '.join(str(i) for i in ids)})")
    for name, value in (
        ("agency", s.agency_id),
        ("service", s.service_id),
        ("district", s.district_id),
    ):
        if value is not None:
            clauses.append(f"{DIM_COLUMNS[name]} = %s")
            params.append(int(value))
    return clauses, params


def _key(value: Any, by: str | None) -> Any:
    if by is None:
        return None
    if by == "day":
        return value if isinstance(value, date) else date.fromisoformat(str(value))
    if by == "month":
        return str(value)
    return None if value is None else int(value)


def load_facts(s: Slice, tables: Iterable[str], by: str | None = None) -> dict[Any, Facts]:
    """Summed facts of the slice per group (``None`` when not grouped)."""
    out: dict[Any, Facts] = {}
    if by is None:
        out[None] = Facts()
    for table in sorted(set(tables)):
        if not s.dims <= TABLE_DIMS[table]:
            continue
        if by in DIM_COLUMNS and by not in TABLE_DIMS[table]:
            continue
        if by == "region" and table == "ft_audit_day":
            continue
        for source, first, last in _sources(table, s, by):
            part = replace(s, first=first, last=last)
            clauses, params = _where(table, part)
            group = _group_expr(table, by)
            select_key = f"{group} AS k, " if group else ""
            group_by = f" GROUP BY {group}" if group else ""
            where = " AND ".join(clauses)
            if table in HIST_TABLES:
                sql = (
                    f"SELECT {select_key}bucket, SUM(n) FROM {source} WHERE {where}"  # noqa: S608
                    f" GROUP BY {group + ', ' if group else ''}bucket"
                )
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    for row in cursor.fetchall():
                        key = _key(row[0], by) if group else None
                        bucket, n = (row[1], row[2]) if group else (row[0], row[1])
                        facts = out.setdefault(key, Facts())
                        hist = facts.hists.setdefault(table, {})
                        hist[int(bucket)] = hist.get(int(bucket), 0) + int(n or 0)
                continue
            cols = measures(source)
            aggregates = ", ".join(f"{expr} AS {alias}" for alias, expr in cols.items())
            sql = f"SELECT {select_key}{aggregates} FROM {source} WHERE {where}{group_by}"  # noqa: S608
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                for row in cursor.fetchall():
                    key = _key(row[0], by) if group else None
                    values = row[1:] if group else row
                    facts = out.setdefault(key, Facts())
                    sums = facts.sums.setdefault(table, {})
                    for alias, v in zip(cols, values, strict=True):
                        sums[alias] = sums.get(alias, 0.0) + float(v or 0)
    return out


def tables_for(indicators: Iterable[Indicator]) -> set[str]:
    return {t for i in indicators for t in i.facts}


def needs_previous(indicators: Iterable[Indicator]) -> bool:
    return any(i.id == "ikm_change" for i in indicators)


def evaluate(indicator: Indicator, facts: Facts | None, s: Slice, by: str | None = None) -> Value:
    if not available(indicator, s, by):
        return Value(None, note="tidak tersedia")
    if facts is None:
        facts = Facts()
    return indicator.compute(facts)


@dataclass
class Row:
    """One indicator in one slice, ready for a template or a schema."""

    indicator: Indicator
    value: Value
    met: bool | None
    text: str
    previous: Value | None = None

    @property
    def available(self) -> bool:
        return self.value.note != "tidak tersedia"

    @property
    def target_text(self) -> str:
        return self.indicator.format(self.indicator.target)

    @property
    def trend(self) -> str:
        """ "naik", "turun", "tetap" or "" against the previous period."""
        if self.previous is None or self.previous.value is None or self.value.value is None:
            return ""
        if abs(self.value.value - self.previous.value) < 1e-9:
            return "tetap"
        return "naik" if self.value.value > self.previous.value else "turun"

    @property
    def better(self) -> bool | None:
        if self.trend in ("", "tetap"):
            return None
        up = self.trend == "naik"
        return up if self.indicator.direction == "higher" else not up


def make_row(
    indicator: Indicator, value: Value, previous: Value | None = None, *, public: bool = True
) -> Row:
    """A row for display; public outputs hide values resting on fewer than 5 people."""
    if public and indicator.suppressed(value):
        return Row(indicator, Value(None, note="disembunyikan"), None, SUPPRESSED, None)
    if public and previous is not None and indicator.suppressed(previous):
        previous = None
    return Row(indicator, value, indicator.met(value), indicator.format(value), previous)


def overview(
    s: Slice, indicators: Iterable[Indicator] = INDICATORS, *, public: bool = True
) -> list[Row]:
    """Every indicator for the slice, with the previous period's value for the trend arrow."""
    indicators = list(indicators)
    tables = tables_for(indicators)
    current = load_facts(s, tables)[None]
    before = load_facts(s.previous(), tables)[None]
    current.previous = before
    rows = []
    for indicator in indicators:
        value = evaluate(indicator, current, s)
        prev = evaluate(indicator, before, s.previous()) if indicator.id != "ikm_change" else None
        rows.append(make_row(indicator, value, prev, public=public))
    return rows


def breakdown(
    s: Slice, indicator: Indicator, by: str, *, public: bool = True
) -> list[tuple[Any, Row]]:
    """The indicator per agency/service/kecamatan/regency in the slice (groups with any data)."""
    if not available(indicator, s, by):
        return []
    grouped = load_facts(s, indicator.facts, by)
    previous: dict[Any, Facts] = {}
    if needs_previous([indicator]):
        previous = load_facts(s.previous(), indicator.facts, by)
    rows = []
    for key, facts in grouped.items():
        facts.previous = previous.get(key, Facts()) if previous else None
        value = evaluate(indicator, facts, s, by)
        rows.append((key, make_row(indicator, value, public=public)))
    return rows


def ranking(
    s: Slice, indicator: Indicator, by: str = "agency", *, public: bool = True
) -> list[tuple[Any, Row]]:
    """Groups with a value, best first (ties by key); those without data last."""
    rows = breakdown(s, indicator, by, public=public)
    with_data = [r for r in rows if r[1].value.value is not None]
    without = [r for r in rows if r[1].value.value is None]
    sign = -1 if indicator.direction == "higher" else 1
    with_data.sort(key=lambda r: (sign * (r[1].value.value or 0), str(r[0])))
    return with_data + without


def series(
    s: Slice, indicator: Indicator, by: str = "month", *, public: bool = True
) -> list[tuple[Any, Row]]:
    """The indicator per month (or day) across the slice, every step present (no data = None)."""
    first = s.first
    if indicator.id == "ikm_change":  # one step earlier, for the first step's change
        first = (
            (s.first.replace(day=1) - timedelta(days=1)).replace(day=1)
            if by == "month"
            else s.first - timedelta(days=1)
        )
    wide = replace(s, first=first)
    grouped = load_facts(wide, indicator.facts, by) if available(indicator, s) else {}
    keys = steps(s, by)
    if indicator.id == "ikm_change":
        all_keys = steps(wide, by)
        for prev_key, key in itertools.pairwise(all_keys):
            if key in grouped:
                grouped[key].previous = grouped.get(prev_key, Facts())
            else:
                grouped[key] = Facts(previous=grouped.get(prev_key, Facts()))
    out = []
    for key in keys:
        value = evaluate(indicator, grouped.get(key), s)
        out.append((key, make_row(indicator, value, public=public)))
    return out


def steps(s: Slice, by: str) -> list[Any]:
    if by == "day":
        return [s.first + timedelta(days=i) for i in range(s.days)]
    out = []
    y, m = s.first.year, s.first.month
    while (y, m) <= (s.last.year, s.last.month):
        out.append(f"{y:04d}-{m:02d}")
        m += 1
        if m > 12:
            y, m = y + 1, 1
    return out


# -- names (from the ft_dim_* snapshots) ---------------------------------------------


def region_by_code(code: str) -> FtDimRegion | None:
    return FtDimRegion.objects.filter(code=code).first()


def regions_under(region: FtDimRegion, level: str = "regency") -> list[FtDimRegion]:
    return list(
        FtDimRegion.objects.filter(level=level, code__startswith=region.code + ".").order_by("code")
    )


def regency_ids(region: FtDimRegion) -> tuple[int, ...]:
    if region.level == "regency":
        return (region.id,)
    return tuple(r.id for r in regions_under(region, "regency"))


def names(by: str, keys: Iterable[Any]) -> dict[Any, str]:
    ids = [k for k in keys if isinstance(k, int)]
    if by == "agency":
        return {
            a.id: a.short_name or a.name
            for a in FtDimAgency.objects.filter(id__in=ids).only("id", "name", "short_name")
        }
    if by == "service":
        return dict(FtDimService.objects.filter(id__in=ids).values_list("id", "name"))
    if by in ("district", "region"):
        return dict(FtDimRegion.objects.filter(id__in=ids).values_list("id", "name"))
    return {}


def agencies_of(region_ids: tuple[int, ...]) -> list[FtDimAgency]:
    return list(FtDimAgency.objects.filter(region_id__in=region_ids).order_by("name"))


def services_of(agency_id: int) -> list[FtDimService]:
    return list(FtDimService.objects.filter(agency_id=agency_id).order_by("name"))


def districts_of(regency_id: int) -> list[FtDimRegion]:
    return list(FtDimRegion.objects.filter(parent_id=regency_id, level="district").order_by("code"))


def last_built() -> FtBuild | None:
    return FtBuild.objects.order_by("-built_at").first()


def counter_table(s: Slice) -> list[dict[str, Any]]:
    """Per counter and officer in the slice: tickets, served, utilisation, mean service minutes."""
    from terpadu.cetar.models import FtDimCounter

    clauses, params = _where("ft_counter_day", s)
    sql = (
        "SELECT counter_id, officer_id, SUM(tickets), SUM(served), SUM(busy_seconds), "  # noqa: S608
        f"SUM(span_seconds) FROM ft_counter_day WHERE {' AND '.join(clauses)} "
        "GROUP BY counter_id, officer_id ORDER BY counter_id, officer_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    labels = {
        (kind, ref): label
        for kind, ref, label in FtDimCounter.objects.values_list("kind", "ref_id", "label")
    }
    out = []
    for counter_id, officer_id, tickets, served, busy, span in rows:
        out.append(
            {
                "counter": labels.get(("counter", counter_id), f"Loket #{counter_id}"),
                "officer": labels.get(("officer", officer_id), "—") if officer_id else "—",
                "tickets": int(tickets or 0),
                "served": int(served or 0),
                "utilisation": (float(busy) / float(span) * 100) if span else None,
                "minutes_per_ticket": (float(busy) / 60 / int(tickets)) if tickets else None,
            }
        )
    return out
