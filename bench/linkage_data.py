"""Shared by bench/linkage.py: synthetic Indonesian records with known truth, standardised.

Uses the demo's population generator (no database) and the registry's dirty
extract generator and standardisation, exactly as the import path does.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "terpadu.settings")

import django

django.setup()

from terpadu.demo.population import REFERENCE_DATE, PopulationGenerator, village_specs  # noqa: E402
from terpadu.demo.regions import read_region_rows  # noqa: E402
from terpadu.registry import linkage, sources  # noqa: E402
from terpadu.registry import standardise as std  # noqa: E402
from terpadu.registry.synthetic import dirty_extracts, people_from_chunks  # noqa: E402

#: Records per person across the four extracts with the default dirt rates (measured).
RECORDS_PER_PERSON = 1.62


@dataclass
class _Village:
    pk: int
    code: str
    name: str
    is_kelurahan: bool


def gazetteer() -> std.Gazetteer:
    rows = read_region_rows()
    return std.Gazetteer.from_rows((r.code, r.name, str(r.level)) for r in rows)


def generate(records: int, *, seed: int = 2017) -> tuple[dict[str, list[dict[str, str]]], float]:
    """Raw extract rows by source type for about ``records`` records; and the seconds taken."""
    t = time.perf_counter()
    rows = read_region_rows()
    villages = [
        _Village(pk=i + 1, code=r.code, name=r.name, is_kelurahan=r.is_kelurahan)
        for i, r in enumerate(x for x in rows if str(x.level) == "village")
    ]
    districts = {r.code: r.name for r in rows if str(r.level) == "district"}
    specs = village_specs(villages)  # type: ignore[arg-type]
    lookup = {v.pk: (v.code, v.name, districts[v.code.rsplit(".", 1)[0]]) for v in villages}
    generator = PopulationGenerator(seed=seed, regency_id=1, villages=specs)
    people = round(records / RECORDS_PER_PERSON)
    by_source: dict[str, list[dict[str, str]]] = {s: [] for s in sources.source_types()}
    truth_people = people_from_chunks(generator.chunks(people), lookup)
    for source_type, row in dirty_extracts(truth_people, seed=seed + 1, reference=REFERENCE_DATE):
        by_source[source_type].append(row)
    return by_source, time.perf_counter() - t


def standardise(
    by_source: dict[str, list[dict[str, str]]], gaz: std.Gazetteer
) -> tuple[list[linkage.EngineRecord], float]:
    """Engine records through the same mapping and standardisation as an import."""
    t = time.perf_counter()
    out: list[linkage.EngineRecord] = []
    uid = 0
    region_cache: dict[tuple[str, str], tuple[str | None, str | None]] = {}
    for source_type, rows in by_source.items():
        spec = sources.load_spec(source_type)
        for row in rows:
            values = _values(spec, row)
            key = (values.get("desa") or "", values.get("kecamatan") or "")
            if key not in region_cache:
                region_cache[key] = std.match_region(key[0], key[1], gaz)
            rec = sources.build_record(
                values, 0, spec, gaz, REFERENCE_DATE, region=region_cache[key]
            )
            uid += 1
            out.append(
                linkage.EngineRecord(
                    unique_id=uid,
                    source=source_type,
                    name_key=rec.name_key,
                    nik=rec.nik,
                    kk=rec.kk,
                    sex=rec.sex,
                    birth_date=rec.birth_date,
                    birth_year=rec.birth_year,
                    village=rec.village_code,
                    district=rec.district_code,
                    mother_key=rec.mother_key,
                    spouse_key=rec.spouse_key,
                    truth=rec.truth,
                )
            )
    return out, time.perf_counter() - t


def _values(spec: sources.SourceSpec, row: dict[str, str]) -> dict[str, Any]:
    """What read_extract would produce for this row (same parsers, no file)."""
    values: dict[str, Any] = {}
    for column in spec.columns:
        raw = next((row[n] for n in column.names if n in row), None)
        if raw is None:
            continue
        if column.type in ("nik", "kk", "digits"):
            values[column.field] = raw
        elif column.type == "sex":
            values[column.field] = std.parse_sex(raw)
        elif column.type == "date":
            parsed = std.parse_date(raw, reference=REFERENCE_DATE)
            values[column.field] = parsed if parsed.ok else None
        elif column.type == "number":
            values[column.field] = int(raw) if raw else None
        else:
            values[column.field] = raw
    return values


def today() -> date:
    return REFERENCE_DATE
