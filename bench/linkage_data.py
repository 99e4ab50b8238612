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
from terpadu.registry import sources  # noqa: E402
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


def standardise(tables: dict[str, Any], gaz: std.Gazetteer, *, ordered: bool = False) -> Any:
    """The engine's Arrow table from the extracts' Arrow tables (by source type), set-based.

    The registry's bulk path (``sources.engine_table``: names, dates, NIK facts and
    desa codes standardised once per distinct value in DuckDB). Row ids follow the
    source types in sorted order; ``ordered`` sorts the rows by id.
    """
    table = sources.engine_table(
        [(source_type, tables[source_type]) for source_type in sorted(tables)],
        gazetteer=gaz,
        reference=REFERENCE_DATE,
    )
    return table.sort_by("unique_id") if ordered else table


def today() -> date:
    return REFERENCE_DATE
