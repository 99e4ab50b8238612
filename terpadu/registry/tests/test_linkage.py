"""End to end: the demo's dirty agency extracts linked into a person index with Splink on DuckDB."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from terpadu.core.models import AuditEntry, Region
from terpadu.demo import population, regions
from terpadu.demo.build import StepContext
from terpadu.registry import linkage, person_index, services
from terpadu.registry.demo_steps import build_registry_demo, extract_files
from terpadu.registry.models import (
    LinkageRun,
    Person,
    PersonLink,
    ReviewPair,
    SourceBatch,
    SourceRecord,
)


def _demo(people: int, seed: int = 2017) -> tuple[Region, dict]:  # type: ignore[type-arg]
    regions.load_regions()
    regency = Region.objects.get(code=regions.REGENCY_CODE)
    population.build_population(people=people, seed=seed, regency=regency)
    ctx = StepContext(regency=regency, seed=seed, people=people, rebuild=True, progress=print)
    return regency, build_registry_demo(ctx)


@pytest.mark.django_db
def test_five_thousand_people_linked_precisely_with_high_recall() -> None:
    regency, figures = _demo(5000)
    assert figures["records"]["population"] == 5000
    assert figures["records"]["school"] > 500 and figures["records"]["welfare"] > 1000
    scores = person_index.evaluate(region=regency)
    assert scores["precision"] >= 0.995, scores
    assert scores["recall"] >= 0.97, scores
    # The register is the spine: every person has at most one register record,
    # and every register record is its own person's.
    assert Person.objects.filter(region=regency).count() == figures["persons"]
    per_person = PersonLink.objects.filter(record__source_type="population").values_list(
        "person_id", flat=True
    )
    assert len(per_person) == len(set(per_person)) == 5000
    run = LinkageRun.objects.get()
    assert run.status == "done" and run.figures["records"] == sum(figures["records"].values())
    assert AuditEntry.objects.filter(action="registry.linkage_run").count() == 1
    # A school record without a NIK found its register record through name, date and mother.
    linked = PersonLink.objects.filter(
        record__source_type="school", record__nik="", method="model"
    ).select_related("record", "person")
    assert linked.exists()
    sample = linked.first()
    assert sample is not None
    assert sample.person.nik == sample.record.truth


@pytest.mark.django_db
def test_evaluate_command_prints_json() -> None:
    _demo(1200)
    out = io.StringIO()
    call_command("registry", "evaluate", stdout=out)
    result = json.loads(out.getvalue())
    assert set(result) >= {"precision", "recall", "f1", "true_pairs", "review_pending"}
    assert result["precision"] >= 0.99


@pytest.mark.django_db
def test_incremental_batch_attaches_to_existing_persons_without_retraining(
    settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    settings.VAR_DIR = tmp_path  # no trained model here: the packaged one is used
    regency, _ = _demo(1500)
    persons_before = set(Person.objects.values_list("pk", flat=True))
    links_before = dict(PersonLink.objects.values_list("record_id", "person_id"))
    # A second welfare list arrives: the same households, written again by another clerk.
    content = extract_files(regency, seed=99)["welfare"]
    batch = services.batch_import(
        region=regency,
        source_type="welfare",
        content=content,
        file_name="dtks-2.csv",
        synthetic=True,
        reference=population.REFERENCE_DATE,
    )
    run = person_index.linkage_run(region=regency, incremental=True)
    assert run.mode == "incremental" and run.figures["new_records"] == batch.row_count
    assert run.figures["model"] == "packaged"
    assert not (tmp_path / "registry" / "linkage-model.json").exists()
    # Old links untouched; most new records joined an existing person (the register's).
    assert (
        dict(
            PersonLink.objects.filter(record_id__in=links_before).values_list(
                "record_id", "person_id"
            )
        )
        == links_before
    )
    new_links = PersonLink.objects.filter(record__batch=batch)
    assert new_links.count() == batch.row_count
    joined = new_links.filter(person_id__in=persons_before).count()
    assert joined / batch.row_count > 0.95
    # And they joined the right person.
    wrong = [
        link
        for link in new_links.select_related("record", "person")
        if link.person.nik and link.person.nik != link.record.truth
    ]
    assert len(wrong) <= batch.row_count * 0.005
    assert SourceBatch.objects.get(pk=batch.pk).linked_run == run


@pytest.mark.django_db
def test_clerical_decisions_survive_a_full_rerun() -> None:
    regency, _ = _demo(1500)
    pending = list(ReviewPair.objects.filter(region=regency, status="pending")[:2])
    assert len(pending) == 2, "the demo always leaves uncertain pairs for review"
    accept, reject = pending
    services.review_decide(pair=accept, actor=None, decision="accepted")
    services.review_decide(pair=reject, actor=None, decision="rejected")
    person_index.linkage_run(region=regency)
    a_l = PersonLink.objects.get(record_id=accept.record_l_id)
    a_r = PersonLink.objects.get(record_id=accept.record_r_id)
    assert a_l.person_id == a_r.person_id
    assert "clerical" in {a_l.method, a_r.method}
    r_l = PersonLink.objects.get(record_id=reject.record_l_id)
    r_r = PersonLink.objects.get(record_id=reject.record_r_id)
    assert r_l.person_id != r_r.person_id
    # Decided pairs are not asked again.
    assert ReviewPair.objects.get(pk=accept.pk).status == "accepted"
    assert ReviewPair.objects.get(pk=reject.pk).status == "rejected"
    assert (
        ReviewPair.objects.filter(record_l=accept.record_l, record_r=accept.record_r).count() == 1
    )


@pytest.mark.django_db
def test_a_full_rerun_keeps_person_ids() -> None:
    regency, _ = _demo(1200)
    before = dict(PersonLink.objects.values_list("record_id", "person_id"))
    person_index.linkage_run(region=regency)
    after = dict(PersonLink.objects.values_list("record_id", "person_id"))
    assert before == after
    assert SourceRecord.objects.count() == len(after)


def test_clustering_respects_register_decisions_and_existing_persons() -> None:
    pairs = [(1, 2, 0.99), (2, 3, 0.98), (3, 4, 0.97), (4, 5, 0.6)]
    # 1 and 3 are both register records: 2 joins 1, and 3 stays apart.
    c = linkage.cluster([1, 2, 3, 4, 5], pairs, auto_link=0.95, exclusive=[1, 3])
    assert c.root[1] == c.root[2] != c.root[3] == c.root[4] != c.root[5]
    assert c.refused == 1
    # An officer's "different people" wins over a probable link, "same person" over a weak one.
    c = linkage.cluster(
        [1, 2, 3, 4, 5], pairs, auto_link=0.95, cannot_link=[(1, 2)], must_link=[(4, 5)]
    )
    assert c.root[1] != c.root[2] and c.root[4] == c.root[5] and c.method[5] == "clerical"


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 30).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(
                st.tuples(st.integers(1, n), st.integers(1, n), st.floats(0.0, 1.0)), max_size=60
            ),
            st.sets(st.integers(1, n)),
            st.lists(st.tuples(st.integers(1, n), st.integers(1, n)), max_size=4),
            st.lists(st.tuples(st.integers(1, n), st.integers(1, n)), max_size=6),
        )
    )
)
def test_clustering_keeps_its_constraints(case) -> None:  # type: ignore[no-untyped-def]
    """Whatever the pairs: register records apart, "different" apart, links only above the bar."""
    n, raw_pairs, exclusive, must, cannot = case
    pairs = sorted(((a, b, p) for a, b, p in raw_pairs if a != b), key=lambda x: -x[2])
    ids = list(range(1, n + 1))
    c = linkage.cluster(
        ids, pairs, auto_link=0.9, exclusive=exclusive, must_link=must, cannot_link=cannot
    )
    assert set(c.root) == set(ids)
    members: dict[int, set[int]] = {}
    for i, r in c.root.items():
        members.setdefault(r, set()).add(i)
    forbidden = {(a, b) for a, b in cannot} | {(b, a) for a, b in cannot}
    for group in members.values():
        assert not any((a, b) in forbidden for a in group for b in group if a != b)
        if not must:
            assert len(group & exclusive) <= 1
    # Two records share a cluster only through links at or above the bar (or an officer).
    strong = [(a, b) for a, b, p in pairs if p >= 0.9] + [(a, b) for a, b in must]
    reach = {i: {i} for i in ids}
    for a, b in strong:
        merged = reach[a] | reach[b]
        for x in merged:
            reach[x] = merged
    for group in members.values():
        first = next(iter(group))
        assert group <= reach[first]
    # A pair above the bar left apart was refused (constraints only grow, so it stays apart).
    apart = sum(1 for a, b, p in pairs if p >= 0.9 and c.root[a] != c.root[b])
    assert apart == c.refused


def test_pairwise_scores() -> None:
    truth = {1: "a", 2: "a", 3: "a", 4: "b", 5: "b"}
    root = {1: 1, 2: 1, 3: 3, 4: 4, 5: 4}
    s = linkage.pairwise_scores(truth, root)
    assert (s["true_pairs"], s["predicted_pairs"], s["correct_pairs"]) == (4, 2, 2)
    assert s["precision"] == 1.0 and s["recall"] == 0.5


def test_demo_extracts_are_csv_with_the_mapped_headers() -> None:
    from terpadu.registry.synthetic import TruePerson, dirty_extracts

    child = TruePerson(
        nik="3510164508150001",
        kk="3510160101100001",
        name="Siti Aminah",
        sex="P",
        birth_date=date(2015, 8, 5),
        birth_place="Banyuwangi",
        village_code="35.10.16.1001",
        village_name="Sobo",
        district_name="Banyuwangi",
        address="Jl. Kartini No. 3",
        rt="001",
        rw="002",
        mother_name="Sumiati",
        relationship="child",
        household=1,
    )
    rows = list(dirty_extracts([child] * 50, seed=1, reference=date(2026, 1, 1)))
    kinds = {k for k, _ in rows}
    assert {"population", "school"} <= kinds
    school = next(r for k, r in rows if k == "school")
    assert school["truth"] == child.nik and school["nama_ibu_kandung"] in (
        "",
        *[r["nama_ibu_kandung"] for k, r in rows if k == "school"],
    )
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(school))
    writer.writeheader()
    writer.writerow(school)
    assert out.getvalue().startswith("nisn,nik,nama_siswa")


@pytest.mark.django_db
def test_a_second_run_is_refused_while_one_is_running(regions) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from terpadu.core.errors import DomainError

    LinkageRun.objects.create(
        region=regions["banyuwangi"],
        mode="full",
        started_at=timezone.now(),
        upper_threshold=0.95,
        lower_threshold=0.5,
    )
    with pytest.raises(DomainError) as caught:
        person_index.linkage_run(region=regions["banyuwangi"])
    assert caught.value.code == "linkage_running"


@pytest.mark.django_db
def test_worker_task_links_new_batches(regions) -> None:  # type: ignore[no-untyped-def]
    from terpadu.core.testing import make_resident
    from terpadu.registry.tasks import registry_link

    make_resident(village=regions["bwi_village"], nik="3510164508900001")
    services.batch_from_register(region=regions["banyuwangi"])
    result = registry_link.call(regions["banyuwangi"].pk, incremental=False)
    assert result["records"] == 1 and result["persons"] == 1
    assert Person.objects.get().nik == "3510164508900001"


@pytest.mark.django_db
def test_demo_step_clears_and_rebuilds() -> None:
    from terpadu.registry.demo_steps import clear_registry_demo

    regency, first = _demo(800)
    ctx = StepContext(regency=regency, seed=2017, people=800, rebuild=True, progress=print)
    clear_registry_demo(ctx)
    assert not SourceRecord.objects.exists() and not Person.objects.exists()
    assert not LinkageRun.objects.exists() and not ReviewPair.objects.exists()
    again = build_registry_demo(ctx)
    assert again["records"] == first["records"] and again["persons"] == first["persons"]
