"""Linkage runs: from source records to the person index (Person, PersonLink, ReviewPair).

``linkage_run(region=…, incremental=False)`` links every record of the
regency again (person ids are kept where a cluster still holds most of a
person's records); ``incremental=True`` links only the batches not linked
yet, attaching them to existing persons without retraining or touching
existing links. Clerical decisions are always respected: an accepted pair is
one person, a rejected pair never is.

Splink and DuckDB are imported only when a run starts (see linkage.py).
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from terpadu.core.audit import audit_record
from terpadu.core.dbstats import refresh_statistics
from terpadu.core.errors import DomainError, field_error
from terpadu.core.models import Region
from terpadu.registry import bulk, linkage
from terpadu.registry.models import (
    LinkageRun,
    Person,
    PersonLink,
    ReviewPair,
    SourceBatch,
    SourceRecord,
    SourceType,
)

BULK = 5_000
PERSON_COLUMNS = (
    "id",
    "region_id",
    "village_id",
    "nik",
    "name",
    "sex",
    "birth_date",
    "created_run_id",
    "updated_at",
)
LINK_COLUMNS = ("person_id", "record_id", "match_probability", "method", "run_id")
_RECORD_FIELDS = (
    "pk",
    "source_type",
    "name_key",
    "nik",
    "kk",
    "sex",
    "birth_date",
    "birth_year",
    "village__code",
    "district_code",
    "mother_key",
    "spouse_key",
    "truth",
)


def model_path() -> Path:
    """Where the trained model lives: ``var/registry/linkage-model.json``."""
    return Path(settings.VAR_DIR) / "registry" / "linkage-model.json"


def current_model() -> tuple[dict[str, Any], str]:
    """The saved model (var/) or, before any training here, the packaged one."""
    path = model_path()
    if path.exists():
        return linkage.load_model(path), str(path)
    return linkage.load_model(), "packaged"


def thresholds() -> linkage.Thresholds:
    custom = getattr(settings, "TERPADU_LINKAGE_THRESHOLDS", None)
    return linkage.Thresholds(*custom) if custom else linkage.Thresholds()


def _engine_records(qs: Any, person_of: dict[int, int] | None = None) -> list[linkage.EngineRecord]:
    out = []
    for row in bulk.read_rows(qs, _RECORD_FIELDS):
        pk, source, key, nik, kk, sex, born, year, village, district, mother, spouse, truth = row
        out.append(
            linkage.EngineRecord(
                unique_id=pk,
                source=source,
                name_key=key,
                nik=nik,
                kk=kk,
                sex=sex,
                birth_date=born,
                birth_year=year,
                village=village or "",
                district=district,
                mother_key=mother,
                spouse_key=spouse,
                person_id=person_of.get(pk) if person_of else None,
                truth=truth,
            )
        )
    return out


def _decisions(
    region: Region,
) -> tuple[list[tuple[int, int]], list[tuple[int, int]], set[tuple[int, int]]]:
    must, cannot, decided = [], [], set()
    for a, b, status in (
        ReviewPair.objects.filter(region=region)
        .exclude(status=ReviewPair.Status.PENDING)
        .values_list("record_l_id", "record_r_id", "status")
    ):
        decided.add((a, b))
        if status == ReviewPair.Status.ACCEPTED:
            must.append((a, b))
        elif status == ReviewPair.Status.REJECTED:
            cannot.append((a, b))
    return must, cannot, decided


def train(
    *, region: Region, actor: Any = None, sample_records: int = 150_000, backend: str = "duckdb"
) -> dict[str, Any]:
    """Train the model on this regency's records (a sample of desa) and save it under var/."""
    records = _engine_records(SourceRecord.objects.filter(region=region))
    if len(records) < 1_000:
        raise DomainError(
            code="linkage_too_few_records",
            message="Terlalu sedikit data untuk melatih model (minimal 1.000 baris).",
            errors=[field_error("records", "Impor data dulu.", "Import data first.")],
        )
    session = linkage.Session(backend=backend)
    try:
        table = linkage.to_arrow(linkage.engine_columns(records))
        model, report = linkage.train_model(table, session=session, sample_records=sample_records)
    finally:
        session.close()
    path = linkage.save_model(model, model_path())
    audit_record(
        actor=actor,
        action="registry.model_train",
        record_type="registry.linkagemodel",
        record_id=linkage.model_sha256(model)[:16],
        region_code=region.code,
        summary={
            "records": report.total_records,
            "sample": report.sample_records,
            "path": str(path),
        },
    )
    return {
        "path": str(path),
        "sha256": linkage.model_sha256(model),
        "seconds": report.seconds,
        "sample_records": report.sample_records,
        "records": report.total_records,
        "steps": report.steps,
    }


def linkage_run(
    *,
    region: Region,
    actor: Any = None,
    incremental: bool = False,
    backend: str = "duckdb",
    threads: int = 2,
) -> LinkageRun:
    """Link the regency's records into the person index and queue uncertain pairs for review.

    Refused (``linkage_running``) while another run of the regency started in the
    last two hours has not finished: two runs would rewrite the same persons.
    """
    recent = timezone.now() - timedelta(hours=2)
    if LinkageRun.objects.filter(
        region=region, status=LinkageRun.Status.RUNNING, started_at__gte=recent
    ).exists():
        raise DomainError(
            code="linkage_running",
            message="Penautan lain untuk wilayah ini sedang berjalan.",
            errors=[
                field_error(
                    "region",
                    "Tunggu sampai penautan sebelumnya selesai.",
                    "Wait for the running linkage to finish.",
                )
            ],
            status=409,
        )
    model, model_source = current_model()
    limits = thresholds()
    run = LinkageRun.objects.create(
        region=region,
        mode=LinkageRun.Mode.INCREMENTAL if incremental else LinkageRun.Mode.FULL,
        backend=backend,
        started_at=timezone.now(),
        started_by=actor if getattr(actor, "pk", None) else None,
        model_sha256=linkage.model_sha256(model),
        upper_threshold=limits.auto_link,
        lower_threshold=limits.review,
    )
    try:
        figures = (_incremental if incremental else _full)(
            run, region, model, limits, backend=backend, threads=threads
        )
    except Exception:
        LinkageRun.objects.filter(pk=run.pk).update(
            status=LinkageRun.Status.FAILED, finished_at=timezone.now()
        )
        raise
    figures["model"] = model_source
    with transaction.atomic():
        run.status = LinkageRun.Status.DONE
        run.finished_at = timezone.now()
        run.figures = figures
        run.save(update_fields=["status", "finished_at", "figures"])
        audit_record(actor=actor, action="registry.linkage_run", record=run, summary=figures)
    # The person index was rewritten: the cohort queries of outreach join through it.
    refresh_statistics(Person, PersonLink, SourceRecord)
    return run


def _full(
    run: LinkageRun,
    region: Region,
    model: dict[str, Any],
    limits: linkage.Thresholds,
    *,
    backend: str,
    threads: int,
) -> dict[str, Any]:
    t0 = time.perf_counter()
    records = _engine_records(SourceRecord.objects.filter(region=region))
    seconds: dict[str, float] = {"load": round(time.perf_counter() - t0, 2)}
    if not records:
        return {"records": 0, "persons": 0, "seconds": seconds}
    session = linkage.Session(backend=backend, threads=threads)
    try:
        table = linkage.to_arrow(linkage.engine_columns(records))
        scored = linkage.predict(
            table, model, session=session, threshold=limits.review, count_candidates=False
        )
        pairs = linkage.fetch_pairs(session, scored)
        seconds.update({f"splink_{k}": v for k, v in scored.seconds.items()})
    finally:
        session.close()
    t = time.perf_counter()
    must, cannot, decided = _decisions(region)
    register = [r.unique_id for r in records if r.source == SourceType.POPULATION]
    clusters = linkage.cluster(
        [r.unique_id for r in records],
        pairs,
        auto_link=limits.auto_link,
        exclusive=register,
        must_link=must,
        cannot_link=cannot,
    )
    seconds["cluster"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    with transaction.atomic():
        persons = _write_full(run, region, records, clusters, pairs, limits)
        queued = _queue_reviews(run, region, pairs, clusters.root, limits, decided)
        SourceBatch.objects.filter(region=region, linked_run__isnull=True).update(linked_run=run)
    seconds["write"] = round(time.perf_counter() - t, 2)
    seconds["total"] = round(time.perf_counter() - t0, 2)
    return {
        "records": len(records),
        "persons": persons,
        "pairs_scored": len(pairs),
        "auto_links": sum(1 for _, _, p in pairs if p >= limits.auto_link),
        "review_queued": queued,
        "refused_by_constraints": clusters.refused,
        "seconds": seconds,
    }


def _method(record: linkage.EngineRecord, clusters: linkage.Clusters, nik_links: set[int]) -> str:
    if record.unique_id in clusters.method:
        return clusters.method[record.unique_id]
    if record.source == SourceType.POPULATION:
        return PersonLink.Method.REGISTER
    if record.unique_id not in clusters.probability:
        return PersonLink.Method.SINGLE
    if record.unique_id in nik_links:
        return PersonLink.Method.NIK
    return PersonLink.Method.MODEL


def _golden(members: list[linkage.EngineRecord]) -> linkage.EngineRecord:
    """The record that speaks for a person: the register's, else one with a NIK, else the first."""
    for r in members:
        if r.source == SourceType.POPULATION:
            return r
    for r in members:
        if r.nik:
            return r
    return members[0]


def _write_full(
    run: LinkageRun,
    region: Region,
    records: list[linkage.EngineRecord],
    clusters: linkage.Clusters,
    pairs: list[tuple[int, int, float]],
    limits: linkage.Thresholds,
) -> int:
    by_id = {r.unique_id: r for r in records}
    members: dict[int, list[linkage.EngineRecord]] = defaultdict(list)
    for r in records:
        members[clusters.root[r.unique_id]].append(r)
    previous = dict(
        PersonLink.objects.filter(person__region=region).values_list("record_id", "person_id")
    )
    nik_links = {
        x
        for a, b, p in pairs
        if p >= limits.auto_link and by_id[a].nik and by_id[a].nik == by_id[b].nik
        for x in (a, b)
    }
    names = dict(bulk.read_rows(SourceRecord.objects.filter(region=region), ("pk", "name")))
    villages = dict(
        Region.objects.filter(code__startswith=region.code + ".").values_list("code", "pk")
    )
    now = timezone.now()
    taken: set[int] = set()
    keep: list[tuple[Any, ...]] = []
    fresh: list[tuple[int, linkage.EngineRecord]] = []
    person_for_root: dict[int, int] = {}
    for root, group in members.items():
        reuse = None
        if previous:
            votes = Counter(previous[r.unique_id] for r in group if r.unique_id in previous)
            reuse = next((pid for pid, _ in votes.most_common() if pid not in taken), None)
        best = _golden(group)
        if reuse is None:
            fresh.append((root, best))
            continue
        taken.add(reuse)
        person_for_root[root] = reuse
        keep.append(
            (
                villages.get(best.village),
                best.nik,
                names.get(best.unique_id, best.name_key)[:160],
                best.sex,
                best.birth_date,
                now,
                reuse,
            )
        )
    PersonLink.objects.filter(person__region=region).delete()
    Person.objects.filter(region=region).exclude(pk__in=taken).delete()
    bulk.update_rows(Person, ("village_id", "nik", "name", "sex", "birth_date", "updated_at"), keep)
    first = bulk.reserve_ids(Person, len(fresh))
    rows = []
    for offset, (root, best) in enumerate(fresh):
        person_for_root[root] = first + offset
        rows.append(
            (
                first + offset,
                region.pk,
                villages.get(best.village),
                best.nik,
                names.get(best.unique_id, best.name_key)[:160],
                best.sex,
                best.birth_date,
                run.pk,
                now,
            )
        )
    bulk.insert_rows(Person, PERSON_COLUMNS, rows)
    bulk.insert_rows(
        PersonLink,
        LINK_COLUMNS,
        [
            (
                person_for_root[clusters.root[r.unique_id]],
                r.unique_id,
                clusters.probability.get(r.unique_id, 1.0),
                _method(r, clusters, nik_links),
                run.pk,
            )
            for r in records
        ],
    )
    return len(members)


def _queue_reviews(
    run: LinkageRun,
    region: Region,
    pairs: Iterable[tuple[int, int, float]],
    root: dict[int, int],
    limits: linkage.Thresholds,
    decided: set[tuple[int, int]],
    *,
    clear: bool = True,
) -> int:
    """Pending review pairs: uncertain pairs whose records ended up in different persons."""
    wanted: dict[tuple[int, int], float] = {}
    for a, b, p in pairs:
        if p >= limits.auto_link:
            continue
        if p < limits.review:
            break
        key = (min(a, b), max(a, b))
        if key in decided or root.get(a) == root.get(b):
            continue
        wanted[key] = p
    pending = ReviewPair.objects.filter(region=region, status=ReviewPair.Status.PENDING)
    existing = {(a, b): pk for pk, a, b in pending.values_list("pk", "record_l_id", "record_r_id")}
    if clear:
        stale = [pk for key, pk in existing.items() if key not in wanted]
        for start in range(0, len(stale), BULK):
            ReviewPair.objects.filter(pk__in=stale[start : start + BULK]).delete()
    ReviewPair.objects.bulk_create(
        [
            ReviewPair(region=region, record_l_id=a, record_r_id=b, match_probability=p, run=run)
            for (a, b), p in wanted.items()
            if (a, b) not in existing
        ],
        batch_size=BULK,
    )
    return len(wanted)


def _incremental(
    run: LinkageRun,
    region: Region,
    model: dict[str, Any],
    limits: linkage.Thresholds,
    *,
    backend: str,
    threads: int,
) -> dict[str, Any]:
    t0 = time.perf_counter()
    new_batches = list(SourceBatch.objects.filter(region=region, linked_run__isnull=True))
    if not new_batches:
        return {"records": 0, "new_records": 0, "seconds": {}}
    new_qs = SourceRecord.objects.filter(batch__in=new_batches, link__isnull=True)
    person_of = dict(
        PersonLink.objects.filter(person__region=region).values_list("record_id", "person_id")
    )
    existing = _engine_records(
        SourceRecord.objects.filter(region=region, link__isnull=False), person_of
    )
    new = _engine_records(new_qs)
    seconds: dict[str, float] = {"load": round(time.perf_counter() - t0, 2)}
    if not existing:
        return _full(run, region, model, limits, backend=backend, threads=threads)
    session = linkage.Session(backend=backend, threads=threads)
    try:
        scored = linkage.predict_incremental(
            linkage.to_arrow(linkage.engine_columns(existing)),
            linkage.to_arrow(linkage.engine_columns(new)),
            model,
            session=session,
            threshold=limits.review,
        )
        pairs = linkage.fetch_pairs(session, scored)
        seconds.update({f"splink_{k}": v for k, v in scored.seconds.items()})
    finally:
        session.close()
    t = time.perf_counter()
    # Existing persons are single nodes (negative ids) so they can take new records
    # but never merge with each other.
    node = {r.unique_id: -person_of[r.unique_id] for r in existing}
    register_persons = {
        -pid
        for pid in Person.objects.filter(
            region=region, links__record__source_type=SourceType.POPULATION
        ).values_list("pk", flat=True)
    }
    new_ids = [r.unique_id for r in new]
    mapped = [(node.get(a, a), node.get(b, b), p) for a, b, p in pairs]
    must, cannot, decided = _decisions(region)
    clusters = linkage.cluster(
        [*new_ids, *{n for a, b, _ in mapped for n in (a, b) if n < 0}],
        mapped,
        auto_link=limits.auto_link,
        exclusive=[
            *register_persons,
            *(r.unique_id for r in new if r.source == SourceType.POPULATION),
        ],
        must_link=[(node.get(a, a), node.get(b, b)) for a, b in must],
        cannot_link=[(node.get(a, a), node.get(b, b)) for a, b in cannot],
    )
    seconds["cluster"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    names = dict(new_qs.values_list("pk", "name"))
    villages = dict(
        Region.objects.filter(code__startswith=region.code + ".").values_list("code", "pk")
    )
    groups: dict[int, list[linkage.EngineRecord]] = defaultdict(list)
    for r in new:
        groups[clusters.root[r.unique_id]].append(r)
    component_person: dict[int, int] = {}
    for n in clusters.root:
        if n < 0:
            component_person[clusters.root[n]] = -n
    now = timezone.now()
    with transaction.atomic():
        links: list[PersonLink] = []
        created = 0
        for root, group in groups.items():
            pid = component_person.get(root)
            if pid is None:
                best = _golden(group)
                person = Person.objects.create(
                    region=region,
                    village_id=villages.get(best.village),
                    nik=best.nik,
                    name=names.get(best.unique_id, best.name_key)[:160],
                    sex=best.sex,
                    birth_date=best.birth_date,
                    created_run=run,
                    updated_at=now,
                )
                pid = person.pk
                created += 1
            for r in group:
                p = clusters.probability.get(r.unique_id)
                links.append(
                    PersonLink(
                        person_id=pid,
                        record_id=r.unique_id,
                        match_probability=p if p is not None else 1.0,
                        method=clusters.method.get(r.unique_id)
                        or (
                            PersonLink.Method.REGISTER
                            if r.source == SourceType.POPULATION
                            else PersonLink.Method.MODEL
                            if p is not None
                            else PersonLink.Method.SINGLE
                        ),
                        run=run,
                    )
                )
        PersonLink.objects.bulk_create(links, batch_size=BULK)
        # Review pairs in terms of records: an existing record's root is its person's node.
        record_root = {r: clusters.root[n] for r, n in node.items() if n in clusters.root}
        record_root.update({i: clusters.root[i] for i in new_ids})
        queued = _queue_reviews(run, region, pairs, record_root, limits, decided, clear=False)
        SourceBatch.objects.filter(pk__in=[b.pk for b in new_batches]).update(linked_run=run)
        Person.objects.filter(Q(pk__in=set(component_person.values())) & Q(links__run=run)).update(
            updated_at=now
        )
    seconds["write"] = round(time.perf_counter() - t, 2)
    seconds["total"] = round(time.perf_counter() - t0, 2)
    return {
        "records": len(existing) + len(new),
        "new_records": len(new),
        "persons_created": created,
        "linked_to_existing": sum(1 for root in groups if root in component_person),
        "pairs_scored": len(pairs),
        "review_queued": queued,
        "refused_by_constraints": clusters.refused,
        "seconds": seconds,
    }


def evaluate(*, region: Region) -> dict[str, Any]:
    """Pairwise precision, recall and F1 of the person index against known truth (synthetic data)."""
    rows = PersonLink.objects.filter(person__region=region).exclude(record__truth="")
    truth: dict[int, str] = {}
    root: dict[int, int] = {}
    by_source: Counter[str] = Counter()
    for record_id, person_id, source, t in bulk.read_rows(
        rows, ("record_id", "person_id", "record__source_type", "record__truth")
    ):
        truth[record_id] = t
        root[record_id] = person_id
        by_source[source] += 1
    scores = linkage.pairwise_scores(truth, root)
    run = LinkageRun.objects.filter(region=region, status=LinkageRun.Status.DONE).first()
    return {
        "region": region.code,
        "records_with_truth": len(truth),
        "records_by_source": dict(sorted(by_source.items())),
        **scores,
        "thresholds": {"auto_link": run.upper_threshold, "review": run.lower_threshold}
        if run
        else None,
        "review_pending": ReviewPair.objects.filter(
            region=region, status=ReviewPair.Status.PENDING
        ).count(),
    }
