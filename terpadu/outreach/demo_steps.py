"""Demo step: the three programmes running in the synthetic regency, with cases in every
state in the proportions of the real programmes (domain.md §7).

- Garda Ampuh: the cohort found through the person index (the registry step runs first);
  98.1 % of the found are returned (5,093 of 5,191 in 2016), the rest spread over every
  other state; support from the Pemda for 38 % of the returned (1,935 of 5,093), the rest
  from swadaya, business or Siswa Asuh Sebaya, against a budget scaled from Rp 3.33 billion.
- Pemburu Bumil Risti: reports from mlijo and kader of women in the register, KSPR cards
  (KRR/KRT/KRST), follow-ups and referrals, deliveries.
- Gancang Aron: 30 prescriptions a month for eight months, 65 % PBI (2,897 of 4,444),
  delivered, failed and back at the pharmacy, flagged, in flight.

Rows are written in bulk (one audit entry summarises the step); one ``random.Random(seed)``
drives every choice, and dates count back from ``today`` (the build day by default), so a
seed and a day always give the same programmes. Running it again replaces its rows.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

# The cohort needs the person index: make sure the registry's step is registered (and so
# runs) before ours, whatever imported this module first.
import terpadu.registry.demo_steps  # noqa: F401
from terpadu.accounts.models import Role, User
from terpadu.core.audit import audit_record
from terpadu.core.calendars import calendar_for
from terpadu.core.models import Agency, Region
from terpadu.core.workdays import add_workdays
from terpadu.demo.build import StepContext, register_step
from terpadu.outreach import kspr
from terpadu.outreach.models import (
    Budget,
    Case,
    CaseEvent,
    CaseView,
    CourierEvent,
    CourierPartner,
    Dispatch,
    Escalation,
    FieldAssignment,
    Prescription,
    Programme,
    Report,
    Reporter,
    Screening,
    Support,
    Task,
    VisitNote,
)
from terpadu.outreach.programmes import garda_ampuh
from terpadu.outreach.services import programme_ensure, token_hash
from terpadu.registry.models import Resident

RSUD_CODE = "rsud-blambangan"
SIMULATOR_URL = "http://127.0.0.1:8765"
POOREST_DISTRICTS = {"Kalipuro", "Wongsorejo", "Kalibaru", "Muncar"}
# domain.md §7.1: 5,093 of 5,191 handled; 1,935 of those funded by the Pemda
RETURNED_SHARE = 5093 / 5191
PEMDA_SHARE = 1935 / 5093
OUTCOME_WEIGHTS = (
    ("formal_school", 0.62),
    ("paket_c", 0.17),
    ("paket_b", 0.12),
    ("paket_a", 0.03),
    ("vocational", 0.06),
)
PBI_SHARE = 2897 / 4444  # domain.md §7.3


def _moment(day: date, rng: random.Random) -> datetime:
    return datetime(
        day.year, day.month, day.day, 1 + rng.randint(0, 8), rng.randint(0, 59), tzinfo=UTC
    )


def _spread(n: int, weights: Sequence[tuple[str, int]], rng: random.Random) -> list[str]:
    """``n`` statuses in these proportions, each at least once, shuffled."""
    total = sum(w for _, w in weights)
    out = [s for s, _ in weights]
    for status, weight in weights:
        out += [status] * max(0, round((n - len(weights)) * weight / total))
    out = out[:n] + [weights[0][0]] * max(0, n - len(out))
    rng.shuffle(out)
    return out


def _pick(rng: random.Random, weights: Sequence[tuple[str, float]]) -> str:
    return rng.choices([w[0] for w in weights], weights=[w[1] for w in weights])[0]


def clear_outreach_demo(ctx: StepContext) -> None:
    region = ctx.regency
    with transaction.atomic():
        cases = Case.objects.filter(region=region)
        CourierEvent.objects.filter(dispatch__prescription__case__in=cases).delete()
        Dispatch.objects.filter(prescription__case__in=cases).delete()
        Prescription.objects.filter(case__in=cases).delete()
        Screening.objects.filter(case__in=cases).delete()
        Support.objects.filter(case__in=cases).delete()
        Budget.objects.filter(programme__region=region).delete()
        Report.objects.filter(region=region).delete()
        VisitNote.objects.filter(case__in=cases).delete()
        Escalation.objects.filter(case__in=cases).delete()
        Task.objects.filter(case__in=cases).delete()
        CaseEvent.objects.filter(case__in=cases).delete()
        CaseView.objects.filter(case__in=cases).delete()
        cases.delete()
        CourierPartner.objects.filter(region=region, code="simulator").delete()
        FieldAssignment.objects.filter(programme__region=region).delete()
        Reporter.objects.filter(region=region).delete()


class _Writer:
    """Collects rows and writes them in bulk."""

    def __init__(self, today: date, rng: random.Random, region: Region) -> None:
        self.today = today
        self.rng = rng
        self.cal = calendar_for(region_code=region.code)
        self.cases: list[Case] = []
        self.events: list[CaseEvent] = []
        self.tasks: list[Task] = []
        self.after: list[Any] = []  # callables run once case ids exist

    def due(self, start: date, days: int) -> date:
        return add_workdays(start, days, self.cal)


def _ensure_users(region: Region, programmes: dict[str, Programme]) -> dict[str, User]:
    from terpadu.demo.users import DEMO_PASSWORD

    password = ""  # hashed once, only when a login has to be created (argon2 is slow on purpose)
    rsud = programmes["medicine"].agency
    wanted = {
        "lapangan": (Role.FIELD_WORKER, None, "Yuli Astutik"),
        "bidan.sempu": (Role.FIELD_WORKER, None, "Bidan Sri Rahayu"),
        "pendamping.sempu": (Role.FIELD_WORKER, None, "Pendamping Agus Salim"),
        "apoteker.rsud": (Role.AGENCY_OFFICER, rsud, "Apoteker Dian Permata"),
        "mlijo.sempu": (Role.CITIZEN, None, "Sumiati (mlijo)"),
        "kader.sempu": (Role.CITIZEN, None, "Kader Lilik"),
    }
    users: dict[str, User] = {}
    for username, (role, agency, full_name) in wanted.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            password = password or make_password(DEMO_PASSWORD)
            first, _sep, last = full_name.partition(" ")
            user = User.objects.create(
                username=username,
                role=role,
                agency=agency,
                region=region,
                first_name=first,
                last_name=last,
                password=password,
            )
        users[username] = user
    return users


def _villages(region: Region) -> list[Region]:
    return list(
        Region.objects.filter(level=Region.Level.VILLAGE, parent__parent=region)
        .select_related("parent")
        .order_by("code")
    )


def _assign(
    programmes: dict[str, Programme], villages: list[Region], users: dict[str, User]
) -> dict[tuple[int, int], int]:
    """Field workers by desa: the Sempu demo logins cover Kecamatan Sempu, "lapangan" covers
    the desa of Kecamatan Banyuwangi; everyone else's desa wait for their worker."""
    rows = []
    for village in villages:
        district = village.parent.name if village.parent else ""
        if district == "Sempu":
            rows.append((programmes["maternal"], village, users["bidan.sempu"]))
            rows.append((programmes["garda_ampuh"], village, users["pendamping.sempu"]))
        elif district == "Banyuwangi":
            for code in ("maternal", "garda_ampuh", "medicine"):
                rows.append((programmes[code], village, users["lapangan"]))
    FieldAssignment.objects.bulk_create(
        [FieldAssignment(programme=p, village=v, user=u) for p, v, u in rows],
        ignore_conflicts=True,
    )
    return {(p.pk, v.pk): u.pk for p, v, u in rows}


# --- Garda Ampuh ---------------------------------------------------------------------------


def _garda(
    w: _Writer, programme: Programme, assigned: dict[tuple[int, int], int], users: dict[str, User]
) -> dict[str, Any]:
    from terpadu.demo.population import REFERENCE_DATE

    rng, today = w.rng, w.today
    ids = garda_ampuh.cohort_ids(programme, on=REFERENCE_DATE)
    residents = {
        r.pk: r
        for r in Resident.objects.filter(pk__in=ids).select_related("village__parent", "household")
    }
    n = len(ids)
    others = ["found", "verified", "in_progress", "not_eligible", "lost"]
    left = max(len(others), round(n * (1 - RETURNED_SHARE)))
    statuses = ["resolved"] * max(0, n - left) + [others[i % len(others)] for i in range(left)]
    rng.shuffle(statuses)
    level_of = {"found": "rt", "verified": "desa", "in_progress": "kecamatan", "resolved": "uptd"}
    plan: list[tuple[Case, str]] = []
    for pk, status in zip(ids, statuses, strict=False):
        r = residents[pk]
        found_on = (
            today - timedelta(days=rng.randint(20, 240))
            if status != "found"
            else (today - timedelta(days=rng.randint(0, 12)))
        )
        outcome = _pick(rng, OUTCOME_WEIGHTS) if status == "resolved" else ""
        closed = status in ("resolved", "not_eligible", "lost")
        case = Case(
            programme=programme,
            region=programme.region,
            district=r.village.parent,
            village=r.village,
            resident=r,
            subject_key=f"resident:{r.pk}",
            name=r.name,
            nik=r.nik,
            sex=r.sex,
            birth_date=r.birth_date,
            address=f"{r.household.address} RT {r.household.rt}/RW {r.household.rw}",
            status=status,
            level=level_of.get(status, "desa"),
            source=Case.Source.COHORT,
            outcome=outcome,
            outcome_note={"not_eligible": "Sudah lulus SMA", "lost": "Merantau ke Bali"}.get(
                status, ""
            ),
            assigned_to_id=assigned.get((programme.pk, r.village_id)),
            found_on=found_on,
            opened_at=_moment(found_on, rng),
            closed_at=_moment(found_on + timedelta(days=rng.randint(15, 90)), rng)
            if closed
            else None,
            data={"mother_name": r.mother_name},
        )
        if case.closed_at and case.closed_at.date() > today:
            case.closed_at = _moment(today, rng)
        plan.append((case, status))
    w.cases.extend(c for c, _ in plan)

    budget = Budget(
        programme=programme, year=today.year, amount=round(3_330_000_000 * n / 5191, -5)
    )
    budget.save()

    def after() -> dict[str, int]:
        supports, reports = [], []
        used = 0
        pendamping = users["pendamping.sempu"]
        for case, status in plan:
            _timeline(w, case, status)
            if status == "found":
                w.tasks.append(_task(w, case, "verify", "Verifikasi ke rumah", case.found_on, 5))
            elif status == "verified":
                w.tasks.append(
                    _task(w, case, "placement", "Cari sekolah/PKBM terdekat", case.found_on, 10)
                )
            elif status == "in_progress":
                w.tasks.append(_task(w, case, "visit", "Kunjungan penanganan", case.found_on, 10))
            if status == "resolved":
                district = case.district.name if case.district else ""
                pemda = rng.random() < PEMDA_SHARE
                if pemda:
                    amount = 1_000_000 if rng.random() < 0.4 else 15_000 * rng.randint(20, 60)
                    if used + amount > budget.amount:
                        pemda = False
                if pemda:
                    kind = (
                        "savings"
                        if amount == 1_000_000
                        else ("transport" if district in POOREST_DISTRICTS else "pocket_money")
                    )
                    used += amount
                else:
                    kind, amount = "school_kit", 150_000 + 25_000 * rng.randint(0, 6)
                supports.append(
                    Support(
                        case=case,
                        budget=budget if pemda else None,
                        kind=kind,
                        funder="pemda" if pemda else rng.choice(["swadaya", "business", "sas"]),
                        amount=amount,
                        given_on=case.closed_at.date() if case.closed_at else today,
                        recorded_by=pendamping,
                    )
                )
            if rng.random() < 0.06:  # also reported by an RT head, a school or a neighbour
                reports.append(
                    Report(
                        programme=programme,
                        region=programme.region,
                        reporter_label=rng.choice(["Ketua RT 02", "Kepala SDN", "Tetangga"]),
                        client_id=f"demo-ga-{case.pk}",
                        name=case.name,
                        village=case.village,
                        note="Tidak sekolah sejak semester lalu",
                        received_at=case.opened_at,
                        case=case,
                        matched_existing=True,
                        status="received" if status == "found" else "followed_up",
                    )
                )
        Support.objects.bulk_create(supports)
        Report.objects.bulk_create(reports)
        return {"supports": len(supports), "reports": len(reports)}

    w.after.append(after)
    counts: dict[str, int] = {}
    for _, status in plan:
        counts[status] = counts.get(status, 0) + 1
    return {"cases": n, "by_status": counts}


# --- maternal ------------------------------------------------------------------------------


def _maternal(
    w: _Writer,
    programme: Programme,
    assigned: dict[tuple[int, int], int],
    users: dict[str, User],
    reporters: dict[str, Reporter],
) -> dict[str, Any]:
    rng, today = w.rng, w.today
    women = Resident.objects.filter(
        region=programme.region,
        sex="P",
        birth_date__lte=today - timedelta(days=365 * 18),
        birth_date__gte=today - timedelta(days=365 * 42),
    )
    sempu = list(
        women.filter(village__parent__name="Sempu").order_by("pk").values_list("pk", flat=True)
    )
    rest = list(
        women.exclude(village__parent__name="Sempu").order_by("pk").values_list("pk", flat=True)
    )
    picked = rng.sample(sempu, min(len(sempu), 30)) + rng.sample(rest, min(len(rest), 40))
    loaded = Resident.objects.select_related("village__parent", "household").in_bulk(picked)
    chosen = [loaded[pk] for pk in picked]
    statuses = _spread(
        len(chosen),
        (
            ("found", 8),
            ("verified", 3),
            ("in_progress", 38),
            ("resolved", 16),
            ("not_eligible", 3),
            ("lost", 2),
        ),
        rng,
    )
    plan = []
    for r, status in zip(chosen, statuses, strict=False):
        found_on = today - timedelta(
            days=rng.randint(0, 6) if status == "found" else rng.randint(20, 200)
        )
        closed = status in ("resolved", "not_eligible", "lost")
        group = _pick(rng, (("KRR", 0.55), ("KRT", 0.33), ("KRST", 0.12)))
        items = _items_for(rng, group)
        result = kspr.score(items)
        case = Case(
            programme=programme,
            region=programme.region,
            district=r.village.parent,
            village=r.village,
            resident=r,
            subject_key=f"resident:{r.pk}",
            name=r.name,
            nik=r.nik,
            sex="P",
            birth_date=r.birth_date,
            address=f"{r.household.address} RT {r.household.rt}/RW {r.household.rw}",
            status=status,
            source=Case.Source.REPORT,
            outcome=("safe_delivery" if rng.random() < 0.94 else "delivery_complication")
            if status == "resolved"
            else "",
            outcome_note={"not_eligible": "Tidak hamil", "lost": "Pindah ke luar kabupaten"}.get(
                status, ""
            ),
            assigned_to_id=assigned.get((programme.pk, r.village_id)),
            found_on=found_on,
            opened_at=_moment(found_on, rng),
            closed_at=_moment(min(today, found_on + timedelta(days=rng.randint(30, 190))), rng)
            if closed
            else None,
            data={"kspr_score": result.score, "kspr_group": result.group}
            if status in ("in_progress", "resolved")
            else {},
        )
        plan.append((case, status, result))
    w.cases.extend(c for c, _, _ in plan)
    bidan = users["bidan.sempu"]

    def after() -> dict[str, int]:
        reports, screenings = [], []
        for case, status, result in plan:
            _timeline(w, case, status)
            in_sempu = case.district is not None and case.district.name == "Sempu"
            reporter = reporters[
                "mlijo.sempu" if in_sempu and rng.random() < 0.7 else "kader.sempu"
            ]
            reports.append(
                Report(
                    programme=programme,
                    region=programme.region,
                    reporter=reporter,
                    reporter_label=str(reporter.user),
                    client_id=f"demo-bumil-{case.pk}",
                    name=case.name.split()[0] if rng.random() < 0.5 else case.name,
                    village=case.village,
                    age_years=today.year - case.birth_date.year if case.birth_date else None,
                    note=rng.choice(
                        ["Baru hamil, mual-mual", "Perut mulai besar", "Hamil anak ke-4"]
                    ),
                    signs=rng.sample(["age_over_35", "close_spacing", "height_under_150"], k=1),
                    received_at=case.opened_at,
                    case=case,
                    status="received" if status == "found" else "followed_up",
                )
            )
            if status == "found":
                w.tasks.append(
                    _task(w, case, "verify", "Kunjungi dan periksa (KSPR)", case.found_on, 3)
                )
            if status in ("in_progress", "resolved"):
                visits = 1 if status == "in_progress" and rng.random() < 0.5 else 2
                for v in range(visits):
                    visited = case.found_on + timedelta(days=3 + 30 * v)
                    if visited > today:
                        break
                    screenings.append(
                        Screening(
                            case=case,
                            visited_on=visited,
                            gestation_weeks=min(40, 8 + 4 * v + rng.randint(0, 6)),
                            items=list(result.items),
                            score=result.score,
                            group=result.group,
                            screened_by=bidan,
                            created_at=_moment(visited, rng),
                        )
                    )
                if status == "in_progress":
                    follow = {"KRR": 20, "KRT": 10, "KRST": 5}[result.group]
                    last = max(case.found_on, today - timedelta(days=rng.randint(0, 25)))
                    w.tasks.append(
                        _task(
                            w, case, "follow_up", f"Kunjungan ulang ({result.group})", last, follow
                        )
                    )
                    if result.group != "KRR":
                        w.tasks.append(
                            _task(
                                w,
                                case,
                                "referral",
                                f"Rujukan ke {result.risk.referral.lower()}",
                                last,
                                10 if result.group == "KRT" else 3,
                            )
                        )
        Report.objects.bulk_create(reports)
        Screening.objects.bulk_create(screenings)
        return {"reports": len(reports), "screenings": len(screenings)}

    w.after.append(after)
    groups: dict[str, int] = {}
    for case, _status, result in plan:
        if case.data:
            groups[result.group] = groups.get(result.group, 0) + 1
    return {"cases": len(plan), "risk_groups": groups}


_ITEMS_BY_POINTS = {
    4: [i.code for i in kspr.ITEMS if i.points == 4],
    8: [i.code for i in kspr.ITEMS if i.points == 8],
}


def _items_for(rng: random.Random, group: str) -> list[str]:
    if group == "KRR":
        return []
    if group == "KRT":
        return rng.sample(_ITEMS_BY_POINTS[4], k=rng.choice([1, 1, 2]))
    return rng.sample(_ITEMS_BY_POINTS[4], k=1) + rng.sample(_ITEMS_BY_POINTS[8], k=1)


# --- Gancang Aron --------------------------------------------------------------------------


def _medicine(
    w: _Writer, programme: Programme, assigned: dict[tuple[int, int], int], partner: CourierPartner
) -> dict[str, Any]:
    rng, today = w.rng, w.today
    assert programme.agency is not None
    agency = programme.agency
    months, per_month = 8, 30
    patients = list(
        Resident.objects.filter(
            region=programme.region, birth_date__lte=today - timedelta(days=365 * 30)
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    picked = rng.sample(patients, min(len(patients), months * per_month))
    loaded = Resident.objects.select_related("village__parent", "household").in_bulk(picked)
    chosen = [loaded[pk] for pk in picked]
    days = sorted(
        min(
            today,
            today
            - timedelta(days=30 * (months - 1 - i // per_month))
            + timedelta(days=rng.randint(0, 29)),
        )
        for i in range(len(chosen))
    )
    statuses = _spread(
        len(chosen),
        (
            ("resolved", 221),
            ("found", 2),
            ("verified", 3),
            ("in_progress", 4),
            ("not_eligible", 6),
            ("lost", 4),
        ),
        rng,
    )
    open_first = sorted(statuses, key=lambda st: st in ("found", "verified", "in_progress"))
    plan = []
    for i, (r, day, status) in enumerate(zip(chosen, days, open_first, strict=True)):
        pbi = rng.random() < PBI_SHARE
        distance = round(rng.uniform(1.5, 22.0), 1)
        tariff = 0 if pbi else int(round((8_000 + max(0.0, distance - 4) * 2_500) / 500) * 500)
        case = Case(
            programme=programme,
            region=programme.region,
            district=r.village.parent,
            village=r.village,
            resident=r,
            subject_key=f"rx:{agency.pk}:RX-{today.year % 100:02d}-{i + 1:05d}",
            name=r.name,
            nik=r.nik,
            sex=r.sex,
            birth_date=r.birth_date,
            address=f"{r.household.address} RT {r.household.rt}/RW {r.household.rw}",
            phone=f"08{rng.randint(110000000, 999999999)}",
            status=status,
            source=Case.Source.INTAKE,
            outcome="delivered" if status == "resolved" else "",
            outcome_note={
                "not_eligible": "Pasien memilih ambil sendiri",
                "lost": "Nomor HP tidak aktif",
            }.get(status, ""),
            assigned_to_id=assigned.get((programme.pk, r.village_id)),
            found_on=day,
            opened_at=_moment(day, rng),
            closed_at=_moment(day, rng) + timedelta(hours=2)
            if status in ("resolved", "not_eligible", "lost")
            else None,
            data={
                "rx_number": f"RX-{today.year % 100:02d}-{i + 1:05d}",
                "eligibility": "pbi" if pbi else "paying",
            },
        )
        plan.append((case, status, pbi, distance, tariff))
    w.cases.extend(c for c, *_ in plan)

    def after() -> dict[str, int]:
        rxs, dispatches = [], []
        for case, status, pbi, distance, tariff in plan:
            _timeline(w, case, status)
            rx = Prescription(
                case=case,
                agency=agency,
                rx_number=case.data["rx_number"],
                distance_km=distance,
                eligibility="pbi" if pbi else "paying",
                tariff=tariff,
                created_at=case.opened_at,
            )
            rxs.append(rx)
        Prescription.objects.bulk_create(rxs)
        events = []
        for rx, (case, status, *_rest) in zip(rxs, plan, strict=True):
            at = case.opened_at + timedelta(minutes=70)
            shapes: list[str] = []
            if status == "resolved":
                shapes = ["failed", "delivered"] if rng.random() < 0.04 else ["delivered"]
            elif status == "in_progress":
                shapes = [rng.choice(["pending", "accepted", "picked_up", "flagged"])]
            elif status == "verified" and rng.random() < 0.6:
                shapes = ["failed"]  # back on the pharmacy's list
            for n, shape in enumerate(shapes, start=1):
                dispatch = Dispatch(
                    prescription=rx,
                    partner=partner,
                    number=n,
                    idempotency_key=f"rx{rx.pk}-{n}-demo{case.pk:06d}",
                    status=shape,
                    courier_job_id=""
                    if shape in ("pending", "flagged")
                    else f"JOB-DEMO{rx.pk:05d}{n}",
                    send_attempts=6 if shape == "flagged" else (0 if shape == "pending" else 1),
                    next_attempt_at=at,
                    last_error="kurir tidak menjawab (timeout)" if shape == "flagged" else "",
                    created_at=at,
                    updated_at=at + timedelta(minutes=40),
                    recipient_name=case.name.split()[0] if shape == "delivered" else "",
                    proof_kind="otp" if shape == "delivered" else "",
                    failure_reason="Rumah kosong, pasien tidak bisa dihubungi"
                    if shape == "failed"
                    else "",
                )
                dispatches.append(dispatch)
                at += timedelta(hours=3)
        Dispatch.objects.bulk_create(dispatches)
        for d in dispatches:
            if d.status in ("delivered", "failed", "picked_up", "accepted"):
                for k, step in enumerate(("accepted", "picked_up", d.status)):
                    if k == 2 and step in ("accepted", "picked_up"):
                        break
                    events.append(
                        CourierEvent(
                            dispatch=d,
                            event_id=f"EV-DEMO-{d.pk}-{k}",
                            status=step,
                            received_at=d.created_at + timedelta(minutes=10 * (k + 1)),
                            payload={"status": step, "reference": d.idempotency_key},
                            applied=True,
                        )
                    )
        CourierEvent.objects.bulk_create(events)
        return {"prescriptions": len(rxs), "dispatches": len(dispatches)}

    w.after.append(after)
    counts: dict[str, int] = {}
    for _, status, *_rest in plan:
        counts[status] = counts.get(status, 0) + 1
    return {"cases": len(plan), "pbi": sum(1 for p in plan if p[2]), "by_status": counts}


# --- shared ---------------------------------------------------------------------------------


def _task(w: _Writer, case: Case, kind: str, title: str, start: date, days: int) -> Task:
    return Task(
        case=case,
        kind=kind,
        title=title,
        due_date=w.due(start, days),
        assigned_to_id=case.assigned_to_id,
        created_at=_moment(start, w.rng),
    )


_PATHS = {
    "found": [],
    "verified": ["verified"],
    "in_progress": ["verified", "in_progress"],
    "resolved": ["verified", "in_progress", "resolved"],
    "not_eligible": ["not_eligible"],
    "lost": ["verified", "lost"],
}


def _timeline(w: _Writer, case: Case, status: str) -> None:
    path = _PATHS[status]
    before = "found"
    w.events.append(CaseEvent(case=case, at=case.opened_at, kind="created", to_value=before))
    for i, step in enumerate(path, start=1):
        last = i == len(path)
        at = case.closed_at if last and case.closed_at else case.opened_at + timedelta(hours=20 * i)
        w.events.append(
            CaseEvent(
                case=case,
                at=at,
                actor_id=case.assigned_to_id,
                kind="status",
                from_value=before,
                to_value=step,
                note=case.outcome_note if last else "",
            )
        )
        before = step


def build_outreach_demo(ctx: StepContext, *, today: date | None = None) -> dict[str, Any]:
    started = time.perf_counter()
    region = ctx.regency
    today = today or timezone.localdate()
    rng = random.Random(ctx.seed * 31 + 8)
    clear_outreach_demo(ctx)
    with transaction.atomic():
        rsud, _ = Agency.objects.update_or_create(
            region=region,
            code=RSUD_CODE,
            defaults={
                "name": "RSUD Blambangan",
                "short_name": "RSUD Blambangan",
                "kind": Agency.Kind.REGENCY_OFFICE,
                "address": "Jl. Letkol Istiqlah No. 49, Banyuwangi",
                "phone": "0333-421118",
            },
        )
        programmes = {
            "garda_ampuh": programme_ensure(region=region, code="garda_ampuh"),
            "maternal": programme_ensure(region=region, code="maternal"),
            "medicine": programme_ensure(region=region, code="medicine", agency=rsud),
        }
        partner = CourierPartner.objects.create(
            region=region,
            code="simulator",
            name="Mitra ojek daring (simulator lokal)",
            base_url=SIMULATOR_URL,
            api_key="sim-key",
            webhook_secret="sim-secret",
        )
        users = _ensure_users(region, programmes)
        villages = _villages(region)
        assigned = _assign(programmes, villages, users)
        sempu_village = next((v for v in villages if v.parent and v.parent.name == "Sempu"), None)
        reporters = {}
        for username, kind in (("mlijo.sempu", "mlijo"), ("kader.sempu", "kader")):
            reporter = Reporter.objects.create(
                user=users[username],
                region=region,
                village=sempu_village,
                kind=kind,
                token_hash=token_hash(f"demo-token-{username}"),
                created_at=timezone.now(),
            )
            reporter.programmes.set([programmes["maternal"], programmes["garda_ampuh"]])
            reporters[username] = reporter
        w = _Writer(today, rng, region)
        figures: dict[str, Any] = {
            "garda_ampuh": _garda(w, programmes["garda_ampuh"], assigned, users),
            "maternal": _maternal(w, programmes["maternal"], assigned, users, reporters),
            "medicine": _medicine(w, programmes["medicine"], assigned, partner),
        }
        Case.objects.bulk_create(w.cases, batch_size=2000)
        extra = [after() for after in w.after]
        CaseEvent.objects.bulk_create(w.events, batch_size=5000)
        Task.objects.bulk_create(w.tasks, batch_size=5000)
        first_due = (
            Task.objects.filter(case=OuterRef("pk"), done_at__isnull=True)
            .order_by("due_date")
            .values("due_date")[:1]
        )
        Case.objects.filter(region=region, closed_at__isnull=True).update(
            due_date=Subquery(first_due)
        )
        audit_record(
            actor="demo",
            action="outreach.demo_build",
            record_type="outreach.programme",
            record_id=region.code,
            region_code=region.code,
            summary={"cases": len(w.cases), "tasks": len(w.tasks), "today": today.isoformat()},
        )
    figures["extra"] = extra
    figures["seconds"] = round(time.perf_counter() - started, 3)
    return figures


register_step("outreach", build_outreach_demo, clear=clear_outreach_demo)
