"""Garda Ampuh (Gerakan Daerah Angkat Anak Muda Putus Sekolah): find young people out of
school and bring them back to formal school, Paket A/B/C at a PKBM, or vocational training.

The cohort is everyone of school age in the population register with no current enrolment
record, found through the person index (the register's record and a school record linked to
the same person mean "enrolled"). Reports come from RT/RW, schools or anyone. A case climbs
RT → desa → kecamatan → UPTD Dinas Pendidikan, which places the child with the nearest
school. Support (uang saku, transport, Tabungan Garda Ampuh …) is recorded against the
year's budget.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from difflib import SequenceMatcher
from typing import Any

from django.apps import apps
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terpadu.core.audit import audit_record
from terpadu.core.errors import FieldError, field_error
from terpadu.core.models import Region
from terpadu.outreach import workflow
from terpadu.outreach.models import Budget, Case, Programme, Support
from terpadu.outreach.programmes.base import Choice, CohortMember, ProgrammeSpec, TaskPlan
from terpadu.registry.models import Resident

SPEC = ProgrammeSpec(
    code="garda_ampuh",
    name="Garda Ampuh",
    agency_code="dispendik",
    health=False,
    description=_(
        "Gerakan Daerah Angkat Anak Muda Putus Sekolah: menemukan anak muda yang tidak "
        "bersekolah dan mengembalikannya ke sekolah, Paket A/B/C, atau pelatihan keterampilan."
    ),
    verify_days=5,
    visit_days=10,
    escalate_every_days=5,
    levels=(
        Choice("rt", _("RT/RW")),
        Choice("desa", _("Desa/kelurahan")),
        Choice("kecamatan", _("Kecamatan")),
        Choice("uptd", _("UPTD Dinas Pendidikan")),
    ),
    outcomes=(
        Choice("formal_school", _("Kembali ke sekolah formal")),
        Choice("paket_a", _("Paket A (setara SD) di PKBM")),
        Choice("paket_b", _("Paket B (setara SMP) di PKBM")),
        Choice("paket_c", _("Paket C (setara SMA) di PKBM")),
        Choice("vocational", _("Pelatihan keterampilan")),
    ),
    success_outcomes=frozenset({"formal_school", "paket_a", "paket_b", "paket_c", "vocational"}),
    defaults={"min_age": 6, "max_age": 18},
)

REPORT_SIGNS: dict[str, Any] = {
    "working": _("Bekerja"),
    "married": _("Sudah menikah"),
    "cost": _("Tidak ada biaya"),
    "far": _("Sekolah jauh"),
    "disability": _("Disabilitas"),
    "orphan": _("Yatim/piatu"),
}


def tasks_on_enter(case: Case, status: str) -> list[TaskPlan] | None:
    if status == workflow.VERIFIED:
        return [TaskPlan("placement", "Cari sekolah/PKBM terdekat dan daftarkan", 10)]
    return None


def _age_bounds(programme: Programme, on: date) -> tuple[date, date]:
    """Birth dates of people aged ``min_age``..``max_age`` (inclusive) on ``on``."""
    from terpadu.outreach.services import setting

    min_age, max_age = int(setting(programme, "min_age")), int(setting(programme, "max_age"))
    latest = _years_before(on, min_age)  # born on or before this: at least min_age
    earliest = _years_before(on, max_age + 1)  # born after this: at most max_age
    return earliest, latest


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def current_school_batch_ids(region: Region) -> list[int]:
    """The latest imported school enrolment extract of the regency (the current year's)."""
    try:
        batch_model = apps.get_model("registry", "SourceBatch")
    except LookupError:
        return []
    latest = (
        batch_model.objects.filter(region=region, source_type="school")
        .order_by("-version")
        .values_list("pk", flat=True)
        .first()
    )
    return [latest] if latest else []


def enrolled_q(region: Region) -> Q:
    """A filter on Resident: has a current enrolment record, through the person index.

    Enrolled when a current school record is linked to the same person as the resident's
    register record; school records that no linkage run has placed yet count by exact NIK.
    """
    batches = current_school_batch_ids(region)
    if not batches:
        return Q(pk__in=[])
    source_record = apps.get_model("registry", "SourceRecord")
    person_link = apps.get_model("registry", "PersonLink")
    school_persons = person_link.objects.filter(record__batch_id__in=batches).values("person_id")
    linked = person_link.objects.filter(
        record__resident_id=OuterRef("pk"), person_id__in=school_persons
    )
    unlinked_by_nik = source_record.objects.filter(
        batch_id__in=batches, link__isnull=True, nik=OuterRef("nik")
    )
    return Q(Exists(linked)) | Q(Exists(unlinked_by_nik))


def enrolled_resident_ids(region: Region) -> QuerySet[Any]:
    """Ids of the residents with a current enrolment record (the interface the cohort uses)."""
    return Resident.objects.filter(region=region).filter(enrolled_q(region)).values("pk")


def index_cohort(programme: Programme, *, on: date) -> QuerySet[Resident]:
    """Stage 1, in the database: school-age residents with no current school record linked
    to their person in the index."""
    earliest, latest = _age_bounds(programme, on)
    return Resident.objects.filter(
        region=programme.region, birth_date__gt=earliest, birth_date__lte=latest
    ).exclude(enrolled_q(programme.region))


@dataclass(frozen=True)
class _Record:
    pk: int
    name: str
    born: date | None
    village_id: int | None
    district: str
    mother: str


def _date_close(a: date | None, b: date | None) -> bool:
    """The slips schools make with birth dates: swapped day and month, a few days or a
    digit off, the wrong year."""
    if a is None or b is None:
        return False
    if a == b or abs((a - b).days) <= 31:
        return True
    if a.year == b.year and (a.day, a.month) == (b.month, b.day):
        return True
    return (a.month, a.day) == (b.month, b.day) and abs(a.year - b.year) == 1


def _same_date(a: date | None, b: date | None) -> bool:
    """Equal, or day and month swapped (04/10 for 10/04)."""
    if a is None or b is None:
        return False
    return a == b or (a.year == b.year and (a.day, a.month) == (b.month, b.day))


def _name_score(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    wa, wb = a.split(), b.split()
    if wa == wb[: len(wa)] or wb == wa[: len(wb)]:
        return 0.92  # the school dropped a last name
    return SequenceMatcher(None, a, b).ratio()


def _mother_agrees(a: str, b: str) -> bool:
    return bool(a and b) and (a == b or SequenceMatcher(None, a, b).ratio() >= 0.85)


def residual_matches(region: Region, candidate_ids: Iterable[int]) -> set[int]:
    """Stage 2: school records the linkage run left without a register record (a dropped
    name, a slipped date below the model's threshold), matched to the stage-1 candidates
    of the same desa (or kecamatan) by standardised name, birth date and mother's name.

    Returns the candidates who do have a current enrolment record after all.
    """
    batches = current_school_batch_ids(region)
    ids = sorted(set(candidate_ids))
    if not batches or not ids:
        return set()
    source_record = apps.get_model("registry", "SourceRecord")
    person_link = apps.get_model("registry", "PersonLink")
    # a school record whose person has a register record is placed: skip it
    placed = person_link.objects.filter(
        person_id=OuterRef("link__person_id"), record__source_type="population"
    )
    unplaced = (
        source_record.objects.filter(batch_id__in=batches)
        .exclude(Exists(placed))
        .values_list("pk", "name_std", "birth_date", "village_id", "district_code", "mother_key")
    )
    records = [_Record(*row) for row in unplaced.iterator(chunk_size=5000)]
    if not records:
        return set()
    # pools by place (desa, else kecamatan, else first name) and birth year: a slipped date
    # is at most a year off, so three years of one place hold every possible match
    pools: dict[tuple[str, object, int], list[_Record]] = {}
    seen: set[int] = set()
    for start in range(0, len(ids), 900):  # under SQLite's limit of bound parameters
        population = source_record.objects.filter(
            source_type="population", resident_id__in=ids[start : start + 900]
        ).values_list(
            "resident_id", "name_std", "birth_date", "village_id", "district_code", "mother_key"
        )
        for row in population:
            person = _Record(*row)
            if person.pk in seen or person.born is None:
                continue
            seen.add(person.pk)
            year = person.born.year
            pools.setdefault(("v", person.village_id, year), []).append(person)
            pools.setdefault(("d", person.district, year), []).append(person)
            pools.setdefault(("n", _first_word(person.name), year), []).append(person)
    matched: set[int] = set()
    for record in records:
        if record.born is None:
            continue
        scope: tuple[str, object]
        if record.village_id is not None:
            scope, strict = ("v", record.village_id), False
        elif record.district:
            scope, strict = ("d", record.district), False
        else:  # no place at all: the same first name, and the name and mother must agree
            scope, strict = ("n", _first_word(record.name)), True
        year = record.born.year
        pool = [p for y in (year - 1, year, year + 1) for p in pools.get((*scope, y), [])]
        best: list[tuple[float, int]] = []
        for person in pool:
            if not _date_close(record.born, person.born):
                continue
            score = _name_score(record.name, person.name)
            mother = _mother_agrees(record.mother, person.mother)
            # anywhere in the regency: the name and the mother, or the name and the same date
            exact = score >= 0.95 and _same_date(record.born, person.born)
            near = score >= 0.85 and mother
            ok = (near or exact) if strict else (score >= 0.85 or (mother and score >= 0.6))
            if ok:
                best.append((score + (0.1 if mother else 0.0), person.pk))
        best.sort(reverse=True)
        if best and (len(best) == 1 or best[0][0] > best[1][0]):
            matched.add(best[0][1])
    return matched


def _first_word(name: str) -> str:
    return name.split(" ", 1)[0] if name else ""


def cohort_ids(programme: Programme, *, on: date) -> list[int]:
    """Resident ids of the cohort: no current enrolment through the index (stage 1), minus
    those a school record left outside the index still describes (stage 2)."""
    found = set(index_cohort(programme, on=on).values_list("pk", flat=True))
    return sorted(found - residual_matches(programme.region, found))


def cohort(programme: Programme, *, on: date) -> Iterator[CohortMember]:
    """School-age residents without a current enrolment record."""
    ids = cohort_ids(programme, on=on)
    for start in range(0, len(ids), 2000):
        chunk = Resident.objects.filter(pk__in=ids[start : start + 2000]).select_related(
            "household"
        )
        for resident in chunk.order_by("pk"):
            yield CohortMember(
                subject_key=f"resident:{resident.pk}",
                resident_id=resident.pk,
                village_id=resident.village_id,
                name=resident.name,
                nik=resident.nik,
                sex=resident.sex,
                birth_date=resident.birth_date,
                address=f"{resident.household.address} RT {resident.household.rt}/RW "
                f"{resident.household.rw}",
                data={"mother_name": resident.mother_name},
            )


# --- support against the budget ------------------------------------------------------------


def budget_used(budget: Budget) -> int:
    return int(budget.supports.aggregate(s=Sum("amount"))["s"] or 0)


@transaction.atomic
def support_record(
    *,
    case: Case,
    actor: Any,
    kind: str,
    funder: str,
    amount: int,
    given_on: date | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Support:
    """Record support given to a case; Pemda money is drawn from that year's budget."""
    from terpadu.outreach.services import _event, invalid, local_day, refuse

    now = now or timezone.now()
    if case.programme.code != SPEC.code:
        raise refuse("wrong_programme", "Bukan kasus Garda Ampuh.", "Not a Garda Ampuh case.")
    errors: list[FieldError] = []
    if kind not in Support.Kind.values:
        errors.append(field_error("kind", "Pilih jenis bantuan.", "Choose the kind."))
    if funder not in Support.Funder.values:
        errors.append(field_error("funder", "Pilih sumber dana.", "Choose the funder."))
    if not isinstance(amount, int) or amount <= 0 or amount > 50_000_000:
        errors.append(field_error("amount", "Jumlah Rp 1–50.000.000.", "Amount Rp 1–50,000,000."))
    given_on = given_on or local_day(now)
    if given_on > local_day(now):
        errors.append(field_error("given_on", "Tanggal di masa depan.", "Date in the future."))
    if case.status in (workflow.NOT_ELIGIBLE, workflow.LOST):
        errors.append(field_error("case", "Kasus sudah ditutup.", "The case is closed."))
    if errors:
        raise invalid(errors)
    budget = None
    if funder == Support.Funder.PEMDA:
        budget = (
            Budget.objects.select_for_update()
            .filter(programme=case.programme, year=given_on.year)
            .first()
        )
        if budget is None:
            raise invalid(
                [
                    field_error(
                        "funder",
                        f"Belum ada pagu APBD {given_on.year} untuk program ini.",
                        f"No {given_on.year} budget for this programme.",
                    )
                ]
            )
        remaining = budget.amount - budget_used(budget)
        if amount > remaining:
            raise invalid(
                [
                    field_error(
                        "amount",
                        f"Sisa pagu {given_on.year} hanya Rp {remaining:,}".replace(",", "."),
                        f"Only Rp {remaining:,} left in the {given_on.year} budget.",
                    )
                ]
            )
    support = Support.objects.create(
        case=case,
        budget=budget,
        kind=kind,
        funder=funder,
        amount=amount,
        given_on=given_on,
        recorded_by=actor,
        note=note.strip()[:200],
    )
    _event(case, "support", now, actor, to_value=kind, note=f"Rp {amount:,}".replace(",", "."))
    audit_record(
        actor=actor,
        action="outreach.support_record",
        record=support,
        record_type="outreach.support",
        region_code=case.region.code,
        summary={"case": case.pk, "kind": kind, "funder": funder, "amount": amount},
    )
    return support


@transaction.atomic
def budget_set(*, programme: Programme, year: int, amount: int, actor: Any) -> Budget:
    from terpadu.outreach.services import invalid

    if programme.code != SPEC.code or amount < 0 or not 2000 <= year <= 2100:
        raise invalid([field_error("amount", "Pagu tidak sah.", "Invalid budget.")])
    budget, _created = Budget.objects.update_or_create(
        programme=programme, year=year, defaults={"amount": amount}
    )
    if budget_used(budget) > amount:
        raise invalid(
            [field_error("amount", "Pagu lebih kecil dari yang terpakai.", "Below what is spent.")]
        )
    audit_record(
        actor=actor,
        action="outreach.budget_set",
        record=budget,
        record_type="outreach.budget",
        region_code=programme.region.code,
        summary={"year": year, "amount": amount},
    )
    return budget


# --- the programme's report ----------------------------------------------------------------


def report_by_level_and_district(programme: Programme) -> dict[str, Any]:
    """Found / handled / returned by level and by kecamatan (the programme's own figures).

    found = every case except "not eligible"; handled = in progress or resolved;
    returned = resolved with a return outcome.
    """
    qs = Case.objects.filter(programme=programme).exclude(status=workflow.NOT_ELIGIBLE)
    returned = Q(status=workflow.RESOLVED, outcome__in=sorted(SPEC.success_outcomes))
    handled = Q(status__in=[workflow.IN_PROGRESS, workflow.RESOLVED])
    agg = {
        "found": Count("id"),
        "handled": Count("id", filter=handled),
        "returned": Count("id", filter=returned),
    }
    by_level = {r["level"]: r for r in qs.values("level").annotate(**agg)}
    levels = [
        {"code": c.code, "label": str(c.label), **_counts(by_level.get(c.code))}
        for c in SPEC.levels
    ]
    districts = [
        {"code": r["district__code"], "name": r["district__name"], **_counts(r)}
        for r in qs.values("district__code", "district__name")
        .annotate(**agg)
        .order_by("district__code")
    ]
    outcomes = {
        r["outcome"]: r["n"]
        for r in qs.filter(status=workflow.RESOLVED).values("outcome").annotate(n=Count("id"))
    }
    total = _counts(qs.aggregate(**agg))
    budgets = [
        {"year": b.year, "amount": b.amount, "used": budget_used(b)}
        for b in programme.budgets.all()
    ]
    funders = {
        r["funder"]: r["s"]
        for r in Support.objects.filter(case__programme=programme)
        .values("funder")
        .annotate(s=Sum("amount"))
    }
    return {
        "total": total,
        "levels": levels,
        "districts": districts,
        "outcomes": {c.code: outcomes.get(c.code, 0) for c in SPEC.outcomes},
        "budgets": budgets,
        "funders": funders,
    }


def _counts(row: Any) -> dict[str, int]:
    row = row or {}
    return {k: int(row.get(k) or 0) for k in ("found", "handled", "returned")}
