"""The programme engine's writes: cases, assignment by desa, tasks in working days, visits,
escalation of overdue work, field assignments and reporters.

Every write is keyword-only, atomic, validates first and appends an audit entry.
Programme-specific writes live in ``programmes/<code>.py`` and call these.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Min, Q
from django.utils import timezone

from terpadu.accounts.models import Role, User
from terpadu.core.audit import audit_record
from terpadu.core.calendars import calendar_for
from terpadu.core.errors import DomainError, FieldError, bilingual, field_error
from terpadu.core.models import Agency, Region
from terpadu.core.workdays import Calendar, add_workdays, workdays_between
from terpadu.outreach import workflow
from terpadu.outreach.models import (
    Case,
    CaseEvent,
    CaseView,
    Escalation,
    FieldAssignment,
    Programme,
    Report,
    Reporter,
    Task,
    VisitNote,
    VisitPhoto,
)
from terpadu.outreach.programmes import rules, spec
from terpadu.outreach.programmes.base import CohortMember, ProgrammeSpec, TaskPlan
from terpadu.registry.models import Resident

MAX_TEXT = 2000
#: reports an anonymous reporter (one address) may send in an hour
PUBLIC_REPORTS_PER_HOUR = 5


# --- helpers -------------------------------------------------------------------------------


def invalid(errors: Sequence[FieldError], code: str = "invalid", status: int = 400) -> DomainError:
    return DomainError(
        code=code,
        message=bilingual("Data belum benar.", "Some fields are not valid."),
        errors=list(errors),
        status=status,
    )


def refuse(code: str, indonesian: str, english: str, status: int = 409) -> DomainError:
    return DomainError(code=code, message=bilingual(indonesian, english), status=status)


def local_day(now: datetime) -> date:
    return timezone.localtime(now).date()


def calendar_of(village: Region) -> Calendar:
    return calendar_for(region_code=village.code)


def regency_of(village: Region) -> Region | None:
    node: Region | None = village
    while node is not None and node.level != Region.Level.REGENCY:
        node = node.parent
    return node


def spec_of(case_or_programme: Case | Programme) -> ProgrammeSpec:
    programme = (
        case_or_programme.programme if isinstance(case_or_programme, Case) else case_or_programme
    )
    return spec(programme.code)


def setting(programme: Programme, name: str) -> Any:
    """A programme setting: the regency's override, else the spec's value or default."""
    if name in (programme.settings or {}):
        return programme.settings[name]
    found = spec(programme.code)
    if hasattr(found, name):
        return getattr(found, name)
    return found.defaults[name]


def _event(
    case: Case,
    kind: str,
    now: datetime,
    actor: Any = None,
    *,
    from_value: str = "",
    to_value: str = "",
    note: str = "",
) -> CaseEvent:
    return CaseEvent.objects.create(
        case=case,
        at=now,
        actor=actor if getattr(actor, "pk", None) else None,
        kind=kind,
        from_value=from_value[:30],
        to_value=to_value[:30],
        note=note[:300],
    )


def _lock(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("programme", "village", "region", "district")
        .get(pk=case.pk)
    )


def _refresh_due(case: Case) -> None:
    due = case.tasks.filter(done_at__isnull=True, cancelled_at__isnull=True).aggregate(
        d=Min("due_date")
    )["d"]
    if due != case.due_date:
        case.due_date = due
        case.save(update_fields=["due_date"])


# --- programmes and field assignments ------------------------------------------------------


@transaction.atomic
def programme_ensure(
    *, region: Region, code: str, agency: Agency | None = None, actor: Any = None
) -> Programme:
    """The programme ``code`` in ``region`` (a regency), created on first use."""
    found = spec(code)
    if region.level != Region.Level.REGENCY:
        raise invalid([field_error("region", "Pilih kabupaten/kota.", "Choose a regency.")])
    programme = Programme.objects.filter(region=region, code=code).first()
    if programme is not None:
        if agency is not None and programme.agency_id != agency.pk:
            programme.agency = agency
            programme.save(update_fields=["agency"])
        return programme
    if agency is None:
        agency = Agency.objects.filter(region=region, code=found.agency_code).first()
    programme = Programme.objects.create(region=region, code=code, name=found.name, agency=agency)
    audit_record(actor=actor, action="outreach.programme_create", record=programme)
    return programme


@transaction.atomic
def field_assignment_set(
    *, programme: Programme, village: Region, user: User, actor: Any = None
) -> FieldAssignment:
    """Make ``user`` (a field worker of the regency) cover ``village`` for ``programme``."""
    errors = []
    if user.role != Role.FIELD_WORKER or user.region_id != programme.region_id:
        errors.append(
            field_error(
                "user",
                "Pilih petugas lapangan dari kabupaten ini.",
                "Choose a field worker of this regency.",
            )
        )
    if village.level != Region.Level.VILLAGE or regency_of(village) != programme.region:
        errors.append(
            field_error("village", "Desa tidak ada di kabupaten ini.", "Not a desa of the regency.")
        )
    if errors:
        raise invalid(errors)
    assignment, created = FieldAssignment.objects.get_or_create(
        programme=programme, village=village, user=user
    )
    if created:
        audit_record(
            actor=actor,
            action="outreach.assignment_set",
            record=assignment,
            region_code=programme.region.code,
            summary={"village": village.code, "user": user.username},
        )
    return assignment


def _assignee_for(programme: Programme, village: Region) -> User | None:
    assignment = (
        FieldAssignment.objects.select_related("user")
        .filter(programme=programme, village=village, user__is_active=True)
        .order_by("id")
        .first()
    )
    return assignment.user if assignment else None


# --- cases ---------------------------------------------------------------------------------


def _default_plans(found: ProgrammeSpec, programme: Programme, status: str) -> list[TaskPlan]:
    if status == workflow.FOUND:
        return [TaskPlan("verify", "Verifikasi ke rumah", int(setting(programme, "verify_days")))]
    if status == workflow.VERIFIED:
        return [TaskPlan("visit", "Kunjungan penanganan", int(setting(programme, "visit_days")))]
    return []


def _plans_for(case: Case, status: str) -> list[TaskPlan]:
    module = rules(case.programme.code)
    hook = getattr(module, "tasks_on_enter", None)
    if hook is not None:
        plans = hook(case, status)
        if plans is not None:
            return list(plans)
    return _default_plans(spec(case.programme.code), case.programme, status)


def _create_task(case: Case, plan: TaskPlan, now: datetime, *, cal: Calendar | None = None) -> Task:
    cal = cal or calendar_of(case.village)
    return Task.objects.create(
        case=case,
        kind=plan.kind,
        title=plan.title[:200],
        due_date=add_workdays(local_day(now), plan.workdays, cal),
        assigned_to=case.assigned_to,
        created_at=now,
    )


@transaction.atomic
def task_create(
    *,
    case: Case,
    kind: str,
    title: str,
    workdays: int,
    actor: Any = None,
    now: datetime | None = None,
) -> Task:
    """A task due ``workdays`` working days after today (the case's desa calendar)."""
    now = now or timezone.now()
    if kind not in Task.Kind.values:
        raise invalid([field_error("kind", "Jenis tugas tidak dikenal.", "Unknown task kind.")])
    if workdays < 0 or workdays > 200:
        raise invalid([field_error("workdays", "Tenggat 0–200 hari kerja.", "0–200 working days.")])
    if not case.is_open:
        raise refuse("case_closed", "Kasus sudah ditutup.", "The case is closed.")
    task = _create_task(case, TaskPlan(kind, title, workdays), now)
    _refresh_due(case)
    _event(case, "task", now, actor, to_value=kind, note=f"{title} · {task.due_date.isoformat()}")
    audit_record(
        actor=actor,
        action="outreach.task_create",
        record=task,
        record_type="outreach.task",
        region_code=case.region.code,
        summary={"case": case.pk, "kind": kind, "due": task.due_date},
    )
    return task


@transaction.atomic
def task_complete(*, task: Task, actor: Any, now: datetime | None = None) -> Task:
    now = now or timezone.now()
    task = Task.objects.select_for_update().select_related("case__region").get(pk=task.pk)
    if not task.is_open:
        return task
    task.done_at, task.done_by = now, actor if getattr(actor, "pk", None) else None
    task.save(update_fields=["done_at", "done_by"])
    _refresh_due(task.case)
    _event(task.case, "task_done", now, actor, to_value=task.kind, note=task.title)
    audit_record(
        actor=actor,
        action="outreach.task_complete",
        record=task,
        record_type="outreach.task",
        region_code=task.case.region.code,
        summary={"case": task.case_id, "kind": task.kind},
    )
    return task


def _validate_open(
    programme: Programme, village: Region | None, name: str, subject_key: str
) -> list[FieldError]:
    errors: list[FieldError] = []
    if not name.strip():
        errors.append(field_error("name", "Nama wajib diisi.", "Name is required."))
    elif len(name) > 160:
        errors.append(field_error("name", "Nama terlalu panjang.", "Name is too long."))
    if (
        village is None
        or village.level != Region.Level.VILLAGE
        or regency_of(village) != programme.region
    ):
        errors.append(
            field_error("village", "Pilih desa di kabupaten ini.", "Choose a desa of the regency.")
        )
    if not subject_key:
        errors.append(field_error("subject", "Subjek kosong.", "Empty subject."))
    return errors


@transaction.atomic
def case_open(
    *,
    programme: Programme,
    village: Region,
    name: str,
    subject_key: str,
    source: str,
    actor: Any = None,
    resident: Resident | None = None,
    nik: str = "",
    sex: str = "",
    birth_date: date | None = None,
    age_years: int | None = None,
    address: str = "",
    phone: str = "",
    level: str = "",
    status: str = workflow.FOUND,
    data: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> Case:
    """Open a case for one person, assigned to the field worker covering the desa."""
    now = now or timezone.now()
    errors = _validate_open(programme, village, name, subject_key)
    if source not in Case.Source.values:
        errors.append(field_error("source", "Sumber tidak dikenal.", "Unknown source."))
    if status not in (workflow.FOUND, workflow.VERIFIED):
        errors.append(field_error("status", "Status awal tidak sah.", "Invalid initial status."))
    found = spec(programme.code)
    if level and level not in {c.code for c in found.levels}:
        errors.append(field_error("level", "Tingkat tidak dikenal.", "Unknown level."))
    if errors:
        raise invalid(errors)
    if Case.objects.filter(
        programme=programme, subject_key=subject_key, closed_at__isnull=True
    ).exists():
        raise refuse(
            "duplicate",
            "Orang ini sudah punya kasus terbuka di program ini.",
            "This person already has an open case in this programme.",
        )
    case = Case.objects.create(
        programme=programme,
        region=programme.region,
        district=village.parent,
        village=village,
        resident=resident,
        subject_key=subject_key[:80],
        name=name.strip()[:160],
        nik=nik,
        sex=sex,
        birth_date=birth_date,
        age_years=age_years,
        address=address[:200],
        phone=phone[:20],
        status=status,
        level=level or (found.levels[0].code if found.levels else ""),
        source=source,
        assigned_to=_assignee_for(programme, village),
        found_on=local_day(now),
        opened_at=now,
        data=dict(data or {}),
    )
    case.programme = programme
    _event(case, "created", now, actor, to_value=status, note=str(Case.Source(source).label))
    if case.assigned_to_id:
        _event(case, "assigned", now, actor, to_value=str(case.assigned_to_id))
    cal = calendar_of(village)
    for plan in _plans_for(case, status):
        _create_task(case, plan, now, cal=cal)
    _refresh_due(case)
    audit_record(
        actor=actor,
        action="outreach.case_open",
        record=case,
        summary={
            "programme": programme.code,
            "source": source,
            "village": village.code,
            "status": status,
        },
    )
    return case


def _close_tasks(case: Case, now: datetime) -> None:
    case.tasks.filter(done_at__isnull=True, cancelled_at__isnull=True).update(cancelled_at=now)


@transaction.atomic
def case_transition(
    *,
    case: Case,
    actor: Any,
    target: str,
    outcome: str = "",
    note: str = "",
    now: datetime | None = None,
    system: bool = False,
) -> Case:
    """Move a case along found → verified → in progress → resolved | not eligible | lost.

    ``system``: called by the programme's own services (a courier's proof of delivery, a
    KSPR card), which may set the statuses people may not pick by hand.
    """
    now = now or timezone.now()
    case = _lock(case)
    found = spec(case.programme.code)
    if target not in Case.Status.values:
        raise invalid([field_error("status", "Status tidak dikenal.", "Unknown status.")])
    if target in found.system_targets and not system:
        raise refuse(
            "bad_transition",
            "Status ini diisi otomatis oleh program, tidak dapat dipilih.",
            "This status is set by the programme itself.",
        )
    if not workflow.allowed(case.status, target, found.extra_transitions):
        raise refuse(
            "bad_transition",
            f"Kasus berstatus {Case.Status(case.status).label} tidak dapat menjadi "
            f"{Case.Status(target).label}.",
            f"A case in {case.status} cannot move to {target}.",
        )
    errors: list[FieldError] = []
    outcome = outcome.strip()
    if target == workflow.RESOLVED:
        if outcome not in {c.code for c in found.outcomes}:
            errors.append(field_error("outcome", "Pilih hasil penanganan.", "Choose an outcome."))
    elif outcome:
        errors.append(
            field_error(
                "outcome", "Hasil hanya untuk kasus selesai.", "Only resolved cases have outcomes."
            )
        )
    if target in (workflow.NOT_ELIGIBLE, workflow.LOST) and not note.strip():
        errors.append(field_error("note", "Tuliskan alasannya.", "Give the reason."))
    if len(note) > 300:
        errors.append(field_error("note", "Paling banyak 300 huruf.", "At most 300 characters."))
    if errors:
        raise invalid(errors)
    before = case.status
    case.status = target
    fields = ["status"]
    if target in workflow.TERMINAL:
        case.closed_at = now
        case.outcome = outcome
        case.outcome_note = note.strip()[:300]
        fields += ["closed_at", "outcome", "outcome_note"]
        _close_tasks(case, now)
    case.save(update_fields=fields)
    _event(case, "status", now, actor, from_value=before, to_value=target, note=note)
    if target in workflow.OPEN:
        # the work of the previous step is done once the case moves on
        case.tasks.filter(done_at__isnull=True, cancelled_at__isnull=True).exclude(
            kind__in=("follow_up", "referral")
        ).update(done_at=now, done_by=actor if getattr(actor, "pk", None) else None)
        cal = calendar_of(case.village)
        for plan in _plans_for(case, target):
            _create_task(case, plan, now, cal=cal)
    _refresh_due(case)
    if before == workflow.FOUND:
        Report.objects.filter(case=case, status=Report.Status.RECEIVED).update(
            status=Report.Status.FOLLOWED_UP
        )
    audit_record(
        actor=actor,
        action="outreach.case_transition",
        record=case,
        summary={"status": [before, target], "outcome": outcome, "note": note[:120]},
    )
    return case


@transaction.atomic
def case_assign(
    *, case: Case, actor: Any, assignee: User | None, now: datetime | None = None
) -> Case:
    """Hand the case (and its open tasks) to another field worker of the regency."""
    now = now or timezone.now()
    case = _lock(case)
    if assignee is not None and (
        assignee.role != Role.FIELD_WORKER
        or assignee.region_id != case.region_id
        or not assignee.is_active
    ):
        raise invalid(
            [
                field_error(
                    "assignee",
                    "Pilih petugas lapangan dari kabupaten ini.",
                    "Choose a field worker of this regency.",
                )
            ]
        )
    if not case.is_open:
        raise refuse("case_closed", "Kasus sudah ditutup.", "The case is closed.")
    before = case.assigned_to_id
    case.assigned_to = assignee
    case.save(update_fields=["assigned_to"])
    case.tasks.filter(done_at__isnull=True, cancelled_at__isnull=True).update(assigned_to=assignee)
    _event(
        case,
        "assigned",
        now,
        actor,
        from_value=str(before or ""),
        to_value=str(assignee.pk if assignee else ""),
        note=str(assignee) if assignee else "",
    )
    audit_record(
        actor=actor,
        action="outreach.case_assign",
        record=case,
        summary={"assigned_to": [before, assignee.pk if assignee else None]},
    )
    return case


@transaction.atomic
def case_set_level(
    *, case: Case, actor: Any, level: str, note: str = "", now: datetime | None = None
) -> Case:
    """Move the case to another level of the programme's ladder (RT → desa → kecamatan → UPTD)."""
    now = now or timezone.now()
    case = _lock(case)
    found = spec(case.programme.code)
    codes = [c.code for c in found.levels]
    if level not in codes:
        raise invalid([field_error("level", "Tingkat tidak dikenal.", "Unknown level.")])
    if not case.is_open:
        raise refuse("case_closed", "Kasus sudah ditutup.", "The case is closed.")
    if level == case.level:
        return case
    before = case.level
    case.level = level
    case.save(update_fields=["level"])
    _event(case, "level", now, actor, from_value=before, to_value=level, note=note)
    audit_record(
        actor=actor, action="outreach.case_level", record=case, summary={"level": [before, level]}
    )
    return case


def case_view_log(*, case: Case, user: Any, purpose: str) -> None:
    """Record that ``user`` opened ``case`` (every view of personal data is logged)."""
    if getattr(user, "pk", None):
        CaseView.objects.create(case=case, user=user, at=timezone.now(), purpose=purpose[:60])


# --- visit notes ---------------------------------------------------------------------------


@transaction.atomic
def visit_note_add(
    *,
    case: Case,
    actor: Any,
    text: str,
    visited_on: date | None = None,
    photos: Iterable[Any] = (),
    client_id: str = "",
    task: Task | None = None,
    now: datetime | None = None,
) -> VisitNote:
    """A visit note with optional photos (checked by content); the same ``client_id`` twice
    (an offline phone sending again) returns the first note."""
    from terpadu.complaints.photos import clean_photos

    now = now or timezone.now()
    client_id = (client_id or "").strip()[:36]
    if client_id:
        existing = VisitNote.objects.filter(client_id=client_id, case=case).first()
        if existing is not None:
            return existing
    errors: list[FieldError] = []
    text = (text or "").strip()
    if not text:
        errors.append(field_error("text", "Tulis catatan kunjungan.", "Write the visit note."))
    elif len(text) > MAX_TEXT:
        errors.append(field_error("text", "Paling banyak 2000 huruf.", "At most 2000 characters."))
    today = local_day(now)
    visited_on = visited_on or today
    if visited_on > today:
        errors.append(
            field_error("visited_on", "Tanggal kunjungan di masa depan.", "Visit date in future.")
        )
    if task is not None and task.case_id != case.pk:
        errors.append(field_error("task", "Tugas bukan milik kasus ini.", "Task of another case."))
    if errors:
        raise invalid(errors)
    cleaned = clean_photos(list(photos), field="photos")
    note = VisitNote.objects.create(
        case=case,
        author=actor,
        visited_on=visited_on,
        text=text,
        client_id=client_id or None,
        created_at=now,
    )
    for clean in cleaned:
        photo = VisitPhoto(note=note, content_type=clean.content_type)
        photo.file.save(f"foto.{clean.extension}", ContentFile(clean.content), save=False)
        photo.save()
    if task is not None and task.is_open:
        task.done_at, task.done_by = now, actor
        task.save(update_fields=["done_at", "done_by"])
        _refresh_due(case)
    _event(case, "visit", now, actor, note=text[:300])
    audit_record(
        actor=actor,
        action="outreach.visit_note",
        record=note,
        record_type="outreach.visitnote",
        region_code=case.region.code,
        summary={"case": case.pk, "photos": len(cleaned), "task": task.pk if task else None},
    )
    return note


# --- escalation ----------------------------------------------------------------------------


def _escalation_recipient(case: Case) -> User | None:
    programme = case.programme
    qs = User.objects.filter(is_active=True, region_id=case.region_id)
    if programme.agency_id:
        head = qs.filter(role=Role.AGENCY_HEAD, agency_id=programme.agency_id).order_by("id")
        if head.exists():
            return head.first()
    return qs.filter(role=Role.SUPERVISOR).order_by("id").first()


def _notify(recipient: User | None, escalation: Escalation) -> bool:
    """Through the notifications outbox when that app is installed; else the row is the record."""
    if recipient is None or not apps.is_installed("terpadu.notifications"):
        return False
    contact = recipient.email or recipient.phone
    if not contact:
        return False
    try:
        from terpadu.notifications.services import notify
    except ImportError:  # pragma: no cover - app present without the service
        return False
    channel = "email" if recipient.email else "sms"
    case = escalation.case
    try:
        notify(
            recipient=contact,
            channel=channel,
            template="outreach_escalation",
            context={
                "case_id": case.pk,
                "programme": case.programme.name,
                "village": case.village.name,
                "level": escalation.level,
                "reason": escalation.reason,
            },
            idempotency_key=f"outreach-escalation-{escalation.pk}",
        )
    except DomainError:
        return False
    return True


@transaction.atomic
def _escalate_task(task_id: int, today: date, now: datetime) -> int:
    task = (
        Task.objects.select_for_update()
        .select_related("case__programme", "case__village", "case__region")
        .get(pk=task_id)
    )
    case = task.case
    if not task.is_open or not case.is_open or task.due_date >= today:
        return 0
    cal = calendar_of(case.village)
    overdue = workdays_between(task.due_date, today, cal)
    if overdue <= 0:
        return 0
    every = max(1, int(setting(case.programme, "escalate_every_days")))
    level = 1 + (overdue - 1) // every
    if level <= task.escalation_level:
        return 0
    recipient = _escalation_recipient(case)
    reason = (f"{task.title}: lewat tenggat {task.due_date.isoformat()} ({overdue} hari kerja)")[
        :300
    ]
    escalation = Escalation.objects.create(
        case=case, task=task, level=level, created_at=now, reason=reason, recipient=recipient
    )
    if _notify(recipient, escalation):
        escalation.notified = True
        escalation.save(update_fields=["notified"])
    task.escalation_level = level
    task.save(update_fields=["escalation_level"])
    _event(case, "escalated", now, None, to_value=str(level), note=reason)
    audit_record(
        actor="system",
        action="outreach.escalate",
        record=escalation,
        record_type="outreach.escalation",
        region_code=case.region.code,
        summary={"case": case.pk, "task": task.pk, "level": level, "overdue_workdays": overdue},
    )
    return 1


def escalate_overdue(*, now: datetime | None = None) -> int:
    """The periodic job: every open task past its due date escalates (again every N working days)."""
    now = now or timezone.now()
    today = local_day(now)
    ids = list(
        Task.objects.filter(
            done_at__isnull=True,
            cancelled_at__isnull=True,
            due_date__lt=today,
            case__closed_at__isnull=True,
        ).values_list("pk", flat=True)
    )
    return sum(_escalate_task(pk, today, now) for pk in ids)


# --- reporters -----------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def address_key(address: str) -> str:
    """A keyed hash of a public reporter's address: limits without keeping the address."""
    import hmac

    from django.conf import settings

    secret = str(settings.SECRET_KEY).encode()
    return hmac.new(secret, f"report:{address}".encode(), hashlib.sha256).hexdigest()


@transaction.atomic
def reporter_register(
    *,
    user: User,
    kind: str,
    programmes: Sequence[Programme],
    village: Region | None = None,
    actor: Any = None,
) -> tuple[Reporter, str]:
    """Make a citizen user a community reporter; returns the profile and a new API token
    (shown once; only its SHA-256 is kept)."""
    errors: list[FieldError] = []
    if user.role != Role.CITIZEN or user.region is None:
        errors.append(
            field_error("user", "Pelapor adalah warga terdaftar.", "Reporters are citizens.")
        )
    if kind not in Reporter.Kind.values:
        errors.append(field_error("kind", "Jenis pelapor tidak dikenal.", "Unknown kind."))
    if not programmes:
        errors.append(field_error("programmes", "Pilih program.", "Choose a programme."))
    if errors:
        raise invalid(errors)
    assert user.region is not None
    if village is not None and regency_of(village) != user.region:
        raise invalid([field_error("village", "Desa di luar kabupaten.", "Desa outside.")])
    token = secrets.token_urlsafe(32)
    reporter, _created = Reporter.objects.update_or_create(
        user=user,
        defaults={
            "region": user.region,
            "village": village,
            "kind": kind,
            "token_hash": token_hash(token),
            "is_active": True,
            "created_at": timezone.now(),
        },
    )
    reporter.programmes.set(programmes)
    audit_record(
        actor=actor,
        action="outreach.reporter_register",
        record=reporter,
        summary={"user": user.username, "kind": kind, "programmes": [p.code for p in programmes]},
    )
    return reporter, token


def reporter_by_token(token: str) -> Reporter | None:
    if not token:
        return None
    return (
        Reporter.objects.select_related("user", "region")
        .filter(token_hash=token_hash(token), is_active=True, user__is_active=True)
        .first()
    )


# --- cohort --------------------------------------------------------------------------------


def cohort_sync(
    *, programme: Programme, on: date, actor: Any = None, now: datetime | None = None
) -> dict[str, int]:
    """Open a case for everyone the programme's cohort rule finds and who has no case yet."""
    now = now or timezone.now()
    module = rules(programme.code)
    finder = getattr(module, "cohort", None)
    if finder is None:
        return {"found": 0, "opened": 0}
    members: list[CohortMember] = list(finder(programme, on=on))
    known = set(Case.objects.filter(programme=programme).values_list("subject_key", flat=True))
    villages = {
        v.pk: v
        for v in Region.objects.filter(pk__in={m.village_id for m in members}).select_related(
            "parent__parent"
        )
    }
    opened = 0
    for member in members:
        if member.subject_key in known:
            continue
        case_open(
            programme=programme,
            village=villages[member.village_id],
            name=member.name,
            subject_key=member.subject_key,
            source=Case.Source.COHORT,
            actor=actor,
            resident=Resident(pk=member.resident_id) if member.resident_id else None,
            nik=member.nik,
            sex=member.sex,
            birth_date=member.birth_date,
            address=member.address,
            data=member.data,
            now=now,
        )
        known.add(member.subject_key)
        opened += 1
    return {"found": len(members), "opened": opened}


def open_cases_q() -> Q:
    return Q(closed_at__isnull=True)


# --- community reports ---------------------------------------------------------------------


def _match_report(
    programme: Programme, village: Region, name: str, age_years: int | None, on: date
) -> tuple[Case | None, Resident | None]:
    """An open case of the same person in the desa, else one resident who fits, else nothing."""
    from terpadu.outreach.matching import NAME_THRESHOLD, age_on, ages_agree, name_similarity

    best: tuple[float, Case] | None = None
    for case in Case.objects.filter(programme=programme, village=village, closed_at__isnull=True):
        known_age = age_on(case.birth_date, on) if case.birth_date else case.age_years
        sim = name_similarity(name, case.name)
        if (
            sim >= NAME_THRESHOLD
            and ages_agree(age_years, known_age)
            and (not best or sim > best[0])
        ):
            best = (sim, case)
    if best is not None:
        return best[1], None
    module = rules(programme.code)
    residents = Resident.objects.filter(village=village)
    narrow = getattr(module, "report_residents", None)
    if narrow is not None:
        residents = narrow(residents, on)
    candidates: list[tuple[float, Resident]] = []
    for resident in residents.only("id", "name", "birth_date", "nik", "sex", "village_id"):
        sim = name_similarity(name, resident.name)
        if sim >= NAME_THRESHOLD and ages_agree(age_years, age_on(resident.birth_date, on)):
            candidates.append((sim, resident))
    candidates.sort(key=lambda c: -c[0])
    if not candidates or (len(candidates) > 1 and candidates[1][0] == candidates[0][0]):
        return None, None  # nobody, or two equally likely people: let the field worker decide
    resident = candidates[0][1]
    open_case = Case.objects.filter(
        programme=programme, subject_key=f"resident:{resident.pk}", closed_at__isnull=True
    ).first()
    return open_case, resident


def _report_errors(
    programme: Programme,
    *,
    client_id: str,
    name: str,
    village: Region | None,
    age_years: int | None,
    note: str,
    signs: Sequence[str],
    photo: Any,
    photo_consent: bool,
) -> list[FieldError]:
    import re

    errors: list[FieldError] = []
    if not re.fullmatch(r"[A-Za-z0-9\-]{8,36}", client_id or ""):
        errors.append(field_error("client_id", "Kode laporan tidak sah.", "Invalid report id."))
    if not (name or "").strip():
        errors.append(field_error("name", "Tulis nama orangnya.", "Write the person's name."))
    elif len(name) > 160:
        errors.append(field_error("name", "Nama terlalu panjang.", "Name is too long."))
    if village is None or regency_of(village) != programme.region:
        errors.append(field_error("village", "Pilih desanya.", "Choose the desa."))
    if age_years is not None and not 0 <= age_years <= 120:
        errors.append(field_error("age_years", "Umur 0–120 tahun.", "Age 0–120."))
    if len(note or "") > 1000:
        errors.append(field_error("note", "Paling banyak 1000 huruf.", "At most 1000 characters."))
    known = set(getattr(rules(programme.code), "REPORT_SIGNS", {}) or {})
    if any(s not in known for s in signs):
        errors.append(field_error("signs", "Tanda tidak dikenal.", "Unknown sign."))
    if photo is not None and not photo_consent:
        errors.append(
            field_error(
                "photo_consent",
                "Foto hanya boleh dikirim dengan persetujuan orangnya.",
                "A photo needs the person's consent.",
            )
        )
    return errors


@transaction.atomic
def report_submit(
    *,
    programme: Programme,
    client_id: str,
    name: str,
    village: Region | None,
    reporter: Reporter | None = None,
    reporter_label: str = "",
    reporter_phone: str = "",
    age_years: int | None = None,
    note: str = "",
    signs: Sequence[str] = (),
    photo: Any = None,
    photo_consent: bool = False,
    source_key: str = "",
    now: datetime | None = None,
) -> tuple[Report, bool]:
    """Receive a community report; returns ``(report, created)``.

    The same ``client_id`` twice (a phone that sends its queue again) returns the first
    report and changes nothing. A report of someone who already has an open case joins
    that case; otherwise it opens one, assigned to the field worker of the desa.
    """
    from terpadu.complaints.photos import clean_photo

    now = now or timezone.now()
    client_id = (client_id or "").strip()
    existing = Report.objects.filter(client_id=client_id).first() if client_id else None
    if existing is not None:
        if existing.programme_id != programme.pk or (
            reporter is not None and existing.reporter_id != reporter.pk
        ):
            raise refuse("duplicate", "Kode laporan sudah dipakai.", "Report id already used.")
        return existing, False
    if not programme.is_active:
        raise refuse("inactive", "Program tidak aktif.", "The programme is not active.")
    if reporter is not None and not reporter.programmes.filter(pk=programme.pk).exists():
        raise refuse(
            "not_reporter",
            "Anda bukan pelapor program ini.",
            "You do not report for this programme.",
            status=403,
        )
    if reporter is None and source_key:
        recent = Report.objects.filter(
            source_key=source_key, received_at__gte=now - timedelta(hours=1)
        ).count()
        if recent >= PUBLIC_REPORTS_PER_HOUR:
            raise refuse(
                "rate_limited",
                "Terlalu banyak laporan dari alamat ini dalam satu jam. Coba lagi nanti.",
                "Too many reports from this address in an hour. Please try later.",
                status=429,
            )
    signs = [str(s) for s in signs]
    errors = _report_errors(
        programme,
        client_id=client_id,
        name=name,
        village=village,
        age_years=age_years,
        note=note,
        signs=signs,
        photo=photo,
        photo_consent=photo_consent,
    )
    if errors:
        raise invalid(errors)
    assert village is not None
    clean = clean_photo(photo, field="photo") if photo is not None else None
    report = Report(
        programme=programme,
        region=programme.region,
        reporter=reporter,
        reporter_label=(reporter_label or (str(reporter.user) if reporter else ""))[:120],
        reporter_phone=reporter_phone[:20],
        client_id=client_id,
        name=name.strip()[:160],
        village=village,
        age_years=age_years,
        note=(note or "").strip(),
        signs=signs,
        photo_consent=bool(photo_consent and clean),
        received_at=now,
        source_key=source_key[:64],
    )
    if clean is not None:
        report.photo_content_type = clean.content_type
        report.photo.save(f"foto.{clean.extension}", ContentFile(clean.content), save=False)
    case, resident = _match_report(programme, village, report.name, age_years, local_day(now))
    if case is not None:
        report.case, report.matched_existing = case, True
        if case.status != workflow.FOUND:
            report.status = Report.Status.FOLLOWED_UP
        report.save()
        _event(case, "report", now, None, note=f"Laporan lagi dari {report.reporter_label}"[:300])
    else:
        report.save()
        report.case = case_open(
            programme=programme,
            village=village,
            name=resident.name if resident else report.name,
            subject_key=f"resident:{resident.pk}" if resident else f"report:{client_id}",
            source=Case.Source.REPORT,
            resident=resident,
            nik=resident.nik if resident else "",
            sex=resident.sex if resident else "",
            birth_date=resident.birth_date if resident else None,
            age_years=age_years,
            data={"signs": signs, "report_note": report.note[:300]},
            now=now,
        )
        report.save(update_fields=["case"])
    audit_record(
        actor=reporter.user if reporter else "public",
        action="outreach.report_submit",
        record=report,
        summary={
            "programme": programme.code,
            "case": report.case_id,
            "matched_existing": report.matched_existing,
            "photo": bool(clean),
        },
    )
    return report, True
