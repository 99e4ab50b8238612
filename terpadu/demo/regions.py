"""Kabupaten Banyuwangi's regions (Kemendagri codes) and its office calendars.

The codes come from ``data/banyuwangi-wilayah.csv`` (Kepmendagri No
300.2.2-2138 Tahun 2025 via the MIT-licensed ``cahyadsn/wilayah`` data; see
``data/README.md``). ``load_regions()`` and ``load_calendars()`` are idempotent:
running them again changes nothing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from terpadu.core.models import Region, WorkCalendar

DATA_DIR = Path(__file__).resolve().parent / "data"
REGIONS_CSV = DATA_DIR / "banyuwangi-wilayah.csv"
REGENCY_CODE = "35.10"
DEFAULT_CALENDAR_NAME = "Kalender Pemkab Banyuwangi"
MPP_CALENDAR_NAME = "MPP Banyuwangi"

_LEVELS = {
    "provinsi": Region.Level.PROVINCE,
    "kabupaten": Region.Level.REGENCY,
    "kota": Region.Level.REGENCY,
    "kecamatan": Region.Level.DISTRICT,
    "desa_kelurahan": Region.Level.VILLAGE,
}


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    level: str

    @property
    def parent_code(self) -> str | None:
        return self.code.rsplit(".", 1)[0] if "." in self.code else None

    @property
    def is_kelurahan(self) -> bool:
        # Kemendagri: village codes 1xxx are kelurahan, 2xxx are desa.
        return self.level == Region.Level.VILLAGE and self.code.rsplit(".", 1)[1].startswith("1")


def read_region_rows(path: Path = REGIONS_CSV) -> list[RegionRow]:
    """The CSV rows, parents before children (sorted by code depth, then code)."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [
            RegionRow(
                code=r["kode"].strip(), name=r["nama"].strip(), level=_LEVELS[r["tingkat"].strip()]
            )
            for r in csv.DictReader(handle)
        ]
    rows.sort(key=lambda r: (r.code.count("."), r.code))
    return rows


@transaction.atomic
def load_regions(path: Path = REGIONS_CSV) -> dict[str, int]:
    """Create or update the province, the regency, its districts and villages.

    Returns ``{"created": n, "updated": m, "total": t}``.
    """
    rows = read_region_rows(path)
    existing = {r.code: r for r in Region.objects.filter(code__in=[row.code for row in rows])}
    created = updated = 0
    for row in rows:
        parent = existing.get(row.parent_code) if row.parent_code else None
        region = existing.get(row.code)
        if region is None:
            region = Region.objects.create(
                code=row.code,
                name=row.name,
                level=row.level,
                parent=parent,
                is_kelurahan=row.is_kelurahan,
            )
            existing[row.code] = region
            created += 1
            continue
        changed = []
        for attr, value in (
            ("name", row.name),
            ("level", row.level),
            ("is_kelurahan", row.is_kelurahan),
        ):
            if getattr(region, attr) != value:
                setattr(region, attr, value)
                changed.append(attr)
        if region.parent_id != (parent.pk if parent else None):
            region.parent = parent
            changed.append("parent")
        if changed:
            region.save(update_fields=changed)
            updated += 1
    return {"created": created, "updated": updated, "total": len(rows)}


@transaction.atomic
def load_calendars(regency_code: str = REGENCY_CODE) -> dict[str, WorkCalendar]:
    """The regency's default office calendar (Mon–Fri) and the MPP's (Mon–Sat)."""
    regency = Region.objects.get(code=regency_code)
    default = WorkCalendar.objects.filter(region=regency, is_region_default=True).first()
    if default is None:
        default, _ = WorkCalendar.objects.get_or_create(
            region=regency,
            name=DEFAULT_CALENDAR_NAME,
            defaults={
                "saturday_open": False,
                "cuti_bersama_open": False,
                "is_region_default": True,
            },
        )
        if not default.is_region_default:
            default.is_region_default = True
            default.save(update_fields=["is_region_default"])
    mpp, _ = WorkCalendar.objects.get_or_create(
        region=regency,
        name=MPP_CALENDAR_NAME,
        defaults={"saturday_open": True, "cuti_bersama_open": False, "is_region_default": False},
    )
    if not mpp.saturday_open:
        mpp.saturday_open = True
        mpp.save(update_fields=["saturday_open"])
    return {"default": default, "mpp": mpp}


def villages(regency_code: str = REGENCY_CODE) -> list[Region]:
    """The regency's desa/kelurahan, ordered by code, with their district loaded."""
    return list(
        Region.objects.filter(level=Region.Level.VILLAGE, code__startswith=regency_code + ".")
        .select_related("parent")
        .order_by("code")
    )
