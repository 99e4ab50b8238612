"""Demo step: the agency extracts of the demo population (with known truth), linked once.

The population register becomes a batch straight from the ``Resident`` table;
the school, maternal and welfare extracts are written as CSV files, imported
through the same path an officer uses (mapping, validation, standardisation),
and one full linkage run builds the person index with the packaged model
(trained once on synthetic data; ``terpadu registry train`` retrains on real data).
"""

from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from typing import Any

from django.db import connection, transaction

from terpadu.core.models import Region
from terpadu.demo.build import StepContext, register_step
from terpadu.demo.population import REFERENCE_DATE
from terpadu.registry import bulk, person_index, services
from terpadu.registry.models import (
    LinkageRun,
    Person,
    PersonLink,
    RecordAccess,
    Resident,
    ReviewPair,
    SourceBatch,
    SourceRecord,
)
from terpadu.registry.synthetic import TruePerson, dirty_extracts

AGENCY_SOURCES = ("school", "maternal", "welfare")


def true_people(region: Region) -> Iterator[TruePerson]:
    """The register's residents as :class:`TruePerson` (husbands' names from the KK head).

    Read as tuples (no model instances): at the whole regency this is 1.8 M rows.
    """
    villages = {
        pk: (code, name, parent or "")
        for pk, code, name, parent in Region.objects.filter(
            code__startswith=region.code + "."
        ).values_list("pk", "code", "name", "parent__name")
    }
    heads: dict[int, str] = dict(
        Resident.objects.filter(
            region=region, relationship=Resident.Relationship.HEAD, sex="L"
        ).values_list("household_id", "name")
    )
    rows = bulk.read_rows(
        Resident.objects.filter(region=region).order_by("household_id", "id"),
        (
            "nik",
            "household__kk_number",
            "name",
            "sex",
            "birth_date",
            "birth_place",
            "village_id",
            "household__address",
            "household__rt",
            "household__rw",
            "mother_name",
            "relationship",
            "household_id",
        ),
    )
    spouse = Resident.Relationship.SPOUSE
    for (
        nik,
        kk,
        name,
        sex,
        born,
        place,
        village_id,
        address,
        rt,
        rw,
        mother,
        rel,
        hh,
    ) in rows:
        if village_id not in villages:  # a desa outside the regency's code range
            village = Region.objects.select_related("parent").get(pk=village_id)
            parent_name = village.parent.name if village.parent else ""
            villages[village_id] = (village.code, village.name, parent_name)
        code, village_name, district_name = villages[village_id]
        yield TruePerson(
            nik=nik,
            kk=kk,
            name=name,
            sex=sex,
            birth_date=born,
            birth_place=place,
            village_code=code,
            village_name=village_name,
            district_name=district_name,
            address=address,
            rt=rt,
            rw=rw,
            mother_name=mother,
            relationship=rel,
            household=hh,
            husband_name=heads.get(hh, "") if rel == spouse else "",
        )


def extract_files(region: Region, *, seed: int) -> dict[str, bytes]:
    """CSV files (UTF-8, comma) of the three agency extracts."""
    rows: dict[str, list[dict[str, str]]] = {s: [] for s in AGENCY_SOURCES}
    for source_type, row in dirty_extracts(
        true_people(region), seed=seed, reference=REFERENCE_DATE, include_population=False
    ):
        rows[source_type].append(row)
    files: dict[str, bytes] = {}
    for source_type, items in rows.items():
        if not items:
            continue
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(items[0]))
        writer.writeheader()
        writer.writerows(items)
        files[source_type] = out.getvalue().encode("utf-8")
    return files


def clear_registry_demo(ctx: StepContext) -> None:
    """Remove the regency's batches, person index, review queue and runs (one SQL delete each)."""
    region = ctx.regency
    q = connection.ops.quote_name

    def table(model: Any) -> str:
        return q(model._meta.db_table)

    person_ids = f"SELECT id FROM {table(Person)} WHERE region_id = %s"  # noqa: S608
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in (
            f"DELETE FROM {table(PersonLink)} WHERE person_id IN ({person_ids})",  # noqa: S608
            f"DELETE FROM {table(ReviewPair)} WHERE region_id = %s",  # noqa: S608
            f"DELETE FROM {table(RecordAccess)} WHERE person_id IN ({person_ids})",  # noqa: S608
            f"UPDATE {table(SourceBatch)} SET linked_run_id = NULL WHERE region_id = %s",  # noqa: S608
            f"DELETE FROM {table(Person)} WHERE region_id = %s",  # noqa: S608
            f"DELETE FROM {table(SourceRecord)} WHERE region_id = %s",  # noqa: S608
            f"DELETE FROM {table(SourceBatch)} WHERE region_id = %s",  # noqa: S608
            f"DELETE FROM {table(LinkageRun)} WHERE region_id = %s",  # noqa: S608
        ):
            cursor.execute(sql, [region.pk])


def build_registry_demo(ctx: StepContext) -> dict[str, Any]:
    region = ctx.regency
    clear_registry_demo(ctx)
    seconds: dict[str, float] = {}
    t = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal t
        now = time.perf_counter()
        seconds[name] = round(now - t, 2)
        t = now

    ctx.progress("registry: register batch")
    batches = {"population": services.batch_from_register(region=region, synthetic=True).row_count}
    lap("register_batch")
    ctx.progress("registry: agency extracts")
    files = extract_files(region, seed=ctx.seed + 7)
    lap("extract_files")
    for source_type, content in files.items():
        batch = services.batch_import(
            region=region,
            source_type=source_type,
            content=content,
            file_name=f"demo-{source_type}.csv",
            synthetic=True,
            reference=REFERENCE_DATE,
        )
        batches[source_type] = batch.row_count
    lap("import")
    ctx.progress("registry: linkage run")
    run = person_index.linkage_run(region=region)
    lap("linkage_run")
    scores = person_index.evaluate(region=region)
    lap("evaluate")
    return {
        "records": batches,
        "persons": run.figures.get("persons"),
        "review_queued": run.figures.get("review_queued"),
        "precision": scores["precision"],
        "recall": scores["recall"],
        "linkage_seconds": run.figures.get("seconds", {}).get("total"),
        "seconds": seconds,
        "linkage_step_seconds": run.figures.get("seconds", {}),
    }


register_step("registry", build_registry_demo, clear=clear_registry_demo)
