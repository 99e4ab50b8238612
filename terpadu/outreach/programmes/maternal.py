"""Pemburu Bumil Risti / Laskar SAKINA: community reporters find newly pregnant women, the
bidan desa screens them with the KSPR card and follows high-risk pregnancies to delivery.

Rules: a report opens a case due for a first visit within ``visit_after_report_days``
working days; each KSPR card sets the next visit by risk group (``follow_up_days``) and,
for KRT/KRST, a referral. Banyuwangi's own screening criteria are a separate,
configurable rule set (``local_criteria``), never mixed into the KSPR score.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from terpadu.core.audit import audit_record
from terpadu.core.errors import FieldError, field_error
from terpadu.outreach import kspr, workflow
from terpadu.outreach.models import Case, Screening
from terpadu.outreach.programmes.base import Choice, ProgrammeSpec, TaskPlan

# Banyuwangi's "Bumil Risti" criteria confirmed in the sources (domain.md §7.2). The
# programme has 13; the other eight are not confirmed, so a regency adds them in
# Programme.settings["local_criteria"] rather than us guessing them.
LOCAL_CRITERIA: tuple[Choice, ...] = (
    Choice("age_under_20", _("Umur kurang dari 20 tahun")),
    Choice("age_over_35", _("Umur lebih dari 35 tahun")),
    Choice("close_spacing", _("Jarak kehamilan terlalu dekat")),
    Choice("previous_caesarean", _("Pernah operasi sesar")),
    Choice("hypertension", _("Riwayat tekanan darah tinggi")),
    Choice("height_under_150", _("Tinggi badan kurang dari 150 cm")),
)
#: what a reporter may tick on the phone page (the same local criteria, in plain words)
REPORT_SIGNS: dict[str, Any] = {c.code: c.label for c in LOCAL_CRITERIA}

SPEC = ProgrammeSpec(
    code="maternal",
    name="Pemburu Bumil Risti (Laskar SAKINA)",
    agency_code="dinkes",
    health=True,
    description=_(
        "Pelapor warga (mlijo, kader) melaporkan ibu hamil baru; bidan desa memeriksa "
        "dengan Kartu Skor Poedji Rochjati dan mendampingi sampai persalinan."
    ),
    verify_days=3,
    visit_days=5,
    escalate_every_days=2,
    outcomes=(
        Choice("safe_delivery", _("Persalinan selamat (ibu dan bayi)")),
        Choice("delivery_complication", _("Persalinan dengan komplikasi")),
        Choice("pregnancy_loss", _("Keguguran / bayi meninggal")),
        Choice("maternal_death", _("Ibu meninggal")),
        Choice("moved_away", _("Pindah dan diserahkan ke puskesmas lain")),
    ),
    success_outcomes=frozenset({"safe_delivery"}),
    defaults={
        "follow_up_days": {"KRR": 20, "KRT": 10, "KRST": 5},
        "referral_days": {"KRT": 10, "KRST": 3},
        "local_criteria": [],
    },
)


def local_criteria(programme: Any) -> list[Choice]:
    extra = (programme.settings or {}).get("local_criteria") or []
    return [*LOCAL_CRITERIA, *(Choice(str(c["code"]), str(c["label"])) for c in extra)]


def tasks_on_enter(case: Case, status: str) -> list[TaskPlan] | None:
    from terpadu.outreach.services import setting

    if status == workflow.FOUND:
        return [
            TaskPlan(
                "verify",
                "Kunjungi dan periksa ibu hamil (KSPR)",
                int(setting(case.programme, "verify_days")),
            )
        ]
    if status == workflow.VERIFIED:
        return []  # the KSPR card schedules the follow-ups
    return None


def report_residents(residents: QuerySet[Any], on: date) -> QuerySet[Any]:
    """Who a report of a pregnant woman can be: women aged 12–55."""
    return residents.filter(
        sex="P",
        birth_date__lte=on - timedelta(days=365 * 12),
        birth_date__gte=on - timedelta(days=int(365.25 * 56)),
    )


def _next_visit_plans(case: Case, group: str) -> list[TaskPlan]:
    from terpadu.outreach.services import setting

    follow = setting(case.programme, "follow_up_days")
    referral = setting(case.programme, "referral_days")
    risk = kspr.GROUPS[group]
    plans = [TaskPlan("follow_up", f"Kunjungan ulang ({group})", int(follow[group]))]
    if group in referral:
        plans.append(
            TaskPlan("referral", f"Rujukan ke {risk.referral.lower()}", int(referral[group]))
        )
    return plans


@transaction.atomic
def screening_record(
    *,
    case: Case,
    actor: Any,
    items: list[str],
    visited_on: date | None = None,
    gestation_weeks: int | None = None,
    local_flags: list[str] | None = None,
    now: datetime | None = None,
) -> Screening:
    """The midwife records a KSPR card; the case gets its next visit (and referral) by risk."""
    from terpadu.outreach.services import (
        _create_task,
        _event,
        _lock,
        _refresh_due,
        case_transition,
        invalid,
        local_day,
        refuse,
    )

    now = now or timezone.now()
    case = _lock(case)
    if case.programme.code != SPEC.code:
        raise refuse("wrong_programme", "Bukan kasus ibu hamil.", "Not a maternal case.")
    if not case.is_open:
        raise refuse("case_closed", "Kasus sudah ditutup.", "The case is closed.")
    errors: list[FieldError] = []
    try:
        result = kspr.score(items)
    except kspr.KsprError as exc:
        errors.append(field_error("items", str(exc), "Unknown KSPR item."))
        result = None
    today = local_day(now)
    visited_on = visited_on or today
    if visited_on > today:
        errors.append(
            field_error("visited_on", "Tanggal kunjungan di masa depan.", "Visit date in future.")
        )
    if gestation_weeks is not None and not 1 <= gestation_weeks <= 45:
        errors.append(field_error("gestation_weeks", "Umur kehamilan 1–45 minggu.", "1–45 weeks."))
    known_flags = {c.code for c in local_criteria(case.programme)}
    flags = [f for f in (local_flags or []) if f]
    if any(f not in known_flags for f in flags):
        errors.append(field_error("local_flags", "Kriteria tidak dikenal.", "Unknown criterion."))
    if errors:
        raise invalid(errors)
    assert result is not None
    screening = Screening.objects.create(
        case=case,
        visited_on=visited_on,
        gestation_weeks=gestation_weeks,
        items=list(result.items),
        score=result.score,
        group=result.group,
        local_flags=flags,
        screened_by=actor,
        created_at=now,
    )
    data = dict(case.data)
    data.update(kspr_score=result.score, kspr_group=result.group)
    case.data = data
    case.save(update_fields=["data"])
    # the visit is done; earlier follow-ups are replaced by the plan of this card
    case.tasks.filter(
        done_at__isnull=True, cancelled_at__isnull=True, kind__in=("verify", "visit", "follow_up")
    ).update(done_at=now, done_by=actor)
    case.tasks.filter(done_at__isnull=True, cancelled_at__isnull=True, kind="referral").update(
        cancelled_at=now
    )
    _event(
        case,
        "screening",
        now,
        actor,
        to_value=result.group,
        note=f"KSPR {result.score} ({result.group}) · {result.risk.place}",
    )
    audit_record(
        actor=actor,
        action="outreach.kspr_screening",
        record=screening,
        record_type="outreach.screening",
        region_code=case.region.code,
        summary={"case": case.pk, "score": result.score, "group": result.group},
    )
    if case.status == workflow.FOUND:
        case = case_transition(
            case=case, actor=actor, target=workflow.VERIFIED, now=now, system=True
        )
    if case.status == workflow.VERIFIED:
        case = case_transition(
            case=case, actor=actor, target=workflow.IN_PROGRESS, now=now, system=True
        )
    for plan in _next_visit_plans(case, result.group):
        _create_task(case, plan, now)
    _refresh_due(case)
    return screening


def latest_group(case: Case) -> str:
    return str(case.data.get("kspr_group", ""))
