"""Writes of the registry: importing extracts as versioned batches, clerical review decisions.

Linkage runs (which write the person index) live in ``person_index.py``.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from terpadu.core.audit import audit_record
from terpadu.core.errors import DomainError, FieldError, field_error
from terpadu.core.models import Region
from terpadu.core.workdays import local_today
from terpadu.registry import bulk, sources
from terpadu.registry import standardise as std
from terpadu.registry.models import (
    Resident,
    ReviewPair,
    SourceBatch,
    SourceRecord,
    SourceType,
)

BULK = 5_000


def gazetteer_for(region: Region) -> std.Gazetteer:
    """The desa/kelurahan and kecamatan of a regency, for matching written names to codes."""
    rows = Region.objects.filter(code__startswith=region.code + ".").values_list(
        "code", "name", "level"
    )
    return std.Gazetteer.from_rows((c, n, str(level)) for c, n, level in rows)


def _next_version(region: Region, source_type: str) -> int:
    last = SourceBatch.objects.filter(region=region, source_type=source_type).aggregate(
        v=Max("version")
    )["v"]
    return int(last or 0) + 1


def _import_errors(extract: sources.Extract) -> list[FieldError]:
    errors = [
        FieldError(
            field=f"baris {e.row}" + (f" · {e.column}" if e.column else ""),
            message=e.message,
            message_en=f"row {e.row}" + (f", column {e.column}" if e.column else "") + ": invalid",
        )
        for e in extract.errors
    ]
    if extract.error_count > len(extract.errors):
        more = extract.error_count - len(extract.errors)
        errors.append(
            field_error("berkas", f"dan {more} kesalahan lain", f"and {more} more errors")
        )
    return errors


@transaction.atomic
def batch_import(
    *,
    region: Region,
    source_type: str,
    content: bytes,
    file_name: str,
    actor: Any = None,
    synthetic: bool = False,
    reference: date | None = None,
) -> SourceBatch:
    """Import one extract as the next version of its source; all rows or none.

    Raises DomainError ``import_invalid`` listing each bad row and column (up
    to 200), ``import_duplicate`` when the same file was imported before, or
    ``source_type_unknown``.
    """
    if source_type not in sources.source_types():
        raise DomainError(
            code="source_type_unknown",
            message=f"Jenis sumber '{source_type}' tidak dikenal.",
            errors=[
                field_error(
                    "source_type",
                    f"Pilih salah satu: {', '.join(sources.source_types())}.",
                    f"Choose one of: {', '.join(sources.source_types())}.",
                )
            ],
        )
    reference = reference or local_today()
    extract = sources.read_extract(
        source_type,
        content,
        file_name=file_name,
        gazetteer=gazetteer_for(region),
        reference=reference,
    )
    if not extract.ok:
        raise DomainError(
            code="import_invalid",
            message=(
                f"{extract.error_count} kesalahan di {file_name}; tidak ada baris yang disimpan."
            ),
            errors=_import_errors(extract),
        )
    earlier = SourceBatch.objects.filter(
        region=region, source_type=source_type, file_sha256=extract.sha256
    ).first()
    if earlier is not None:
        raise DomainError(
            code="import_duplicate",
            message=f"Berkas ini sudah diimpor sebagai versi {earlier.version}.",
            errors=[
                field_error(
                    "file",
                    f"Sama persis dengan versi {earlier.version}.",
                    f"Identical to version {earlier.version}.",
                )
            ],
        )
    batch = SourceBatch.objects.create(
        region=region,
        source_type=source_type,
        version=_next_version(region, source_type),
        file_name=file_name[:200],
        file_sha256=extract.sha256,
        row_count=len(extract.records),
        imported_at=timezone.now(),
        imported_by=actor if getattr(actor, "pk", None) else None,
        synthetic=synthetic,
    )
    _write_records(batch, extract.records)
    warnings = sum(1 for r in extract.records if r.warnings)
    audit_record(
        actor=actor,
        action="registry.batch_import",
        record=batch,
        summary={
            "source_type": source_type,
            "version": batch.version,
            "rows": batch.row_count,
            "rows_with_warnings": warnings,
            "file": file_name[:200],
        },
    )
    return batch


RECORD_COLUMNS = (
    "batch_id",
    "region_id",
    "source_type",
    "row_number",
    "external_id",
    "resident_id",
    "village_id",
    "district_code",
    "nik",
    "kk",
    "name",
    "name_std",
    "name_key",
    "sex",
    "birth_date",
    "birth_year",
    "birth_place",
    "mother_name",
    "mother_key",
    "spouse_key",
    "address",
    "rt",
    "rw",
    "data",
    "truth",
)


def _write_records(batch: SourceBatch, records: list[sources.StandardRecord]) -> None:
    villages = dict(
        Region.objects.filter(
            code__in={r.village_code for r in records if r.village_code}
        ).values_list("code", "pk")
    )
    residents: dict[str, int] = {}
    if batch.source_type == SourceType.POPULATION:
        niks = [r.nik for r in records if r.nik]
        for start in range(0, len(niks), BULK):
            residents.update(
                Resident.objects.filter(
                    region=batch.region, nik__in=niks[start : start + BULK]
                ).values_list("nik", "pk")
            )
    rows = []
    for r in records:
        data = dict(r.data)
        if r.warnings:
            data["warnings"] = r.warnings
        rows.append(
            (
                batch.pk,
                batch.region_id,
                batch.source_type,
                r.row_number,
                r.external_id,
                residents.get(r.nik),
                villages.get(r.village_code),
                r.district_code,
                r.nik,
                r.kk,
                r.name,
                r.name_std,
                r.name_key,
                r.sex,
                r.birth_date,
                r.birth_year,
                r.birth_place,
                r.mother_name,
                r.mother_key,
                r.spouse_key,
                r.address,
                r.rt,
                r.rw,
                json.dumps(data, ensure_ascii=False),
                r.truth,
            )
        )
    bulk.insert_rows(SourceRecord, RECORD_COLUMNS, rows)


@transaction.atomic
def batch_from_register(
    *, region: Region, actor: Any = None, synthetic: bool = False
) -> SourceBatch:
    """The population register already in the database (``Resident``) as a population batch.

    ``synthetic`` (the demo): each record's truth is its own NIK.
    """
    residents = Resident.objects.filter(region=region)
    count = residents.count()
    last_id = residents.aggregate(m=Max("id"))["m"] or 0
    digest = hashlib.sha256(f"register:{region.code}:{count}:{last_id}".encode()).hexdigest()
    batch = SourceBatch.objects.create(
        region=region,
        source_type=SourceType.POPULATION,
        version=_next_version(region, SourceType.POPULATION),
        file_name="register:residents",
        file_sha256=digest,
        row_count=count,
        imported_at=timezone.now(),
        imported_by=actor if getattr(actor, "pk", None) else None,
        synthetic=synthetic,
    )
    rows: list[tuple[Any, ...]] = []
    names = residents.order_by("id")
    fields = (
        "pk",
        "nik",
        "name",
        "sex",
        "birth_date",
        "birth_place",
        "mother_name",
        "village_id",
        "village__parent__code",
        "household__kk_number",
        "household__address",
        "household__rt",
        "household__rw",
    )
    for i, res in enumerate(bulk.read_rows(names, fields), start=2):
        pk, nik, name, sex, born, place, mother, village_id, district, kk, address, rt, rw = res
        rows.append(
            (
                batch.pk,
                region.pk,
                SourceType.POPULATION,
                i,
                "",
                pk,
                village_id,
                district or "",
                nik,
                kk,
                name,
                std.standardise_name(name),
                std.name_key(name),
                sex,
                born,
                born.year,
                place,
                mother,
                std.name_key(mother),
                "",
                address,
                rt,
                rw,
                "{}",
                nik if synthetic else "",
            )
        )
    bulk.insert_rows(SourceRecord, RECORD_COLUMNS, rows)
    audit_record(
        actor=actor,
        action="registry.batch_import",
        record=batch,
        summary={"source_type": "population", "version": batch.version, "rows": count},
    )
    return batch


REVIEW_DECISIONS = (
    ReviewPair.Status.ACCEPTED,
    ReviewPair.Status.REJECTED,
    ReviewPair.Status.UNSURE,
)


@transaction.atomic
def review_decide(*, pair: ReviewPair, actor: Any, decision: str, note: str = "") -> ReviewPair:
    """A data officer's answer for one pair; later linkage runs respect it.

    ``accepted``: the two records are one person (always linked);
    ``rejected``: two people (never linked); ``unsure``: stays out of the
    auto-link and is not asked again until someone decides.
    """
    if decision not in REVIEW_DECISIONS:
        raise DomainError(
            code="review_decision_invalid",
            message="Keputusan tidak dikenal.",
            errors=[
                field_error(
                    "decision",
                    "Pilih: orang yang sama, orang berbeda, atau belum yakin.",
                    "Choose: same person, different people, or unsure.",
                )
            ],
        )
    note = " ".join(note.split())[:300]
    locked = ReviewPair.objects.select_for_update().get(pk=pair.pk)
    before = locked.status
    locked.status = decision
    locked.note = note
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "note", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action="registry.review_decide",
        record=locked,
        summary={
            "status": [before, decision],
            "record_l": locked.record_l_id,
            "record_r": locked.record_r_id,
            "match_probability": round(locked.match_probability, 4),
        },
    )
    return locked
