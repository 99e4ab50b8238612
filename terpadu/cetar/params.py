"""The dashboard's filters from the query string: region, period, agency, service, kecamatan.

Everything is looked up in the ``ft_dim_*`` snapshots, so a page never reads a
transactional table. Unknown values fall back to the default and say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest

from terpadu.cetar.models import FtDimAgency, FtDimRegion, FtDimService
from terpadu.cetar.selectors import Slice, regency_ids
from terpadu.core.errors import DomainError, FieldError, field_error
from terpadu.core.workdays import MONTH_NAMES, local_today
from terpadu.surveys.periods import parse_period

DEFAULT_PERIOD = "12b"
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    key: str
    first: date
    last: date
    label: str
    step: str  # "month" | "day"


def month_label(key: str) -> str:
    year, month = int(key[:4]), int(key[5:7])
    return f"{MONTH_NAMES[month - 1][:3]} {year}"


def parse(key: str, today: date) -> Period | None:
    key = (key or "").strip().upper().replace("B", "b")
    if key == DEFAULT_PERIOD:
        first = date(today.year - (1 if today.month < 12 else 0), today.month % 12 + 1, 1)
        return Period(key, first, today, "12 bulan terakhir", "month")
    match = _MONTH.match(key)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            return None
        first = date(year, month, 1)
        nxt = date(year + (month == 12), month % 12 + 1, 1)
        return Period(
            key, first, nxt - timedelta(days=1), f"{MONTH_NAMES[month - 1]} {year}", "day"
        )
    period = parse_period(key)
    if period is None:
        return None
    return Period(period.key, period.start, period.end, period.label, "month")


def choices(today: date) -> list[tuple[str, str]]:
    """The period options of the filter: last 12 months, recent months, quarters and years."""
    out = [(DEFAULT_PERIOD, "12 bulan terakhir")]
    y, m = today.year, today.month
    for _ in range(6):
        out.append((f"{y:04d}-{m:02d}", f"{MONTH_NAMES[m - 1]} {y}"))
        m -= 1
        if m == 0:
            y, m = y - 1, 12
    for year in (today.year, today.year - 1):
        for q in range(4, 0, -1):
            start = date(year, 3 * q - 2, 1)
            if start <= today:
                p = parse(f"{year}-Q{q}", today)
                assert p is not None
                out.append((p.key, p.label))
    for year in (today.year, today.year - 1):
        out.append((str(year), f"Tahun {year}"))
    return out


@dataclass
class Params:
    region: FtDimRegion
    regencies: tuple[int, ...]
    period: Period
    agency: FtDimAgency | None = None
    service: FtDimService | None = None
    district: FtDimRegion | None = None
    notes: list[str] = field(default_factory=list)

    def slice(self) -> Slice:
        return Slice(
            self.period.first,
            self.period.last,
            region_ids=self.regencies,
            agency_id=self.agency.id if self.agency else None,
            service_id=self.service.id if self.service else None,
            district_id=self.district.id if self.district else None,
        )

    def query(self, **changes: object) -> str:
        """This page's filters as a query string, with ``changes`` (None removes a key)."""
        values: dict[str, object] = {
            "wilayah": self.region.code,
            "periode": self.period.key,
            "instansi": self.agency.id if self.agency else None,
            "layanan": self.service.id if self.service else None,
            "kecamatan": self.district.id if self.district else None,
        }
        values.update(changes)
        if values.get("wilayah") == settings.TERPADU_HOME_REGION:
            values.pop("wilayah")
        if values.get("periode") == DEFAULT_PERIOD:
            values.pop("periode")
        return urlencode({k: v for k, v in values.items() if v not in (None, "")})

    @property
    def scope_label(self) -> str:
        parts = [self.region.name]
        if self.agency:
            parts.append(self.agency.short_name or self.agency.name)
        if self.service:
            parts.append(self.service.name)
        if self.district:
            parts.append(f"Kec. {self.district.name}")
        return " › ".join(parts)


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def from_request(request: HttpRequest, *, allow_province: bool = False) -> Params:
    get = request.GET
    return from_values(
        region=get.get("wilayah"),
        period=get.get("periode"),
        agency=_int(get.get("instansi")),
        service=_int(get.get("layanan")),
        district=_int(get.get("kecamatan")),
        allow_province=allow_province,
    )


def from_values(
    *,
    region: str | None = None,
    period: str | None = None,
    agency: int | None = None,
    service: int | None = None,
    district: int | None = None,
    allow_province: bool = False,
    strict: bool = False,
) -> Params:
    """Filters from plain values; unknown ones fall back (pages) or raise (``strict``, the API)."""
    today = local_today()
    notes: list[str] = []
    errors: list[FieldError] = []

    def problem(name: str, id_msg: str, en_msg: str) -> None:
        notes.append(id_msg)
        errors.append(field_error(name, id_msg, en_msg))

    code = (region or settings.TERPADU_HOME_REGION)[:13]
    found = FtDimRegion.objects.filter(code=code).first()
    if found is None or found.level not in ("regency", "province"):
        found = FtDimRegion.objects.filter(code=settings.TERPADU_HOME_REGION).first()
        if code != settings.TERPADU_HOME_REGION:
            problem(
                "region", "Wilayah tidak dikenal; ditampilkan wilayah bawaan.", "Unknown region."
            )
    if found is None:
        raise Http404("belum ada fakta CETAR")
    if found.level == "province" and not allow_province:
        found = FtDimRegion.objects.filter(code=settings.TERPADU_HOME_REGION).first() or found
    chosen = parse(period or DEFAULT_PERIOD, today)
    if chosen is None:
        problem(
            "period",
            "Periode tidak dikenal; ditampilkan 12 bulan terakhir.",
            "Unknown period: use 12b, YYYY, YYYY-Sn, YYYY-Qn or YYYY-MM.",
        )
        chosen = parse(DEFAULT_PERIOD, today)
        assert chosen is not None
    ids = regency_ids(found)
    params = Params(found, ids, chosen, notes=notes)
    if agency is not None:
        params.agency = FtDimAgency.objects.filter(id=agency, region_id__in=ids).first()
        if params.agency is None:
            problem("agency", "Instansi tidak dikenal di wilayah ini.", "Unknown agency here.")
    if service is not None and params.agency is not None:
        params.service = FtDimService.objects.filter(id=service, agency_id=params.agency.id).first()
        if params.service is None:
            problem("service", "Layanan tidak dikenal untuk instansi ini.", "Unknown service.")
    elif service is not None:
        problem("service", "Pilih instansi lebih dulu.", "Choose the agency first.")
    if district is not None:
        params.district = FtDimRegion.objects.filter(
            id=district, level="district", parent_id__in=ids
        ).first()
        if params.district is None:
            problem("district", "Kecamatan tidak dikenal di wilayah ini.", "Unknown kecamatan.")
    if strict and errors:
        raise DomainError(code="invalid", message=errors[0].message, errors=errors)
    return params
